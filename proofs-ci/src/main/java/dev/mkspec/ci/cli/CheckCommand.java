package dev.mkspec.ci.cli;

import dev.mkspec.ci.Durations;
import dev.mkspec.ci.RunEnvironment;
import dev.mkspec.ci.plan.CheckPlan;
import dev.mkspec.ci.plan.CheckResult;
import dev.mkspec.ci.plan.CoverageCollector;
import dev.mkspec.ci.plan.PlanCoverage;
import dev.mkspec.ci.plan.PlanContext;
import dev.mkspec.ci.plan.PlanListener;
import dev.mkspec.ci.plan.PlanReport;
import dev.mkspec.ci.plan.PlanRunner;
import dev.mkspec.ci.plan.ProgressBoard;
import dev.mkspec.ci.report.ReportWriter;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tlc.TlcRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkspec check}: runs the plan and writes the reports. */
@Command(name = "check", sortOptions = false,
        description = {"Run every TLC configuration, Alloy command and explorer check against its expected verdict.",
            "Finds specs/tla/*/manifest.json and specs/alloy/*.als under the root. Writes report.json, junit.xml "
                    + "and summary.md to target/mkspec/. Exits 0 only if every check came out as expected."})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ToolOptions tools;

    @Option(names = "--profile", defaultValue = "fast", paramLabel = "fast|deep",
            description = "fast: the fast configurations (the default, and what 'mvn verify' runs); "
                    + "deep: every configuration.")
    String profile;

    @Option(names = "--only", paramLabel = "PATTERN",
            description = "Run only the checks whose ID matches: a glob such as 'tlc:AddressSpaces/*' (matching the "
                    + "whole ID, or the ID after its kind: 'AddressSpaces/*'), or a substring such as 'AddressSpaces'.")
    String only;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Checks to run at once. Default: one per core for the fast profile, 1 for deep "
                    + "(so that deep timings are not disturbed).")
    Integer jobs;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "A time limit for every check, replacing the manifests' own (e.g. 90s, 10m, 1h).")
    String timeout;

    @Option(names = "--explorer-workers", paramLabel = "N", description = "Worker threads for explorer checks (default: one per core).")
    Integer explorerWorkers;

    @Option(names = "--distributed", paramLabel = "N",
            description = "Run TLC's distributed mode for the TLC checks, with N local worker JVMs on the loopback "
                    + "address (deep profile). A configuration with liveness PROPERTIES, or whose explorer check "
                    + "compares state graphs, still runs as one process; generated states and depth are not "
                    + "compared (the server counts them its own way).")
    Integer distributed;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The repository root (default: the current directory).")
    Path root;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the reports (default: ROOT/target/mkspec).")
    Path out;

    @Option(names = "--list", description = "List the checks the plan would run, and run none.")
    boolean list;

    @Option(names = "--no-coverage",
            description = "Do not collect TLC's coverage on the fast profile, and do not judge it (a quicker local run). "
                    + "By default every action and IF/CASE branch of each area must be taken by some fast TLC check.")
    boolean noCoverage;

    @Option(names = "--coverage-everywhere",
            description = "Collect TLC's coverage on every fast success check, also those whose manifest says "
                    + "\"coverage\": false, and say which checks' coverage adds nothing to the others'.")
    boolean coverageEverywhere;

    private final ModelBindings models;

    public CheckCommand() {
        this(ModelBindings.standard());
    }

    public CheckCommand(ModelBindings models) {
        this.models = models;
    }

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (!profile.equals("fast") && !profile.equals("deep")) {
            throw Problem.INVALID_OPTION.exception("--profile must be fast or deep, not '" + profile + "'");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int jobCount = jobs != null ? jobs : profile.equals("deep") ? 1 : cores;
        if (jobCount < 1) {
            throw Problem.INVALID_OPTION.exception("--jobs must be at least 1, not " + jobCount);
        }
        if (distributed != null && distributed < 1) {
            throw Problem.INVALID_OPTION.exception("--distributed needs a number of local workers, at least 1, not "
                    + distributed);
        }
        if (distributed != null && !profile.equals("deep")) {
            throw Problem.INVALID_OPTION.exception("--distributed applies to the deep profile (the fast profile's "
                    + "checks need TLC's coverage and state graphs, which the distributed server does not give); "
                    + "add --profile deep, or leave it out");
        }
        if (explorerWorkers != null && explorerWorkers < 1) {
            throw Problem.INVALID_OPTION.exception("--explorer-workers must be at least 1, not " + explorerWorkers);
        }
        Optional<Duration> limit = Optional.ofNullable(timeout).map(Durations::parse);
        if (noCoverage && coverageEverywhere) {
            throw Problem.INVALID_OPTION.exception("--no-coverage and --coverage-everywhere contradict each other; give one");
        }
        if (coverageEverywhere && !profile.equals("fast")) {
            throw Problem.INVALID_OPTION.exception("--coverage-everywhere applies to the fast profile only (the deep "
                    + "profile collects no coverage); drop it or --profile " + profile);
        }
        if (only != null && only.isBlank()) {
            throw Problem.INVALID_OPTION.exception("--only needs a pattern, e.g. --only Tlb or --only 'tlc:AddressSpaces/*'");
        }
        if (Files.isRegularFile(root)) {
            throw Problem.INVALID_OPTION.exception("--root " + root + " is a file; name the repository's folder");
        }
        Path rootDir = root.toAbsolutePath().normalize();
        Path outDir = (out == null ? rootDir.resolve("target").resolve("mkspec") : out).toAbsolutePath().normalize();
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw Problem.INVALID_OPTION.exception("--out " + outDir + " is a file; name a folder for the reports");
        }
        CheckPlan plan = CheckPlan.discover(rootDir, profile, Optional.ofNullable(only), models);
        if (only != null && plan.ids().isEmpty()) {
            CheckPlan all = CheckPlan.discover(rootDir, profile, Optional.empty(), models);
            throw Problem.INVALID_OPTION.exception(noMatch(only, all));
        }
        if (list) {
            plan.ids().forEach(w::println);
            plan.notes().forEach(n -> w.println("note: " + n));
            w.flush();
            PrintWriter err = spec.commandLine().getErr();
            for (CheckResult e : plan.planningErrors()) {
                err.println("warning: " + e.id() + " cannot be planned: " + e.message());
            }
            hints(err, plan.planningErrors());
            err.flush();
            return CheckPlan.exitClass(plan.planningErrors()).code();
        }
        TlcRunner tlc = new TlcRunner(tools.installation());
        ProgressBoard board = new ProgressBoard();
        Optional<PlanCoverage> coverageNote = coverageNote(rootDir, plan);
        Optional<CoverageCollector> collector = coverageNote.isEmpty()
                ? Optional.of(coverageCollector(rootDir, plan)) : Optional.empty();
        PlanContext context = new PlanContext(outDir, tlc, models, limit, Duration.ofMinutes(10), Duration.ofHours(2),
                explorerWorkers != null ? explorerWorkers : cores, board, collector,
                distributed == null ? 0 : distributed);
        ReportWriter writer = new ReportWriter(outDir, rootDir, models);
        RunEnvironment env = RunEnvironment.of(rootDir);
        int total = plan.ids().size();
        w.printf("mkspec check --profile %s: %d check%s, %d at a time; reports in %s%n", profile, total,
                total == 1 ? "" : "s", jobCount, relative(outDir));
        plan.notes().forEach(n -> w.println("note: " + n));
        w.flush();

        boolean terminal = LiveLine.stdoutIsTerminal();
        long start = System.nanoTime();
        LiveLine[] line = new LiveLine[1];
        line[0] = new LiveLine(w, terminal, () -> status(board, start), 60);
        PlanRunner runner = new PlanRunner(context, writer, env, profile, jobCount, new PlanListener() {
            @Override
            public void finished(List<CheckResult> results, int done, int all) {
                for (CheckResult r : results) {
                    line[0].println(resultLine(r, done, all));
                }
            }
        });
        coverageNote.ifPresent(runner::coverageNotCollected);
        Thread hook = new Thread(runner::interrupt, "mkspec-report-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter err = spec.commandLine().getErr();
        PlanReport report;
        try (Signals signals = new Signals(sig -> {
            err.println();
            err.println("mkspec: interrupted by " + sig + "; stopping the running checks and writing the reports to "
                    + relative(outDir) + " (the checks not reached are listed as not run)");
            err.flush();
            runner.interrupt(Optional.of(sig));
        })) {
            report = runner.run(plan);
        } finally {
            line[0].close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException exiting) {
                // The hook writes the report.
            }
        }
        printSummary(w, report, writer, outDir);
        return report.exitStatus();
    }

    /**
     * Why this run does not judge coverage, or empty if it does: coverage is judged when the fast
     * profile's TLC checks all run (other checks may be left out with --only) and --no-coverage
     * is not given.
     */
    private Optional<PlanCoverage> coverageNote(Path rootDir, CheckPlan plan) {
        if (noCoverage) {
            return Optional.of(PlanCoverage.notJudged(PlanCoverage.State.OFF,
                    "coverage was not collected (--no-coverage)"));
        }
        if (!profile.equals("fast")) {
            return Optional.of(PlanCoverage.notJudged(PlanCoverage.State.OFF,
                    "coverage is judged on the fast profile only"));
        }
        if (plan.tlcIds().isEmpty()) {
            return Optional.of(PlanCoverage.notJudged(PlanCoverage.State.OFF, "coverage was not judged: no TLC check ran"));
        }
        if (only != null) {
            List<String> all = CheckPlan.discover(rootDir, profile, Optional.empty(), models).tlcIds();
            if (!plan.tlcIds().containsAll(all) && completeAreas(plan, all).isEmpty()) {
                return Optional.of(PlanCoverage.notJudged(PlanCoverage.State.NOT_JUDGED, "coverage was not judged: --only '"
                        + only + "' runs " + plan.tlcIds().size() + " of the " + all.size()
                        + " fast TLC checks and every one of no area's (run all of an area's, e.g. --only 'tlc:Tlb/*', "
                        + "to judge that area, or --only tlc: for all)"));
            }
        }
        return Optional.empty();
    }

    /** The areas all of whose fast TLC checks (of {@code all}) the plan runs. */
    private static java.util.Set<String> completeAreas(CheckPlan plan, List<String> all) {
        java.util.Set<String> areas = new java.util.TreeSet<>();
        all.forEach(id -> areas.add(CheckPlan.area(id)));
        areas.removeIf(a -> all.stream().anyMatch(id -> CheckPlan.area(id).equals(a) && !plan.tlcIds().contains(id)));
        return areas;
    }

    /**
     * The collector for a run that judges coverage: of every area, or, when --only leaves out some
     * fast TLC checks, of the areas whose fast TLC checks all run (the others are named as not judged).
     */
    private CoverageCollector coverageCollector(Path rootDir, CheckPlan plan) {
        if (only == null) {
            return new CoverageCollector(rootDir, Optional.empty(), "", coverageEverywhere);
        }
        List<String> all = CheckPlan.discover(rootDir, profile, Optional.empty(), models).tlcIds();
        if (plan.tlcIds().containsAll(all)) {
            return new CoverageCollector(rootDir, Optional.empty(), "", coverageEverywhere);
        }
        java.util.Set<String> complete = completeAreas(plan, all);
        java.util.Set<String> others = new java.util.TreeSet<>();
        all.forEach(id -> others.add(CheckPlan.area(id)));
        others.removeAll(complete);
        return new CoverageCollector(rootDir, Optional.of(complete), "coverage judged for " + String.join(", ", complete)
                + " only (--only runs all of their fast TLC checks); not judged: " + String.join(", ", others),
                coverageEverywhere);
    }

    /**
     * The message for an {@code --only} pattern that selects nothing: the areas there are, and the
     * IDs that match the pattern when case is ignored, which is the usual typo.
     */
    static String noMatch(String only, CheckPlan all) {
        java.util.TreeSet<String> areas = new java.util.TreeSet<>();
        for (String id : all.ids()) {
            String rest = id.substring(id.indexOf(':') + 1);
            int slash = rest.indexOf('/');
            areas.add(slash < 0 ? rest : rest.substring(0, slash));
        }
        List<String> caseless = all.ids().stream().filter(id -> CheckPlan.selects(only, id, true)).limit(3).toList();
        return "--only '" + only + "' matches no check (IDs are matched case-sensitively, as a substring, or as a glob "
                + "when the pattern holds * or ?, which must match the whole ID or the ID after its kind, e.g. 'Tlb/*' or "
                + "'tlc:Tlb/*')"
                + (caseless.isEmpty() ? "" : "; with another case it would match " + String.join(", ", caseless)
                        + (caseless.size() == 3 ? ", ..." : ""))
                + ". The areas are " + String.join(", ", areas) + " (check IDs look like tlc:Tlb/fast, alloy:ipc/NAME); "
                + "'./mkspec check --list' lists them all";
    }

    private static String status(ProgressBoard board, long start) {
        Map<String, ProgressBoard.Entry> running = board.running();
        StringBuilder sb = new StringBuilder(String.format("[%d/%d] %s", board.done(), board.total(),
                Durations.format(Duration.ofNanos(System.nanoTime() - start))));
        for (ProgressBoard.Entry e : running.values()) {
            sb.append("  ").append(e.id()).append(' ').append(Durations.format(Duration.ofNanos(System.nanoTime() - e.startNanos())));
            if (!e.detail().isEmpty()) {
                sb.append(" (").append(e.detail()).append(')');
            }
        }
        return sb.toString();
    }

    static String resultLine(CheckResult r, int done, int total) {
        String counts = r.distinctStates().isPresent()
                ? String.format("%,d distinct%s", r.distinctStates().getAsLong(),
                        r.depth().isPresent() ? ", depth " + r.depth().getAsLong() : "")
                : r.actual();
        String line = String.format("[%" + Integer.toString(total).length() + "d/%d] %-13s %-44s %s  %s", done, total,
                r.status().label(), r.id(), counts, Durations.format(r.elapsed()));
        if (!r.ok()) {
            StringBuilder sb = new StringBuilder(line);
            for (String m : r.mismatches()) {
                sb.append("\n      ").append(m.replace("\n", "\n      "));
            }
            boolean repeated = r.mismatches().contains(r.message());
            if (!r.message().isBlank() && !repeated
                    && (r.mismatches().isEmpty() || r.status() != CheckResult.Status.FAILED)) {
                // The tool's own words, which carry file:line:column for bad input.
                List<String> lines = r.message().lines().limit(6).toList();
                sb.append("\n      ").append(String.join("\n      ", lines));
            }
            r.traceText().ifPresent(p -> sb.append("\n      trace: ").append(p));
            return sb.toString();
        }
        return line;
    }

    private static void printSummary(PrintWriter w, PlanReport report, ReportWriter writer, Path outDir) {
        w.println();
        w.printf("%-13s %-44s %-28s %12s %7s %9s%n", "result", "check", "expected", "distinct", "depth", "time");
        for (CheckResult r : report.results()) {
            w.printf("%-13s %-44s %-28s %12s %7s %9s%n", r.status().label(), r.id(), shorten(r.expected(), 28),
                    r.distinctStates().isPresent() ? String.format("%,d", r.distinctStates().getAsLong()) : "",
                    r.depth().isPresent() ? Long.toString(r.depth().getAsLong()) : "", Durations.format(r.elapsed()));
        }
        for (String p : report.pending()) {
            w.printf("%-13s %s%n", "not run", p);
        }
        w.println();
        w.printf("%d checks: %d passed, %d failed, %d bad input, %d tool failures, %d timeouts, %d out of memory, "
                + "%d reported, %d not applicable%s.%n", report.results().size(),
                report.count(CheckResult.Status.PASSED), report.count(CheckResult.Status.FAILED),
                report.count(CheckResult.Status.BAD_INPUT), report.count(CheckResult.Status.TOOL_FAILURE),
                report.count(CheckResult.Status.TIMEOUT), report.count(CheckResult.Status.OUT_OF_MEMORY),
                report.count(CheckResult.Status.NOT_JUDGED), report.count(CheckResult.Status.NOT_APPLICABLE),
                report.pending().isEmpty() ? "" : ", " + report.pending().size() + " not run");
        report.coverage().ifPresent(c -> {
            w.println();
            if (c.state() == PlanCoverage.State.JUDGED) {
                if (!c.reason().isEmpty()) {
                    w.println(c.reason() + ".");
                }
                for (dev.mkspec.specs.coverage.AreaCoverage.Result a : c.areas()) {
                    c.lines(a).forEach(w::println);
                }
            } else {
                w.println(c.reason() + ".");
            }
            w.println();
        });
        hints(w, report.results());
        w.printf("Reports: %s, %s, %s, %s%n", relative(writer.json()), relative(writer.junit()), relative(writer.markdown()),
                relative(writer.html()));
        w.printf("Exit %d (%s)%n", report.exitStatus(), report.exitDescription());
        w.flush();
    }

    /** One hint line for each MK code among the results that did not come out as expected. */
    static void hints(PrintWriter w, List<CheckResult> results) {
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        java.util.regex.Pattern code = java.util.regex.Pattern.compile("MK-\\d{3}");
        for (CheckResult r : results) {
            if (r.ok()) {
                continue;
            }
            java.util.regex.Matcher m = code.matcher(r.message() + " " + String.join(" ", r.mismatches()));
            while (m.find()) {
                seen.add(m.group());
            }
        }
        for (Problem p : Problem.values()) {
            if (seen.contains(p.code())) {
                w.println("hint:  " + p.code() + ": " + p.hint());
            }
        }
    }

    private static String shorten(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static String relative(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }
}
