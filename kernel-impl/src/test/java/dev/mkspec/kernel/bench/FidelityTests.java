package dev.mkspec.kernel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.Primitive;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fidelity cannot silently get worse: the median absolute error over every published figure is
 * held to the value recorded in fidelity.json. And the what-if switches that explain the rows
 * measure what they claim to.
 */
class FidelityTests {
    /** Every row that has a published figure. */
    static List<BenchRow> publishedRows() {
        List<BenchRow> rows = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (References.Published p : References.published()) {
            if (seen.contains(p.row())) {
                continue;
            }
            seen.add(p.row());
            String[] k = p.row().split("/");
            for (BenchRow r : CycleBench.run(KernelConfig.of(CpuProfile.load(k[0]), KernelDesign.byKey(k[1])),
                    Workload.byKey(k[2]))) {
                if (r.key().equals(p.row())) {
                    rows.add(r);
                }
            }
        }
        return rows;
    }

    @Test
    void theMedianAbsoluteErrorIsNoWorseThanRecorded() {
        Fidelity.Summary s = Fidelity.summary(Fidelity.compare(publishedRows(), References.published()));
        double recorded = References.fidelityBudget();
        assertEquals(References.published().size(), s.comparisons(), "every published figure is compared");
        assertTrue(s.medianError() <= recorded + 5e-4, String.format(
                "the median absolute error over the published figures is %.4f, worse than the %.4f recorded in fidelity.json; "
                        + "find what moved with ./mkspec bench cycles --fidelity, and fix it (or, when a row became more "
                        + "honest and worse, say why and record the new value)", s.medianError(), recorded));
    }

    @Test
    void aWhatIfMovesARowByExactlyWhatItChanges() {
        CpuProfile p = CpuProfile.load("pentium");
        BenchRow row = CycleBench.run(KernelConfig.of(p, KernelDesign.L4), Workload.IPC_CALL_REPLY).get(0);
        BenchRow free = WhatIf.parse("movCr3=0").rerun(row);
        assertEquals(row.total() - 2 * p.cycles(Primitive.MOV_CR3), free.total(), 1e-9, "a round trip writes CR3 twice");
        BenchRow ideal = WhatIf.parse("cache=ideal").rerun(row);
        assertTrue(ideal.total() <= row.total());
        assertEquals(0, ideal.report().of(dev.mkspec.kernel.CostCategory.CACHE), 1e-9, "no cache miss costs anything");
    }

    @Test
    void aRowIsExplainedOnlyWhenItsMissingMechanismsBringItWithinTolerance() {
        BenchRow row = CycleBench.run(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.L4), Workload.IPC_ONEWAY).get(0);
        double sim = row.total();
        References.Published exact = new References.Published(row.key(), "total", sim, "test", "test", "test", List.of());
        assertEquals(Fidelity.Verdict.WITHIN, Fidelity.compare(row, exact).verdict());
        double slow = CycleBench.run(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.L4).withFastPath(false),
                Workload.IPC_ONEWAY).get(0).total();
        assertTrue(slow > sim * 1.15, "the slow path costs more than 15% more: " + slow + " against " + sim);
        References.Published target = new References.Published(row.key(), "total", slow, "test", "test", "test",
                List.of(new References.Missing("a kernel without the fast path", "fastpath=off")));
        Fidelity.Comparison c = Fidelity.compare(row, target);
        assertEquals(Fidelity.Verdict.EXPLAINED, c.verdict());
        assertEquals(slow - sim, c.missing().get(0).delta(), 1e-9);
        References.Published unexplained = new References.Published(row.key(), "total", slow, "test", "test", "test",
                List.of(new References.Missing("nothing", "cache=full")));
        assertEquals(Fidelity.Verdict.OUTSIDE, Fidelity.compare(row, unexplained).verdict());
    }

    @Test
    void badSwitchesAreRefusedWithWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WhatIf.parse("movCr3"));
        assertTrue(e.getMessage().contains("NAME=VALUE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WhatIf.parse("warp=9"));
        assertTrue(e.getMessage().contains("movCr3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WhatIf.parse("cache=huge"));
        assertTrue(e.getMessage().contains("full"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WhatIf.parse("movCr3=-1"));
        assertFalse(e.getMessage().isBlank());
    }
}
