package dev.mkspec.ci.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkspec.kernel.CostCategory;
import dev.mkspec.kernel.CycleReport;
import dev.mkspec.kernel.Side;
import dev.mkspec.kernel.bench.BenchRow;
import dev.mkspec.kernel.bench.Fidelity;
import dev.mkspec.kernel.bench.References;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders simulated cycle rows as text tables, Markdown, CSV and JSON. */
public final class CycleTables {
    private CycleTables() {
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%,.1f", v);
    }

    /** The published measurement of {@code r} (the first, if several compare with parts of it), or null. */
    public static References.Published publishedFor(BenchRow r, List<References.Published> published) {
        List<References.Published> all = allPublishedFor(r, published);
        return all.isEmpty() ? null : all.get(0);
    }

    /** Every published measurement of {@code r}: its total, and parts of it such as the address-space switch. */
    public static List<References.Published> allPublishedFor(BenchRow r, List<References.Published> published) {
        List<References.Published> out = new ArrayList<>();
        for (References.Published p : published) {
            if (p.row().equals(r.key())) {
                out.add(p);
            }
        }
        return out;
    }

    /** One line per row: the total and the cycles of each category (Markdown when {@code markdown}). */
    public static String summary(List<BenchRow> rows, boolean markdown, List<References.Published> compare) {
        List<String> head = new ArrayList<>(List.of("profile", "design", "workload", "variant", "total"));
        for (CostCategory c : CostCategory.values()) {
            head.add(c.label());
        }
        List<List<Fidelity.Move>> assumed = compare == null ? null : Fidelity.assumptionDependence(rows);
        if (compare != null) {
            head.addAll(List.of("published", "simulated/published", "depends on assumptions (>10%)", "source"));
        }
        List<List<String>> body = new ArrayList<>();
        for (int ri = 0; ri < rows.size(); ri++) {
            BenchRow r = rows.get(ri);
            List<String> line = new ArrayList<>(List.of(r.profile() + (r.mitigations() ? " (KPTI)" : ""), r.design(),
                    r.workload(), r.variant(), num(r.total())));
            for (CostCategory c : CostCategory.values()) {
                line.add(num(r.report().of(c)));
            }
            if (compare != null) {
                List<String> pub = new ArrayList<>();
                List<String> ratio = new ArrayList<>();
                List<String> source = new ArrayList<>();
                for (References.Published p : allPublishedFor(r, compare)) {
                    pub.add(num(p.cycles()) + (p.part().equals("total") ? "" : " (" + p.part() + ")"));
                    ratio.add(String.format(Locale.ROOT, "%.2f", p.simulated(r) / p.cycles()));
                    if (!source.contains(p.source())) {
                        source.add(p.source());
                    }
                }
                line.add(String.join(" / ", pub));
                line.add(String.join(" / ", ratio));
                List<String> deps = new ArrayList<>();
                for (Fidelity.Move mv : assumed.get(ri)) {
                    deps.add(mv.why() + " " + pct(Math.abs(mv.delta()) / r.total()));
                }
                line.add(String.join(", ", deps));
                line.add(String.join(" / ", source));
            }
            body.add(line);
        }
        return table(head, body, markdown, 5);
    }

    /**
     * The classic breakdown of one row: each phase with the client's label, the cycles, and the
     * server's label, then the categories of the total.
     */
    public static String breakdown(BenchRow r, boolean markdown) {
        List<List<String>> body = new ArrayList<>();
        for (CycleReport.Phase ph : r.report().phases()) {
            body.add(List.of(ph.side() == Side.CLIENT ? ph.label() : "", num(ph.total()),
                    ph.side() == Side.SERVER ? ph.label() : "", describe(ph)));
        }
        body.add(List.of("total", num(r.total()), "", describe(r.report())));
        String title = r.key() + ": " + num(r.total()) + " cycles";
        return (markdown ? "#### " : "") + title + "\n\n"
                + table(List.of("client", "cycles", "server", "of which"), body, markdown, 1);
    }

    private static String describe(CycleReport.Phase ph) {
        return parts(ph.cycles()) + (ph.walks() > 0 ? "; " + ph.walks() + " walks" : "")
                + (ph.cacheMisses() > 0 ? "; " + ph.cacheMisses() + " cache misses" : "");
    }

    private static String describe(CycleReport r) {
        return parts(r.byCategory());
    }

    private static String parts(Map<CostCategory, Double> m) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<CostCategory, Double> e : m.entrySet()) {
            if (e.getValue() > 0) {
                b.append(b.length() == 0 ? "" : ", ").append(e.getKey().label()).append(' ').append(num(e.getValue()));
            }
        }
        return b.toString();
    }

    public static String csv(List<BenchRow> rows, List<References.Published> compare) {
        StringBuilder b = new StringBuilder("profile,design,workload,variant,mitigations,total");
        for (CostCategory c : CostCategory.values()) {
            b.append(',').append(c.key());
        }
        b.append(",instructions,walks,cache_misses");
        if (compare != null) {
            b.append(",published,ratio");
        }
        b.append('\n');
        for (BenchRow r : rows) {
            b.append(String.join(",", r.profile(), r.design(), r.workload(), quote(r.variant()), String.valueOf(r.mitigations()),
                    fmt(r.total())));
            for (CostCategory c : CostCategory.values()) {
                b.append(',').append(fmt(r.report().of(c)));
            }
            b.append(',').append(r.report().instructions()).append(',').append(r.report().walks()).append(',')
                    .append(r.report().cacheMisses());
            if (compare != null) {
                References.Published p = publishedFor(r, compare);
                b.append(',').append(p == null ? "" : fmt(p.cycles())).append(',')
                        .append(p == null ? "" : String.format(Locale.ROOT, "%.3f", p.simulated(r) / p.cycles()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains(" ") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /**
     * Every row as JSON; with {@code comparisons} (null for none), each compared row carries its
     * published figures with source, ratio, provenance and verdict, and with {@code summary} the
     * document ends with the fidelity summary.
     */
    public static String json(List<BenchRow> rows, List<Fidelity.Comparison> comparisons, boolean summary,
            Map<String, Object> meta) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ObjectNode metaNode = root.putObject("meta");
        meta.forEach((k, v) -> metaNode.put(k, String.valueOf(v)));
        ArrayNode arr = root.putArray("rows");
        List<List<Fidelity.Move>> assumed = comparisons == null ? null : Fidelity.assumptionDependence(rows);
        for (int ri = 0; ri < rows.size(); ri++) {
            BenchRow r = rows.get(ri);
            ObjectNode n = arr.addObject();
            n.put("key", r.key());
            n.put("profile", r.profile());
            n.put("design", r.design());
            n.put("workload", r.workload());
            n.put("variant", r.variant());
            n.put("mitigations", r.mitigations());
            n.put("total", r.total());
            ObjectNode cats = n.putObject("categories");
            for (CostCategory c : CostCategory.values()) {
                cats.put(c.key(), r.report().of(c));
            }
            n.put("instructions", r.report().instructions());
            n.put("walks", r.report().walks());
            n.put("cacheMisses", r.report().cacheMisses());
            if (r.removed() > 0) {
                n.put("nodesRemoved", r.removed());
            }
            ArrayNode phases = n.putArray("phases");
            for (CycleReport.Phase ph : r.report().phases()) {
                ObjectNode p = phases.addObject();
                p.put("side", ph.side().name().toLowerCase(Locale.ROOT));
                p.put("label", ph.label());
                p.put("cycles", ph.total());
                ObjectNode pc = p.putObject("categories");
                ph.cycles().forEach((c, v) -> pc.put(c.key(), v));
            }
            if (assumed != null) {
                moves(n.putArray("dependsOnAssumptions"), assumed.get(ri));
            }
            if (comparisons != null) {
                ArrayNode pubs = null;
                for (Fidelity.Comparison c : comparisons) {
                    if (c.row() == r) {
                        pubs = pubs == null ? n.putArray("published") : pubs;
                        comparison(pubs.addObject(), c);
                    }
                }
            }
        }
        if (comparisons != null && summary) {
            Fidelity.Summary s = Fidelity.summary(comparisons);
            ObjectNode f = root.putObject("fidelity");
            f.put("comparisons", s.comparisons());
            f.put("tolerance", Fidelity.TOLERANCE);
            if (s.comparisons() > 0) {
                f.put("medianAbsoluteError", s.medianError());
                f.put("worstRow", s.worst().row().key());
                f.put("worstPart", s.worst().published().part());
                f.put("worstRatio", s.worst().ratio());
            }
            f.put("within", s.within());
            f.put("explained", s.explained());
            f.put("outside", s.outside());
        }
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void comparison(ObjectNode pub, Fidelity.Comparison c) {
        References.Published p = c.published();
        pub.put("part", p.part());
        pub.put("cycles", p.cycles());
        pub.put("simulated", c.simulated());
        pub.put("ratio", c.ratio());
        pub.put("verdict", c.verdict().name().toLowerCase(Locale.ROOT));
        pub.put("what", p.what());
        pub.put("conditions", p.conditions());
        pub.put("source", p.source());
        moves(pub.putArray("provenance"), c.provenance());
        moves(pub.putArray("dependsOnAssumptions"), c.assumed());
        moves(pub.putArray("missing"), c.missing());
        if (!Double.isNaN(c.explained())) {
            pub.put("withMissingMechanisms", c.explained());
        }
        if (c.coldStart() != null) {
            pub.put("coldStartDelta", c.coldStart().delta());
        }
        if (!p.phases().isEmpty()) {
            List<Double> sim;
            try {
                sim = p.simulatedPhases(c.row());
            } catch (IllegalStateException e) {
                pub.put("phasesNotCompared", e.getMessage());
                return;
            }
            ArrayNode a = pub.putArray("phases");
            for (int i = 0; i < sim.size(); i++) {
                ObjectNode o = a.addObject();
                o.put("label", p.phases().get(i).label());
                o.put("published", p.phases().get(i).cycles());
                o.put("simulated", sim.get(i));
            }
        }
    }

    private static void moves(ArrayNode a, List<Fidelity.Move> moves) {
        for (Fidelity.Move mv : moves) {
            ObjectNode o = a.addObject();
            o.put("whatIf", mv.whatIf());
            o.put("why", mv.why());
            o.put("delta", mv.delta());
            if (mv.category() != null) {
                o.put("category", mv.category().key());
            }
        }
    }

    /**
     * The fidelity report: every comparison with its ratio, verdict and measured provenance, then
     * the summary (median absolute error, worst row).
     */
    public static String fidelity(List<Fidelity.Comparison> cs, boolean markdown) {
        List<List<String>> body = new ArrayList<>();
        for (Fidelity.Comparison c : cs) {
            References.Published p = c.published();
            List<String> notes = new ArrayList<>();
            for (Fidelity.Move mv : c.provenance()) {
                notes.add(move(mv));
            }
            List<String> flags = new ArrayList<>();
            for (Fidelity.Move mv : c.assumed()) {
                flags.add("depends on " + mv.why() + ": " + num(Math.abs(mv.delta())) + " cycles, "
                        + pct(Math.abs(mv.delta()) / c.simulated()));
            }
            for (Fidelity.Move mv : c.missing()) {
                flags.add("missing: " + mv.why() + " [" + mv.whatIf() + "] " + signed(mv.delta()));
            }
            if (!p.phases().isEmpty()) {
                try {
                    List<Double> sim = p.simulatedPhases(c.row());
                    List<String> parts = new ArrayList<>();
                    for (int i = 0; i < sim.size(); i++) {
                        parts.add(p.phases().get(i).label() + " " + num(sim.get(i)) + " against "
                                + num(p.phases().get(i).cycles()));
                    }
                    flags.add("breakdown: " + String.join(", ", parts));
                } catch (IllegalStateException e) {
                    flags.add("breakdown not compared: " + e.getMessage());
                }
            }
            if (c.coldStart() != null && c.coldStart().delta() != 0) {
                flags.add("a cold start adds " + num(c.coldStart().delta()));
            }
            if (!Double.isNaN(c.explained())) {
                flags.add("with every missing mechanism " + num(c.explained()) + " ("
                        + String.format(Locale.ROOT, "%.2f", c.explained() / p.cycles()) + ")");
            }
            List<String> line = new ArrayList<>(List.of(c.row().key() + (p.part().equals("total") ? "" : " (" + p.part() + ")"),
                    num(c.simulated()), num(p.cycles()), String.format(Locale.ROOT, "%.2f", c.ratio()), c.verdict().label(),
                    largestCategories(c), String.join("; ", notes), String.join("; ", flags)));
            if (markdown) {
                line.add(p.conditions());
            }
            body.add(line);
        }
        Fidelity.Summary s = Fidelity.summary(cs);
        StringBuilder b = new StringBuilder(markdown ? "## Fidelity\n\n" : "");
        List<String> head = new ArrayList<>(List.of("row", "simulated", "published", "ratio", "verdict", "largest categories",
                "largest what-ifs (cycles moved)", "assumptions and missing mechanisms"));
        if (markdown) {
            head.add("published conditions"); // the terminal table is wide enough without them; JSON carries them too
        }
        b.append(table(head, body, markdown, 2, 3)); // simulated, published, ratio
        if (s.comparisons() > 0) {
            b.append(markdown ? "\n" : "").append(String.format(Locale.ROOT,
                    "%d published figure%s: %d within ±%.0f%%, %d explained by missing mechanisms, %d outside; median absolute "
                            + "error %.1f%%; worst %s at %.2f%n", s.comparisons(), s.comparisons() == 1 ? "" : "s", s.within(),
                    Fidelity.TOLERANCE * 100,
                    s.explained(), s.outside(), s.medianError() * 100, s.worst().row().key()
                            + (s.worst().published().part().equals("total") ? "" : " (" + s.worst().published().part() + ")"),
                    s.worst().ratio()));
        } else {
            b.append("no row of this run has a published figure\n");
        }
        return b.toString();
    }

    /** The three categories holding most of the compared figure (all of it when a part is compared). */
    private static String largestCategories(Fidelity.Comparison c) {
        if (!c.published().part().equals("total")) {
            return "";
        }
        List<Map.Entry<CostCategory, Double>> cats = new ArrayList<>(c.row().report().byCategory().entrySet());
        cats.removeIf(e -> e.getValue() == 0);
        cats.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        List<String> out = new ArrayList<>();
        for (Map.Entry<CostCategory, Double> e : cats.subList(0, Math.min(3, cats.size()))) {
            out.add(e.getKey().label() + " " + num(e.getValue()));
        }
        return String.join(", ", out);
    }

    private static String move(Fidelity.Move mv) {
        return mv.whatIf() + " " + signed(mv.delta()) + (mv.category() == null ? "" : " (" + mv.category().label() + ")");
    }

    private static String signed(double v) {
        return (v > 0 ? "+" : v < 0 ? "-" : "") + num(Math.abs(v));
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    /** The row's total under each cache what-if, as one line for --breakdown. */
    public static String cacheLine(BenchRow r, List<String> names, List<List<BenchRow>> reruns, int i) {
        StringBuilder b = new StringBuilder("cache what-if: as profile " + num(r.total()));
        for (int k = 0; k < names.size(); k++) {
            BenchRow x = reruns.get(k).get(i);
            b.append(", ").append(names.get(k)).append(' ').append(x == null ? "n/a" : num(x.total()));
        }
        return b.toString();
    }

    /** Rows grouped by profile, in order. */
    public static Map<String, List<BenchRow>> byProfile(List<BenchRow> rows) {
        Map<String, List<BenchRow>> m = new LinkedHashMap<>();
        for (BenchRow r : rows) {
            m.computeIfAbsent(r.profile() + (r.mitigations() ? "-kpti" : ""), x -> new ArrayList<>()).add(r);
        }
        return m;
    }

    private static String table(List<String> head, List<List<String>> body, boolean markdown, int firstNumeric) {
        return table(head, body, markdown, firstNumeric, CostCategory.values().length + 1);
    }

    /** A text or Markdown table whose columns {@code firstNumeric - 1} to {@code firstNumeric + numeric - 2} are right-aligned in Markdown. */
    private static String table(List<String> head, List<List<String>> body, boolean markdown, int firstNumeric, int numeric) {
        StringBuilder b = new StringBuilder();
        if (markdown) {
            b.append("| ").append(String.join(" | ", head)).append(" |\n|");
            for (int i = 0; i < head.size(); i++) {
                b.append(i >= firstNumeric - 1 && i < firstNumeric - 1 + numeric && i > 0 ? "---:|" : "---|");
            }
            b.append('\n');
            for (List<String> line : body) {
                b.append("| ").append(String.join(" | ", line.stream().map(s -> s.replace("|", "\\|")).toList())).append(" |\n");
            }
            return b.toString();
        }
        int[] w = new int[head.size()];
        for (int i = 0; i < head.size(); i++) {
            w[i] = head.get(i).length();
            for (List<String> line : body) {
                w[i] = Math.max(w[i], line.get(i).length());
            }
        }
        appendLine(b, head, w);
        for (List<String> line : body) {
            appendLine(b, line, w);
        }
        return b.toString();
    }

    private static void appendLine(StringBuilder b, List<String> cells, int[] w) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            boolean right = !c.isEmpty() && (Character.isDigit(c.charAt(0)) || c.charAt(0) == '-') && c.matches("[-0-9.,]+");
            b.append(right ? String.format("%" + w[i] + "s", c) : String.format("%-" + w[i] + "s", c));
            b.append(i + 1 < cells.size() ? "  " : "");
        }
        b.append('\n');
    }
}
