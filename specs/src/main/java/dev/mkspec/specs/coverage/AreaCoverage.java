package dev.mkspec.specs.coverage;

import dev.mkspec.specs.coverage.TlaSource.Branch;
import dev.mkspec.specs.coverage.TlaSource.BranchKind;
import dev.mkspec.specs.coverage.TlaSource.Definition;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tlc.CoverageEntry;
import dev.mkspec.specs.tlc.ExpressionCoverage;
import dev.mkspec.specs.tlc.ExpressionCoverage.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coverage of one spec area (the modules of one {@code specs/tla/<Area>} folder) by a set
 * of TLC runs: the union, over the runs, of the sub-actions of the next-state relation TLC took
 * and of the {@code IF}/{@code CASE} branches it evaluated.
 *
 * <p><b>Actions.</b> Every sub-action TLC lists for the next-state relation in any run; an action
 * is taken when some run generated a state with it (TLC's {@code generated > 0}). An action that
 * was never enabled, or is enabled but leads nowhere, is not taken.
 *
 * <p><b>Branches.</b> Every {@code THEN}, {@code ELSE}, {@code CASE} arm and {@code OTHER} arm in
 * the area's modules (found by {@link TlaSource}). A branch is taken when some run's expression
 * coverage reports an expression inside the branch's source range as evaluated at least once; or,
 * for a branch that is a lone number or string (which TLC never reports), when TLC reports its
 * {@code IF} evaluated more often than the {@code IF}'s other branch. Nothing else counts: a branch
 * TLC says nothing about is not taken. TLC folds subtrees that were evaluated equally often into
 * their root and shows the body of a user-defined operator at the operator's definition, so a
 * branch can be evaluated in one run without a line of its own; then another run must show it.
 *
 * <p>Only branches in definitions that the runs' behaviour uses (SPECIFICATION, INIT, NEXT,
 * constraints, and what they refer to, transitively) are judged. The others are listed apart and
 * never fail: branches in definitions only invariants and properties use (TLC reports invariants'
 * coverage but not temporal properties'), branches of constant-level definitions without
 * parameters (TLC evaluates those once, before the search, and reports no coverage for them), and
 * branches of definitions nothing that is checked refers to.
 */
public final class AreaCoverage {

    /** Why a branch is or is not judged. */
    public enum Scope {
        /** Used by the behaviour: judged, and fails when not taken. */
        JUDGED("judged"),
        /** A constant-level definition without parameters: TLC evaluates it before the search, unreported. */
        CONSTANT_LEVEL("constant-level definition, evaluated once before the search (TLC reports no coverage for it)"),
        /** Only invariants or properties use it. */
        PROPERTY_ONLY("used only by invariants or properties"),
        /** No checked configuration refers to it. */
        UNUSED("used by no fast configuration");

        private final String description;

        Scope(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * One TLC run's coverage.
     *
     * @param check the check's ID
     * @param behaviour the definitions the run's behaviour starts from (SPECIFICATION, INIT, NEXT,
     *     constraints, and the operators substituted for constants)
     * @param properties the invariants and properties the run checks
     * @param actions TLC's action coverage
     * @param expressions TLC's expression coverage
     */
    public record Run(String check, Set<String> behaviour, Set<String> properties, List<CoverageEntry> actions,
            List<ExpressionCoverage> expressions, boolean collected) {

        public Run {
            behaviour = Set.copyOf(behaviour);
            properties = Set.copyOf(properties);
            actions = List.copyOf(actions);
            expressions = List.copyOf(expressions);
            if (!collected && (!actions.isEmpty() || !expressions.isEmpty())) {
                throw new IllegalArgumentException(check + ": a run without coverage has none to give");
            }
        }

        /** A run with TLC's coverage. */
        public Run(String check, Set<String> behaviour, Set<String> properties, List<CoverageEntry> actions,
                List<ExpressionCoverage> expressions) {
            this(check, behaviour, properties, actions, expressions, true);
        }

        /**
         * A run of a configuration that TLC checked without coverage: its definitions are judged
         * (a branch only it reaches is never shown taken), and its behaviour must be reached by
         * runs with coverage (else actions only it has would go unlisted).
         */
        public Run withoutCoverage() {
            return new Run(check, behaviour, properties, List.of(), List.of(), false);
        }

        /** A run of the configuration {@code cfg}. */
        public static Run of(String check, CfgFile cfg, List<CoverageEntry> actions, List<ExpressionCoverage> expressions) {
            Set<String> behaviour = new LinkedHashSet<>();
            cfg.specification().ifPresent(behaviour::add);
            cfg.init().ifPresent(behaviour::add);
            cfg.next().ifPresent(behaviour::add);
            behaviour.addAll(cfg.constraints());
            behaviour.addAll(cfg.actionConstraints());
            behaviour.addAll(cfg.substitutions().values());
            Set<String> properties = new LinkedHashSet<>(cfg.invariants());
            properties.addAll(cfg.properties());
            return new Run(check, behaviour, properties, actions, expressions);
        }
    }

    /**
     * A sub-action of the next-state relation.
     *
     * @param name its name, as TLC gives it
     * @param location TLC's location text
     * @param span the location, if it reads
     * @param takenBy the runs that generated a state with it
     */
    public record Action(String name, String location, Optional<Span> span, List<String> takenBy) {
        public boolean taken() {
            return !takenBy.isEmpty();
        }
    }

    /**
     * A branch and what the runs say about it.
     *
     * @param branch the branch
     * @param scope whether it is judged, and why not
     * @param takenBy the first run that shows it taken, if one does
     * @param shownNotTaken the first run whose coverage shows the branch's IF or CASE part by part
     *     (its condition, guard or another branch) without this branch
     * @param foldedIn the first run that folded the branch's IF or CASE into an enclosing line (so
     *     that it may have taken the branch unseen)
     * @param variant for a bug variant's switch that no run with coverage shows taken, the check of
     *     that variant that found the violation its manifest expects (bug variants run without
     *     TLC's coverage; the violation is the evidence that the switch was taken)
     */
    public record BranchCoverage(Branch branch, Scope scope, Optional<String> takenBy, Optional<String> shownNotTaken,
            Optional<String> foldedIn, Optional<String> variant) {
        public boolean taken() {
            return takenBy.isPresent() || variant.isPresent();
        }

        /**
         * Not taken, and no run could have taken it unseen: a failure when judged. A bug variant's
         * switch is judged by its variant alone (the good configurations fold it, since they
         * always take the other branch), so it is uncovered when its variant did not find its
         * violation.
         */
        public boolean uncovered() {
            return !taken() && (foldedIn.isEmpty() || branch.bugHook().isPresent());
        }

        /** Not shown taken, but some run folded it, so TLC's report cannot tell. */
        public boolean unknown() {
            return !taken() && foldedIn.isPresent() && branch.bugHook().isEmpty();
        }

        /** What the runs say about the branch, in a few words. */
        public String why() {
            if (takenBy.isPresent()) {
                return "taken in " + takenBy.get();
            }
            if (variant.isPresent()) {
                return "the switch of bug variant \"" + branch.bugHook().orElse("") + "\": " + variant.get()
                        + " found the violation its manifest expects (bug variants run without TLC's coverage)";
            }
            if (branch.bugHook().isPresent()) {
                return "the switch of bug variant \"" + branch.bugHook().get() + "\", and no fast check of that"
                        + " variant found the violation its manifest expects";
            }
            if (foldedIn.isPresent()) {
                return "TLC reports its evaluation only in aggregate in " + foldedIn.get() + " (its " + construct()
                        + " folded into an enclosing expression, or the operator it calls counted at its"
                        + " definition), so whether it was taken there is not reported";
            }
            return shownNotTaken.map(r -> "never taken (" + r + " shows its " + construct() + " evaluated without it)")
                    .orElse("never reached: TLC reports nothing of its " + construct());
        }

        private String construct() {
            return branch.kind() == BranchKind.THEN || branch.kind() == BranchKind.ELSE ? "IF" : "CASE";
        }
    }

    /**
     * The coverage of one area.
     *
     * @param area the area
     * @param runs the runs' check IDs
     * @param actions every sub-action any run listed
     * @param branches every branch of the area's modules, judged or not
     */
    public record Result(String area, List<String> runs, List<Action> actions, List<BranchCoverage> branches,
            List<String> outsideCoverage) {
        public Result {
            runs = List.copyOf(runs);
            actions = List.copyOf(actions);
            branches = List.copyOf(branches);
            outsideCoverage = List.copyOf(outsideCoverage);
        }

        public Result(String area, List<String> runs, List<Action> actions, List<BranchCoverage> branches) {
            this(area, runs, actions, branches, List.of());
        }

        public List<Action> uncoveredActions() {
            return actions.stream().filter(a -> !a.taken()).toList();
        }

        public List<BranchCoverage> judgedBranches() {
            return branches.stream().filter(b -> b.scope() == Scope.JUDGED).toList();
        }

        /** Judged branches no run took, and no run could have taken unseen: each fails the plan. */
        public List<BranchCoverage> uncoveredBranches() {
            return judgedBranches().stream().filter(BranchCoverage::uncovered).toList();
        }

        /** Judged branches that TLC's report leaves open (folded in a run): listed, never a failure. */
        public List<BranchCoverage> unknownBranches() {
            return judgedBranches().stream().filter(BranchCoverage::unknown).toList();
        }

        /** Judged branches that are bug variants' switches, counted as taken by their variant's violation. */
        public List<BranchCoverage> takenByVariant() {
            return judgedBranches().stream().filter(b -> b.takenBy().isEmpty() && b.variant().isPresent()).toList();
        }

        /** The branches that are not judged (never a failure), by why not. */
        public List<BranchCoverage> notJudged() {
            return branches.stream().filter(b -> b.scope() != Scope.JUDGED).toList();
        }

        /**
         * Complete: every action and judged branch taken, and every run without coverage explores
         * only definitions that runs with coverage reach too ({@link #outsideCoverage}).
         */
        public boolean complete() {
            return uncoveredActions().isEmpty() && uncoveredBranches().isEmpty() && outsideCoverage.isEmpty();
        }
    }

    private static final Pattern LOCATION = Pattern.compile(
            "line (\\d+), col (\\d+) to line (\\d+), col (\\d+) of module (\\S+)");

    private AreaCoverage() {
    }

    /**
     * Computes the union of the runs' coverage of an area.
     *
     * @param area the area's name
     * @param modules the area's own modules: their branches are counted
     * @param library modules the area's specs use from elsewhere (read only to follow references)
     * @param runs the runs, each with its coverage
     */
    public static Result compute(String area, List<TlaSource> modules, List<TlaSource> library, List<Run> runs) {
        return compute(area, modules, library, runs, Map.of());
    }

    /**
     * As {@link #compute(String, List, List, List)}, with the area's bug variants that came out as
     * their manifest expects.
     *
     * @param variants for each bug variant (the value of the constant {@code Bug}) whose fast check
     *     found the violation it should, that check's ID: its switch ({@code IF Bug = "x"}) counts as
     *     taken when no run with coverage shows it
     */
    public static Result compute(String area, List<TlaSource> modules, List<TlaSource> library, List<Run> runs,
            Map<String, String> variants) {
        // Actions: the union over the runs, keyed by name and location.
        Map<String, Action> actions = new LinkedHashMap<>();
        for (Run r : runs) {
            for (CoverageEntry e : r.actions()) {
                if (e.initial()) {
                    continue;
                }
                String key = e.action() + "@" + e.location();
                Action old = actions.get(key);
                List<String> by = new ArrayList<>(old == null ? List.of() : old.takenBy());
                if (e.generated() > 0 && !by.contains(r.check())) {
                    by.add(r.check());
                }
                actions.put(key, new Action(e.action(), e.location(), span(e.location()), List.copyOf(by)));
            }
        }
        List<Action> actionList = new ArrayList<>(actions.values());
        actionList.sort(Comparator.comparing((Action a) -> a.span().map(Span::module).orElse(""))
                .thenComparingInt(a -> a.span().map(Span::line).orElse(0)));

        // Which definitions the behaviour and the properties use.
        Map<String, Definition> defs = new HashMap<>();
        Set<String> variables = new HashSet<>();
        for (TlaSource s : library) {
            defs.putAll(s.definitions());
            variables.addAll(s.variables());
        }
        for (TlaSource s : modules) {
            defs.putAll(s.definitions());
            variables.addAll(s.variables());
        }
        Set<String> behaviourRoots = new HashSet<>();
        Set<String> propertyRoots = new HashSet<>();
        runs.forEach(r -> {
            behaviourRoots.addAll(r.behaviour());
            propertyRoots.addAll(r.properties());
        });
        Set<String> behaviour = reach(behaviourRoots, defs);
        Set<String> properties = reach(propertyRoots, defs);
        Map<String, Boolean> stateLevel = new HashMap<>();
        Map<String, TlaSource> sources = new HashMap<>();
        library.forEach(l -> sources.put(l.module(), l));
        modules.forEach(m -> sources.put(m.module(), m));
        Map<Run, Folded> foldCache = new java.util.IdentityHashMap<>();

        List<BranchCoverage> branches = new ArrayList<>();
        for (TlaSource s : modules) {
            List<Branch> list = new ArrayList<>(s.branches());
            list.sort(Comparator.comparingInt((Branch b) -> b.position().line()).thenComparingInt(b -> b.position().column()));
            for (Branch b : list) {
                Scope scope;
                Definition d = defs.get(b.definition());
                if (behaviour.contains(b.definition())) {
                    scope = d != null && d.arity() == 0 && !dependsOnState(d.name(), defs, variables, stateLevel, new HashSet<>())
                            ? Scope.CONSTANT_LEVEL : Scope.JUDGED;
                } else if (properties.contains(b.definition())) {
                    scope = Scope.PROPERTY_ONLY;
                } else {
                    scope = Scope.UNUSED;
                }
                Optional<String> takenBy = Optional.empty();
                Optional<String> shown = Optional.empty();
                Optional<String> folded = Optional.empty();
                for (Run r : runs) {
                    if (takenBy.isEmpty() && (evaluatedInside(r, b.expression()) || inferred(r, b, s) > 0
                            || b.kind() == BranchKind.CASE_OTHER && evaluatedInside(r, arm(b)))) {
                        takenBy = Optional.of(r.check());
                    }
                    if (shown.isEmpty() && shownWithout(r, b, s)) {
                        shown = Optional.of(r.check());
                    }
                    if (folded.isEmpty() && calleeEvaluated(r, b, defs)) {
                        folded = Optional.of(r.check());
                    }
                    if (folded.isEmpty() && !shownWithout(r, b, s) && (folds(r, b, sources, defs, foldCache)
                            || literalPair(b, s) && evaluatedInside(r, b.construct())
                            || (b.kind() == BranchKind.CASE_ARM || b.literal()) && evaluatedInside(r, arm(b)))) {
                        folded = Optional.of(r.check());
                    }
                }
                Optional<String> variant = takenBy.isEmpty() ? b.bugHook().map(variants::get) : Optional.empty();
                branches.add(new BranchCoverage(b, scope, takenBy, shown, folded, variant));
            }
        }
        // A run without coverage shows no action: the runs with coverage must reach all it explores.
        Set<String> collectedRoots = new HashSet<>();
        runs.stream().filter(Run::collected).forEach(r -> collectedRoots.addAll(r.behaviour()));
        Set<String> collectedReach = reach(collectedRoots, defs);
        List<String> outside = new ArrayList<>();
        for (Run r : runs) {
            if (!r.collected()) {
                List<String> missing = r.behaviour().stream().filter(d -> !collectedReach.contains(d)).sorted().toList();
                if (!missing.isEmpty()) {
                    outside.add(r.check() + " (" + String.join(", ", missing) + ")");
                }
            }
        }
        return new Result(area, runs.stream().map(Run::check).toList(), actionList, branches, outside);
    }

    private static final java.util.regex.Pattern CALL =
            java.util.regex.Pattern.compile("^(?:THEN|ELSE|OTHER|->)?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\(.*)?$", java.util.regex.Pattern.DOTALL);

    /**
     * A branch that is just a call of an operator of the spec, such as {@code THEN Fail(t, "x")}:
     * TLC reports the evaluation at the operator's definition, not at the call, so when it
     * reports the operator's body evaluated in the run, the branch may have been taken there
     * (or another call of the operator was): not judged, rather than not taken.
     */
    private static boolean calleeEvaluated(Run r, Branch b, Map<String, Definition> defs) {
        java.util.regex.Matcher m = CALL.matcher(b.text().strip());
        if (!m.matches()) {
            return false;
        }
        Definition d = defs.get(m.group(1));
        return d != null && evaluatedInside(r, d.span());
    }

    /** An IF whose two branches are lone literals: TLC prints neither, so no count can tell them apart. */
    private static boolean literalPair(Branch b, TlaSource source) {
        return b.literal() && source.branches().stream()
                .anyMatch(o -> o != b && o.construct().equals(b.construct()) && o.literal());
    }

    /** Whether the run reports an expression within {@code span} as evaluated. */
    private static boolean evaluatedInside(Run r, Span span) {
        for (ExpressionCoverage e : r.expressions()) {
            if (e.evaluated() && span.contains(e.span())) {
                return true;
            }
        }
        return false;
    }

    /**
     * For a branch that is a lone literal, which TLC never reports: taken if TLC reports its IF,
     * with the IF's parts printed below it, as evaluated more often than the IF's other branch.
     */
    private static long inferred(Run r, Branch b, TlaSource source) {
        if (!b.literal() || (b.kind() != BranchKind.THEN && b.kind() != BranchKind.ELSE)) {
            return -1;
        }
        Optional<Branch> sibling = source.branches().stream()
                .filter(o -> o != b && o.construct().equals(b.construct())).findFirst();
        if (sibling.isEmpty() || sibling.get().literal()) {
            return -1;
        }
        List<ExpressionCoverage> xs = r.expressions();
        for (int i = 0; i < xs.size(); i++) {
            ExpressionCoverage e = xs.get(i);
            if (!e.span().equals(b.construct()) || !e.evaluated()) {
                continue;
            }
            long other = -1;
            boolean expanded = false;
            boolean elsewhere = false;
            boolean insideSibling = false;
            for (int k = i + 1; k < xs.size() && xs.get(k).level() > e.level(); k++) {
                ExpressionCoverage child = xs.get(k);
                expanded = true;
                elsewhere |= !b.construct().contains(child.span());
                insideSibling |= sibling.get().expression().contains(child.span());
                if (child.level() == e.level() + 1 && child.span().equals(sibling.get().expression())) {
                    other = child.count();
                }
            }
            if (expanded && other < 0 && !insideSibling && !elsewhere) {
                // The IF's parts are printed, all within it (no operator body printed at its
                // definition), and nothing of the other branch: TLC evaluated it 0 times.
                other = 0;
            }
            if (expanded && other >= 0) {
                return e.count() - other;
            }
        }
        return -1;
    }

    /**
     * Whether the run shows the branch's IF or CASE part by part without the branch: a line
     * inside the construct but outside the branch (its condition, a guard, another branch). For a
     * lone literal, which TLC never prints, only the count of its IF against the other branch's
     * says so.
     */
    private static boolean shownWithout(Run r, Branch b, TlaSource source) {
        if (b.literal()) {
            return inferred(r, b, source) == 0;
        }
        if (source.branches().stream().anyMatch(o -> o != b && o.construct().equals(b.construct()) && o.literal())
                && (b.kind() == BranchKind.THEN || b.kind() == BranchKind.ELSE)) {
            // Against a lone literal, which TLC never prints, only the IF's count can tell.
            return inferred(r, source.branches().stream()
                    .filter(o -> o != b && o.construct().equals(b.construct())).findFirst().orElseThrow(), source) > 0
                    && !evaluatedInside(r, b.expression());
        }
        if (b.kind() == BranchKind.CASE_ARM || b.kind() == BranchKind.CASE_OTHER) {
            // TLC prints a CASE arm as one line, guard -> value, counting how often its guard was
            // tried: printed with its parts below it, a value without a line was never evaluated;
            // printed alone, its parts were folded into it.
            List<ExpressionCoverage> xs = r.expressions();
            boolean partsShown = false;
            for (int i = 0; i < xs.size(); i++) {
                ExpressionCoverage e = xs.get(i);
                if (e.span().equals(arm(b))) {
                    boolean expanded = i + 1 < xs.size() && xs.get(i + 1).level() > e.level();
                    if (!expanded && e.evaluated()) {
                        return false;
                    }
                    partsShown = true;
                } else if (b.construct().contains(e.span()) && !arm(b).contains(e.span())) {
                    partsShown = true;
                }
            }
            return partsShown && !b.literal();
        }
        for (ExpressionCoverage e : r.expressions()) {
            if (b.construct().contains(e.span()) && !b.expression().contains(e.span()) && !e.span().equals(b.construct())) {
                return true;
            }
        }
        return false;
    }

    /** A CASE arm from its guard (or OTHER) to the end of its value, as TLC prints it. */
    private static Span arm(Branch b) {
        return new Span(b.position().module(), b.position().line(), b.position().column(), b.expression().endLine(),
                b.expression().endColumn());
    }

    /**
     * Whether the run folded the branch's construct into an evaluated line printed without its
     * parts: a line that contains the construct, or whose text calls (transitively) the definition
     * that holds it.
     */
    private static boolean folds(Run r, Branch b, Map<String, TlaSource> sources, Map<String, Definition> defs,
            Map<Run, Folded> cache) {
        Folded f = cache.computeIfAbsent(r, run -> Folded.of(run, sources, defs));
        if (f.definitions().contains(b.definition())) {
            return true;
        }
        for (Span leaf : f.leaves()) {
            if (leaf.contains(b.construct()) && !leaf.equals(b.expression())) {
                return true;
            }
        }
        return false;
    }

    /** A run's evaluated lines printed without their parts, and the definitions they call. */
    private record Folded(List<Span> leaves, Set<String> definitions) {
        static Folded of(Run r, Map<String, TlaSource> sources, Map<String, Definition> defs) {
            List<Span> leaves = new ArrayList<>();
            Set<String> names = new HashSet<>();
            List<ExpressionCoverage> xs = r.expressions();
            for (int i = 0; i < xs.size(); i++) {
                ExpressionCoverage e = xs.get(i);
                boolean leaf = i + 1 >= xs.size() || xs.get(i + 1).level() <= e.level();
                if (!leaf || !e.evaluated()) {
                    continue;
                }
                leaves.add(e.span());
                TlaSource src = sources.get(e.span().module());
                if (src != null) {
                    names.addAll(src.identifiersIn(e.span()));
                    leaves.addAll(src.letBodiesCalledFrom(e.span()));
                }
            }
            Set<String> reached = reach(names, defs);
            reached.retainAll(defs.keySet());
            return new Folded(leaves, reached);
        }
    }

    private static Set<String> reach(Set<String> roots, Map<String, Definition> defs) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (!seen.add(n)) {
                continue;
            }
            Definition d = defs.get(n);
            if (d != null) {
                todo.addAll(d.references());
            }
        }
        return seen;
    }

    private static boolean dependsOnState(String name, Map<String, Definition> defs, Set<String> variables,
            Map<String, Boolean> memo, Set<String> visiting) {
        Boolean known = memo.get(name);
        if (known != null) {
            return known;
        }
        if (variables.contains(name)) {
            return true;
        }
        Definition d = defs.get(name);
        if (d == null || !visiting.add(name)) {
            return false;
        }
        boolean result = false;
        for (String ref : d.references()) {
            if (dependsOnState(ref, defs, variables, memo, visiting)) {
                result = true;
                break;
            }
        }
        memo.put(name, result);
        return result;
    }

    /** TLC's {@code line 3, col 1 to line 4, col 2 of module M}, read. */
    public static Optional<Span> span(String location) {
        Matcher m = LOCATION.matcher(location);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Span(m.group(5), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
