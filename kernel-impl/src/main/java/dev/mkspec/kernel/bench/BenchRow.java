package dev.mkspec.kernel.bench;

import dev.mkspec.kernel.CycleReport;
import dev.mkspec.kernel.KernelConfig;

/**
 * One measured row: a workload run by a design on a profile, with its cycle breakdown.
 *
 * @param profile the CPU profile's name
 * @param design the design's key
 * @param workload the workload's key
 * @param variant the workload's parameters ("" when it has none), e.g. {@code "K=16 tagged"}
 * @param mitigations whether page-table isolation was on
 * @param report the phases and their cycles
 * @param removed for map-flush, the mapping nodes the flush removed; otherwise 0
 * @param config the kernel the row was measured on (a what-if switch re-runs the row on a changed copy)
 */
public record BenchRow(String profile, String design, String workload, String variant, boolean mitigations,
        CycleReport report, long removed, KernelConfig config) {
    /** A key that identifies the row in budgets and published measurements. */
    public String key() {
        return profile + "/" + design + "/" + workload + (variant.isEmpty() ? "" : "/" + variant)
                + (mitigations ? "/kpti" : "");
    }

    public double total() {
        return report.total();
    }
}
