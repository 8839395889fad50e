package dev.mkspec.ci.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkspec.specs.mutate.Mutant;
import dev.mkspec.specs.mutate.MutantClass;
import dev.mkspec.specs.mutate.MutationReport;
import dev.mkspec.specs.mutate.MutationReport.MutantResult;
import dev.mkspec.specs.mutate.MutationReport.RunSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Renders a {@link MutationReport} as JSON (for machines and {@code --format json}), as Markdown
 * ({@code mutate-report.md}) and as the text summary of {@code mkspec mutate}.
 */
public final class MutationReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What the run was asked to do, for the report's header.
     *
     * @param command the command line as typed
     * @param area the area's name, or the spec's
     * @param generated mutants generated before {@code --limit}
     * @param minKill the {@code --min-kill} threshold in percent, or a negative number for none
     */
    public record Header(String command, String area, int generated, double minKill) {
    }

    private MutationReportWriter() {
    }

    public static String json(Header h, MutationReport r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("command", h.command());
        root.put("area", h.area());
        root.put("spec", r.spec().toString());
        root.put("generated", h.generated());
        root.put("judged", r.results().size());
        Map<MutantClass, Integer> c = r.counts();
        ObjectNode counts = root.putObject("counts");
        for (MutantClass k : MutantClass.values()) {
            counts.put(k.id(), c.get(k));
        }
        counts.put("killedByDeep", r.killedByDeep());
        if (r.killRatio().isPresent()) {
            root.put("killRatio", Math.round(r.killRatio().get() * 10000) / 10000.0);
        } else {
            root.putNull("killRatio");
        }
        if (r.planKillRatio().isPresent()) {
            root.put("killRatioWithCoverage", Math.round(r.planKillRatio().get() * 10000) / 10000.0);
        } else {
            root.putNull("killRatioWithCoverage");
        }
        if (h.minKill() >= 0) {
            root.put("minKillPercent", h.minKill());
        }
        root.put("elapsedSeconds", r.elapsed().toMillis() / 1000.0);
        root.put("interrupted", r.interrupted());
        ArrayNode originals = root.putArray("originals");
        r.originals().forEach(o -> originals.add(run(o)));
        ArrayNode mutants = root.putArray("mutants");
        for (MutantResult m : r.results()) {
            ObjectNode n = mutants.addObject();
            Mutant x = m.mutant();
            n.put("id", x.id());
            n.put("operator", x.operator().id());
            n.put("action", x.action());
            n.put("location", x.location());
            n.put("before", x.before());
            n.put("after", x.after());
            n.put("class", m.outcome().id());
            n.put("pass", m.pass());
            m.decidedBy().ifPresentOrElse(d -> n.put("decidedBy", d), () -> n.putNull("decidedBy"));
            n.put("detail", m.detail());
            ArrayNode runs = n.putArray("runs");
            m.runs().forEach(s -> runs.add(run(s)));
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode run(RunSummary s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("config", s.config());
        n.put("profile", s.profile());
        n.put("verdict", s.verdict());
        s.violated().ifPresent(v -> n.put("violated", v));
        put(n, "distinctStates", s.distinct());
        put(n, "totalStates", s.generated());
        put(n, "stateDepth", s.depth());
        n.put("seconds", s.elapsed().toMillis() / 1000.0);
        return n;
    }

    private static void put(ObjectNode n, String key, OptionalLong v) {
        if (v.isPresent()) {
            n.put(key, v.getAsLong());
        }
    }

    /** The summary table's rows: label and value. */
    private static Map<String, String> table(Header h, MutationReport r) {
        Map<MutantClass, Integer> c = r.counts();
        Map<String, String> t = new LinkedHashMap<>();
        t.put("generated", h.generated() + (h.generated() != r.results().size()
                ? " (" + r.results().size() + " judged" + (r.interrupted() ? ", interrupted" : ", --limit") + ")" : ""));
        t.put("invalid", String.valueOf(c.get(MutantClass.INVALID)));
        t.put("equivalent", String.valueOf(c.get(MutantClass.EQUIVALENT)));
        t.put("killed", c.get(MutantClass.KILLED) + (r.killedByDeep() > 0 ? " (" + r.killedByDeep() + " by deep)" : ""));
        t.put("disables an action", String.valueOf(c.get(MutantClass.DISABLED)));
        t.put("survived", String.valueOf(c.get(MutantClass.SURVIVED)));
        t.put("timeout", String.valueOf(c.get(MutantClass.TIMEOUT)));
        int denominator = r.results().size() - c.get(MutantClass.INVALID) - c.get(MutantClass.EQUIVALENT);
        t.put("kill ratio", r.killRatio().map(k -> String.format(Locale.ROOT, "%.1f%% (%d / %d)", k * 100,
                c.get(MutantClass.KILLED), denominator)).orElse("- (nothing left to kill)"));
        t.put("with coverage", r.planKillRatio().map(k -> String.format(Locale.ROOT, "%.1f%% (%d / %d)", k * 100,
                c.get(MutantClass.KILLED) + c.get(MutantClass.DISABLED), denominator)).orElse("-"));
        t.put("time", dev.mkspec.ci.Durations.format(r.elapsed()));
        return t;
    }

    private static Map<String, List<MutantResult>> byAction(MutationReport r, MutantClass k) {
        Map<String, List<MutantResult>> out = new LinkedHashMap<>();
        for (MutantResult m : r.results()) {
            if (m.outcome() == k) {
                out.computeIfAbsent(m.mutant().action(), a -> new java.util.ArrayList<>()).add(m);
            }
        }
        return out;
    }

    public static String text(Header h, MutationReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Mutation testing of ").append(h.area()).append(" (").append(r.spec().getFileName()).append(")\n");
        table(h, r).forEach((k, v) -> sb.append(String.format("  %-11s %s%n", k, v)));
        Map<String, List<MutantResult>> survivors = byAction(r, MutantClass.SURVIVED);
        if (survivors.isEmpty()) {
            sb.append("\nNo survivors.\n");
        } else {
            sb.append("\nSurvivors, by action (no property notices these changes):\n");
            survivors.forEach((action, list) -> {
                sb.append("  ").append(action).append('\n');
                for (MutantResult m : list) {
                    sb.append("    ").append(m.mutant().id()).append(' ').append(m.mutant().operator().id()).append(' ')
                            .append(m.mutant().location()).append(": ").append(m.detail()).append('\n');
                    sb.append("      - ").append(m.mutant().before()).append('\n');
                    sb.append("      + ").append(m.mutant().after()).append('\n');
                }
            });
        }
        Map<String, List<MutantResult>> timeouts = byAction(r, MutantClass.TIMEOUT);
        if (!timeouts.isEmpty()) {
            sb.append("\nTimed out:\n");
            timeouts.values().forEach(l -> l.forEach(m -> sb.append("  ").append(line(m)).append('\n')));
        }
        return sb.toString();
    }

    private static String line(MutantResult m) {
        return m.mutant().id() + " " + m.mutant().operator().id() + " " + m.mutant().action() + " "
                + m.mutant().location() + ": " + m.detail();
    }

    public static String markdown(Header h, MutationReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Mutation testing: ").append(h.area()).append("\n\n");
        sb.append("`").append(h.command()).append("`\n\n");
        sb.append("Spec `").append(r.spec()).append("`. Judged by the configurations' properties only: pinned counts "
                + "and graph comparisons are not used.\n\n");
        sb.append("| configuration | profile | distinct | generated | depth | time |\n|---|---|---:|---:|---:|---:|\n");
        for (RunSummary o : r.originals()) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1fs |%n", o.config(), o.profile(),
                    n(o.distinct()), n(o.generated()), n(o.depth()), o.elapsed().toMillis() / 1000.0));
        }
        sb.append("\n| | |\n|---|---|\n");
        table(h, r).forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        for (MutantClass k : List.of(MutantClass.SURVIVED, MutantClass.DISABLED, MutantClass.TIMEOUT, MutantClass.INVALID,
                MutantClass.EQUIVALENT, MutantClass.KILLED)) {
            Map<String, List<MutantResult>> g = byAction(r, k);
            if (g.isEmpty()) {
                continue;
            }
            sb.append("\n## ").append(Character.toUpperCase(k.id().charAt(0))).append(k.id().substring(1)).append("\n");
            g.forEach((action, list) -> {
                sb.append("\n### ").append(action).append("\n\n");
                for (MutantResult m : list) {
                    sb.append("- **").append(m.mutant().id()).append("** ").append(m.mutant().operator().id())
                            .append(" at `").append(m.mutant().location()).append("`")
                            .append(m.decidedBy().map(d -> " (" + m.pass() + ", " + d + ")").orElse(""))
                            .append(": ").append(m.detail().replace("|", "\\|")).append("\n");
                    sb.append("  ```diff\n  - ").append(m.mutant().before()).append("\n  + ")
                            .append(m.mutant().after()).append("\n  ```\n");
                }
            });
        }
        return sb.toString();
    }

    private static String n(OptionalLong v) {
        return v.isPresent() ? String.format("%,d", v.getAsLong()) : "?";
    }
}
