/**
 * Simulated hardware: physical memory, the x86-32 and x86-64
 * page-table formats, the MMU walk ({@code Mmu.translate}), TLBs tagged by ASID or PCID, several
 * CPUs with inter-processor interrupts, first-level caches ({@code Cache}), and {@code CpuProfile}s that hold primitive cycle
 * costs read from data files, each number with its source.
 *
 * <p>This module depends on no other mkspec module. Like seL4's machine interface, it is a small
 * set of operations, each with a contract paragraph.
 */
package dev.mkspec.hw;
