package dev.mkspec.ci.plan;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelBug;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.model.ipc.IpcConstants;
import dev.mkspec.model.tlb.TlbConstants;
import dev.mkspec.refinement.AddressSpacesBinding;
import dev.mkspec.refinement.FlushShootdownBinding;
import dev.mkspec.refinement.IpcBinding;
import dev.mkspec.refinement.TlbBinding;
import dev.mkspec.refinement.kernel.FlushShootdownTraces;
import dev.mkspec.refinement.kernel.IpcGraph;
import dev.mkspec.refinement.kernel.IpcTraceValidation;
import dev.mkspec.refinement.kernel.KernelBounds;
import dev.mkspec.refinement.kernel.KernelGraph;
import dev.mkspec.refinement.kernel.RandomIpcRuns;
import dev.mkspec.refinement.kernel.RandomKernelRuns;
import dev.mkspec.refinement.kernel.TlbRefinement;
import dev.mkspec.refinement.kernel.TraceValidation;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.tla.CfgParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A manifest's kernel check ({@code kernel:AREA/NAME}): the cycle-costed kernel refined to the
 * area's model at the bounds of one of its cfgs, by random hostile system calls ({@code forward}),
 * by exhaustive exploration ({@code graph}), or by TLC validating random runs as traces of the
 * TLA+ spec ({@code trace}). A bug variant ({@code expect: caught}) passes when
 * the check rejects the kernel. Where a check fails, the whole finding (the calls, the abstract
 * states) is written to {@code traces/kernel-AREA-NAME.txt} as well.
 */
final class KernelCheck implements PlanTask {
    /** The kinds of model step a forward run must reach for its verdict to mean anything. */
    static final List<String> FORWARD_REACHES = List.of("SpaceCreate", "SpaceDelete", "SpaceFlush", "SpaceUnmap",
            "SpaceMap from Sigma0", "SpaceMap between user spaces", "SpaceGrant between user spaces");

    private final Manifest manifest;
    private final Manifest.KernelRun run;
    private final String id;

    KernelCheck(Manifest manifest, Manifest.KernelRun run) {
        this.manifest = manifest;
        this.run = run;
        this.id = "kernel:" + manifest.area() + "/" + run.name();
    }

    @Override
    public List<String> ids() {
        return List.of(id);
    }

    @Override
    public List<CheckResult> run(PlanContext context) {
        long start = System.nanoTime();
        String expected = expected();
        try {
            dev.mkspec.specs.tla.CfgFile cfg = CfgParser.parse(run.config());
            KernelConfig config = KernelConfig.of(CpuProfile.load(run.cpu()), KernelDesign.valueOf(run.design()))
                    .withMitigations(run.mitigations()).withBug(KernelBug.valueOf(run.bug())).withCpus(run.cpus());
            if (manifest.area().equals("Tlb")) {
                context.board().update(id, "kernel forward (TLB, several CPUs)");
                if (run.mitigations()) {
                    throw new IllegalArgumentException("the kernel runs several CPUs with mitigations off; remove \"mitigations\"");
                }
                return List.of(tlbForward(context, TlbBinding.constants(cfg), start, expected));
            }
            if (manifest.area().equals("FlushShootdown")) {
                context.board().update(id, "kernel trace (mapping database and TLBs, several CPUs)");
                if (!run.check().equals("trace") || run.mitigations()) {
                    throw new IllegalArgumentException("FlushShootdown has no Java model: its kernel checks are \"check\": "
                            + "\"trace\" (TLC judges recorded runs), with mitigations off");
                }
                return List.of(flushShootdownTrace(context, cfg, start, expected));
            }
            if (manifest.area().equals("Ipc")) {
                context.board().update(id, "kernel " + run.check() + " (IPC)");
                IpcConstants constants = IpcBinding.constants(cfg);
                return List.of(switch (run.check()) {
                    case "graph" -> ipcGraph(context, config, constants, start, expected);
                    case "trace" -> ipcTrace(context, config, constants, cfg, start, expected);
                    default -> ipcForward(context, config, constants, start, expected);
                });
            }
            KernelBounds bounds = KernelBounds.of(AddressSpacesBinding.constants(cfg));
            context.board().update(id, "kernel " + run.check());
            return List.of(switch (run.check()) {
                case "graph" -> graph(context, config, bounds, start, expected);
                case "trace" -> trace(context, config, bounds, cfg, start, expected);
                case "invariants" -> invariants(context, config, bounds, start, expected);
                default -> forward(context, config, bounds, start, expected);
            });
        } catch (MkspecException e) {
            return List.of(error(e.exitClass(), expected, e.getMessage(), start));
        } catch (IllegalArgumentException e) {
            return List.of(error(ExitClass.BAD_INPUT, expected, run.config().getFileName() + ": " + e.getMessage(), start));
        }
    }

    private String expected() {
        String what = switch (run.check()) {
            case "graph" -> "the kernel's abstract state graph equals the model's (every kernel step a model step, every "
                    + "model step realised)";
            case "trace" -> manifest.area().equals("FlushShootdown") ? run.runs() + " random runs of " + run.steps()
                    + " steps of the kernel on several CPUs (switches, user reads, maps and grants by IPC between any spaces, "
                    + "flushes and unmaps, IPIs taken, shootdowns finished), each accepted by TLC as a behaviour of the spec, "
                    + "and every kind of step reached"
                    : run.runs() + " random runs of " + run.steps() + " calls, each accepted by TLC as a behaviour of "
                    + "the spec (the Java model plays no part)";
            case "invariants" -> run.runs() + " runs of " + run.steps() + " random calls, the kernel's own invariants "
                    + "K-1..K-8 holding after every call";
            default -> manifest.area().equals("Tlb") ? run.runs() + " runs of " + run.steps() + " random steps of the kernel "
                    + "on several CPUs (switches, user accesses, Sigma0's maps, flushes, IPIs taken, shootdowns finished), each "
                    + "the Tlb model's step its arguments name (or a stutter), and every kind of step reached"
                    : manifest.area().equals("Ipc") ? run.runs() + " runs of " + run.steps() + " random calls, each call "
                    + "the Ipc model's step by the action its arguments name (or a stutter), the kernel's threads, queues, "
                    + "results, registers and notification words equal to the model's, and every kind of step reached"
                    + (run.cpus() > 1 ? ", with the threads spread over " + run.cpus() + " CPUs" : "")
                    : run.runs() + " runs of " + run.steps() + " random calls, each call a model step or a stutter, the "
                    + "hardware agreeing with the abstraction, and every kind of model step reached";
        };
        return run.expect().equals("caught") ? "the check rejects the kernel built with " + run.bug()
                + run.violates().map(v -> ", first breaking " + v).orElse("") : what;
    }

    private CheckResult graph(PlanContext context, KernelConfig config, KernelBounds bounds, long start, String expected) {
        KernelGraph.Result r = new KernelGraph(config, bounds).compare(line -> context.board().update(id, line));
        String actual = String.format("%,d kernel states, %,d abstract states and %,d abstract steps; the model has %,d and %,d"
                + " (%,d kernels built)", r.kernelStates(), r.abstractStates(), r.abstractEdges(), r.modelStates(),
                r.modelEdges(), r.kernels());
        return judged(context, r.difference(), actual, OptionalLong.of(r.abstractStates()), OptionalLong.of(r.abstractEdges()),
                start, expected);
    }

    private CheckResult forward(PlanContext context, KernelConfig config, KernelBounds bounds, long start, String expected) {
        RandomKernelRuns runs = new RandomKernelRuns(config, bounds);
        return forwardRuns(context, "kernel forward", seed -> {
            RandomKernelRuns.Outcome o = runs.run(seed, run.steps());
            return new Seeded(o.calls(), o.modelSteps(), o.actions(), o.failure());
        }, FORWARD_REACHES, start, expected);
    }

    /** One forward run's figures, whichever model judged it. */
    private record Seeded(int calls, int modelSteps, Map<String, Integer> actions,
            dev.mkspec.refinement.kernel.RefinementFailure failure) {
    }

    /**
     * The manifest's number of forward runs, stopping at the first failure; a passing check must
     * reach every kind of step in {@code reaches}.
     */
    private CheckResult forwardRuns(PlanContext context, String what, java.util.function.LongFunction<Seeded> runSeed,
            List<String> reaches, long start, String expected) {
        Map<String, Integer> reached = new TreeMap<>();
        long calls = 0;
        long steps = 0;
        Optional<String> found = Optional.empty();
        for (long seed = 1; seed <= run.runs() && found.isEmpty(); seed++) {
            Seeded o = runSeed.apply(seed);
            calls += o.calls();
            steps += o.modelSteps();
            o.actions().forEach((a, n) -> reached.merge(a, n, Integer::sum));
            if (o.failure() != null) {
                found = Optional.of("seed " + seed + ": " + o.failure().getMessage());
            }
            if (seed % 50 == 0) {
                context.board().update(id, String.format("%s: %d of %d runs", what, seed, run.runs()));
            }
        }
        String actual = String.format("%,d calls standing for %,d model steps: %s", calls, steps, reached);
        if (found.isEmpty() && run.expect().equals("refines")) {
            List<String> missing = reaches.stream().filter(a -> !reached.containsKey(a)).toList();
            if (!missing.isEmpty()) {
                found = Optional.of("the calls never reached " + missing + ", so the runs cannot judge those steps;"
                        + " raise runs or steps");
            }
        }
        return judged(context, found, actual, OptionalLong.empty(), OptionalLong.of(steps), start, expected);
    }

    private CheckResult ipcGraph(PlanContext context, KernelConfig config, IpcConstants constants, long start,
            String expected) {
        IpcGraph.Result r = new IpcGraph(config, constants).compare(line -> context.board().update(id, line));
        String actual = String.format("%,d kernel states, %,d views and %,d labelled steps; the model has %,d views and %,d"
                + " steps (of %,d states with ghosts) (%,d kernels built)", r.kernelStates(), r.kernelViews(), r.kernelEdges(),
                r.modelViews(), r.modelEdges(), r.modelStates(), r.kernels());
        return judged(context, r.difference(), actual, OptionalLong.of(r.kernelViews()), OptionalLong.of(r.kernelEdges()),
                start, expected);
    }

    private CheckResult ipcTrace(PlanContext context, KernelConfig config, IpcConstants constants,
            dev.mkspec.specs.tla.CfgFile cfg, long start, String expected) {
        RandomIpcRuns runs = new RandomIpcRuns(config, constants);
        IpcTraceValidation tlc = new IpcTraceValidation(context.tlc(), manifest.folder(), manifest.library());
        return traceRuns(context, "kernel trace (IPC)", (seed, dir) -> tlc.check(dir, cfg, runs.trace(seed, run.steps()),
                context.timeout(run.profile(), Optional.empty())), start, expected);
    }

    private CheckResult ipcForward(PlanContext context, KernelConfig config, IpcConstants constants, long start,
            String expected) {
        RandomIpcRuns runs = new RandomIpcRuns(config, constants);
        return forwardRuns(context, "kernel forward (IPC)", seed -> {
            RandomIpcRuns.Outcome o = runs.run(seed, run.steps());
            return new Seeded(o.calls(), o.modelSteps(), o.actions(), o.failure());
        }, RandomIpcRuns.reaches(runs.constants()), start, expected);
    }

    private CheckResult tlbForward(PlanContext context, TlbConstants constants, long start, String expected) {
        String why = TlbRefinement.unrealisable(constants);
        if (why != null) {
            throw new IllegalArgumentException("the kernel cannot realise these constants: " + why);
        }
        CpuProfile profile = CpuProfile.load(run.cpu());
        KernelBug bug = KernelBug.valueOf(run.bug());
        return forwardRuns(context, "kernel forward (TLB)", seed -> {
            TlbRefinement.Result r = TlbRefinement.run(constants, profile, bug, seed, run.steps());
            return new Seeded(r.steps(), r.modelSteps(), r.counts(), r.failure());
        }, TlbRefinement.reaches(constants), start, expected);
    }

    private CheckResult invariants(PlanContext context, KernelConfig config, KernelBounds bounds, long start, String expected) {
        RandomKernelRuns runs = new RandomKernelRuns(config, bounds);
        long calls = 0;
        Optional<String> found = Optional.empty();
        Optional<String> broken = Optional.empty();
        for (long seed = 1; seed <= run.runs() && found.isEmpty(); seed++) {
            RandomKernelRuns.Outcome o = runs.runInvariants(seed, run.steps());
            calls += o.calls();
            if (!o.ok()) {
                found = Optional.of("seed " + seed + ": " + o.failure().getMessage());
                broken = Optional.of(o.failure().check());
            }
        }
        String actual = String.format("%,d calls%s", calls, broken.map(b -> "; " + b + " broken").orElse(", every invariant holding"));
        if (found.isPresent() && run.violates().isPresent() && !run.violates().equals(broken)) {
            String m = "the run broke " + broken.get() + " first, not " + run.violates().orElseThrow();
            return result(false, List.of(m), m, actual, OptionalLong.empty(), OptionalLong.empty(), start, expected,
                    write(context, found.get()));
        }
        return judged(context, found, actual, OptionalLong.empty(), OptionalLong.empty(), start, expected);
    }

    private CheckResult trace(PlanContext context, KernelConfig config, KernelBounds bounds, dev.mkspec.specs.tla.CfgFile cfg,
            long start, String expected) {
        RandomKernelRuns runs = new RandomKernelRuns(config, bounds);
        TraceValidation tlc = new TraceValidation(context.tlc(), manifest.folder());
        return traceRuns(context, "kernel trace", (seed, dir) -> tlc.check(dir, bounds, cfg, runs.trace(seed, run.steps()),
                context.timeout(run.profile(), Optional.empty())), start, expected);
    }

    /**
     * The kernel on several CPUs with maps between user spaces, each run judged by TLC against
     * FlushShootdown.tla; a passing check must also reach every kind of step, a shootdown whose
     * IPIs go beyond the caller's own CPUs among them.
     */
    private CheckResult flushShootdownTrace(PlanContext context, dev.mkspec.specs.tla.CfgFile cfg, long start,
            String expected) {
        FlushShootdownTraces traces = FlushShootdownBinding.traces(cfg, CpuProfile.load(run.cpu()),
                KernelBug.valueOf(run.bug()));
        Path dir = context.out().resolve("kernel-traces").resolve(PlanContext.fileName(id));
        Map<String, Integer> reached = new TreeMap<>();
        long events = 0;
        int accepted = 0;
        Optional<String> found = Optional.empty();
        for (long seed = 1; seed <= run.runs() && found.isEmpty(); seed++) {
            context.board().update(id, String.format("kernel trace (FlushShootdown) %d of %d: TLC", seed, run.runs()));
            FlushShootdownTraces.Recorded r;
            try {
                r = traces.trace(seed, run.steps());
            } catch (dev.mkspec.refinement.kernel.RefinementFailure f) {
                // the kernel threw, refused a call the run needs, or left the abstraction's bounds
                found = Optional.of("seed " + seed + ": the run could not be recorded: " + f.getMessage());
                break;
            }
            r.counts().forEach((a, n) -> reached.merge(a, n, Integer::sum));
            dev.mkspec.specs.tlc.TraceValidator.Verdict v = traces.check(context.tlc(), manifest.folder(), manifest.library(),
                    dir.resolve("seed" + seed), cfg, r, context.timeout(run.profile(), Optional.empty()));
            events += v.states();
            if (v.accepted()) {
                accepted++;
            } else {
                found = Optional.of("seed " + seed + ": " + v.message() + " (" + v.module() + ")\nthe run's steps:\n  "
                        + String.join("\n  ", r.steps()));
            }
        }
        if (found.isEmpty() && run.expect().equals("refines")) {
            List<String> missing = FlushShootdownTraces.REACHES.stream().filter(a -> !reached.containsKey(a)).toList();
            if (!missing.isEmpty()) {
                found = Optional.of("the runs never reached " + missing + ", so they cannot judge those steps; raise runs or steps");
            }
        }
        String actual = String.format("%d of %d traces (%,d states) accepted by TLC, steps %s; the traces (ITF) and modules"
                + " are in %s", accepted, run.runs(), events, reached, dir);
        return judged(context, found, actual, OptionalLong.empty(), OptionalLong.of(events), start, expected);
    }

    /** Records seed {@code seed}'s run and has TLC validate it in {@code dir}. */
    private interface SeedTrace {
        dev.mkspec.specs.tlc.TraceValidator.Verdict check(long seed, Path dir);
    }

    /** The manifest's number of runs, each recorded and validated by TLC, stopping at the first rejection. */
    private CheckResult traceRuns(PlanContext context, String what, SeedTrace validate, long start, String expected) {
        Path dir = context.out().resolve("kernel-traces").resolve(PlanContext.fileName(id));
        long events = 0;
        int accepted = 0;
        Optional<String> found = Optional.empty();
        for (long seed = 1; seed <= run.runs() && found.isEmpty(); seed++) {
            context.board().update(id, String.format("%s %d of %d: TLC", what, seed, run.runs()));
            dev.mkspec.specs.tlc.TraceValidator.Verdict v;
            try {
                v = validate.check(seed, dir.resolve("seed" + seed));
            } catch (dev.mkspec.refinement.kernel.RefinementFailure f) {
                found = Optional.of("seed " + seed + ": the run could not be recorded: " + f.getMessage());
                break;
            }
            events += v.states();
            if (v.accepted()) {
                accepted++;
            } else {
                found = Optional.of("seed " + seed + ": " + v.message() + " (" + v.module() + ")");
            }
        }
        String actual = String.format("%d of %d traces (%,d states) accepted by TLC; the traces (ITF) and modules are in %s",
                accepted, run.runs(), events, dir);
        return judged(context, found, actual, OptionalLong.empty(), OptionalLong.of(events), start, expected);
    }

    private CheckResult judged(PlanContext context, Optional<String> finding, String actual, OptionalLong states,
            OptionalLong edges, long start, String expected) {
        boolean caught = finding.isPresent();
        boolean ok = caught == run.expect().equals("caught");
        List<String> mismatches = new ArrayList<>();
        String message;
        Optional<Path> text = Optional.empty();
        if (caught) {
            text = write(context, finding.get());
            String first = finding.get().lines().findFirst().orElse("");
            message = (ok ? "caught, as expected: " : "") + first;
            if (!ok) {
                mismatches.add(first);
            }
        } else {
            message = ok ? "" : run.bug() + " was not caught";
            if (!ok) {
                mismatches.add(message);
            }
        }
        return result(ok, mismatches, message, actual, states, edges, start, expected, text);
    }

    private CheckResult result(boolean ok, List<String> mismatches, String message, String actual, OptionalLong states,
            OptionalLong edges, long start, String expected, Optional<Path> text) {
        return new CheckResult(id, CheckResult.Kind.KERNEL, manifest.area(), run.name(), run.profile(),
                ok ? CheckResult.Status.PASSED : CheckResult.Status.FAILED, expected, actual, mismatches, message, states,
                edges, OptionalLong.empty(), OptionalDouble.empty(), Duration.ofNanos(System.nanoTime() - start),
                "mkspec kernel " + run.check() + " (" + run.cpu() + ", " + run.design() + (run.mitigations() ? ", KPTI" : "")
                        + ")", List.of(), bounds(), Optional.empty(), text, Optional.empty());
    }

    private String bounds() {
        return run.config().getFileName().toString();
    }

    private Optional<Path> write(PlanContext context, String finding) {
        Path f = context.traceFile(id, ".txt");
        try {
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.writeString(tmp, finding + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(f);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private CheckResult error(ExitClass exit, String expected, String message, long start) {
        return CheckResult.error(id, CheckResult.Kind.KERNEL, manifest.area(), run.name(), run.profile(), exit, expected,
                message, Duration.ofNanos(System.nanoTime() - start));
    }
}
