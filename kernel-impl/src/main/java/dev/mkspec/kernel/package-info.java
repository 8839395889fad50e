/**
 * The concrete L4-style kernel: {@code Kernel} on a simulated CPU ({@code Cpu}: the hw-model MMU
 * and TLBs of a {@code CpuProfile}, plus first-level caches), every path ({@code Path}) charged
 * through a {@code CycleMeter}; its structural invariants ({@code KernelInvariants}, K-1..K-8);
 * and, in {@code bench}, the workloads, published measurements and budgets behind
 * {@code mkspec bench cycles}.
 *
 * <p>This module depends on hw-model only; it never imports the abstract model.
 */
package dev.mkspec.kernel;
