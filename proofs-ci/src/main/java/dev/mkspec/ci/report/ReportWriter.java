package dev.mkspec.ci.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkspec.ci.Durations;
import dev.mkspec.ci.catalog.InvariantCatalog;
import dev.mkspec.ci.plan.CheckResult;
import dev.mkspec.ci.plan.PlanCoverage;
import dev.mkspec.ci.plan.PlanReport;
import dev.mkspec.specs.coverage.AreaCoverage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes the reports of a plan run into one directory, each atomically:
 * <ul>
 *   <li>{@code report.json}, for machines: every check with its verdict, counts, time, tool and
 *       trace files, and the run's versions and commit;</li>
 *   <li>{@code junit.xml}, one test case per check, for CI systems;</li>
 *   <li>{@code summary.md}, for people;</li>
 *   <li>{@code report.html}, for people exploring counterexamples and citing invariants (when
 *       built with the repository root; see {@link HtmlReport}).</li>
 * </ul>
 * The writer is called after every finished check, so the files always describe a consistent
 * state of the run; {@code "complete": false} marks a run that has not (yet) finished.
 */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Optional<HtmlReport> html;
    private static final long HTML_INTERVAL_NANOS = 15_000_000_000L;
    private long lastHtml;

    /** Writes report.json, junit.xml and summary.md into {@code dir}. */
    public ReportWriter(Path dir) {
        this.dir = dir;
        this.html = Optional.empty();
    }

    /** Also writes report.html, with sources from {@code root} and traces replayed in {@code models}. */
    public ReportWriter(Path dir, Path root, dev.mkspec.refinement.ModelBindings models) {
        this.dir = dir;
        this.html = Optional.of(new HtmlReport(root, models));
    }

    public Path html() {
        return dir.resolve("report.html");
    }

    public Path json() {
        return dir.resolve("report.json");
    }

    public Path junit() {
        return dir.resolve("junit.xml");
    }

    public Path markdown() {
        return dir.resolve("summary.md");
    }

    /** Writes all three reports. */
    public synchronized void write(PlanReport report) {
        AtomicFiles.write(json(), json(report));
        AtomicFiles.write(junit(), junit(report));
        AtomicFiles.write(markdown(), markdown(report));
        // The page is the largest report and replays traces: while the run goes on it is rewritten
        // at most every few seconds; the final report always is.
        long now = System.nanoTime();
        if (html.isPresent() && (report.finished().isPresent() || report.interrupted() || lastHtml == 0
                || now - lastHtml >= HTML_INTERVAL_NANOS)) {
            AtomicFiles.write(html(), html.get().renderSafely(report));
            lastHtml = now;
        }
    }

    // ---------------------------------------------------------------------------------------------

    String json(PlanReport r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "mkspec-report/1");
        root.put("complete", r.complete());
        root.put("interrupted", r.interrupted());
        root.put("exitCode", r.exitStatus());
        root.put("exitClass", r.exitDescription());
        r.signal().ifPresent(sig -> root.put("signal", sig));
        root.put("wallSeconds", r.wallTime(java.time.Instant.now()).toMillis() / 1000.0);
        root.put("profile", r.profile());
        root.put("started", r.started().toString());
        r.finished().ifPresent(f -> root.put("finished", f.toString()));
        ObjectNode env = root.putObject("environment");
        env.put("mkspec", r.environment().mkspecVersion());
        env.put("commit", r.environment().commit());
        env.put("dirty", r.environment().dirty());
        env.put("java", r.environment().java());
        env.put("alloy", r.environment().alloy());
        env.put("tlc", r.tlcVersion().orElse("not run"));
        ObjectNode summary = root.putObject("summary");
        summary.put("checks", r.results().size());
        for (CheckResult.Status s : CheckResult.Status.values()) {
            summary.put(s.name().toLowerCase(Locale.ROOT), r.count(s));
        }
        summary.put("pending", r.pending().size());
        ArrayNode checks = root.putArray("checks");
        for (CheckResult c : r.results()) {
            ObjectNode n = checks.addObject();
            n.put("id", c.id());
            n.put("kind", c.kind().id());
            n.put("area", c.area());
            n.put("name", c.name());
            n.put("profile", c.profile());
            n.put("status", c.status().name().toLowerCase(Locale.ROOT));
            n.put("ok", c.ok());
            n.put("expected", c.expected());
            n.put("actual", c.actual());
            ArrayNode mm = n.putArray("mismatches");
            c.mismatches().forEach(mm::add);
            n.put("message", c.message());
            c.distinctStates().ifPresent(v -> n.put("distinctStates", v));
            c.generatedStates().ifPresent(v -> n.put("generatedStates", v));
            c.depth().ifPresent(v -> n.put("depth", v));
            c.statesPerSecond().ifPresent(v -> n.put("statesPerSecond", Math.round(v)));
            n.put("seconds", c.elapsed().toMillis() / 1000.0);
            c.toolTime().ifPresent(t -> n.put("toolSeconds", t.toMillis() / 1000.0));
            c.memory().ifPresent(m -> {
                ObjectNode mem = n.putObject("memory");
                long states = Math.max(1, c.distinctStates().orElse(1));
                mem.put("fingerprintBytes", m.fingerprintBytes());
                mem.put("fingerprintBytesPerState", (double) m.fingerprintBytes() / states);
                mem.put("peakHeapBytes", m.peakHeapBytes());
                mem.put("peakHeapBytesPerState", Math.round(m.peakHeapBytes() * 10.0 / states) / 10.0);
                mem.put("frontierStatesOnDisk", m.frontierStatesOnDisk());
                mem.put("frontierBytesOnDisk", m.frontierBytesOnDisk());
            });
            n.put("tool", c.tool());
            ArrayNode props = n.putArray("properties");
            c.properties().forEach(props::add);
            c.itf().ifPresent(p -> n.put("itf", relative(p)));
            c.traceText().ifPresent(p -> n.put("trace", relative(p)));
            c.log().ifPresent(p -> n.put("log", relative(p)));
        }
        ArrayNode invariants = root.putArray("invariants");
        r.catalog().ifPresent(cat -> {
            for (InvariantCatalog.Entry e : cat.entries()) {
                ObjectNode n = invariants.addObject();
                n.put("id", e.id());
                n.put("title", e.title());
                n.put("statement", e.statement());
                n.put("kind", e.kind());
                if (e.hasTla()) {
                    n.put("tla", e.tla());
                    n.put("java", e.java());
                }
                e.noJava().ifPresent(why -> n.put("noJava", why));
                e.alloy().ifPresent(a -> n.put("alloy", a));
                e.kernel().ifPresent(k -> n.put("kernel", k));
                e.impliedBy().ifPresent(i -> {
                    ObjectNode ib = n.putObject("impliedBy");
                    i.ids().forEach(ib.putArray("ids")::add);
                    ib.put("reason", i.reason());
                    i.provedBy().forEach(ib.putArray("provedBy")::add);
                });
                n.put("status", invariantStatus(r, e));
                ArrayNode by = n.putArray("verifiedBy");
                for (CheckResult c : results(r, e.checkedBy())) {
                    ObjectNode x = by.addObject();
                    x.put("check", c.id());
                    x.put("status", c.status().name().toLowerCase(Locale.ROOT));
                    x.put("tool", c.tool());
                    x.put("bounds", c.bounds());
                    c.distinctStates().ifPresent(d -> x.put("distinctStates", d));
                    x.put("seconds", c.elapsed().toMillis() / 1000.0);
                }
                ArrayNode fails = n.putArray("shownToFailBy");
                for (CheckResult c : results(r, e.failsIn())) {
                    ObjectNode x = fails.addObject();
                    x.put("check", c.id());
                    x.put("status", c.status().name().toLowerCase(Locale.ROOT));
                }
            }
        });
        r.coverage().ifPresent(c -> coverageJson(root.putObject("coverage"), c));
        ArrayNode pending = root.putArray("pending");
        r.pending().forEach(pending::add);
        ArrayNode notes = root.putArray("notes");
        r.notes().forEach(notes::add);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String junit(PlanReport r) {
        long failures = r.results().stream().filter(c -> c.status() == CheckResult.Status.FAILED).count();
        long errors = r.results().stream().filter(c -> !c.ok() && c.status() != CheckResult.Status.FAILED).count();
        long skipped = r.count(CheckResult.Status.NOT_APPLICABLE) + r.pending().size();
        // The run's wall time, not the sum of the checks (which overlap when several run at once).
        double time = r.wallTime(java.time.Instant.now()).toMillis() / 1000.0;
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<testsuites name=\"mkspec\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">%n",
                r.results().size() + r.pending().size(), failures, errors, skipped, time));
        sb.append(String.format(Locale.ROOT, "  <testsuite name=\"mkspec check --profile %s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\" timestamp=\"%s\">%n",
                xml(r.profile()), r.results().size() + r.pending().size(), failures, errors, skipped, time,
                xml(r.started().toString())));
        sb.append("    <properties>\n");
        property(sb, "commit", r.environment().commit());
        property(sb, "tlc", r.tlcVersion().orElse("not run"));
        property(sb, "alloy", r.environment().alloy());
        property(sb, "java", r.environment().java());
        sb.append("    </properties>\n");
        for (CheckResult c : r.results()) {
            String classname = "mkspec." + c.kind().id() + "." + c.area();
            sb.append(String.format(Locale.ROOT, "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\">%n",
                    xml(classname), xml(c.name()), c.elapsed().toMillis() / 1000.0));
            String detail = detail(c);
            switch (c.status()) {
                case FAILED -> sb.append("      <failure type=\"unexpected verdict\" message=\"")
                        .append(xml(String.join("; ", c.mismatches()))).append("\">").append(xml(detail))
                        .append("</failure>\n");
                case BAD_INPUT, TOOL_FAILURE, TIMEOUT, OUT_OF_MEMORY -> sb.append("      <error type=\"")
                        .append(xml(c.status().exitClass().description())).append("\" message=\"")
                        .append(xml(firstLine(c.message()))).append("\">").append(xml(detail)).append("</error>\n");
                case NOT_APPLICABLE -> sb.append("      <skipped message=\"").append(xml(c.message())).append("\"/>\n");
                default -> {
                }
            }
            sb.append("      <system-out>").append(xml(detail)).append("</system-out>\n");
            sb.append("    </testcase>\n");
        }
        for (String p : r.pending()) {
            int colon = p.indexOf(':');
            int slash = p.indexOf('/');
            String classname = "mkspec." + (colon > 0 ? p.substring(0, colon) : "check")
                    + (slash > colon ? "." + p.substring(colon + 1, slash) : "");
            sb.append("    <testcase classname=\"").append(xml(classname)).append("\" name=\"")
                    .append(xml(slash > 0 ? p.substring(slash + 1) : p)).append("\" time=\"0\">\n")
                    .append("      <skipped message=\"not run: the plan ")
                    .append(r.interrupted() ? "was interrupted" : "has not reached it yet").append("\"/>\n")
                    .append("    </testcase>\n");
        }
        sb.append("  </testsuite>\n</testsuites>\n");
        return sb.toString();
    }

    String markdown(PlanReport r) {
        StringBuilder sb = new StringBuilder("# mkspec check\n\n");
        String state = r.complete() ? (r.exitClass().code() == 0 ? "**All checks came out as expected.**"
                : "**Some checks did not come out as expected** (exit " + r.exitClass().code() + ", "
                        + r.exitClass().description() + ").")
                : r.interrupted() ? "**The run was interrupted**" + r.signal().map(sig -> " by " + sig).orElse("")
                        + " (exit " + r.exitStatus() + "); the checks below ran, the rest did not."
                : "**The run is still going**; this summary is rewritten after every check.";
        sb.append(state).append("\n\n");
        sb.append(String.format("Profile `%s`; %d checks: %d passed, %d failed, %d bad input, %d tool failures, "
                + "%d timeouts, %d out of memory, %d reported without a verdict, %d not applicable; %d not run.%n%n",
                r.profile(), r.results().size(), r.count(CheckResult.Status.PASSED), r.count(CheckResult.Status.FAILED),
                r.count(CheckResult.Status.BAD_INPUT), r.count(CheckResult.Status.TOOL_FAILURE),
                r.count(CheckResult.Status.TIMEOUT), r.count(CheckResult.Status.OUT_OF_MEMORY),
                r.count(CheckResult.Status.NOT_JUDGED), r.count(CheckResult.Status.NOT_APPLICABLE), r.pending().size()));
        sb.append("Commit `").append(r.environment().commit()).append(r.environment().dirty() ? "` (with uncommitted changes)" : "`")
                .append("; ").append(r.tlcVersion().orElse("TLC not run")).append("; Alloy ")
                .append(r.environment().alloy()).append("; ").append(r.environment().java()).append(".\n\n");
        sb.append("| check | result | expected | actual | distinct | depth | time |\n");
        sb.append("|---|---|---|---|---:|---:|---:|\n");
        for (CheckResult c : r.results()) {
            sb.append("| `").append(c.id()).append("` | ").append(c.ok() ? c.status().label() : "**" + c.status().label() + "**")
                    .append(" | ").append(md(c.expected())).append(" | ").append(md(c.actual())).append(" | ")
                    .append(c.distinctStates().isPresent() ? String.format("%,d", c.distinctStates().getAsLong()) : "")
                    .append(" | ").append(c.depth().isPresent() ? Long.toString(c.depth().getAsLong()) : "")
                    .append(" | ").append(Durations.format(c.elapsed())).append(" |\n");
        }
        for (String p : r.pending()) {
            sb.append("| `").append(p).append("` | not run | | | | | |\n");
        }
        r.catalog().ifPresent(cat -> invariantsSection(sb, r, cat));
        r.coverage().ifPresent(c -> coverageSection(sb, c));
        sideBySide(sb, r);
        List<CheckResult> bad = r.results().stream().filter(c -> !c.ok()).toList();
        if (!bad.isEmpty()) {
            sb.append("\n## What did not come out as expected\n");
            for (CheckResult c : bad) {
                sb.append("\n### `").append(c.id()).append("`: ").append(c.status().label()).append("\n\n");
                for (String m : c.mismatches()) {
                    sb.append("- ").append(md(m)).append('\n');
                }
                if (!c.message().isBlank() && !c.mismatches().contains(c.message())) {
                    sb.append("\n```\n").append(c.message().strip()).append("\n```\n");
                }
                c.traceText().ifPresent(p -> {
                    try {
                        sb.append("\nTrace (").append(relative(c.itf().orElse(p))).append("):\n\n```\n")
                                .append(Files.readString(p).strip()).append("\n```\n");
                    } catch (IOException e) {
                        sb.append("\nTrace: ").append(relative(p)).append('\n');
                    }
                });
                c.log().ifPresent(p -> sb.append("\nRaw log: `").append(relative(p)).append("`\n"));
            }
        }
        List<CheckResult> traced = r.results().stream().filter(c -> c.ok() && c.itf().isPresent()).toList();
        if (!traced.isEmpty()) {
            sb.append("\n## Expected counterexamples and instances\n\n");
            sb.append("These checks were expected to produce a trace (a bug variant's counterexample, an Alloy instance):\n\n");
            for (CheckResult c : traced) {
                sb.append("- `").append(c.id()).append("`: ").append(relative(c.traceText().orElseThrow()))
                        .append(" (ITF: ").append(relative(c.itf().orElseThrow())).append(")\n");
            }
        }
        if (!r.notes().isEmpty()) {
            sb.append("\n## Notes\n\n");
            r.notes().forEach(n -> sb.append("- ").append(md(n)).append('\n'));
        }
        return sb.toString();
    }

    private static void coverageJson(ObjectNode n, PlanCoverage c) {
        n.put("state", c.state().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        if (c.state() != PlanCoverage.State.JUDGED) {
            n.put("reason", c.reason());
            return;
        }
        n.put("ok", !c.fails());
        if (!c.reason().isEmpty()) {
            n.put("scope", c.reason());
        }
        ArrayNode areas = n.putArray("areas");
        for (AreaCoverage.Result a : c.areas()) {
            ObjectNode x = areas.addObject();
            x.put("area", a.area());
            x.put("complete", a.complete());
            x.put("actions", a.actions().size());
            x.put("judgedBranches", a.judgedBranches().size());
            ArrayNode checks = x.putArray("checks");
            a.runs().forEach(checks::add);
            ArrayNode off = x.putArray("withoutCoverage");
            c.withoutCoverage(a.area()).forEach(off::add);
            ArrayNode redundant = x.putArray("coverageAddsNothing");
            c.redundant().getOrDefault(a.area(), List.of()).forEach(redundant::add);
            ArrayNode outside = x.putArray("outsideCoverage");
            a.outsideCoverage().forEach(outside::add);
            ArrayNode ua = x.putArray("uncoveredActions");
            for (AreaCoverage.Action act : a.uncoveredActions()) {
                ObjectNode o = ua.addObject();
                o.put("action", act.name());
                o.put("at", act.span().map(c::where).orElse(act.location()));
            }
            branchArray(x.putArray("uncoveredBranches"), a.uncoveredBranches(), c);
            branchArray(x.putArray("unknownBranches"), a.unknownBranches(), c);
            branchArray(x.putArray("notJudged"), a.notJudged(), c);
        }
    }

    private static void branchArray(ArrayNode arr, List<AreaCoverage.BranchCoverage> list, PlanCoverage c) {
        for (AreaCoverage.BranchCoverage b : list) {
            ObjectNode o = arr.addObject();
            o.put("at", c.where(b.branch().position()));
            o.put("branch", b.branch().text());
            o.put("definition", b.branch().definition());
            o.put("taken", b.taken());
            if (b.scope() != AreaCoverage.Scope.JUDGED) {
                o.put("scope", b.scope().description());
            }
            o.put("why", b.why());
        }
    }

    private static void coverageSection(StringBuilder sb, PlanCoverage c) {
        sb.append("\n## Coverage\n\n");
        if (c.state() != PlanCoverage.State.JUDGED) {
            sb.append(md(c.reason())).append(".\n");
            return;
        }
        sb.append("Every sub-action of each area's next-state relation, and every IF/CASE branch of its modules, must be "
                + "taken by some fast TLC check (TLC's own `-coverage`, the union over the area's fast checks that "
                + "collect it, bug variants' switches counted by their violations).\n\n");
        if (!c.reason().isEmpty()) {
            sb.append(md(c.reason())).append(".\n\n");
        }
        for (AreaCoverage.Result a : c.areas()) {
            sb.append("### ").append(a.area()).append("\n\n");
            List<String> lines = c.lines(a);
            sb.append(a.complete() ? "" : "**").append(md(lines.get(0))).append(a.complete() ? "" : "**").append("\n\n");
            List<String> runs = new java.util.ArrayList<>(c.outsideLines(a));
            runs.addAll(c.coverageRunLines(a));
            for (String l : runs) {
                sb.append("- ").append(md(l.trim())).append('\n');
            }
            for (AreaCoverage.Action act : a.uncoveredActions()) {
                sb.append("- `").append(act.span().map(c::where).orElse(act.location())).append("` action `")
                        .append(act.name()).append("`\n");
            }
            for (AreaCoverage.BranchCoverage b : a.uncoveredBranches()) {
                sb.append("- `").append(c.where(b.branch().position())).append("` `").append(md(b.branch().text()))
                        .append("`: ").append(md(b.why())).append('\n');
            }
            if (!a.unknownBranches().isEmpty()) {
                sb.append("\nNot judged: TLC reported these only in aggregate (folded into an enclosing expression, or counted at the definition of the operator the branch calls) in a check that may have taken them "
                        + "(TLC prints a subtree as one line when all of it was evaluated equally often):\n\n");
                for (AreaCoverage.BranchCoverage b : a.unknownBranches()) {
                    sb.append("- `").append(c.where(b.branch().position())).append("` `").append(md(b.branch().text()))
                            .append("`: ").append(md(b.why())).append('\n');
                }
            }
            if (!a.notJudged().isEmpty()) {
                sb.append("\nNot judged (never a failure):\n\n");
                for (AreaCoverage.BranchCoverage b : a.notJudged()) {
                    sb.append("- `").append(c.where(b.branch().position())).append("` `").append(md(b.branch().text()))
                            .append("` in `").append(b.branch().definition()).append("`: ").append(b.scope().description())
                            .append("; ").append(b.taken() ? "taken" : "not seen taken").append('\n');
                }
            }
            sb.append('\n');
        }
    }

    /** The results in this report of the given check IDs, in that order. */
    static List<CheckResult> results(PlanReport r, List<String> ids) {
        List<CheckResult> out = new java.util.ArrayList<>();
        for (String id : ids) {
            r.results().stream().filter(c -> c.id().equals(id)).findFirst().ifPresent(out::add);
        }
        return out;
    }

    /**
     * {@code verified} if every check of the entry that ran passed and one did, {@code not verified}
     * if one did not pass, {@code not run} if none ran in this run (or none that ran could verify
     * it: a check that did not apply, or was not judged).
     */
    static String invariantStatus(PlanReport r, InvariantCatalog.Entry e) {
        List<CheckResult> ran = results(r, e.checkedBy());
        if (!ran.stream().allMatch(CheckResult::ok)) {
            return "not verified";
        }
        // A check that did not apply (liveness with the explorer) or was not judged verifies nothing.
        return ran.stream().anyMatch(c -> c.status() == CheckResult.Status.PASSED) ? "verified" : "not run";
    }

    private void invariantsSection(StringBuilder sb, PlanReport r, InvariantCatalog cat) {
        sb.append("\n## Invariants\n\n");
        sb.append("Each entry of `specs/invariants.yaml`, with what verified it in this run (commit `")
                .append(r.environment().commit()).append("`) and the bug variants that show it can fail.\n\n");
        sb.append("| ID | title | status | verified by | largest bounds checked | distinct | shown to fail by |\n");
        sb.append("|---|---|---|---|---|---:|---|\n");
        for (InvariantCatalog.Entry e : cat.entries()) {
            List<CheckResult> ran = results(r, e.checkedBy());
            java.util.Set<String> tools = new java.util.TreeSet<>();
            ran.stream().filter(CheckResult::ok).forEach(c -> tools.add(c.kind().id()));
            Optional<CheckResult> largest = ran.stream().filter(c -> c.ok() && c.distinctStates().isPresent())
                    .max(java.util.Comparator.comparingLong(c -> c.distinctStates().getAsLong()))
                    // An entry verified by Alloy alone has no state count: show the scope it was checked for.
                    .or(() -> ran.stream().filter(c -> c.ok() && !c.bounds().isBlank()).findFirst());
            List<CheckResult> failed = results(r, e.failsIn()).stream().filter(CheckResult::ok).toList();
            sb.append("| ").append(e.id()).append(" | ").append(md(e.title())).append(" | ")
                    .append(invariantStatus(r, e)).append(" | ")
                    .append(tools.isEmpty() ? "" : String.join(", ", tools) + " (" + ran.stream().filter(CheckResult::ok).count() + " checks)")
                    .append(" | ").append(largest.map(c -> "`" + md(c.bounds()) + "`").orElse(""))
                    .append(" | ").append(largest.filter(c -> c.distinctStates().isPresent())
                            .map(c -> String.format("%,d", c.distinctStates().getAsLong())).orElse(""))
                    .append(" | ").append(failed.stream().map(c -> "`" + c.id() + "`").collect(java.util.stream.Collectors.joining(", ")))
                    .append(" |\n");
        }
        sb.append("\n");
        for (InvariantCatalog.Entry e : cat.entries()) {
            sb.append("- **").append(e.id()).append("** ").append(md(e.statement()));
            e.impliedBy().ifPresent(i -> sb.append(" *Implied by ").append(String.join(" and ", i.ids())).append(": ")
                    .append(md(i.reason()))
                    .append(i.provedBy().isEmpty() ? "" : " (proved by " + i.provedBy().stream().map(x -> "`" + x + "`")
                            .collect(java.util.stream.Collectors.joining(", ")) + ")")
                    .append("*"));
            sb.append('\n');
        }
    }

    /** TLC and the explorer on the same configurations: their states and times. */
    private static void sideBySide(StringBuilder sb, PlanReport r) {
        List<String[]> rows = new java.util.ArrayList<>();
        for (CheckResult t : r.results()) {
            if (t.kind() != CheckResult.Kind.TLC) {
                continue;
            }
            String key = t.id().substring("tlc:".length());
            Optional<CheckResult> x = r.results().stream().filter(c -> c.id().equals("explorer:" + key)).findFirst();
            if (x.isEmpty() || x.get().status() == CheckResult.Status.NOT_APPLICABLE) {
                continue;
            }
            CheckResult e = x.get();
            java.time.Duration tOwn = t.toolTime().orElse(t.elapsed());
            java.time.Duration eOwn = e.toolTime().orElse(e.elapsed());
            rows.add(new String[] {key, counts(t), counts(e), Durations.format(tOwn), Durations.format(eOwn),
                Durations.ratio(tOwn, eOwn), Durations.format(t.elapsed()), Durations.format(e.elapsed()),
                Durations.ratio(t.elapsed(), e.elapsed())});
        }
        if (rows.isEmpty()) {
            return;
        }
        sb.append("\n## TLC and the explorer side by side\n\n");
        sb.append("The same cfg checked by both. *Own time* is each tool's own: the time TLC reports, and the "
                + "explorer's exploration. *Whole check* is the wall-clock time of the check: for TLC it adds starting "
                + "its JVM and parsing, for the explorer recording the state graph to compare with TLC's. junit.xml and "
                + "report.json (`toolSeconds`, `seconds`) carry the same two times.\n\n");
        sb.append("| configuration | TLC states (distinct / generated) | explorer states | TLC own time | explorer own time "
                + "| TLC / explorer (own) | TLC whole check | explorer whole check | TLC / explorer (whole) |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String[] row : rows) {
            sb.append("| `").append(row[0]).append("` | ").append(String.join(" | ", java.util.Arrays.copyOfRange(row, 1, row.length)))
                    .append(" |\n");
        }
    }

    static String counts(CheckResult c) {
        return (c.distinctStates().isPresent() ? String.format("%,d", c.distinctStates().getAsLong()) : "?") + " / "
                + (c.generatedStates().isPresent() ? String.format("%,d", c.generatedStates().getAsLong()) : "?");
    }

    /** A check's times, labelled: the whole check, and the tool's own time where it differs. */
    static String timeLabel(CheckResult c) {
        return String.format(Locale.ROOT, "%.2fs whole check", c.elapsed().toMillis() / 1000.0)
                + c.toolTime().map(t -> String.format(Locale.ROOT, ", %.2fs %s", t.toMillis() / 1000.0,
                        c.kind() == CheckResult.Kind.TLC ? "TLC's own (as TLC reports it)" : "exploring")).orElse("");
    }

    private static String detail(CheckResult c) {
        StringBuilder sb = new StringBuilder();
        sb.append("expected: ").append(c.expected()).append('\n');
        sb.append("actual:   ").append(c.actual()).append('\n');
        c.mismatches().forEach(m -> sb.append("mismatch: ").append(m).append('\n'));
        if (!c.message().isBlank()) {
            sb.append(c.message().strip()).append('\n');
        }
        sb.append("tool: ").append(c.tool()).append('\n');
        sb.append("time: ").append(timeLabel(c)).append('\n');
        if (!c.properties().isEmpty()) {
            sb.append("checked: ").append(String.join(", ", c.properties())).append('\n');
        }
        c.traceText().ifPresent(p -> sb.append("trace: ").append(p).append('\n'));
        c.itf().ifPresent(p -> sb.append("itf: ").append(p).append('\n'));
        c.log().ifPresent(p -> sb.append("log: ").append(p).append('\n'));
        return sb.toString();
    }

    private String relative(Path p) {
        Path base = dir.toAbsolutePath().normalize();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    }

    private static void property(StringBuilder sb, String name, String value) {
        sb.append("      <property name=\"").append(xml(name)).append("\" value=\"").append(xml(value)).append("\"/>\n");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String xml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                        sb.append(' ');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
