package dev.mkspec.kernel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The budgets of budgets.json hold, and a slower kernel would break them. */
class BudgetTests {
    static List<BenchRow> budgetedRows(java.util.function.UnaryOperator<KernelConfig> change) {
        List<BenchRow> rows = new ArrayList<>();
        for (References.Budget b : References.budgets()) {
            String[] k = b.row().split("/");
            KernelConfig c = change.apply(KernelConfig.of(CpuProfile.load(k[0]), KernelDesign.byKey(k[1])));
            List<BenchRow> got = CycleBench.run(c, Workload.byKey(k[2]));
            assertFalse(got.stream().noneMatch(r -> r.key().equals(b.row())), "budget row " + b.row() + " is not produced");
            rows.addAll(got);
        }
        return rows;
    }

    @Test
    void everyBudgetHolds() {
        List<String> over = References.overBudget(budgetedRows(c -> c), References.budgets());
        assertEquals(List.of(), over);
    }

    @Test
    void aKernelWithoutItsFastPathBreaksTheIpcBudgets() {
        List<String> over = References.overBudget(budgetedRows(c -> c.withFastPath(false)), References.budgets());
        assertTrue(over.stream().anyMatch(s -> s.startsWith("pentium/l4/ipc-oneway")), String.valueOf(over));
    }

    @Test
    void everyPublishedMeasurementNamesARowTheBenchProduces() {
        for (References.Published p : References.published()) {
            String[] k = p.row().split("/");
            List<BenchRow> got = CycleBench.run(KernelConfig.of(CpuProfile.load(k[0]), KernelDesign.byKey(k[1])),
                    Workload.byKey(k[2]));
            BenchRow r = got.stream().filter(x -> x.key().equals(p.row())).findFirst()
                    .orElseThrow(() -> new AssertionError(p.row() + " is not produced by the bench"));
            assertTrue(p.simulated(r) > 0, p.row());
            assertFalse(p.source().isBlank());
        }
    }
}
