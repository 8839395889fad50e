package dev.mkspec.ci.cli;

import dev.mkspec.ci.bench.CycleChart;
import dev.mkspec.ci.bench.CycleTables;
import dev.mkspec.ci.report.AtomicFiles;
import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.kernel.bench.BenchRow;
import dev.mkspec.kernel.bench.CycleBench;
import dev.mkspec.kernel.bench.Fidelity;
import dev.mkspec.kernel.bench.References;
import dev.mkspec.kernel.bench.WhatIf;
import dev.mkspec.kernel.bench.Workload;
import dev.mkspec.specs.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkspec bench cycles}: simulated cycle costs of each kernel design's paths. */
@Command(name = "cycles", sortOptions = false,
        description = {"Run the kernel (kernel-impl) on the simulated MMU, TLBs and caches of each CPU profile and report "
                + "what each workload costs each kernel design in cycles, broken down by category.",
            "Every cycle comes from a kernel path's declared instructions priced by the profile, or from a TLB or cache "
                    + "miss the simulation took; no total is typed in anywhere.",
            "Writes cycles.md, cycles.json and one PNG bar chart per profile under --out (default target/mkspec/bench-cycles)."})
public final class CyclesCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--profile", paramLabel = "P", split = ",",
            description = "CPU profiles: i486, pentium, haswell, skylake, or a JSON file (default: all four).")
    List<String> profiles;

    @Option(names = "--design", paramLabel = "D", split = ",",
            description = "Kernel designs (default: all): monolithic, l4, mach, l4linux, l4linux-emu, mklinux-inkernel, mklinux-user, batched, l4-small, vst.")
    List<String> designs;

    @Option(names = "--workload", paramLabel = "W", split = ",",
            description = "Workloads (default: all): null-syscall, ipc-oneway, ipc-same-space, ipc-call-reply, getpid, as-switch, map-flush, batch-open, shootdown.")
    List<String> workloads;

    @Option(names = "--mitigations", paramLabel = "off|on|both", defaultValue = "off",
            description = "Page-table isolation (KPTI) on the profiles that allow it (default off).")
    String mitigations;

    @Option(names = "--format", paramLabel = "table|json|csv", defaultValue = "table", description = "Output format (default table).")
    String format;

    @Option(names = "--compare", description = "Put each row's published measurement, the simulated/published ratio and the "
            + "assumed primitives it depends on for more than 10%% beside it, then each published figure's provenance "
            + "(as --fidelity).")
    boolean compare;

    @Option(names = "--fidelity", description = "Hold every row that has a published figure against it: the ratio, the three "
            + "what-if switches that move it most, the assumed primitives it depends on for more than 10%%, the mechanisms "
            + "published.json says this kernel lacks (each measured by its switch), and the median absolute error.")
    boolean fidelity;

    @Option(names = "--cache-model", paramLabel = "as-profile|full|direct|ideal|cold", defaultValue = "as-profile",
            description = "Run on the profile's caches (default), the same caches fully associative (no conflict misses), "
                    + "direct-mapped, ideal (every access hits), or cold (caches and TLBs emptied before the measured run).")
    String cacheModel;

    @Option(names = "--what-if", paramLabel = "NAME=VALUE", split = ",",
            description = "Re-run every row with a change: PRIMITIVE=CYCLES (e.g. movCr3=0, pairing=0), cache=full, "
                    + "fastpath=off, dualissue=off (no instruction pairing), multiclock=off (every instruction priced by its class: "
                    + "no multi-clock instructions, prefix clocks or address-generation interlocks), capdecode=on (seL4's capability naming on the IPC "
                    + "fast path; haswell and skylake only), l4=pistachio|liedtke96|liedtke97 (which L4 kernel's code prices "
                    + "the L4 designs; by default the one measured on the profile). Several apply in order.")
    List<String> whatIfs;

    @Option(names = "--breakdown", description = "Print the client | cycles | server breakdown of every row (the default when 8 rows or fewer).")
    boolean breakdown;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write cycles.md, cycles.json and the charts (default target/mkspec/bench-cycles).")
    Path out;

    @Option(names = "--no-files", description = "Print only; write no files.")
    boolean noFiles;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (out != null && java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
            throw Problem.INVALID_OPTION.exception("--out " + out + " is a file; name a folder for cycles.md, cycles.json "
                    + "and the charts");
        }
        if (!List.of("table", "json", "csv").contains(format)) {
            throw Problem.INVALID_OPTION.exception("--format must be table, json or csv, not '" + format + "'");
        }
        if (fidelity && format.equals("csv")) {
            throw Problem.INVALID_OPTION.exception("--fidelity has no CSV form (its provenance is nested); use --format json "
                    + "or table");
        }
        if (!List.of("off", "on", "both").contains(mitigations)) {
            throw Problem.INVALID_OPTION.exception("--mitigations must be off, on or both, not '" + mitigations + "'");
        }
        List<CpuProfile> ps = new ArrayList<>();
        for (String p : profiles == null ? CpuProfile.BUILT_IN : profiles) {
            if (!CpuProfile.BUILT_IN.contains(p)) {
                if (!p.endsWith(".json") && !p.contains("/") && !p.contains(java.io.File.separator)) {
                    throw Problem.INVALID_OPTION.exception("--profile '" + p + "' is neither a built-in profile ("
                            + String.join(", ", CpuProfile.BUILT_IN) + ") nor a .json file");
                }
                dev.mkspec.specs.InputFiles.requireFile(Path.of(p), "the CPU profile given with --profile");
            }
            try {
                ps.add(CpuProfile.load(p));
            } catch (IllegalArgumentException e) {
                throw Problem.CPU_PROFILE_INVALID.exception(e.getMessage());
            }
        }
        java.util.function.UnaryOperator<dev.mkspec.kernel.KernelConfig> change = c -> c;
        List<String> applied = new ArrayList<>();
        try {
            List<String> specs = new ArrayList<>();
            if (!cacheModel.equals("as-profile")) {
                specs.add("cache=" + cacheModel);
            }
            if (whatIfs != null) {
                specs.addAll(whatIfs);
            }
            for (String x : specs) {
                if (x.trim().startsWith("design=")) {
                    throw new IllegalArgumentException("--what-if " + x + ": choose designs with --design; design= is "
                            + "for the missing mechanisms of published.json, where it re-runs one row as another design");
                }
                WhatIf wi = WhatIf.parse(x);
                java.util.function.UnaryOperator<dev.mkspec.kernel.KernelConfig> before = change;
                change = c -> wi.change().apply(before.apply(c));
                applied.add(wi.spec());
            }
        } catch (IllegalArgumentException e) {
            throw Problem.INVALID_OPTION.exception(e.getMessage());
        }
        List<KernelDesign> ds = new ArrayList<>();
        List<Workload> ws = new ArrayList<>();
        try {
            for (String d : designs == null ? keys(KernelDesign.values()) : designs) {
                ds.add(KernelDesign.byKey(d));
            }
            for (String x : workloads == null ? workloadKeys() : workloads) {
                ws.add(Workload.byKey(x));
            }
        } catch (IllegalArgumentException e) {
            throw Problem.INVALID_OPTION.exception(e.getMessage());
        }
        List<BenchRow> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            if (!mitigations.equals("on")) {
                rows.addAll(CycleBench.runAll(ps, ds, ws, false, change));
            }
            if (!mitigations.equals("off")) {
                rows.addAll(CycleBench.runAll(ps, ds, ws, true, change));
            }
        } catch (IllegalArgumentException e) {
            throw Problem.INVALID_OPTION.exception("the what-if switches " + applied + " make an impossible kernel: "
                    + e.getMessage());
        }
        for (KernelDesign d : ds) {
            if (designs != null && ps.stream().noneMatch(d::runsOn)) {
                throw Problem.INVALID_OPTION.exception("the " + d.key() + " design runs on none of the profiles " + ps.stream()
                        .map(CpuProfile::name).toList() + ": it confines small spaces with x86-32 segments; add --profile "
                        + "i486 or pentium");
            }
        }
        if (rows.isEmpty()) {
            throw Problem.INVALID_OPTION.exception("no workload of " + ws + " applies to the designs " + ds
                    + (mitigations.equals("on") ? " on a profile that allows mitigations" : "")
                    + "; see README 'mkspec bench cycles' for which designs each workload runs");
        }
        List<References.Published> published = References.published();
        List<References.Published> cmp = compare || fidelity ? published : null;
        List<Fidelity.Comparison> comparisons = cmp == null ? null : Fidelity.compare(rows, published);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("profiles", ps.stream().map(CpuProfile::name).toList());
        meta.put("mitigations", mitigations);
        meta.put("whatIf", applied);
        meta.put("simulationMillis", (System.nanoTime() - t0) / 1_000_000);
        switch (format) {
            case "json" -> w.println(CycleTables.json(rows, comparisons, fidelity, meta));
            case "csv" -> w.print(CycleTables.csv(rows, cmp));
            default -> {
                if (!applied.isEmpty()) {
                    w.println("what-if: " + String.join(", ", applied));
                }
                w.print(CycleTables.summary(rows, false, cmp));
                if (comparisons != null) {
                    // --compare and --fidelity: each published figure with its measured provenance, and the summary
                    w.println();
                    w.print(CycleTables.fidelity(comparisons, false));
                }
                if (breakdown || rows.size() <= 8) {
                    List<List<BenchRow>> caches = cacheWhatIfs(rows);
                    for (int i = 0; i < rows.size(); i++) {
                        w.println();
                        w.print(CycleTables.breakdown(rows.get(i), false));
                        w.println(CycleTables.cacheLine(rows.get(i), CACHE_WHAT_IFS, caches, i));
                    }
                } else {
                    w.println("(" + rows.size() + " rows; --breakdown prints the client | cycles | server table of each)");
                }
            }
        }
        w.flush();
        if (!noFiles) {
            // "wrote ..." and warnings go to stderr, so that --format json and csv print only data.
            writeFiles(rows, published, comparisons == null ? Fidelity.compare(rows, published) : comparisons, meta,
                    spec.commandLine().getErr());
        }
        return 0;
    }

    /** The cache models --breakdown re-runs every row under. */
    static final List<String> CACHE_WHAT_IFS = List.of("cache=full", "cache=direct", "cache=ideal", "cache=cold");

    private static List<List<BenchRow>> cacheWhatIfs(List<BenchRow> rows) {
        List<List<BenchRow>> out = new ArrayList<>();
        for (String c : CACHE_WHAT_IFS) {
            out.add(WhatIf.parse(c).rerun(rows));
        }
        return out;
    }

    private void writeFiles(List<BenchRow> rows, List<References.Published> published, List<Fidelity.Comparison> comparisons,
            Map<String, Object> meta, PrintWriter w) {
        Path dir = (out == null ? Path.of("target", "mkspec", "bench-cycles") : out).toAbsolutePath().normalize();
        StringBuilder md = new StringBuilder("# Simulated cycles\n\nProduced by `./mkspec bench cycles`; every figure comes "
                + "from simulating kernel-impl on the profile (see README, \"What the numbers say\").\n\n");
        md.append(CycleTables.summary(rows, true, published)).append('\n');
        md.append(CycleTables.fidelity(comparisons, true)).append('\n');
        for (BenchRow r : rows) {
            md.append(CycleTables.breakdown(r, true)).append('\n');
        }
        AtomicFiles.write(dir.resolve("cycles.md"), md.toString());
        AtomicFiles.write(dir.resolve("cycles.json"), CycleTables.json(rows, comparisons, true, meta));
        List<String> charts = new ArrayList<>();
        for (Map.Entry<String, List<BenchRow>> e : CycleTables.byProfile(rows).entrySet()) {
            Path png = dir.resolve("cycles-" + e.getKey() + ".png");
            try {
                CycleChart.write("Simulated cycles on " + e.getKey(), e.getValue(), png);
                charts.add(png.getFileName().toString());
            } catch (Exception | Error ex) {
                w.println("warning: the chart " + png + " was not written (" + ex + "); on a headless machine install a font "
                        + "(apt-get install fontconfig fonts-dejavu-core). The tables are complete.");
            }
        }
        w.println("wrote " + dir.resolve("cycles.md") + ", cycles.json" + (charts.isEmpty() ? "" : ", " + String.join(", ", charts)));
        w.flush();
    }

    private static List<String> keys(KernelDesign[] ds) {
        List<String> out = new ArrayList<>();
        for (KernelDesign d : ds) {
            out.add(d.key());
        }
        return out;
    }

    private static List<String> workloadKeys() {
        List<String> out = new ArrayList<>();
        for (Workload x : Workload.values()) {
            out.add(x.key());
        }
        return out;
    }
}
