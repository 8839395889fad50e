package dev.mkspec.ci.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkspec.kernel.CostCategory;
import dev.mkspec.kernel.CycleReport;
import dev.mkspec.kernel.Side;
import dev.mkspec.kernel.bench.BenchRow;
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
        if (compare != null) {
            head.addAll(List.of("published", "simulated/published", "source"));
        }
        List<List<String>> body = new ArrayList<>();
        for (BenchRow r : rows) {
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

    public static String json(List<BenchRow> rows, List<References.Published> compare, Map<String, Object> meta) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ObjectNode metaNode = root.putObject("meta");
        meta.forEach((k, v) -> metaNode.put(k, String.valueOf(v)));
        ArrayNode arr = root.putArray("rows");
        for (BenchRow r : rows) {
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
            if (compare != null) {
                References.Published p = publishedFor(r, compare);
                List<References.Published> all = allPublishedFor(r, compare);
                for (int i = 0; i < all.size(); i++) {
                    // the first under "published"; measurements of parts of the row after it under "alsoPublished"
                    ObjectNode pub = i == 0 ? n.putObject("published")
                            : (n.has("alsoPublished") ? (com.fasterxml.jackson.databind.node.ArrayNode) n.get("alsoPublished")
                                    : n.putArray("alsoPublished")).addObject();
                    p = all.get(i);
                    pub.put("cycles", p.cycles());
                    pub.put("part", p.part());
                    pub.put("simulated", p.simulated(r));
                    pub.put("ratio", p.simulated(r) / p.cycles());
                    pub.put("what", p.what());
                    pub.put("source", p.source());
                }
            }
        }
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
        StringBuilder b = new StringBuilder();
        if (markdown) {
            b.append("| ").append(String.join(" | ", head)).append(" |\n|");
            for (int i = 0; i < head.size(); i++) {
                b.append(i >= firstNumeric - 1 && i < firstNumeric + CostCategory.values().length && i > 0 ? "---:|" : "---|");
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
