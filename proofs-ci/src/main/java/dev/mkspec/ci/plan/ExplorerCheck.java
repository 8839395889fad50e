package dev.mkspec.ci.plan;

import dev.mkspec.check.ExplorationResult;
import dev.mkspec.check.Explorer;
import dev.mkspec.check.ExplorerOptions;
import dev.mkspec.check.ExplorerProgress;
import dev.mkspec.check.ExplorerVerdict;
import dev.mkspec.check.Simulator;
import dev.mkspec.check.ExplorationObserver;
import dev.mkspec.check.StateMachine;
import dev.mkspec.refinement.CounterexampleTraces;
import dev.mkspec.refinement.ExplorerGraph;
import dev.mkspec.refinement.ModelBinding;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tlc.StateGraph;
import dev.mkspec.specs.tlc.TlcVerdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Runs a Java model on the same cfg as a TLC configuration, and judges it against the same
 * expectation: the explorer must reach the verdict and the counts that TLC must reach.
 */
final class ExplorerCheck {
    private final Manifest manifest;
    private final Manifest.Model model;
    private final Manifest.Explorer explorer;
    private final String id;

    ExplorerCheck(Manifest manifest, Manifest.Model model) {
        this.manifest = manifest;
        this.model = model;
        this.explorer = model.explorer().orElseThrow();
        this.id = "explorer:" + manifest.area() + "/" + model.name();
    }

    String id() {
        return id;
    }

    /**
     * What the explorer gave: the judged result, and if it ran, its own result and (when asked
     * for) its state graph.
     */
    record Outcome(CheckResult result, Optional<ExplorationResult<?>> exploration, Optional<StateGraph> graph) {
        static Outcome of(CheckResult r) {
            return new Outcome(r, Optional.empty(), Optional.empty());
        }
    }

    Outcome run(PlanContext context) {
        long start = System.nanoTime();
        String expected = Judgement.describe(model.expect());
        if (TlcCheck.isTemporal(model.expect().result())) {
            return Outcome.of(new CheckResult(id, CheckResult.Kind.EXPLORER, manifest.area(), model.name(),
                    model.profile(), CheckResult.Status.NOT_APPLICABLE, expected, "not checked",
                    List.of(), "liveness stays with TLC: the explorer checks invariants and deadlock only, so this "
                    + "configuration's temporal properties are checked by tlc:" + manifest.area() + "/" + model.name(),
                    OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty(),
                    Duration.ZERO, "mkspec explorer", List.of(), TlcCheck.bounds(model.config()), Optional.empty(),
                    Optional.empty(), Optional.empty()));
        }
        Optional<ModelBinding<?>> binding = context.models().find(explorer.model());
        if (binding.isEmpty()) {
            return Outcome.of(CheckResult.error(id, CheckResult.Kind.EXPLORER, manifest.area(), model.name(),
                    model.profile(), ExitClass.BAD_INPUT, expected, manifest.file() + ": no Java model is named '"
                    + explorer.model() + "'; the models are " + context.models().names(), Duration.ZERO));
        }
        try {
            return run(context, binding.get(), start, expected);
        } catch (MkspecException e) {
            return Outcome.of(CheckResult.error(id, CheckResult.Kind.EXPLORER, manifest.area(), model.name(),
                    model.profile(), e.exitClass(), expected, e.getMessage(), Duration.ofNanos(System.nanoTime() - start)));
        } catch (IllegalArgumentException e) {
            return Outcome.of(CheckResult.error(id, CheckResult.Kind.EXPLORER, manifest.area(), model.name(),
                    model.profile(), ExitClass.BAD_INPUT, expected, e.getMessage(), Duration.ofNanos(System.nanoTime() - start)));
        } catch (java.io.UncheckedIOException e) {
            // the explorer's parent log on disk: the machine's problem, not the model's
            return Outcome.of(CheckResult.error(id, CheckResult.Kind.EXPLORER, manifest.area(), model.name(),
                    model.profile(), ExitClass.TOOL_FAILURE, expected, dev.mkspec.specs.Problem.IO_ERROR.format(e.getMessage()),
                    Duration.ofNanos(System.nanoTime() - start)));
        }
    }

    private <S> Outcome run(PlanContext context, ModelBinding<S> binding, long start, String expected) {
        CfgFile cfg = CfgParser.parse(model.config());
        StateMachine<S> machine = binding.configured(cfg);
        ExplorerOptions options = ExplorerOptions.defaults().withWorkers(context.explorerWorkers())
                .withCheckDeadlock(cfg.checksDeadlock())
                .withTimeout(context.timeout(model.profile(), model.timeout()));
        context.board().update(id, "explorer");
        if (model.simulate().isPresent()) {
            Manifest.Simulate m = model.simulate().get();
            Simulator.Simulation<S> sim = Simulator.simulate(machine, m.depth(),
                    m.traces(), m.seed(), cfg.checksDeadlock(), Optional.of(context.timeout(model.profile(), model.timeout())));
            return new Outcome(judge(context, machine, sim.result(), start, expected), Optional.of(sim.result()),
                    Optional.empty());
        }
        if (explorer.compare().equals("graph")) {
            ExplorerGraph.Recorded<S> recorded = ExplorerGraph.explore(machine, options);
            return new Outcome(judge(context, machine, recorded.result(), start, expected),
                    Optional.of(recorded.result()), Optional.of(recorded.graph()));
        }
        ExplorationResult<S> r = Explorer.explore(machine, options, new ExplorationObserver<>() {
            @Override
            public void progress(ExplorerProgress p) {
                context.board().update(id, String.format("explorer: %,d distinct", p.distinct()));
            }
        });
        return new Outcome(judge(context, machine, r, start, expected), Optional.of(r), Optional.empty());
    }

    private <S> CheckResult judge(PlanContext context, StateMachine<S> machine, ExplorationResult<S> r, long start,
            String expected) {
        Manifest.Expect e = model.expect();
        Judgement j = new Judgement();
        TlcVerdict asTlc = asTlcVerdict(r.verdict());
        ExitClass exit = ExitClass.OK;
        if (!asTlc.satisfies(e.result())) {
            j.fail("result: expected " + e.result() + ", got " + r.verdict().id());
            exit = asTlc.exitClassWhenUnexpected();
        } else {
            Optional<String> violated = r.violatedName();
            if (e.violated().isPresent() && !e.violated().equals(violated)) {
                j.fail("violated: expected " + e.violated().get() + ", got " + violated.orElse("(none)"));
            }
            j.count("distinct states", e.distinctStates(), OptionalLong.of(r.distinctStates()));
            j.count("states generated", e.totalStates(), OptionalLong.of(r.generatedStates()));
            j.count("depth", e.stateDepth(), OptionalLong.of(r.depth()));
            j.count("trace length", e.traceLength(), r.counterexample().map(c -> OptionalInt.of(c.length()))
                    .orElse(OptionalInt.empty()));
            if (!j.ok()) {
                exit = ExitClass.UNEXPECTED;
            }
        }
        TraceFiles files = TraceFiles.write(context, id, CounterexampleTraces.of(machine, r));
        List<String> props = new java.util.ArrayList<>(machine.invariants().stream().map(Object::toString).toList());
        machine.actionProperties().forEach(p -> props.add(p.toString()));
        return new CheckResult(id, CheckResult.Kind.EXPLORER, manifest.area(), model.name(), model.profile(),
                CheckResult.Status.of(exit), expected, r.summaryLine(), j.mismatches(), r.message(),
                OptionalLong.of(r.distinctStates()), OptionalLong.of(r.generatedStates()), OptionalLong.of(r.depth()),
                OptionalDouble.of(r.statesPerSecond()), Duration.ofNanos(System.nanoTime() - start),
                "mkspec explorer (" + r.workers() + " workers)", props, TlcCheck.bounds(model.config()), files.itf(),
                files.text(), Optional.empty(), Optional.of(r.elapsed()),
                Optional.of(new CheckResult.Memory(r.fingerprintBytes(), r.peakHeapBytes(),
                        r.frontier().statesOnDisk(), r.frontier().bytesOnDisk())));
    }

    /** The TLC verdict with the same meaning, so that one manifest expectation judges both tools. */
    static TlcVerdict asTlcVerdict(ExplorerVerdict v) {
        return switch (v) {
            case SUCCESS -> TlcVerdict.SUCCESS;
            case INVARIANT_VIOLATED -> TlcVerdict.INVARIANT_VIOLATED;
            case ACTION_PROPERTY_VIOLATED -> TlcVerdict.ACTION_PROPERTY_VIOLATED;
            case DEADLOCK -> TlcVerdict.DEADLOCK;
            case MODEL_ERROR -> TlcVerdict.EVALUATION_ERROR;
            case TIMEOUT -> TlcVerdict.TIMEOUT;
            case OUT_OF_MEMORY -> TlcVerdict.OUT_OF_MEMORY;
        };
    }
}
