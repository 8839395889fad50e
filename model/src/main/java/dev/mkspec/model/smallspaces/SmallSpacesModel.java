package dev.mkspec.model.smallspaces;

import dev.mkspec.check.Action;
import dev.mkspec.check.ActionProperty;
import dev.mkspec.check.ActionSchema;
import dev.mkspec.check.ActionSchema.Param;
import dev.mkspec.check.Fingerprint;
import dev.mkspec.check.Guard;
import dev.mkspec.check.Invariant;
import dev.mkspec.check.StateCodec;
import dev.mkspec.check.StateMachine;
import dev.mkspec.model.smallspaces.SmallSpacesState.Mutable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.IntFunction;

/**
 * The small-space model: {@code SmallSpaces.tla} action for action, with the same names and the
 * same successors in the same number, so that its labelled state graph and its generated-state
 * count equal TLC's.
 *
 * <p>A switch to a small space reloads the segment registers only; CR3 and the untagged TLB stay,
 * so translations of the shared region cached in one small space are used by the next. Isolation
 * rests on the segment limit and on unmap reaching every CPU's TLB.
 */
public final class SmallSpacesModel implements StateMachine<SmallSpacesState> {
    private final SmallSpacesConstants k;
    private final int ns;
    private final int nc;
    private final int np;
    private final int lins;
    private final SmallSpacesBug bug;
    /** {@code Cached}, in increasing order. */
    private final int[] cached;
    private final List<ActionSchema> schemas;
    private final SmallSpacesStateCodec codec;

    public SmallSpacesModel(SmallSpacesConstants constants) {
        this.k = constants;
        this.ns = k.spaceCount();
        this.nc = k.cpus().size();
        this.np = k.pages();
        this.lins = k.linearPages();
        this.codec = new SmallSpacesStateCodec(ns, nc, lins);
        this.bug = k.bug();
        this.cached = cached();
        this.schemas = schemas();
    }

    public SmallSpacesConstants constants() {
        return k;
    }

    @Override
    public String name() {
        return "SmallSpaces";
    }

    @Override
    public List<SmallSpacesState> initialStates() {
        Mutable m = new Mutable();
        m.mapped = new int[ns];
        m.cur = k.firstRun().clone();
        m.cr3 = k.firstRun().clone();
        m.segBase = new int[nc];
        m.segLimit = new int[nc];
        m.tlb = new int[nc][lins];
        for (int c = 0; c < nc; c++) {
            m.segBase[c] = k.segBase(m.cur[c]);
            m.segLimit[c] = segLimit(m.cur[c]);
            Arrays.fill(m.tlb[c], -1);
        }
        m.accCpu = -1;
        m.accSpace = -1;
        m.accPage = -1;
        m.accLin = -1;
        m.accGot = -1;
        return List.of(m.freeze());
    }

    /** What the walk of large space {@code large}'s table gives for linear page {@code l}: a frame or -1 ({@code Walk}). */
    int walk(SmallSpacesState s, int large, int l) {
        if (l < np) {
            return (s.mapped[large] & (1 << l)) != 0 ? large * np + l : -1;
        }
        int w = k.windowOf(l);
        if (w < 0) {
            return -1;
        }
        int p = l - k.segBase(w);
        return (s.mapped[w] & (1 << p)) != 0 ? w * np + p : -1;
    }

    // ------------------------------------------------------------------ Actions

    /**
     * Every instance of every disjunct of {@code Next} whose guards hold. Each action's method
     * evaluates its guards with {@link Guard.Recorder#NONE}, the code {@link #guards} runs with a
     * log. An eviction ranges over the entries CPU c caches here, not its whole domain: the
     * others' guard {@code e \in tlb[c]} is false.
     */
    @Override
    public void successors(SmallSpacesState s, Successors<SmallSpacesState> out) {
        Guard.Recorder g = Guard.Recorder.NONE;
        SmallSpacesState n;
        for (int sp = 0; sp < ns; sp++) {
            for (int p = 0; p < np; p++) {
                if ((n = map(s, sp, p, g)) != null) {
                    out.add(Action.lazyOf("Map", k.space(sp), p), n);
                }
            }
        }
        for (int c = 0; c < nc; c++) {
            for (int sp = 0; sp < ns; sp++) {
                for (int p = 0; p < np; p++) {
                    if ((n = unmap(s, c, sp, p, g)) != null) {
                        out.add(Action.lazyOf("Unmap", k.cpus().get(c), k.space(sp), p), n);
                    }
                }
                if ((n = switchTo(s, c, sp, g)) != null) {
                    out.add(Action.lazyOf("Switch", k.cpus().get(c), k.space(sp)), n);
                }
            }
            for (int p = 0; p <= k.top(); p++) {
                out.add(Action.lazyOf("Access", k.cpus().get(c), p), access(s, c, p));
            }
            for (int l = 0; l < lins; l++) {
                int f = s.tlb[c][l];
                if (f >= 0 && (n = evict(s, c, l, f, g)) != null) {
                    out.add(Action.lazyOf("Evict", k.cpus().get(c), entryTla(l, f)), n);
                }
            }
        }
    }

    // ------------------------------------------------------------------ Action schemas and guards

    /**
     * The five disjuncts of the spec's {@code Next}, each argument over its domain at the
     * constants: spaces (large first), {@code Pages}, CPUs, {@code Offsets} for an access, and for
     * an eviction the entries {@code <<l, f>>} with {@code l \in Cached} and {@code f \in Frames}
     * (the spec's {@code Evict(c, <<l, f>>)}, whose action takes the pair).
     */
    @Override
    public List<ActionSchema> actionSchemas() {
        return schemas;
    }

    private List<ActionSchema> schemas() {
        Param c = new Param("c", k.cpus());
        Param sp = new Param("s", k.spaces());
        Param p = Param.ints("p", 0, np);
        List<String> entries = new ArrayList<>();
        for (int l : cached) {
            for (int f = 0; f < ns * np; f++) {
                entries.add(entryTla(l, f));
            }
        }
        return List.of(
                ActionSchema.of("Map", sp, p),
                ActionSchema.of("Unmap", c, sp, p),
                ActionSchema.of("Switch", c, sp),
                ActionSchema.of("Access", c, Param.ints("p", 0, k.top() + 1)),
                ActionSchema.of("Evict", c, new Param("e", entries)));
    }

    /** {@code Cached}: the linear pages of the user half and of the windows, in increasing order. */
    private int[] cached() {
        return java.util.stream.IntStream.range(0, lins).filter(l -> l < np || k.windowOf(l) >= 0).toArray();
    }

    /**
     * The guards of the action, evaluated by the code {@link #successors} runs, in the order of
     * the spec's conjuncts. An access has none: it is always enabled, and the limit check decides
     * what it gets. The bug {@code map_short_window} adds its guard to a map into a small space.
     */
    @Override
    public Optional<List<Guard>> guards(SmallSpacesState s, Action a) {
        int[] p = ActionSchema.named(schemas, a.name()).positions(a);
        Guard.Log log = new Guard.Log();
        switch (a.name()) {
            case "Map" -> map(s, p[0], p[1], log);
            case "Unmap" -> unmap(s, p[0], p[1], p[2], log);
            case "Switch" -> switchTo(s, p[0], p[1], log);
            case "Access" -> access(s, p[0], p[1]);
            case "Evict" -> evict(s, p[0], cached[p[1] / (ns * np)], p[1] % (ns * np), log);
            default -> throw new IllegalStateException("a schema without guards: " + a.name());
        }
        return Optional.of(log.guards());
    }

    // ------------------------------------------------------------------ The actions
    // Each returns the successor, or null at the first guard that is false, reporting its guards to g.

    /** {@code Map(s, p)}: space s maps its page p (to its own frame). */
    private SmallSpacesState map(SmallSpacesState s, int sp, int p, Guard.Recorder g) {
        if (!g.check("p \\in PagesOf(s)", p < k.pagesOf(sp)) || !g.check("p \\notin mapped[s]", (s.mapped[sp] & (1 << p)) == 0)) {
            return null;
        }
        if (bug == SmallSpacesBug.MAP_SHORT_WINDOW && k.isSmall(sp)
                && !g.check("p < Size[s] - 1 (bug map_short_window)", p < k.pagesOf(sp) - 1)) {
            return null;
        }
        Mutable m = s.edit();
        m.mapped[sp] |= 1 << p;
        return m.freeze();
    }

    /** {@code Unmap(c, s, p)}: space s unmaps its page p, on CPU c; the frame's TLB entries go (on every CPU). */
    private SmallSpacesState unmap(SmallSpacesState s, int c, int sp, int p, Guard.Recorder g) {
        if (!g.check("p \\in mapped[s]", (s.mapped[sp] & (1 << p)) != 0)) {
            return null;
        }
        Mutable m = s.edit();
        m.mapped[sp] &= ~(1 << p);
        int frame = sp * np + p;
        for (int d = 0; d < nc; d++) {
            if (bug == SmallSpacesBug.UNMAP_LOCAL_FLUSH && d != c) {
                continue;
            }
            for (int l = 0; l < lins; l++) {
                if (m.tlb[d][l] == frame) {
                    m.tlb[d][l] = -1;
                }
            }
        }
        return m.freeze();
    }

    /** {@code Switch(c, s)}: the kernel switches CPU c to space s. */
    private SmallSpacesState switchTo(SmallSpacesState s, int c, int sp, Guard.Recorder g) {
        if (bug != SmallSpacesBug.SWITCH_SAME_SPACE_FLUSHES && !g.check("s # cur[c]", sp != s.cur[c])) {
            return null;
        }
        Mutable m = s.edit();
        m.cur[c] = sp;
        if (!k.isSmall(sp)) {
            // with the bug, a switch to the running large space writes CR3 again, which flushes
            if (s.cr3[c] != sp || bug == SmallSpacesBug.SWITCH_SAME_SPACE_FLUSHES && sp == s.cur[c]) {
                m.cr3[c] = sp;
                if (bug != SmallSpacesBug.LARGE_SWITCH_NO_FLUSH) {
                    Arrays.fill(m.tlb[c], -1);
                }
            }
        } else if (bug == SmallSpacesBug.SMALL_SWITCH_FLUSHES) {
            Arrays.fill(m.tlb[c], -1);
        }
        if (!(bug == SmallSpacesBug.SWITCH_KEEPS_SEGMENT && k.isSmall(sp))) {
            m.segBase[c] = k.segBase(sp);
            m.segLimit[c] = segLimit(sp);
        }
        return m.freeze();
    }

    /** The limit of space {@code sp}'s segment: its window's size, or for a large space the user half (or, with the bug, the whole region). */
    private int segLimit(int sp) {
        return !k.isSmall(sp) && bug == SmallSpacesBug.LARGE_LIMIT_COVERS_REGION ? k.top() + 1 : k.segLimit(sp);
    }

    /** {@code Access(c, p)}: the space CPU c runs touches its page p through the segment loaded; never refused. */
    private SmallSpacesState access(SmallSpacesState s, int c, int p) {
        int lim = bug == SmallSpacesBug.LIMIT_OFF_BY_ONE && s.segLimit[c] < np ? s.segLimit[c] + 1 : s.segLimit[c];
        int l = s.segBase[c] + p;
        Mutable m = s.edit();
        m.accCpu = c;
        m.accSpace = s.cur[c];
        m.accPage = p;
        if (p >= lim) {
            m.accLin = -1;
            m.accGot = -1;
        } else {
            m.accLin = l;
            int hit = l < lins ? s.tlb[c][l] : -1;
            if (hit >= 0) {
                m.accGot = hit;
            } else {
                int w = walk(s, s.cr3[c], l);
                m.accGot = w;
                if (w >= 0) {
                    m.tlb[c][l] = w;
                }
            }
        }
        return m.freeze();
    }

    /** {@code Evict(c, <<l, f>>)}: the hardware drops an entry from CPU c's TLB. */
    private SmallSpacesState evict(SmallSpacesState s, int c, int l, int f, Guard.Recorder g) {
        if (!g.check("e \\in tlb[c]", s.tlb[c][l] == f)) {
            return null;
        }
        Mutable m = s.edit();
        m.tlb[c][l] = -1;
        return m.freeze();
    }

    /** The TLB entry {@code <<l, f>>}, as the spec writes it. */
    private String entryTla(int l, int f) {
        return "<<" + l + ", " + frameTla(f) + ">>";
    }

    // ------------------------------------------------------------------ Properties

    @Override
    public List<Invariant<SmallSpacesState>> invariants() {
        return List.of(new Invariant<>("SEG-14", "TypeOK", this::typeOk),
                new Invariant<>("SEG-17", "TlbMatchesTables", this::tlbMatchesTables),
                Invariant.availability("SEG-22", "OperationsAvailable", this::operationsAvailable),
                Invariant.availability("SEG-24", "OperationsOnlyWhenAllowed", this::operationsOnlyWhenAllowed));
    }

    @Override
    public List<ActionProperty<SmallSpacesState>> actionProperties() {
        return List.of(new ActionProperty<>("SEG-15", "AccessesStayInWindow", (a, x, b) -> accessesStayInWindow(a, b)),
                new ActionProperty<>("SEG-16", "AccessesGetOwnFrames", (a, x, b) -> accessesGetOwnFrames(a, b)),
                new ActionProperty<>("SEG-18", "SmallSwitchKeepsTlb", (a, x, b) -> smallSwitchKeepsTlb(a, b)));
    }

    /** SEG-14 (TypeOK): a small space maps only pages of its window; a CPU running a large space has its table in CR3; the segment is the running space's. */
    boolean typeOk(SmallSpacesState s) {
        for (int sp = 0; sp < ns; sp++) {
            if ((s.mapped[sp] & ~((1 << k.pagesOf(sp)) - 1)) != 0) {
                return false;
            }
        }
        for (int c = 0; c < nc; c++) {
            if (k.isSmall(s.cr3[c]) || (!k.isSmall(s.cur[c]) && s.cr3[c] != s.cur[c])) {
                return false;
            }
            if (s.segBase[c] != k.segBase(s.cur[c]) || s.segLimit[c] != segLimit(s.cur[c])) {
                return false;
            }
        }
        return true;
    }

    /**
     * SEG-22: every operation can be taken with the effect asked, stated apart from the actions'
     * guards; the step is looked up among the state's successors by its action and arguments.
     */
    public boolean operationsAvailable(SmallSpacesState s) {
        java.util.Map<Action, SmallSpacesState> steps = new java.util.HashMap<>();
        successors(s, steps::put);
        java.util.function.BiPredicate<Action, java.util.function.Predicate<SmallSpacesState>> can =
                (a, effect) -> steps.containsKey(a) && effect.test(steps.get(a));
        for (int sp = 0; sp < ns; sp++) {
            final int fsp = sp;
            for (int p = 0; p < np; p++) {
                final int bit = 1 << p;
                if (p < k.pagesOf(sp) && (s.mapped[sp] & bit) == 0
                        && !can.test(Action.of("Map", k.space(sp), p), n -> (n.mapped[fsp] & bit) != 0)) {
                    return false;
                }
                for (int c = 0; c < nc && (s.mapped[sp] & bit) != 0; c++) {
                    if (!can.test(Action.of("Unmap", k.cpus().get(c), k.space(sp), p), n -> (n.mapped[fsp] & bit) == 0)) {
                        return false;
                    }
                }
            }
        }
        java.util.Set<Integer> offsets = new java.util.TreeSet<>();
        for (int p = 0; p < np; p++) {
            offsets.add(p);
        }
        for (int sp = 0; sp < ns; sp++) {
            if (k.isSmall(sp)) {
                for (int l = k.segBase(sp); l < k.segBase(sp) + k.pagesOf(sp); l++) {
                    offsets.add(l);
                }
            }
        }
        for (int c = 0; c < nc; c++) {
            final int fc = c;
            for (int sp = 0; sp < ns; sp++) {
                final int fsp = sp;
                if (sp != s.cur[c] && !can.test(Action.of("Switch", k.cpus().get(c), k.space(sp)), n -> n.cur[fc] == fsp)) {
                    return false;
                }
            }
            for (int p : offsets) {
                if (!can.test(Action.of("Access", k.cpus().get(c), p), n -> n.accCpu == fc && n.accPage == p
                        && (n.accGot < 0 || (n.accLin >= 0 && n.accLin < lins && n.tlb[fc][n.accLin] == n.accGot)))) {
                    return false;
                }
            }
            for (int l = 0; l < lins; l++) {
                final int fl = l;
                if (s.tlb[c][l] >= 0 && !can.test(Action.of("Evict", k.cpus().get(c), entryTla(l, s.tlb[c][l])),
                        n -> n.tlb[fc][fl] < 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * SEG-24: no operation is taken that the rules forbid, the converse of SEG-22: every
     * successor's action, its arguments read back through {@link #actionSchemas}, must be one its
     * rule allows (a map of a page the space has and does not map, an unmap of a mapped page, a
     * switch to a space the CPU does not run, an eviction of a cached entry; an access always is).
     */
    public boolean operationsOnlyWhenAllowed(SmallSpacesState s) {
        boolean[] ok = {true};
        successors(s, (a, n) -> {
            int[] x = ActionSchema.named(schemas, a.name()).positions(a);
            ok[0] &= switch (a.name()) {
                case "Map" -> (!k.isSmall(x[0]) || x[1] < k.pagesOf(x[0])) && (s.mapped[x[0]] & (1 << x[1])) == 0;
                case "Unmap" -> (s.mapped[x[1]] & (1 << x[2])) != 0;
                case "Switch" -> x[1] != s.cur[x[0]];
                case "Access" -> true;
                case "Evict" -> s.tlb[x[0]][cached[x[1] / (ns * np)]] == x[1] % (ns * np);
                default -> throw new IllegalStateException(a.name());
            };
        });
        return ok[0];
    }

    /** SEG-17: every TLB entry is what the walk of the table CR3 holds gives. */
    boolean tlbMatchesTables(SmallSpacesState s) {
        for (int c = 0; c < nc; c++) {
            for (int l = 0; l < lins; l++) {
                if (s.tlb[c][l] >= 0 && walk(s, s.cr3[c], l) != s.tlb[c][l]) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * SEG-15: an access of a small space uses a linear page of its window, or faults at the limit
     * before any translation (the TLBs unchanged); a large space's uses its user half.
     */
    boolean accessesStayInWindow(SmallSpacesState a, SmallSpacesState b) {
        if (b.accCpu < 0) {
            return true;
        }
        if (b.accLin == -1 && !Arrays.deepEquals(a.tlb, b.tlb)) {
            return false;
        }
        if (k.isSmall(b.accSpace)) {
            return b.accPage < k.pagesOf(b.accSpace) ? b.accLin == k.segBase(b.accSpace) + b.accPage : b.accLin == -1;
        }
        return b.accPage < np ? b.accLin == b.accPage : b.accLin == -1;
    }

    /** SEG-16: an access asked by the running space for page p gets its own frame of p if it maps p, else a fault. */
    boolean accessesGetOwnFrames(SmallSpacesState a, SmallSpacesState b) {
        if (b.accCpu < 0) {
            return true;
        }
        int want = b.accPage < np && (a.mapped[b.accSpace] & (1 << b.accPage)) != 0 ? b.accSpace * np + b.accPage : -1;
        return b.accSpace == a.cur[b.accCpu] && b.accGot == want;
    }

    /** SEG-18: a switch to a small space, or back to the large space whose table CR3 holds, keeps CR3 and the TLB. */
    boolean smallSwitchKeepsTlb(SmallSpacesState a, SmallSpacesState b) {
        for (int c = 0; c < nc; c++) {
            int sp = b.cur[c];
            // Only a switch changes the space a CPU runs.
            if (sp != a.cur[c] && (k.isSmall(sp) || a.cr3[c] == sp)
                    && (b.cr3[c] != a.cr3[c] || !Arrays.equals(b.tlb[c], a.tlb[c]))) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ Fingerprint and rendering

    @Override
    public Optional<StateCodec<SmallSpacesState>> codec() {
        return Optional.of(codec);
    }

    @Override
    public long fingerprint(SmallSpacesState s) {
        Fingerprint f = new Fingerprint();
        for (int x : s.mapped) {
            f.add(x);
        }
        f.mark(1);
        for (int c = 0; c < nc; c++) {
            f.add(s.cur[c]).add(s.cr3[c]).add(s.segBase[c]).add(s.segLimit[c]);
            for (int e : s.tlb[c]) {
                f.add(e);
            }
            f.mark(2);
        }
        return f.add(s.accCpu).add(s.accSpace).add(s.accPage).add(s.accLin).add(s.accGot).value();
    }

    private String frameTla(int frame) {
        return frame < 0 ? "<<>>" : "<<" + k.space(frame / np) + ", " + frame % np + ">>";
    }

    private String byCpu(IntFunction<String> value) {
        StringJoiner j = new StringJoiner(" @@ ", "(", ")");
        for (int c = 0; c < nc; c++) {
            j.add(k.cpus().get(c) + " :> " + value.apply(c));
        }
        return j.toString();
    }

    /** The state in TLA+ value syntax, variable by variable, as TLC prints the spec's state. */
    @Override
    public Map<String, String> render(SmallSpacesState s) {
        Map<String, String> out = new LinkedHashMap<>();
        StringJoiner mapped = new StringJoiner(" @@ ", "(", ")");
        for (int sp = 0; sp < ns; sp++) {
            StringJoiner pages = new StringJoiner(", ", "{", "}");
            for (int p = 0; p < np; p++) {
                if ((s.mapped[sp] & (1 << p)) != 0) {
                    pages.add(Integer.toString(p));
                }
            }
            mapped.add(k.space(sp) + " :> " + pages);
        }
        out.put("mapped", mapped.toString());
        out.put("cur", byCpu(c -> k.space(s.cur[c])));
        out.put("cr3", byCpu(c -> k.space(s.cr3[c])));
        out.put("seg", byCpu(c -> "[base |-> " + s.segBase[c] + ", limit |-> " + s.segLimit[c] + "]"));
        out.put("tlb", byCpu(c -> {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            for (int l = 0; l < lins; l++) {
                if (s.tlb[c][l] >= 0) {
                    j.add(entryTla(l, s.tlb[c][l]));
                }
            }
            return j.toString();
        }));
        out.put("acc", s.accCpu < 0 ? "[cpu |-> \"none\", sp |-> \"none\", pg |-> -1, lin |-> -1, got |-> <<>>]"
                : "[cpu |-> " + k.cpus().get(s.accCpu) + ", sp |-> " + k.space(s.accSpace) + ", pg |-> " + s.accPage
                        + ", lin |-> " + s.accLin + ", got |-> " + frameTla(s.accGot) + "]");
        return out;
    }
}
