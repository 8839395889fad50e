package dev.mkspec.ci.view;

import dev.mkspec.specs.tla.TlaValue;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pictures of one state of a spec, as SVG: the mapping database as a forest, each CPU's TLB beside
 * the page table it caches, IPC threads with their queues, segment tables, small spaces' windows,
 * and any Alloy instance as a graph.
 *
 * <p>A state is a map from variable name to value, as a step of an ITF trace holds it, or as
 * {@code ExplorerGraph.valuesOf} renders a Java model's state. The shapes are read leniently, as
 * the same state comes from several tools: a model value may be a {@code ModelValue} or a
 * {@code Str} (ITF writes model values as strings), a function may be a {@code Fun}, a
 * {@code Record} (string keys) or a {@code Seq} (keys {@code 1..n}), and a pair a {@code Seq} or a
 * {@code Tuple}. A value of any other shape gives no picture, never an exception: the caller then
 * shows the value tree.
 *
 * <p>The SVG is self-contained and deterministic: text, rectangles, lines and paths with
 * presentation attributes, a {@code <title>}, no scripts, no style sheet, no external resources
 * and no {@code id}s (arrowheads are polygons, not markers), so that several pictures can be
 * inlined in one HTML page. It is sized to its content ({@code width}, {@code height} and
 * {@code viewBox}). The root is {@code <svg class="state-picture" data-area="AREA">}, with
 * {@code data-area="Alloy"} for {@link #alloyGraph}. Elements that tests, scripts and style sheets
 * find carry classes and data attributes:
 * <ul>
 *   <li>the mapping database (AddressSpaces, FlushShootdown, and Ipc when a map item has derived
 *       a page): {@code g.mdb-node[data-node="SPACE/PAGE"][data-frame][data-rights]}, one per
 *       mapped page and nothing else; {@code g.mdb-edge[data-child][data-parent]}, one per pair of
 *       {@code mdb}; {@code g.mdb-edge-label}; {@code g.mdb-ghost[data-node]} for a database node
 *       whose page maps nothing (a bug variant); {@code g.mdb-space[data-space]};</li>
 *   <li>TLBs (Tlb, FlushShootdown): {@code g.cpu[data-cpu]} holding {@code g.tlb} with its
 *       {@code g.tlb-entry[data-space][data-page]} rows, class {@code stale} when the entry
 *       disagrees with the current table and also {@code covered} when the shootdown in progress
 *       covers it, and {@code g.page-table[data-space]} with {@code g.pte[data-page]} rows;
 *       {@code g.shootdown} for the shootdown or operation in progress;</li>
 *   <li>Ipc: {@code g.thread[data-thread][data-state]}, {@code g.queue[data-receiver]} holding
 *       {@code g.queued[data-thread][data-position]} in queue order,
 *       {@code g.ipc-edge[data-from][data-to][data-kind]} ("send", "call", "awaits reply",
 *       "receives from"), {@code g.ring};</li>
 *   <li>Segments: {@code g.seg-thread[data-thread]} with {@code g.register[data-thread][data-reg]}
 *       rows ({@code stale} when the Vst entry it was loaded through no longer backs it) and a
 *       {@code g.tlb} row, {@code g.vst[data-domain]} with {@code g.vst-entry[data-domain][data-sel]},
 *       {@code g.gst} with {@code g.gst-slot[data-slot]}, {@code g.revocation};</li>
 *   <li>SmallSpaces: {@code g.cpu[data-cpu]} with {@code g.linear-page[data-linear]} cells, class
 *       {@code in-segment} where the loaded segment reaches, and
 *       {@code g.tlb-entry[data-cpu][data-linear][data-frame]} ({@code stale} when the frame's
 *       space no longer maps the page, or the entry belongs to another table or window),
 *       {@code g.spaces};</li>
 *   <li>Alloy: {@code g.signature[data-sig]}, {@code g.atom[data-atom][data-sig]},
 *       {@code g.relation-edge[data-relation][data-from][data-to]}, {@code g.other-relations};</li>
 *   <li>every picture: {@code g.legend}.</li>
 * </ul>
 *
 * <p>Cost: linear in the size of the state, plus the edges drawn.
 */
public final class StatePictures {
    private StatePictures() {
    }

    /**
     * An SVG picture of one state of the TLA+ spec area {@code area} (AddressSpaces, Tlb, Ipc,
     * Segments, SmallSpaces, FlushShootdown), or empty if the area has no picture or the values do
     * not have the shape the picture needs (then the caller shows the value tree). Never throws on
     * odd values.
     */
    public static Optional<String> svg(String area, Map<String, TlaValue> values) {
        if (area == null || values == null) {
            return Optional.empty();
        }
        try {
            String svg = switch (area.toLowerCase(Locale.ROOT)) {
                case "addressspaces" -> addressSpaces(values);
                case "tlb" -> tlb(values);
                case "ipc" -> ipc(values);
                case "segments" -> segments(values);
                case "smallspaces" -> smallSpaces(values);
                case "flushshootdown" -> flushShootdown(values);
                default -> null;
            };
            return Optional.ofNullable(svg);
        } catch (RuntimeException e) {
            // A value of a shape the picture does not expect (Shape), or one odder still: the
            // contract is to fall back to the value tree, never to fail the page.
            return Optional.empty();
        }
    }

    /**
     * An SVG graph of one Alloy instance state: atoms as nodes (label = atom name, grouped/coloured
     * by signature where the unary relations say), binary relations as labelled directed edges,
     * unary relations as tags on nodes, relations of higher arity listed as text.
     */
    public static String alloyGraph(Map<String, TlaValue> values) {
        try {
            return alloy(values == null ? Map.of() : values);
        } catch (RuntimeException e) {
            Svg svg = new Svg();
            svg.text(16, 28, "This Alloy state cannot be drawn as a graph; see its values.", MUTED, false);
            return svg.finish("Alloy", "Alloy instance (not drawable)");
        }
    }

    // ==========================================================================================
    // AddressSpaces: the mapping database as a forest, one column per space

    private static String addressSpaces(Map<String, TlaValue> values) {
        Db db = Db.of(values);
        Svg svg = new Svg();
        double y = heading(svg, 16, 16, "Mapping database: " + db.mappedCount + " mapped pages, "
                + db.edges.size() + " derivations");
        y = drawDb(svg, db, 16, y + 6);
        legend(svg, 16, y + 12, dbLegend(db));
        return svg.finish("AddressSpaces", "AddressSpaces state: the mapping database, "
                + db.mappedCount + " mapped pages in " + db.spaces.size() + " spaces");
    }

    /** A node of the mapping database: a mapped page, or (ghost) a database entry without one. */
    private record MdbNode(String key, String space, String page, String frame, String rights, boolean ghost) {
    }

    /** The mapping database of a state: live, mappings and mdb, as AddressSpaces has them. */
    private static final class Db {
        final List<String> spaces = new ArrayList<>();
        final Set<String> live;
        final Map<String, MdbNode> nodes = new LinkedHashMap<>();
        final List<String[]> edges = new ArrayList<>();
        final Map<String, Map<String, MdbNode>> pagesOf = new LinkedHashMap<>();
        String sigma0;
        int mappedCount;

        private Db(Set<String> live) {
            this.live = live;
        }

        static Db of(Map<String, TlaValue> values) {
            TlaValue mv = values.get("mappings");
            TlaValue dv = values.get("mdb");
            if (mv == null || dv == null) {
                throw new Shape("the mapping database needs the variables mappings and mdb");
            }
            TlaValue lv = values.get("live");
            Db db = new Db(lv == null ? null : new LinkedHashSet<>(names(set(lv))));
            Map<String, TlaValue> mappings = fn(mv);
            Map<String, Map<String, TlaValue>> tables = new LinkedHashMap<>();
            for (Map.Entry<String, TlaValue> e : mappings.entrySet()) {
                tables.put(e.getKey(), fn(e.getValue()));
            }
            db.sigma0 = sigma0(tables);
            if (db.sigma0 != null) {
                db.spaces.add(db.sigma0);
            }
            for (String s : tables.keySet()) {
                if (!s.equals(db.sigma0)) {
                    db.spaces.add(s);
                }
            }
            for (String s : db.spaces) {
                Map<String, MdbNode> pages = new LinkedHashMap<>();
                db.pagesOf.put(s, pages);
                for (Map.Entry<String, TlaValue> p : tables.get(s).entrySet()) {
                    Map<String, TlaValue> m = mapping(p.getValue());
                    if (m != null) {
                        MdbNode n = new MdbNode(s + "/" + p.getKey(), s, p.getKey(), name(m.get("frame")),
                                rightsText(m.get("rights")), false);
                        db.nodes.put(n.key(), n);
                        pages.put(p.getKey(), n);
                        db.mappedCount++;
                    }
                }
            }
            for (TlaValue e : set(dv)) {
                List<TlaValue> cp = pair(e);
                String child = db.node(cp.get(0));
                String parent = db.node(cp.get(1));
                db.edges.add(new String[] {child, parent});
            }
            if (db.live != null) {
                for (String s : db.live) {
                    db.space(s);
                }
            }
            return db;
        }

        /** The key of the node {@code <<space, page>>}, adding a ghost if no page maps it. */
        private String node(TlaValue v) {
            List<TlaValue> sp = pair(v);
            String space = name(sp.get(0));
            String page = name(sp.get(1));
            String key = space + "/" + page;
            if (!nodes.containsKey(key)) {
                MdbNode ghost = new MdbNode(key, space, page, "", "", true);
                nodes.put(key, ghost);
                space(space).put(page, ghost);
            }
            return key;
        }

        private Map<String, MdbNode> space(String s) {
            if (!pagesOf.containsKey(s)) {
                spaces.add(s);
                pagesOf.put(s, new LinkedHashMap<>());
            }
            return pagesOf.get(s);
        }

        boolean isLive(String s) {
            return live == null || live.contains(s);
        }

        boolean hasGhosts() {
            return nodes.values().stream().anyMatch(MdbNode::ghost);
        }

        /**
         * Sigma0: the space so named, or else the one whose every mapped page maps the frame of
         * its own number (its identity mappings are the roots).
         */
        private static String sigma0(Map<String, Map<String, TlaValue>> tables) {
            for (String s : tables.keySet()) {
                if (s.equalsIgnoreCase("Sigma0")) {
                    return s;
                }
            }
            for (Map.Entry<String, Map<String, TlaValue>> t : tables.entrySet()) {
                boolean identity = !t.getValue().isEmpty();
                for (Map.Entry<String, TlaValue> p : t.getValue().entrySet()) {
                    Map<String, TlaValue> m = mapping(p.getValue());
                    identity &= m != null && p.getKey().equals(name(m.get("frame")));
                }
                if (identity) {
                    return t.getKey();
                }
            }
            return null;
        }
    }

    /** A page's entry as a record with a frame, or null for a page that maps nothing (a model value). */
    private static Map<String, TlaValue> mapping(TlaValue v) {
        Map<String, TlaValue> m = rec(v);
        if (m != null && m.containsKey("frame")) {
            return m;
        }
        if (isAtom(v)) {
            return null;
        }
        throw new Shape("a page maps a record with a frame, or a model value such as NoMapping");
    }

    private static final double NODE_H = 2 * 16 + 10;
    private static final double NODE_GAP = 12;
    private static final double COL_GAP = 96;

    /** Draws the database's forest with its top left at (x0, y0); returns the bottom. */
    private static double drawDb(Svg svg, Db db, double x0, double y0) {
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < db.spaces.size(); i++) {
            col.put(db.spaces.get(i), i);
        }
        double[] colW = new double[db.spaces.size()];
        double[] colX = new double[db.spaces.size()];
        for (int i = 0; i < db.spaces.size(); i++) {
            String s = db.spaces.get(i);
            colW[i] = Math.max(120, Math.max(width(columnTitle(db, s)), width(columnNote(db, s))) + 2 * PAD);
            for (MdbNode n : db.pagesOf.get(s).values()) {
                colW[i] = Math.max(colW[i], Math.max(width(nodeTitle(n)), width(nodeDetail(n))) + 2 * PAD);
            }
            colX[i] = i == 0 ? x0 : colX[i - 1] + colW[i - 1] + COL_GAP;
        }
        double top = y0 + 2 * LH + 10;
        for (int i = 0; i < db.spaces.size(); i++) {
            String s = db.spaces.get(i);
            boolean live = db.isLive(s);
            svg.open("g", "class", "mdb-space", "data-space", s);
            svg.text(colX[i], y0 + 13, columnTitle(db, s), live ? INK : MUTED, true);
            svg.text(colX[i], y0 + 13 + LH, columnNote(db, s), live ? MUTED : STALE_INK, false);
            svg.line(colX[i], y0 + 2 * LH + 4, colX[i] + colW[i], y0 + 2 * LH + 4, RULE, false);
            svg.close("g");
        }

        List<MdbNode> order = forestOrder(db);
        Map<String, double[]> box = new HashMap<>();
        double y = top;
        for (MdbNode n : order) {
            int c = col.get(n.space());
            box.put(n.key(), new double[] {colX[c], y, colW[c], NODE_H});
            y += NODE_H + NODE_GAP;
        }
        if (order.isEmpty()) {
            svg.text(x0, top + 14, "(no page is mapped)", MUTED, false);
            y = top + 24;
        }
        // Edges under the nodes, their labels over them.
        List<double[]> labels = new ArrayList<>();
        List<String> labelText = new ArrayList<>();
        for (String[] e : db.edges) {
            double[] from = box.get(e[0]);
            double[] to = box.get(e[1]);
            int colChild = col.get(db.nodes.get(e[0]).space());
            int colParent = col.get(db.nodes.get(e[1]).space());
            svg.open("g", "class", "mdb-edge", "data-child", e[0], "data-parent", e[1]);
            if (from == to) {
                double[] p = connect(from, to, colChild, colParent);
                svg.curve(p, EDGE, false);
                labels.add(bezierPoint(p, 0.5));
            } else {
                double[] r = route(from, to, colChild, colParent);
                svg.route(r, EDGE);
                labels.add(colChild == colParent ? bezierPoint(java.util.Arrays.copyOfRange(r, 2, 10), 0.5)
                        : new double[] {r[0] + (colChild > colParent ? -26 : 26), r[1]});
            }
            svg.close("g");
            MdbNode child = db.nodes.get(e[0]);
            labelText.add(child.ghost() ? "?" : child.rights());
        }
        for (MdbNode n : order) {
            double[] b = box.get(n.key());
            boolean root = n.space().equals(db.sigma0);
            if (n.ghost()) {
                svg.open("g", "class", "mdb-ghost", "data-node", n.key());
                svg.rect(b[0], b[1], b[2], b[3], STALE_FILL, STALE_STROKE, true);
            } else {
                svg.open("g", "class", "mdb-node", "data-node", n.key(), "data-frame", n.frame(),
                        "data-rights", n.rights());
                svg.rect(b[0], b[1], b[2], b[3], root ? ROOT_FILL : BOX_FILL, root ? ROOT_STROKE : BOX_STROKE, false);
            }
            svg.text(b[0] + PAD, b[1] + 16, nodeTitle(n), n.ghost() ? STALE_INK : INK, true);
            svg.text(b[0] + PAD, b[1] + 16 + LH, nodeDetail(n), n.ghost() ? STALE_INK : MUTED, false);
            svg.close("g");
        }
        for (int i = 0; i < labels.size(); i++) {
            svg.open("g", "class", "mdb-edge-label");
            svg.label(labels.get(i)[0], labels.get(i)[1], labelText.get(i), EDGE);
            svg.close("g");
        }
        return y;
    }

    private static String columnTitle(Db db, String s) {
        return s.equals(db.sigma0) ? s + " (roots)" : s;
    }

    private static String columnNote(Db db, String s) {
        if (!db.isLive(s)) {
            return "not live";
        }
        int n = 0;
        for (MdbNode x : db.pagesOf.get(s).values()) {
            n += x.ghost() ? 0 : 1;
        }
        return n + (n == 1 ? " mapped page" : " mapped pages");
    }

    private static String nodeTitle(MdbNode n) {
        return n.space() + " / page " + n.page();
    }

    private static String nodeDetail(MdbNode n) {
        return n.ghost() ? "in the mdb, maps nothing" : "frame " + n.frame() + " · " + n.rights();
    }

    /**
     * The nodes in the order of their rows: each tree in pre-order from its root (a node that was
     * derived from nothing), roots in column order, so that every edge points up to a parent drawn
     * above its child. Nodes on a cycle (a bug variant) follow.
     */
    private static List<MdbNode> forestOrder(Db db) {
        Map<String, Integer> rank = new HashMap<>();
        int r = 0;
        for (String s : db.spaces) {
            for (MdbNode n : db.pagesOf.get(s).values()) {
                rank.put(n.key(), r++);
            }
        }
        Map<String, List<String>> children = new HashMap<>();
        Set<String> hasParent = new HashSet<>();
        for (String[] e : db.edges) {
            children.computeIfAbsent(e[1], k -> new ArrayList<>()).add(e[0]);
            hasParent.add(e[0]);
        }
        children.values().forEach(l -> l.sort(Comparator.comparing(rank::get)));
        List<String> starts = new ArrayList<>(rank.keySet());
        starts.sort(Comparator.comparing(rank::get));
        List<String> roots = new ArrayList<>();
        for (String k : starts) {
            if (!hasParent.contains(k)) {
                roots.add(k);
            }
        }
        roots.addAll(starts);
        List<MdbNode> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String root : roots) {
            Deque<String> stack = new ArrayDeque<>();
            stack.push(root);
            while (!stack.isEmpty()) {
                String k = stack.pop();
                if (!seen.add(k)) {
                    continue;
                }
                out.add(db.nodes.get(k));
                List<String> cs = children.getOrDefault(k, List.of());
                for (int i = cs.size() - 1; i >= 0; i--) {
                    stack.push(cs.get(i));
                }
            }
        }
        return out;
    }

    /** A cubic Bezier from box {@code a} (a child) to box {@code b} (its parent), as 8 numbers. */
    private static double[] connect(double[] a, double[] b, int colA, int colB) {
        double ay = a[1] + a[3] / 2;
        double by = b[1] + b[3] / 2;
        if (colA > colB) {
            double x1 = a[0];
            double x2 = b[0] + b[2];
            double d = Math.max(30, (x1 - x2) / 2);
            return new double[] {x1, ay, x1 - d, ay, x2 + d, by, x2, by};
        }
        if (colA < colB) {
            double x1 = a[0] + a[2];
            double x2 = b[0];
            double d = Math.max(30, (x2 - x1) / 2);
            return new double[] {x1, ay, x1 + d, ay, x2 - d, by, x2, by};
        }
        double x = a[0] + a[2];
        if (a == b) {
            return new double[] {x, ay - 8, x + 44, ay - 30, x + 44, ay + 30, x, ay + 8};
        }
        double out = Math.min(COL_GAP - 20, 34 + 6 * Math.abs(ay - by) / (NODE_H + NODE_GAP));
        return new double[] {x, ay, x + out, ay, x + out, by, b[0] + b[2], by};
    }

    /**
     * The route of a database edge from child box {@code a} to parent box {@code b}, as 10 numbers:
     * a horizontal run along the child's row, then a cubic curve into the side of the parent. Every
     * row holds one node, so the run crosses no other box, and the curve stays in the gap beside
     * the parent's column.
     */
    private static double[] route(double[] a, double[] b, int colA, int colB) {
        double ay = a[1] + a[3] / 2;
        double by = b[1] + b[3] / 2;
        if (colA > colB) {
            double x0 = a[0];
            double x2 = b[0] + b[2];
            return new double[] {x0, ay, x2 + 46, ay, x2 + 10, ay, x2 + 36, by, x2, by};
        }
        if (colA < colB) {
            double x0 = a[0] + a[2];
            double x2 = b[0];
            return new double[] {x0, ay, x2 - 46, ay, x2 - 10, ay, x2 - 36, by, x2, by};
        }
        double x0 = a[0] + a[2];
        double out = Math.min(COL_GAP - 16, 56 + 6 * Math.abs(ay - by) / (NODE_H + NODE_GAP));
        return new double[] {x0, ay, x0 + 4, ay, x0 + out, ay, x0 + out, by, b[0] + b[2], by};
    }

    private static double[] bezierPoint(double[] p, double t) {
        double u = 1 - t;
        double x = u * u * u * p[0] + 3 * u * u * t * p[2] + 3 * u * t * t * p[4] + t * t * t * p[6];
        double y = u * u * u * p[1] + 3 * u * u * t * p[3] + 3 * u * t * t * p[5] + t * t * t * p[7];
        return new double[] {x, y};
    }

    private static List<LegendItem> dbLegend(Db db) {
        List<LegendItem> items = new ArrayList<>();
        if (db.sigma0 != null) {
            items.add(LegendItem.box(ROOT_FILL, ROOT_STROKE, false, db.sigma0 + "'s mapping: a root"));
        }
        items.add(LegendItem.box(BOX_FILL, BOX_STROKE, false, "mapping: space / page, frame · rights"));
        items.add(LegendItem.line(EDGE, false, "derived from (label: the child's rights)"));
        if (db.hasGhosts()) {
            items.add(LegendItem.box(STALE_FILL, STALE_STROKE, true, "database node whose page maps nothing"));
        }
        return items;
    }

    // ==========================================================================================
    // Tlb: each CPU's TLB beside the page tables it caches

    private static String tlb(Map<String, TlaValue> values) {
        Map<String, Map<String, TlaValue>> pt = tables(require(values, "pt"));
        Map<String, TlaValue> tlbs = fn(require(values, "tlb"));
        Map<String, TlaValue> running = optFn(values.get("running"));
        Map<String, TlaValue> active = optFn(values.get("active"));
        Map<String, TlaValue> asid = optFn(values.get("asid"));
        Map<String, TlaValue> mayCache = optFn(values.get("mayCache"));
        Map<String, TlaValue> owner = optFn(values.get("owner"));
        TlaValue sdv = values.get("shootdown");
        Map<String, TlaValue> shootdown = sdv == null ? null : rec(sdv);
        if (sdv != null && shootdown == null && !isAtom(sdv)) {
            throw new Shape("shootdown is a record or NoShootdown");
        }
        Set<String> waiting = shootdown == null || shootdown.get("waiting") == null ? Set.of()
                : new LinkedHashSet<>(names(set(shootdown.get("waiting"))));

        List<CpuView> cpus = new ArrayList<>();
        int stale = 0;
        for (Map.Entry<String, TlaValue> c : tlbs.entrySet()) {
            String cpu = c.getKey();
            String runs = running == null || running.get(cpu) == null ? null : name(running.get(cpu));
            String act = active == null || active.get(cpu) == null ? null : name(active.get(cpu));
            List<String> header = new ArrayList<>();
            header.add("CPU " + cpu + " · TLB");
            header.add("runs " + (runs == null ? "?" : runs) + (act == null ? "" : " · ASID " + act));
            boolean awaiting = waiting.contains(cpu);
            if (awaiting) {
                header.add("shootdown IPI pending: must acknowledge");
            }
            List<TlbRow> rows = new ArrayList<>();
            Set<String> shown = new LinkedHashSet<>();
            if (runs != null && pt.containsKey(runs)) {
                shown.add(runs);
            }
            for (TlaValue ev : set(c.getValue())) {
                Map<String, TlaValue> e = record(ev, "a TLB entry");
                String tag = name(e.get("asid"));
                String vp = name(e.get("vp"));
                String frame = name(e.get("frame"));
                boolean w = truth(e.get("w"));
                List<String> holders = new ArrayList<>();
                if (asid != null && !tag.equals("0")) {
                    for (Map.Entry<String, TlaValue> a : asid.entrySet()) {
                        if (name(a.getValue()).equals(tag)) {
                            holders.add(a.getKey());
                        }
                    }
                } else if (runs != null && pt.containsKey(runs)) {
                    holders.add(runs);
                }
                String why = null;
                String space = holders.isEmpty() ? null : holders.get(0);
                boolean covered = false;
                if (holders.isEmpty()) {
                    why = tag.equals("0") ? "no space runs here to own it" : "no space holds ASID " + tag;
                }
                for (String h : holders) {
                    shown.add(h);
                    Map<String, TlaValue> table = pt.get(h);
                    Map<String, TlaValue> pte = table == null ? null : pteRecord(table.get(vp));
                    String wrong = pte == null ? "page table maps nothing here"
                            : !name(pte.get("frame")).equals(frame) ? "page table maps frame " + name(pte.get("frame"))
                            : w && !truth(pte.get("w")) ? "page table is read-only" : null;
                    if (wrong != null && why == null) {
                        why = wrong;
                        space = h;
                        covered = shootdown != null && covers(shootdown, h, tag, vp, frame, w);
                    }
                }
                stale += why == null ? 0 : 1;
                String text = (tag.equals("0") ? "" : "ASID " + tag + " ") + (space == null ? "" : "(" + space + ") ")
                        + "page " + vp + " → frame " + frame + " " + (w ? "rw" : "r");
                String freed = owner == null || owner.get(frame) == null || space == null
                        || name(owner.get(frame)).equals(space) ? "" : "; frame " + frame + " now belongs to " + name(owner.get(frame));
                String note = why == null ? null : "stale: " + why + freed + (covered ? " (shootdown in progress)" : "");
                rows.add(new TlbRow(text, space, vp, why != null, covered, note));
            }
            List<PageTable> tables = new ArrayList<>();
            for (String s : shown) {
                List<PteRow> ptes = new ArrayList<>();
                for (Map.Entry<String, TlaValue> p : pt.get(s).entrySet()) {
                    Map<String, TlaValue> pte = pteRecord(p.getValue());
                    ptes.add(new PteRow(p.getKey(), pte == null ? "page " + p.getKey() + " → nothing"
                            : "page " + p.getKey() + " → frame " + name(pte.get("frame")) + " "
                                    + (truth(pte.get("w")) ? "rw" : "r"), pte != null));
                }
                String mc = mayCache == null || mayCache.get(s) == null ? "" : " · may cache: " + setText(mayCache.get(s));
                tables.add(new PageTable(s, "page table of " + s + mc, ptes));
            }
            cpus.add(new CpuView(cpu, header, awaiting, rows, tables));
        }

        Svg svg = new Svg();
        double y = heading(svg, 16, 16, "TLBs and page tables: " + cpus.size() + " CPUs, "
                + stale + (stale == 1 ? " stale entry" : " stale entries"));
        y = drawCpus(svg, 16, y + 8, cpus);
        List<Row> info = new ArrayList<>();
        if (shootdown != null) {
            info.add(Row.title("Shootdown in progress (" + text(shootdown.get("kind")) + ")"));
            info.add(Row.plain("started by " + text(shootdown.get("initiator")) + " for " + text(shootdown.get("space"))
                    + ", pages " + setText(shootdown.get("pages")) + ", ASID " + text(shootdown.get("asid"))));
            info.add(waiting.isEmpty() ? Row.plain("every acknowledgement is in")
                    : Row.alert("waiting for acknowledgements from " + String.join(", ", waiting)));
            Map<String, TlaValue> old = shootdown.get("old") == null ? null : optFn(shootdown.get("old"));
            if (old != null && shootdown.get("pages") != null) {
                for (String p : names(set(shootdown.get("pages")))) {
                    Map<String, TlaValue> o = old.get(p) == null ? null : pteRecord(old.get(p));
                    if (o != null) {
                        info.add(Row.muted("page " + p + " mapped frame " + name(o.get("frame")) + " "
                                + (truth(o.get("w")) ? "rw" : "r") + " before"));
                    }
                }
            }
        } else if (sdv != null) {
            info.add(Row.title("No shootdown in progress"));
        }
        if (owner != null) {
            List<String> owned = new ArrayList<>();
            owner.forEach((f, o) -> owned.add(f + " → " + name(o)));
            info.add(Row.plain("frame owners: " + String.join(", ", owned)));
        }
        if (!info.isEmpty()) {
            svg.open("g", "class", "shootdown");
            double w = widthOf(info);
            y += rowsBox(svg, 16, y, w, shootdown != null ? WARN_FILL : BOX_FILL, shootdown != null ? WARN_STROKE : BOX_STROKE,
                    info).height() + 12;
            svg.close("g");
        }
        legend(svg, 16, y + 4, List.of(
                LegendItem.box(BOX_FILL, BOX_STROKE, false, "TLB entry that the page table backs"),
                LegendItem.box(STALE_FILL, STALE_STROKE, false, "stale entry: unmapped, other frame or fewer rights"),
                LegendItem.line(LINK, false, "caches (entry → page-table entry)")));
        return svg.finish("Tlb", "Tlb state: " + cpus.size() + " CPUs, " + stale + " stale TLB entries");
    }

    /** Whether the shootdown in progress covers entry (tag, vp, frame, w) of space s, as Tlb's PendingCovers says. */
    private static boolean covers(Map<String, TlaValue> sd, String s, String tag, String vp, String frame, boolean w) {
        if (sd.get("space") == null || !name(sd.get("space")).equals(s) || sd.get("asid") == null
                || !name(sd.get("asid")).equals(tag) || sd.get("pages") == null
                || !names(set(sd.get("pages"))).contains(vp) || sd.get("old") == null) {
            return false;
        }
        TlaValue o = fn(sd.get("old")).get(vp);
        Map<String, TlaValue> old = o == null ? null : pteRecord(o);
        return old != null && name(old.get("frame")).equals(frame) && truth(old.get("w")) == w;
    }

    private static Map<String, TlaValue> pteRecord(TlaValue v) {
        if (v == null) {
            return null;
        }
        Map<String, TlaValue> m = rec(v);
        if (m != null && m.containsKey("frame")) {
            return m;
        }
        if (isAtom(v)) {
            return null;
        }
        throw new Shape("a page-table entry is a record with a frame, or NoEntry");
    }

    private static Map<String, Map<String, TlaValue>> tables(TlaValue v) {
        Map<String, Map<String, TlaValue>> out = new LinkedHashMap<>();
        for (Map.Entry<String, TlaValue> e : fn(v).entrySet()) {
            out.put(e.getKey(), fn(e.getValue()));
        }
        return out;
    }

    // ==========================================================================================
    // CPU rows, shared by Tlb and FlushShootdown

    private record TlbRow(String text, String space, String page, boolean stale, boolean covered, String note) {
    }

    private record PteRow(String page, String text, boolean mapped) {
    }

    private record PageTable(String space, String title, List<PteRow> rows) {
    }

    private record CpuView(String cpu, List<String> header, boolean alert, List<TlbRow> entries, List<PageTable> tables) {
    }

    /** Draws one row per CPU: its TLB box, then the tables it caches, with a line per entry. */
    private static double drawCpus(Svg svg, double x0, double y0, List<CpuView> cpus) {
        double tlbW = 220;
        double ptW = 180;
        for (CpuView c : cpus) {
            for (String h : c.header()) {
                tlbW = Math.max(tlbW, width(h) + 2 * PAD);
            }
            for (TlbRow r : c.entries()) {
                tlbW = Math.max(tlbW, width(r.text()) + 2 * PAD);
                if (r.note() != null) {
                    tlbW = Math.max(tlbW, width(r.note()) + 2 * PAD + 12);
                }
            }
            for (PageTable t : c.tables()) {
                ptW = Math.max(ptW, width(t.title()) + 2 * PAD);
                for (PteRow p : t.rows()) {
                    ptW = Math.max(ptW, width(p.text()) + 2 * PAD);
                }
            }
        }
        double ptX = x0 + tlbW + 80;
        double y = y0;
        for (CpuView c : cpus) {
            svg.open("g", "class", "cpu", "data-cpu", c.cpu());
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < c.header().size(); i++) {
                String h = c.header().get(i);
                rows.add(i == 0 ? Row.title(h) : i >= 2 && c.alert() ? Row.warn(h) : Row.muted(h));
            }
            int first = rows.size();
            for (TlbRow r : c.entries()) {
                String cls = "tlb-entry" + (r.stale() ? " stale" : "") + (r.covered() ? " covered" : "");
                String[] attrs = {"data-space", r.space(), "data-page", r.page()};
                rows.add(r.stale() ? new Row(r.text(), cls, attrs, STALE_INK, false, true)
                        : new Row(r.text(), cls, attrs, INK, false, false));
                if (r.note() != null) {
                    rows.add(new Row("  " + r.note(), null, null, STALE_INK, false, false));
                }
            }
            if (c.entries().isEmpty()) {
                rows.add(Row.muted("(no entries)"));
            }
            svg.open("g", "class", "tlb", "data-cpu", c.cpu());
            Box tlbBox = rowsBox(svg, x0, y, tlbW, c.alert() ? WARN_FILL : BOX_FILL, c.alert() ? WARN_STROKE : BOX_STROKE, rows);
            svg.close("g");

            Map<String, Double> pteY = new HashMap<>();
            double ty = y;
            for (PageTable t : c.tables()) {
                List<Row> prow = new ArrayList<>();
                prow.add(Row.title(t.title()));
                for (PteRow p : t.rows()) {
                    prow.add(new Row(p.text(), "pte", new String[] {"data-page", p.page()}, p.mapped() ? INK : MUTED, false, false));
                }
                svg.open("g", "class", "page-table", "data-space", t.space());
                Box b = rowsBox(svg, ptX, ty, ptW, TABLE_FILL, TABLE_STROKE, prow);
                svg.close("g");
                for (int i = 0; i < t.rows().size(); i++) {
                    pteY.put(t.space() + "/" + t.rows().get(i).page(), b.mids()[i + 1]);
                }
                ty += b.height() + 10;
            }
            int k = first;
            for (TlbRow r : c.entries()) {
                Double target = r.space() == null ? null : pteY.get(r.space() + "/" + r.page());
                if (target != null) {
                    double sy = tlbBox.mids()[k];
                    svg.curve(new double[] {x0 + tlbW, sy, x0 + tlbW + 40, sy, ptX - 40, target, ptX, target},
                            r.stale() ? STALE_STROKE : LINK, r.stale());
                }
                k += r.note() != null ? 2 : 1;
            }
            svg.close("g");
            y = Math.max(y + tlbBox.height(), ty - 10) + 22;
        }
        return y;
    }

    // ==========================================================================================
    // FlushShootdown: the mapping database, and the TLBs that cache its mappings

    private static String flushShootdown(Map<String, TlaValue> values) {
        Db db = Db.of(values);
        Map<String, Map<String, TlaValue>> mappings = tables(require(values, "mappings"));
        Map<String, TlaValue> tlbs = fn(require(values, "tlb"));
        Map<String, TlaValue> running = optFn(values.get("running"));
        Map<String, TlaValue> mayCache = optFn(values.get("mayCache"));
        TlaValue pv = values.get("pending");
        Map<String, TlaValue> pending = pv == null ? null : rec(pv);
        if (pv != null && pending == null && !isAtom(pv)) {
            throw new Shape("pending is a record or NoOp");
        }
        Set<String> waiting = pending == null || pending.get("waiting") == null ? Set.of()
                : new LinkedHashSet<>(names(set(pending.get("waiting"))));
        Set<String> shot = new LinkedHashSet<>();
        if (pending != null && pending.get("pages") != null) {
            for (TlaValue n : set(pending.get("pages"))) {
                List<TlaValue> sp = pair(n);
                shot.add(name(sp.get(0)) + "/" + name(sp.get(1)));
            }
        }

        List<CpuView> cpus = new ArrayList<>();
        int stale = 0;
        for (Map.Entry<String, TlaValue> c : tlbs.entrySet()) {
            String cpu = c.getKey();
            String runs = running == null || running.get(cpu) == null ? null : name(running.get(cpu));
            List<String> header = new ArrayList<>();
            header.add("CPU " + cpu + " · TLB");
            header.add("runs " + (runs == null ? "?" : runs));
            boolean awaiting = waiting.contains(cpu);
            if (awaiting) {
                header.add("shootdown IPI pending: must acknowledge");
            }
            Set<String> shown = new LinkedHashSet<>();
            if (runs != null && mappings.containsKey(runs)) {
                shown.add(runs);
            }
            List<TlbRow> rows = new ArrayList<>();
            for (TlaValue ev : set(c.getValue())) {
                Map<String, TlaValue> e = record(ev, "a TLB entry");
                String space = name(e.get("space"));
                String vp = name(e.get("vp"));
                String frame = name(e.get("frame"));
                Set<String> rights = new TreeSet<>(names(set(e.get("rights"))));
                Map<String, TlaValue> table = mappings.get(space);
                Map<String, TlaValue> m = table == null || table.get(vp) == null ? null : mapping(table.get(vp));
                String why = table == null ? "no such space"
                        : m == null ? "the page maps nothing now"
                        : !name(m.get("frame")).equals(frame) ? "the page maps frame " + name(m.get("frame")) + " now"
                        : !new TreeSet<>(names(set(m.get("rights")))).containsAll(rights)
                                ? "the mapping has only " + rightsText(m.get("rights")) + " now" : null;
                boolean covered = why != null && shot.contains(space + "/" + vp);
                if (table != null) {
                    shown.add(space);
                }
                stale += why == null ? 0 : 1;
                rows.add(new TlbRow("(" + space + ") page " + vp + " → frame " + frame + " · " + rightsText(e.get("rights")),
                        table == null ? null : space, vp, why != null, covered,
                        why == null ? null : "stale: " + why + (covered ? " (shootdown in progress)" : "")));
            }
            List<PageTable> tables = new ArrayList<>();
            for (String s : shown) {
                List<PteRow> ptes = new ArrayList<>();
                for (Map.Entry<String, TlaValue> p : mappings.get(s).entrySet()) {
                    Map<String, TlaValue> m = mapping(p.getValue());
                    ptes.add(new PteRow(p.getKey(), m == null ? "page " + p.getKey() + " → nothing"
                            : "page " + p.getKey() + " → frame " + name(m.get("frame")) + " · " + rightsText(m.get("rights")),
                            m != null));
                }
                String mc = mayCache == null || mayCache.get(s) == null ? "" : " · may cache: " + setText(mayCache.get(s));
                tables.add(new PageTable(s, "mappings of " + s + mc, ptes));
            }
            cpus.add(new CpuView(cpu, header, awaiting, rows, tables));
        }

        Svg svg = new Svg();
        double y = heading(svg, 16, 16, "Mapping database: " + db.mappedCount + " mapped pages, "
                + db.edges.size() + " derivations");
        y = drawDb(svg, db, 16, y + 6);
        y = heading(svg, 16, y + 18, "TLBs: " + cpus.size() + " CPUs, " + stale
                + (stale == 1 ? " stale entry" : " stale entries"));
        y = drawCpus(svg, 16, y + 8, cpus);
        if (pv != null) {
            List<Row> info = new ArrayList<>();
            if (pending != null) {
                info.add(Row.title("Operation on " + text(pending.get("by")) + " waits for acknowledgements"));
                info.add(Row.plain("shot-down pages: " + (shot.isEmpty() ? "none" : String.join(", ", shot))));
                info.add(waiting.isEmpty() ? Row.plain("every acknowledgement is in")
                        : Row.alert("waiting for " + String.join(", ", waiting)));
            } else {
                info.add(Row.title("No operation waits for acknowledgements"));
            }
            svg.open("g", "class", "shootdown");
            y += rowsBox(svg, 16, y, widthOf(info), pending != null ? WARN_FILL : BOX_FILL,
                    pending != null ? WARN_STROKE : BOX_STROKE, info).height() + 12;
            svg.close("g");
        }
        List<LegendItem> items = new ArrayList<>(dbLegend(db));
        items.add(LegendItem.box(STALE_FILL, STALE_STROKE, false, "stale TLB entry"));
        legend(svg, 16, y + 4, items);
        return svg.finish("FlushShootdown", "FlushShootdown state: " + db.mappedCount + " mapped pages, "
                + cpus.size() + " CPUs, " + stale + " stale TLB entries");
    }

    // ==========================================================================================
    // Ipc: threads, their states, send queues and who waits for whose reply

    private record Arc(String from, String to, String label, String colour, boolean dashed) {
    }

    private static String ipc(Map<String, TlaValue> values) {
        Map<String, TlaValue> st = fn(require(values, "st"));
        Map<String, TlaValue> queue = optFn(values.get("queue"));
        Map<String, TlaValue> home = optFn(values.get("home"));
        Map<String, TlaValue> ver = optFn(values.get("ver"));
        Map<String, TlaValue> callers = optFn(values.get("callers"));
        Map<String, TlaValue> note = optFn(values.get("note"));
        Map<String, TlaValue> got = optFn(values.get("got"));
        Map<String, TlaValue> owed = optFn(values.get("owed"));
        Map<String, TlaValue> res = optFn(values.get("res"));
        Map<String, TlaValue> mr = optFn(values.get("mr"));

        List<String> threads = new ArrayList<>(st.keySet());
        Map<String, List<Row>> boxes = new LinkedHashMap<>();
        Map<String, String> kinds = new HashMap<>();
        List<Arc> arcs = new ArrayList<>();
        for (String t : threads) {
            Map<String, TlaValue> s = record(st.get(t), "a thread state");
            String kind = name(s.get("kind"));
            kinds.put(t, kind);
            List<Row> rows = new ArrayList<>();
            String v = ver == null || ver.get(t) == null ? "" : " v" + name(ver.get(t));
            String h = home == null || home.get(t) == null ? "" : " · in " + name(home.get(t));
            rows.add(Row.title("thread " + t + v + h));
            String tmo = s.get("tmo") == null ? "" : " (timeout " + name(s.get("tmo")) + ")";
            switch (kind) {
                case "ready" -> rows.add(Row.plain("running (ready)"));
                case "dead" -> rows.add(Row.muted("dead"));
                case "wait" -> rows.add(Row.warn("waiting for a notification"));
                case "send" -> {
                    boolean call = s.get("call") != null && truth(s.get("call"));
                    String to = threadId(s.get("to"));
                    rows.add(Row.warn((call ? "calling " : "sending to ") + to + tmo));
                    arcs.add(new Arc(t, slot(s.get("to")), call ? "call" : "send", SEND, false));
                }
                case "recv" -> {
                    boolean reply = s.get("reply") != null && truth(s.get("reply"));
                    TlaValue from = s.get("from");
                    boolean open = from == null || isAtom(from);
                    if (reply) {
                        rows.add(Row.warn("waiting for the reply of " + threadId(from) + tmo));
                        arcs.add(new Arc(t, slot(from), "awaits reply", REPLY, true));
                    } else if (open) {
                        rows.add(Row.warn("receiving from anyone" + tmo));
                    } else {
                        rows.add(Row.warn("receiving from " + threadId(from) + tmo));
                        arcs.add(new Arc(t, slot(from), "receives from", MUTED, true));
                    }
                }
                default -> rows.add(Row.plain(kind));
            }
            List<String> more = new ArrayList<>();
            if (res != null && res.get(t) != null && !name(res.get(t)).equals("none")) {
                more.add("result " + name(res.get(t)));
            }
            if (note != null && note.get(t) != null && (!set(note.get(t)).isEmpty() || kind.equals("wait"))) {
                more.add("notification word " + setText(note.get(t)));
            }
            if (got != null && got.get(t) != null && !set(got.get(t)).isEmpty()) {
                more.add("got " + setText(got.get(t)));
            }
            if (owed != null && owed.get(t) != null && !set(owed.get(t)).isEmpty()) {
                more.add("signalled, not yet returned " + setText(owed.get(t)));
            }
            if (!more.isEmpty()) {
                rows.add(Row.muted(String.join(" · ", more)));
            }
            if (callers != null && callers.get(t) != null && !set(callers.get(t)).isEmpty()) {
                List<String> ids = new ArrayList<>();
                for (TlaValue id : set(callers.get(t))) {
                    ids.add(threadId(id));
                }
                rows.add(Row.plain("owes a reply to " + String.join(", ", ids)));
            }
            if (mr != null && mr.get(t) != null) {
                Map<String, TlaValue> m = rec(mr.get(t));
                if (m != null) {
                    rows.add(Row.muted("last message: word " + text(m.get("w")) + " from " + threadId(m.get("from"))));
                }
            }
            boxes.put(t, rows);
        }
        Map<String, List<String>> queues = new LinkedHashMap<>();
        if (queue != null) {
            for (Map.Entry<String, TlaValue> q : queue.entrySet()) {
                queues.put(q.getKey(), names(seq(q.getValue())));
            }
        }

        Svg svg = new Svg();
        double y = heading(svg, 16, 16, "IPC: " + threads.size() + " threads");
        arcs.removeIf(a -> !boxes.containsKey(a.to()));
        double maxOff = 0;
        for (int i = 0; i < arcs.size(); i++) {
            maxOff = Math.max(maxOff, arcOffset(i));
        }
        double x0 = 16 + (arcs.isEmpty() ? 0 : maxOff * 0.75 + 60);
        double w = 240;
        for (List<Row> rows : boxes.values()) {
            w = Math.max(w, widthOf(rows));
        }
        Map<String, double[]> at = new HashMap<>();
        y += 10;
        for (String t : threads) {
            List<Row> rows = boxes.get(t);
            String kind = kinds.get(t);
            String fill = kind.equals("dead") ? DEAD_FILL : kind.equals("ready") ? READY_FILL : WARN_FILL;
            String stroke = kind.equals("dead") ? MUTED : kind.equals("ready") ? READY_STROKE : WARN_STROKE;
            svg.open("g", "class", "thread", "data-thread", t, "data-state", kind);
            Box b = rowsBox(svg, x0, y, w, fill, stroke, rows);
            svg.close("g");
            at.put(t, new double[] {x0, y, w, b.height()});
            List<String> q = queues.getOrDefault(t, List.of());
            double qx = x0 + w + 24;
            double qy = y + 6;
            svg.open("g", "class", "queue", "data-receiver", t);
            svg.text(qx, qy + 13, q.isEmpty() ? "send queue: empty" : "send queue:", MUTED, false);
            if (!q.isEmpty()) {
                qx += width("send queue:") + 10;
                for (int i = 0; i < q.size(); i++) {
                    String label = (i + 1) + ". " + q.get(i);
                    double bw = width(label) + 14;
                    svg.open("g", "class", "queued", "data-thread", q.get(i), "data-position", String.valueOf(i + 1));
                    svg.rect(qx, qy, bw, 20, QUEUE_FILL, SEND, false);
                    svg.text(qx + 7, qy + 14, label, INK, false);
                    svg.close("g");
                    if (i + 1 < q.size()) {
                        svg.arrow(qx + bw + 16, qy + 10, qx + bw, qy + 10, MUTED, false);
                    }
                    qx += bw + 16;
                }
                svg.text(qx, qy + 14, "(head first)", MUTED, false);
            }
            svg.close("g");
            y += b.height() + 14;
        }
        for (int i = 0; i < arcs.size(); i++) {
            Arc a = arcs.get(i);
            double[] f = at.get(a.from());
            double[] t = at.get(a.to());
            double off = arcOffset(i);
            double y1 = f[1] + f[3] / 2 + (a.from().equals(a.to()) ? -8 : 0);
            double y2 = t[1] + t[3] / 2 + (a.from().equals(a.to()) ? 8 : 0);
            double[] p = {x0, y1, x0 - off, y1, x0 - off, y2, x0, y2};
            svg.open("g", "class", "ipc-edge", "data-from", a.from(), "data-to", a.to(), "data-kind", a.label());
            svg.curve(p, a.colour(), a.dashed());
            // Labels of arcs between the same rows would meet at the middle: alternate between a
            // point a third of the way down and one two thirds down.
            double down = 0.3 + 0.4 * (i % 2);
            double[] mid = bezierPoint(p, arcParameter(y2 >= y1 ? down : 1 - down));
            svg.label(mid[0], mid[1], a.label(), a.colour());
            svg.close("g");
        }
        TlaValue ring = values.get("ring");
        if (ring != null && (!seqText(ring).equals("<<>>") || !text(values.get("issued")).equals("0")
                || !text(values.get("bell")).equals("idle"))) {
            List<Row> info = new ArrayList<>();
            info.add(Row.title("Batching ring"));
            info.add(Row.plain("requests in the ring: " + seqText(ring) + " (oldest first)"));
            info.add(Row.plain("issued " + text(values.get("issued")) + " · served " + seqText(values.get("served"))
                    + " · bell " + text(values.get("bell"))));
            svg.open("g", "class", "ring");
            y += rowsBox(svg, 16, y + 4, widthOf(info), BOX_FILL, BOX_STROKE, info).height() + 16;
            svg.close("g");
        }
        if (values.containsKey("mappings") && values.containsKey("mdb") && !set(values.get("mdb")).isEmpty()) {
            Db db = Db.of(values);
            y = heading(svg, 16, y + 8, "Mapping database: " + db.mappedCount + " mapped pages");
            y = drawDb(svg, db, 16, y + 6);
        }
        legend(svg, 16, y + 8, List.of(
                LegendItem.box(READY_FILL, READY_STROKE, false, "ready"),
                LegendItem.box(WARN_FILL, WARN_STROKE, false, "blocked in IPC or a wait"),
                LegendItem.box(DEAD_FILL, MUTED, false, "dead"),
                LegendItem.line(SEND, false, "sends or calls"),
                LegendItem.line(REPLY, true, "waits for the reply of")));
        return svg.finish("Ipc", "Ipc state: " + threads.size() + " threads");
    }

    /** The t at which an arc (vertical ends, as drawn by {@link #ipc}) has covered the fraction f of its height. */
    private static double arcParameter(double f) {
        double lo = 0;
        double hi = 1;
        for (int k = 0; k < 30; k++) {
            double t = (lo + hi) / 2;
            if (3 * t * t - 2 * t * t * t < f) {
                lo = t;
            } else {
                hi = t;
            }
        }
        return (lo + hi) / 2;
    }

    private static double arcOffset(int i) {
        return 46 + 34 * i;
    }

    private static String threadId(TlaValue v) {
        if (v == null) {
            return "?";
        }
        Map<String, TlaValue> id = rec(v);
        if (id != null && id.containsKey("slot")) {
            return name(id.get("slot")) + (id.containsKey("ver") ? " v" + name(id.get("ver")) : "");
        }
        return name(v);
    }

    private static String slot(TlaValue v) {
        Map<String, TlaValue> id = v == null ? null : rec(v);
        return id != null && id.containsKey("slot") ? name(id.get("slot")) : v == null ? "" : name(v);
    }

    // ==========================================================================================
    // Segments: threads and their registers, the domains' Vsts, the global table

    private static String segments(Map<String, TlaValue> values) {
        Map<String, TlaValue> gst = fn(require(values, "gst"));
        Map<String, TlaValue> vst = fn(require(values, "vst"));
        Map<String, TlaValue> parent = optFn(values.get("parent"));
        Map<String, TlaValue> dom = optFn(values.get("dom"));
        Map<String, TlaValue> reg = optFn(values.get("reg"));
        Map<String, TlaValue> stack = optFn(values.get("stack"));
        Map<String, TlaValue> tlbs = optFn(values.get("tlb"));
        Map<String, TlaValue> spent = optFn(values.get("spent"));
        Map<String, TlaValue> mem = optFn(values.get("mem"));
        Map<String, TlaValue> rev = values.get("rev") == null ? null : record(values.get("rev"), "rev");

        // The global table.
        Map<String, String> segOf = new LinkedHashMap<>();
        List<Row> gstRows = new ArrayList<>();
        gstRows.add(Row.title("global segment table"));
        for (Map.Entry<String, TlaValue> g : gst.entrySet()) {
            Map<String, TlaValue> slot = record(g.getValue(), "a gst slot");
            String seg = name(slot.get("seg"));
            segOf.put(g.getKey(), seg);
            gstRows.add(new Row(seg.equals("0") ? "slot " + g.getKey() + ": free"
                    : "slot " + g.getKey() + ": segment " + seg + " of " + name(slot.get("owner")),
                    "gst-slot", new String[] {"data-slot", g.getKey()}, seg.equals("0") ? MUTED : INK, false, false));
        }
        // The domains' tables.
        Map<String, Map<String, Map<String, TlaValue>>> entries = new LinkedHashMap<>();
        Map<String, List<Row>> domRows = new LinkedHashMap<>();
        Set<String> gone = new LinkedHashSet<>();
        if (rev != null && rev.get("gone") != null) {
            for (TlaValue e : set(rev.get("gone"))) {
                List<TlaValue> ds = pair(e);
                gone.add(name(ds.get(0)) + "/" + name(ds.get(1)));
            }
        }
        for (Map.Entry<String, TlaValue> d : vst.entrySet()) {
            Map<String, Map<String, TlaValue>> table = new LinkedHashMap<>();
            List<Row> rows = new ArrayList<>();
            rows.add(Row.title("domain " + d.getKey() + " · Vst"));
            Map<String, TlaValue> parents = parent == null || parent.get(d.getKey()) == null ? null : fn(parent.get(d.getKey()));
            for (Map.Entry<String, TlaValue> s : fn(d.getValue()).entrySet()) {
                Map<String, TlaValue> e = record(s.getValue(), "a Vst entry");
                table.put(s.getKey(), e);
                String slot = name(e.get("slot"));
                String from = "";
                if (parents != null && parents.get(s.getKey()) != null) {
                    Map<String, TlaValue> ref = rec(parents.get(s.getKey()));
                    if (ref != null && ref.get("s") != null && !name(ref.get("s")).equals("0")) {
                        from = " · from " + name(ref.get("d")) + "/" + name(ref.get("s"));
                    }
                }
                boolean free = slot.equals("0");
                String text = free ? "sel " + s.getKey() + ": free"
                        : "sel " + s.getKey() + " → slot " + slot + " " + rightsText(e.get("rights")) + from;
                rows.add(new Row(text, "vst-entry", new String[] {"data-domain", d.getKey(), "data-sel", s.getKey()},
                        free ? MUTED : INK, false, false));
            }
            if (mem != null && mem.get(d.getKey()) != null && !set(mem.get(d.getKey())).isEmpty()) {
                List<String> saved = new ArrayList<>();
                for (TlaValue r : set(mem.get(d.getKey()))) {
                    saved.add(registerText(record(r, "a saved register")));
                }
                rows.add(Row.muted("saved in memory: " + String.join("; ", saved)));
            }
            if (rev != null) {
                for (String k : gone) {
                    if (k.startsWith(d.getKey() + "/")) {
                        rows.add(Row.warn("entry " + k + " removed by the revocation"));
                    }
                }
            }
            entries.put(d.getKey(), table);
            domRows.put(d.getKey(), rows);
        }
        // The threads.
        Set<String> pendingCpus = rev == null || rev.get("pending") == null ? Set.of()
                : new LinkedHashSet<>(names(set(rev.get("pending"))));
        Map<String, List<Row>> thrRows = new LinkedHashMap<>();
        List<String[]> loads = new ArrayList<>(); // thread, row index, domain, sel, stale
        int stale = 0;
        Set<String> threads = new LinkedHashSet<>();
        for (Map<String, TlaValue> m : java.util.Arrays.asList(dom, reg, stack, tlbs)) {
            if (m != null) {
                threads.addAll(m.keySet());
            }
        }
        for (String t : threads) {
            List<Row> rows = new ArrayList<>();
            String in = dom == null || dom.get(t) == null ? "" : " · in domain " + name(dom.get(t));
            rows.add(Row.title("thread " + t + in));
            if (reg != null && reg.get(t) != null) {
                for (Map.Entry<String, TlaValue> r : fn(reg.get(t)).entrySet()) {
                    Map<String, TlaValue> x = record(r.getValue(), "a segment register");
                    String slot = name(x.get("slot"));
                    String why = slot.equals("0") ? null : registerProblem(x, entries, segOf);
                    stale += why == null ? 0 : 1;
                    String text = r.getKey() + ": " + registerText(x) + (why == null ? "" : "  stale: " + why);
                    rows.add(new Row(text, "register" + (why == null ? "" : " stale"),
                            new String[] {"data-thread", t, "data-reg", r.getKey()},
                            why == null ? (slot.equals("0") ? MUTED : INK) : STALE_INK, false, why != null));
                    if (!slot.equals("0") && x.get("from") != null && x.get("sel") != null) {
                        loads.add(new String[] {t, String.valueOf(rows.size() - 1), name(x.get("from")),
                                name(x.get("sel")), why == null ? "" : "stale"});
                    }
                }
            }
            if (stack != null && stack.get(t) != null) {
                List<TlaValue> frames = seq(stack.get(t));
                if (frames.isEmpty()) {
                    rows.add(Row.muted("call stack: empty"));
                }
                for (int i = 0; i < frames.size(); i++) {
                    Map<String, TlaValue> f = record(frames.get(i), "a far-call frame");
                    List<String> saved = new ArrayList<>();
                    if (f.get("regs") != null) {
                        fn(f.get("regs")).forEach((k, v) -> saved.add(k + ": " + registerText(record(v, "a register"))));
                    }
                    rows.add(Row.muted("frame " + (i + 1) + ": called from " + text(f.get("dom"))
                            + (saved.isEmpty() ? "" : " · " + String.join(", ", saved))));
                }
            }
            if (tlbs != null && tlbs.get(t) != null) {
                List<String> cached = new ArrayList<>();
                boolean anyStale = false;
                for (TlaValue e : set(tlbs.get(t))) {
                    List<TlaValue> ss = pair(e);
                    String slot = name(ss.get(0));
                    String seg = name(ss.get(1));
                    boolean bad = !seg.equals(segOf.get(slot));
                    anyStale |= bad;
                    cached.add("slot " + slot + " → seg " + seg + (bad ? " (stale)" : ""));
                }
                stale += anyStale ? 1 : 0;
                rows.add(new Row("TLB: " + (cached.isEmpty() ? "empty" : String.join(", ", cached)),
                        "tlb" + (anyStale ? " stale" : ""), new String[] {"data-thread", t},
                        anyStale ? STALE_INK : MUTED, false, anyStale));
            }
            if (spent != null && spent.get(t) != null && !name(spent.get(t)).equals("0")) {
                rows.add(Row.muted("budget spent: " + name(spent.get(t))));
            }
            if (pendingCpus.contains(t)) {
                rows.add(Row.warn("revocation interrupt pending on its CPU"));
            }
            thrRows.put(t, rows);
        }

        Svg svg = new Svg();
        double y = heading(svg, 16, 16, "Segments: " + threads.size() + " threads, " + vst.size() + " domains, "
                + gst.size() + " global slots");
        y += 10;
        double aW = 220;
        for (List<Row> r : thrRows.values()) {
            aW = Math.max(aW, widthOf(r));
        }
        double bW = 220;
        for (List<Row> r : domRows.values()) {
            bW = Math.max(bW, widthOf(r));
        }
        double cW = Math.max(200, widthOf(gstRows));
        double ax = 16;
        double bx = thrRows.isEmpty() ? 16 : ax + aW + 90;
        double cx = bx + bW + 90;

        Map<String, Double> selY = new HashMap<>();
        double by = y;
        for (Map.Entry<String, List<Row>> d : domRows.entrySet()) {
            svg.open("g", "class", "vst", "data-domain", d.getKey());
            Box b = rowsBox(svg, bx, by, bW, BOX_FILL, BOX_STROKE, d.getValue());
            svg.close("g");
            int i = 1;
            for (String sel : entries.get(d.getKey()).keySet()) {
                selY.put(d.getKey() + "/" + sel, b.mids()[i++]);
            }
            by += b.height() + 14;
        }
        svg.open("g", "class", "gst");
        Box g = rowsBox(svg, cx, y, cW, TABLE_FILL, TABLE_STROKE, gstRows);
        svg.close("g");
        Map<String, Double> slotY = new HashMap<>();
        int gi = 1;
        for (String slot : gst.keySet()) {
            slotY.put(slot, g.mids()[gi++]);
        }
        double ay = y;
        Map<String, Box> thrBox = new HashMap<>();
        for (Map.Entry<String, List<Row>> t : thrRows.entrySet()) {
            boolean blocked = pendingCpus.contains(t.getKey());
            svg.open("g", "class", "seg-thread", "data-thread", t.getKey());
            Box b = rowsBox(svg, ax, ay, aW, blocked ? WARN_FILL : READY_FILL, blocked ? WARN_STROKE : READY_STROKE, t.getValue());
            svg.close("g");
            thrBox.put(t.getKey(), b);
            ay += b.height() + 14;
        }
        // Vst entries name gst slots; registers were loaded through Vst entries.
        for (Map.Entry<String, Map<String, Map<String, TlaValue>>> d : entries.entrySet()) {
            for (Map.Entry<String, Map<String, TlaValue>> e : d.getValue().entrySet()) {
                String slot = name(e.getValue().get("slot"));
                Double ty = slotY.get(slot);
                if (!slot.equals("0") && ty != null) {
                    double sy = selY.get(d.getKey() + "/" + e.getKey());
                    svg.curve(new double[] {bx + bW, sy, bx + bW + 45, sy, cx - 45, ty, cx, ty}, LINK, false);
                }
            }
        }
        for (String[] l : loads) {
            Double ty = selY.get(l[2] + "/" + l[3]);
            if (ty != null) {
                double sy = thrBox.get(l[0]).mids()[Integer.parseInt(l[1])];
                boolean bad = l[4].equals("stale");
                svg.curve(new double[] {ax + aW, sy, ax + aW + 45, sy, bx - 45, ty, bx, ty}, bad ? STALE_STROKE : SEND, true);
            }
        }
        y = Math.max(Math.max(ay, by), y + g.height() + 14);
        List<Row> info = new ArrayList<>();
        if (rev != null && rev.get("by") != null && !isNoThread(rev.get("by"), threads)) {
            info.add(Row.title("Revocation by " + name(rev.get("by")) + (rev.get("slot") != null
                    && !name(rev.get("slot")).equals("0") ? " (deleting slot " + name(rev.get("slot")) + ")" : "")));
            info.add(Row.plain("entries removed: " + (gone.isEmpty() ? "none" : String.join(", ", new TreeSet<>(gone)))));
            info.add(pendingCpus.isEmpty() ? Row.plain("every CPU has answered")
                    : Row.alert("waiting for the CPUs of " + String.join(", ", pendingCpus)));
        }
        if (values.get("ring") != null && (!seqText(values.get("ring")).equals("<<>>")
                || !text(values.get("issued")).equals("0") || !text(values.get("flag")).equals("FALSE")
                || !text(values.get("srv")).equals("run"))) {
            info.add(Row.title("Ring"));
            info.add(Row.plain("requests: " + seqText(values.get("ring")) + " · issued " + text(values.get("issued"))
                    + " · served " + setText(values.get("served"))));
            info.add(Row.plain("wake-up flag " + text(values.get("flag")) + " · server " + text(values.get("srv"))));
        }
        if (!info.isEmpty()) {
            svg.open("g", "class", "revocation");
            y += rowsBox(svg, 16, y, widthOf(info), rev != null && !pendingCpus.isEmpty() ? WARN_FILL : BOX_FILL,
                    rev != null && !pendingCpus.isEmpty() ? WARN_STROKE : BOX_STROKE, info).height() + 12;
            svg.close("g");
        }
        legend(svg, 16, y + 4, List.of(
                LegendItem.line(SEND, true, "register loaded through Vst entry"),
                LegendItem.line(LINK, false, "Vst entry names global slot"),
                LegendItem.box(STALE_FILL, STALE_STROKE, false, "stale: its entry is gone, narrowed or re-pointed")));
        return svg.finish("Segments", "Segments state: " + threads.size() + " threads, " + vst.size() + " domains, "
                + stale + " stale registers or TLBs");
    }

    private static boolean isNoThread(TlaValue v, Set<String> threads) {
        return !threads.contains(name(v));
    }

    private static String registerText(Map<String, TlaValue> r) {
        String slot = name(r.get("slot"));
        String via = r.get("from") == null || r.get("sel") == null ? ""
                : isNone(name(r.get("from"))) ? " · sel " + name(r.get("sel")) : " via " + name(r.get("from")) + "/" + name(r.get("sel"));
        if (slot.equals("0")) {
            return "null" + (r.get("sel") != null && !name(r.get("sel")).equals("0") ? " (sel " + name(r.get("sel")) + ")" : "");
        }
        return "slot " + slot + " " + rightsText(r.get("rights")) + via;
    }

    private static boolean isNone(String s) {
        return s.startsWith("No") || s.equals("0");
    }

    /** Why a loaded register is no longer backed by the Vst entry it was loaded through, or null. */
    private static String registerProblem(Map<String, TlaValue> r, Map<String, Map<String, Map<String, TlaValue>>> entries,
            Map<String, String> segOf) {
        if (r.get("from") == null || r.get("sel") == null) {
            return null;
        }
        String from = name(r.get("from"));
        Map<String, Map<String, TlaValue>> table = entries.get(from);
        if (table == null) {
            return "not loaded through a Vst";
        }
        Map<String, TlaValue> e = table.get(name(r.get("sel")));
        String slot = name(r.get("slot"));
        if (e == null || !name(e.get("slot")).equals(slot)) {
            return "entry " + from + "/" + name(r.get("sel")) + " no longer names slot " + slot;
        }
        if (!new TreeSet<>(names(set(e.get("rights")))).containsAll(names(set(r.get("rights"))))) {
            return "entry has only " + rightsText(e.get("rights"));
        }
        if ("0".equals(segOf.get(slot))) {
            return "slot " + slot + " is free";
        }
        return null;
    }

    // ==========================================================================================
    // SmallSpaces: per CPU the linear address space, its segment window and its TLB

    private static final int MAX_LINEAR = 96;

    private static String smallSpaces(Map<String, TlaValue> values) {
        Map<String, TlaValue> mapped = fn(require(values, "mapped"));
        Map<String, TlaValue> cur = fn(require(values, "cur"));
        Map<String, TlaValue> cr3 = optFn(values.get("cr3"));
        Map<String, TlaValue> seg = optFn(values.get("seg"));
        Map<String, TlaValue> tlbs = optFn(values.get("tlb"));
        Map<String, TlaValue> acc = values.get("acc") == null ? null : rec(values.get("acc"));

        Map<String, Set<String>> maps = new LinkedHashMap<>();
        for (Map.Entry<String, TlaValue> m : mapped.entrySet()) {
            maps.put(m.getKey(), new LinkedHashSet<>(names(set(m.getValue()))));
        }
        Set<String> large = new HashSet<>();
        Map<String, Long> smallBase = new HashMap<>();
        long top = 0;
        for (Set<String> pages : maps.values()) {
            for (String p : pages) {
                top = Math.max(top, number(p));
            }
        }
        Map<String, long[]> segs = new LinkedHashMap<>();
        for (String c : cur.keySet()) {
            if (cr3 != null && cr3.get(c) != null) {
                large.add(name(cr3.get(c)));
            }
            if (seg != null && seg.get(c) != null) {
                Map<String, TlaValue> s = record(seg.get(c), "a segment");
                long base = number(name(s.get("base")));
                long limit = number(name(s.get("limit")));
                segs.put(c, new long[] {base, limit});
                top = Math.max(top, base + limit - 1);
                if (base > 0) {
                    smallBase.put(name(cur.get(c)), base);
                }
            }
        }
        Map<String, List<long[]>> cachedLin = new LinkedHashMap<>();
        Map<String, List<String[]>> cached = new LinkedHashMap<>();
        if (tlbs != null) {
            for (Map.Entry<String, TlaValue> t : tlbs.entrySet()) {
                List<String[]> es = new ArrayList<>();
                for (TlaValue e : set(t.getValue())) {
                    List<TlaValue> lf = pair(e);
                    String lin = name(lf.get(0));
                    top = Math.max(top, number(lin));
                    List<TlaValue> frame = pair(lf.get(1));
                    es.add(new String[] {lin, name(frame.get(0)), name(frame.get(1))});
                }
                cached.put(t.getKey(), es);
            }
        }
        if (acc != null && acc.get("lin") != null) {
            top = Math.max(top, number(name(acc.get("lin"))));
        }
        if (top >= MAX_LINEAR) {
            throw new Shape("too many linear pages to draw");
        }
        int cells = (int) top + 1;
        double cellW = 86;
        Svg svg = new Svg();
        double y = heading(svg, 16, 16, "Small spaces: " + cur.size() + " CPUs, " + maps.size() + " spaces");
        y += 10;
        int stale = 0;
        for (String c : cur.keySet()) {
            String runs = name(cur.get(c));
            long[] sg = segs.get(c);
            svg.open("g", "class", "cpu", "data-cpu", c);
            String head = "CPU " + c + " · runs " + runs + (cr3 == null || cr3.get(c) == null ? "" : " · CR3 holds "
                    + name(cr3.get(c)) + "'s table") + (sg == null ? "" : " · segment base " + sg[0] + ", limit " + sg[1]);
            svg.text(16, y + 13, head, INK, true);
            double ry = y + 22;
            svg.text(16, ry + 15, "linear page", MUTED, false);
            double gx = 16 + width("linear page") + 14;
            for (int l = 0; l < cells; l++) {
                boolean inWindow = sg != null && l >= sg[0] && l < sg[0] + sg[1];
                svg.open("g", "class", "linear-page" + (inWindow ? " in-segment" : ""), "data-linear", String.valueOf(l));
                svg.rect(gx + l * cellW, ry, cellW - 4, 22, inWindow ? WINDOW_FILL : "#ffffff", inWindow ? WINDOW_STROKE : RULE, false);
                svg.text(gx + l * cellW + 6, ry + 15, String.valueOf(l), inWindow ? INK : MUTED, inWindow);
                svg.close("g");
            }
            if (sg != null) {
                svg.text(gx + Math.min(cells, sg[0]) * cellW, ry + 36, "segment of " + runs, WINDOW_STROKE, false);
            }
            double ey = ry + 44;
            int maxStack = 0;
            Map<Long, Integer> stackAt = new HashMap<>();
            for (String[] e : cached.getOrDefault(c, List.of())) {
                long l = number(e[0]);
                int k = stackAt.merge(l, 1, Integer::sum) - 1;
                maxStack = Math.max(maxStack, k + 1);
                String why = staleNote(e, maps, large, smallBase, cr3 == null ? null : cr3.get(c));
                stale += why == null ? 0 : 1;
                double ex = gx + l * cellW;
                double eyy = ey + k * 24;
                svg.open("g", "class", "tlb-entry" + (why == null ? "" : " stale"), "data-cpu", c, "data-linear", e[0],
                        "data-frame", e[1] + ":" + e[2]);
                svg.rect(ex, eyy, cellW - 4, 20, why == null ? BOX_FILL : STALE_FILL, why == null ? BOX_STROKE : STALE_STROKE, false);
                svg.text(ex + 5, eyy + 14, "→ " + e[1] + ":" + e[2], why == null ? INK : STALE_INK, false);
                if (why != null) {
                    svg.title(why);
                }
                svg.close("g");
            }
            svg.text(16, ey + 14, cached.getOrDefault(c, List.of()).isEmpty() ? "TLB: empty" : "TLB", MUTED, false);
            double below = ey + Math.max(1, maxStack) * 24;
            List<String> notes = new ArrayList<>();
            for (String[] e : cached.getOrDefault(c, List.of())) {
                String problem = staleNote(e, maps, large, smallBase, cr3 == null ? null : cr3.get(c));
                if (problem != null) {
                    notes.add("linear " + e[0] + " → " + e[1] + ":" + e[2] + ": " + problem);
                }
            }
            for (String n : notes) {
                svg.text(16, below + 14, "stale: " + n, STALE_INK, false);
                below += LH;
            }
            svg.close("g");
            y = below + 18;
        }
        List<Row> rows = new ArrayList<>();
        rows.add(Row.title("Mapped pages"));
        for (Map.Entry<String, Set<String>> m : maps.entrySet()) {
            String kind = large.contains(m.getKey()) ? " (large)" : smallBase.containsKey(m.getKey())
                    ? " (small, window from linear " + smallBase.get(m.getKey()) + ")" : "";
            rows.add(new Row(m.getKey() + kind + ": " + (m.getValue().isEmpty() ? "nothing" : "pages "
                    + String.join(", ", m.getValue())), "space", new String[] {"data-space", m.getKey()}, INK, false, false));
        }
        if (acc != null && acc.get("cpu") != null && cur.containsKey(name(acc.get("cpu")))) {
            String lin = text(acc.get("lin"));
            String gotText = acc.get("got") == null ? "?" : frameText(acc.get("got"));
            rows.add(Row.muted("last access: " + name(acc.get("cpu")) + " ran " + text(acc.get("sp")) + ", page "
                    + text(acc.get("pg")) + " → " + (lin.equals("-1") ? "fault at the limit check"
                    : "linear " + lin + " → " + gotText)));
        }
        svg.open("g", "class", "spaces");
        y += rowsBox(svg, 16, y, widthOf(rows), BOX_FILL, BOX_STROKE, rows).height() + 12;
        svg.close("g");
        legend(svg, 16, y + 4, List.of(
                LegendItem.box(WINDOW_FILL, WINDOW_STROKE, false, "linear pages the segment reaches"),
                LegendItem.box(BOX_FILL, BOX_STROKE, false, "TLB entry: linear page → space:page"),
                LegendItem.box(STALE_FILL, STALE_STROKE, false, "stale or foreign TLB entry")));
        return svg.finish("SmallSpaces", "SmallSpaces state: " + cur.size() + " CPUs, " + stale + " stale TLB entries");
    }

    private static String staleNote(String[] e, Map<String, Set<String>> maps, Set<String> large, Map<String, Long> smallBase,
            TlaValue cr3) {
        long l = number(e[0]);
        if (!maps.containsKey(e[1]) || !maps.get(e[1]).contains(e[2])) {
            return e[1] + " no longer maps page " + e[2];
        }
        if (large.contains(e[1]) && cr3 != null && !e[1].equals(name(cr3))) {
            return "a frame of " + e[1] + ", but CR3 holds " + name(cr3) + "'s table";
        }
        if (large.contains(e[1]) && l != number(e[2])) {
            return "page " + e[2] + " of " + e[1] + " at another linear page";
        }
        if (smallBase.containsKey(e[1]) && l != smallBase.get(e[1]) + number(e[2])) {
            return "outside " + e[1] + "'s window";
        }
        return null;
    }

    private static String frameText(TlaValue v) {
        List<TlaValue> f = seq(v);
        return f.size() == 2 ? name(f.get(0)) + ":" + name(f.get(1)) : "a fault";
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new Shape("a page number, not " + s);
        }
    }

    // ==========================================================================================
    // Alloy: atoms and relations as a graph

    private static final String[] SIG_FILLS = {"#e8f0fe", "#fff4d6", "#e6f4ea", "#fce8f3", "#f3e8fd", "#e0f7fa", "#fff0e0",
        "#eeeeee"};
    private static final String[] SIG_STROKES = {"#4a6fa5", "#b8860b", "#2e7d32", "#ad1457", "#6a1b9a", "#00838f", "#e65100",
        "#616161"};
    private static final String[] REL_COLOURS = {"#1a5fb4", "#c64600", "#26a269", "#813d9c", "#a51d2d", "#63452c", "#0b7285",
        "#5e5c64"};

    private static String alloy(Map<String, TlaValue> values) {
        Map<String, List<String>> unary = new TreeMap<>();
        Map<String, List<String[]>> binary = new TreeMap<>();
        List<String> text = new ArrayList<>();
        Set<String> atoms = new TreeSet<>(StatePictures::compareAtoms);
        for (Map.Entry<String, TlaValue> v : new TreeMap<>(values).entrySet()) {
            String rel = v.getKey() == null ? "?" : v.getKey();
            TlaValue val = v.getValue();
            if (!(val instanceof TlaValue.SetValue s)) {
                text.add(rel + " = " + (val == null ? "?" : val.toTla()));
                continue;
            }
            int arity = arity(s);
            if (arity == 1) {
                List<String> members = new ArrayList<>();
                for (TlaValue e : s.elements()) {
                    String a = name(e instanceof TlaValue.Tuple t ? t.elements().get(0)
                            : e instanceof TlaValue.Seq q ? q.elements().get(0) : e);
                    members.add(a);
                    atoms.add(a);
                }
                unary.put(rel, members);
            } else if (arity == 2) {
                List<String[]> pairs = new ArrayList<>();
                for (TlaValue e : s.elements()) {
                    List<TlaValue> p = seq(e);
                    String a = name(p.get(0));
                    String b = name(p.get(1));
                    atoms.add(a);
                    atoms.add(b);
                    pairs.add(new String[] {a, b});
                }
                binary.put(rel, pairs);
            } else if (arity == 0) {
                unary.put(rel, List.of());
            } else if (arity < 0) {
                text.add(rel + " = " + s.toTla());
            } else {
                List<String> tuples = new ArrayList<>();
                for (TlaValue e : s.elements()) {
                    List<String> parts = new ArrayList<>();
                    for (TlaValue x : seq(e)) {
                        parts.add(name(x));
                    }
                    tuples.add("(" + String.join(", ", parts) + ")");
                }
                text.add(rel + " = {" + String.join(", ", tuples) + "}");  // wrapped when drawn
            }
        }
        // Each atom's signature: the unary relation named as its prefix (Node for Node$0), else the
        // smallest unary relation that holds it and is not a Skolem constant; the others are tags.
        Map<String, String> sigOf = new LinkedHashMap<>();
        Map<String, List<String>> tags = new HashMap<>();
        for (String a : atoms) {
            String prefix = a.contains("$") ? a.substring(0, a.indexOf('$')) : null;
            String best = null;
            for (Map.Entry<String, List<String>> u : unary.entrySet()) {
                if (!u.getValue().contains(a) || u.getKey().startsWith("$")) {
                    continue;
                }
                String simple = u.getKey().contains("/") ? u.getKey().substring(u.getKey().lastIndexOf('/') + 1) : u.getKey();
                if (simple.equals(prefix)) {
                    best = u.getKey();
                    break;
                }
                if (best == null || u.getValue().size() < unary.get(best).size()) {
                    best = u.getKey();
                }
            }
            if (best == null) {
                best = a.matches("-?\\d+") ? "Int" : prefix != null && !prefix.isEmpty() ? prefix : "atoms";
            }
            sigOf.put(a, best);
            List<String> ts = new ArrayList<>();
            for (Map.Entry<String, List<String>> u : unary.entrySet()) {
                if (!u.getKey().equals(best) && u.getValue().contains(a)) {
                    ts.add(u.getKey());
                }
            }
            tags.put(a, ts);
        }
        Map<String, List<String>> columns = new TreeMap<>();
        for (String a : atoms) {
            columns.computeIfAbsent(sigOf.get(a), k -> new ArrayList<>()).add(a);
        }

        // Columns: a signature's rank is the longest chain of binary relations that leads to it, so
        // that edges mostly run left to right; signatures of one rank share a column, and those no
        // binary relation touches share the last one.
        List<List<String>> layers = layers(columns.keySet(), binary, sigOf);

        Svg svg = new Svg();
        int nBinary = binary.values().stream().mapToInt(List::size).sum();
        double y = heading(svg, 16, 16, "Alloy instance: " + atoms.size() + " atoms, " + nBinary + " binary tuples");
        y += 10;
        Map<String, double[]> box = new HashMap<>();
        Map<String, Integer> colOf = new HashMap<>();
        Map<String, Integer> sigIndex = new HashMap<>();
        for (String sig : columns.keySet()) {
            sigIndex.put(sig, sigIndex.size());
        }
        double x = 16;
        double bottom = y;
        for (int ci = 0; ci < layers.size(); ci++) {
            double w = 100;
            for (String sig : layers.get(ci)) {
                w = Math.max(w, width(sig) + 2 * PAD);
                for (String a : columns.get(sig)) {
                    w = Math.max(w, width(a) + 2 * PAD);
                    if (!tags.get(a).isEmpty()) {
                        w = Math.max(w, width(String.join(", ", tags.get(a))) + 2 * PAD);
                    }
                }
            }
            double ny = y;
            for (String sig : layers.get(ci)) {
                String fill = SIG_FILLS[sigIndex.get(sig) % SIG_FILLS.length];
                String stroke = SIG_STROKES[sigIndex.get(sig) % SIG_STROKES.length];
                svg.open("g", "class", "signature", "data-sig", sig);
                svg.text(x, ny + 13, sig, stroke, true);
                svg.close("g");
                ny += 20;
                for (String a : columns.get(sig)) {
                    double h = tags.get(a).isEmpty() ? 26 : 26 + LH;
                    svg.open("g", "class", "atom", "data-atom", a, "data-sig", sig);
                    svg.rect(x, ny, w, h, fill, stroke, false);
                    svg.text(x + PAD, ny + 17, a, INK, true);
                    if (!tags.get(a).isEmpty()) {
                        svg.text(x + PAD, ny + 17 + LH, String.join(", ", tags.get(a)), MUTED, false);
                    }
                    svg.close("g");
                    box.put(a, new double[] {x, ny, w, h});
                    colOf.put(a, ci);
                    ny += h + 10;
                }
                ny += 12;
            }
            bottom = Math.max(bottom, ny);
            x += w + gapWidth(ci, layers, binary, sigOf);
        }
        int ri = 0;
        List<LegendItem> items = new ArrayList<>();
        Map<Integer, Integer> inGap = new HashMap<>();
        for (Map.Entry<String, List<String[]>> r : binary.entrySet()) {
            String colour = REL_COLOURS[ri % REL_COLOURS.length];
            items.add(LegendItem.line(colour, false, r.getKey()));
            for (String[] p : r.getValue()) {
                double[] a = box.get(p[0]);
                double[] b = box.get(p[1]);
                double[] path = a == b ? connect(a, a, 0, 0)
                        : connect(a, b, colOf.get(p[0]), colOf.get(p[1]));
                svg.open("g", "class", "relation-edge", "data-relation", r.getKey(), "data-from", p[0], "data-to", p[1]);
                svg.curve(path, colour, false);
                // Labels of the edges through one gap between columns spread along their curves.
                int gap = Math.min(colOf.get(p[0]), colOf.get(p[1])) * 2 + (colOf.get(p[0]).equals(colOf.get(p[1])) ? 1 : 0);
                int nth = inGap.merge(gap, 1, Integer::sum) - 1;
                double[] mid = bezierPoint(path, a == b ? 0.5 : 0.2 + 0.2 * (nth % 4));
                svg.label(mid[0], mid[1], r.getKey(), colour);
                svg.close("g");
            }
            ri++;
        }
        y = bottom + 8;
        if (atoms.isEmpty()) {
            svg.text(16, y + 12, "(no atoms)", MUTED, false);
            y += 24;
        }
        if (!text.isEmpty()) {
            svg.open("g", "class", "other-relations");
            svg.text(16, y + 14, "Other relations and values", INK, true);
            y += LH + 4;
            for (String t : text) {
                List<String> lines = wrap(t, MAX_TEXT - 10);
                for (int i = 0; i < lines.size(); i++) {
                    svg.text(i == 0 ? 16 : 40, y + 14, lines.get(i), INK, false);
                    y += LH;
                }
            }
            svg.close("g");
            y += 8;
        }
        if (!items.isEmpty()) {
            legend(svg, 16, y + 4, items);
        }
        return svg.finish("Alloy", "Alloy instance: " + atoms.size() + " atoms in " + columns.size() + " signatures");
    }

    /** The space after column {@code ci}: wider when many edges cross it, so their labels have room. */
    private static double gapWidth(int ci, List<List<String>> layers, Map<String, List<String[]>> binary,
            Map<String, String> sigOf) {
        Map<String, Integer> layerOf = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (String sig : layers.get(i)) {
                layerOf.put(sig, i);
            }
        }
        int edges = 0;
        for (List<String[]> pairs : binary.values()) {
            for (String[] p : pairs) {
                int a = layerOf.get(sigOf.get(p[0]));
                int b = layerOf.get(sigOf.get(p[1]));
                edges += Math.min(a, b) <= ci && Math.max(a, b) > ci ? 1 : 0;
            }
        }
        return Math.min(420, Math.max(130, 60 + 28 * edges));
    }

    /** Signatures in columns by rank (see {@link #alloy}); deterministic for a given state. */
    private static List<List<String>> layers(Set<String> sigs, Map<String, List<String[]>> binary, Map<String, String> sigOf) {
        Map<String, Set<String>> succ = new TreeMap<>();
        Set<String> touched = new TreeSet<>();
        for (List<String[]> pairs : binary.values()) {
            for (String[] p : pairs) {
                String a = sigOf.get(p[0]);
                String b = sigOf.get(p[1]);
                touched.add(a);
                touched.add(b);
                if (!a.equals(b)) {
                    succ.computeIfAbsent(a, k -> new TreeSet<>()).add(b);
                }
            }
        }
        Map<String, Integer> rank = new TreeMap<>();
        for (String s : touched) {
            rank.put(s, 0);
        }
        // Longest-path ranks, relaxed at most |sigs| times so that a cycle cannot loop forever.
        for (int round = 0; round < touched.size(); round++) {
            boolean changed = false;
            for (Map.Entry<String, Set<String>> e : succ.entrySet()) {
                for (String b : e.getValue()) {
                    if (rank.get(b) < rank.get(e.getKey()) + 1 && rank.get(e.getKey()) + 1 < touched.size()) {
                        rank.put(b, rank.get(e.getKey()) + 1);
                        changed = true;
                    }
                }
            }
            if (!changed) {
                break;
            }
        }
        List<List<String>> out = new ArrayList<>();
        for (String s : sigs) {
            if (touched.contains(s)) {
                int r = rank.get(s);
                while (out.size() <= r) {
                    out.add(new ArrayList<>());
                }
                out.get(r).add(s);
            }
        }
        out.removeIf(List::isEmpty);
        List<String> rest = new ArrayList<>();
        for (String s : sigs) {
            if (!touched.contains(s)) {
                rest.add(s);
            }
        }
        if (!rest.isEmpty()) {
            out.add(rest);
        }
        return out;
    }

    /** Splits a line at ", " so that each piece has at most about {@code max} characters. */
    private static List<String> wrap(String s, int max) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String part : s.split("(?<=, )")) {
            if (line.length() > 0 && line.length() + part.length() > max) {
                out.add(line.toString());
                line = new StringBuilder();
            }
            line.append(part);
        }
        out.add(line.toString());
        return out;
    }

    /** The arity of a relation: 1 for a set of atoms, n for a set of n-tuples, 0 if empty, -1 if mixed. */
    private static int arity(TlaValue.SetValue s) {
        int arity = 0;
        for (TlaValue e : s.elements()) {
            int a = e instanceof TlaValue.Tuple t ? t.elements().size()
                    : e instanceof TlaValue.Seq q ? q.elements().size() : isAtom(e) || e instanceof TlaValue.Int ? 1 : -1;
            if (a <= 0 || (arity != 0 && a != arity)) {
                return -1;
            }
            arity = a;
        }
        return arity;
    }

    /** Atoms in natural order: Node$2 before Node$10. */
    private static int compareAtoms(String a, String b) {
        int i = a.lastIndexOf('$');
        int j = b.lastIndexOf('$');
        if (i >= 0 && j >= 0 && a.substring(0, i).equals(b.substring(0, j))) {
            try {
                return new BigInteger(a.substring(i + 1)).compareTo(new BigInteger(b.substring(j + 1)));
            } catch (NumberFormatException e) {
                return a.compareTo(b);
            }
        }
        if (a.matches("-?\\d+") && b.matches("-?\\d+")) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        return a.compareTo(b);
    }

    // ==========================================================================================
    // Reading values

    /** A value of a shape a picture does not expect. */
    private static final class Shape extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Shape(String what) {
            super(what, null, false, false);
        }
    }

    private static TlaValue require(Map<String, TlaValue> values, String var) {
        TlaValue v = values.get(var);
        if (v == null) {
            throw new Shape("the state has no variable " + var);
        }
        return v;
    }

    /** A value as a label: a string or model value by its name, an integer by its digits. */
    private static String name(TlaValue v) {
        if (v == null) {
            throw new Shape("a value is missing");
        }
        if (v instanceof TlaValue.Str s) {
            return s.value();
        }
        if (v instanceof TlaValue.ModelValue m) {
            return m.name();
        }
        if (v instanceof TlaValue.Int i) {
            return i.value().toString();
        }
        return v.toTla();
    }

    /** A value for a text line, "?" when missing. */
    private static String text(TlaValue v) {
        return v == null ? "?" : name(v);
    }

    /** Whether v is a model value (or the string ITF writes for one). */
    private static boolean isAtom(TlaValue v) {
        return v instanceof TlaValue.ModelValue || v instanceof TlaValue.Str;
    }

    /** A function, record, sequence or tuple as key name to value, in key order. */
    private static Map<String, TlaValue> fn(TlaValue v) {
        Map<String, TlaValue> out = new LinkedHashMap<>();
        if (v instanceof TlaValue.Fun f) {
            f.entries().forEach((k, x) -> out.putIfAbsent(name(k), x));
        } else if (v instanceof TlaValue.Record r) {
            out.putAll(r.fields());
        } else if (v instanceof TlaValue.Seq || v instanceof TlaValue.Tuple) {
            List<TlaValue> xs = seq(v);
            for (int i = 0; i < xs.size(); i++) {
                out.put(String.valueOf(i + 1), xs.get(i));
            }
        } else {
            throw new Shape("expected a function, not " + (v == null ? "nothing" : v.toTla()));
        }
        return out;
    }

    private static Map<String, TlaValue> optFn(TlaValue v) {
        return v == null ? null : fn(v);
    }

    /** A record's fields (also a function on strings), or null if v is no record. */
    private static Map<String, TlaValue> rec(TlaValue v) {
        if (v instanceof TlaValue.Record r) {
            return r.fields();
        }
        if (v instanceof TlaValue.Fun f && !f.entries().isEmpty()
                && f.entries().keySet().stream().allMatch(k -> k instanceof TlaValue.Str)) {
            return fn(v);
        }
        return null;
    }

    private static Map<String, TlaValue> record(TlaValue v, String what) {
        Map<String, TlaValue> r = rec(v);
        if (r == null) {
            throw new Shape(what + " is a record");
        }
        return r;
    }

    /** A sequence's elements: a Seq, a Tuple, or a function on 1..n. */
    private static List<TlaValue> seq(TlaValue v) {
        if (v instanceof TlaValue.Seq s) {
            return s.elements();
        }
        if (v instanceof TlaValue.Tuple t) {
            return t.elements();
        }
        if (v instanceof TlaValue.Record r && r.fields().isEmpty()) {
            return List.of();
        }
        if (v instanceof TlaValue.Fun f) {
            List<TlaValue> out = new ArrayList<>();
            long i = 1;
            for (Map.Entry<TlaValue, TlaValue> e : f.entries().entrySet()) {
                if (!(e.getKey() instanceof TlaValue.Int k) || !k.value().equals(BigInteger.valueOf(i++))) {
                    throw new Shape("expected a sequence");
                }
                out.add(e.getValue());
            }
            return out;
        }
        throw new Shape("expected a sequence, not " + (v == null ? "nothing" : v.toTla()));
    }

    private static List<TlaValue> pair(TlaValue v) {
        List<TlaValue> p = seq(v);
        if (p.size() != 2) {
            throw new Shape("expected a pair");
        }
        return p;
    }

    private static List<TlaValue> set(TlaValue v) {
        if (v instanceof TlaValue.SetValue s) {
            return s.elements();
        }
        throw new Shape("expected a set, not " + (v == null ? "nothing" : v.toTla()));
    }

    private static List<String> names(Collection<TlaValue> vs) {
        List<String> out = new ArrayList<>(vs.size());
        for (TlaValue v : vs) {
            out.add(name(v));
        }
        return out;
    }

    private static boolean truth(TlaValue v) {
        if (v instanceof TlaValue.Bool b) {
            return b.value();
        }
        throw new Shape("expected TRUE or FALSE");
    }

    /** A set as {a, b}; anything else by its name. */
    private static String setText(TlaValue v) {
        if (v instanceof TlaValue.SetValue s) {
            return "{" + String.join(", ", names(s.elements())) + "}";
        }
        return text(v);
    }

    private static String seqText(TlaValue v) {
        if (v == null) {
            return "?";
        }
        if (v instanceof TlaValue.SetValue) {
            return setText(v);
        }
        return "<<" + String.join(", ", names(seq(v))) + ">>";
    }

    /** Rights as letters ("rw") when every right is one letter, else as a set. */
    private static String rightsText(TlaValue v) {
        if (!(v instanceof TlaValue.SetValue s)) {
            return text(v);
        }
        List<String> rs = names(s.elements());
        if (rs.isEmpty()) {
            return "no rights";
        }
        boolean letters = rs.stream().allMatch(r -> r.length() == 1);
        return letters ? String.join("", rs) : "{" + String.join(", ", rs) + "}";
    }

    // ==========================================================================================
    // Drawing

    private static final String FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace";
    private static final double CW = 7.3;
    private static final double LH = 16;
    private static final double PAD = 8;
    private static final double ROW_H = 18;
    private static final int MAX_TEXT = 110;

    private static final String INK = "#1f2328";
    private static final String MUTED = "#6a737d";
    private static final String RULE = "#c8cdd3";
    private static final String BOX_FILL = "#eef3fb";
    private static final String BOX_STROKE = "#5b7db1";
    private static final String TABLE_FILL = "#f6f8fa";
    private static final String TABLE_STROKE = "#8c959f";
    private static final String ROOT_FILL = "#fff4d6";
    private static final String ROOT_STROKE = "#b8860b";
    private static final String STALE_FILL = "#fde2e2";
    private static final String STALE_STROKE = "#c62828";
    private static final String STALE_INK = "#b71c1c";
    private static final String WARN_FILL = "#fff3e0";
    private static final String WARN_STROKE = "#e08a00";
    private static final String WARN_INK = "#a05a00";
    private static final String READY_FILL = "#eaf6ec";
    private static final String READY_STROKE = "#3c8d4f";
    private static final String DEAD_FILL = "#eeeeee";
    private static final String QUEUE_FILL = "#e8f0fe";
    private static final String WINDOW_FILL = "#dcebff";
    private static final String WINDOW_STROKE = "#1a5fb4";
    private static final String EDGE = "#444c56";
    private static final String LINK = "#6b9b76";
    private static final String SEND = "#1a5fb4";
    private static final String REPLY = "#c64600";

    private static double width(String s) {
        return Math.min(s.codePointCount(0, s.length()), MAX_TEXT) * CW;
    }

    /** A line of a box: its text and, for a line that tests or pages find, its class and data attributes. */
    private record Row(String text, String cls, String[] attrs, String colour, boolean bold, boolean alert) {
        static Row title(String t) {
            return new Row(t, null, null, INK, true, false);
        }

        static Row plain(String t) {
            return new Row(t, null, null, INK, false, false);
        }

        static Row muted(String t) {
            return new Row(t, null, null, MUTED, false, false);
        }

        static Row warn(String t) {
            return new Row(t, null, null, WARN_INK, false, false);
        }

        static Row alert(String t) {
            return new Row(t, null, null, STALE_INK, false, true);
        }
    }

    /** A drawn box: its height and the middle y of each row. */
    private record Box(double height, double[] mids) {
    }

    private static double widthOf(List<Row> rows) {
        double w = 0;
        for (Row r : rows) {
            w = Math.max(w, width(r.text()));
        }
        return w + 2 * PAD;
    }

    /** Draws a box of rows with its top left at (x, y). */
    private static Box rowsBox(Svg svg, double x, double y, double w, String fill, String stroke, List<Row> rows) {
        double h = rows.size() * ROW_H + 8;
        svg.rect(x, y, w, h, fill, stroke, false);
        double[] mids = new double[rows.size()];
        double ry = y + 4;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.cls() != null) {
                String[] attrs = new String[2 + (r.attrs() == null ? 0 : r.attrs().length)];
                attrs[0] = "class";
                attrs[1] = r.cls();
                if (r.attrs() != null) {
                    System.arraycopy(r.attrs(), 0, attrs, 2, r.attrs().length);
                }
                svg.open("g", attrs);
            }
            if (r.alert()) {
                svg.rect(x + 3, ry, w - 6, ROW_H - 1, STALE_FILL, STALE_STROKE, false);
            }
            svg.text(x + PAD, ry + 13, r.text(), r.colour(), r.bold());
            if (r.cls() != null) {
                svg.close("g");
            }
            mids[i] = ry + ROW_H / 2;
            ry += ROW_H;
        }
        return new Box(h, mids);
    }

    private static double heading(Svg svg, double x, double y, String text) {
        svg.text(x, y + 14, text, INK, true);
        return y + 20;
    }

    private record LegendItem(boolean isBox, String fill, String stroke, boolean dashed, String text) {
        static LegendItem box(String fill, String stroke, boolean dashed, String text) {
            return new LegendItem(true, fill, stroke, dashed, text);
        }

        static LegendItem line(String stroke, boolean dashed, String text) {
            return new LegendItem(false, null, stroke, dashed, text);
        }
    }

    /** A legend, one item per line, at (x, y). */
    private static void legend(Svg svg, double x, double y, List<LegendItem> items) {
        svg.open("g", "class", "legend");
        svg.text(x, y + 13, "Legend", MUTED, true);
        double ly = y + 20;
        for (LegendItem i : items) {
            if (i.isBox()) {
                svg.rect(x, ly + 2, 26, 14, i.fill(), i.stroke(), i.dashed());
            } else {
                svg.arrow(x, ly + 9, x + 26, ly + 9, i.stroke(), i.dashed());
            }
            svg.text(x + 36, ly + 13, i.text(), INK, false);
            ly += ROW_H;
        }
        svg.close("g");
    }

    /** An SVG document under construction; it tracks its extent so that the picture fits its content. */
    private static final class Svg {
        private final StringBuilder body = new StringBuilder();
        private double right;
        private double bottom;

        private void cover(double x, double y) {
            right = Math.max(right, x);
            bottom = Math.max(bottom, y);
        }

        void open(String tag, String... attrs) {
            body.append('<').append(tag);
            attributes(attrs);
            body.append('>');
        }

        void close(String tag) {
            body.append("</").append(tag).append('>');
        }

        private void attributes(String... attrs) {
            for (int i = 0; i + 1 < attrs.length; i += 2) {
                if (attrs[i + 1] != null) {
                    body.append(' ').append(attrs[i]).append("=\"").append(escape(attrs[i + 1])).append('"');
                }
            }
        }

        private void empty(String tag, String... attrs) {
            body.append('<').append(tag);
            attributes(attrs);
            body.append("/>");
        }

        void rect(double x, double y, double w, double h, String fill, String stroke, boolean dashed) {
            empty("rect", "x", n(x), "y", n(y), "width", n(w), "height", n(h), "rx", "4", "fill", fill, "stroke", stroke,
                    "stroke-dasharray", dashed ? "5 3" : null);
            cover(x + w, y + h);
        }

        /** Text with its baseline at y, clipped to MAX_TEXT characters (the full text as a tooltip). */
        void text(double x, double y, String s, String fill, boolean bold) {
            String shown = clip(s);
            body.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" fill=\"").append(fill).append('"');
            if (bold) {
                body.append(" font-weight=\"bold\"");
            }
            body.append('>').append(escape(shown));
            if (!shown.equals(s)) {
                body.append("<title>").append(escape(s)).append("</title>");
            }
            body.append("</text>");
            cover(x + width(shown), y + 5);
        }

        /** A tooltip for the enclosing element. */
        void title(String s) {
            body.append("<title>").append(escape(s)).append("</title>");
        }

        /** A label centred at (cx, cy) on a white ground. */
        void label(double cx, double cy, String s, String colour) {
            double w = width(clip(s)) + 8;
            rect(cx - w / 2, cy - 9, w, 17, "#ffffff", colour, false);
            body.append("<text x=\"").append(n(cx)).append("\" y=\"").append(n(cy + 4)).append("\" fill=\"").append(colour)
                    .append("\" text-anchor=\"middle\">").append(escape(clip(s))).append("</text>");
        }

        void line(double x1, double y1, double x2, double y2, String stroke, boolean dashed) {
            empty("line", "x1", n(x1), "y1", n(y1), "x2", n(x2), "y2", n(y2), "stroke", stroke,
                    "stroke-dasharray", dashed ? "5 3" : null);
            cover(Math.max(x1, x2), Math.max(y1, y2));
        }

        /** A straight arrow from (x1, y1) to (x2, y2). */
        void arrow(double x1, double y1, double x2, double y2, String stroke, boolean dashed) {
            empty("line", "x1", n(x1), "y1", n(y1), "x2", n(x2), "y2", n(y2), "stroke", stroke, "stroke-width", "1.5",
                    "stroke-dasharray", dashed ? "5 3" : null);
            head(x2, y2, x2 - x1, y2 - y1, stroke);
            cover(Math.max(x1, x2), Math.max(y1, y2));
        }

        /** A cubic Bezier arrow p0 (c1, c2) p3, given as 8 numbers, with its head at p3. */
        void curve(double[] p, String stroke, boolean dashed) {
            empty("path", "d", "M" + n(p[0]) + " " + n(p[1]) + " C" + n(p[2]) + " " + n(p[3]) + " " + n(p[4]) + " "
                    + n(p[5]) + " " + n(p[6]) + " " + n(p[7]), "fill", "none", "stroke", stroke, "stroke-width", "1.5",
                    "stroke-dasharray", dashed ? "5 3" : null);
            double dx = p[6] - p[4];
            double dy = p[7] - p[5];
            if (dx == 0 && dy == 0) {
                dx = p[6] - p[0];
                dy = p[7] - p[1];
            }
            head(p[6], p[7], dx, dy, stroke);
            for (int i = 0; i < 8; i += 2) {
                cover(p[i], p[i + 1]);
            }
        }

        /** A run from (r0, r1) to (r2, r3), then a cubic Bezier with controls (r4, r5), (r6, r7) to (r8, r9), with its head there. */
        void route(double[] r, String stroke) {
            empty("path", "d", "M" + n(r[0]) + " " + n(r[1]) + " L" + n(r[2]) + " " + n(r[3]) + " C" + n(r[4]) + " "
                    + n(r[5]) + " " + n(r[6]) + " " + n(r[7]) + " " + n(r[8]) + " " + n(r[9]), "fill", "none", "stroke", stroke,
                    "stroke-width", "1.5");
            head(r[8], r[9], r[8] - r[6], r[9] - r[7], stroke);
            for (int i = 0; i < 10; i += 2) {
                cover(r[i], r[i + 1]);
            }
        }

        /** An arrowhead with its tip at (x, y), pointing along (dx, dy). */
        private void head(double x, double y, double dx, double dy, String fill) {
            double len = Math.hypot(dx, dy);
            double ux = len == 0 ? 1 : dx / len;
            double uy = len == 0 ? 0 : dy / len;
            double bx = x - 9 * ux;
            double by = y - 9 * uy;
            empty("polygon", "points", n(x) + "," + n(y) + " " + n(bx - 4 * uy) + "," + n(by + 4 * ux) + " "
                    + n(bx + 4 * uy) + "," + n(by - 4 * ux), "fill", fill);
        }

        String finish(String area, String title) {
            double w = Math.ceil(Math.max(right, 200) + 16);
            double h = Math.ceil(Math.max(bottom, 40) + 16);
            StringBuilder sb = new StringBuilder(body.length() + 512);
            sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"state-picture\" data-area=\"").append(escape(area))
                    .append("\" width=\"").append(n(w)).append("\" height=\"").append(n(h)).append("\" viewBox=\"0 0 ")
                    .append(n(w)).append(' ').append(n(h)).append("\" font-family=\"").append(FONT)
                    .append("\" font-size=\"12\" role=\"img\">");
            sb.append("<title>").append(escape(title)).append("</title>");
            sb.append("<rect class=\"background\" x=\"0\" y=\"0\" width=\"").append(n(w)).append("\" height=\"").append(n(h))
                    .append("\" fill=\"#ffffff\"/>");
            sb.append(body);
            return sb.append("</svg>").toString();
        }
    }

    private static String n(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e9) {
            return String.valueOf((long) d);
        }
        return String.format(Locale.ROOT, "%.1f", d);
    }

    private static String clip(String s) {
        int count = s.codePointCount(0, s.length());
        if (count <= MAX_TEXT) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, MAX_TEXT - 1)) + "…";
    }

    /** Text escaped for XML content and attribute values; characters XML cannot hold become U+FFFD. */
    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
                    sb.appendCodePoint(ok ? c : 0xFFFD);
                }
            }
        });
        return sb.toString();
    }
}
