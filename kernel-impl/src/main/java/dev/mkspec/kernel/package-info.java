/**
 * The concrete L4-style kernel on one or several simulated CPUs ({@code Cpu}: the hw-model MMU
 * and TLBs of a {@code CpuProfile}, plus first-level caches, over hw-model's {@code Machine}),
 * every path ({@code Path}) charged through each CPU's {@code CycleMeter}. {@code Kernel} keeps
 * dispatch, entry and exit, the CPUs' step boundaries and a read-only view for refinement; the
 * kernel objects are {@code Threads}, {@code Spaces}, a {@code Scheduler} per CPU,
 * {@code MappingDb}, {@code Ipc}, {@code Notification}, {@code UserMemory} and
 * {@code Shootdowns} (TLB shootdown by IPI, as {@code Tlb.tla} states it), sharing a
 * {@code Platform}. Its structural invariants are {@code KernelInvariants} (K-1..K-7; K-8 is
 * raised by the {@code Cpu}); deliberate bugs are {@code KernelBug}. In {@code bench}: the
 * workloads, published measurements and budgets behind {@code mkspec bench cycles}.
 *
 * <p>This module depends on hw-model only; it never imports the abstract model.
 */
package dev.mkspec.kernel;
