/**
 * Executable abstract models of the kernel: pure state machines over immutable, canonical states,
 * with named actions and invariants that carry their catalog IDs. Each model mirrors a TLA+ spec
 * in {@code specs/tla/} and is checked against it by the {@code refinement} module.
 *
 * <p>The models arrive with the issues that specify them: address spaces (map, grant, flush and
 * the mapping database), the TLB and its shootdown protocol, and IPC.
 */
package dev.mkspec.model;
