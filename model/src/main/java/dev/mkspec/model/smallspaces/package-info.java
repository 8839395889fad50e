/**
 * L4's small address spaces on x86-32, {@code specs/tla/SmallSpaces/SmallSpaces.tla} as a Java
 * model: large spaces with their own page tables, small spaces in windows of a shared region
 * confined by segment limits, untagged TLBs kept across switches to small spaces.
 */
package dev.mkspec.model.smallspaces;
