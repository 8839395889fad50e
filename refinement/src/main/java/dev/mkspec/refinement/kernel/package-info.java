/**
 * Refinement of the cycle-costed kernel ({@code kernel-impl}) by the Java models.
 *
 * <p>By the address-space model: the abstraction function
 * {@link dev.mkspec.refinement.kernel.KernelAbstraction#alpha} from a running
 * {@link dev.mkspec.kernel.Kernel} to an {@link dev.mkspec.model.addressspaces.AddressSpacesState},
 * the check that page tables and TLBs agree with it, the forward simulation
 * ({@link dev.mkspec.refinement.kernel.ForwardSimulation}, driven by
 * {@link dev.mkspec.refinement.kernel.RandomKernelRuns}), the exhaustive comparison
 * ({@link dev.mkspec.refinement.kernel.KernelGraph}) and TLC trace validation
 * ({@link dev.mkspec.refinement.kernel.TraceValidation}).
 *
 * <p>By the IPC model: the abstraction of thread slots, queues, results, registers and
 * notification words ({@link dev.mkspec.refinement.kernel.IpcAbstraction}), the forward
 * simulation ({@link dev.mkspec.refinement.kernel.IpcSimulation}, driven by
 * {@link dev.mkspec.refinement.kernel.RandomIpcRuns}), the exhaustive comparison
 * ({@link dev.mkspec.refinement.kernel.IpcGraph}) and TLC trace validation against
 * {@code IpcTrace.tla} ({@link dev.mkspec.refinement.kernel.IpcTraceValidation}); on several
 * CPUs too, the slots' threads spread over them.
 *
 * <p>By the TLB model, on several CPUs: {@link dev.mkspec.refinement.kernel.TlbRefinement}, the
 * abstraction of page tables, every CPU's TLBs, the kernel's CPU sets and its pending shootdown,
 * and the forward simulation of switches, user accesses, maps, flushes and step boundaries.
 *
 * <p>Against {@code FlushShootdown.tla} (the mapping database and the TLBs together, which has no
 * Java model), on several CPUs: {@link dev.mkspec.refinement.kernel.FlushShootdownTraces} records
 * runs with maps and grants by IPC between any spaces, flushes, unmaps, deletions and IPIs as
 * traces of the spec's variables, and TLC judges them.
 */
package dev.mkspec.refinement.kernel;
