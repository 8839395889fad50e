/**
 * The concrete L4-style kernel on a simulated CPU ({@code Cpu}: the hw-model MMU and TLBs of a
 * {@code CpuProfile}, plus first-level caches), every path ({@code Path}) charged through a
 * {@code CycleMeter}. {@code Kernel} keeps dispatch, entry and exit and a read-only view for
 * refinement; the kernel objects are {@code Threads}, {@code Spaces}, {@code Scheduler},
 * {@code MappingDb}, {@code Ipc}, {@code Notification} and {@code UserMemory}, sharing a
 * {@code Platform}. Its structural invariants are {@code KernelInvariants} (K-1..K-7; K-8 is
 * raised by the {@code Cpu}); deliberate bugs are {@code KernelBug}. In {@code bench}: the
 * workloads, published measurements and budgets behind {@code mkspec bench cycles}.
 *
 * <p>This module depends on hw-model only; it never imports the abstract model.
 */
package dev.mkspec.kernel;
