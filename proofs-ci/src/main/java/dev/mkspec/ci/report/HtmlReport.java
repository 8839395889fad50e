package dev.mkspec.ci.report;

import dev.mkspec.check.StateMachine;
import dev.mkspec.ci.Durations;
import dev.mkspec.ci.catalog.InvariantCatalog;
import dev.mkspec.ci.plan.CheckResult;
import dev.mkspec.ci.plan.Manifest;
import dev.mkspec.ci.plan.ManifestReader;
import dev.mkspec.ci.plan.PlanReport;
import dev.mkspec.ci.view.Html;
import dev.mkspec.ci.view.Resources;
import dev.mkspec.ci.view.SourceExcerpts;
import dev.mkspec.ci.view.TraceView;
import dev.mkspec.refinement.ModelBinding;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.refinement.TraceEvaluation;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.trace.ItfReader;
import dev.mkspec.specs.trace.Trace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * {@code report.html}: the run as one self-contained page that works offline. It has the check
 * table (filtered by area, tool and status), TLC beside the explorer per configuration, every
 * counterexample and Alloy instance as a step-through view with a picture of each state, and the
 * invariant catalog with one anchor per ID ({@code report.html#AS-3}): the sentence, where each
 * tool defines it, the evidence of this run and the bug variants that break it.
 *
 * <p>A counterexample of a configuration whose manifest names a Java model is replayed in that
 * model, which evaluates the violated property at every state: the view marks where it first
 * became false. Rendering a trace costs a replay; each trace file is rendered once per run.
 */
final class HtmlReport {
    private final Path root;
    private final ModelBindings models;
    private final SourceExcerpts sources;
    private final Map<String, String> traceSections = new ConcurrentHashMap<>();
    private volatile Map<String, Manifest> manifests;

    /** A report of the repository at {@code root}, replaying traces in {@code models}. */
    HtmlReport(Path root, ModelBindings models) {
        this.root = root;
        this.models = models;
        this.sources = new SourceExcerpts(root);
    }

    /**
     * The page, or, if drawing it fails (a bug, an unreadable source file), a short page that says
     * so and points to the other reports: the page must never stop the run it reports on.
     */
    String renderSafely(PlanReport r) {
        try {
            return render(r);
        } catch (RuntimeException e) {
            return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mkspec check report</title></head><body>"
                    + "<h1>mkspec check report</h1><p>report.html could not be drawn: <code>" + Html.escape(String.valueOf(e))
                    + "</code>. report.json, junit.xml and summary.md beside it hold the run's results; please report this "
                    + "with the run's command line.</p></body></html>\n";
        }
    }

    /** The page. */
    String render(PlanReport r) {
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>mkspec check report</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>\n")
                .append(Resources.text("report.css")).append("</style>\n</head>\n<body>\n");
        header(sb, r);
        sb.append("<nav><a href=\"#checks\">Checks</a> <a href=\"#side-by-side\">TLC and the explorer</a> "
                + "<a href=\"#counterexamples\">Counterexamples</a> <a href=\"#catalog\">Invariant catalog</a></nav>\n<main>\n");
        checks(sb, r);
        sideBySide(sb, r);
        counterexamples(sb, r);
        r.catalog().ifPresent(cat -> catalog(sb, r, cat));
        sb.append("</main>\n<script>\n").append(Resources.text("report.js")).append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    private void header(StringBuilder sb, PlanReport r) {
        var env = r.environment();
        sb.append("<header>\n<h1>mkspec check report</h1>\n<p class=\"facts\">Profile <strong>").append(Html.escape(r.profile()))
                .append("</strong> &middot; commit <code id=\"commit\">").append(Html.escape(env.commit())).append("</code>")
                .append(env.dirty() ? " <span class=\"badge bad\">dirty tree</span>" : "")
                .append(" &middot; started ").append(Html.escape(r.started().toString()))
                .append(r.finished().map(f -> " &middot; finished " + Html.escape(f.toString())).orElse(" &middot; <strong>still running</strong>"))
                .append("</p>\n<p class=\"facts\">mkspec ").append(Html.escape(env.mkspecVersion())).append(" &middot; ")
                .append(Html.escape(r.tlcVersion().orElse("TLC not run"))).append(" &middot; Alloy ").append(Html.escape(env.alloy()))
                .append(" &middot; ").append(Html.escape(env.java())).append("</p>\n<p class=\"outcome ")
                .append(r.exitClass().code() == 0 ? "ok" : "bad").append("\">").append(r.results().size()).append(" checks: ")
                .append(r.count(CheckResult.Status.PASSED)).append(" passed, ").append(r.count(CheckResult.Status.FAILED)).append(" failed, ")
                .append(r.results().size() - r.count(CheckResult.Status.PASSED) - r.count(CheckResult.Status.FAILED)).append(" other")
                .append(r.pending().isEmpty() ? "" : ", " + r.pending().size() + " not run").append(" &middot; ")
                .append(Html.escape(r.exitDescription())).append(" (exit ").append(r.exitStatus()).append(")</p>\n</header>\n");
    }

    private static void checks(StringBuilder sb, PlanReport r) {
        sb.append("<section id=\"checks\">\n<h2>Checks</h2>\n<div class=\"filters\">");
        filter(sb, "area", r.results().stream().map(CheckResult::area));
        filter(sb, "tool", r.results().stream().map(c -> c.kind().id()));
        filter(sb, "status", r.results().stream().map(HtmlReport::status));
        sb.append("<span id=\"shown\"></span></div>\n<table class=\"checks\">\n<thead><tr><th>status</th><th>check</th><th>expected</th>"
                + "<th>actual</th><th class=\"num\">distinct</th><th class=\"num\">depth</th><th class=\"num\">time</th><th>trace</th></tr></thead>\n<tbody>\n");
        for (CheckResult c : r.results()) {
            sb.append("<tr class=\"check ").append(c.ok() ? "ok" : "bad").append("\" data-area=\"").append(Html.escape(c.area()))
                    .append("\" data-tool=\"").append(c.kind().id()).append("\" data-status=\"").append(status(c)).append("\" id=\"check-")
                    .append(Html.id(c.id())).append("\"><td>").append(Html.escape(c.status().label())).append("</td><td><code>")
                    .append(Html.escape(c.id())).append("</code></td><td>").append(Html.escape(c.expected())).append("</td><td>")
                    .append(Html.escape(c.actual()));
            c.mismatches().forEach(m -> sb.append("<div class=\"mismatch\">").append(Html.escape(m)).append("</div>"));
            sb.append("</td><td class=\"num\">").append(c.distinctStates().isPresent() ? String.format("%,d", c.distinctStates().getAsLong()) : "")
                    .append("</td><td class=\"num\">").append(c.depth().isPresent() ? Long.toString(c.depth().getAsLong()) : "")
                    .append("</td><td class=\"num\">").append(Durations.format(c.elapsed())).append("</td><td>")
                    .append(c.itf().isPresent() || c.traceText().isPresent()
                            ? "<a href=\"#trace-" + Html.id(c.id()) + "\">trace</a>" : "")
                    .append("</td></tr>\n");
        }
        for (String p : r.pending()) {
            sb.append("<tr class=\"check pending\" data-area=\"\" data-tool=\"").append(Html.escape(p.substring(0, Math.max(0, p.indexOf(':')))))
                    .append("\" data-status=\"not run\"><td>not run</td><td><code>").append(Html.escape(p)).append("</code></td><td colspan=\"6\"></td></tr>\n");
        }
        sb.append("</tbody>\n</table>\n</section>\n");
    }

    /** The status as the table shows it, so that the filter offers what the rows say. */
    private static String status(CheckResult c) {
        return c.status().label();
    }

    private static void filter(StringBuilder sb, String what, Stream<String> values) {
        sb.append("<label>").append(what).append(" <select class=\"filter\" data-filter=\"").append(what).append("\"><option value=\"\">all</option>");
        new TreeSet<>(values.toList()).forEach(v -> sb.append("<option>").append(Html.escape(v)).append("</option>"));
        sb.append("</select></label> ");
    }

    private static void sideBySide(StringBuilder sb, PlanReport r) {
        sb.append("<section id=\"side-by-side\">\n<h2>TLC and the explorer</h2>\n<p>The same cfg checked by both tools; "
                + "<em>own time</em> is the tool's own (TLC's reported time, the explorer's exploration), <em>whole</em> the check's "
                + "wall-clock time. The refinement column compares the two runs (labelled state graphs or counts).</p>\n"
                + "<table class=\"side\">\n<thead><tr><th>configuration</th><th class=\"num\">TLC states</th><th class=\"num\">explorer states</th>"
                + "<th class=\"num\">TLC own</th><th class=\"num\">explorer own</th><th class=\"num\">ratio</th><th>refinement</th></tr></thead>\n<tbody>\n");
        for (CheckResult t : r.results()) {
            if (t.kind() != CheckResult.Kind.TLC) {
                continue;
            }
            String key = t.id().substring("tlc:".length());
            Optional<CheckResult> x = find(r, "explorer:" + key);
            if (x.isEmpty()) {
                continue;
            }
            CheckResult e = x.get();
            java.time.Duration tOwn = t.toolTime().orElse(t.elapsed());
            java.time.Duration eOwn = e.toolTime().orElse(e.elapsed());
            Optional<CheckResult> ref = find(r, "refinement:" + key);
            sb.append("<tr data-area=\"").append(Html.escape(t.area())).append("\"><td><code>").append(Html.escape(key)).append("</code></td><td class=\"num\">")
                    .append(ReportWriter.counts(t)).append("</td><td class=\"num\">")
                    .append(e.status() == CheckResult.Status.NOT_APPLICABLE ? "n/a" : ReportWriter.counts(e)).append("</td><td class=\"num\">")
                    .append(Durations.format(tOwn)).append("</td><td class=\"num\">").append(Durations.format(eOwn)).append("</td><td class=\"num\">")
                    .append(Durations.ratio(tOwn, eOwn)).append("</td><td>")
                    .append(ref.map(c -> Html.escape(c.status().label() + " " + c.actual())).orElse("")).append("</td></tr>\n");
        }
        sb.append("</tbody>\n</table>\n</section>\n");
    }

    private static Optional<CheckResult> find(PlanReport r, String id) {
        return r.results().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    // ---------------------------------------------------------------------------------------------
    // Counterexamples

    private void counterexamples(StringBuilder sb, PlanReport r) {
        sb.append("<section id=\"counterexamples\">\n<h2>Counterexamples and instances</h2>\n<p>Every trace this run wrote: the "
                + "counterexamples of bug variants (expected) and of failed checks, and Alloy's instances. Click a trace, then step "
                + "with the arrow keys.</p>\n");
        int n = 0;
        for (CheckResult c : r.results()) {
            if (c.itf().isEmpty() && c.traceText().isEmpty()) {
                continue;
            }
            n++;
            // An interrupted run writes its reports from a shutdown hook: no replays there.
            String key = c.id() + "|" + stamp(c) + (r.interrupted() ? "|plain" : "");
            sb.append(traceSections.computeIfAbsent(key, k -> traceSectionSafely(c, !r.interrupted())));
        }
        if (n == 0) {
            sb.append("<p>This run wrote no trace.</p>\n");
        }
        sb.append("</section>\n");
    }

    private static String stamp(CheckResult c) {
        Path p = c.itf().orElse(c.traceText().orElse(null));
        try {
            return p == null ? "" : Files.getLastModifiedTime(p).toMillis() + ":" + Files.size(p);
        } catch (IOException e) {
            return "";
        }
    }

    private String traceSectionSafely(CheckResult c, boolean evaluate) {
        try {
            return traceSection(c, evaluate);
        } catch (RuntimeException e) {
            return "<section class=\"trace\" id=\"trace-" + Html.id(c.id()) + "\"><h3>" + Html.escape(c.id()) + "</h3><p class=\"error\">"
                    + "this trace could not be drawn: " + Html.escape(String.valueOf(e)) + "</p></section>\n";
        }
    }

    private String traceSection(CheckResult c, boolean evaluate) {
        String domId = "trace-" + Html.id(c.id());
        String title = c.id() + " (" + c.status().label() + ": " + c.actual() + ")";
        if (c.itf().isEmpty()) {
            try {
                return "<section class=\"trace text-trace\" id=\"" + domId + "\"><h3>" + Html.escape(title) + "</h3><pre>"
                        + Html.escape(Files.readString(c.traceText().get())) + "</pre></section>\n";
            } catch (IOException e) {
                return "<section class=\"trace\" id=\"" + domId + "\"><h3>" + Html.escape(title) + "</h3><p class=\"error\">cannot read "
                        + Html.escape(c.traceText().get().toString()) + "</p></section>\n";
            }
        }
        Trace trace;
        try {
            trace = ItfReader.read(c.itf().get());
        } catch (RuntimeException e) {
            return "<section class=\"trace\" id=\"" + domId + "\"><h3>" + Html.escape(title) + "</h3><p class=\"error\">"
                    + Html.escape(String.valueOf(e.getMessage())) + "</p></section>\n";
        }
        String area = c.kind() == CheckResult.Kind.ALLOY ? "alloy:" + c.area() : c.area();
        List<String> actions = new ArrayList<>();
        Optional<TraceView.Violation> violation = violation(c, trace, actions, evaluate);
        return TraceView.html(domId, title, area, trace, violation, actions);
    }

    /** What the manifest says the trace breaks, evaluated at every state in the configuration's Java model where it has one. */
    private Optional<TraceView.Violation> violation(CheckResult c, Trace trace, List<String> actions, boolean evaluate) {
        if (c.kind() != CheckResult.Kind.TLC && c.kind() != CheckResult.Kind.EXPLORER) {
            return Optional.empty();
        }
        Optional<Manifest.Model> model = manifestModel(c.area(), c.name());
        // The trace's own verdict names the property; the manifest's expectation only where it names none.
        java.util.Set<String> words = new java.util.HashSet<>(java.util.Arrays.asList(trace.verdict().split("[^A-Za-z0-9_!]+")));
        Optional<String> expected = model.flatMap(m -> m.expect().violated());
        Optional<String> property = c.properties().stream().filter(words::contains).findFirst()
                .or(() -> expected.filter(words::contains)).or(() -> expected);
        if (property.isEmpty()) {
            return Optional.empty();
        }
        String differs = expected.isPresent() && !expected.get().equals(property.get())
                ? "; the manifest expects " + expected.get() + " to be violated" : "";
        Optional<String> catalogId = Optional.empty();
        OptionalInt firstFalse = OptionalInt.empty();
        List<Boolean> perState = new ArrayList<>();
        Optional<String> conjunct = Optional.empty();
        String how = null;
        if (evaluate && model.isPresent() && model.get().explorer().isPresent()) {
            Optional<ModelBinding<?>> binding = models.find(model.get().explorer().get().model());
            if (binding.isPresent()) {
                try {
                    Evaluated ev = evaluate(binding.get(), model.get(), trace, property.get());
                    actions.addAll(ev.actions);
                    if (ev.known) {
                        catalogId = ev.catalogId;
                        perState = ev.perState;
                        conjunct = ev.conjunct;
                        firstFalse = ev.firstFalse;
                        if (ev.firstFalse.isPresent()) {
                            how = ev.how;
                        } else if (ev.perState.size() == trace.length() && ev.perState.stream().skip(1).allMatch(Boolean.TRUE::equals)) {
                            how = "the Java model finds it TRUE at every state: the tool and the model disagree";
                        }
                        // Else the model could not tell at some state (the replay stopped, or several actions lead
                        // there): fall back on the tool's verdict below.
                    }
                } catch (RuntimeException e) {
                    how = null;
                }
            }
        }
        if (how == null) {
            if (trace.ending() instanceof Trace.Ending.Finite) {
                firstFalse = OptionalInt.of(trace.length() - 1);
                how = "false at the last state by the tool's verdict (TLC and the explorer stop at the first state that breaks an "
                        + "invariant, or at the step that breaks an action property); not evaluated state by state";
            } else {
                how = "a temporal property, broken by the behaviour as a whole (the loop below)";
            }
        }
        return Optional.of(new TraceView.Violation(property.get(), catalogId, firstFalse, how + differs, conjunct, perState));
    }

    private record Evaluated(boolean known, OptionalInt firstFalse, String how, Optional<String> catalogId, List<Boolean> perState,
            List<String> actions, Optional<String> conjunct, String replayNote) {
    }

    private <S> Evaluated evaluate(ModelBinding<S> binding, Manifest.Model m, Trace trace, String property) {
        StateMachine<S> machine = binding.fromConfig(CfgParser.parse(m.config()));
        TraceEvaluation.Result ev = TraceEvaluation.evaluate(machine, trace, trace.source());
        Optional<String> id = machine.invariants().stream().filter(i -> i.name().equals(property)).map(i -> i.id()).findFirst()
                .or(() -> machine.actionProperties().stream().filter(p -> p.name().equals(property)).map(p -> p.id()).findFirst());
        List<Boolean> per = new ArrayList<>();
        for (int i = 0; i < ev.invariants().size(); i++) {
            Boolean v = ev.invariants().get(i).get(property);
            per.add(v != null ? v : ev.actionProperties().get(i).get(property));
        }
        List<String> actions = ev.actions().stream().map(a -> a.map(Object::toString).orElse(null)).toList();
        String replayNote = ev.replay().replayed() ? "" : "; the replay stopped: " + ev.replay().message();
        if (id.isEmpty()) {
            return new Evaluated(false, OptionalInt.empty(), "the Java model " + machine.name() + " does not state " + property
                    + " (a temporal property stays with TLC)" + replayNote, Optional.empty(), List.of(), actions, Optional.empty(), replayNote);
        }
        OptionalInt first = ev.firstFalse(property);
        Optional<String> conjunct = Optional.empty();
        if (first.isPresent()) {
            @SuppressWarnings("unchecked")
            S bad = (S) ev.replay().states().get(first.getAsInt());
            try {
                conjunct = machine.invariants().stream().filter(i -> i.name().equals(property)).findFirst()
                        .flatMap(i -> i.failingConjunct(bad));
            } catch (RuntimeException e) {
                // A conjunct before the false one cannot be evaluated in this state: name none.
            }
        }
        return new Evaluated(true, first, "evaluated in the Java model " + machine.name() + " at every state" + replayNote,
                id, per, actions, conjunct, replayNote);
    }

    private Optional<Manifest.Model> manifestModel(String area, String name) {
        Manifest mf = manifests().get(area);
        return mf == null ? Optional.empty() : mf.models().stream().filter(x -> x.name().equals(name)).findFirst();
    }

    private Map<String, Manifest> manifests() {
        Map<String, Manifest> m = manifests;
        if (m == null) {
            m = new LinkedHashMap<>();
            Path tla = root.resolve("specs").resolve("tla");
            if (Files.isDirectory(tla)) {
                try (Stream<Path> dirs = Files.list(tla)) {
                    for (Path d : dirs.sorted().toList()) {
                        Path f = d.resolve("manifest.json");
                        if (Files.isRegularFile(f)) {
                            try {
                                Manifest read = ManifestReader.read(f);
                                m.put(read.area(), read);
                            } catch (RuntimeException e) {
                                // A malformed manifest is the plan's to report; its traces lose only their evaluation.
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            manifests = m;
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------------
    // The catalog

    private void catalog(StringBuilder sb, PlanReport r, InvariantCatalog cat) {
        var env = r.environment();
        sb.append("<section id=\"catalog\">\n<h2>Invariant catalog</h2>\n<p>Each entry of <code>specs/invariants.yaml</code>, with where "
                + "each tool defines it and the evidence of this run: commit <code>").append(Html.escape(env.commit())).append("</code>")
                .append(env.dirty() ? " (dirty tree)" : "").append(", ").append(Html.escape(r.tlcVersion().orElse("TLC not run")))
                .append(", Alloy ").append(Html.escape(env.alloy())).append(". Link to an entry as <code>report.html#ID</code>; "
                        + "<code>./mkspec cite ID</code> prints a citation block.</p>\n<ul class=\"catalog-index\">");
        cat.entries().forEach(e -> sb.append("<li><a href=\"#").append(Html.escape(e.id())).append("\">").append(Html.escape(e.id()))
                .append("</a></li>"));
        sb.append("</ul>\n");
        for (InvariantCatalog.Entry e : cat.entries()) {
            entry(sb, r, e);
        }
        sb.append("</section>\n");
    }

    private void entry(StringBuilder sb, PlanReport r, InvariantCatalog.Entry e) {
        String status = ReportWriter.invariantStatus(r, e);
        sb.append("<article class=\"entry\" id=\"").append(Html.escape(e.id())).append("\" data-status=\"").append(status).append("\">\n<h3>")
                .append(Html.escape(e.id())).append(" &middot; ").append(Html.escape(e.title())).append(" <span class=\"badge ")
                .append(status.equals("verified") ? "ok" : status.equals("not run") ? "none" : "bad").append("\">").append(status)
                .append("</span></h3>\n<blockquote class=\"statement\">").append(Html.escape(e.statement())).append("</blockquote>\n<p>Kind: ")
                .append(Html.escape(e.kind())).append("</p>\n");
        e.impliedBy().ifPresent(i -> sb.append("<p class=\"implied\">Implied by ").append(String.join(" and ", i.ids().stream()
                .map(x -> "<a href=\"#" + Html.escape(x) + "\">" + Html.escape(x) + "</a>").toList())).append(": ")
                .append(Html.escape(i.reason())).append("</p>\n"));
        sb.append("<details class=\"definitions\" open><summary>Definitions</summary>\n");
        if (e.hasTla()) {
            excerpt(sb, "TLA+ " + e.tla(), sources.tla(e.tlaModule(), e.tlaOperator()));
        }
        if (e.java() != null) {
            excerpt(sb, "Java " + e.java(), sources.java(e.javaModel(), e.javaId()));
        }
        e.noJava().ifPresent(w -> sb.append("<p>No Java twin: ").append(Html.escape(w)).append("</p>\n"));
        e.alloy().ifPresent(a -> excerpt(sb, "Alloy " + a, sources.alloy(a.substring(0, a.indexOf('!')), a.substring(a.indexOf('!') + 1))));
        e.kernel().ifPresent(k -> excerpt(sb, "kernel " + k, sources.kernel(k.substring(0, k.indexOf('!')), k.substring(k.indexOf('!') + 1))));
        sb.append("</details>\n<table class=\"evidence\"><thead><tr><th>verified by</th><th>status</th><th>tool</th><th>bounds</th>"
                + "<th class=\"num\">distinct</th><th class=\"num\">time</th></tr></thead><tbody>\n");
        List<CheckResult> ran = ReportWriter.results(r, e.checkedBy());
        for (CheckResult c : ran) {
            sb.append("<tr class=\"").append(c.ok() ? "ok" : "bad").append("\"><td><a href=\"#check-").append(Html.id(c.id())).append("\"><code>")
                    .append(Html.escape(c.id())).append("</code></a></td><td>").append(Html.escape(c.status().label())).append("</td><td>")
                    .append(Html.escape(c.tool())).append("</td><td><code>").append(Html.escape(c.bounds())).append("</code></td><td class=\"num\">")
                    .append(c.distinctStates().isPresent() ? String.format("%,d", c.distinctStates().getAsLong()) : "")
                    .append("</td><td class=\"num\">").append(Durations.format(c.elapsed())).append("</td></tr>\n");
        }
        if (ran.isEmpty()) {
            sb.append("<tr><td colspan=\"6\">none of its checks ran in this run (").append(e.checkedBy().size()).append(" listed)</td></tr>\n");
        }
        sb.append("</tbody></table>\n<p class=\"fails\">Shown to fail by: ");
        List<String> links = new ArrayList<>();
        for (String id : e.failsIn()) {
            Optional<CheckResult> c = find(r, id);
            links.add(c.filter(x -> x.itf().isPresent() || x.traceText().isPresent())
                    .map(x -> "<a class=\"bug-trace\" href=\"#trace-" + Html.id(id) + "\"><code>" + Html.escape(id) + "</code></a>")
                    .orElse("<code>" + Html.escape(id) + "</code>" + c.map(x -> " (" + Html.escape(x.status().label()) + ")").orElse(" (not run)")));
        }
        sb.append(String.join(", ", links)).append("</p>\n</article>\n");
    }

    private static void excerpt(StringBuilder sb, String label, Optional<SourceExcerpts.Excerpt> x) {
        sb.append("<div class=\"excerpt\"><div class=\"where\">").append(Html.escape(label));
        if (x.isEmpty()) {
            sb.append(" &middot; <em>source not found</em></div></div>\n");
            return;
        }
        sb.append(" &middot; <code>").append(Html.escape(x.get().file())).append(":").append(x.get().line()).append("</code></div><pre>")
                .append(Html.escape(x.get().text())).append(x.get().cut() ? "\n..." : "").append("</pre></div>\n");
    }
}
