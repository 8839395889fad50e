package dev.mkspec.ci.plan;

import dev.mkspec.specs.coverage.AreaCoverage;
import dev.mkspec.specs.tlc.ExpressionCoverage.Span;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the fast profile's TLC checks cover of each spec area, by TLC's own coverage: every
 * sub-action of the next-state relation and every IF/CASE branch (see {@link AreaCoverage}).
 *
 * @param state whether coverage was judged, and if not, why not
 * @param reason one sentence for a person when it was not judged; when judged, empty, or which areas were
 *     judged when {@code --only} ran all the fast TLC checks of some areas only
 * @param areas each area's coverage, when judged
 * @param files where each module lives, relative to the repository root, for {@code file:line:col}
 * @param redundant for each area, the checks whose coverage adds nothing to the others' (their
 *     manifest entries may say {@code "coverage": false}, which makes TLC up to three times quicker)
 * @param withoutCoverage the success checks that ran without coverage, as their manifests say
 */
public record PlanCoverage(State state, String reason, List<AreaCoverage.Result> areas, Map<String, String> files,
        Map<String, List<String>> redundant, List<String> withoutCoverage) {

    /** Whether coverage was judged. */
    public enum State {
        /** Every fast TLC check ran with coverage: judged, and a failure when something is uncovered. */
        JUDGED,
        /** Coverage was collected in part, or not at all, for the reason given: not a failure. */
        NOT_JUDGED,
        /** Switched off ({@code --no-coverage}) or not applicable (the deep profile). */
        OFF
    }

    public PlanCoverage {
        areas = List.copyOf(areas);
        files = Map.copyOf(files);
        redundant = Map.copyOf(redundant);
        withoutCoverage = List.copyOf(withoutCoverage);
    }

    public static PlanCoverage notJudged(State state, String reason) {
        return new PlanCoverage(state, reason, List.of(), Map.of(), Map.of(), List.of());
    }

    /** Whether the plan fails for coverage: judged, and an action or a judged branch not taken. */
    public boolean fails() {
        return state == State.JUDGED && areas.stream().anyMatch(a -> !a.complete());
    }

    /** {@code specs/tla/Tlb/Tlb.tla:210:11}, or the module's name where its file is unknown. */
    public String where(Span s) {
        return files.getOrDefault(s.module(), s.module() + ".tla") + ":" + s.line() + ":" + s.column();
    }

    /** The lines {@code mkspec check} prints for an area (after the summary table). */
    public List<String> lines(AreaCoverage.Result a) {
        List<String> out = new java.util.ArrayList<>();
        // Branches TLC's report decides: taken, or shown not taken; folded ones are listed apart.
        long branches = a.judgedBranches().size() - a.unknownBranches().size();
        if (a.complete()) {
            out.add("coverage: every action (" + a.actions().size() + ") and branch (" + branches + ") of " + a.area()
                    + " is taken by the fast profile");
        } else if (a.uncoveredActions().isEmpty() && a.uncoveredBranches().isEmpty()) {
            out.add("coverage: " + a.area() + " has checks run without coverage whose behaviour no check with coverage"
                    + " reaches, so their actions are not listed; collect their coverage (drop \"coverage\": false):");
        } else {
            out.add("coverage: " + a.area() + " has " + a.uncoveredActions().size() + " of " + a.actions().size()
                    + " actions and " + a.uncoveredBranches().size() + " of " + branches
                    + " branches that no fast check takes:");
            for (AreaCoverage.Action x : a.uncoveredActions()) {
                out.add("  " + x.span().map(this::where).orElse(x.location()) + "  action " + x.name());
            }
            for (AreaCoverage.BranchCoverage b : a.uncoveredBranches()) {
                out.add("  " + where(b.branch().position()) + "  " + b.branch().text() + "   (" + b.why() + ")");
            }
        }
        out.addAll(outsideLines(a));
        if (!a.takenByVariant().isEmpty()) {
            int n = a.takenByVariant().size();
            out.add("  " + n + " of the branches taken " + (n == 1 ? "is a bug variant's switch" : "are bug variants' switches")
                    + " (IF Bug = \"x\"), counted by the violation the variant's check found (bug variants run"
                    + " without TLC's coverage)");
        }
        List<String> off = withoutCoverage(a.area());
        if (!a.unknownBranches().isEmpty()) {
            out.add("  not judged, " + a.unknownBranches().size() + " branch"
                    + (a.unknownBranches().size() == 1 ? "" : "es")
                    + " TLC reported only in aggregate (folded, or counted at a called operator) in a check that may have taken "
                    + (a.unknownBranches().size() == 1 ? "it" : "them") + " (see summary.md)"
                    + (off.isEmpty() ? "" : "; a check run without coverage may take some that no other does"
                            + " (--coverage-everywhere shows them)"));
        }
        out.addAll(coverageRunLines(a));
        long others = a.notJudged().size();
        if (others > 0) {
            out.add("  not judged, " + others + " branch" + (others == 1 ? "" : "es")
                    + " of invariants, properties, constant-level or unused definitions (see summary.md)");
        }
        return out;
    }

    /** The success checks of {@code area} that ran without coverage. */
    public List<String> withoutCoverage(String area) {
        return withoutCoverage.stream().filter(c -> CheckPlan.area(c).equals(area)).toList();
    }

    /** The lines for the checks without coverage whose behaviour no check with coverage reaches. */
    public List<String> outsideLines(AreaCoverage.Result a) {
        return a.outsideCoverage().stream()
                .map(x -> "  " + x + " ran without coverage, and no check with coverage reaches what it explores").toList();
    }

    /** The lines that name the checks whose coverage adds nothing, and those that ran without it. */
    public List<String> coverageRunLines(AreaCoverage.Result a) {
        List<String> out = new java.util.ArrayList<>();
        List<String> extra = redundant.getOrDefault(a.area(), List.of());
        if (!extra.isEmpty()) {
            out.add("  the coverage of " + String.join(", ", extra) + " adds nothing to the other checks' (their manifest"
                    + " entries may say \"coverage\": false: TLC runs up to three times quicker without it)");
        }
        List<String> off = withoutCoverage(a.area());
        if (!off.isEmpty()) {
            out.add("  ran without coverage, as their manifests say: " + String.join(", ", off)
                    + " (their definitions are judged; --coverage-everywhere collects it)");
        }
        return out;
    }

    /** The area's result, if it was judged. */
    public Optional<AreaCoverage.Result> area(String name) {
        return areas.stream().filter(a -> a.area().equals(name)).findFirst();
    }
}
