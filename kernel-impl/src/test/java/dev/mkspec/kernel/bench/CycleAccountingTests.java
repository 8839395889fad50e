package dev.mkspec.kernel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.Primitive;
import dev.mkspec.kernel.CostCategory;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Totals emerge from primitives and simulated misses: moving one primitive moves the totals by
 * exactly what the simulation says it is used, and the workloads show the effects they exist to
 * show. No total is written down anywhere in this test.
 */
class CycleAccountingTests {
    static BenchRow one(KernelConfig c, Workload w) {
        List<BenchRow> rows = CycleBench.run(c, w);
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    static KernelConfig l4(String profile) {
        return KernelConfig.of(CpuProfile.load(profile), KernelDesign.L4);
    }

    @Test
    void aCostlierTrapMovesEveryKernelCallByExactlyTheDifference() {
        CpuProfile p = CpuProfile.load("i486");
        double base = one(l4("i486"), Workload.NULL_SYSCALL).total();
        double moved = one(l4("i486").withProfile(p.with(Primitive.INT, p.cycles(Primitive.INT) + 10)), Workload.NULL_SYSCALL).total();
        assertEquals(base + 10, moved, 1e-9);
        double trap = one(l4("i486"), Workload.NULL_SYSCALL).report().of(CostCategory.TRAP);
        assertEquals(p.cycles(Primitive.INT) + p.cycles(Primitive.IRET), trap, 1e-9, "the trap part is INT + IRET");
    }

    @Test
    void aCostlierCacheMissMovesTotalsInProportionToTheSimulatedMisses() {
        CpuProfile p = CpuProfile.load("pentium");
        KernelConfig mach = KernelConfig.of(p, KernelDesign.MACH);
        BenchRow base = one(mach, Workload.IPC_CALL_REPLY);
        double d = 7;
        BenchRow moved = one(mach.withProfile(p.with(Primitive.CACHE_MISS, p.cycles(Primitive.CACHE_MISS) + d)),
                Workload.IPC_CALL_REPLY);
        long misses = base.report().cacheMisses();
        assertTrue(misses > 0, "a Mach round trip on a Pentium takes cache misses");
        assertTrue(moved.total() > base.total());
        // walks that miss the cache are charged to TLB refills, so the total moves by at least the data/code misses
        assertTrue(moved.total() - base.total() >= misses * d - 1e-9);
    }

    @Test
    void aCostlierCr3WriteMovesCrossSpaceIpcButNotSameSpaceIpc() {
        CpuProfile p = CpuProfile.load("pentium");
        KernelConfig slow = l4("pentium").withProfile(p.with(Primitive.MOV_CR3, p.cycles(Primitive.MOV_CR3) + 100));
        assertEquals(one(l4("pentium"), Workload.IPC_ONEWAY).total() + 100, one(slow, Workload.IPC_ONEWAY).total(), 1e-9);
        assertEquals(one(l4("pentium"), Workload.IPC_SAME_SPACE).total(), one(slow, Workload.IPC_SAME_SPACE).total(), 1e-9);
    }

    @Test
    void theFastPathIsCheaperThanTheSlowPathAndMachIsCostlierStill() {
        double fast = one(l4("pentium"), Workload.IPC_ONEWAY).total();
        double slow = one(l4("pentium").withFastPath(false), Workload.IPC_ONEWAY).total();
        double mach = one(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.MACH), Workload.IPC_ONEWAY).total();
        assertTrue(fast < slow && slow < mach, fast + " < " + slow + " < " + mach);
    }

    @Test
    void anUntaggedTlbPaysRefillsThatGrowWithTheWorkingSetWhilePcidsKeepThem() {
        List<BenchRow> rows = CycleBench.run(l4("haswell"), Workload.AS_SWITCH);
        double prevUntagged = -1;
        for (BenchRow r : rows) {
            if (r.variant().endsWith("untagged")) {
                double tlb = r.report().of(CostCategory.TLB);
                assertTrue(tlb > prevUntagged, r.variant() + ": refills grow with K");
                prevUntagged = tlb;
                String k = r.variant().split(" ")[0];
                BenchRow tagged = rows.stream().filter(x -> x.variant().equals(k + " tagged")).findFirst().orElseThrow();
                assertTrue(tagged.report().of(CostCategory.TLB) < tlb, k + ": PCIDs save refills");
            }
        }
    }

    @Test
    void flushCostGrowsLinearlyInTheMappingsItRemoves() {
        // the flush phase alone, for n pages down d spaces: n * d nodes removed
        double[] perNode = new double[CycleBench.MAP_FLUSH_PAGES.length];
        int depth = 3;
        for (int i = 0; i < CycleBench.MAP_FLUSH_PAGES.length; i++) {
            int n = CycleBench.MAP_FLUSH_PAGES[i];
            var report = CycleBench.mapFlush(l4("pentium"), n, depth).meter().report();
            double flush = report.phases().stream().filter(ph -> ph.label().startsWith("flush") || ph.label().startsWith("Flush")
                    || ph.label().startsWith("flush:")).mapToDouble(ph -> ph.total()).sum();
            perNode[i] = flush / (n * depth);
        }
        // the fixed cost (trap, set-up) is spread thinner as n grows; the marginal cost per node settles
        double marginal1 = (perNode[2] * 16 * depth - perNode[1] * 4 * depth) / (12.0 * depth);
        double marginal2 = (perNode[3] * 64 * depth - perNode[2] * 16 * depth) / (48.0 * depth);
        assertTrue(Math.abs(marginal2 - marginal1) / marginal1 < 0.35,
                "marginal cost per removed node: " + marginal1 + " then " + marginal2);
    }

    @Test
    void tenBatchedRequestsCostLessThanTenCalls() {
        double sync = one(l4("haswell"), Workload.BATCH_OPEN).total();
        double batched = one(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.BATCHED), Workload.BATCH_OPEN).total();
        assertTrue(batched < sync, batched + " < " + sync);
    }

    @Test
    void pageTableIsolationAddsTwoCr3WritesPerKernelEntry() {
        CpuProfile p = CpuProfile.load("skylake");
        BenchRow on = one(l4("skylake").withMitigations(true), Workload.NULL_SYSCALL);
        assertEquals(2 * p.cycles(Primitive.MOV_CR3), on.report().of(CostCategory.MITIGATION), 1e-9);
        assertEquals(0, one(l4("skylake"), Workload.NULL_SYSCALL).report().of(CostCategory.MITIGATION), 1e-9);
    }
}
