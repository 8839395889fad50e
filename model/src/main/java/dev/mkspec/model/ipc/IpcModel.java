package dev.mkspec.model.ipc;

import dev.mkspec.check.Action;
import dev.mkspec.check.ActionProperty;
import dev.mkspec.check.ActionSchema;
import dev.mkspec.check.ActionSchema.Param;
import dev.mkspec.check.Fingerprint;
import dev.mkspec.check.Guard;
import dev.mkspec.check.Invariant;
import dev.mkspec.check.StateCodec;
import dev.mkspec.check.StateMachine;
import dev.mkspec.model.addressspaces.AddressSpacesModel;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import dev.mkspec.model.addressspaces.Rights;
import dev.mkspec.model.ipc.IpcState.Got;
import dev.mkspec.model.ipc.IpcState.Kind;
import dev.mkspec.model.ipc.IpcState.Th;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * L4 IPC as a state machine, exactly as {@code specs/tla/Ipc/Ipc.tla} defines it: Send, Call,
 * Receive and ReplyWait with versioned thread IDs, timeouts and map and grant items (the
 * address-space model's map and grant, {@link AddressSpacesModel}); Unmap (its unmap and flush);
 * thread deletion and creation; notification; and the batching ring. Its invariants are {@code IPC-1} to
 * {@code IPC-5}, {@code IPC-8} to {@code IPC-11}, {@code IPC-13}, {@code IPC-17}, {@code IPC-20} and
 * {@code IPC-22}; its action properties {@code IPC-12}, {@code IPC-14}, {@code IPC-16}, {@code IPC-18},
 * {@code IPC-21}, {@code IPC-23} and {@code IPC-24}; {@code IPC-6} and
 * {@code IPC-15} are liveness properties and stay with TLC.
 *
 * <p>Successors are enumerated as TLC enumerates the spec's {@code Next}: every combination of
 * arguments whose action is enabled gives one successor, so that the numbers of states
 * generated agree. Pure and thread-safe.
 */
public final class IpcModel implements StateMachine<IpcState> {
    private static final int ZERO = 0;
    private static final int FINITE = 1;
    private static final int INF = 2;

    /** An fpage: {@code 2^ord} pages from {@code base}, which is aligned to its size. */
    private record Fp(int base, int ord) {
        int size() {
            return 1 << ord;
        }

        boolean holds(int page) {
            return base <= page && page < base + size();
        }

        /** The spec's {@code Hot(fp, sb)}: the page of this fpage the send base names. */
        int hot(int sb) {
            return base + sb % size();
        }
    }

    /**
     * A map or grant item: an fpage (an index into {@link #fps}), a send base and rights; index 0
     * of {@link #items} is {@code NoItem} (null).
     */
    private record Item(String kind, int fp, int sb, int rights) {
    }

    private final IpcConstants k;
    private final AddressSpacesModel spaces;
    private final int n;
    private final int v;
    private final List<Fp> fps;
    private final List<Item> items;
    private final List<Integer> windows;
    private final List<Integer> timeouts;
    private final List<Integer> claims;
    private final List<ActionSchema> schemas;
    private final boolean[] opsAllowed;
    /** The invariants, built once: the explorer evaluates them in every state. */
    private final List<Invariant<IpcState>> invariants;
    private final IpcStateCodec codec;

    public IpcModel(IpcConstants constants) {
        this.k = constants;
        this.spaces = new AddressSpacesModel(constants.spacesForItems());
        this.n = constants.threads().size();
        this.codec = new IpcStateCodec(spaces.codec().orElseThrow(), n);
        this.v = constants.versions();
        int pages = constants.spaces().pages();
        List<Fp> f = new ArrayList<>();
        for (int ord = 0; ord <= constants.spaces().fpageOrder(); ord++) {
            for (int base = 0; base < pages; base += 1 << ord) {
                f.add(new Fp(base, ord));
            }
        }
        this.fps = List.copyOf(f);
        this.items = new ArrayList<>();
        items.add(null);
        for (String kind : List.of("map", "grant")) {
            if (constants.allows(kind)) {
                for (int fp = 0; fp < fps.size(); fp++) {
                    for (int sb = 0; sb < constants.spaces().fpageSize(); sb++) {
                        for (int r : Rights.nonEmptySubsets(constants.spaces().allRights())) {
                            items.add(new Item(kind, fp, sb, r));
                        }
                    }
                }
            }
        }
        this.windows = new ArrayList<>();
        windows.add(IpcState.NONE);
        if (items.size() > 1) {
            for (int fp = 0; fp < fps.size(); fp++) {
                windows.add(fp);
            }
        }
        this.timeouts = constants.timeouts().stream().map(IpcConstants.TIMEOUT_NAMES::indexOf).sorted().toList();
        List<Integer> c = new ArrayList<>();
        if (constants.bug() == IpcBug.FORGE_SENDER) {
            for (int id = 0; id < n * v; id++) {
                c.add(id);
            }
        } else {
            c.add(IpcState.NONE);
        }
        this.claims = List.copyOf(c);
        this.schemas = schemas();
        this.opsAllowed = new boolean[Op.values().length];
        for (Op op : Op.values()) {
            opsAllowed[op.ordinal()] = constants.allows(op.spec);
        }
        this.invariants = List.of(
                queuesConsistentInvariant(),
                deliveredOnceInvariant(),
                replyAuthorityInvariant(),
                new Invariant<>("IPC-4", "SenderIdTrue", this::senderIdTrue),
                new Invariant<>("IPC-5", "NoStaleDelivery", this::noStaleDelivery),
                idsNeverReusedInvariant(),
                new Invariant<>("IPC-8", "NoLostSignal", this::noLostSignal),
                batchExactlyOnceInvariant(),
                mapItemsSafeInvariant(),
                new Invariant<>("IPC-11", "ClosedReceiveFromNamed", this::closedReceiveFromNamed),
                Invariant.availability("IPC-13", "CallsAvailable", this::callsAvailable),
                blockedHoldNothingInvariant(),
                typeOkInvariant());
    }

    public IpcConstants constants() {
        return k;
    }

    @Override
    public String name() {
        return "Ipc";
    }

    /**
     * IPC-13: the steps the model offers in {@code s} are exactly those the rules allow, stated
     * apart from the actions: every system call of a ready thread that Ops and the roles allow and
     * that does not address the thread itself (a call only to the server, when there is one; the
     * server receives only from Any and only with no caller waiting), whatever its outcome; a
     * timeout of a finite blocked send or receive; an unmap by a ready thread of an fpage in which
     * its space maps some page; deletion of a live thread and creation in a dead slot with a version
     * left; the batching steps under their conditions.
     */
    boolean callsAvailable(IpcState s) {
        java.util.Set<Action> offered = enabled(s);
        java.util.Set<Action> allowed = new java.util.HashSet<>();
        int ids = n * v;
        for (int t = 0; t < n; t++) {
            Th th = s.st[t];
            boolean ready = th.kind() == Kind.READY;
            for (int to = 0; to < ids; to++) {
                boolean other = slot(to) != t;
                for (int m = 0; m < messages(); m++) {
                    for (int tmo : timeouts) {
                        for (int c : claims) {
                            if (ready && other && roleRule(t, "send")) {
                                allowed.add(action("Send", t, to, m, tmo, c));
                            }
                            for (int w : windows) {
                                if (ready && other && roleRule(t, "call") && (k.server() < 0 || slot(to) == k.server())) {
                                    allowed.add(action("Call", t, to, m, tmo, w, c));
                                }
                            }
                        }
                    }
                    for (int w : windows) {
                        if (ready && other && roleRule(t, "replywait")) {
                            allowed.add(action("ReplyWait", t, to, m, w));
                        }
                    }
                }
                for (int b = 0; b < k.bits().size(); b++) {
                    if (ready && other && roleRule(t, "signal")) {
                        allowed.add(action("Signal", t, to, b));
                    }
                }
            }
            for (int from = IpcState.ANY; from < ids; from++) {
                boolean serverRule = t != k.server() || (from == IpcState.ANY && s.callers[t] == 0);
                if (from == IpcState.NONE || !ready || from == id(s, t) || !roleRule(t, "recv") || !serverRule) {
                    continue;
                }
                for (int tmo : timeouts) {
                    for (int w : windows) {
                        allowed.add(action("Receive", t, from, tmo, w));
                    }
                }
            }
            if (ready && roleRule(t, "wait")) {
                allowed.add(action("Wait", t));
            }
            for (int fp = 0; fp < fps.size(); fp++) {
                boolean mapsSome = false;
                for (int i = 0; i < fps.get(fp).size(); i++) {
                    mapsSome |= s.as.mapped(s.home[t] * k.spaces().pages() + fps.get(fp).base() + i);
                }
                if (ready && roleRule(t, "unmap") && mapsSome) {
                    for (int r : rightsList()) {
                        for (int own = 0; own <= 1; own++) {
                            allowed.add(action("Unmap", t, fp, r, own));
                        }
                    }
                }
            }
            if ((th.kind() == Kind.SEND || th.kind() == Kind.RECV) && th.tmo() == FINITE) {
                allowed.add(action("TimeoutFires", t));
            }
            if (k.allows("delete") && th.kind() != Kind.DEAD) {
                allowed.add(action("ThreadDelete", t));
            }
            if (k.allows("create") && th.kind() == Kind.DEAD && s.ver[t] < k.maxVersion()) {
                allowed.add(action("ThreadCreate", t));
            }
        }
        if (k.allows("batch")) {
            if (s.issued < k.nRequests() && s.ring.length < k.ringSize()) {
                allowed.add(action("BatchPut"));
            }
            if (s.bell != 0 || s.ring.length > 0) {
                allowed.add(action(s.bell == 0 ? "BatchRing" : s.bell == 1 ? "BatchDrain" : "BatchAnswer"));
            }
        }
        return offered.equals(allowed);
    }

    // ---------------------------------------------------------------------------------------------
    // IDs, messages and the kernel's checks

    /** The ID of slot t's current thread. */
    int id(IpcState s, int t) {
        return t * v + s.ver[t];
    }

    int slot(int id) {
        return id / v;
    }

    private int messages() {
        return k.words().size() * items.size();
    }

    private int word(int msg) {
        return k.words().get(msg / items.size());
    }

    private Item item(int msg) {
        return items.get(msg % items.size());
    }

    /** The index into the items of msg's item (0: NoItem). */
    private int itemIndex(int msg) {
        return msg % items.size();
    }

    /**
     * The ghost of the sender's request that a receive with window win records: 0 when msg has no
     * item or there is no window, else the item's index into {@link #items} (kind, fpage, send base
     * and rights).
     */
    private int sent(int msg, int win) {
        return win == IpcState.NONE ? 0 : itemIndex(msg);
    }

    private static long bit(int id) {
        return 1L << id;
    }

    boolean valid(IpcState s, int id) {
        int t = slot(id);
        return s.st[t].kind() != Kind.DEAD && (k.bug() == IpcBug.STALE_ID_UNCHECKED || s.ver[t] == id % v);
    }

    private boolean accepts(IpcState s, int r, int sender) {
        Th th = s.st[r];
        return th.kind() == Kind.RECV && !th.flag() && (th.peer() == IpcState.ANY || th.peer() == id(s, sender));
    }

    /**
     * IPC-13's statement of the roles, apart from {@link #allowed} (the actions' own test), as the
     * spec's {@code RoleRule}: Ops allows the call, and with a server the server only receives and
     * every other thread only calls.
     */
    private boolean roleRule(int t, String op) {
        boolean role = k.server() < 0 || (t == k.server() && (op.equals("recv") || op.equals("replywait")))
                || (t != k.server() && op.equals("call"));
        return k.allows(op) && role;
    }

    /** The operations of the spec's {@code Ops}, each with its guard {@code "op" \in Ops}. */
    private enum Op {
        SEND("send"), RECV("recv"), CALL("call"), REPLYWAIT("replywait"), SIGNAL("signal"), WAIT("wait"),
        UNMAP("unmap"), DELETE("delete"), CREATE("create"), BATCH("batch");

        final String spec;
        final String inOps;

        Op(String spec) {
            this.spec = spec;
            this.inOps = "\"" + spec + "\" \\in Ops";
        }
    }

    /**
     * The spec's {@code Allowed(t, op)}, as two guards: {@code "op" \in Ops}, and with a server its
     * role ({@code t = Server} for a receive or reply, {@code t # Server} for a call, and no
     * other operation).
     */
    private boolean allowed(int t, Op op, Guard.Recorder g) {
        if (!inOps(op, g)) {
            return false;
        }
        if (k.server() < 0) {
            return true;
        }
        return switch (op) {
            case RECV, REPLYWAIT -> g.check("t = Server (with a Server, only it receives and replies)", t == k.server());
            case CALL -> g.check("t # Server (with a Server, only the other threads call)", t != k.server());
            default -> g.check("Server = NoThread (with a Server, threads only call, receive and reply)", false);
        };
    }

    /** The guard {@code "op" \in Ops}. */
    private boolean inOps(Op op, Guard.Recorder g) {
        return g.check(op.inOps, opsAllowed[op.ordinal()]);
    }

    private static final String READY = "st[t].kind = \"ready\"";
    private static final String NOT_SELF = "to.slot # t";

    private static int replyTimeout(int tmo) {
        return tmo == ZERO ? INF : tmo;
    }

    /**
     * The spec's {@code Transfer}: the spaces after delivering the item of msg into window w. The
     * item's fpage and the window meet at the send base ({@code Meet}): the smaller of the two
     * moves, and it is the part of the larger one that holds the send base's offset.
     */
    private AddressSpacesState transfer(AddressSpacesState db, int src, int msg, int dst, int w) {
        Item it = item(msg);
        if (it == null) {
            return db;
        }
        int win = w == IpcState.NONE && k.bug() == IpcBug.MAP_ITEM_NO_WINDOW ? it.fp() : w;
        if (win == IpcState.NONE) {
            return db;
        }
        Fp f = fps.get(it.fp());
        Fp wf = fps.get(win);
        int sb = k.bug() == IpcBug.MAP_ITEM_IGNORES_SEND_BASE ? 0 : it.sb();
        int from = f.base();
        int to = wf.base();
        int size = Math.min(f.size(), wf.size());
        if (f.ord() <= wf.ord()) {
            to += sb % wf.size() / f.size() * f.size();
        } else {
            from += sb % f.size() / wf.size() * wf.size();
        }
        AddressSpacesState next = it.kind().equals("map") ? spaces.map(db, src, from, dst, to, it.rights(), size)
                : spaces.grant(db, src, from, dst, to, it.rights(), size);
        if (next != null && k.bug() == IpcBug.GRANT_ITEM_MAPS && it.kind().equals("grant")) {
            next = spaces.map(db, src, from, dst, to, it.rights(), size);
        }
        if (next != null && k.bug() == IpcBug.MAP_ITEM_SOURCE_RIGHTS && it.kind().equals("map")) {
            // the whole item passed the checks with its own rights; the pages get the first one's
            next = spaces.map(db, src, from, dst, to, db.rights(firstMapped(db, src, from)), size);
        }
        if (next != null && k.bug() == IpcBug.MAP_ITEM_ONE_PAGE) {
            // the whole item passed the checks; only its first mapped page moves
            int i = firstMapped(db, src, from) - src * k.spaces().pages() - from;
            next = it.kind().equals("map") ? spaces.map(db, src, from + i, dst, to + i, it.rights(), 1)
                    : spaces.grant(db, src, from + i, dst, to + i, it.rights(), 1);
        }
        return next == null ? db : next;
    }

    /** The node of space src's first mapped page from page v on (the spec's {@code First(all)}; some page is mapped). */
    private int firstMapped(AddressSpacesState db, int src, int v) {
        int node = src * k.spaces().pages() + v;
        while (!db.mapped(node)) {
            node++;
        }
        return node;
    }

    // ---------------------------------------------------------------------------------------------
    // Init and Next

    /** Init: every placement of the slots among ThreadSpaces, all threads ready at version 0. */
    @Override
    public List<IpcState> initialStates() {
        AddressSpacesState as = spaces.initialStates().get(0);
        List<IpcState> out = new ArrayList<>();
        int choices = k.threadSpaces().size();
        int total = 1;
        for (int t = 0; t < n; t++) {
            total *= choices;
        }
        for (int c = 0; c < total; c++) {
            int[] home = new int[n];
            int rest = c;
            for (int t = 0; t < n; t++) {
                home[t] = k.threadSpaces().get(rest % choices);
                rest /= choices;
            }
            Th[] st = new Th[n];
            int[][] queue = new int[n][];
            Got[] mr = new Got[n];
            int[] none = new int[n];
            java.util.Arrays.fill(none, IpcState.NONE);
            for (int t = 0; t < n; t++) {
                st[t] = Th.READY;
                queue[t] = new int[0];
            }
            out.add(new IpcState(as, home, new int[n], st, queue, new long[n], mr, new int[n], 0, none, 0L, new int[n],
                    new int[n], new int[n], new int[0], 0, new int[0], 0));
        }
        return out;
    }

    @Override
    public void successors(IpcState s, Successors<IpcState> out) {
        int ids = n * v;
        for (int t = 0; t < n; t++) {
            if (s.st[t].kind() != Kind.READY) {
                continue;
            }
            for (int to = 0; to < ids; to++) {
                for (int m = 0; m < messages(); m++) {
                    for (int tmo : timeouts) {
                        for (int c : claims) {
                            emit(out, s, "Send", t, to, m, tmo, c);
                            for (int w : windows) {
                                emit(out, s, "Call", t, to, m, tmo, w, c);
                            }
                        }
                    }
                    for (int w : windows) {
                        emit(out, s, "ReplyWait", t, to, m, w);
                    }
                }
            }
            for (int from = IpcState.ANY; from < ids; from++) {
                if (from == IpcState.NONE) {
                    continue;
                }
                for (int tmo : timeouts) {
                    for (int w : windows) {
                        emit(out, s, "Receive", t, from, tmo, w);
                    }
                }
            }
            for (int to = 0; to < ids; to++) {
                for (int b = 0; b < k.bits().size(); b++) {
                    emit(out, s, "Signal", t, to, b);
                }
            }
            emit(out, s, "Wait", t);
            for (int fp = 0; fp < fps.size(); fp++) {
                for (int r : rightsList()) {
                    for (int own = 0; own <= 1; own++) {
                        emit(out, s, "Unmap", t, fp, r, own);
                    }
                }
            }
        }
        for (int t = 0; t < n; t++) {
            emit(out, s, "TimeoutFires", t);
            emit(out, s, "ThreadDelete", t);
            emit(out, s, "ThreadCreate", t);
        }
        for (String batch : List.of("BatchPut", "BatchRing", "BatchDrain", "BatchAnswer")) {
            emit(out, s, batch);
        }
    }

    private void emit(Successors<IpcState> out, IpcState s, String name, int... args) {
        IpcState next = step(s, name, Guard.Recorder.NONE, args);
        if (next != null) {
            out.add(action(name, args), next);
        }
    }

    /**
     * The disjunct of the spec's {@code Next} for the action {@code name}: {@link #apply}, after
     * the condition the quantifier's domain adds (the variant {@code next_only_open_receive} tries
     * only open receives). Each guard is reported to {@code g}.
     */
    private IpcState step(IpcState s, String name, Guard.Recorder g, int... a) {
        if (name.equals("Receive") && k.bug() == IpcBug.NEXT_ONLY_OPEN_RECEIVE
                && !g.check("from \\in ReceiveFroms (bug next_only_open_receive: Next tries only Any)",
                        a[1] == IpcState.ANY)) {
            return null;
        }
        return apply(s, name, g, a);
    }

    /**
     * The spec's action {@code name} with the arguments encoded as in {@link IpcState} (thread
     * slots, IDs, message, timeout, window, claim, bit index, in the order of the spec's Next), or
     * null if it is not enabled. {@link #successors} is every enabled application of this.
     */
    public IpcState apply(IpcState s, String name, int... a) {
        return apply(s, name, Guard.Recorder.NONE, a);
    }

    /** {@link #apply}, reporting each guard to {@code g} as it is evaluated. */
    private IpcState apply(IpcState s, String name, Guard.Recorder g, int... a) {
        return switch (name) {
            case "Send" -> allowed(a[0], Op.SEND, g)
                    ? sendOrCall(s, a[0], a[1], a[2], a[3], IpcState.NONE, a[4], false, g) : null;
            case "Call" -> allowed(a[0], Op.CALL, g)
                    && (k.server() < 0 || g.check("to.slot = Server", slot(a[1]) == k.server()))
                    ? sendOrCall(s, a[0], a[1], a[2], a[3], a[4], a[5], true, g) : null;
            case "ReplyWait" -> allowed(a[0], Op.REPLYWAIT, g) ? replyWait(s, a[0], a[1], a[2], a[3], g) : null;
            case "Receive" -> allowed(a[0], Op.RECV, g) ? receive(s, a[0], a[1], a[2], a[3], g) : null;
            case "Signal" -> allowed(a[0], Op.SIGNAL, g) ? signal(s, a[0], a[1], a[2], g) : null;
            case "Wait" -> allowed(a[0], Op.WAIT, g) ? waitNote(s, a[0], g) : null;
            case "Unmap" -> allowed(a[0], Op.UNMAP, g) ? unmap(s, a[0], a[1], a[2], a[3] == 1, g) : null;
            case "TimeoutFires" -> timeoutFires(s, a[0], g);
            case "ThreadDelete" -> delete(s, a[0], g);
            case "ThreadCreate" -> create(s, a[0], g);
            case "BatchPut" -> inOps(Op.BATCH, g) ? batchPut(s, g) : null;
            case "BatchRing" -> inOps(Op.BATCH, g) ? batchRing(s, g) : null;
            case "BatchDrain" -> inOps(Op.BATCH, g) ? batchDrain(s, g) : null;
            case "BatchAnswer" -> inOps(Op.BATCH, g) ? batchAnswer(s, g) : null;
            default -> throw new IllegalArgumentException("the Ipc spec has no action " + name);
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Action schemas and guards

    /**
     * The fourteen disjuncts of the spec's {@code Next}, whatever Ops allows (the guard
     * {@code "op" \in Ops} says which it refuses), each argument over its domain at the
     * constants: threads, thread IDs, messages, timeouts, windows, claims, notification bits,
     * fpages, rights and BOOLEAN. A receive's partner ranges over Any and every thread ID, also in
     * the variant whose {@code Next} tries only Any (the guard {@code from \in ReceiveFroms} says
     * why).
     */
    @Override
    public List<ActionSchema> actionSchemas() {
        return schemas;
    }

    private List<ActionSchema> schemas() {
        Param t = new Param("t", k.threads());
        List<String> idList = new ArrayList<>();
        for (int id = 0; id < n * v; id++) {
            idList.add(idTla(id));
        }
        Param to = new Param("to", idList);
        List<String> msgs = new ArrayList<>();
        for (int m = 0; m < messages(); m++) {
            msgs.add(msgTla(m));
        }
        Param m = new Param("m", msgs);
        Param tmo = new Param("tmo", timeouts.stream().map(IpcModel::tmoTla).toList());
        Param win = new Param("win", windows.stream().map(this::winTla).toList());
        Param claim = new Param("claim", claims.stream().map(c -> idOr(c, k.noThread())).toList());
        List<String> froms = new ArrayList<>();
        froms.add(k.any());
        froms.addAll(idList);
        List<String> bitList = k.bits().stream().map(b -> Integer.toString(b)).toList();
        List<String> fpList = new ArrayList<>();
        for (int fp = 0; fp < fps.size(); fp++) {
            fpList.add(fpTla(fp));
        }
        return List.of(
                ActionSchema.of("Send", t, to, m, tmo, claim),
                ActionSchema.of("Call", t, to, m, tmo, win, claim),
                ActionSchema.of("Receive", t, new Param("from", froms), tmo, win),
                ActionSchema.of("ReplyWait", t, to, m, win),
                ActionSchema.of("TimeoutFires", t),
                ActionSchema.of("ThreadDelete", t),
                ActionSchema.of("ThreadCreate", t),
                ActionSchema.of("Signal", t, to, new Param("b", bitList)),
                ActionSchema.of("Wait", t),
                ActionSchema.of("BatchPut"),
                ActionSchema.of("BatchRing"),
                ActionSchema.of("BatchDrain"),
                ActionSchema.of("BatchAnswer"),
                ActionSchema.of("Unmap", t, new Param("v", fpList),
                        new Param("R", rightsList().stream().map(Rights::toTla).toList()),
                        new Param("own", List.of("FALSE", "TRUE"))));
    }

    /**
     * The guards of the action, evaluated by the code {@link #successors} runs, in the spec's
     * order: {@code "op" \in Ops} and the server's roles, then the action's own conjuncts (the
     * caller ready, the partner another thread, and so on). A send, call, receive, reply or signal
     * whose partner is gone is enabled: it ends at once with "nopartner", as in the spec.
     */
    @Override
    public Optional<List<Guard>> guards(IpcState s, Action action) {
        int[] p = ActionSchema.named(schemas, action.name()).positions(action);
        int[] a = switch (action.name()) {
            case "Send" -> new int[] {p[0], p[1], p[2], timeouts.get(p[3]), claims.get(p[4])};
            case "Call" -> new int[] {p[0], p[1], p[2], timeouts.get(p[3]), windows.get(p[4]), claims.get(p[5])};
            case "Receive" -> new int[] {p[0], p[1] == 0 ? IpcState.ANY : p[1] - 1, timeouts.get(p[2]), windows.get(p[3])};
            case "ReplyWait" -> new int[] {p[0], p[1], p[2], windows.get(p[3])};
            case "Unmap" -> new int[] {p[0], p[1], rightsList().get(p[2]), p[3]};
            default -> p;   // thread slots, IDs and bit indices are their positions
        };
        Guard.Log log = new Guard.Log();
        step(s, action.name(), log, a);
        return Optional.of(log.guards());
    }

    /**
     * The action as a trace shows it, with its arguments in TLA+ syntax, rendered only when read
     * (the codes are copied: the caller's array may be reused).
     */
    public Action action(String name, int... args) {
        int[] codes = args.clone();
        return Action.lazy(name, () -> renderArgs(name, codes));
    }

    /** The messages (word and item) as {@link #apply} encodes them: 0 until this. */
    public int messageCount() {
        return messages();
    }

    /** The timeouts the constants allow, as codes (0 zero, 1 finite, 2 inf). */
    public List<Integer> timeoutCodes() {
        return timeouts;
    }

    /** The receive windows, {@link IpcState#NONE} first. */
    public List<Integer> windowCodes() {
        return List.copyOf(windows);
    }

    /** The sender IDs a sender may claim: {@link IpcState#NONE} (its own) unless the bug forges. */
    public List<Integer> claimCodes() {
        return claims;
    }

    private List<String> renderArgs(String name, int[] a) {
        List<String> out = new ArrayList<>();
        if (a.length == 0) {
            return out;
        }
        out.add(k.threads().get(a[0]));
        switch (name) {
            case "Send" -> {
                out.add(idTla(a[1]));
                out.add(msgTla(a[2]));
                out.add(tmoTla(a[3]));
                out.add(idOr(a[4], k.noThread()));
            }
            case "Call" -> {
                out.add(idTla(a[1]));
                out.add(msgTla(a[2]));
                out.add(tmoTla(a[3]));
                out.add(winTla(a[4]));
                out.add(idOr(a[5], k.noThread()));
            }
            case "ReplyWait" -> {
                out.add(idTla(a[1]));
                out.add(msgTla(a[2]));
                out.add(winTla(a[3]));
            }
            case "Receive" -> {
                out.add(idOr(a[1], k.any()));
                out.add(tmoTla(a[2]));
                out.add(winTla(a[3]));
            }
            case "Signal" -> {
                out.add(idTla(a[1]));
                out.add(Integer.toString(k.bits().get(a[2])));
            }
            case "Unmap" -> {
                out.add(fpTla(a[1]));
                out.add(Rights.toTla(a[2]));
                out.add(a[3] == 1 ? "TRUE" : "FALSE");
            }
            default -> {
            }
        }
        return out;
    }

    /** The number of fpages of every order; Unmap's fpage argument is an index below it. */
    public int fpageCount() {
        return fps.size();
    }

    /** The rights sets a request may name: the non-empty subsets of Perms. */
    private List<Integer> rightsList() {
        return Rights.nonEmptySubsets(k.spaces().allRights());
    }

    /**
     * The spec's {@code Unmap(t, v, R, own)}: a ready thread revokes R from its space's fpage at v
     * (with own, from those pages too), or null if it is not enabled.
     */
    IpcState unmap(IpcState s, int t, int v, int r, boolean own, Guard.Recorder g) {
        if (!g.check(READY, s.st[t].kind() == Kind.READY)) {
            return null;
        }
        Fp fp = fps.get(v);
        AddressSpacesState next = spaces.revokeMapped(s.as, s.home[t], fp.base(), r, own, fp.size(), g);
        if (next == null) {
            return null;
        }
        IpcState.Edit e = s.edit();
        e.as = next;
        return e.done();
    }

    /** A system call that ends at once with result r. */
    private IpcState fail(IpcState s, int t, int r) {
        IpcState.Edit e = s.edit();
        e.mr[t] = null;
        e.res[t] = r;
        e.setDelivered(t, false);
        return e.done();
    }

    /** The spec's {@code SendOrCall}, with Send's and Call's own guards checked by the caller. */
    IpcState sendOrCall(IpcState s, int t, int to, int m, int tmo, int win, int claim, boolean call) {
        return sendOrCall(s, t, to, m, tmo, win, claim, call, Guard.Recorder.NONE);
    }

    private IpcState sendOrCall(IpcState s, int t, int to, int m, int tmo, int win, int claim, boolean call,
            Guard.Recorder g) {
        int r = slot(to);
        if (!g.check(READY, s.st[t].kind() == Kind.READY) || !g.check(NOT_SELF, r != t)) {
            return null;
        }
        if (!valid(s, to)) {
            return fail(s, t, IpcState.R_NOPARTNER);
        }
        if (accepts(s, r, t)) {
            IpcState.Edit e = s.edit();
            int from = claim == IpcState.NONE ? id(s, t) : claim;
            e.mr[t] = null;
            e.mr[r] = new Got(from, id(s, t), to, word(m), sent(m, s.st[r].win()), false, s.st[r].peer(), s.st[r].win());
            e.st[r] = Th.READY;
            e.st[t] = call ? Th.receiving(id(s, r), true, win, replyTimeout(tmo)) : Th.READY;
            e.res[r] = IpcState.R_OK;
            e.res[t] = call ? IpcState.R_NONE : IpcState.R_OK;
            e.setDelivered(t, true);
            if (call) {
                e.callers[r] |= bit(id(s, t));
                e.calledOf[t] = id(s, r);
            }
            e.as = transfer(s.as, s.home[t], m, s.home[r], s.st[r].win());
            return e.done();
        }
        if (tmo == ZERO) {
            return fail(s, t, IpcState.R_TIMEOUT);
        }
        IpcState.Edit e = s.edit();
        e.st[t] = Th.sending(to, m, call, win, tmo);
        e.queue[r] = append(s.queue[r], t);
        e.mr[t] = null;
        e.res[t] = IpcState.R_NONE;
        e.setDelivered(t, false);
        return e.done();
    }

    /** The queue positions of the senders that t, receiving from {@code from}, accepts. */
    private List<Integer> matching(IpcState s, int t, int from) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < s.queue[t].length; i++) {
            if (from == IpcState.ANY || from == id(s, s.queue[t][i])) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * The spec's {@code ReceivePhase}: e holds the values the receive starts from (db0, mr0,
     * res0, callers0, st0, delivered0); the queues and calledOf are s's.
     */
    private IpcState receivePhase(IpcState s, IpcState.Edit e, int t, int from, int win, int tmo) {
        List<Integer> match = matching(s, t, from);
        if (!match.isEmpty()) {
            int i = k.bug() == IpcBug.QUEUE_LIFO ? match.get(match.size() - 1)
                    : k.bug() == IpcBug.CLOSED_TAKES_HEAD ? 0 : match.get(0);
            int snd = s.queue[t][i];
            Th sender = e.st[snd];
            int m = sender.msg();
            boolean call = sender.flag();
            e.mr[t] = new Got(id(s, snd), id(s, snd), sender.peer(), word(m), sent(m, win), false, from, win);
            e.st[t] = Th.READY;
            e.res[t] = IpcState.R_OK;
            e.setDelivered(snd, true);
            if (k.bug() != IpcBug.RECEIVE_KEEPS_SENDER) {
                e.st[snd] = call ? Th.receiving(id(s, t), true, sender.win(), sender.tmo()) : Th.READY;
                e.res[snd] = call ? IpcState.R_NONE : IpcState.R_OK;
                e.queue[t] = without(s.queue[t], i);
                if (call) {
                    e.callers[t] |= bit(id(s, snd));
                    e.calledOf[snd] = id(s, t);
                }
            }
            e.as = transfer(e.as, s.home[snd], m, s.home[t], win);
            return e.done();
        }
        if (tmo == ZERO && k.bug() != IpcBug.ZERO_TIMEOUT_BLOCKS) {
            if (k.bug() != IpcBug.ZERO_KEEPS_RESULT) {
                e.res[t] = IpcState.R_TIMEOUT;
            }
            if (k.bug() == IpcBug.TIMEOUT_KEEPS_REGISTERS) {
                e.mr[t] = s.mr[t];
            }
            return e.done();
        }
        e.st[t] = Th.receiving(from, false, win, tmo);
        e.res[t] = IpcState.R_NONE;
        if (k.bug() == IpcBug.BLOCK_KEEPS_REGISTERS) {
            e.mr[t] = s.mr[t];
        }
        return e.done();
    }

    IpcState receive(IpcState s, int t, int from, int tmo, int win) {
        return receive(s, t, from, tmo, win, Guard.Recorder.NONE);
    }

    private IpcState receive(IpcState s, int t, int from, int tmo, int win, Guard.Recorder g) {
        if (!g.check(READY, s.st[t].kind() == Kind.READY) || !g.check("from # Id(t)", from != id(s, t))) {
            return null;
        }
        if (t == k.server() && (!g.check("from = Any (t is the Server)", from == IpcState.ANY)
                || !g.check("callers[t] = {} (t is the Server)", s.callers[t] == 0))) {
            return null;
        }
        if (from != IpcState.ANY && (!valid(s, from) || k.bug() == IpcBug.CLOSED_RECEIVE_FAILS)) {
            return fail(s, t, IpcState.R_NOPARTNER);
        }
        IpcState.Edit e = s.edit();
        e.mr[t] = null;
        e.setDelivered(t, false);
        return receivePhase(s, e, t, from, win, tmo);
    }

    private boolean mayReply(IpcState s, int t, int to) {
        if (s.isCaller(t, to)) {
            return true;
        }
        Th th = s.st[slot(to)];
        return k.bug() == IpcBug.REPLY_ANY && valid(s, to) && th.kind() == Kind.RECV
                && (th.peer() == IpcState.ANY || th.peer() == id(s, t));
    }

    private IpcState replyWait(IpcState s, int t, int to, int m, int win, Guard.Recorder g) {
        int r = slot(to);
        if (!g.check(READY, s.st[t].kind() == Kind.READY) || !g.check(NOT_SELF, r != t)) {
            return null;
        }
        if (!mayReply(s, t, to)) {
            return fail(s, t, IpcState.R_NOPARTNER);
        }
        IpcState.Edit e = s.edit();
        e.as = transfer(s.as, s.home[t], m, s.home[r], s.st[r].win());
        e.mr[t] = null;
        e.mr[r] = new Got(id(s, t), id(s, t), to, word(m), sent(m, s.st[r].win()), true, s.st[r].peer(), s.st[r].win());
        e.res[r] = IpcState.R_OK;
        e.callers[t] &= ~bit(to);
        e.st[r] = Th.READY;
        e.setDelivered(t, true);
        return receivePhase(s, e, t, IpcState.ANY, win, INF);
    }

    IpcState timeoutFires(IpcState s, int t) {
        return timeoutFires(s, t, Guard.Recorder.NONE);
    }

    private IpcState timeoutFires(IpcState s, int t, Guard.Recorder g) {
        Th th = s.st[t];
        if (!g.check("st[t].kind \\in {\"send\", \"recv\"}", th.kind() == Kind.SEND || th.kind() == Kind.RECV)
                || !g.check("st[t].tmo = \"finite\"", th.tmo() == FINITE)) {
            return null;
        }
        IpcState.Edit e = s.edit();
        e.st[t] = Th.READY;
        e.res[t] = IpcState.R_TIMEOUT;
        if (th.kind() == Kind.SEND) {
            e.queue[slot(th.peer())] = remove(s.queue[slot(th.peer())], t);
        } else if (th.flag()) {
            e.callers[slot(th.peer())] &= ~bit(id(s, t));
        }
        return e.done();
    }

    IpcState delete(IpcState s, int t) {
        return delete(s, t, Guard.Recorder.NONE);
    }

    private IpcState delete(IpcState s, int t, Guard.Recorder g) {
        if (!inOps(Op.DELETE, g) || !g.check("st[t].kind # \"dead\"", s.st[t].kind() != Kind.DEAD)) {
            return null;
        }
        if (k.bug() == IpcBug.DELETE_REFUSES_BLOCKED
                && !g.check("st[t].kind = \"ready\" (bug delete_refuses_blocked)", s.st[t].kind() == Kind.READY)) {
            return null;
        }
        int me = id(s, t);
        IpcState.Edit e = s.edit();
        for (int x = 0; x < n; x++) {
            Th th = s.st[x];
            if (x == t) {
                e.st[x] = Th.DEAD;
                e.res[x] = IpcState.R_NONE;
                e.queue[x] = new int[0];
                e.callers[x] = 0;
                continue;
            }
            boolean openReceive = th.kind() == Kind.RECV && th.peer() == IpcState.ANY
                    && k.bug() == IpcBug.DELETE_ABORTS_OPEN;
            if ((th.kind() == Kind.SEND || th.kind() == Kind.RECV) && th.peer() == me || openReceive) {
                e.st[x] = Th.READY;
                e.res[x] = IpcState.R_ABORTED;
            }
            if (k.bug() != IpcBug.DELETE_KEEPS_QUEUED) {
                e.queue[x] = remove(s.queue[x], t);
            }
            e.callers[x] &= ~bit(me);
        }
        e.mr[t] = null;
        e.setDelivered(t, false);
        e.calledOf[t] = IpcState.NONE;
        e.note[t] = 0;
        e.owed[t] = 0;
        if (k.bug() != IpcBug.DELETE_KEEPS_WAIT_RESULT) {
            e.got[t] = 0;
        }
        e.deleted |= 1L << me;
        return e.done();
    }

    private IpcState create(IpcState s, int t, Guard.Recorder g) {
        if (!inOps(Op.CREATE, g) || !g.check("st[t].kind = \"dead\"", s.st[t].kind() == Kind.DEAD)
                || k.bug() != IpcBug.VERSION_OVERFLOW && !g.check("ver[t] < MaxVersion", s.ver[t] < k.maxVersion())) {
            return null;
        }
        IpcState.Edit e = s.edit();
        if (k.bug() != IpcBug.CREATE_KEEPS_VERSION) {
            e.ver[t]++;
        }
        e.st[t] = Th.READY;
        return e.done();
    }

    IpcState signal(IpcState s, int t, int to, int b) {
        return signal(s, t, to, b, Guard.Recorder.NONE);
    }

    private IpcState signal(IpcState s, int t, int to, int b, Guard.Recorder g) {
        int r = slot(to);
        if (!g.check(READY, s.st[t].kind() == Kind.READY) || !g.check(NOT_SELF, r != t)) {
            return null;
        }
        if (!valid(s, to)) {
            return fail(s, t, IpcState.R_NOPARTNER);
        }
        IpcState.Edit e = s.edit();
        if (s.st[r].kind() == Kind.WAIT) {
            e.st[r] = Th.READY;
            if (k.bug() != IpcBug.SIGNAL_WAKE_NO_RESULT) {
                e.res[r] = IpcState.R_OK;
            }
            e.owed[r] &= ~(s.note[r] | (1 << b));
            e.note[r] = 0;
            e.got[r] = k.bug() == IpcBug.WAKE_WITHOUT_BITS ? 0 : s.note[r] | (1 << b);
        } else {
            e.note[r] |= 1 << b;
            e.owed[r] |= 1 << b;
        }
        e.res[t] = IpcState.R_OK;
        e.mr[t] = null;
        e.setDelivered(t, false);
        return e.done();
    }

    IpcState waitNote(IpcState s, int t) {
        return waitNote(s, t, Guard.Recorder.NONE);
    }

    private IpcState waitNote(IpcState s, int t, Guard.Recorder g) {
        if (!g.check(READY, s.st[t].kind() == Kind.READY)) {
            return null;
        }
        IpcState.Edit e = s.edit();
        e.mr[t] = null;
        e.setDelivered(t, false);
        if (s.note[t] != 0) {
            if (k.bug() != IpcBug.WAIT_CLEARS_FIRST) {
                e.owed[t] &= ~s.note[t];
            }
            e.got[t] = k.bug() == IpcBug.WAIT_CLEARS_FIRST ? 0 : s.note[t];
            e.note[t] = 0;
            e.res[t] = IpcState.R_OK;
        } else if (k.bug() == IpcBug.WAIT_POLLS) {
            // the bug: an empty word returns at once, as a poll would
            e.res[t] = IpcState.R_OK;
            e.got[t] = 0;
        } else {
            e.st[t] = Th.WAITING;
            e.res[t] = IpcState.R_NONE;
        }
        return e.done();
    }

    private IpcState batchPut(IpcState s, Guard.Recorder g) {
        if (!g.check("issued < NRequests", s.issued < k.nRequests())) {
            return null;
        }
        int[] ring;
        if (k.bug() != IpcBug.RING_OVERWRITE && !g.check("Len(ring) < RingSize", s.ring.length < k.ringSize())) {
            return null;
        } else if (s.ring.length < k.ringSize()) {
            ring = append(s.ring, s.issued + 1);
        } else {
            // the bug: a full ring takes the request and drops its oldest
            ring = append(java.util.Arrays.copyOfRange(s.ring, 1, s.ring.length), s.issued + 1);
        }
        IpcState.Edit e = s.edit();
        e.ring = ring;
        e.issued = s.issued + 1;
        return e.done();
    }

    private IpcState batchRing(IpcState s, Guard.Recorder g) {
        if (!g.check("bell = \"idle\"", s.bell == 0) || !g.check("ring # <<>>", s.ring.length != 0)) {
            return null;
        }
        if (k.bug() == IpcBug.RING_WHEN_FIRST && !g.check("Len(ring) = 1 (bug ring_when_first)", s.ring.length == 1)) {
            return null;
        }
        IpcState.Edit e = s.edit();
        e.bell = 1;
        return e.done();
    }

    private IpcState batchDrain(IpcState s, Guard.Recorder g) {
        if (!g.check("bell = \"rung\"", s.bell == 1)) {
            return null;
        }
        IpcState.Edit e = s.edit();
        int[] served = java.util.Arrays.copyOf(s.served, s.served.length + s.ring.length);
        System.arraycopy(s.ring, 0, served, s.served.length, s.ring.length);
        e.served = served;
        e.ring = new int[0];
        e.bell = 2;
        return e.done();
    }

    private IpcState batchAnswer(IpcState s, Guard.Recorder g) {
        if (!g.check("bell = \"done\"", s.bell == 2)) {
            return null;
        }
        IpcState.Edit e = s.edit();
        e.bell = 0;
        return e.done();
    }

    private static int[] append(int[] q, int x) {
        int[] out = java.util.Arrays.copyOf(q, q.length + 1);
        out[q.length] = x;
        return out;
    }

    private static int[] without(int[] q, int i) {
        int[] out = new int[q.length - 1];
        System.arraycopy(q, 0, out, 0, i);
        System.arraycopy(q, i + 1, out, i, q.length - i - 1);
        return out;
    }

    private static int[] remove(int[] q, int x) {
        return java.util.Arrays.stream(q).filter(y -> y != x).toArray();
    }

    // ---------------------------------------------------------------------------------------------
    // Invariants

    @Override
    public List<Invariant<IpcState>> invariants() {
        return invariants;
    }

    @Override
    public List<ActionProperty<IpcState>> actionProperties() {
        return List.of(new ActionProperty<>("IPC-12", "ItemsLandInWindows", this::itemsLandInWindows),
                new ActionProperty<>("IPC-18", "MapItemsMeetAtSendBase", this::mapItemsMeetAtSendBase),
                new ActionProperty<>("IPC-14", "WaitGetsSignalledBits", this::waitGetsSignalledBits),
                new ActionProperty<>("IPC-16", "ResultsMeanWhatHappened", this::resultsMeanWhatHappened),
                new ActionProperty<>("IPC-21", "MapItemsMoveEveryPage", this::mapItemsMoveEveryPage),
                new ActionProperty<>("IPC-23", "NewThreadStartsClean", this::newThreadStartsClean),
                new ActionProperty<>("IPC-24", "WaitDoesWhatWasAsked", this::waitDoesWhatWasAsked));
    }

    /**
     * IPC-16: no thread stays blocked on a zero timeout; a send, call or receive made with a longer
     * timeout does not end in "timeout" in the step that makes it; a thread is woken with "aborted"
     * only when the named, current thread it was blocked on is deleted in that step; a thread woken
     * from a blocked send, receive or wait has its result ("ok" for a waiter a signal wakes); a
     * signal returns "ok" to a current thread, "nopartner" else; a send, call or closed receive
     * naming a current thread does not end in "nopartner"; a receive with timeout zero that gets
     * no message ends in "timeout" or "nopartner" (a step that changes none of the receiver's
     * registers is not judged, as in the spec, where it is a stuttering step).
     */
    public boolean resultsMeanWhatHappened(IpcState from, Action a, IpcState to) {
        for (int t = 0; t < n; t++) {
            Th th = to.st[t];
            if ((th.kind() == Kind.SEND || th.kind() == Kind.RECV) && th.tmo() == ZERO) {
                return false;
            }
        }
        int tmoArg = switch (a.name()) {
            case "Send", "Call" -> 3;
            case "Receive" -> 2;
            default -> -1;
        };
        if (tmoArg >= 0 && !a.args().get(tmoArg).equals("\"zero\"")) {
            int t = k.threads().indexOf(a.args().get(0));
            if (from.st[t].kind() == Kind.READY && to.res[t] == IpcState.R_TIMEOUT) {
                return false;
            }
        }
        for (int s = 0; s < n; s++) {
            Th th = from.st[s];
            boolean woken = (th.kind() == Kind.SEND || th.kind() == Kind.RECV) && to.st[s].kind() == Kind.READY
                    && to.res[s] == IpcState.R_ABORTED;
            if (!woken) {
                continue;
            }
            int p = th.peer();
            if (p == IpcState.ANY || from.st[slot(p)].kind() == Kind.DEAD || from.ver[slot(p)] != p % v
                    || to.st[slot(p)].kind() != Kind.DEAD) {
                return false;
            }
        }
        for (int t = 0; t < n; t++) {
            Kind was = from.st[t].kind();
            boolean woken = (was == Kind.SEND || was == Kind.RECV || was == Kind.WAIT) && to.st[t].kind() == Kind.READY;
            if (woken && (to.res[t] == IpcState.R_NONE || was == Kind.WAIT && to.res[t] != IpcState.R_OK)) {
                return false;
            }
        }
        if (a.name().equals("Send") || a.name().equals("Call") || a.name().equals("Receive")) {
            // A send, call or closed receive naming a current thread never ends in "nopartner".
            int t = k.threads().indexOf(a.args().get(0));
            // As in the spec, a step that changes none of t's registers is a stuttering step, not judged.
            boolean changed = from.res[t] != to.res[t] || !java.util.Objects.equals(from.mr[t], to.mr[t])
                    || ((from.delivered ^ to.delivered) & (1 << t)) != 0;
            if (from.st[t].kind() == Kind.READY && to.res[t] == IpcState.R_NOPARTNER && changed) {
                for (int id = 0; id < n * v; id++) {
                    if (idTla(id).equals(a.args().get(1)) && valid(from, id)) {
                        return false;
                    }
                }
            }
        }
        if (a.name().equals("Receive") && a.args().get(2).equals("\"zero\"")) {
            // A receive with timeout zero that gets no message ends in "timeout" or "nopartner".
            int t = k.threads().indexOf(a.args().get(0));
            if (from.st[t].kind() == Kind.READY && to.st[t].kind() == Kind.READY && to.mr[t] == null
                    && to.res[t] != IpcState.R_TIMEOUT && to.res[t] != IpcState.R_NOPARTNER
                    && (from.res[t] != to.res[t] || from.mr[t] != null)) {
                return false;
            }
        }
        if (a.name().equals("Signal")) {
            int t = k.threads().indexOf(a.args().get(0));
            for (int id = 0; id < n * v; id++) {
                if (idTla(id).equals(a.args().get(1))) {
                    return to.res[t] == (valid(from, id) ? IpcState.R_OK : IpcState.R_NOPARTNER);
                }
            }
            return false;
        }
        return true;
    }

    /**
     * IPC-21: an item moves every page it should, and exactly as the rules say: when a receiver
     * gets an item in its window, every page q of the item's fpage that the sender maps and whose
     * place p at the send base lies in the window maps q's frame afterwards; a map gives p exactly
     * the item's rights (with p's own if it already mapped that frame derived from q) and derives
     * p from q; a grant gives p exactly the item's rights, unmaps q and moves q's node to p.
     * Unless the rules refuse the item whole (receiver Sigma0, a grant from Sigma0, a page held
     * with fewer rights than asked, a place that is one of those pages or above one). Stated from
     * the item in the receiver's ghost and the database before the step, not with {@link
     * #transfer}; a step in which two deliveries carry items is not judged.
     */
    public boolean mapItemsMoveEveryPage(IpcState from, Action a, IpcState to) {
        int r = -1;
        for (int x = 0; x < n; x++) {
            if (gotNow(from, to, x) && to.mr[x].item() != 0) {
                if (r >= 0) {
                    return true;
                }
                r = x;
            }
        }
        if (r < 0) {
            return true;
        }
        Got g = to.mr[r];
        Item it = items.get(g.item());
        int pages = k.spaces().pages();
        int dst = from.home[r];
        int src = from.home[slot(g.sender())];
        if (dst == 0 || it.kind().equals("grant") && src == 0) {
            return true;
        }
        Fp f = fps.get(it.fp());
        Fp w = fps.get(g.win());
        int shift = w.hot(it.sb()) - f.hot(it.sb());
        List<Integer> moving = new ArrayList<>();
        for (int q = f.base(); q < f.base() + f.size(); q++) {
            if (w.holds(q + shift) && from.as.mapped(src * pages + q)) {
                moving.add(q);
            }
        }
        for (int q : moving) {
            boolean[] above = spaces.above(from.as, src * pages + q);
            if (!Rights.subset(it.rights(), from.as.rights(src * pages + q))) {
                return true;
            }
            for (int q2 : moving) {
                if (above[dst * pages + q2 + shift]) {
                    return true;
                }
            }
        }
        for (int q : moving) {
            int p = dst * pages + q + shift;
            int sq = src * pages + q;
            if (!to.as.mapped(p) || to.as.frame(p) != from.as.frame(sq)) {
                return false;
            }
            if (it.kind().equals("map")) {
                boolean remap = from.as.mapped(p) && from.as.frame(p) == from.as.frame(sq) && from.as.hasEdge(p, sq);
                int rights = it.rights() | (remap ? from.as.rights(p) : 0);
                if (to.as.rights(p) != rights || !to.as.hasEdge(p, sq)) {
                    return false;
                }
            } else {
                java.util.Set<Integer> moved = new java.util.HashSet<>();
                for (int x : parents(from.as, sq)) {
                    boolean isMoving = x / pages == src && moving.contains(x % pages);
                    moved.add(isMoving ? dst * pages + x % pages + shift : x);
                }
                if (to.as.rights(p) != it.rights() || to.as.mapped(sq) || !parents(to.as, p).equals(moved)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The spec's {@code GotNow(r)}: r got a message in this step: it was blocked receiving and is
     * ready, or it took the message of a sender queued to it, now delivered.
     */
    private boolean gotNow(IpcState from, IpcState to, int r) {
        Got g = to.mr[r];
        if (g == null) {
            return false;
        }
        if (from.st[r].kind() == Kind.RECV && to.st[r].kind() == Kind.READY) {
            return true;
        }
        int snd = slot(g.sender());
        Th th = from.st[snd];
        return th.kind() == Kind.SEND && slot(th.peer()) == r && (to.delivered >>> snd & 1) != 0;
    }

    /** The spec's {@code Parents(mdb, n)}: the nodes n is derived from. */
    private static java.util.Set<Integer> parents(AddressSpacesState db, int node) {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        for (int y = 0; y < db.nodes(); y++) {
            if (db.hasEdge(node, y)) {
                out.add(y);
            }
        }
        return out;
    }

    /**
     * IPC-14: a Wait returns exactly the bits signalled to the thread since its last Wait returned
     * (the ghost owed): a Wait that finds the word set returns the bits owed, and a Signal that
     * wakes a waiter hands it the bits owed and the signalled one.
     */
    public boolean waitGetsSignalledBits(IpcState from, Action a, IpcState to) {
        if (a.name().equals("Wait")) {
            int t = k.threads().indexOf(a.args().get(0));
            return from.note[t] == 0 || to.got[t] == from.owed[t];
        }
        if (a.name().equals("Signal")) {
            int b = k.bits().indexOf(Integer.parseInt(a.args().get(2)));
            for (int r = 0; r < n; r++) {
                boolean woken = from.st[r].kind() == Kind.WAIT && to.st[r].kind() != Kind.WAIT;
                if (woken && to.got[r] != (from.owed[r] | (1 << b))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * IPC-23: a thread created in a slot starts with nothing of the slot's previous thread: ready,
     * with no message, no result, no notification bits pending and none returned by a Wait. Judged
     * on every step in which a dead slot comes alive, whichever action takes it.
     */
    public boolean newThreadStartsClean(IpcState from, Action a, IpcState to) {
        for (int t = 0; t < n; t++) {
            if (from.st[t].kind() == Kind.DEAD && to.st[t].kind() != Kind.DEAD
                    && (!Th.READY.equals(to.st[t]) || to.mr[t] != null || to.res[t] != IpcState.R_NONE || to.note[t] != 0
                            || to.got[t] != 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * IPC-24: a Wait does what it was asked: with bits pending it returns "ok" at once with the word
     * taken (got holds the bits the word held, the word is clear); with none pending it blocks, with
     * no result and got as it was. Stated against the word before the step.
     */
    public boolean waitDoesWhatWasAsked(IpcState from, Action a, IpcState to) {
        if (!a.name().equals("Wait")) {
            return true;
        }
        int t = k.threads().indexOf(a.args().get(0));
        if (from.note[t] != 0) {
            return Th.READY.equals(to.st[t]) && to.res[t] == IpcState.R_OK && to.got[t] == from.note[t] && to.note[t] == 0;
        }
        return Th.WAITING.equals(to.st[t]) && to.res[t] == IpcState.R_NONE && to.got[t] == from.got[t];
    }

    /**
     * IPC-17: a thread blocked sending, receiving or waiting has no result yet and nothing in its
     * registers; a thread whose last call failed (timeout, aborted, no partner) holds no message.
     * The spec's one {@code \A t \in Threads} over two conjuncts, stated as one {@code \A} per
     * conjunct (the same formula), so that a counterexample names the one that fails.
     */
    private Invariant<IpcState> blockedHoldNothingInvariant() {
        return Invariant.allOf("IPC-17", "BlockedHoldNothing", List.of(
                new Invariant.Conjunct<>("\\A t \\in Threads : st[t].kind \\in {\"send\", \"recv\", \"wait\"} "
                        + "=> mr[t] = NoMsg /\\ res[t] = \"none\"", s -> {
                            for (int t = 0; t < n; t++) {
                                Kind kind = s.st[t].kind();
                                boolean blocked = kind == Kind.SEND || kind == Kind.RECV || kind == Kind.WAIT;
                                if (blocked && (s.mr[t] != null || s.res[t] != IpcState.R_NONE)) {
                                    return false;
                                }
                            }
                            return true;
                        }),
                new Invariant.Conjunct<>("\\A t \\in Threads : res[t] \\in {\"timeout\", \"aborted\", \"nopartner\"} "
                        + "=> mr[t] = NoMsg", s -> {
                            for (int t = 0; t < n; t++) {
                                boolean failed = s.res[t] == IpcState.R_TIMEOUT || s.res[t] == IpcState.R_ABORTED
                                        || s.res[t] == IpcState.R_NOPARTNER;
                                if (failed && s.mr[t] != null) {
                                    return false;
                                }
                            }
                            return true;
                        })));
    }

    /**
     * IPC-20: every field holds a value of its type, as the spec's conjuncts (one per variable, and
     * one each for the lines that type note, owed and got, and ring, served and issued; the one
     * that types st is named with its record sets' fields elided). The ranges
     * are computed from the constants, once, not read from the lists of fpages, items and windows
     * that the successors are built from, so that a model whose lists gain a value (a send base past
     * the largest fpage, a window where no item can land) or whose thread creation passes
     * {@code maxVersion} breaks it.
     */
    private Invariant<IpcState> typeOkInvariant() {
        int ids = n * v;
        int fpCount = 0;
        for (int ord = 0; ord <= k.spaces().fpageOrder(); ord++) {
            fpCount += (k.spaces().pages() + (1 << ord) - 1) >> ord;
        }
        int kinds = (k.allows("map") ? 1 : 0) + (k.allows("grant") ? 1 : 0);
        int rights = (1 << Integer.bitCount(k.spaces().allRights())) - 1;
        int itemCount = 1 + kinds * fpCount * k.spaces().fpageSize() * rights;
        int windows = kinds == 0 ? 0 : fpCount;
        java.util.function.IntPredicate id = x -> 0 <= x && x < ids;
        java.util.function.IntPredicate win = w -> w == IpcState.NONE || 0 <= w && w < windows;
        java.util.function.IntPredicate tmo = x -> 0 <= x && x < IpcConstants.TIMEOUT_NAMES.size()
                && k.timeouts().contains(IpcConstants.TIMEOUT_NAMES.get(x));
        int bitMask = (1 << k.bits().size()) - 1;
        java.util.function.IntPredicate request = r -> 1 <= r && r <= k.nRequests();
        Invariant<AddressSpacesState> spacesTypeOk = spaces.invariants().stream().filter(i -> i.id().equals("AS-1"))
                .findFirst().orElseThrow();
        return Invariant.allOf("IPC-20", "TypeOK", List.of(
                new Invariant.Conjunct<>("AS!TypeOK", s -> spacesTypeOk.holds().test(s.as)),
                new Invariant.Conjunct<>("home \\in [Threads -> ThreadSpaces]",
                        s -> everyThread(t -> k.threadSpaces().contains(s.home[t]))),
                new Invariant.Conjunct<>("ver \\in [Threads -> 0..MaxVersion]",
                        s -> everyThread(t -> 0 <= s.ver[t] && s.ver[t] <= k.maxVersion())),
                new Invariant.Conjunct<>("\\A t \\in Threads : st[t] \\in {Ready, Dead, Waiting} "
                        + "\\/ st[t] \\in [kind : {\"send\"}, ...] \\/ st[t] \\in [kind : {\"recv\"}, ...]",
                        s -> everyThread(t -> {
                            Th th = s.st[t];
                            return switch (th.kind()) {
                                case READY, DEAD, WAIT -> th.equals(new Th(th.kind(), IpcState.NONE, IpcState.NONE, false,
                                        IpcState.NONE, IpcState.NONE));
                                case SEND -> id.test(th.peer()) && 0 <= th.msg() && th.msg() < k.words().size() * itemCount
                                        && win.test(th.win()) && tmo.test(th.tmo());
                                // ReplyWait, and a call with timeout zero for its reply, wait with no timeout
                                case RECV -> (th.peer() == IpcState.ANY || id.test(th.peer())) && th.msg() == IpcState.NONE
                                        && win.test(th.win()) && (tmo.test(th.tmo()) || th.tmo() == INF);
                            };
                        })),
                new Invariant.Conjunct<>("queue \\in [Threads -> Seq(Threads)]",
                        s -> everyThread(t -> java.util.Arrays.stream(s.queue[t]).allMatch(q -> 0 <= q && q < n))),
                new Invariant.Conjunct<>("callers \\in [Threads -> SUBSET AllIds]",
                        s -> everyThread(t -> (s.callers[t] >>> ids) == 0)),
                new Invariant.Conjunct<>("mr \\in [Threads -> Registers \\cup {NoMsg}]", s -> everyThread(t -> {
                    Got g = s.mr[t];
                    return g == null || id.test(g.from()) && id.test(g.sender()) && id.test(g.to())
                            && k.words().contains(g.word()) && 0 <= g.item() && g.item() < itemCount
                            && (g.asked() == IpcState.ANY || id.test(g.asked())) && win.test(g.win());
                })),
                new Invariant.Conjunct<>("res \\in [Threads -> Results]",
                        s -> everyThread(t -> 0 <= s.res[t] && s.res[t] < IpcState.RESULTS.length)),
                new Invariant.Conjunct<>("delivered \\in [Threads -> BOOLEAN]", s -> (s.delivered >>> n) == 0),
                new Invariant.Conjunct<>("calledOf \\in [Threads -> AllIds \\cup {NoThread}]",
                        s -> everyThread(t -> s.calledOf[t] == IpcState.NONE || id.test(s.calledOf[t]))),
                new Invariant.Conjunct<>("deletedIds \\subseteq AllIds",
                        s -> ids == 64 || (s.deleted >>> ids) == 0),
                new Invariant.Conjunct<>("note \\in [Threads -> SUBSET Bits] /\\ owed \\in [Threads -> SUBSET Bits] "
                        + "/\\ got \\in [Threads -> SUBSET Bits]",
                        s -> everyThread(t -> (s.note[t] & ~bitMask) == 0 && (s.owed[t] & ~bitMask) == 0
                                && (s.got[t] & ~bitMask) == 0)),
                new Invariant.Conjunct<>("ring \\in Seq(1..NRequests) /\\ served \\in Seq(1..NRequests) "
                        + "/\\ issued \\in 0..NRequests",
                        s -> java.util.Arrays.stream(s.ring).allMatch(request)
                                && java.util.Arrays.stream(s.served).allMatch(request)
                                && 0 <= s.issued && s.issued <= k.nRequests()),
                new Invariant.Conjunct<>("bell \\in {\"idle\", \"rung\", \"done\"}",
                        s -> 0 <= s.bell && s.bell < IpcState.BELL.length)));
    }

    /** Whether {@code holds} is true of every thread slot. */
    private boolean everyThread(java.util.function.IntPredicate holds) {
        for (int t = 0; t < n; t++) {
            if (!holds.test(t)) {
                return false;
            }
        }
        return true;
    }

    /** IPC-11: a closed receive gets its message from the thread it named. */
    public boolean closedReceiveFromNamed(IpcState s) {
        for (int r = 0; r < n; r++) {
            Got g = s.mr[r];
            if (g != null && g.asked() != IpcState.ANY && g.sender() != g.asked()) {
                return false;
            }
        }
        return true;
    }

    /**
     * IPC-12: a page that gains access in a step (a mapping where there was none, another frame,
     * or a right it did not hold) lies in a window that a thread of its space received a message
     * in.
     */
    public boolean itemsLandInWindows(IpcState from, Action a, IpcState to) {
        int pages = k.spaces().pages();
        for (int node = 0; node < from.as.nodes(); node++) {
            if (!gainsAccess(from, to, node)) {
                continue;
            }
            int space = node / pages;
            int page = node % pages;
            boolean inWindow = false;
            for (int r = 0; r < n && !inWindow; r++) {
                Got g = to.mr[r];
                inWindow = to.home[r] == space && g != null && g.win() != IpcState.NONE && fps.get(g.win()).holds(page);
            }
            if (!inWindow) {
                return false;
            }
        }
        return true;
    }

    /**
     * IPC-18: an item and a window meet at the send base: a page p that gains access in a
     * receiver's window lies as far from the window's send-base point as the page q it got lies
     * from the item fpage's; q is inside the item's fpage, and p now maps q's frame (q read before
     * the step, or after it; a page a ReplyWait's reply placed and the receive then passed on is
     * excused by the reply's own record). Stated from the item and window in the receiver's ghost,
     * not with {@link #transfer}.
     */
    public boolean mapItemsMeetAtSendBase(IpcState from, Action a, IpcState to) {
        int pages = k.spaces().pages();
        for (int node = 0; node < from.as.nodes(); node++) {
            if (!gainsAccess(from, to, node)) {
                continue;
            }
            int space = node / pages;
            int p = node % pages;
            boolean met = false;
            for (int r = 0; r < n && !met; r++) {
                Got g = to.mr[r];
                if (to.home[r] != space || g == null || g.win() == IpcState.NONE || g.item() == 0
                        || !fps.get(g.win()).holds(p)) {
                    continue;
                }
                int sb = items.get(g.item()).sb();
                Fp f = fps.get(items.get(g.item()).fp());
                int q = p + f.hot(sb) - fps.get(g.win()).hot(sb);
                if (!f.holds(q)) {
                    continue;
                }
                int src = to.home[slot(g.sender())] * pages + q;
                met = (from.as.mapped(src) && to.as.frame(node) == from.as.frame(src))
                        || (to.as.mapped(src) && to.as.frame(node) == to.as.frame(src))
                        || placedByReply(to, to.home[slot(g.sender())], q, r);
            }
            if (!met) {
                return false;
            }
        }
        return true;
    }

    /** Whether a thread of space {@code space} holds a reply from r that carried an item into a window over page q. */
    private boolean placedByReply(IpcState s, int space, int q, int r) {
        for (int c = 0; c < n; c++) {
            Got g = s.mr[c];
            if (s.home[c] == space && g != null && g.reply() && slot(g.sender()) == r && g.item() != 0
                    && fps.get(g.win()).holds(q)) {
                return true;
            }
        }
        return false;
    }

    /** The spec's {@code GainsAccess}: the page maps, and maps something new (a page, a frame or a right). */
    private static boolean gainsAccess(IpcState from, IpcState to, int node) {
        return to.as.mapped(node) && (!from.as.mapped(node) || to.as.frame(node) != from.as.frame(node)
                || !Rights.subset(to.as.rights(node), from.as.rights(node)));
    }

    /**
     * IPC-1: queues hold exactly the threads blocked sending to the queue's current thread, with no
     * duplicates and no dead threads; the spec's four conjuncts.
     */
    private Invariant<IpcState> queuesConsistentInvariant() {
        return Invariant.allOf("IPC-1", "QueuesConsistent", List.of(
                new Invariant.Conjunct<>("\\A x \\in Threads : \\A i, j \\in 1..Len(queue[x]) : i # j => queue[x][i] # queue[x][j]",
                        s -> {
                            for (int x = 0; x < n; x++) {
                                int[] q = s.queue[x];
                                for (int i = 0; i < q.length; i++) {
                                    for (int j = i + 1; j < q.length; j++) {
                                        if (q[i] == q[j]) {
                                            return false;
                                        }
                                    }
                                }
                            }
                            return true;
                        }),
                new Invariant.Conjunct<>("\\A x \\in Threads : \\A i \\in 1..Len(queue[x]) : st[queue[x][i]].kind # \"dead\"",
                        s -> {
                            for (int x = 0; x < n; x++) {
                                for (int y : s.queue[x]) {
                                    if (s.st[y].kind() == Kind.DEAD) {
                                        return false;
                                    }
                                }
                            }
                            return true;
                        }),
                new Invariant.Conjunct<>("\\A x, s \\in Threads : (\\E i \\in 1..Len(queue[x]) : queue[x][i] = s) "
                        + "<=> (st[s].kind = \"send\" /\\ st[s].to.slot = x)", s -> {
                            for (int x = 0; x < n; x++) {
                                for (int snd = 0; snd < n; snd++) {
                                    boolean queued = false;
                                    for (int y : s.queue[x]) {
                                        queued |= y == snd;
                                    }
                                    Th th = s.st[snd];
                                    if (queued != (th.kind() == Kind.SEND && slot(th.peer()) == x)) {
                                        return false;
                                    }
                                }
                            }
                            return true;
                        }),
                new Invariant.Conjunct<>("\\A s \\in Threads : st[s].kind = \"send\" "
                        + "=> st[s].to = Id(st[s].to.slot) /\\ st[st[s].to.slot].kind # \"dead\"", s -> {
                            for (int snd = 0; snd < n; snd++) {
                                Th th = s.st[snd];
                                if (th.kind() == Kind.SEND
                                        && (th.peer() != id(s, slot(th.peer())) || s.st[slot(th.peer())].kind() == Kind.DEAD)) {
                                    return false;
                                }
                            }
                            return true;
                        })));
    }

    /**
     * IPC-2: no thread still blocks sending a delivered message, and messages reach their slot;
     * the spec's two conjuncts.
     */
    private Invariant<IpcState> deliveredOnceInvariant() {
        return Invariant.allOf("IPC-2", "DeliveredOnce", List.of(
                new Invariant.Conjunct<>("\\A s \\in Threads : st[s].kind = \"send\" => ~delivered[s]", s -> {
                    for (int t = 0; t < n; t++) {
                        if (s.st[t].kind() == Kind.SEND && (s.delivered & (1 << t)) != 0) {
                            return false;
                        }
                    }
                    return true;
                }),
                new Invariant.Conjunct<>("\\A r \\in Threads : mr[r] # NoMsg => mr[r].to.slot = r", s -> {
                    for (int t = 0; t < n; t++) {
                        if (s.mr[t] != null && slot(s.mr[t].to()) != t) {
                            return false;
                        }
                    }
                    return true;
                })));
    }

    /**
     * IPC-3: callers are exactly threads waiting for the server, and replies reach only callers;
     * the spec's two conjuncts.
     */
    private Invariant<IpcState> replyAuthorityInvariant() {
        return Invariant.allOf("IPC-3", "ReplyAuthority", List.of(
                new Invariant.Conjunct<>("\\A x \\in Threads : \\A c \\in callers[x] : ver[c.slot] = c.ver "
                        + "/\\ st[c.slot].kind = \"recv\" /\\ st[c.slot].reply /\\ st[c.slot].from = Id(x)", s -> {
                            for (int x = 0; x < n; x++) {
                                for (int c = 0; c < n * v; c++) {
                                    if (s.isCaller(x, c)) {
                                        Th th = s.st[slot(c)];
                                        if (s.ver[slot(c)] != c % v || th.kind() != Kind.RECV || !th.flag()
                                                || th.peer() != id(s, x)) {
                                            return false;
                                        }
                                    }
                                }
                            }
                            return true;
                        }),
                new Invariant.Conjunct<>("\\A c \\in Threads : mr[c] # NoMsg /\\ mr[c].reply => mr[c].sender = calledOf[c]",
                        s -> {
                            for (int c = 0; c < n; c++) {
                                if (s.mr[c] != null && s.mr[c].reply() && s.mr[c].sender() != s.calledOf[c]) {
                                    return false;
                                }
                            }
                            return true;
                        })));
    }

    /** IPC-4: the reported sender is the true sender. */
    public boolean senderIdTrue(IpcState s) {
        for (int r = 0; r < n; r++) {
            if (s.mr[r] != null && s.mr[r].from() != s.mr[r].sender()) {
                return false;
            }
        }
        return true;
    }

    /** IPC-5: a message reaches only the incarnation it was addressed to. */
    public boolean noStaleDelivery(IpcState s) {
        for (int r = 0; r < n; r++) {
            if (s.mr[r] != null && s.mr[r].to() != id(s, r)) {
                return false;
            }
        }
        return true;
    }

    /**
     * IPC-22: thread IDs are never reused: a live thread's ID is not among the deleted ones (the
     * ghost {@link IpcState#wasDeleted}), and a dead slot's last ID is. Stated against the ghost
     * ThreadDelete writes, not against the version, which IPC-5 reads.
     */
    private Invariant<IpcState> idsNeverReusedInvariant() {
        return Invariant.allOf("IPC-22", "IdsNeverReused", List.of(
                new Invariant.Conjunct<>("\\A t \\in Threads : st[t].kind # \"dead\" => Id(t) \\notin deletedIds",
                        s -> everyThread(t -> s.st[t].kind() == Kind.DEAD || !s.wasDeleted(id(s, t)))),
                new Invariant.Conjunct<>("\\A t \\in Threads : st[t].kind = \"dead\" => Id(t) \\in deletedIds",
                        s -> everyThread(t -> s.st[t].kind() != Kind.DEAD || s.wasDeleted(id(s, t))))));
    }

    /** IPC-8: every signalled bit no Wait has returned is still in the word. */
    public boolean noLostSignal(IpcState s) {
        for (int t = 0; t < n; t++) {
            if ((s.owed[t] & ~s.note[t]) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * IPC-9: the ring never overflows and every request is in it or served, once; the spec's four
     * conjuncts. The last is checked by counting, as before: every number in served and ring lies in
     * {@code 1..issued}, none occurs twice, and there are {@code issued} of them. Given the two
     * conjuncts before it, that is {@code Elems(served) \cup Elems(ring) = 1..issued} and also that
     * the ring holds no request twice, which the spec's conjuncts leave open; no behaviour of the
     * spec puts one there twice ({@code BatchPut} appends {@code issued + 1}).
     */
    private Invariant<IpcState> batchExactlyOnceInvariant() {
        return Invariant.allOf("IPC-9", "BatchExactlyOnce", List.of(
                new Invariant.Conjunct<>("Len(ring) <= RingSize", s -> s.ring.length <= k.ringSize()),
                new Invariant.Conjunct<>("\\A i, j \\in 1..Len(served) : i # j => served[i] # served[j]",
                        s -> allDistinct(s.served)),
                new Invariant.Conjunct<>("Elems(served) \\cap Elems(ring) = {}", s -> {
                    for (int x : s.served) {
                        for (int y : s.ring) {
                            if (x == y) {
                                return false;
                            }
                        }
                    }
                    return true;
                }),
                // Not in the spec: the Java check below also counts, so a request twice in the ring fails it;
                // this conjunct names that case (no behaviour of the spec has it: BatchPut appends issued + 1).
                new Invariant.Conjunct<>("no request twice in ring (the Java model's addition)", s -> allDistinct(s.ring)),
                new Invariant.Conjunct<>("Elems(served) \\cup Elems(ring) = 1..issued", s -> {
                    int[] seen = new int[s.issued + 1];
                    for (int[] q : new int[][] {s.served, s.ring}) {
                        for (int x : q) {
                            if (x < 1 || x > s.issued || seen[x]++ > 0) {
                                return false;
                            }
                        }
                    }
                    return s.served.length + s.ring.length == s.issued;
                })));
    }

    /** The address-space invariants IPC-10 names: the state invariants of AddressSpaces, not AS-14. */
    private static final java.util.Set<String> MAP_ITEMS_SAFE = java.util.Set.of("AS-1", "AS-2", "AS-3", "AS-4", "AS-5",
            "AS-6", "AS-10");

    /**
     * IPC-10: the address-space invariants AS-1 to AS-6 and AS-10 hold, one conjunct each, named
     * as the spec's {@code AS!Name}. (AS-14, which states when the address-space operations are
     * enabled, is about AddressSpaces' own steps; here map and grant happen only as IPC items.)
     */
    private Invariant<IpcState> mapItemsSafeInvariant() {
        List<Invariant.Conjunct<IpcState>> parts = new ArrayList<>();
        for (Invariant<AddressSpacesState> inv : spaces.invariants()) {
            if (MAP_ITEMS_SAFE.contains(inv.id())) {
                parts.add(new Invariant.Conjunct<>("AS!" + inv.name(), s -> inv.holds().test(s.as)));
            }
        }
        return Invariant.allOf("IPC-10", "MapItemsSafe", parts);
    }

    // ---------------------------------------------------------------------------------------------
    // Fingerprints and rendering

    @Override
    public Optional<StateCodec<IpcState>> codec() {
        return Optional.of(codec);
    }

    @Override
    public long fingerprint(IpcState s) {
        Fingerprint f = new Fingerprint().add(spaces.fingerprint(s.as));
        for (int t = 0; t < n; t++) {
            Th th = s.st[t];
            f.add(s.home[t]).add(s.ver[t]).add(th.kind().ordinal()).add(th.peer()).add(th.msg()).add(th.flag())
                    .add(th.win()).add(th.tmo()).mark(1);
            for (int x : s.queue[t]) {
                f.add(x);
            }
            f.mark(2).add(s.callers[t]);
            Got g = s.mr[t];
            if (g == null) {
                f.add(-1);
            } else {
                f.add(g.from()).add(g.sender()).add(g.to()).add(g.word()).add(g.item()).add(g.reply()).add(g.asked())
                        .add(g.win());
            }
            f.add(s.res[t]).add(s.calledOf[t]).add(s.note[t]).add(s.owed[t]).add(s.got[t]);
        }
        f.add(s.delivered).add(s.deleted).mark(3);
        for (int x : s.ring) {
            f.add(x);
        }
        f.mark(4).add(s.issued);
        for (int x : s.served) {
            f.add(x);
        }
        return f.mark(5).add(s.bell).value();
    }

    /** The state in TLA+ value syntax, variable by variable, as TLC prints the spec's state. */
    @Override
    public Map<String, String> render(IpcState s) {
        Map<String, String> out = new LinkedHashMap<>(spaces.render(s.as));
        out.put("home", fn(t -> k.spaces().spaceName(s.home[t])));
        out.put("ver", fn(t -> Integer.toString(s.ver[t])));
        out.put("st", fn(t -> thTla(s.st[t])));
        out.put("queue", fn(t -> seq(s.queue[t], x -> k.threads().get(x))));
        out.put("callers", fn(t -> {
            TreeSet<String> ids = new TreeSet<>();
            for (int c = 0; c < n * v; c++) {
                if (s.isCaller(t, c)) {
                    ids.add(idTla(c));
                }
            }
            return "{" + String.join(", ", ids) + "}";
        }));
        out.put("mr", fn(t -> {
            Got g = s.mr[t];
            return g == null ? k.noMsg()
                    : "[from |-> " + idTla(g.from()) + ", sender |-> " + idTla(g.sender()) + ", to |-> " + idTla(g.to())
                            + ", w |-> " + g.word() + ", item |-> " + itemTla(g.item()) + ", reply |-> " + bool(g.reply())
                            + ", asked |-> "
                            + idOr(g.asked(), k.noThread()) + ", win |-> " + winTla(g.win()) + "]";
        }));
        out.put("res", fn(t -> "\"" + IpcState.RESULTS[s.res[t]] + "\""));
        out.put("delivered", fn(t -> bool((s.delivered & (1 << t)) != 0)));
        out.put("calledOf", fn(t -> idOr(s.calledOf[t], k.noThread())));
        TreeSet<String> deletedIds = new TreeSet<>();
        for (int c = 0; c < n * v; c++) {
            if (s.wasDeleted(c)) {
                deletedIds.add(idTla(c));
            }
        }
        out.put("deletedIds", "{" + String.join(", ", deletedIds) + "}");
        out.put("note", fn(t -> bitsTla(s.note[t])));
        out.put("owed", fn(t -> bitsTla(s.owed[t])));
        out.put("got", fn(t -> bitsTla(s.got[t])));
        out.put("ring", seq(s.ring, Integer::toString));
        out.put("issued", Integer.toString(s.issued));
        out.put("served", seq(s.served, Integer::toString));
        out.put("bell", "\"" + IpcState.BELL[s.bell] + "\"");
        return out;
    }

    private String fn(java.util.function.IntFunction<String> value) {
        StringJoiner j = new StringJoiner(" @@ ", "(", ")");
        for (int t = 0; t < n; t++) {
            j.add(k.threads().get(t) + " :> " + value.apply(t));
        }
        return j.toString();
    }

    private static String seq(int[] q, java.util.function.IntFunction<String> element) {
        StringJoiner j = new StringJoiner(", ", "<<", ">>");
        for (int x : q) {
            j.add(element.apply(x));
        }
        return j.toString();
    }

    private static String bool(boolean b) {
        return b ? "TRUE" : "FALSE";
    }

    /** A thread ID as the spec's record. */
    public String idTla(int id) {
        return "[slot |-> " + k.threads().get(slot(id)) + ", ver |-> " + id % v + "]";
    }

    private String idOr(int id, String none) {
        return id == IpcState.NONE ? none : id == IpcState.ANY ? k.any() : idTla(id);
    }

    private String bitsTla(int mask) {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        for (int b = 0; b < k.bits().size(); b++) {
            if ((mask & (1 << b)) != 0) {
                j.add(Integer.toString(k.bits().get(b)));
            }
        }
        return j.toString();
    }

    private String winTla(int w) {
        return w == IpcState.NONE ? k.noWindow() : fpTla(w);
    }

    private String fpTla(int fp) {
        return "[base |-> " + fps.get(fp).base() + ", ord |-> " + fps.get(fp).ord() + "]";
    }

    private String itemTla(int i) {
        Item it = items.get(i);
        return it == null ? k.noItem()
                : "[kind |-> \"" + it.kind() + "\", fp |-> " + fpTla(it.fp()) + ", sb |-> " + it.sb() + ", rights |-> "
                        + Rights.toTla(it.rights()) + "]";
    }

    private static String tmoTla(int tmo) {
        return "\"" + IpcConstants.TIMEOUT_NAMES.get(tmo) + "\"";
    }

    private String msgTla(int m) {
        return "[w |-> " + word(m) + ", item |-> " + itemTla(itemIndex(m)) + "]";
    }

    private String thTla(Th th) {
        return switch (th.kind()) {
            case READY, DEAD, WAIT -> "[kind |-> \"" + th.kind().tla + "\"]";
            case SEND -> "[kind |-> \"send\", to |-> " + idTla(th.peer()) + ", msg |-> " + msgTla(th.msg()) + ", call |-> "
                    + bool(th.flag()) + ", win |-> " + winTla(th.win()) + ", tmo |-> " + tmoTla(th.tmo()) + "]";
            case RECV -> "[kind |-> \"recv\", from |-> " + idOr(th.peer(), k.noThread()) + ", reply |-> " + bool(th.flag())
                    + ", win |-> " + winTla(th.win()) + ", tmo |-> " + tmoTla(th.tmo()) + "]";
        };
    }

    /** Whether no value occurs twice in {@code xs}. */
    private static boolean allDistinct(int[] xs) {
        for (int i = 0; i < xs.length; i++) {
            for (int j = i + 1; j < xs.length; j++) {
                if (xs[i] == xs[j]) {
                    return false;
                }
            }
        }
        return true;
    }
}
