/**
 * TLBs on several CPUs and the kernel protocol that keeps them invisible, as a state machine that
 * mirrors {@code specs/tla/Tlb/Tlb.tla}: fills and evictions at the hardware's whim, map, unmap
 * and rights downgrade with shootdown, context switches, and ASID allocation with rollover, with
 * the invariants {@code TLB-1} to {@code TLB-6}.
 */
package dev.mkspec.model.tlb;
