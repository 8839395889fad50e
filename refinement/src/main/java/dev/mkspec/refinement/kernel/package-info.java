/**
 * Refinement of the cycle-costed kernel ({@code kernel-impl}) by the address-space model: the
 * abstraction function {@link dev.mkspec.refinement.kernel.KernelAbstraction#alpha} from a running
 * {@link dev.mkspec.kernel.Kernel} to an {@link dev.mkspec.model.addressspaces.AddressSpacesState},
 * the check that page tables and TLBs agree with it, and the forward simulation
 * ({@link dev.mkspec.refinement.kernel.ForwardSimulation}) that checks every system call against
 * the model action it stands for, driven by random hostile calls
 * ({@link dev.mkspec.refinement.kernel.RandomKernelRuns}).
 */
package dev.mkspec.refinement.kernel;
