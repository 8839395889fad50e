package dev.mkspec.ci.plan;

import dev.mkspec.check.ExplorationResult;
import dev.mkspec.refinement.GraphComparison;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.tlc.StateGraph;
import dev.mkspec.specs.tlc.TlcResult;
import dev.mkspec.specs.tlc.TlcVerdict;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One configuration of a manifest: TLC on it, the Java explorer on the same cfg if the manifest
 * names a model, and then the refinement check that the two agree. For {@code compare: graph} they
 * must have the same labelled state graph (TLC's {@code -dump dot,actionlabels} against the
 * explorer's); for {@code compare: counts}, the same distinct and generated states and depth. Where
 * a run ends in a violation, they must agree on the verdict, the property and the trace length.
 * The three checks run one after the other, so that their timings do not disturb each other.
 */
final class ModelCheck implements PlanTask {
    private final Manifest manifest;
    private final Manifest.Model model;
    private final TlcCheck tlc;
    private final Optional<ExplorerCheck> explorer;
    private final String refinementId;

    ModelCheck(Manifest manifest, Manifest.Model model) {
        this.manifest = manifest;
        this.model = model;
        this.tlc = new TlcCheck(manifest, model);
        this.explorer = model.explorer().map(x -> new ExplorerCheck(manifest, model));
        this.refinementId = "refinement:" + manifest.area() + "/" + model.name();
    }

    @Override
    public List<String> ids() {
        List<String> ids = new ArrayList<>(List.of(tlc.id()));
        explorer.ifPresent(x -> {
            ids.add(x.id());
            ids.add(refinementId);
        });
        return ids;
    }

    @Override
    public List<CheckResult> run(PlanContext context) {
        List<CheckResult> out = new ArrayList<>();
        TlcCheck.Outcome t = tlc.run(context);
        out.add(t.result());
        if (explorer.isEmpty()) {
            return out;
        }
        ExplorerCheck.Outcome x = explorer.get().run(context);
        out.add(x.result());
        out.add(refinement(context, t, x));
        return out;
    }

    private CheckResult refinement(PlanContext context, TlcCheck.Outcome t, ExplorerCheck.Outcome x) {
        String compare = model.explorer().orElseThrow().compare();
        boolean violation = !model.expect().result().equals("success");
        String expected = model.simulate().isPresent()
                ? "TLC's simulation and the explorer's give the same verdict (random walks visit different states)"
                : violation
                ? "TLC and the explorer agree on the verdict, the property violated and the length of the shortest "
                        + "counterexample (a bug variant's counts depend on where the search stops, so they are not compared)"
                : compare.equals("graph") ? "the explorer's labelled state graph equals TLC's"
                : "the explorer and TLC agree on the distinct and generated states and the depth";
        if (x.result().status() == CheckResult.Status.NOT_APPLICABLE) {
            return result(CheckResult.Status.NOT_APPLICABLE, expected, "not compared", List.of(),
                    "liveness stays with TLC, so there is nothing to compare", Duration.ZERO);
        }
        if (t.tlc().isEmpty() || x.exploration().isEmpty()) {
            return result(CheckResult.Status.NOT_APPLICABLE, expected, "not compared", List.of(),
                    "TLC or the explorer could not run; see their own checks", Duration.ZERO);
        }
        long start = System.nanoTime();
        TlcResult r = t.tlc().get();
        ExplorationResult<?> e = x.exploration().get();
        List<String> mismatches = new ArrayList<>();
        TlcVerdict explorerVerdict = ExplorerCheck.asTlcVerdict(e.verdict());
        if (!r.verdict().isSpecVerdict() || !e.verdict().isConclusive()) {
            return result(CheckResult.Status.NOT_APPLICABLE, expected, "not compared", List.of(),
                    "TLC says " + r.verdict().id() + " and the explorer says " + e.verdict().id()
                            + "; only finished runs are compared", Duration.ZERO);
        }
        if (r.verdict() != explorerVerdict) {
            mismatches.add("TLC says " + r.verdict().id() + ", the explorer says " + e.verdict().id());
        } else if (r.verdict() != TlcVerdict.SUCCESS) {
            if (!r.violated().equals(e.violatedName())) {
                mismatches.add("TLC names " + r.violated().orElse("nothing") + ", the explorer names "
                        + e.violatedName().orElse("nothing"));
            }
            int tlcLength = r.trace().map(tr -> tr.length()).orElse(-1);
            int explorerLength = e.counterexample().map(c -> c.length()).orElse(-1);
            // A simulation's walk is not a shortest one, nor is the distributed server's (rebuilt by a
            // single-process TLC with its own workers, or only the last step).
            if (tlcLength != explorerLength && model.simulate().isEmpty() && !r.fromDistributedServer()) {
                mismatches.add("TLC's shortest counterexample has " + tlcLength + " states, the explorer's "
                        + explorerLength);
            }
        } else if (model.simulate().isPresent()) {
            // Random walks: each tool visits the states its own generator leads it to.
        } else {
            count(mismatches, "distinct states", r.distinctStates(), e.distinctStates());
            if (!r.fromDistributedServer()) {
                count(mismatches, "states generated", r.generatedStates(), e.generatedStates());
                count(mismatches, "depth", r.depth(), e.depth());
            }
            if (compare.equals("graph")) {
                try {
                    StateGraph tlcGraph = StateGraph.readTlcDot(TlcCheck.graphFile(context, manifest.area(), model.name()));
                    GraphComparison c = GraphComparison.compare(tlcGraph, "TLC", x.graph().orElseThrow(), "the explorer");
                    if (!c.equal()) {
                        mismatches.add(c.summary());
                    }
                    try {
                        Files.deleteIfExists(TlcCheck.graphFile(context, manifest.area(), model.name()));
                    } catch (java.io.IOException ignored) {
                        // The graph file is only scratch.
                    }
                } catch (MkspecException ex) {
                    return CheckResult.error(refinementId, CheckResult.Kind.REFINEMENT, manifest.area(), model.name(),
                            model.profile(), ex.exitClass(), expected, ex.getMessage(), Duration.ofNanos(System.nanoTime() - start));
                }
            }
        }
        String actual = !mismatches.isEmpty() ? "they differ" : model.simulate().isPresent()
                ? "both simulations say " + r.verdict().id() + r.violated().map(v -> " (" + v + ")").orElse("")
                        + String.format(" (TLC generated %,d states; the explorer visited %,d, %,d of them distinct)",
                                r.generatedStates().orElse(0), e.generatedStates(), e.distinctStates())
                : agreement(r, e, compare);
        return result(mismatches.isEmpty() ? CheckResult.Status.PASSED : CheckResult.Status.of(ExitClass.UNEXPECTED),
                expected, actual, mismatches, mismatches.isEmpty() ? actual : String.join("\n", mismatches),
                Duration.ofNanos(System.nanoTime() - start), r, e, t.result(), x.result());
    }

    /**
     * Both tools' times, labelled the same way in every report: each tool's own time (TLC's
     * reported time; the explorer's exploration) and each whole check (starting TLC's JVM, dumping
     * and reading the state graph), with the TLC/explorer ratio of each.
     */
    static String timing(CheckResult tlc, CheckResult explorer) {
        Duration tlcOwn = tlc.toolTime().orElse(tlc.elapsed());
        Duration explorerOwn = explorer.toolTime().orElse(explorer.elapsed());
        return String.format("own time: TLC %s, explorer %s (TLC/explorer %s); whole check: TLC %s, explorer %s "
                + "(TLC/explorer %s)", seconds(tlcOwn), seconds(explorerOwn), dev.mkspec.ci.Durations.ratio(tlcOwn, explorerOwn),
                seconds(tlc.elapsed()), seconds(explorer.elapsed()), dev.mkspec.ci.Durations.ratio(tlc.elapsed(), explorer.elapsed()));
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.2fs", d.toMillis() / 1000.0);
    }


    private static String agreement(TlcResult r, ExplorationResult<?> e, String compare) {
        if (r.verdict() != TlcVerdict.SUCCESS) {
            return "both say " + r.verdict().id() + r.violated().map(v -> " (" + v + ")").orElse("")
                    + " with a shortest counterexample of " + e.counterexample().map(c -> c.length()).orElse(0) + " states";
        }
        if (r.fromDistributedServer()) {
            return String.format("the same distinct states: %,d (TLC ran distributed, so generated states and depth "
                    + "are not compared)", e.distinctStates());
        }
        return String.format("%s: %,d states, %,d generated, depth %d", compare.equals("graph")
                ? "the same labelled state graph" : "the same counts", e.distinctStates(), e.generatedStates(), e.depth());
    }

    private static void count(List<String> mismatches, String what, OptionalLong tlc, long explorer) {
        if (tlc.isEmpty()) {
            mismatches.add(what + ": TLC did not report it, the explorer found " + String.format("%,d", explorer));
        } else if (tlc.getAsLong() != explorer) {
            mismatches.add(String.format("%s: TLC %,d, the explorer %,d", what, tlc.getAsLong(), explorer));
        }
    }

    private CheckResult result(CheckResult.Status status, String expected, String actual, List<String> mismatches,
            String message, Duration elapsed) {
        return new CheckResult(refinementId, CheckResult.Kind.REFINEMENT, manifest.area(), model.name(), model.profile(),
                status, expected, actual, mismatches, message, OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalDouble.empty(), elapsed, "TLC and the mkspec explorer", List.of(),
                TlcCheck.bounds(model.config()), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private CheckResult result(CheckResult.Status status, String expected, String actual, List<String> mismatches,
            String message, Duration elapsed, TlcResult r, ExplorationResult<?> e, CheckResult tlcCheck,
            CheckResult explorerCheck) {
        String timing = timing(tlcCheck, explorerCheck);
        return new CheckResult(refinementId, CheckResult.Kind.REFINEMENT, manifest.area(), model.name(), model.profile(),
                status, expected, actual, mismatches, message + "; " + timing, OptionalLong.of(e.distinctStates()),
                OptionalLong.of(e.generatedStates()), OptionalLong.of(e.depth()), OptionalDouble.empty(), elapsed,
                "TLC and the mkspec explorer", List.of(), TlcCheck.bounds(model.config()), Optional.empty(),
                Optional.empty(), Optional.empty());
    }
}
