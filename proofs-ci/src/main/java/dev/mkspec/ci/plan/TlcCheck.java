package dev.mkspec.ci.plan;

import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tlc.DistributedProperties;
import dev.mkspec.specs.tlc.TlcListener;
import dev.mkspec.specs.tlc.TlcProgress;
import dev.mkspec.specs.tlc.TlcRequest;
import dev.mkspec.specs.tlc.TlcResult;
import dev.mkspec.specs.tlc.TlcVerdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Runs TLC on one configuration of a manifest and judges the verdict and counts. */
final class TlcCheck {
    private final Manifest manifest;
    private final Manifest.Model model;
    private final String id;

    TlcCheck(Manifest manifest, Manifest.Model model) {
        this.manifest = manifest;
        this.model = model;
        this.id = "tlc:" + manifest.area() + "/" + model.name();
    }

    String id() {
        return id;
    }

    /** What the TLC run gave: the judged result, and TLC's own result if TLC ran. */
    record Outcome(CheckResult result, Optional<TlcResult> tlc) {
    }

    /** Where the state graph goes when an explorer check compares graphs with it. */
    static Path graphFile(PlanContext context, String area, String name) {
        return context.out().resolve("graphs").resolve(PlanContext.fileName(area + "-" + name) + ".dot");
    }

    Outcome run(PlanContext context) {
        long start = System.nanoTime();
        Duration timeout = context.timeout(model.profile(), model.timeout());
        TlcRequest request = TlcRequest.of(model.spec()).withConfig(model.config())
                .withWorkers(model.workers().orElse(0)).withTimeout(timeout)
                .withRunDirectory(context.out().resolve("runs").resolve(PlanContext.fileName(id)))
                .withLog(context.out().resolve("logs").resolve(PlanContext.fileName(id) + ".log"))
                .withLibraryPaths(manifest.library());
        if (model.heap().isPresent()) {
            request = request.withHeap(model.heap().get());
        }
        // A search that stops at its first safety violation (a bug variant) is mostly start-up and
        // parsing: the optimizing compiler costs more CPU than it gives back (README, "Set up").
        // A liveness check explores the whole graph first, so it keeps it.
        String result = model.expect().result().trim();
        if (!result.equalsIgnoreCase("success") && !isTemporal(result)) {
            request = request.withQuickStart(true);
        }
        if (model.simulate().isPresent()) {
            Manifest.Simulate m = model.simulate().get();
            request = request.withSimulation(new TlcRequest.Simulation(m.depth(), m.seed(), Optional.of(m.traces())));
        }
        if (context.coverage().map(c -> c.collects(model)).orElse(false)) {
            // Reported once, when TLC stops: a report at every interval would cost more.
            request = request.withCoverage(TlcRequest.COVERAGE_AT_END);
        }
        if (model.explorer().map(x -> x.compare().equals("graph")).orElse(false)) {
            request = request.withDumpDot(graphFile(context, manifest.area(), model.name()));
        }
        Optional<String> singleProcess = Optional.empty();
        if (context.distributedWorkers() > 0 && model.simulate().isPresent()) {
            singleProcess = Optional.of("one process: a simulation, which the distributed server does not run");
        } else if (context.distributedWorkers() > 0) {
            List<String> skipped;
            try {
                skipped = DistributedProperties.notChecked(request);
            } catch (MkspecException e) {
                // A configuration that does not parse: TLC, as one process, says so below.
                skipped = List.of("(a configuration mkspec cannot read)");
            }
            if (request.dumpDot().isPresent()) {
                singleProcess = Optional.of("one process: its explorer check compares state graphs, which the "
                        + "distributed server does not write");
            } else if (!skipped.isEmpty()) {
                singleProcess = Optional.of("one process: the distributed server drops " + String.join(", ", skipped)
                        + ", which " + (skipped.size() == 1 ? "is" : "are") + " not of the form [][A]_v");
            } else {
                request = request.withDistributed(TlcRequest.Distributed.loopback(context.distributedWorkers()));
            }
        }
        boolean distributed = request.distributed().isPresent();
        String expected = Judgement.describe(model.expect());
        TlcResult r;
        try {
            r = context.tlc().run(request, new TlcListener() {
                @Override
                public void progress(TlcProgress p) {
                    context.board().update(id, p.distinct() >= 0 ? String.format("%,d distinct", p.distinct()) : p.phase());
                }
            });
        } catch (MkspecException e) {
            context.coverage().ifPresent(c -> c.record(manifest, model, id, Optional.empty()));
            return new Outcome(CheckResult.error(id, CheckResult.Kind.TLC, manifest.area(), model.name(),
                    model.profile(), e.exitClass(), expected, e.getMessage(), Duration.ofNanos(System.nanoTime() - start)),
                    Optional.empty());
        }

        TlcResult finished = r;
        context.coverage().ifPresent(c -> c.record(manifest, model, id, Optional.of(finished)));
        Judgement j = new Judgement();
        Manifest.Expect e = model.expect();
        ExitClass exit = ExitClass.OK;
        if (!r.verdict().satisfies(e.result())) {
            j.fail("result: expected " + e.result() + ", got " + r.verdict().id());
            exit = r.verdict().exitClassWhenUnexpected();
        } else {
            if (e.violated().isPresent() && !e.violated().equals(r.violated())) {
                j.fail("violated: expected " + e.violated().get() + ", got " + r.violated().orElse("(none named)"));
            }
            j.count("distinct states", e.distinctStates(), r.distinctStates());
            if (!distributed) {
                // The distributed server counts a state each time a worker sends it (again after a lost
                // worker) and its depth one level apart on some models: only distinct states compare.
                j.count("states generated", e.totalStates(), r.generatedStates());
                j.count("depth", e.stateDepth(), r.depth());
            }
            j.count("trace length", e.traceLength(), r.trace().map(t -> OptionalInt.of(t.length())).orElse(OptionalInt.empty()));
            if (!j.ok()) {
                exit = ExitClass.UNEXPECTED;
            }
        }
        if (exit == ExitClass.OK && !CoverageCollector.expectsSuccess(model)) {
            context.coverage().ifPresent(c -> c.recordVariant(manifest, model, id));
        }
        TraceFiles files = TraceFiles.write(context, id, r.trace());
        double seconds = r.elapsed().toNanos() / 1e9;
        OptionalDouble rate = r.distinctStates().isPresent() && seconds > 0
                ? OptionalDouble.of(r.distinctStates().getAsLong() / seconds) : OptionalDouble.empty();
        String actual = r.summaryLine() + (distributed ? " (distributed TLC, " + context.distributedWorkers()
                + " local workers; generated states and depth not compared)" : singleProcess.map(n -> " (" + n + ")")
                        .orElse(""));
        return new Outcome(new CheckResult(id, CheckResult.Kind.TLC, manifest.area(), model.name(), model.profile(),
                CheckResult.Status.of(exit), expected, actual, j.mismatches(), r.message(), r.distinctStates(),
                r.generatedStates(), r.depth(), rate, Duration.ofNanos(System.nanoTime() - start), r.tlcVersion(),
                properties(model.config()), bounds(model.config()), files.itf(), files.text(), r.log(),
                Optional.of(r.tlcReportedMillis().isPresent() ? Duration.ofMillis(r.tlcReportedMillis().getAsLong())
                        : r.elapsed())), Optional.of(r));
    }

    /** The invariants and properties the cfg asks TLC to check. */
    static List<String> properties(Path config) {
        try {
            CfgFile cfg = CfgParser.parse(config);
            List<String> out = new ArrayList<>(cfg.invariants());
            out.addAll(cfg.properties());
            return out;
        } catch (MkspecException e) {
            return List.of();
        }
    }

    /** The cfg's constants in one line, e.g. {@code Spaces = {s1, s2}, NPages = 2}; model values left out. */
    static String bounds(Path config) {
        try {
            CfgFile cfg = CfgParser.parse(config);
            List<String> parts = new ArrayList<>();
            cfg.constants().entrySet().stream()
                    .filter(e -> !(e.getValue() instanceof dev.mkspec.specs.tla.TlaValue.ModelValue m
                            && m.name().equals(e.getKey())))
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> parts.add(e.getKey() + " = " + e.getValue().toTla()));
            cfg.symmetry().ifPresent(sym -> parts.add("SYMMETRY " + sym));
            return String.join(", ", parts);
        } catch (MkspecException e) {
            return "";
        }
    }

    /** Whether a verdict name is about temporal properties, which the explorer does not check. */
    static boolean isTemporal(String result) {
        return TlcVerdict.TEMPORAL_PROPERTY_VIOLATED.satisfies(result) && !TlcVerdict.ACTION_PROPERTY_VIOLATED.satisfies(result)
                || result.trim().equalsIgnoreCase("liveness failure");
    }
}
