package dev.mkspec.ci.bench;

import dev.mkspec.kernel.CostCategory;
import dev.mkspec.kernel.bench.BenchRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * A stacked bar chart of one profile's rows: one bar per design and workload, stacked by cost
 * category. Written as PNG next to the Markdown table.
 */
public final class CycleChart {
    private CycleChart() {
    }

    /**
     * Writes {@code file} (PNG). Rows with variants (as-switch, map-flush) are left out to keep one
     * bar per design and workload; their tables carry them.
     *
     * @throws Exception when Java cannot render (for instance a headless machine without fonts)
     */
    public static void write(String title, List<BenchRow> rows, Path file) throws Exception {
        List<String> labels = new ArrayList<>();
        List<BenchRow> bars = new ArrayList<>();
        for (BenchRow r : rows) {
            if (r.variant().isEmpty() || r.workload().equals("batch-open")) {
                labels.add(r.workload() + "\n" + r.design());
                bars.add(r);
            }
        }
        if (bars.isEmpty()) {
            return;
        }
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 90 * bars.size())).height(600).title(title)
                .xAxisTitle("workload / design").yAxisTitle("simulated cycles").build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setXAxisLabelRotation(60);
        for (CostCategory c : CostCategory.values()) {
            List<Double> ys = new ArrayList<>();
            boolean any = false;
            for (BenchRow r : bars) {
                double v = r.report().of(c);
                ys.add(v);
                any |= v > 0;
            }
            if (any) {
                List<String> xs = new ArrayList<>();
                for (int i = 0; i < bars.size(); i++) {
                    xs.add(bars.get(i).workload() + " " + bars.get(i).design());
                }
                chart.addSeries(c.label(), xs, ys);
            }
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp.png");
        BitmapEncoder.saveBitmap(chart, tmp.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
