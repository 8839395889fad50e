/**
 * The concrete L4-style kernel, to come with the kernel-impl issue: thread control blocks, send
 * queues, page tables in simulated memory, a mapping database of real nodes, and the IPC, map,
 * grant and flush system calls, every path charged in cycles through a {@code CycleMeter}.
 *
 * <p>It runs on {@code dev.mkspec.hw} only. It never imports the abstract model
 * ({@code dev.mkspec.model}); the enforcer rule in this module's pom keeps it so, and only the
 * {@code refinement} module joins the two.
 */
package dev.mkspec.kernel;
