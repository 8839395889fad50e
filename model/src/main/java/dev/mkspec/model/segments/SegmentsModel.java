package dev.mkspec.model.segments;

import static dev.mkspec.model.segments.SegmentsState.fromOf;
import static dev.mkspec.model.segments.SegmentsState.pack;
import static dev.mkspec.model.segments.SegmentsState.rightsOf;
import static dev.mkspec.model.segments.SegmentsState.selOf;
import static dev.mkspec.model.segments.SegmentsState.slotOf;

import dev.mkspec.check.Action;
import dev.mkspec.check.ActionProperty;
import dev.mkspec.check.ActionSchema;
import dev.mkspec.check.ActionSchema.Param;
import dev.mkspec.check.Fingerprint;
import dev.mkspec.check.Guard;
import dev.mkspec.check.Invariant;
import dev.mkspec.check.StateCodec;
import dev.mkspec.check.StateMachine;
import dev.mkspec.model.segments.SegmentsConstants.Op;
import dev.mkspec.model.segments.SegmentsState.Mutable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * The segment-table model: {@code Segments.tla} action for action, with the same names and the
 * same successors in the same number, so that its labelled state graph equals TLC's and its
 * generated-state count equals TLC's.
 *
 * <p>A far call lends the caller's registers; the far return restores them from the frame the
 * hardware keeps. Revocation and deletion take steps: the start removes the entries and fixes the
 * asking CPU, each other CPU answers its interrupt, and the kernel says done when all have.
 *
 * <p>Each action is one method that evaluates the spec's conjuncts as named guards and returns the
 * successor, or null at the first guard that is false: {@link #successors} runs it with
 * {@link Guard.Recorder#NONE}, {@link #guards} with a log, over the domains of
 * {@link #actionSchemas}.
 */
public final class SegmentsModel implements StateMachine<SegmentsState> {
    private final SegmentsConstants k;
    private final int nd;
    private final int nt;
    private final int nr;
    private final int sels;
    private final int segs;
    private final SegmentsBug bug;
    /** {@code SUBSET Rights} as masks, {@code {}} first: the domain of a grant's R. */
    private final int[] rightsSets;
    /** {@code Register}, packed, in increasing order: the domain of a restore's v. */
    private final int[] registers;
    private final List<ActionSchema> schemas;
    /** Whether each operation, by ordinal, is in {@code Ops}. */
    private final boolean[] ops;
    private final SegmentsStateCodec codec;

    public SegmentsModel(SegmentsConstants constants) {
        this.k = constants;
        this.nd = k.domainCount();
        this.nt = k.threadCount();
        this.nr = k.regCount();
        this.sels = k.sels();
        this.segs = k.segs();
        this.codec = new SegmentsStateCodec(k.slots(), nd * sels, nt, nr, nd);
        this.bug = k.bug();
        this.rightsSets = subsets(k.rights());
        this.registers = registers();
        this.schemas = schemas();
        this.ops = new boolean[Op.values().length];
        for (Op op : Op.values()) {
            ops[op.ordinal()] = k.has(op);
        }
    }

    public SegmentsConstants constants() {
        return k;
    }

    @Override
    public String name() {
        return "Segments";
    }

    private int entry(int d, int s) {
        return d * sels + s - 1;
    }

    // ------------------------------------------------------------------ Init

    @Override
    public List<SegmentsState> initialStates() {
        Mutable m = new Mutable();
        m.gstSeg = new int[k.slots()];
        m.gstOwner = new int[k.slots()];
        for (int i = 1; i <= k.slots(); i++) {
            m.gstSeg[i - 1] = i;
            m.gstOwner[i - 1] = k.firstOwner()[i - 1];
        }
        m.nextSeg = k.slots() + 1;
        m.vstSlot = new int[nd * sels];
        m.vstRights = new int[nd * sels];
        m.parent = new int[nd * sels];
        m.grantor = new int[nd * sels];
        Arrays.fill(m.parent, -1);
        Arrays.fill(m.grantor, -1);
        for (int i = 1; i <= k.slots(); i++) {
            int e = entry(k.firstOwner()[i - 1], i);
            m.vstSlot[e] = i;
            m.vstRights[e] = k.rights();
        }
        for (SegmentsConstants.FirstGrant g : k.firstGrants()) {
            int e = entry(g.d(), g.s());
            int owner = k.firstOwner()[g.slot() - 1];
            m.vstSlot[e] = g.slot();
            m.vstRights[e] = g.rights();
            m.parent[e] = entry(owner, g.slot());
            m.grantor[e] = owner;
        }
        m.dom = k.home().clone();
        m.reg = new int[nt * nr];
        m.stack = new int[nt][0];
        m.tlb = new long[nt];
        m.revBy = -1;
        m.spent = new int[nt];
        m.mem = new int[nd][0];
        m.ring = new int[0];
        m.srv = 0;
        return List.of(m.freeze());
    }

    // ------------------------------------------------------------------ Helpers

    private boolean used(SegmentsState s, int d, int sel) {
        return s.vstSlot[entry(d, sel)] != 0;
    }

    private boolean isRoot(SegmentsState s, int d, int sel) {
        return used(s, d, sel) && s.parent[entry(d, sel)] < 0;
    }

    /** What loading selector {@code sel} in domain {@code d} gives ({@code Translate}). */
    private int translate(SegmentsState s, int d, int sel) {
        if (bug == SegmentsBug.RAW_SELECTORS) {
            int data = k.rights() & SegmentsConstants.DATA;
            return sel >= 1 && sel <= k.slots() && s.gstSeg[sel - 1] != 0 && data != 0 ? pack(sel, data, d, sel) : 0;
        }
        if (sel == 0) {
            return 0;
        }
        int e = entry(d, sel);
        int data = s.vstRights[e] & SegmentsConstants.DATA;
        return s.vstSlot[e] == 0 || data == 0 ? 0 : pack(s.vstSlot[e], data, d, sel);
    }

    /** Whether a revocation that removed {@code gone} (and deleted {@code slot}, if not 0) must clear {@code v}. */
    private boolean hit(int v, long gone, int slot) {
        if (v == 0) {
            return false;
        }
        int from = fromOf(v);
        boolean viaGone = from >= 0 && selOf(v) >= 1 && (gone & (1L << entry(from, selOf(v)))) != 0;
        return viaGone || (slot != 0 && (slotOf(v) == slot || bug == SegmentsBug.DELETE_CLEARS_ALL));
    }

    private int cleared(int v) {
        return bug == SegmentsBug.NULL_KEEPS_HIDDEN ? v & ~7 : 0;
    }

    private void fixRegs(int[] regs, int at, long gone, int slot) {
        for (int r = 0; r < nr; r++) {
            if (hit(regs[at + r], gone, slot)) {
                regs[at + r] = cleared(regs[at + r]);
            }
        }
    }

    private int[] fixFrames(int[] st, long gone, int slot) {
        if (bug == SegmentsBug.REVOKE_MISSES_FRAMES) {
            return st;
        }
        int[] out = st.clone();
        for (int f = 0; f < out.length; f += 1 + nr) {
            fixRegs(out, f + 1, gone, slot);
        }
        return out;
    }

    /** The TLB bits of every translation of slot {@code slot}. */
    private long slotMask(int slot) {
        return ((1L << segs) - 1) << ((slot - 1) * segs);
    }

    /** The TLB bit of the translation of slot {@code slot} to segment {@code seg}. */
    private long tlbBit(int slot, int seg) {
        return 1L << ((slot - 1) * segs + seg - 1);
    }

    /** TLB bit {@code b} as the spec's pair {@code <<slot, seg>>}. */
    private String tlbEntryTla(int b) {
        return "<<" + (b / segs + 1) + ", " + (b % segs + 1) + ">>";
    }

    private long withoutSlot(long entries, int slot) {
        return entries & ~slotMask(slot);
    }

    private int depth(int[] st) {
        return st.length / (1 + nr);
    }

    private boolean mayCall(SegmentsState s, int t) {
        return s.dom[t] == k.home()[t] || (k.hostile() & (1 << s.dom[t])) != 0;
    }

    /** The entries derived from {@code e}, e included (one generation per round, as many rounds as entries). */
    private long subtree(SegmentsState s, int e) {
        long set = 1L << e;
        if (bug == SegmentsBug.REVOKE_SHALLOW) {
            return set;
        }
        for (int round = 0; round < nd * sels; round++) {
            long next = set;
            for (int x = 0; x < nd * sels; x++) {
                if (s.vstSlot[x] != 0 && s.parent[x] >= 0 && (set & (1L << s.parent[x])) != 0) {
                    next |= 1L << x;
                }
            }
            set = next;
        }
        return set;
    }

    // ------------------------------------------------------------------ Next

    /**
     * Every instance of every disjunct of {@code Next} whose guards hold, in the order of
     * {@link #actionSchemas} within each thread. Each action's method evaluates its guards with
     * {@link Guard.Recorder#NONE}, the code {@link #guards} runs with a log. A register restored
     * and a translation evicted range over {@code mem[dom[t]]} and {@code tlb[t]} here, not their
     * whole domains: the others' guard {@code v \in mem[dom[t]]} or {@code e \in tlb[t]} is false.
     */
    @Override
    public void successors(SegmentsState s, Successors<SegmentsState> out) {
        Guard.Recorder g = Guard.Recorder.NONE;
        SegmentsState n;
        for (int t = 0; t < nt; t++) {
            for (int r = 0; r < nr; r++) {
                regLoads(s, t, r, out);
                if ((n = tlbFill(s, t, r, g)) != null) {
                    out.add(Action.of("TlbFill", th(t), rg(r)), n);
                }
                if ((n = regSave(s, t, r, g)) != null) {
                    out.add(Action.of("RegSave", th(t), rg(r)), n);
                }
                regRestores(s, t, r, out);
                grantsFromReg(s, t, r, out);
            }
            tlbEvicts(s, t, out);
            farCalls(s, t, out);
            if ((n = farReturn(s, t, g)) != null) {
                out.add(Action.of("FarReturn", th(t)), n);
            }
            if ((n = budgetTick(s, t, g)) != null) {
                out.add(Action.of("BudgetTick", th(t)), n);
            }
            if ((n = callAbort(s, t, g)) != null) {
                out.add(Action.of("CallAbort", th(t)), n);
            }
            grantEntries(s, t, out);
            segCreates(s, t, out);
            segRevokes(s, t, out);
            segDeletes(s, t, out);
            if ((n = revAnswer(s, t, g)) != null) {
                out.add(Action.of("RevAnswer", th(t)), n);
            }
            if ((n = revDone(s, t, g)) != null) {
                out.add(Action.of("RevDone", th(t)), n);
            }
            if ((n = ringPut(s, t, g)) != null) {
                out.add(Action.of("RingPut", th(t)), n);
            }
        }
        if ((n = serverTake(s, g)) != null) {
            out.add(Action.of("ServerTake"), n);
        }
        if ((n = serverClear(s, g)) != null) {
            out.add(Action.of("ServerClear"), n);
        }
        if ((n = serverLook(s, g)) != null) {
            out.add(Action.of("ServerLook"), n);
        }
        if ((n = serverSleep(s, g)) != null) {
            out.add(Action.of("ServerSleep"), n);
        }
    }

    // The instances of the actions with parameters beyond the thread, each loop in a method of its
    // own (so that the JIT compiles each with its action inlined). A loop stops early once a guard
    // its action begins with (asks, grantEntrySource, grantTarget, grantFromRegSource) fails for
    // the instances left: the action evaluates that guard again, so the loop only skips nulls.

    private void regLoads(SegmentsState s, int t, int r, Successors<SegmentsState> out) {
        Guard.Recorder g = Guard.Recorder.NONE;
        for (int sel = 0; sel <= sels && asks(s, t, Op.LOAD, g); sel++) {
            SegmentsState n = regLoad(s, t, r, sel, g);
            if (n != null) {
                out.add(Action.of("RegLoad", th(t), rg(r), sel), n);
            }
        }
    }

    private void regRestores(SegmentsState s, int t, int r, Successors<SegmentsState> out) {
        Guard.Recorder g = Guard.Recorder.NONE;
        int[] saved = s.mem[s.dom[t]];
        for (int i = 0; i < saved.length && asks(s, t, Op.SPILL, g); i++) {
            SegmentsState n = regRestore(s, t, r, saved[i], g);
            if (n != null) {
                out.add(Action.of("RegRestore", th(t), rg(r), regTla(saved[i])), n);
            }
        }
    }

    private void grantsFromReg(SegmentsState s, int t, int r, Successors<SegmentsState> out) {
        Guard.Recorder g = Guard.Recorder.NONE;
        for (int d2 = 0; d2 < nd && grantFromRegSource(s, t, r, g); d2++) {
            for (int s2 = 1; s2 <= sels; s2++) {
                for (int rights : rightsSets) {
                    SegmentsState n = grantFromReg(s, t, r, d2, s2, rights, g);
                    if (n != null) {
                        out.add(Action.of("GrantFromReg", th(t), rg(r), k.domains().get(d2), s2,
                                SegmentsConstants.rightsTla(rights)), n);
                    }
                }
            }
        }
    }

    private void tlbEvicts(SegmentsState s, int t, Successors<SegmentsState> out) {
        for (long bits = s.tlb[t]; bits != 0; bits &= bits - 1) {
            int b = Long.numberOfTrailingZeros(bits);
            SegmentsState n = tlbEvict(s, t, b, Guard.Recorder.NONE);
            if (n != null) {
                out.add(Action.of("TlbEvict", th(t), tlbEntryTla(b)), n);
            }
        }
    }

    private void farCalls(SegmentsState s, int t, Successors<SegmentsState> out) {
        Guard.Recorder g = Guard.Recorder.NONE;
        for (int sel = 1; sel <= sels && asks(s, t, Op.CALL, g); sel++) {
            SegmentsState n = farCall(s, t, sel, g);
            if (n != null) {
                out.add(Action.of("FarCall", th(t), sel), n);
            }
        }
    }

    private void grantEntries(SegmentsState s, int t, Successors<SegmentsState> out) {
        Guard.Recorder g = Guard.Recorder.NONE;
        for (int sel = 1; sel <= sels; sel++) {
            for (int d2 = 0; d2 < nd && grantEntrySource(s, t, sel, g); d2++) {
                for (int s2 = 1; s2 <= sels; s2++) {
                    for (int j = 0; j < rightsSets.length && grantTarget(s, t, d2, s2, g); j++) {
                        SegmentsState n = grantEntry(s, t, sel, d2, s2, rightsSets[j], g);
                        if (n != null) {
                            out.add(Action.of("GrantEntry", th(t), sel, k.domains().get(d2), s2,
                                    SegmentsConstants.rightsTla(rightsSets[j])), n);
                        }
                    }
                }
            }
        }
    }

    private void segCreates(SegmentsState s, int t, Successors<SegmentsState> out) {
        Guard.Recorder g = Guard.Recorder.NONE;
        for (int i = 1; i <= k.slots() && asks(s, t, Op.CREATE, g); i++) {
            for (int sel = 1; sel <= sels; sel++) {
                SegmentsState n = segCreate(s, t, i, sel, g);
                if (n != null) {
                    out.add(Action.of("SegCreate", th(t), i, sel), n);
                }
            }
        }
    }

    private void segRevokes(SegmentsState s, int t, Successors<SegmentsState> out) {
        Guard.Recorder g = Guard.Recorder.NONE;
        for (int d2 = 0; d2 < nd && asks(s, t, Op.REVOKE, g); d2++) {
            for (int sel = 1; sel <= sels; sel++) {
                SegmentsState n = segRevoke(s, t, d2, sel, g);
                if (n != null) {
                    out.add(Action.of("SegRevoke", th(t), k.domains().get(d2), sel), n);
                }
            }
        }
    }

    private void segDeletes(SegmentsState s, int t, Successors<SegmentsState> out) {
        Guard.Recorder g = Guard.Recorder.NONE;
        for (int sel = 1; sel <= sels && asks(s, t, Op.DELETE, g); sel++) {
            SegmentsState n = segDelete(s, t, sel, g);
            if (n != null) {
                out.add(Action.of("SegDelete", th(t), sel), n);
            }
        }
    }

    private String th(int t) {
        return k.threads().get(t);
    }

    private String rg(int r) {
        return "\"" + k.regs().get(r) + "\"";
    }

    // ------------------------------------------------------------------ Action schemas and guards

    /**
     * The 21 disjuncts of the spec's {@code Next}, each argument over its whole domain at the
     * constants, whatever {@code Ops}, {@code Budget} and {@code Server} allow (the guards
     * {@code "op" \in Ops}, {@code Budget > 0} and {@code Server # NoThread} say what they refuse):
     * threads, registers, {@code AllSels} for a load and {@code Sels} elsewhere, every
     * {@code Register} for a restore, domains, {@code SUBSET Rights} ({@code {}} included) for a
     * grant, {@code Slots \X SegIds} for an eviction, and {@code Slots} for a creation.
     */
    @Override
    public List<ActionSchema> actionSchemas() {
        return schemas;
    }

    private List<ActionSchema> schemas() {
        Param t = new Param("t", k.threads());
        List<String> regNames = new ArrayList<>();
        for (int r = 0; r < nr; r++) {
            regNames.add(rg(r));
        }
        Param r = new Param("r", regNames);
        List<String> allSels = new ArrayList<>();
        for (int sel = 0; sel <= sels; sel++) {
            allSels.add(Integer.toString(sel));
        }
        Param sel = new Param("s", allSels.subList(1, allSels.size()));
        Param d2 = new Param("d2", k.domains());
        Param s2 = new Param("s2", allSels.subList(1, allSels.size()));
        Param rights = new Param("R", Arrays.stream(rightsSets).mapToObj(SegmentsConstants::rightsTla).toList());
        List<String> entries = new ArrayList<>();
        for (int b = 0; b < k.slots() * segs; b++) {
            entries.add(tlbEntryTla(b));
        }
        List<String> slots = new ArrayList<>();
        for (int i = 1; i <= k.slots(); i++) {
            slots.add(Integer.toString(i));
        }
        return List.of(
                ActionSchema.of("RegLoad", t, r, new Param("s", allSels)),
                ActionSchema.of("TlbFill", t, r),
                ActionSchema.of("RegSave", t, r),
                ActionSchema.of("RegRestore", t, r,
                        new Param("v", Arrays.stream(registers).mapToObj(this::regTla).toList())),
                ActionSchema.of("GrantFromReg", t, r, d2, s2, rights),
                ActionSchema.of("TlbEvict", t, new Param("e", entries)),
                ActionSchema.of("FarCall", t, sel),
                ActionSchema.of("FarReturn", t),
                ActionSchema.of("BudgetTick", t),
                ActionSchema.of("CallAbort", t),
                ActionSchema.of("GrantEntry", t, sel, d2, s2, rights),
                ActionSchema.of("SegCreate", t, new Param("i", slots), sel),
                ActionSchema.of("SegRevoke", t, d2, sel),
                ActionSchema.of("SegDelete", t, sel),
                ActionSchema.of("RevAnswer", new Param("u", k.threads())),
                ActionSchema.of("RevDone", t),
                ActionSchema.of("RingPut", t),
                ActionSchema.of("ServerTake"),
                ActionSchema.of("ServerClear"),
                ActionSchema.of("ServerLook"),
                ActionSchema.of("ServerSleep"));
    }

    /** {@code SUBSET Rights}, as masks in increasing order: {@code {}} first. */
    private static int[] subsets(int rights) {
        return java.util.stream.IntStream.rangeClosed(0, rights).filter(x -> (x & ~rights) == 0).toArray();
    }

    /**
     * {@code Register}, packed, in increasing order (the order of a sorted {@code mem[d]}):
     * {@code [slot : 0..NSlots, rights : SUBSET DataRights, from : Domains \cup {NoDomain}, sel : AllSels]}.
     */
    private int[] registers() {
        int[] data = subsets(k.rights() & SegmentsConstants.DATA);
        List<Integer> out = new ArrayList<>();
        for (int sel = 0; sel <= sels; sel++) {
            for (int from = -1; from < nd; from++) {
                for (int rights : data) {
                    for (int slot = 0; slot <= k.slots(); slot++) {
                        out.add(pack(slot, rights, from, sel));
                    }
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The guards of the action, evaluated by the code {@link #successors} runs, in the order of
     * the spec's conjuncts: {@code "op" \in Ops} and {@code ~Busy(t)} first where the action has
     * them, then its own (but GrantEntry checks its target, {@code d2 # dom[t]} and
     * {@code ~Used(d2, s2)}, before its rights, so that no rights are tried for a selector in
     * use). A conjunct of a {@code LET} is named with the definition substituted
     * ({@code reg[t][r].slot # 0} for TlbFill's {@code i}); {@code ServerHome} is named conjunct
     * by conjunct. The bug variants that change a guard name theirs: {@code revoke_returns_early}
     * has no {@code ~Busy} guard (its {@code Busy} is FALSE), {@code callee_copies_lent},
     * {@code grant_full_only} and {@code abort_early} add or change one, marked {@code (bug ...)}.
     */
    @Override
    public Optional<List<Guard>> guards(SegmentsState s, Action a) {
        int[] p = ActionSchema.named(schemas, a.name()).positions(a);
        Guard.Log log = new Guard.Log();
        switch (a.name()) {
            case "RegLoad" -> regLoad(s, p[0], p[1], p[2], log);
            case "TlbFill" -> tlbFill(s, p[0], p[1], log);
            case "RegSave" -> regSave(s, p[0], p[1], log);
            case "RegRestore" -> regRestore(s, p[0], p[1], registers[p[2]], log);
            case "GrantFromReg" -> grantFromReg(s, p[0], p[1], p[2], p[3] + 1, rightsSets[p[4]], log);
            case "TlbEvict" -> tlbEvict(s, p[0], p[1], log);
            case "FarCall" -> farCall(s, p[0], p[1] + 1, log);
            case "FarReturn" -> farReturn(s, p[0], log);
            case "BudgetTick" -> budgetTick(s, p[0], log);
            case "CallAbort" -> callAbort(s, p[0], log);
            case "GrantEntry" -> grantEntry(s, p[0], p[1] + 1, p[2], p[3] + 1, rightsSets[p[4]], log);
            case "SegCreate" -> segCreate(s, p[0], p[1] + 1, p[2] + 1, log);
            case "SegRevoke" -> segRevoke(s, p[0], p[1], p[2] + 1, log);
            case "SegDelete" -> segDelete(s, p[0], p[1] + 1, log);
            case "RevAnswer" -> revAnswer(s, p[0], log);
            case "RevDone" -> revDone(s, p[0], log);
            case "RingPut" -> ringPut(s, p[0], log);
            case "ServerTake" -> serverTake(s, log);
            case "ServerClear" -> serverClear(s, log);
            case "ServerLook" -> serverLook(s, log);
            case "ServerSleep" -> serverSleep(s, log);
            default -> throw new IllegalStateException("a schema without guards: " + a.name());
        }
        return Optional.of(log.guards());
    }

    /** {@code "op" \in Ops} for each operation, by ordinal: constants, so that the hot path builds no string. */
    private static final String[] IN_OPS = Arrays.stream(Op.values())
            .map(op -> "\"" + op.specName() + "\" \\in Ops").toArray(String[]::new);
    private static final String NOT_BUSY = "~Busy(t)";
    private static final String STACK_NONEMPTY = "stack[t] # <<>>";
    private static final String BUDGET = "Budget > 0";
    private static final String R_NONEMPTY = "R # {}";
    private static final String NO_REV = "rev = NoRev";

    /**
     * The guards every operation of thread t in {@code Ops} begins with, {@code "op" \in Ops} and
     * {@code ~Busy(t)}. {@link #successors} tries no instance of the operation for t when they fail.
     */
    private boolean asks(SegmentsState s, int t, Op op, Guard.Recorder g) {
        return inOps(op, g) && notBusy(s, t, NOT_BUSY, g);
    }

    /** The guard {@code "op" \in Ops}. */
    private boolean inOps(Op op, Guard.Recorder g) {
        return g.check(IN_OPS[op.ordinal()], ops[op.ordinal()]);
    }

    /**
     * The guard {@code ~Busy(t)} (named {@code name}: {@code ~Busy(t)}, or {@code ~Busy(Server)}
     * for the server): t is not waiting for the revocation it asked for. With the bug
     * {@code revoke_returns_early}, {@code Busy} is FALSE and there is no such guard.
     */
    private boolean notBusy(SegmentsState s, int t, String name, Guard.Recorder g) {
        return bug == SegmentsBug.REVOKE_RETURNS_EARLY || g.check(name, s.revBy != t);
    }

    // ------------------------------------------------------------------ The actions
    // Each returns the successor, or null at the first guard that is false, reporting its guards to g.

    /** {@code RegLoad(t, r, s)}: t loads register r with selector s (0 clears it) through its domain's Vst. */
    private SegmentsState regLoad(SegmentsState s, int t, int r, int sel, Guard.Recorder g) {
        if (!asks(s, t, Op.LOAD, g)) {
            return null;
        }
        Mutable m = s.edit();
        m.reg[t * nr + r] = translate(s, s.dom[t], sel);
        return m.freeze();
    }

    /** {@code TlbFill(t, r)}: t's CPU caches the translation of the slot register r holds. */
    private SegmentsState tlbFill(SegmentsState s, int t, int r, Guard.Recorder g) {
        int i = slotOf(s.reg[t * nr + r]);
        if (!asks(s, t, Op.TLB, g) || !g.check("reg[t][r].slot # 0", i != 0)
                || !g.check("gst[reg[t][r].slot].seg # 0", s.gstSeg[i - 1] != 0)
                || !g.check("\\A e \\in tlb[t] : e[1] # reg[t][r].slot", (s.tlb[t] & slotMask(i)) == 0)) {
            return null;
        }
        Mutable m = s.edit();
        m.tlb[t] |= tlbBit(i, s.gstSeg[i - 1]);
        return m.freeze();
    }

    /** {@code TlbEvict(t, e)}, the entry {@code e} a TLB bit: t's CPU drops a cached translation. */
    private SegmentsState tlbEvict(SegmentsState s, int t, int b, Guard.Recorder g) {
        if (!g.check("e \\in tlb[t]", (s.tlb[t] & (1L << b)) != 0)) {
            return null;
        }
        Mutable m = s.edit();
        m.tlb[t] &= ~(1L << b);
        return m.freeze();
    }

    /** {@code RegSave(t, r)}: t saves register r in its domain's memory (its selector; with the bug, all of it). */
    private SegmentsState regSave(SegmentsState s, int t, int r, Guard.Recorder g) {
        int v = s.reg[t * nr + r];
        if (!asks(s, t, Op.SPILL, g) || !g.check("reg[t][r] # Null", v != 0)) {
            return null;
        }
        int saved = bug == SegmentsBug.LENT_SURVIVES_RETURN ? v : pack(0, 0, -1, selOf(v));
        Mutable m = s.edit();
        m.mem[s.dom[t]] = withElement(s.mem[s.dom[t]], saved);
        return m.freeze();
    }

    private static int[] withElement(int[] sorted, int x) {
        if (Arrays.binarySearch(sorted, x) >= 0) {
            return sorted;
        }
        int[] out = Arrays.copyOf(sorted, sorted.length + 1);
        out[sorted.length] = x;
        Arrays.sort(out);
        return out;
    }

    /**
     * {@code RegRestore(t, r, v)}: t reloads register r from the saved value v, translating its
     * selector now (with the bug, taking v as it was).
     */
    private SegmentsState regRestore(SegmentsState s, int t, int r, int v, Guard.Recorder g) {
        if (!asks(s, t, Op.SPILL, g)
                || !g.check("v \\in mem[dom[t]]", Arrays.binarySearch(s.mem[s.dom[t]], v) >= 0)) {
            return null;
        }
        Mutable m = s.edit();
        m.reg[t * nr + r] = bug == SegmentsBug.LENT_SURVIVES_RETURN ? v : translate(s, s.dom[t], selOf(v));
        return m.freeze();
    }

    /** {@code FarCall(t, s)}: t enters the domain of the owner of the segment selector s names, lending its registers. */
    private SegmentsState farCall(SegmentsState s, int t, int sel, Guard.Recorder g) {
        int e = entry(s.dom[t], sel);
        if (!asks(s, t, Op.CALL, g) || !g.check("MayCall(t)", mayCall(s, t))
                || !g.check("Len(stack[t]) < MaxDepth", depth(s.stack[t]) < k.maxDepth())
                || !g.check("\"c\" \\in vst[dom[t]][s].rights", (s.vstRights[e] & SegmentsConstants.C) != 0)) {
            return null;
        }
        int callee = s.gstOwner[s.vstSlot[e] - 1];
        if (!g.check("gst[vst[dom[t]][s].slot].owner \\notin {dom[t], NoDomain}", callee >= 0 && callee != s.dom[t])) {
            return null;
        }
        Mutable m = s.edit();
        int[] st = Arrays.copyOf(s.stack[t], s.stack[t].length + 1 + nr);
        st[s.stack[t].length] = s.dom[t];
        System.arraycopy(s.reg, t * nr, st, s.stack[t].length + 1, nr);
        m.stack[t] = st;
        m.dom[t] = callee;
        if (depth(s.stack[t]) == 0 || bug == SegmentsBug.BUDGET_PER_CALL) {
            m.spent[t] = 0;
        }
        return m.freeze();
    }

    /** {@code FarReturn(t)}: t returns from its last far call to the frame's domain and registers. */
    private SegmentsState farReturn(SegmentsState s, int t, Guard.Recorder g) {
        int[] st = s.stack[t];
        if (!notBusy(s, t, NOT_BUSY, g) || !g.check(STACK_NONEMPTY, st.length != 0)
                || !g.check("dom[t] \\notin Hostile", (k.hostile() & (1 << s.dom[t])) == 0)) {
            return null;
        }
        int top = st.length - 1 - nr;
        Mutable m = s.edit();
        m.dom[t] = st[top];
        if (bug != SegmentsBug.RETURN_KEEPS_REGISTERS) {
            System.arraycopy(st, top + 1, m.reg, t * nr, nr);
        }
        m.stack[t] = Arrays.copyOf(st, top);
        if (depth(st) == 1) {
            m.spent[t] = 0;
        }
        return m.freeze();
    }

    /** {@code BudgetTick(t)}: a timer tick while t is away from home counts against its budget. */
    private SegmentsState budgetTick(SegmentsState s, int t, Guard.Recorder g) {
        if (!g.check(BUDGET, k.budget() > 0) || !g.check(STACK_NONEMPTY, s.stack[t].length > 0)
                || !g.check("spent[t] < Budget", s.spent[t] < k.budget())) {
            return null;
        }
        Mutable m = s.edit();
        m.spent[t]++;
        return m.freeze();
    }

    /** {@code CallAbort(t)}: the budget is spent; the kernel returns t home with the registers of its first call. */
    private SegmentsState callAbort(SegmentsState s, int t, Guard.Recorder g) {
        if (!g.check(BUDGET, k.budget() > 0) || !notBusy(s, t, NOT_BUSY, g)
                || !g.check(STACK_NONEMPTY, s.stack[t].length > 0)) {
            return null;
        }
        boolean spentEnough = bug == SegmentsBug.ABORT_EARLY
                ? g.check("spent[t] >= Budget - 1 (bug abort_early)", s.spent[t] >= k.budget() - 1)
                : g.check("spent[t] >= Budget", s.spent[t] >= k.budget());
        if (!spentEnough) {
            return null;
        }
        Mutable m = s.edit();
        m.dom[t] = s.stack[t][0];
        System.arraycopy(s.stack[t], 1, m.reg, t * nr, nr);
        m.stack[t] = new int[0];
        m.spent[t] = 0;
        return m.freeze();
    }

    private void grant(Mutable m, int target, int slot, int rights, int parentEntry, int asker) {
        m.vstSlot[target] = slot;
        m.vstRights[target] = rights;
        m.parent[target] = parentEntry;
        m.grantor[target] = asker;
    }

    /**
     * The guards of {@code GrantEntry(t, s, ...)} that do not depend on the target and rights,
     * which it evaluates first: {@link #successors} tries no target of an entry that fails them.
     */
    private boolean grantEntrySource(SegmentsState s, int t, int sel, Guard.Recorder g) {
        boolean asked = bug == SegmentsBug.GRANT_WHILE_REVOKING ? inOps(Op.GRANT, g) : asks(s, t, Op.GRANT, g);
        return asked && g.check("Used(dom[t], s)", used(s, s.dom[t], sel));
    }

    /** The guards of {@code GrantEntry(t, s, d2, s2, R)} on its target: another domain's free selector. */
    private boolean grantTarget(SegmentsState s, int t, int d2, int s2, Guard.Recorder g) {
        return g.check("d2 # dom[t]", d2 != s.dom[t]) && g.check("~Used(d2, s2)", !used(s, d2, s2));
    }

    /** {@code GrantEntry(t, s, d2, s2, R)}: t's domain grants its entry s to d2's free selector s2 with rights R. */
    private SegmentsState grantEntry(SegmentsState s, int t, int sel, int d2, int s2, int rights, Guard.Recorder g) {
        int d = s.dom[t];
        int e = entry(d, sel);
        if (!grantEntrySource(s, t, sel, g) || !grantTarget(s, t, d2, s2, g) || !g.check(R_NONEMPTY, rights != 0)
                || !g.check("R \\subseteq vst[dom[t]][s].rights", (rights & ~s.vstRights[e]) == 0)) {
            return null;
        }
        if (bug == SegmentsBug.GRANT_FULL_ONLY
                && !g.check("R = vst[dom[t]][s].rights (bug grant_full_only)", rights == s.vstRights[e])) {
            return null;
        }
        Mutable m = s.edit();
        grant(m, entry(d2, s2), s.vstSlot[e], rights, e, d);
        return m.freeze();
    }

    /**
     * The guards of {@code GrantFromReg(t, r, ...)} that do not depend on the target and rights,
     * which it evaluates first: the register is loaded and (but with the bug
     * {@code callee_copies_lent}) through an entry of t's domain that still names its slot.
     * {@link #successors} tries no target for a register that fails them.
     */
    private boolean grantFromRegSource(SegmentsState s, int t, int r, Guard.Recorder g) {
        int v = s.reg[t * nr + r];
        if (!asks(s, t, Op.GRANTREG, g) || !g.check("reg[t][r] # Null", v != 0)) {
            return false;
        }
        return bug == SegmentsBug.CALLEE_COPIES_LENT
                || g.check("reg[t][r].from = dom[t]", fromOf(v) == s.dom[t])
                        && g.check("vst[dom[t]][reg[t][r].sel].slot = reg[t][r].slot",
                                selOf(v) >= 1 && s.vstSlot[entry(fromOf(v), selOf(v))] == slotOf(v));
    }

    /**
     * {@code GrantFromReg(t, r, d2, s2, R)}: the same, naming the entry by the register loaded
     * through it, which must be t's domain's own and still name the register's slot (with the bug,
     * any loaded register, and at most its rights).
     */
    private SegmentsState grantFromReg(SegmentsState s, int t, int r, int d2, int s2, int rights, Guard.Recorder g) {
        int v = s.reg[t * nr + r];
        if (!grantFromRegSource(s, t, r, g) || !g.check(R_NONEMPTY, rights != 0)) {
            return null;
        }
        boolean within = bug == SegmentsBug.CALLEE_COPIES_LENT
                ? g.check("R \\subseteq reg[t][r].rights (bug callee_copies_lent)", (rights & ~rightsOf(v)) == 0)
                : g.check("R \\subseteq vst[dom[t]][reg[t][r].sel].rights",
                        (rights & ~s.vstRights[entry(fromOf(v), selOf(v))]) == 0);
        if (!within || !g.check("~Used(d2, s2)", !used(s, d2, s2))) {
            return null;
        }
        int parentEntry = fromOf(v) >= 0 && selOf(v) >= 1 ? entry(fromOf(v), selOf(v)) : -1;
        Mutable m = s.edit();
        grant(m, entry(d2, s2), slotOf(v), rights, parentEntry, s.dom[t]);
        return m.freeze();
    }

    /** {@code SegCreate(t, i, s)}: t's domain, at home, makes a segment in the free slot i at its free selector s. */
    private SegmentsState segCreate(SegmentsState s, int t, int i, int sel, Guard.Recorder g) {
        int d = s.dom[t];
        if (!asks(s, t, Op.CREATE, g) || !g.check("dom[t] = Home[t]", d == k.home()[t])
                || !g.check("gst[i].seg = 0", s.gstSeg[i - 1] == 0) || !g.check("nextSeg <= NSegs", s.nextSeg <= segs)
                || !g.check("~Used(dom[t], s)", !used(s, d, sel))) {
            return null;
        }
        Mutable m = s.edit();
        m.gstSeg[i - 1] = s.nextSeg;
        m.gstOwner[i - 1] = d;
        m.nextSeg = s.nextSeg + 1;
        m.vstSlot[entry(d, sel)] = i;
        m.vstRights[entry(d, sel)] = k.rights();
        return m.freeze();
    }

    /** RevStart: remove {@code gone}, fix t's registers, frames and (for a deletion) TLB, interrupt the others. */
    private SegmentsState revStart(SegmentsState s, int t, long gone, int slot) {
        Mutable m = s.edit();
        for (int e = 0; e < nd * sels; e++) {
            if ((gone & (1L << e)) != 0) {
                m.vstSlot[e] = 0;
                m.vstRights[e] = 0;
                m.parent[e] = -1;
                m.grantor[e] = -1;
            }
        }
        fixRegs(m.reg, t * nr, gone, slot);
        m.stack[t] = fixFrames(s.stack[t], gone, slot);
        if (slot != 0) {
            m.tlb[t] = withoutSlot(s.tlb[t], slot);
        }
        m.revBy = t;
        m.revGone = gone;
        m.revSlot = slot;
        m.revPending = bug == SegmentsBug.REVOKE_LOCAL_ONLY ? 0 : ((1 << nt) - 1) & ~(1 << t);
        return m.freeze();
    }

    /** {@code SegRevoke(t, d2, s)}: the owner revokes entry s of domain d2 and everything derived from it. */
    private SegmentsState segRevoke(SegmentsState s, int t, int d2, int sel, Guard.Recorder g) {
        int e = entry(d2, sel);
        if (!asks(s, t, Op.REVOKE, g) || !g.check(NO_REV, s.revBy < 0)
                || !g.check("Used(d2, s)", s.vstSlot[e] != 0) || !g.check("~IsRoot(d2, s)", s.parent[e] >= 0)
                || !g.check("gst[vst[d2][s].slot].owner = dom[t]", s.gstOwner[s.vstSlot[e] - 1] == s.dom[t])) {
            return null;
        }
        return revStart(s, t, subtree(s, e), 0);
    }

    /** {@code SegDelete(t, s)}: the owner deletes the segment of its root entry s; every entry naming its slot goes. */
    private SegmentsState segDelete(SegmentsState s, int t, int sel, Guard.Recorder g) {
        int d = s.dom[t];
        int e = entry(d, sel);
        if (!asks(s, t, Op.DELETE, g) || !g.check(NO_REV, s.revBy < 0)
                || !g.check("IsRoot(dom[t], s)", isRoot(s, d, sel))
                || !g.check("gst[vst[dom[t]][s].slot].owner = dom[t]", s.gstOwner[s.vstSlot[e] - 1] == d)) {
            return null;
        }
        int i = s.vstSlot[e];
        long gone = 0;
        for (int x = 0; x < nd * sels; x++) {
            if (s.vstSlot[x] == i) {
                gone |= 1L << x;
            }
        }
        return revStart(s, t, gone, i);
    }

    /** {@code RevAnswer(u)}: the interrupt on u's CPU clears what the revocation removed. */
    private SegmentsState revAnswer(SegmentsState s, int u, Guard.Recorder g) {
        if (!g.check("u \\in rev.pending", (s.revPending & (1 << u)) != 0)) {
            return null;
        }
        Mutable m = s.edit();
        fixRegs(m.reg, u * nr, s.revGone, s.revSlot);
        m.stack[u] = fixFrames(s.stack[u], s.revGone, s.revSlot);
        if (s.revSlot != 0 && bug != SegmentsBug.DELETE_NO_SHOOTDOWN) {
            m.tlb[u] = withoutSlot(s.tlb[u], s.revSlot);
        }
        m.revPending = s.revPending & ~(1 << u);
        return m.freeze();
    }

    /** {@code RevDone(t)}: every CPU answered; the kernel returns to the asker, and a deleted slot is free. */
    private SegmentsState revDone(SegmentsState s, int t, Guard.Recorder g) {
        if (!g.check("rev.by = t", s.revBy == t) || !g.check("rev.pending = {}", s.revPending == 0)) {
            return null;
        }
        Mutable m = s.edit();
        if (s.revSlot != 0) {
            m.gstSeg[s.revSlot - 1] = 0;
            m.gstOwner[s.revSlot - 1] = -1;
        }
        m.revBy = -1;
        m.revGone = 0;
        m.revSlot = 0;
        m.revPending = 0;
        return m.freeze();
    }

    /** {@code RingPut(t)}: a client's thread, in the ring's domain after a far call, puts a request and sets the flag. */
    private SegmentsState ringPut(SegmentsState s, int t, Guard.Recorder g) {
        if (!asks(s, t, Op.RING, g) || !g.check("t # Server", t != k.server())
                || !g.check("dom[t] = RingDom", s.dom[t] == k.ringDomain())
                || !g.check(STACK_NONEMPTY, s.stack[t].length != 0) || !g.check("issued < NReq", s.issued < k.requests())) {
            return null;
        }
        Mutable m = s.edit();
        m.ring = Arrays.copyOf(s.ring, s.ring.length + 1);
        m.ring[s.ring.length] = s.issued + 1;
        m.issued = s.issued + 1;
        m.flag = true;
        if (s.srv == 3) {
            m.srv = 0;
        }
        return m.freeze();
    }

    /** {@code ServerHome}, conjunct by conjunct: the server is at home, not waiting, and not in a far call. */
    private boolean serverHome(SegmentsState s, Guard.Recorder g) {
        int sv = k.server();
        return g.check("Server # NoThread", sv >= 0) && notBusy(s, sv, "~Busy(Server)", g)
                && g.check("dom[Server] = RingDom", s.dom[sv] == k.ringDomain())
                && g.check("stack[Server] = <<>>", s.stack[sv].length == 0);
    }

    private static final String SRV_RUN = "srv = \"run\"";

    /** {@code ServerTake}: the server takes the oldest request. */
    private SegmentsState serverTake(SegmentsState s, Guard.Recorder g) {
        if (!serverHome(s, g) || !g.check(SRV_RUN, s.srv == 0) || !g.check("ring # <<>>", s.ring.length > 0)) {
            return null;
        }
        Mutable m = s.edit();
        m.served = s.served | 1 << (s.ring[0] - 1);
        m.ring = Arrays.copyOfRange(s.ring, 1, s.ring.length);
        return m.freeze();
    }

    /** {@code ServerClear}: the ring is empty; the server clears the flag before it looks again. */
    private SegmentsState serverClear(SegmentsState s, Guard.Recorder g) {
        if (!serverHome(s, g) || !g.check(SRV_RUN, s.srv == 0) || !g.check("ring = <<>>", s.ring.length == 0)) {
            return null;
        }
        Mutable m = s.edit();
        m.flag = false;
        m.srv = 1;
        return m.freeze();
    }

    /** {@code ServerLook}: the server looks at the ring again: work, or it means to sleep. */
    private SegmentsState serverLook(SegmentsState s, Guard.Recorder g) {
        if (!serverHome(s, g) || !g.check("srv = \"check\"", s.srv == 1)) {
            return null;
        }
        Mutable m = s.edit();
        m.srv = s.ring.length > 0 ? 0 : 2;
        return m.freeze();
    }

    /** {@code ServerSleep}: the server asks the kernel to sleep unless the flag is set. */
    private SegmentsState serverSleep(SegmentsState s, Guard.Recorder g) {
        if (!serverHome(s, g) || !g.check("srv = \"sleepy\"", s.srv == 2)) {
            return null;
        }
        Mutable m = s.edit();
        m.srv = bug == SegmentsBug.SERVER_POLLS ? 0 : s.flag && bug != SegmentsBug.SLEEP_IGNORES_FLAG ? 0 : 3;
        return m.freeze();
    }

    // ------------------------------------------------------------------ Properties

    /** The domains of thread t's call chain up to frame {@code frames} (all frames and the current domain if -1). */
    private int chain(SegmentsState s, int t, int frames) {
        int[] st = s.stack[t];
        int mask = frames < 0 ? 1 << s.dom[t] : 0;
        int n = frames < 0 ? depth(st) : frames;
        for (int f = 0; f < n; f++) {
            mask |= 1 << st[f * (1 + nr)];
        }
        return mask;
    }

    private boolean holds(SegmentsState s, int d, int slot, int rights) {
        for (int sel = 1; sel <= sels; sel++) {
            int e = entry(d, sel);
            if (s.vstSlot[e] == slot && (rights & ~s.vstRights[e]) == 0) {
                return true;
            }
        }
        return false;
    }

    private boolean regOk(SegmentsState s, int v, int chain) {
        if (v == 0 || (s.revBy >= 0 && hit(v, s.revGone, s.revSlot))) {
            return true;
        }
        for (int d = 0; d < nd; d++) {
            if ((chain & (1 << d)) != 0 && holds(s, d, slotOf(v), rightsOf(v))) {
                return true;
            }
        }
        return false;
    }

    /** SEG-2: every register, live or saved in a frame, gives only what its call chain holds. */
    public boolean registersAuthorised(SegmentsState s) {
        for (int t = 0; t < nt; t++) {
            int c = chain(s, t, -1);
            for (int r = 0; r < nr; r++) {
                if (!regOk(s, s.reg[t * nr + r], c)) {
                    return false;
                }
            }
            int[] st = s.stack[t];
            for (int f = 0; f < depth(st); f++) {
                int cf = chain(s, t, f + 1);
                for (int r = 0; r < nr; r++) {
                    if (!regOk(s, st[f * (1 + nr) + 1 + r], cf)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** SEG-3: every cached translation is of the segment its slot holds now. */
    public boolean tlbCurrent(SegmentsState s) {
        for (int t = 0; t < nt; t++) {
            for (int b = 0; b < k.slots() * segs; b++) {
                if ((s.tlb[t] & (1L << b)) != 0 && s.gstSeg[b / segs] != b % segs + 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /** SEG-5: every non-root entry was granted by the holder of its parent, with its slot and at most its rights. */
    public boolean grantedByHolder(SegmentsState s) {
        for (int e = 0; e < nd * sels; e++) {
            if (s.vstSlot[e] == 0) {
                continue;
            }
            int p = s.parent[e];
            if (p < 0) {
                if (s.gstOwner[s.vstSlot[e] - 1] != e / sels) {
                    return false;
                }
            } else if (s.grantor[e] != p / sels || s.vstSlot[p] != s.vstSlot[e] || (s.vstRights[e] & ~s.vstRights[p]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** SEG-1's conjuncts beyond the types the encoding already fixes. */
    public boolean typeOk(SegmentsState s) {
        for (int i = 0; i < k.slots(); i++) {
            if ((s.gstSeg[i] == 0) != (s.gstOwner[i] < 0)) {
                return false;
            }
        }
        for (int e = 0; e < nd * sels; e++) {
            if ((s.vstSlot[e] == 0) != (s.vstRights[e] == 0)) {
                return false;
            }
            if (s.vstSlot[e] == 0 && (s.parent[e] >= 0 || s.grantor[e] >= 0)) {
                return false; // the ghosts of an unused entry are empty
            }
        }
        for (int v : s.reg) {
            if ((slotOf(v) == 0) != (v == 0)) {
                return false;
            }
        }
        if (s.revBy >= 0 && (s.revPending & (1 << s.revBy)) != 0) {
            return false;
        }
        if (s.nextSeg < 1 || s.nextSeg > segs + 1) {
            return false;
        }
        for (int i = 0; i < k.slots(); i++) {
            // identities come fresh from the counter: below it, and one slot each
            if (s.gstSeg[i] >= s.nextSeg) {
                return false;
            }
            for (int j = 0; j < k.slots(); j++) {
                if (i != j && s.gstSeg[i] != 0 && s.gstSeg[i] == s.gstSeg[j]) {
                    return false;
                }
            }
        }
        for (int t = 0; t < nt; t++) {
            for (long bits = s.tlb[t]; bits != 0; bits &= bits - 1) {
                if (Long.numberOfTrailingZeros(bits) % segs + 1 >= s.nextSeg) {
                    return false;
                }
            }
        }
        for (int t = 0; t < nt; t++) {
            if (depth(s.stack[t]) > k.maxDepth() || (s.stack[t].length == 0 && s.spent[t] != 0)
                    || s.spent[t] < 0 || s.spent[t] > k.budget()) {
                return false;
            }
        }
        return true;
    }

    /** SEG-10: a far call ends by the kernel's abort (from a hostile service, or several at once) only when the budget is spent. */
    public boolean abortsOnlyWhenSpent(SegmentsState from, SegmentsState to) {
        for (int t = 0; t < nt; t++) {
            int before = depth(from.stack[t]);
            int after = depth(to.stack[t]);
            if (after < before && ((k.hostile() & (1 << from.dom[t])) != 0 || after < before - 1)
                    && from.spent[t] != k.budget()) {
                return false;
            }
        }
        return true;
    }

    /** SEG-11: a step that starts or answers a revocation empties only registers it revokes. */
    public boolean revocationsClearOnlyWhatTheyRevoke(SegmentsState from, SegmentsState to) {
        if (from.revBy < 0 && to.revBy >= 0) {
            // Only entries of segments the asker's domain owns are removed.
            for (int e = 0; e < nd * sels; e++) {
                if (from.vstSlot[e] != 0 && to.vstSlot[e] == 0 && from.gstOwner[from.vstSlot[e] - 1] != from.dom[to.revBy]) {
                    return false;
                }
            }
        }
        if (from.revBy >= 0 && to.revBy < 0 && from.revSlot != 0
                && (to.gstSeg[from.revSlot - 1] != 0 || to.gstOwner[from.revSlot - 1] >= 0)) {
            return false; // a deletion, once done, leaves its slot free
        }
        if (from.revBy < 0 && to.revBy >= 0 && to.revSlot == 0) {
            // A revocation removes no root entry, and what it removes hangs from one entry.
            int tops = 0;
            for (int e = 0; e < nd * sels; e++) {
                boolean gone = from.vstSlot[e] != 0 && to.vstSlot[e] == 0;
                if (!gone) {
                    continue;
                }
                int p = from.parent[e];
                if (p < 0) {
                    return false;
                }
                if (!(from.vstSlot[p] != 0 && to.vstSlot[p] == 0)) {
                    tops++;
                }
            }
            if (tops != 1) {
                return false;
            }
        }
        boolean revStep = (from.revBy < 0 && to.revBy >= 0)
                || (from.revBy >= 0 && to.revBy >= 0 && from.revPending != to.revPending);
        if (!revStep) {
            return true;
        }
        for (int t = 0; t < nt; t++) {
            if (from.stack[t].length != to.stack[t].length) {
                continue;
            }
            for (int r = 0; r < nr; r++) {
                int v = from.reg[t * nr + r];
                if (v != to.reg[t * nr + r] && !revoked(v, to)) {
                    return false;
                }
            }
            int[] st = from.stack[t];
            for (int f = 0; f < st.length; f += 1 + nr) {
                for (int r = 0; r < nr; r++) {
                    int v = st[f + 1 + r];
                    if (v != to.stack[t][f + 1 + r] && !revoked(v, to)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Whether register v was loaded through an entry the revocation of {@code to} removed, or names its slot. */
    private boolean revoked(int v, SegmentsState to) {
        if (v == 0) {
            return false;
        }
        int from = fromOf(v);
        boolean viaGone = from >= 0 && selOf(v) >= 1 && (to.revGone & (1L << entry(from, selOf(v)))) != 0;
        return viaGone || slotOf(v) == to.revSlot;
    }

    /** SEG-4: a register a step loads (not a far return, abort or revocation) is its selector's translation. */
    public boolean loadsTranslate(SegmentsState from, SegmentsState to) {
        for (int t = 0; t < nt; t++) {
            if (to.stack[t].length != from.stack[t].length) {
                continue;
            }
            for (int r = 0; r < nr; r++) {
                int v = to.reg[t * nr + r];
                if (v == from.reg[t * nr + r] || v == 0) {
                    continue;
                }
                int d = from.dom[t];
                int sel = selOf(v);
                if (fromOf(v) != d || sel < 1 || from.vstSlot[entry(d, sel)] != slotOf(v)
                        || rightsOf(v) != (from.vstRights[entry(d, sel)] & SegmentsConstants.DATA)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * SEG-6: a far call saves the caller's domain and registers, as they were, in the new frame
     * and leaves the registers loaded; a far return or abort gives back the domain and registers
     * of the frame it returns to.
     */
    /** SEG-20: the ring's server is asleep only with an empty ring. */
    public boolean serverSleepsOnlyIdle(SegmentsState s) {
        return k.server() < 0 || s.srv != 3 || s.ring.length == 0;
    }

    /**
     * SEG-19: while a thread waits for the revocation or deletion it asked for, it executes
     * nothing: its registers, domain and frames stay, and its CPU caches nothing new.
     */
    public boolean askerWaits(SegmentsState from, SegmentsState to) {
        int t = from.revBy;
        if (t < 0 || to.revBy != t) {
            return true;
        }
        return from.dom[t] == to.dom[t] && Arrays.equals(from.reg, t * nr, t * nr + nr, to.reg, t * nr, t * nr + nr)
                && Arrays.equals(from.stack[t], to.stack[t]) && (to.tlb[t] & ~from.tlb[t]) == 0;
    }

    public boolean returnRestores(SegmentsState from, SegmentsState to) {
        for (int t = 0; t < nt; t++) {
            int before = depth(from.stack[t]);
            int after = depth(to.stack[t]);
            if (after == before + 1) {
                int f = before * (1 + nr);
                if (to.stack[t][f] != from.dom[t]
                        || !Arrays.equals(to.stack[t], f + 1, f + 1 + nr, from.reg, t * nr, t * nr + nr)
                        || !Arrays.equals(to.reg, t * nr, t * nr + nr, from.reg, t * nr, t * nr + nr)) {
                    return false;
                }
            }
            if (after >= before) {
                continue;
            }
            int f = after * (1 + nr);
            if (to.dom[t] != from.stack[t][f]
                    || !Arrays.equals(to.reg, t * nr, t * nr + nr, from.stack[t], f + 1, f + 1 + nr)) {
                return false;
            }
        }
        return true;
    }

    /**
     * SEG-9: every operation the rules allow can be taken, with the effect asked. Each rule is
     * stated from the state, apart from the actions' guards; the step is looked up among the
     * state's successors by its action and arguments.
     */
    public boolean operationsAvailable(SegmentsState s) {
        Map<Action, SegmentsState> steps = new java.util.HashMap<>();
        successors(s, steps::put);
        java.util.function.BiPredicate<Action, java.util.function.Predicate<SegmentsState>> can =
                (a, effect) -> steps.containsKey(a) && effect.test(steps.get(a));
        for (int t = 0; t < nt; t++) {
            if (s.revBy == t) {
                continue;
            }
            final int tt = t;
            int d = s.dom[t];
            for (int r = 0; r < nr; r++) {
                final int rr = r;
                int v = s.reg[t * nr + r];
                for (int sel = 1; sel <= sels && k.has(Op.LOAD); sel++) {
                    int e = entry(d, sel);
                    final int fs = sel;
                    if ((s.vstRights[e] & SegmentsConstants.DATA) != 0 && !can.test(Action.of("RegLoad", th(t), rg(r), sel),
                            n -> slotOf(n.reg[tt * nr + rr]) == s.vstSlot[e] && selOf(n.reg[tt * nr + rr]) == fs)) {
                        return false;
                    }
                }
                if (slotOf(v) != 0) {
                    int i = slotOf(v);
                    if (k.has(Op.LOAD) && !can.test(Action.of("RegLoad", th(t), rg(r), 0), n -> n.reg[tt * nr + rr] == 0)) {
                        return false;
                    }
                    if (k.has(Op.SPILL) && !can.test(Action.of("RegSave", th(t), rg(r)),
                            n -> Arrays.stream(n.mem[d]).anyMatch(x -> selOf(x) == selOf(v)))) {
                        return false;
                    }
                    long bit = s.gstSeg[i - 1] == 0 ? 0 : tlbBit(i, s.gstSeg[i - 1]);
                    if (k.has(Op.TLB) && bit != 0 && (s.tlb[t] & slotMask(i)) == 0
                            && !can.test(Action.of("TlbFill", th(t), rg(r)), n -> (n.tlb[tt] & bit) != 0)) {
                        return false;
                    }
                    int src = fromOf(v) == d && selOf(v) >= 1 ? entry(d, selOf(v)) : -1;
                    if (k.has(Op.GRANTREG) && src >= 0 && s.vstSlot[src] == i) {
                        for (int d2 = 0; d2 < nd; d2++) {
                            for (int s2 = 1; s2 <= sels; s2++) {
                                int target = entry(d2, s2);
                                for (int rights = 1; rights <= 7 && s.vstSlot[target] == 0; rights++) {
                                    final int fr = rights;
                                    if ((rights & ~k.rights()) == 0 && (rights & ~s.vstRights[src]) == 0
                                            && !can.test(Action.of("GrantFromReg", th(t), rg(r), k.domains().get(d2), s2,
                                                    SegmentsConstants.rightsTla(rights)),
                                                    n -> n.vstSlot[target] == i && n.vstRights[target] == fr)) {
                                        return false;
                                    }
                                }
                            }
                        }
                    }
                }
                if (k.has(Op.SPILL)) {
                    for (int saved : s.mem[d]) {
                        boolean data = selOf(saved) >= 1
                                && (s.vstRights[entry(d, selOf(saved))] & SegmentsConstants.DATA) != 0;
                        if (!can.test(Action.of("RegRestore", th(t), rg(r), regTla(saved)),
                                n -> (selOf(n.reg[tt * nr + rr]) == selOf(saved)) == data)) {
                            return false;
                        }
                    }
                }
            }
            for (int sel = 1; sel <= sels && k.has(Op.CALL); sel++) {
                int e = entry(d, sel);
                int callee = (s.vstRights[e] & SegmentsConstants.C) != 0 ? s.gstOwner[s.vstSlot[e] - 1] : -1;
                if (callee >= 0 && callee != d && depth(s.stack[t]) < k.maxDepth() && mayCall(s, t)
                        && !can.test(Action.of("FarCall", th(t), sel), n -> n.dom[tt] == callee)) {
                    return false;
                }
            }
            if (s.stack[t].length > 0 && (k.hostile() & (1 << d)) == 0
                    && !can.test(Action.of("FarReturn", th(t)), n -> n.stack[tt].length < s.stack[tt].length)) {
                return false;
            }
            if (k.has(Op.RING) && t != k.server() && d == k.ringDomain() && s.stack[t].length > 0 && s.issued < k.requests()
                    && !can.test(Action.of("RingPut", th(t)), n -> n.issued == s.issued + 1 && n.flag)) {
                return false;
            }
            for (int sel = 1; sel <= sels && k.has(Op.GRANT); sel++) {
                int e = entry(d, sel);
                for (int d2 = 0; d2 < nd && s.vstSlot[e] != 0; d2++) {
                    for (int s2 = 1; s2 <= sels && d2 != d; s2++) {
                        int target = entry(d2, s2);
                        for (int rights = 1; rights <= 7 && s.vstSlot[target] == 0; rights++) {
                            final int fr = rights;
                            if ((rights & ~k.rights()) == 0 && (rights & ~s.vstRights[e]) == 0
                                    && !can.test(Action.of("GrantEntry", th(t), sel, k.domains().get(d2), s2,
                                            SegmentsConstants.rightsTla(rights)),
                                            n -> n.vstSlot[target] == s.vstSlot[e] && n.vstRights[target] == fr)) {
                                return false;
                            }
                        }
                    }
                }
            }
            if (s.revBy < 0) {
                for (int d2 = 0; d2 < nd && k.has(Op.REVOKE); d2++) {
                    for (int sel = 1; sel <= sels; sel++) {
                        int e = entry(d2, sel);
                        if (s.vstSlot[e] != 0 && s.parent[e] >= 0 && s.gstOwner[s.vstSlot[e] - 1] == d
                                && !can.test(Action.of("SegRevoke", th(t), k.domains().get(d2), sel),
                                        n -> n.vstSlot[e] == 0 && n.revBy == tt)) {
                            return false;
                        }
                    }
                }
                for (int sel = 1; sel <= sels && k.has(Op.DELETE); sel++) {
                    int e = entry(d, sel);
                    if (s.vstSlot[e] != 0 && s.parent[e] < 0 && s.gstOwner[s.vstSlot[e] - 1] == d
                            && !can.test(Action.of("SegDelete", th(t), sel), n -> n.revSlot == s.vstSlot[e])) {
                        return false;
                    }
                }
                for (int i = 1; i <= k.slots() && k.has(Op.CREATE) && d == k.home()[t] && s.nextSeg <= segs; i++) {
                    final int fi = i;
                    for (int sel = 1; sel <= sels && s.gstSeg[i - 1] == 0; sel++) {
                        int e = entry(d, sel);
                        if (s.vstSlot[e] == 0 && !can.test(Action.of("SegCreate", th(t), i, sel),
                                n -> n.gstSeg[fi - 1] == s.nextSeg && n.vstSlot[e] == fi)) {
                            return false;
                        }
                    }
                }
            }
        }
        int sv = k.server();
        if (sv >= 0 && s.revBy != sv && s.dom[sv] == k.ringDomain() && s.stack[sv].length == 0) {
            if (s.srv == 0 && s.ring.length > 0 && !can.test(Action.of("ServerTake"), n -> n.ring.length < s.ring.length)) {
                return false;
            }
            if (s.srv == 0 && s.ring.length == 0 && !can.test(Action.of("ServerClear"), n -> !n.flag && n.srv == 1)) {
                return false;
            }
            if ((s.srv == 1 || s.srv == 2) && !steps.containsKey(Action.of("ServerLook"))
                    && !steps.containsKey(Action.of("ServerSleep"))) {
                return false;
            }
        }
        for (int t = 0; t < nt; t++) {
            final int tt = t;
            for (int b = 0; b < k.slots() * segs; b++) {
                final long bit = 1L << b;
                if ((s.tlb[t] & bit) != 0 && !can.test(Action.of("TlbEvict", th(t), tlbEntryTla(b)),
                        n -> (n.tlb[tt] & bit) == 0)) {
                    return false;
                }
            }
        }
        for (int u = 0; u < nt; u++) {
            final int fu = u;
            if ((s.revPending & (1 << u)) != 0 && !can.test(Action.of("RevAnswer", th(u)), n -> (n.revPending & (1 << fu)) == 0)) {
                return false;
            }
        }
        return s.revBy < 0 || s.revPending != 0 || can.test(Action.of("RevDone", th(s.revBy)), n -> n.revBy < 0);
    }

    /**
     * SEG-23: no operation is taken that the rules forbid, the converse of SEG-9. Every successor
     * is looked up by its action and arguments (their indices in {@link #actionSchemas}' values),
     * and its rule, written from the state as the spec's, must hold.
     */
    public boolean operationsOnlyWhenAllowed(SegmentsState s) {
        boolean[] ok = {true};
        successors(s, (a, n) -> ok[0] &= allowed(s, a.name(), ActionSchema.named(schemas, a.name()).positions(a)));
        return ok[0];
    }

    /**
     * The rule of SEG-23 for one step, its arguments given as indices into the schema's values:
     * a thread, a register, {@code AllSels} for a load (the index is the selector) and {@code Sels}
     * elsewhere (index + 1), a domain, {@code SUBSET Rights} ({@link #rightsSets}), a
     * {@code Register} ({@link #registers}), a TLB entry (its bit) and a slot (index + 1).
     */
    private boolean allowed(SegmentsState s, String action, int[] x) {
        int sv = k.server();
        boolean serverHome = sv >= 0 && s.revBy != sv && s.dom[sv] == k.ringDomain() && s.stack[sv].length == 0;
        if (x.length == 0) {
            return switch (action) {
                case "ServerTake" -> serverHome && s.srv == 0 && s.ring.length > 0;
                case "ServerClear" -> serverHome && s.srv == 0 && s.ring.length == 0;
                case "ServerLook" -> serverHome && s.srv == 1;
                case "ServerSleep" -> serverHome && s.srv == 2;
                default -> throw new IllegalStateException(action);
            };
        }
        int t = x[0];
        int d = s.dom[t];
        boolean free = s.revBy != t;
        // the register, for the actions whose second argument is one
        int v = action.startsWith("Reg") || action.equals("TlbFill") || action.equals("GrantFromReg")
                ? s.reg[t * nr + x[1]] : 0;
        return switch (action) {
            case "RegLoad" -> k.has(Op.LOAD) && free;
            case "TlbFill" -> k.has(Op.TLB) && free && slotOf(v) != 0 && s.gstSeg[slotOf(v) - 1] != 0
                    && (s.tlb[t] & slotMask(slotOf(v))) == 0;
            case "RegSave" -> k.has(Op.SPILL) && free && v != 0;
            case "RegRestore" -> k.has(Op.SPILL) && free
                    && Arrays.binarySearch(s.mem[d], registers[x[2]]) >= 0;
            case "GrantFromReg" -> {
                int src = v != 0 && fromOf(v) == d && selOf(v) >= 1 ? entry(d, selOf(v)) : -1;
                int rights = rightsSets[x[4]];
                yield k.has(Op.GRANTREG) && free && src >= 0 && s.vstSlot[src] == slotOf(v) && rights != 0
                        && (rights & ~s.vstRights[src]) == 0 && s.vstSlot[entry(x[2], x[3] + 1)] == 0;
            }
            case "TlbEvict" -> (s.tlb[t] & (1L << x[1])) != 0;
            case "FarCall" -> {
                int e = entry(d, x[1] + 1);
                yield k.has(Op.CALL) && free && mayCall(s, t) && depth(s.stack[t]) < k.maxDepth()
                        && (s.vstRights[e] & SegmentsConstants.C) != 0 && s.gstOwner[s.vstSlot[e] - 1] >= 0
                        && s.gstOwner[s.vstSlot[e] - 1] != d;
            }
            case "FarReturn" -> free && s.stack[t].length > 0 && (k.hostile() & (1 << d)) == 0;
            case "BudgetTick" -> k.budget() > 0 && s.stack[t].length > 0 && s.spent[t] < k.budget();
            case "CallAbort" -> k.budget() > 0 && free && s.stack[t].length > 0 && s.spent[t] >= k.budget();
            case "GrantEntry" -> {
                int e = entry(d, x[1] + 1);
                int rights = rightsSets[x[4]];
                yield k.has(Op.GRANT) && free && s.vstSlot[e] != 0 && rights != 0 && (rights & ~s.vstRights[e]) == 0
                        && x[2] != d && s.vstSlot[entry(x[2], x[3] + 1)] == 0;
            }
            case "SegCreate" -> k.has(Op.CREATE) && free && d == k.home()[t] && s.gstSeg[x[1]] == 0
                    && s.nextSeg <= segs && s.vstSlot[entry(d, x[2] + 1)] == 0;
            case "SegRevoke" -> {
                int e = entry(x[1], x[2] + 1);
                yield k.has(Op.REVOKE) && s.revBy < 0 && s.vstSlot[e] != 0 && s.parent[e] >= 0
                        && s.gstOwner[s.vstSlot[e] - 1] == d;
            }
            case "SegDelete" -> {
                int e = entry(d, x[1] + 1);
                yield k.has(Op.DELETE) && s.revBy < 0 && s.vstSlot[e] != 0 && s.parent[e] < 0
                        && s.gstOwner[s.vstSlot[e] - 1] == d;
            }
            case "RevAnswer" -> (s.revPending & (1 << t)) != 0;
            case "RevDone" -> s.revBy == t && s.revPending == 0;
            case "RingPut" -> k.has(Op.RING) && free && t != sv && d == k.ringDomain() && s.stack[t].length > 0
                    && s.issued < k.requests();
            default -> throw new IllegalStateException(action);
        };
    }

    @Override
    public List<Invariant<SegmentsState>> invariants() {
        return List.of(new Invariant<>("SEG-1", "TypeOK", this::typeOk),
                new Invariant<>("SEG-2", "RegistersAuthorised", this::registersAuthorised),
                new Invariant<>("SEG-3", "TlbCurrent", this::tlbCurrent),
                new Invariant<>("SEG-5", "GrantedByHolder", this::grantedByHolder),
                Invariant.availability("SEG-9", "OperationsAvailable", this::operationsAvailable),
                Invariant.availability("SEG-23", "OperationsOnlyWhenAllowed", this::operationsOnlyWhenAllowed),
                new Invariant<>("SEG-20", "ServerSleepsOnlyIdle", this::serverSleepsOnlyIdle));
    }

    @Override
    public List<ActionProperty<SegmentsState>> actionProperties() {
        return List.of(new ActionProperty<>("SEG-4", "LoadsTranslate", (a, x, b) -> loadsTranslate(a, b)),
                new ActionProperty<>("SEG-6", "ReturnRestores", (a, x, b) -> returnRestores(a, b)),
                new ActionProperty<>("SEG-10", "AbortsOnlyWhenSpent", (a, x, b) -> abortsOnlyWhenSpent(a, b)),
                new ActionProperty<>("SEG-11", "RevocationsClearOnlyWhatTheyRevoke",
                        (a, x, b) -> revocationsClearOnlyWhatTheyRevoke(a, b)),
                new ActionProperty<>("SEG-19", "AskerWaits", (a, x, b) -> askerWaits(a, b)));
    }

    // ------------------------------------------------------------------ Fingerprint and rendering

    @Override
    public Optional<StateCodec<SegmentsState>> codec() {
        return Optional.of(codec);
    }

    @Override
    public long fingerprint(SegmentsState s) {
        Fingerprint f = new Fingerprint();
        for (int i = 0; i < k.slots(); i++) {
            f.add(s.gstSeg[i]).add(s.gstOwner[i]);
        }
        f.add(s.nextSeg).mark(1);
        for (int e = 0; e < nd * sels; e++) {
            f.add(s.vstSlot[e]).add(s.vstRights[e]).add(s.parent[e]).add(s.grantor[e]);
        }
        f.mark(2);
        for (int t = 0; t < nt; t++) {
            f.add(s.dom[t]).add(s.spent[t]).add(s.tlb[t]);
            for (int r = 0; r < nr; r++) {
                f.add(s.reg[t * nr + r]);
            }
            f.mark(3);
            for (int x : s.stack[t]) {
                f.add(x);
            }
            f.mark(4);
        }
        f.add(s.revBy).add(s.revGone).add(s.revSlot).add(s.revPending).mark(5);
        for (int d = 0; d < nd; d++) {
            for (int x : s.mem[d]) {
                f.add(x);
            }
            f.mark(6);
        }
        for (int x : s.ring) {
            f.add(x);
        }
        return f.mark(7).add(s.issued).add(s.served).add(s.flag).add(s.srv).value();
    }

    private String domOr(int d) {
        return d < 0 ? k.noDomain() : k.domains().get(d);
    }

    /** A register as the spec's record. */
    String regTla(int v) {
        return "[slot |-> " + slotOf(v) + ", rights |-> " + SegmentsConstants.rightsTla(rightsOf(v)) + ", from |-> "
                + domOr(fromOf(v)) + ", sel |-> " + selOf(v) + "]";
    }

    private String regFile(int[] regs, int at) {
        if (nr == 0) {
            return "<<>>";
        }
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (int r = 0; r < nr; r++) {
            j.add(k.regs().get(r) + " |-> " + regTla(regs[at + r]));
        }
        return j.toString();
    }

    private String byThread(java.util.function.IntFunction<String> value) {
        StringJoiner j = new StringJoiner(" @@ ", "(", ")");
        for (int t = 0; t < nt; t++) {
            j.add(th(t) + " :> " + value.apply(t));
        }
        return j.toString();
    }

    private String byDomain(java.util.function.IntFunction<String> value) {
        StringJoiner j = new StringJoiner(" @@ ", "(", ")");
        for (int d = 0; d < nd; d++) {
            j.add(k.domains().get(d) + " :> " + value.apply(d));
        }
        return j.toString();
    }

    private String bySel(int d, java.util.function.IntFunction<String> value) {
        StringJoiner j = new StringJoiner(", ", "<<", ">>");
        for (int sel = 1; sel <= sels; sel++) {
            j.add(value.apply(entry(d, sel)));
        }
        return j.toString();
    }

    private String refTla(int e) {
        return e < 0 ? "[d |-> " + k.noDomain() + ", s |-> 0]" : "[d |-> " + k.domains().get(e / sels) + ", s |-> " + (e % sels + 1) + "]";
    }

    private String entriesTla(long set) {
        TreeSet<String> out = new TreeSet<>();
        for (int e = 0; e < nd * sels; e++) {
            if ((set & (1L << e)) != 0) {
                out.add("<<" + k.domains().get(e / sels) + ", " + (e % sels + 1) + ">>");
            }
        }
        return "{" + String.join(", ", out) + "}";
    }

    private String threadsTla(int mask) {
        List<String> out = new ArrayList<>();
        for (int t = 0; t < nt; t++) {
            if ((mask & (1 << t)) != 0) {
                out.add(th(t));
            }
        }
        return "{" + String.join(", ", out) + "}";
    }

    /** The state in TLA+ value syntax, variable by variable, as TLC prints the spec's state. */
    @Override
    public Map<String, String> render(SegmentsState s) {
        Map<String, String> out = new LinkedHashMap<>();
        StringJoiner gst = new StringJoiner(", ", "<<", ">>");
        for (int i = 0; i < k.slots(); i++) {
            gst.add("[seg |-> " + s.gstSeg[i] + ", owner |-> " + domOr(s.gstOwner[i]) + "]");
        }
        out.put("gst", gst.toString());
        out.put("nextSeg", Integer.toString(s.nextSeg));
        out.put("vst", byDomain(d -> bySel(d, e -> "[slot |-> " + s.vstSlot[e] + ", rights |-> "
                + SegmentsConstants.rightsTla(s.vstRights[e]) + "]")));
        out.put("parent", byDomain(d -> bySel(d, e -> refTla(s.parent[e]))));
        out.put("grantor", byDomain(d -> bySel(d, e -> domOr(s.grantor[e]))));
        out.put("dom", byThread(t -> k.domains().get(s.dom[t])));
        out.put("reg", byThread(t -> regFile(s.reg, t * nr)));
        out.put("stack", byThread(t -> {
            StringJoiner j = new StringJoiner(", ", "<<", ">>");
            int[] st = s.stack[t];
            for (int f = 0; f < st.length; f += 1 + nr) {
                j.add("[dom |-> " + k.domains().get(st[f]) + ", regs |-> " + regFile(st, f + 1) + "]");
            }
            return j.toString();
        }));
        out.put("tlb", byThread(t -> {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            for (int b = 0; b < k.slots() * segs; b++) {
                if ((s.tlb[t] & (1L << b)) != 0) {
                    j.add(tlbEntryTla(b));
                }
            }
            return j.toString();
        }));
        out.put("rev", "[by |-> " + (s.revBy < 0 ? k.noThread() : th(s.revBy)) + ", gone |-> " + entriesTla(s.revGone)
                + ", slot |-> " + s.revSlot + ", pending |-> " + threadsTla(s.revPending) + "]");
        out.put("spent", byThread(t -> Integer.toString(s.spent[t])));
        out.put("mem", byDomain(d -> {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            for (int v : s.mem[d]) {
                j.add(regTla(v));
            }
            return j.toString();
        }));
        StringJoiner ring = new StringJoiner(", ", "<<", ">>");
        for (int x : s.ring) {
            ring.add(Integer.toString(x));
        }
        out.put("ring", ring.toString());
        out.put("issued", Integer.toString(s.issued));
        StringJoiner served = new StringJoiner(", ", "{", "}");
        for (int i = 0; i < k.requests(); i++) {
            if ((s.served & (1 << i)) != 0) {
                served.add(Integer.toString(i + 1));
            }
        }
        out.put("served", served.toString());
        out.put("flag", s.flag ? "TRUE" : "FALSE");
        out.put("srv", "\"" + SegmentsState.SRV[s.srv] + "\"");
        return out;
    }
}
