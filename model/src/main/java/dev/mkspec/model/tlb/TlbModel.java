package dev.mkspec.model.tlb;

import dev.mkspec.check.Action;
import dev.mkspec.check.ActionSchema;
import dev.mkspec.check.ActionSchema.Param;
import dev.mkspec.check.Fingerprint;
import dev.mkspec.check.Guard;
import dev.mkspec.check.Invariant;
import dev.mkspec.check.StateCodec;
import dev.mkspec.check.StateMachine;
import dev.mkspec.model.tlb.TlbState.Shootdown;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TLBs on several CPUs and the shootdown and ASID protocol, exactly as {@code Tlb.tla} defines
 * them: the hardware's {@code TlbFill} and {@code TlbEvict}; the kernel's {@code PageMap},
 * {@code PageUnmap}, {@code PageDowngrade}, {@code ShootdownAck}, {@code ShootdownFinish},
 * {@code SpaceSwitch}, {@code AsidRollover} and, with deletions, {@code SpaceDelete}; the invariants
 * {@code TLB-1} to {@code TLB-6}, {@code TLB-11}, {@code TLB-14} and {@code TLB-16}; and the action
 * properties {@code TLB-12}, {@code TLB-17}, {@code TLB-20} and {@code TLB-21}.
 *
 * <p>Successors are enumerated as TLC enumerates {@code Next}: one per enabled combination of
 * arguments, so that the numbers of generated states agree. Pure and thread-safe.
 */
public final class TlbModel implements StateMachine<TlbState> {
    private final TlbConstants k;
    private final int cpus;
    private final int spaces;
    private final int pages;
    private final int frames;
    private final List<int[]> cpuPermutations;
    /** {@code Fpages}: each as a bit set of pages, every set once. */
    private final List<Integer> fpages;
    private final List<ActionSchema> schemas;
    private final TlbStateCodec codec;

    public TlbModel(TlbConstants constants) {
        this.k = constants;
        this.cpus = constants.cpuCount();
        this.spaces = constants.spaceCount();
        this.pages = constants.pages();
        this.frames = constants.frames();
        this.codec = new TlbStateCodec(cpus, spaces, pages, frames);
        this.cpuPermutations = constants.cpuSymmetry() ? dev.mkspec.check.Permutations.nonIdentity(cpus, 0) : List.of();
        java.util.Set<Integer> f = new java.util.LinkedHashSet<>();
        for (int size = 1; ; size *= 2) {
            for (int i = 0; i * size < pages; i++) {
                int mask = 0;
                for (int v = i * size; v < Math.min(pages, (i + 1) * size); v++) {
                    mask |= 1 << v;
                }
                f.add(mask);
            }
            if (size >= pages) {
                break;
            }
        }
        this.fpages = List.copyOf(f);
        this.schemas = schemas();
    }

    /** {@code Fpages}: 2^k pages aligned to 2^k, cut at NPages; each a bit set of pages. */
    public List<Integer> fpages() {
        return fpages;
    }

    /** The fpage (a bit set of pages) in TLA+ set syntax. */
    public static String fpageTla(int mask) {
        List<String> out = new ArrayList<>();
        for (int v = 0; v < 32; v++) {
            if ((mask & (1 << v)) != 0) {
                out.add(Integer.toString(v));
            }
        }
        return "{" + String.join(", ", out) + "}";
    }

    /** The bit set of pages of an fpage in TLA+ set syntax ({@link #fpageTla}). */
    static int fpageMask(String tla) {
        String inner = tla.trim();
        if (!inner.startsWith("{") || !inner.endsWith("}")) {
            throw new IllegalArgumentException("not a set of pages: " + tla);
        }
        inner = inner.substring(1, inner.length() - 1).trim();
        int mask = 0;
        if (!inner.isEmpty()) {
            for (String v : inner.split(",")) {
                mask |= 1 << Integer.parseInt(v.trim());
            }
        }
        return mask;
    }

    public TlbConstants constants() {
        return k;
    }

    @Override
    public String name() {
        return "Tlb";
    }

    /** Init: nothing mapped, every frame free, every TLB empty, every CPU idle, no ASIDs. */
    @Override
    public List<TlbState> initialStates() {
        int[] pt = new int[spaces * pages];
        Arrays.fill(pt, TlbState.NONE);
        int[] owner = new int[frames];
        Arrays.fill(owner, TlbState.NONE);
        int[] running = new int[cpus];
        Arrays.fill(running, TlbState.NONE);
        return List.of(new TlbState(pt, owner, new long[cpus], running, new int[cpus], new int[spaces],
                new int[spaces], null));
    }

    @Override
    public void successors(TlbState s, Successors<TlbState> out) {
        Guard.Recorder g = Guard.Recorder.NONE;
        for (int c = 0; c < cpus; c++) {
            for (int v = 0; v < pages; v++) {
                TlbState n = fill(s, c, v, g);
                if (n != null) {
                    out.add(Action.of("TlbFill", k.cpus().get(c), v), n);
                }
            }
        }
        for (int c = 0; c < cpus; c++) {
            // Only the entries in tlb[c] can pass evict's one guard: visit those, in increasing order.
            for (long bits = s.tlb[c]; bits != 0; bits &= bits - 1) {
                int e = Long.numberOfTrailingZeros(bits);
                TlbState n = evict(s, c, e, g);
                if (n != null) {
                    out.add(Action.of("TlbEvict", k.cpus().get(c), entryTla(e)), n);
                }
            }
        }
        for (int sp = 0; sp < spaces; sp++) {
            for (int v = 0; v < pages; v++) {
                for (int f = 0; f < frames; f++) {
                    for (boolean w : new boolean[] {false, true}) {
                        TlbState n = map(s, sp, v, f, w, g);
                        if (n != null) {
                            out.add(Action.of("PageMap", k.spaces().get(sp), v, f, w ? "TRUE" : "FALSE"), n);
                        }
                    }
                }
            }
        }
        for (int c = 0; c < cpus; c++) {
            for (int sp = 0; sp < spaces; sp++) {
                for (int f : fpages) {
                    TlbState u = unmap(s, c, sp, f, g);
                    if (u != null) {
                        out.add(Action.of("PageUnmap", k.cpus().get(c), k.spaces().get(sp), fpageTla(f)), u);
                    }
                    TlbState d = downgrade(s, c, sp, f, g);
                    if (d != null) {
                        out.add(Action.of("PageDowngrade", k.cpus().get(c), k.spaces().get(sp), fpageTla(f)), d);
                    }
                }
            }
        }
        for (int d = 0; d < cpus; d++) {
            TlbState n = ack(s, d, g);
            if (n != null) {
                out.add(Action.of("ShootdownAck", k.cpus().get(d)), n);
            }
        }
        TlbState fin = finish(s, g);
        if (fin != null) {
            out.add(Action.of("ShootdownFinish"), fin);
        }
        for (int c = 0; c < cpus; c++) {
            for (int sp = 0; sp < spaces; sp++) {
                TlbState n = switchTo(s, c, sp, g);
                if (n != null) {
                    out.add(Action.of("SpaceSwitch", k.cpus().get(c), k.spaces().get(sp)), n);
                }
            }
        }
        for (int c = 0; c < cpus; c++) {
            for (int sp = 0; sp < spaces; sp++) {
                TlbState n = rollover(s, c, sp, g);
                if (n != null) {
                    out.add(Action.of("AsidRollover", k.cpus().get(c), k.spaces().get(sp)), n);
                }
            }
        }
        for (int c = 0; c < cpus; c++) {
            for (int sp = 0; sp < spaces; sp++) {
                TlbState n = delete(s, c, sp, g);
                if (n != null) {
                    out.add(Action.of("SpaceDelete", k.cpus().get(c), k.spaces().get(sp)), n);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Action schemas and guards

    /**
     * The ten disjuncts of the spec's {@code Next}, each argument over its domain at the constants:
     * CPUs, spaces, pages, frames, BOOLEAN, the entries {@code Entry} and the fpages
     * {@code Fpages}; {@code AsidRollover} and {@code SpaceDelete} also when the constants rule
     * them out (the guards {@code Tagged} and {@code Deletions} say so).
     */
    @Override
    public List<ActionSchema> actionSchemas() {
        return schemas;
    }

    private List<ActionSchema> schemas() {
        Param c = new Param("c", k.cpus());
        Param sp = new Param("s", k.spaces());
        List<String> vs = Param.ints("v", 0, pages).values();
        List<String> fs = Param.ints("f", 0, frames).values();
        List<String> entries = new ArrayList<>();
        for (int e = 0; e < k.entryCount(); e++) {
            entries.add(entryTla(e));
        }
        Param fp = new Param("F", fpages.stream().map(TlbModel::fpageTla).toList());
        return List.of(
                ActionSchema.of("TlbFill", c, new Param("v", vs)),
                ActionSchema.of("TlbEvict", c, new Param("e", entries)),
                ActionSchema.of("PageMap", sp, new Param("v", vs), new Param("f", fs), new Param("w", List.of("FALSE", "TRUE"))),
                ActionSchema.of("PageUnmap", c, sp, fp),
                ActionSchema.of("PageDowngrade", c, sp, fp),
                ActionSchema.of("ShootdownAck", new Param("d", k.cpus())),
                ActionSchema.of("ShootdownFinish"),
                ActionSchema.of("SpaceSwitch", c, sp),
                ActionSchema.of("AsidRollover", c, sp),
                ActionSchema.of("SpaceDelete", c, sp));
    }

    /**
     * The guards of the action, evaluated by the code {@link #successors} runs, in the order of the
     * spec's conjuncts; the bug {@code ack_only_running} adds its own.
     */
    @Override
    public Optional<List<Guard>> guards(TlbState s, Action a) {
        int[] p = ActionSchema.named(schemas, a.name()).positions(a);
        Guard.Log log = new Guard.Log();
        switch (a.name()) {
            case "TlbFill" -> fill(s, p[0], p[1], log);
            case "TlbEvict" -> evict(s, p[0], p[1], log);
            case "PageMap" -> map(s, p[0], p[1], p[2], p[3] == 1, log);
            case "PageUnmap" -> unmap(s, p[0], p[1], fpages.get(p[2]), log);
            case "PageDowngrade" -> downgrade(s, p[0], p[1], fpages.get(p[2]), log);
            case "ShootdownAck" -> ack(s, p[0], log);
            case "ShootdownFinish" -> finish(s, log);
            case "SpaceSwitch" -> switchTo(s, p[0], p[1], log);
            case "AsidRollover" -> rollover(s, p[0], p[1], log);
            case "SpaceDelete" -> delete(s, p[0], p[1], log);
            default -> throw new IllegalStateException("a schema without guards: " + a.name());
        }
        return Optional.of(log.guards());
    }

    private static final String NO_SHOOTDOWN = "shootdown = NoShootdown";
    private static final String SHOOTDOWN = "shootdown # NoShootdown";
    private static final String OTHER_SPACE = "running[c] # s";
    private static final String NOT_DELETING = "~Deleting(s)";

    // ---------------------------------------------------------------------------------------------
    // The actions; each returns null when it is not enabled, and reports its guards to g.

    /** {@code TlbFill(c, v)}. */
    public TlbState fill(TlbState s, int c, int v) {
        return fill(s, c, v, Guard.Recorder.NONE);
    }

    private TlbState fill(TlbState s, int c, int v, Guard.Recorder g) {
        int sp = s.running[c];
        if (!g.check("running[c] \\in Spaces", sp >= 0)) {
            return null;
        }
        int pte = s.pt[sp * pages + v];
        if (!g.check("pt[running[c]][v] # NoEntry", pte != TlbState.NONE)) {
            return null;
        }
        int e = k.entryIndex(s.active[c], v, pte >> 1, (pte & 1) != 0);
        if (!g.check("e \\notin tlb[c] (the entry the walk would load)", (s.tlb[c] & (1L << e)) == 0)) {
            return null;
        }
        TlbState.Mutable m = s.edit();
        m.tlb[c] |= 1L << e;
        return m.freeze();
    }

    /** {@code TlbEvict(c, e)}. */
    private TlbState evict(TlbState s, int c, int e, Guard.Recorder g) {
        if (!g.check("e \\in tlb[c]", (s.tlb[c] & (1L << e)) != 0)) {
            return null;
        }
        TlbState.Mutable m = s.edit();
        m.tlb[c] &= ~(1L << e);
        return m.freeze();
    }

    /** {@code PageMap(s, v, f, w)}. */
    public TlbState map(TlbState s, int sp, int v, int f, boolean w) {
        return map(s, sp, v, f, w, Guard.Recorder.NONE);
    }

    private TlbState map(TlbState s, int sp, int v, int f, boolean w, Guard.Recorder g) {
        if (!g.check(NO_SHOOTDOWN, s.shootdown == null) || !g.check("pt[s][v] = NoEntry", s.pt[sp * pages + v] == TlbState.NONE)
                || !g.check("owner[f] = Free", s.owner[f] == TlbState.NONE)) {
            return null;
        }
        TlbState.Mutable m = s.edit();
        m.pt[sp * pages + v] = f << 1 | (w ? 1 : 0);
        m.owner[f] = sp;
        return m.freeze();
    }

    private int tagOf(TlbState s, int sp) {
        return k.tagged() ? s.asid[sp] : 0;
    }

    /** The entries of tag t and the pages V (a bit set): what INVLPG (or INVPCID type 0) removes, page by page. */
    private long pageMask(int t, int pageSet) {
        long mask = 0;
        for (int v = 0; v < pages; v++) {
            if ((pageSet & (1 << v)) == 0) {
                continue;
            }
            for (int f = 0; f < frames; f++) {
                mask |= 1L << k.entryIndex(t, v, f, false);
                mask |= 1L << k.entryIndex(t, v, f, true);
            }
        }
        return mask;
    }

    private int ipiTargets(TlbState s, int c, int sp) {
        int targets;
        if (k.bug() == TlbBug.IPI_ONLY_RUNNING) {
            targets = 0;
            for (int d = 0; d < cpus; d++) {
                if (s.running[d] == sp) {
                    targets |= 1 << d;
                }
            }
        } else {
            targets = s.mayCache[sp];
        }
        return k.bug() == TlbBug.IPI_SELF ? targets | 1 << c : targets & ~(1 << c);
    }

    /** Steps (2) and (3) of a shootdown of the pages V (a bit set) of {@code sp}, started on CPU c. */
    private void startShootdown(TlbState s, TlbState.Mutable m, int c, int sp, int pageSet, boolean unmap) {
        int tag = tagOf(s, sp);
        if (k.bug() != TlbBug.SKIP_LOCAL_INVLPG) {
            m.tlb[c] &= ~pageMask(tag, pageSet);
        }
        List<Integer> old = new ArrayList<>();
        for (int v = 0; v < pages; v++) {
            old.add((pageSet & (1 << v)) != 0 ? s.pt[sp * pages + v] : TlbState.NONE);
        }
        m.shootdown = new Shootdown(c, sp, pageSet, old, tag, unmap, false, ipiTargets(s, c, sp));
    }

    /** Whether {@code sp} is the space the shootdown in progress deletes. */
    private static boolean deleting(TlbState s, int sp) {
        return s.shootdown != null && s.shootdown.delete() && s.shootdown.space() == sp;
    }

    /** Whether {@code sp} holds anything a deletion would release: a mapped page, an ASID, or CPUs that may cache it. */
    private boolean inUse(TlbState s, int sp) {
        for (int v = 0; v < pages; v++) {
            if (s.pt[sp * pages + v] != TlbState.NONE) {
                return true;
            }
        }
        return s.asid[sp] != 0 || s.mayCache[sp] != 0;
    }

    /**
     * {@code SpaceDelete(c, s)}: CPU c (running another space) deletes {@code sp}: its page table is
     * emptied, c drops every entry of its ASID (tagged; untagged, c runs another space and caches
     * none), and every other CPU that may cache it gets an IPI.
     */
    public TlbState delete(TlbState s, int c, int sp) {
        return delete(s, c, sp, Guard.Recorder.NONE);
    }

    private TlbState delete(TlbState s, int c, int sp, Guard.Recorder g) {
        if (!g.check("Deletions", k.deletions()) || !g.check(NO_SHOOTDOWN, s.shootdown == null)
                || !g.check(OTHER_SPACE, s.running[c] != sp) || !g.check("InUse(s)", inUse(s, sp))) {
            return null;
        }
        TlbState.Mutable m = s.edit();
        int mapped = 0;
        List<Integer> old = new ArrayList<>();
        for (int v = 0; v < pages; v++) {
            int pte = s.pt[sp * pages + v];
            old.add(pte);
            if (pte != TlbState.NONE) {
                mapped |= 1 << v;
                m.pt[sp * pages + v] = TlbState.NONE;
                if (k.bug() == TlbBug.DELETE_FREES_EARLY) {
                    m.owner[pte >> 1] = TlbState.NONE;
                }
            }
        }
        if (k.tagged()) {
            m.tlb[c] &= ~pageMask(s.asid[sp], allPages());
        }
        m.shootdown = new Shootdown(c, sp, mapped, old, tagOf(s, sp), true, true, ipiTargets(s, c, sp));
        return m.freeze();
    }

    /** Every page, as a bit set. */
    private int allPages() {
        return (1 << pages) - 1;
    }

    /** The pages of fpage {@code f} that {@code sp} maps ({@code MappedIn}), or maps writable ({@code WritableIn}). */
    private int pagesIn(TlbState s, int sp, int f, boolean writable) {
        int out = 0;
        for (int v = 0; v < pages; v++) {
            int pte = s.pt[sp * pages + v];
            if ((f & (1 << v)) != 0 && pte != TlbState.NONE && (!writable || (pte & 1) != 0)) {
                out |= 1 << v;
            }
        }
        return out;
    }

    /** {@code PageUnmap(c, s, F)}, the fpage {@code f} a bit set of pages. */
    public TlbState unmap(TlbState s, int c, int sp, int f) {
        return unmap(s, c, sp, f, Guard.Recorder.NONE);
    }

    private TlbState unmap(TlbState s, int c, int sp, int f, Guard.Recorder g) {
        if (!g.check(NO_SHOOTDOWN, s.shootdown == null)) {
            return null;
        }
        int mapped = pagesIn(s, sp, f, false);
        if (!g.check("MappedIn(s, F) # {}", mapped != 0)) {
            return null;
        }
        TlbState.Mutable m = s.edit();
        int past = 31 - Integer.numberOfLeadingZeros(f) + 1;
        if (k.bug() == TlbBug.UNMAP_PAST_FPAGE && past < pages) {
            m.pt[sp * pages + past] = TlbState.NONE;
        }
        for (int v = 0; v < pages; v++) {
            if ((mapped & (1 << v)) != 0) {
                m.pt[sp * pages + v] = TlbState.NONE;
                if (k.bug() == TlbBug.LAZY_SHOOTDOWN) {
                    m.owner[s.pt[sp * pages + v] >> 1] = TlbState.NONE;
                }
            }
        }
        startShootdown(s, m, c, sp, mapped, true);
        return m.freeze();
    }

    /** {@code PageDowngrade(c, s, F)}, the fpage {@code f} a bit set of pages. */
    public TlbState downgrade(TlbState s, int c, int sp, int f) {
        return downgrade(s, c, sp, f, Guard.Recorder.NONE);
    }

    private TlbState downgrade(TlbState s, int c, int sp, int f, Guard.Recorder g) {
        if (!g.check(NO_SHOOTDOWN, s.shootdown == null)) {
            return null;
        }
        int writable = pagesIn(s, sp, f, true);
        if (!g.check("WritableIn(s, F) # {}", writable != 0)) {
            return null;
        }
        TlbState.Mutable m = s.edit();
        for (int v = 0; v < pages; v++) {
            if ((writable & (1 << v)) != 0) {
                m.pt[sp * pages + v] &= ~1;
            }
        }
        if (k.bug() != TlbBug.DOWNGRADE_NO_INVLPG) {
            startShootdown(s, m, c, sp, writable, false);
        }
        return m.freeze();
    }

    /** {@code ShootdownAck(d)}. */
    public TlbState ack(TlbState s, int d) {
        return ack(s, d, Guard.Recorder.NONE);
    }

    private TlbState ack(TlbState s, int d, Guard.Recorder g) {
        Shootdown sd = s.shootdown;
        if (!g.check(SHOOTDOWN, sd != null) || !g.check("d \\in shootdown.waiting", (sd.waiting() & (1 << d)) != 0)) {
            return null;
        }
        if (k.bug() == TlbBug.ACK_ONLY_RUNNING
                && !g.check("running[d] = shootdown.space (bug ack_only_running)", s.running[d] == sd.space())) {
            return null;
        }
        TlbState.Mutable m = s.edit();
        int shot = sd.pages();
        if (k.bug() == TlbBug.IPI_RANGE_OFF_BY_ONE) {
            shot = 0;
            for (int v = 0; v < pages; v++) {
                if (sd.covers(v)) {
                    shot |= 1 << ((v + 1) % pages);
                }
            }
        }
        if (k.bug() == TlbBug.ACK_FLUSHES_TLB || (sd.delete() && !k.tagged())) {
            // Untagged, a deletion's IPI flushes the CPU's TLB (its entries carry no tag to select).
            m.tlb[d] = 0;
        } else if (sd.delete()) {
            m.tlb[d] &= ~pageMask(sd.asid(), allPages());
        } else {
            m.tlb[d] &= ~pageMask(sd.asid(), shot);
        }
        if (sd.delete() && s.running[d] == sd.space() && k.bug() != TlbBug.DELETE_KEEPS_RUNNING) {
            m.running[d] = TlbState.NONE;
            m.active[d] = 0;
        }
        // The bug keeps one "done" flag for the shootdown: the first acknowledgement sets it.
        int waiting = switch (k.bug()) {
            case SINGLE_ACK_FLAG -> 0;
            case LOST_ACK -> sd.waiting();
            default -> sd.waiting() & ~(1 << d);
        };
        m.shootdown = sd.withWaiting(waiting);
        return m.freeze();
    }

    /** {@code ShootdownFinish}. */
    public TlbState finish(TlbState s) {
        return finish(s, Guard.Recorder.NONE);
    }

    private TlbState finish(TlbState s, Guard.Recorder g) {
        Shootdown sd = s.shootdown;
        if (!g.check(SHOOTDOWN, sd != null) || !g.check("shootdown.waiting = {}", sd.waiting() == 0)) {
            return null;
        }
        TlbState.Mutable m = s.edit();
        if (sd.unmap() && k.bug() != TlbBug.LAZY_SHOOTDOWN && k.bug() != TlbBug.UNMAP_LEAKS_FRAME) {
            for (int v = 0; v < pages; v++) {
                if (sd.covers(v)) {
                    m.owner[sd.old(v) >> 1] = TlbState.NONE;
                }
            }
        }
        if (sd.delete()) {
            m.asid[sd.space()] = 0;
            m.mayCache[sd.space()] = 0;
        }
        m.shootdown = null;
        return m.freeze();
    }

    private int lowestFreeAsid(int[] asid) {
        boolean[] used = new boolean[k.asids() + 1];
        for (int a : asid) {
            used[a] = true;
        }
        for (int a = 1; a <= k.asids(); a++) {
            if (!used[a]) {
                return a;
            }
        }
        return 0;
    }

    /** {@code SpaceSwitch(c, s)}. */
    public TlbState switchTo(TlbState s, int c, int sp) {
        return switchTo(s, c, sp, Guard.Recorder.NONE);
    }

    private TlbState switchTo(TlbState s, int c, int sp, Guard.Recorder g) {
        if (!g.check(OTHER_SPACE, s.running[c] != sp) || !g.check(NOT_DELETING, !deleting(s, sp))) {
            return null;
        }
        int a = 0;
        if (k.tagged()) {
            a = s.asid[sp] != 0 ? s.asid[sp] : lowestFreeAsid(s.asid);
            if (!g.check("~(Tagged /\\ asid[s] = 0 /\\ FreeAsids = {})", a != 0)) {
                return null;
            }
        }
        TlbState.Mutable m = s.edit();
        if (k.tagged()) {
            m.asid[sp] = a;
        } else {
            m.tlb[c] = 0;
            if (s.running[c] >= 0 && k.bug() != TlbBug.UNTAGGED_KEEPS_CPUMASK) {
                m.mayCache[s.running[c]] &= ~(1 << c);
            }
        }
        m.active[c] = a;
        m.mayCache[sp] |= 1 << c;
        m.running[c] = sp;
        return m.freeze();
    }

    /** {@code AsidRollover(c, s)}. */
    public TlbState rollover(TlbState s, int c, int sp) {
        return rollover(s, c, sp, Guard.Recorder.NONE);
    }

    private TlbState rollover(TlbState s, int c, int sp, Guard.Recorder g) {
        if (!g.check("Tagged", k.tagged()) || !g.check(OTHER_SPACE, s.running[c] != sp)
                || !g.check(NOT_DELETING, !deleting(s, sp)) || !g.check("asid[s] = 0", s.asid[sp] == 0)
                || !g.check("FreeAsids = {}", lowestFreeAsid(s.asid) == 0)) {
            return null;
        }
        int[] kept = new int[spaces];
        if (k.bug() != TlbBug.ROLLOVER_STEALS_RUNNING) {
            for (int d = 0; d < cpus; d++) {
                if (d != c && s.running[d] >= 0) {
                    kept[s.running[d]] = s.asid[s.running[d]];
                }
            }
        }
        int a = lowestFreeAsid(kept);
        if (!g.check("free # {} (an ASID left once the other CPUs' spaces keep theirs)", a != 0)) {
            return null;
        }
        TlbState.Mutable m = s.edit();
        System.arraycopy(kept, 0, m.asid, 0, spaces);
        m.asid[sp] = a;
        m.active[c] = a;
        if (k.bug() != TlbBug.ASID_REUSE_NO_FLUSH) {
            Arrays.fill(m.tlb, 0L);
        }
        m.running[c] = sp;
        Arrays.fill(m.mayCache, 0);
        for (int d = 0; d < cpus; d++) {
            if (m.running[d] >= 0) {
                m.mayCache[m.running[d]] |= 1 << d;
            }
        }
        return m.freeze();
    }

    // ---------------------------------------------------------------------------------------------
    // Invariants

    @Override
    public List<Invariant<TlbState>> invariants() {
        return List.of(
                new Invariant<>("TLB-1", "TlbMatchesPageTable", this::tlbMatchesPageTable),
                new Invariant<>("TLB-2", "NoStaleFrameAccess", this::noStaleFrameAccess),
                asidsUniqueInvariant(),
                new Invariant<>("TLB-4", "AsidEntriesOwned", this::asidEntriesOwned),
                new Invariant<>("TLB-5", "NoWriteAfterDowngrade", this::noWriteAfterDowngrade),
                new Invariant<>("TLB-6", "TlbTransparent", this::tlbTransparent),
                new Invariant<>("TLB-11", "TypeOK", this::typeOk),
                new Invariant<>("TLB-16", "FramesAccounted", this::framesAccounted),
                Invariant.availability("TLB-14", "OperationsAvailable", this::operationsAvailable));
    }

    /**
     * TLB-14: the steps the model offers in {@code s} are exactly those the rules allow, stated
     * apart from the actions: a CPU running a space may cache any page its page table maps that it
     * does not cache yet and evict any cached entry; map, unmap and downgrade need no shootdown in
     * progress and an unmapped page with a free frame, an fpage with a mapped page, an fpage with
     * a writable page; every CPU
     * the shootdown waits for may acknowledge, whatever it runs; the finish comes once none is
     * left; a switch to another space needs its ASID or a free one (tagged); a rollover needs none
     * free and one left after keeping those of the spaces the other CPUs run.
     */
    boolean operationsAvailable(TlbState s) {
        // Every single page, and all the pages of a space, are fpages: checked apart from how the
        // model builds its list of fpages, so that a list that leaves them out fails this.
        for (int v = 0; v < pages; v++) {
            if (!fpages.contains(1 << v)) {
                return false;
            }
        }
        if (!fpages.contains(allPages())) {
            return false;
        }
        java.util.Set<Action> offered = enabled(s);
        java.util.Set<Action> allowed = new java.util.HashSet<>();
        boolean noShootdown = s.shootdown == null;
        boolean anyFree = false;
        boolean[] used = new boolean[k.asids() + 1];
        for (int sp = 0; sp < spaces; sp++) {
            used[s.asid[sp]] = true;
        }
        for (int a = 1; a <= k.asids(); a++) {
            anyFree |= !used[a];
        }
        for (int c = 0; c < cpus; c++) {
            String cpu = k.cpus().get(c);
            int sp = s.running[c];
            for (int v = 0; sp >= 0 && v < pages; v++) {
                int pte = s.pt[sp * pages + v];
                if (pte != TlbState.NONE && (s.tlb[c] & (1L << k.entryIndex(s.active[c], v, pte >> 1, (pte & 1) != 0))) == 0) {
                    allowed.add(Action.of("TlbFill", cpu, v));
                }
            }
            for (long bits = s.tlb[c]; bits != 0; bits &= bits - 1) {
                allowed.add(Action.of("TlbEvict", cpu, entryTla(Long.numberOfTrailingZeros(bits))));
            }
            for (int t = 0; t < spaces; t++) {
                String space = k.spaces().get(t);
                for (int f : fpages) {
                    boolean anyMapped = false;
                    boolean anyWritable = false;
                    for (int v = 0; v < pages; v++) {
                        int pte = s.pt[t * pages + v];
                        if ((f & (1 << v)) != 0 && pte != TlbState.NONE) {
                            anyMapped = true;
                            anyWritable |= (pte & 1) != 0;
                        }
                    }
                    if (noShootdown && anyMapped) {
                        allowed.add(Action.of("PageUnmap", cpu, space, fpageTla(f)));
                    }
                    if (noShootdown && anyWritable) {
                        allowed.add(Action.of("PageDowngrade", cpu, space, fpageTla(f)));
                    }
                }
                boolean dying = s.shootdown != null && s.shootdown.delete() && s.shootdown.space() == t;
                if (sp != t && !dying && (!k.tagged() || s.asid[t] != 0 || anyFree)) {
                    allowed.add(Action.of("SpaceSwitch", cpu, space));
                }
                if (k.tagged() && sp != t && !dying && s.asid[t] == 0 && !anyFree && asidLeftAfterKeeping(s, c)) {
                    allowed.add(Action.of("AsidRollover", cpu, space));
                }
                boolean holds = s.asid[t] != 0 || s.mayCache[t] != 0;
                for (int v = 0; v < pages; v++) {
                    holds |= s.pt[t * pages + v] != TlbState.NONE;
                }
                if (k.deletions() && noShootdown && sp != t && holds) {
                    allowed.add(Action.of("SpaceDelete", cpu, space));
                }
            }
            if (s.shootdown != null && (s.shootdown.waiting() & (1 << c)) != 0) {
                allowed.add(Action.of("ShootdownAck", cpu));
            }
        }
        for (int t = 0; t < spaces; t++) {
            for (int v = 0; v < pages; v++) {
                for (int f = 0; f < frames; f++) {
                    if (noShootdown && s.pt[t * pages + v] == TlbState.NONE && s.owner[f] == TlbState.NONE) {
                        allowed.add(Action.of("PageMap", k.spaces().get(t), v, f, "FALSE"));
                        allowed.add(Action.of("PageMap", k.spaces().get(t), v, f, "TRUE"));
                    }
                }
            }
        }
        if (s.shootdown != null && s.shootdown.waiting() == 0) {
            allowed.add(Action.of("ShootdownFinish"));
        }
        return offered.equals(allowed);
    }

    /** Whether some ASID is held by no space that a CPU other than {@code c} runs. */
    private boolean asidLeftAfterKeeping(TlbState s, int c) {
        boolean[] kept = new boolean[k.asids() + 1];
        for (int d = 0; d < cpus; d++) {
            if (d != c && s.running[d] >= 0) {
                kept[s.asid[s.running[d]]] = true;
            }
        }
        for (int a = 1; a <= k.asids(); a++) {
            if (!kept[a]) {
                return true;
            }
        }
        return false;
    }

    /**
     * TLB-16: a frame that a page table maps is mapped once and owned by that space; one whose
     * unmap is being shot down is owned by the unmapping space; every other frame is free.
     */
    boolean framesAccounted(TlbState s) {
        Shootdown sd = s.shootdown;
        for (int f = 0; f < frames; f++) {
            int mapper = TlbState.NONE;
            for (int i = 0; i < s.pt.length; i++) {
                if (s.pt[i] != TlbState.NONE && s.pt[i] >> 1 == f) {
                    if (mapper != TlbState.NONE) {
                        return false;
                    }
                    mapper = i / pages;
                }
            }
            boolean draining = false;
            for (int v = 0; sd != null && sd.unmap() && v < pages; v++) {
                draining |= sd.covers(v) && sd.old(v) >> 1 == f;
            }
            int expected = mapper != TlbState.NONE ? mapper : draining ? sd.space() : TlbState.NONE;
            if (s.owner[f] != expected) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<dev.mkspec.check.ActionProperty<TlbState>> actionProperties() {
        return List.of(new dev.mkspec.check.ActionProperty<>("TLB-12", "PageOpsDoWhatWasAsked", this::pageOpsDoWhatWasAsked),
                new dev.mkspec.check.ActionProperty<>("TLB-17", "TlbStepsExact", this::tlbStepsExact),
                new dev.mkspec.check.ActionProperty<>("TLB-20", "IpisOnlyWhereNeeded", this::ipisOnlyWhereNeeded),
                new dev.mkspec.check.ActionProperty<>("TLB-21", "DeleteLeavesNothing", this::deleteLeavesNothing));
    }

    /**
     * TLB-21: a deletion does what was asked: {@code SpaceDelete(c, s)} empties s's page table and
     * no other; and when its shootdown finishes, no CPU runs s, s holds no ASID and no CPU is
     * recorded as caching it, every frame s mapped is free and no frame is owned by s, and (tagged)
     * no TLB holds an entry of the ASID s had, unless a rollover meanwhile gave that ASID to
     * another space.
     */
    boolean deleteLeavesNothing(TlbState from, Action a, TlbState to) {
        if (a.name().equals("SpaceDelete")) {
            int sp = k.spaces().indexOf(a.args().get(1));
            for (int i = 0; i < from.pt.length; i++) {
                int expected = i / pages == sp ? TlbState.NONE : from.pt[i];
                if (to.pt[i] != expected) {
                    return false;
                }
            }
            return true;
        }
        Shootdown sd = from.shootdown;
        if (sd == null || !sd.delete() || to.shootdown != null) {
            return true;
        }
        int sp = sd.space();
        boolean reassigned = false;
        for (int t = 0; t < spaces; t++) {
            reassigned |= t != sp && to.asid[t] == sd.asid();
        }
        for (int c = 0; c < cpus; c++) {
            if (to.running[c] == sp) {
                return false;
            }
            if (k.tagged() && !reassigned && (to.tlb[c] & pageMask(sd.asid(), allPages())) != 0) {
                return false;
            }
        }
        if (to.asid[sp] != 0 || to.mayCache[sp] != 0) {
            return false;
        }
        for (int o : to.owner) {
            if (o == sp) {
                return false;
            }
        }
        for (int v = 0; v < pages; v++) {
            if (to.pt[sp * pages + v] != TlbState.NONE || (sd.covers(v) && to.owner[sd.old(v) >> 1] != TlbState.NONE)) {
                return false;
            }
        }
        return true;
    }

    /**
     * TLB-20: a shootdown sends no IPI to its own initiator, and with untagged TLBs only to CPUs that
     * run the space when it starts (every other CPU's CR3 write has flushed the space's entries).
     * Stated from the running CPUs, not from {@code mayCache}, which the actions use.
     */
    boolean ipisOnlyWhereNeeded(TlbState from, Action a, TlbState to) {
        if (from.shootdown != null || to.shootdown == null) {
            return true;
        }
        Shootdown sd = to.shootdown;
        if ((sd.waiting() & 1 << sd.initiator()) != 0) {
            return false;
        }
        if (!k.tagged()) {
            for (int d = 0; d < cpus; d++) {
                if ((sd.waiting() & 1 << d) != 0 && from.running[d] != sd.space()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * TLB-17: the TLBs change exactly as each step says, and nowhere else (computed here without the
     * actions' own helpers): a fill adds its entry to its CPU, an eviction removes its entry, an unmap
     * or downgrade removes, on the initiating CPU, the entries under the space's tag of the pages of
     * its fpage that it changed, an acknowledgement those of the shot-down pages on the
     * acknowledging CPU; a switch empties the
     * switching CPU's TLB when untagged and changes none when tagged; a rollover empties every TLB;
     * a map or a finish changes none; a deletion removes every entry of the space's ASID on the
     * initiating CPU (tagged) or none (untagged), and its acknowledgement every entry of that ASID
     * (tagged) or the whole TLB (untagged) on the acknowledging CPU.
     */
    boolean tlbStepsExact(TlbState from, Action a, TlbState to) {
        List<String> args = a.args();
        long[] expected = from.tlb.clone();
        switch (a.name()) {
            case "TlbFill" -> {
                int c = k.cpus().indexOf(args.get(0));
                int v = Integer.parseInt(args.get(1));
                int pte = from.pt[from.running[c] * pages + v];
                expected[c] |= 1L << k.entryIndex(from.active[c], v, pte >> 1, (pte & 1) != 0);
            }
            case "TlbEvict" -> {
                int c = k.cpus().indexOf(args.get(0));
                for (long bits = from.tlb[c]; bits != 0; bits &= bits - 1) {
                    int e = Long.numberOfTrailingZeros(bits);
                    if (entryTla(e).equals(args.get(1))) {
                        expected[c] &= ~(1L << e);
                    }
                }
            }
            case "PageUnmap", "PageDowngrade" -> {
                int c = k.cpus().indexOf(args.get(0));
                int sp = k.spaces().indexOf(args.get(1));
                int f = fpageMask(args.get(2));
                int changed = 0;
                for (int v = 0; v < pages; v++) {
                    if ((f & (1 << v)) != 0 && from.pt[sp * pages + v] != to.pt[sp * pages + v]) {
                        changed |= 1 << v;
                    }
                }
                expected[c] = withoutPages(from.tlb[c], k.tagged() ? from.asid[sp] : 0, changed);
            }
            case "ShootdownAck" -> {
                int d = k.cpus().indexOf(args.get(0));
                Shootdown sd = from.shootdown;
                expected[d] = !sd.delete() ? withoutPages(from.tlb[d], sd.asid(), sd.pages())
                        : k.tagged() ? withoutPages(from.tlb[d], sd.asid(), allPages()) : 0L;
            }
            case "SpaceDelete" -> {
                if (k.tagged()) {
                    int c = k.cpus().indexOf(args.get(0));
                    expected[c] = withoutPages(from.tlb[c], from.asid[k.spaces().indexOf(args.get(1))], allPages());
                }
            }
            case "SpaceSwitch" -> {
                if (!k.tagged()) {
                    expected[k.cpus().indexOf(args.get(0))] = 0;
                }
            }
            case "AsidRollover" -> Arrays.fill(expected, 0L);
            default -> {
                // PageMap and ShootdownFinish change no TLB.
            }
        }
        return Arrays.equals(expected, to.tlb);
    }

    private long withoutPages(long entries, int tag, int pageSet) {
        long kept = 0;
        for (long bits = entries; bits != 0; bits &= bits - 1) {
            int e = Long.numberOfTrailingZeros(bits);
            if ((pageSet & (1 << k.entryPage(e))) == 0 || k.entryTag(e) != tag) {
                kept |= 1L << e;
            }
        }
        return kept;
    }

    /** TLB-11: every variable holds a value of its type (frames, spaces, ASIDs and CPUs in range). */
    boolean typeOk(TlbState s) {
        for (int pte : s.pt) {
            if (pte != TlbState.NONE && (pte < 0 || (pte >> 1) >= frames)) {
                return false;
            }
        }
        for (int o : s.owner) {
            if (o < TlbState.NONE || o >= spaces) {
                return false;
            }
        }
        for (int c = 0; c < cpus; c++) {
            if (s.running[c] < TlbState.NONE || s.running[c] >= spaces || s.active[c] < 0 || s.active[c] > k.asids()) {
                return false;
            }
        }
        for (int a : s.asid) {
            if (a < 0 || a > k.asids()) {
                return false;
            }
        }
        return true;
    }

    /**
     * TLB-12: PageMap(s, v, f, w) maps page v of s to f with writability w and gives f to s;
     * PageUnmap(c, s, F) removes every entry of the fpage F and keeps each frame owned by s until
     * the shootdown ends; PageDowngrade(c, s, F) clears the write right of every page of F,
     * keeping its frame; neither touches a page of s outside F.
     */
    boolean pageOpsDoWhatWasAsked(TlbState from, Action a, TlbState to) {
        List<String> args = a.args();
        switch (a.name()) {
            case "PageMap" -> {
                int sp = k.spaces().indexOf(args.get(0));
                int v = Integer.parseInt(args.get(1));
                int f = Integer.parseInt(args.get(2));
                boolean w = args.get(3).equals("TRUE");
                return to.pt[sp * pages + v] == (f << 1 | (w ? 1 : 0)) && to.owner[f] == sp;
            }
            case "PageUnmap", "PageDowngrade" -> {
                boolean unmap = a.name().equals("PageUnmap");
                int sp = k.spaces().indexOf(args.get(1));
                int f = fpageMask(args.get(2));
                for (int v = 0; v < pages; v++) {
                    int old = from.pt[sp * pages + v];
                    int now = to.pt[sp * pages + v];
                    boolean ok;
                    if ((f & (1 << v)) == 0) {
                        ok = now == old;
                    } else if (unmap) {
                        ok = now == TlbState.NONE && (old == TlbState.NONE || to.owner[old >> 1] == sp);
                    } else {
                        ok = old == TlbState.NONE ? now == old : now == (old & ~1);
                    }
                    if (!ok) {
                        return false;
                    }
                }
                return true;
            }
            default -> {
                return true;
            }
        }
    }

    private boolean usable(TlbState s, int c, int e) {
        return s.running[c] >= 0 && k.entryTag(e) == s.active[c];
    }

    private boolean caches(int e, int pte) {
        return pte != TlbState.NONE && k.entryFrame(e) == pte >> 1 && k.entryWritable(e) == ((pte & 1) != 0);
    }

    private boolean pendingCovers(TlbState s, int sp, int e) {
        Shootdown sd = s.shootdown;
        return sd != null && sd.space() == sp && sd.covers(k.entryPage(e)) && sd.asid() == k.entryTag(e)
                && caches(e, sd.old(k.entryPage(e)));
    }

    /** Whether {@code test} holds of every entry of every CPU's TLB. */
    private static boolean everyEntry(TlbState s, EntryTest test) {
        for (int c = 0; c < s.tlb.length; c++) {
            for (long bits = s.tlb[c]; bits != 0; bits &= bits - 1) {
                if (!test.holds(c, Long.numberOfTrailingZeros(bits))) {
                    return false;
                }
            }
        }
        return true;
    }

    @FunctionalInterface
    private interface EntryTest {
        boolean holds(int cpu, int entry);
    }

    /** TLB-1: every entry agrees with its tag holder's page table, or the shootdown in progress covers it. */
    boolean tlbMatchesPageTable(TlbState s) {
        return everyEntry(s, (c, e) -> {
            boolean anyHolder = false;
            for (int t = 0; t < spaces; t++) {
                boolean holds = k.tagged() ? s.asid[t] == k.entryTag(e) : s.running[c] == t;
                if (holds) {
                    anyHolder = true;
                    if (!caches(e, s.pt[t * pages + k.entryPage(e)]) && !pendingCovers(s, t, e)) {
                        return false;
                    }
                }
            }
            return anyHolder;
        });
    }

    /** TLB-2: an entry that translates reaches only a frame the running space owns. */
    boolean noStaleFrameAccess(TlbState s) {
        return everyEntry(s, (c, e) -> !usable(s, c, e) || s.owner[k.entryFrame(e)] == s.running[c]);
    }

    /** TLB-3: ASIDs are unique among spaces, and every running CPU runs under its space's ASID. */
    private Invariant<TlbState> asidsUniqueInvariant() {
        return Invariant.allOf("TLB-3", "AsidsUnique", List.of(
                new Invariant.Conjunct<>("Tagged => \\A s, t \\in Spaces : s # t /\\ asid[s] # 0 => asid[s] # asid[t]", s -> {
                    for (int a = 0; k.tagged() && a < spaces; a++) {
                        for (int b = 0; b < spaces; b++) {
                            if (a != b && s.asid[a] != 0 && s.asid[a] == s.asid[b]) {
                                return false;
                            }
                        }
                    }
                    return true;
                }),
                new Invariant.Conjunct<>("Tagged => \\A c \\in CPUs : running[c] \\in Spaces => active[c] = asid[running[c]] /\\ active[c] # 0", s -> {
                    for (int c = 0; k.tagged() && c < cpus; c++) {
                        if (s.running[c] >= 0 && (s.active[c] != s.asid[s.running[c]] || s.active[c] == 0)) {
                            return false;
                        }
                    }
                    return true;
                }),
                new Invariant.Conjunct<>("Tagged => \\A c \\in CPUs : running[c] = Idle => active[c] = 0", s -> {
                    for (int c = 0; k.tagged() && c < cpus; c++) {
                        if (s.running[c] < 0 && s.active[c] != 0) {
                            return false;
                        }
                    }
                    return true;
                }),
                new Invariant.Conjunct<>("Tagged => \\A c, d \\in CPUs : running[c], running[d] \\in Spaces /\\ active[c] = active[d] => running[c] = running[d]", s -> {
                    for (int c = 0; k.tagged() && c < cpus; c++) {
                        for (int d = 0; d < cpus; d++) {
                            if (s.running[c] >= 0 && s.running[d] >= 0 && s.active[c] == s.active[d] && s.running[c] != s.running[d]) {
                                return false;
                            }
                        }
                    }
                    return true;
                })));
    }

    /** TLB-4: an entry that translates on a CPU caches the running space's page table, or is covered. */
    boolean asidEntriesOwned(TlbState s) {
        return everyEntry(s, (c, e) -> !usable(s, c, e)
                || caches(e, s.pt[s.running[c] * pages + k.entryPage(e)]) || pendingCovers(s, s.running[c], e));
    }

    /** TLB-5: a writable entry that translates is backed by a writable mapping of its frame, or covered. */
    boolean noWriteAfterDowngrade(TlbState s) {
        return everyEntry(s, (c, e) -> {
            if (!usable(s, c, e) || !k.entryWritable(e)) {
                return true;
            }
            int pte = s.pt[s.running[c] * pages + k.entryPage(e)];
            return (pte != TlbState.NONE && (pte & 1) != 0 && pte >> 1 == k.entryFrame(e))
                    || pendingCovers(s, s.running[c], e);
        });
    }

    /** TLB-6: with no shootdown in progress, every entry that translates gives what a walk gives. */
    boolean tlbTransparent(TlbState s) {
        return s.shootdown != null
                || everyEntry(s, (c, e) -> !usable(s, c, e) || caches(e, s.pt[s.running[c] * pages + k.entryPage(e)]));
    }

    // ---------------------------------------------------------------------------------------------
    // Fingerprints, symmetry and rendering

    @Override
    public Optional<StateCodec<TlbState>> codec() {
        return Optional.of(codec);
    }

    @Override
    public long fingerprint(TlbState s) {
        long fp = fingerprintOf(s);
        for (int[] perm : cpuPermutations) {
            fp = Math.min(fp, fingerprintOf(permuteCpus(s, perm)));
        }
        return fp;
    }

    private static long fingerprintOf(TlbState s) {
        Fingerprint f = new Fingerprint();
        for (int x : s.pt) {
            f.add(x);
        }
        f.mark(1);
        for (int x : s.owner) {
            f.add(x);
        }
        f.mark(2);
        for (long x : s.tlb) {
            f.add(x);
        }
        f.mark(3);
        for (int i = 0; i < s.running.length; i++) {
            f.add(s.running[i]).add(s.active[i]);
        }
        f.mark(4);
        for (int i = 0; i < s.asid.length; i++) {
            f.add(s.asid[i]).add(s.mayCache[i]);
        }
        Shootdown sd = s.shootdown;
        if (sd == null) {
            f.mark(5);
        } else {
            f.mark(6).add(sd.initiator()).add(sd.space()).add(sd.pages());
            for (int o : sd.old()) {
                f.add(o);
            }
            f.add(sd.asid()).add(sd.unmap()).add(sd.delete()).add(sd.waiting());
        }
        return f.value();
    }

    /** The state with CPU c renamed perm[c]. */
    private TlbState permuteCpus(TlbState s, int[] perm) {
        TlbState.Mutable m = s.edit();
        for (int c = 0; c < cpus; c++) {
            m.tlb[perm[c]] = s.tlb[c];
            m.running[perm[c]] = s.running[c];
            m.active[perm[c]] = s.active[c];
        }
        for (int sp = 0; sp < spaces; sp++) {
            m.mayCache[sp] = permuteMask(s.mayCache[sp], perm);
        }
        Shootdown sd = s.shootdown;
        if (sd != null) {
            m.shootdown = new Shootdown(perm[sd.initiator()], sd.space(), sd.pages(), sd.old(), sd.asid(),
                    sd.unmap(), sd.delete(), permuteMask(sd.waiting(), perm));
        }
        return m.freeze();
    }

    private static int permuteMask(int mask, int[] perm) {
        int out = 0;
        for (int c = 0; c < perm.length; c++) {
            if ((mask & (1 << c)) != 0) {
                out |= 1 << perm[c];
            }
        }
        return out;
    }

    /** Entry e as a TLA+ record. */
    public String entryTla(int e) {
        return "[asid |-> " + k.entryTag(e) + ", vp |-> " + k.entryPage(e) + ", frame |-> " + k.entryFrame(e)
                + ", w |-> " + (k.entryWritable(e) ? "TRUE" : "FALSE") + "]";
    }

    private String pteTla(int pte) {
        return pte == TlbState.NONE ? k.noEntry()
                : "[frame |-> " + (pte >> 1) + ", w |-> " + ((pte & 1) != 0 ? "TRUE" : "FALSE") + "]";
    }

    private String cpuSet(int mask) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < cpus; c++) {
            if ((mask & (1 << c)) != 0) {
                out.add(k.cpus().get(c));
            }
        }
        return "{" + String.join(", ", out) + "}";
    }

    private static String fn(List<String> keys, List<String> values) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < keys.size(); i++) {
            b.append(i == 0 ? "" : " @@ ").append(keys.get(i)).append(" :> ").append(values.get(i));
        }
        return b.append(')').toString();
    }

    /** The state in TLA+ value syntax, variable by variable, as TLC prints the spec's state. */
    @Override
    public Map<String, String> render(TlbState s) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> pageKeys = new ArrayList<>();
        for (int v = 0; v < pages; v++) {
            pageKeys.add(Integer.toString(v));
        }
        List<String> pts = new ArrayList<>();
        for (int sp = 0; sp < spaces; sp++) {
            List<String> row = new ArrayList<>();
            for (int v = 0; v < pages; v++) {
                row.add(pteTla(s.pt[sp * pages + v]));
            }
            pts.add(fn(pageKeys, row));
        }
        out.put("pt", fn(k.spaces(), pts));
        List<String> frameKeys = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            frameKeys.add(Integer.toString(f));
            owners.add(s.owner[f] < 0 ? k.free() : k.spaces().get(s.owner[f]));
        }
        out.put("owner", fn(frameKeys, owners));
        List<String> tlbs = new ArrayList<>();
        List<String> running = new ArrayList<>();
        List<String> active = new ArrayList<>();
        for (int c = 0; c < cpus; c++) {
            List<String> entries = new ArrayList<>();
            for (long bits = s.tlb[c]; bits != 0; bits &= bits - 1) {
                entries.add(entryTla(Long.numberOfTrailingZeros(bits)));
            }
            tlbs.add("{" + String.join(", ", entries) + "}");
            running.add(s.running[c] < 0 ? k.idle() : k.spaces().get(s.running[c]));
            active.add(Integer.toString(s.active[c]));
        }
        out.put("tlb", fn(k.cpus(), tlbs));
        out.put("running", fn(k.cpus(), running));
        out.put("active", fn(k.cpus(), active));
        List<String> asids = new ArrayList<>();
        List<String> may = new ArrayList<>();
        for (int sp = 0; sp < spaces; sp++) {
            asids.add(Integer.toString(s.asid[sp]));
            may.add(cpuSet(s.mayCache[sp]));
        }
        out.put("asid", fn(k.spaces(), asids));
        out.put("mayCache", fn(k.spaces(), may));
        Shootdown sd = s.shootdown;
        if (sd == null) {
            out.put("shootdown", k.noShootdown());
        } else {
            List<String> olds = new ArrayList<>();
            for (int v = 0; v < pages; v++) {
                olds.add(pteTla(sd.old(v)));
            }
            out.put("shootdown", "[initiator |-> " + k.cpus().get(sd.initiator()) + ", space |-> "
                    + k.spaces().get(sd.space()) + ", pages |-> " + fpageTla(sd.pages()) + ", old |-> " + fn(pageKeys, olds)
                    + ", asid |-> " + sd.asid() + ", kind |-> " + (sd.delete() ? "\"delete\"" : sd.unmap() ? "\"unmap\"" : "\"downgrade\"")
                    + ", waiting |-> " + cpuSet(sd.waiting()) + "]");
        }
        return out;
    }
}
