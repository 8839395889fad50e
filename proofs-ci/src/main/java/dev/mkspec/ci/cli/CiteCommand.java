package dev.mkspec.ci.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkspec.ci.RunEnvironment;
import dev.mkspec.specs.InputFiles;
import dev.mkspec.specs.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mkspec cite}: a citation block for a design document, from the evidence of the last
 * {@code ./mkspec check} run. A citation is a promise, so the command refuses an invariant whose
 * last run did not verify it, and evidence from another commit or from a tree with uncommitted
 * changes unless {@code --allow-stale} is given (and then the block says it is stale).
 */
@Command(name = "cite", sortOptions = false,
        description = {"Print a citation block (Markdown, or --format json) for each invariant ID: its sentence, the "
                + "evidence of the last ./mkspec check run (commit, tools, bounds, state counts, date) and a link into report.html.",
            "Refuses (exit 1, MK-126) an invariant that the run did not verify, and evidence from a commit other than the "
                + "current one, or from a dirty tree, unless --allow-stale is given."})
public final class CiteCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "ID", description = "Catalog IDs, e.g. AS-3 IPC-3.")
    List<String> ids;

    @Option(names = "--report", paramLabel = "report.json",
            description = "The report of the run to cite (default: target/mkspec/report.json under --root).")
    Path report;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The repository root (default: the current directory).")
    Path root;

    @Option(names = "--allow-stale", description = "Cite evidence from another commit or a dirty tree, marked as stale.")
    boolean allowStale;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "markdown", description = "markdown (default) or json.")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("markdown") && !format.equals("json")) {
            throw Problem.INVALID_OPTION.exception("--format must be markdown or json, not '" + format + "'");
        }
        Path rootDir = root.toAbsolutePath().normalize();
        Path file = report != null ? report : rootDir.resolve("target").resolve("mkspec").resolve("report.json");
        if (!Files.exists(file)) {
            throw Problem.FILE_NOT_FOUND.exception(file + " (the report of a check run; run ./mkspec check first, or name one with --report)");
        }
        JsonNode doc = read(file);
        Map<String, JsonNode> entries = new TreeMap<>();
        for (JsonNode n : doc.path("invariants")) {
            entries.put(n.path("id").asText(), n);
        }
        if (entries.isEmpty()) {
            throw Problem.REPORT_INVALID.exception(file, "it lists no invariants (a report.json of ./mkspec check lists the catalog's entries)");
        }
        for (String id : ids) {
            if (!entries.containsKey(id)) {
                String prefix = id.toUpperCase(Locale.ROOT).replaceAll("-?\\d*$", "") + "-";
                List<String> like = entries.keySet().stream().filter(k -> k.equalsIgnoreCase(id) || k.startsWith(prefix)).limit(12).toList();
                throw Problem.INVALID_OPTION.exception("the report has no invariant " + id + "; "
                        + (like.isEmpty() ? "its IDs are " + String.join(", ", entries.keySet().stream().limit(12).toList())
                                + (entries.size() > 12 ? ", ... (" + entries.size() + " in all)" : "")
                                : "IDs like it: " + String.join(", ", like)));
            }
        }
        JsonNode env = doc.path("environment");
        String commit = env.path("commit").asText("unknown");
        boolean dirty = env.path("dirty").asBoolean(false);
        RunEnvironment now = RunEnvironment.of(rootDir);
        List<String> staleReasons = new ArrayList<>();
        if (commit.equals("unknown") || now.commit().equals("unknown")) {
            staleReasons.add(commit.equals("unknown") ? "the run's commit is unknown (it did not run in a git work tree)"
                    : "the current commit is unknown (" + rootDir + " is not in a git work tree; name the repository with --root)");
        } else if (!commit.equals(now.commit())) {
            staleReasons.add("the run checked commit " + shortCommit(commit) + ", and the current commit is " + shortCommit(now.commit()));
        }
        if (dirty) {
            staleReasons.add("the run checked a tree with uncommitted changes, which no commit records");
        }
        if (now.dirty()) {
            staleReasons.add("the work tree now has uncommitted changes, which the run may not have seen");
        }
        if (!doc.path("complete").asBoolean(true)) {
            staleReasons.add("the run did not complete" + (doc.path("interrupted").asBoolean(false) ? " (it was interrupted)" : ""));
        }
        Map<String, String> refused = new LinkedHashMap<>();
        for (String id : ids) {
            JsonNode e = entries.get(id);
            String status = e.path("status").asText();
            if (status.equals("verified") && passed(e).isEmpty()) {
                refused.put(id, "no check that verifies it passed in this run");
            } else if (!status.equals("verified")) {
                refused.put(id, status.equals("not run")
                        ? "none of the checks that verify it ran in this run (" + doc.path("profile").asText() + " profile)"
                        : "its last run did not verify it: " + failed(e));
            } else if (!staleReasons.isEmpty() && !allowStale) {
                refused.put(id, "the evidence is stale: " + String.join("; ", staleReasons) + " (--allow-stale cites it anyway)");
            }
        }
        if (!refused.isEmpty()) {
            Map.Entry<String, String> first = refused.entrySet().iterator().next();
            PrintWriter err = spec.commandLine().getErr();
            refused.entrySet().stream().skip(1).forEach(r -> err.println("error: " + Problem.CITE_REFUSED.format(r.getKey(), r.getValue())));
            err.flush();
            throw Problem.CITE_REFUSED.exception(first.getKey(), first.getValue());
        }
        Path html = file.resolveSibling("report.html");
        String link = display(html);
        PrintWriter w = spec.commandLine().getOut();
        if (format.equals("json")) {
            ObjectNode out = JSON.createObjectNode();
            out.put("report", display(file));
            out.put("stale", !staleReasons.isEmpty());
            ArrayNode reasons = out.putArray("staleReasons");
            staleReasons.forEach(reasons::add);
            ArrayNode list = out.putArray("citations");
            for (String id : ids) {
                list.add(citationJson(doc, entries.get(id), link));
            }
            try {
                w.println(JSON.writeValueAsString(out));
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        } else {
            for (int i = 0; i < ids.size(); i++) {
                if (i > 0) {
                    w.println();
                }
                w.print(markdown(doc, entries.get(ids.get(i)), link, staleReasons));
            }
        }
        w.flush();
        return 0;
    }

    private static JsonNode read(Path file) {
        String text = InputFiles.readText(file, "the report given with --report", "a report.json");
        try {
            JsonNode doc = JSON.readTree(text);
            if (doc == null || !doc.isObject() || !doc.path("format").asText().startsWith("mkspec-report/")) {
                throw Problem.REPORT_INVALID.exception(file, "it is not a report of ./mkspec check (no \"format\": \"mkspec-report/1\")");
            }
            return doc;
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw Problem.REPORT_INVALID.exception(file, "not JSON at line " + ex.getLocation().getLineNr() + ", column "
                    + ex.getLocation().getColumnNr() + ": " + ex.getOriginalMessage());
        }
    }

    private static String failed(JsonNode e) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : e.path("verifiedBy")) {
            if (!c.path("status").asText().equals("passed")) {
                out.add(c.path("check").asText() + " " + c.path("status").asText());
            }
        }
        return out.isEmpty() ? "no check passed" : String.join(", ", out);
    }

    /** The checks that verified the entry, passing ones only. */
    private static List<JsonNode> passed(JsonNode e) {
        List<JsonNode> out = new ArrayList<>();
        e.path("verifiedBy").forEach(c -> {
            if (c.path("status").asText().equals("passed")) {
                out.add(c);
            }
        });
        return out;
    }

    private static String markdown(JsonNode doc, JsonNode e, String link, List<String> stale) {
        JsonNode env = doc.path("environment");
        String id = e.path("id").asText();
        StringBuilder sb = new StringBuilder();
        sb.append("> **").append(id).append(" (").append(e.path("title").asText()).append(").** ").append(e.path("statement").asText()).append('\n');
        sb.append(">\n> Verified by mkspec ").append(env.path("mkspec").asText()).append(" at commit `").append(shortCommit(env.path("commit").asText()))
                .append("`").append(env.path("dirty").asBoolean() ? " (with uncommitted changes)" : "").append(", profile ")
                .append(doc.path("profile").asText()).append(", ").append(date(doc)).append(":\n");
        Map<String, List<JsonNode>> byTool = new TreeMap<>();
        for (JsonNode c : passed(e)) {
            String check = c.path("check").asText();
            byTool.computeIfAbsent(check.substring(0, Math.max(0, check.indexOf(':'))), k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<String, List<JsonNode>> t : byTool.entrySet()) {
            JsonNode largest = t.getValue().stream().max(java.util.Comparator.comparingLong(c -> c.path("distinctStates").asLong(-1))).get();
            sb.append("> - ").append(toolName(t.getKey(), largest, env)).append(", ").append(t.getValue().size())
                    .append(t.getValue().size() == 1 ? " check" : " checks").append("; largest: `").append(largest.path("check").asText()).append("`");
            if (largest.has("distinctStates")) {
                sb.append(String.format(Locale.ROOT, ", %,d distinct states", largest.path("distinctStates").asLong()));
            }
            if (!largest.path("bounds").asText().isBlank()) {
                sb.append(", bounds `").append(largest.path("bounds").asText()).append("`");
            }
            sb.append(String.format(Locale.ROOT, ", %.1f s", largest.path("seconds").asDouble())).append('\n');
        }
        List<String> fails = new ArrayList<>();
        e.path("shownToFailBy").forEach(c -> {
            if (c.path("status").asText().equals("passed")) {
                fails.add("`" + c.path("check").asText() + "`");
            }
        });
        sb.append("> - shown to fail by ").append(fails.isEmpty() ? "no bug variant in this run" : String.join(", ", fails)).append('\n');
        if (e.has("impliedBy")) {
            sb.append("> - implied by ").append(String.join(" and ", textList(e.path("impliedBy").path("ids")))).append(": ")
                    .append(e.path("impliedBy").path("reason").asText()).append('\n');
        }
        if (!stale.isEmpty()) {
            sb.append("> - **stale**: ").append(String.join("; ", stale)).append('\n');
        }
        sb.append(">\n> Report: [").append(link).append("#").append(id).append("](").append(link).append("#").append(id).append(")\n");
        return sb.toString();
    }

    private static List<String> textList(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static String toolName(String kind, JsonNode c, JsonNode env) {
        return switch (kind) {
            case "tlc" -> c.path("tool").asText("TLC").isBlank() ? "TLC " + env.path("tlc").asText() : c.path("tool").asText();
            case "explorer" -> "the Java explorer (" + c.path("tool").asText() + ")";
            case "alloy" -> "Alloy " + env.path("alloy").asText();
            case "kernel" -> "the cycle-costed kernel (" + c.path("tool").asText() + ")";
            default -> kind;
        };
    }

    private static ObjectNode citationJson(JsonNode doc, JsonNode e, String link) {
        ObjectNode n = JSON.createObjectNode();
        JsonNode env = doc.path("environment");
        n.put("id", e.path("id").asText());
        n.put("title", e.path("title").asText());
        n.put("statement", e.path("statement").asText());
        n.put("kind", e.path("kind").asText());
        n.put("commit", env.path("commit").asText());
        n.put("dirty", env.path("dirty").asBoolean());
        n.put("profile", doc.path("profile").asText());
        n.put("date", date(doc));
        ObjectNode tools = n.putObject("tools");
        tools.put("mkspec", env.path("mkspec").asText());
        tools.put("tlc", env.path("tlc").asText());
        tools.put("alloy", env.path("alloy").asText());
        tools.put("java", env.path("java").asText());
        ArrayNode by = n.putArray("verifiedBy");
        passed(e).forEach(by::add);
        ArrayNode fails = n.putArray("shownToFailBy");
        e.path("shownToFailBy").forEach(c -> {
            if (c.path("status").asText().equals("passed")) {
                fails.add(c.path("check").asText());
            }
        });
        n.put("link", link + "#" + e.path("id").asText());
        return n;
    }

    private static String date(JsonNode doc) {
        String when = doc.path("finished").asText(doc.path("started").asText(""));
        return when.length() >= 10 ? when.substring(0, 10) : when;
    }

    private static String shortCommit(String c) {
        return c.length() > 12 ? c.substring(0, 12) : c;
    }

    /** The path as a reader would type it: relative to the current directory when it is inside it. */
    private static String display(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return (abs.startsWith(cwd) ? cwd.relativize(abs) : abs).toString();
    }
}
