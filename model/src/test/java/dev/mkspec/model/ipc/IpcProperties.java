package dev.mkspec.model.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.Action;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import dev.mkspec.model.addressspaces.Rights;
import dev.mkspec.model.ipc.IpcState.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Properties of the IPC model on random operations from several threads, at bounds the model
 * checkers do not reach: a pager in Sigma0 and three threads in two spaces, versions up to 3
 * (so stale IDs abound), every timeout, map and grant items over two pages with unmap and flush
 * between them, notification with two bits and a ring of two slots. Every IPC invariant is checked after every step, and a shrunk
 * failure reads as a trace: each step is the spec's action with its arguments and what became of
 * the acting thread.
 */
class IpcProperties {
    static final List<String> THREADS = List.of("p", "a", "b", "c");

    static IpcConstants constants(IpcBug bug) {
        AddressSpacesConstants spaces = AddressSpacesConstants.of(List.of("s1", "s2"), 2, List.of("r", "w"), 0);
        return new IpcConstants(spaces, THREADS, List.of(0, 1, 2), 3, List.of(1, 2), List.of("zero", "finite", "inf"),
                IpcConstants.OP_NAMES, List.of(1, 2), -1, 2, 5, "NoThread", "Any", "NoMsg", "NoItem", "NoWindow", bug);
    }

    static final IpcModel MODEL = new IpcModel(constants(IpcBug.NONE));

    /** Whether MODEL's invariant named {@code name} holds in {@code s}. */
    private static boolean holds(String name, IpcState s) {
        return MODEL.invariants().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow().holds().test(s);
    }

    /** The placement the chains start from: p in Sigma0, a and b in s1, c in s2. */
    static IpcState start(IpcModel model) {
        for (IpcState s : model.initialStates()) {
            if (s.home(0) == 0 && s.home(1) == 1 && s.home(2) == 1 && s.home(3) == 2) {
                return s;
            }
        }
        throw new IllegalStateException("no such placement");
    }

    record Step(Action action, IpcState next) {
    }

    /**
     * Chains of random steps. Each step first picks an operation, then its arguments among those
     * that make sense in the state (a ready thread, any thread ID, stale ones included), so that
     * the many ways to fail (a stale ID, a zero timeout) do not crowd out the operations that
     * succeed, and so that no step needs all of a state's successors.
     */
    static Arbitrary<ActionChain<IpcState>> chains(IpcModel model, int length) {
        return ActionChain.<IpcState>startWith(() -> start(model))
                .withAction(new net.jqwik.api.state.Action.Dependent<IpcState>() {
                    @Override
                    public Arbitrary<Transformer<IpcState>> transformer(IpcState s) {
                        List<Arbitrary<Step>> candidates = candidates(model, s);
                        if (candidates.isEmpty()) {
                            // Every thread blocked for ever, nothing to delete: the run is over.
                            return Arbitraries.just(Transformer.endOfChain());
                        }
                        return Arbitraries.oneOf(candidates)
                                .filter(step -> step.next() != null)
                                .map(step -> Transformer.transform(describe(model, step), from -> step.next()));
                    }
                })
                .withMaxTransformations(length);
    }

    /**
     * For each operation that has arguments in s, an arbitrary of its steps (next is null when
     * not enabled). Targets are mostly the other threads' current IDs and sometimes any ID, stale
     * ones included; replies mostly go to the replier's callers.
     */
    static List<Arbitrary<Step>> candidates(IpcModel model, IpcState s) {
        IpcConstants k = model.constants();
        int n = THREADS.size();
        List<Integer> ready = new ArrayList<>();
        List<Integer> blocked = new ArrayList<>();
        List<Integer> alive = new ArrayList<>();
        List<Integer> creatable = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            Kind kind = s.thread(t).kind();
            if (kind == Kind.READY) {
                ready.add(t);
            }
            if ((kind == Kind.SEND || kind == Kind.RECV) && s.thread(t).tmo() == 1) {
                blocked.add(t);
            }
            if (kind != Kind.DEAD) {
                alive.add(t);
            } else {
                // every dead slot, the ones with no version left too: the model must refuse those
                creatable.add(t);
            }
        }
        List<Arbitrary<Step>> out = new ArrayList<>();
        Arbitrary<Integer> anyId = Arbitraries.integers().between(0, k.ids() - 1);
        Arbitrary<Integer> msg = Arbitraries.integers().between(0, model.messageCount() - 1);
        Arbitrary<Integer> tmo = Arbitraries.of(model.timeoutCodes());
        Arbitrary<Integer> win = Arbitraries.of(model.windowCodes());
        Arbitrary<Integer> claim = Arbitraries.of(model.claimCodes());
        if (!ready.isEmpty()) {
            Arbitrary<Integer> thread = Arbitraries.of(ready);
            if (k.allows("send")) {
                out.add(thread.flatMap(t -> Combinators.combine(target(model, s, t, anyId), msg, tmo, claim)
                        .as((to, m, o, c) -> step(model, s, "Send", t, to, m, o, c))));
            }
            if (k.allows("call")) {
                out.add(thread.flatMap(t -> Combinators.combine(target(model, s, t, anyId), msg, tmo, win, claim)
                        .as((to, m, o, w, c) -> step(model, s, "Call", t, to, m, o, w, c))));
            }
            if (k.allows("replywait")) {
                out.add(thread.flatMap(t -> Combinators.combine(replyTarget(model, s, t, anyId), msg, win)
                        .as((to, m, w) -> step(model, s, "ReplyWait", t, to, m, w))));
            }
            if (k.allows("recv")) {
                out.add(thread.flatMap(t -> Combinators.combine(
                    Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(IpcState.ANY)),
                            Tuple.of(2, target(model, s, t, anyId))),
                    tmo, win).as((from, o, w) -> step(model, s, "Receive", t, from, o, w))));
            }
            if (k.allows("signal") && !k.bits().isEmpty()) {
                out.add(thread.flatMap(t -> Combinators.combine(target(model, s, t, anyId),
                        Arbitraries.integers().between(0, k.bits().size() - 1))
                        .as((to, b) -> step(model, s, "Signal", t, to, b))));
            }
            if (k.allows("wait")) {
                out.add(thread.map(t -> step(model, s, "Wait", t)));
            }
            if (k.allows("unmap")) {
                out.add(thread.flatMap(t -> Combinators.combine(
                        Arbitraries.integers().between(0, model.fpageCount() - 1),
                        Arbitraries.of(Rights.nonEmptySubsets(k.spaces().allRights())), Arbitraries.of(0, 1))
                        .as((v, r, own) -> step(model, s, "Unmap", t, v, r, own))));
            }
        }
        if (!blocked.isEmpty()) {
            out.add(Arbitraries.of(blocked).map(t -> step(model, s, "TimeoutFires", t)));
        }
        if (!alive.isEmpty() && k.allows("delete")) {
            out.add(Arbitraries.of(alive).map(t -> step(model, s, "ThreadDelete", t)));
        }
        if (!creatable.isEmpty() && k.allows("create")) {
            // A slot with no version left must be refused; the refusal is a step that keeps the
            // state, so a chain whose threads are all dead and spent still has a step to take
            // (a null there left the filter nothing to find: TooManyFilterMisses), and a model
            // that accepts it moves on to a state that breaks IPC-20.
            out.add(Arbitraries.of(creatable).map(t -> {
                Step created = step(model, s, "ThreadCreate", t);
                return created.next() != null || s.version(t) < k.maxVersion() ? created
                        : new Step(created.action(), s);
            }));
        }
        for (String batch : List.of("BatchPut", "BatchRing", "BatchDrain", "BatchAnswer")) {
            if (model.apply(s, batch) != null) {
                out.add(Arbitraries.just(step(model, s, batch)));
            }
        }
        return out;
    }

    /** Mostly another thread's current ID, sometimes any ID (stale, dead or one's own slot). */
    private static Arbitrary<Integer> target(IpcModel model, IpcState s, int t, Arbitrary<Integer> anyId) {
        List<Integer> current = new ArrayList<>();
        for (int x = 0; x < THREADS.size(); x++) {
            if (x != t) {
                current.add(x * model.constants().versions() + s.version(x));
            }
        }
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(current)), Tuple.of(1, anyId));
    }

    /** Mostly one of t's callers, when it has any; else any ID. */
    private static Arbitrary<Integer> replyTarget(IpcModel model, IpcState s, int t, Arbitrary<Integer> anyId) {
        List<Integer> callers = new ArrayList<>();
        for (int id = 0; id < model.constants().ids(); id++) {
            if (s.isCaller(t, id)) {
                callers.add(id);
            }
        }
        return callers.isEmpty() ? anyId : Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(callers)), Tuple.of(1, anyId));
    }

    private static Step step(IpcModel model, IpcState s, String name, int... args) {
        return new Step(model.action(name, args), model.apply(s, name, args));
    }

    /** The action, and the acting thread's state and result after it. */
    static String describe(IpcModel model, Step step) {
        List<String> args = step.action().args();
        if (args.isEmpty()) {
            return step.action().toString();
        }
        int t = THREADS.indexOf(args.get(0));
        IpcState n = step.next();
        return step.action() + "  => " + args.get(0) + " " + n.thread(t).kind().name().toLowerCase(java.util.Locale.ROOT)
                + ", result " + n.result(t);
    }

    static ActionChain<IpcState> withInvariants(IpcModel model, ActionChain<IpcState> chain) {
        return dev.mkspec.check.Chains.withInvariants(model, chain);
    }

    @Provide
    Arbitrary<ActionChain<IpcState>> operations() {
        return chains(MODEL, 60);
    }

    @Property(tries = 300)
    void everyIpcInvariantHoldsAfterEveryStep(@ForAll("operations") ActionChain<IpcState> chain) {
        withInvariants(MODEL, chain).run();
    }

    @Provide
    Arbitrary<IpcState> states() {
        return chains(MODEL, 30).map(ActionChain::run);
    }

    @Provide
    Arbitrary<Integer> threads() {
        return Arbitraries.integers().between(0, THREADS.size() - 1);
    }

    /** A thread ID whose slot has moved on to a newer thread, or whose thread is dead. */
    static List<Integer> staleIds(IpcState s) {
        List<Integer> out = new ArrayList<>();
        int v = MODEL.constants().versions();
        for (int t = 0; t < THREADS.size(); t++) {
            for (int ver = 0; ver < v; ver++) {
                if (ver != s.version(t) || s.thread(t).kind() == Kind.DEAD) {
                    out.add(t * v + ver);
                }
            }
        }
        return out;
    }

    /** A reached state, a ready thread in it, and a stale ID of another slot. */
    record StaleTarget(IpcState state, int t, int to) {
    }

    /** Drawn from the state rather than assumed, so no seed exhausts the property on rejections. */
    @Provide
    Arbitrary<StaleTarget> staleTargets() {
        return states().map(s -> {
            List<StaleTarget> out = new ArrayList<>();
            for (int t = 0; t < THREADS.size(); t++) {
                if (s.thread(t).kind() == Kind.READY) {
                    for (int id : staleIds(s)) {
                        if (MODEL.slot(id) != t) {
                            out.add(new StaleTarget(s, t, id));
                        }
                    }
                }
            }
            return out;
        }).filter(l -> !l.isEmpty()).flatMap(Arbitraries::of);
    }

    @Property(tries = 300)
    void ipcToAStaleIdFailsWithNoPartnerAndChangesNothingElse(@ForAll("staleTargets") StaleTarget g) {
        IpcState s = g.state();
        int t = g.t();
        int to = g.to();
        for (boolean call : new boolean[] {false, true}) {
            IpcState after = MODEL.sendOrCall(s, t, to, 0, 2, IpcState.NONE, IpcState.NONE, call);
            assertNotNull(after);
            assertEquals("nopartner", after.result(t));
            assertEquals(Kind.READY, after.thread(t).kind());
            for (int u = 0; u < THREADS.size(); u++) {
                if (u != t) {
                    assertEquals(s.thread(u), after.thread(u), "IPC to a stale ID touched thread " + THREADS.get(u));
                    assertEquals(s.registers(u), after.registers(u));
                }
            }
        }
    }

    /** Two distinct threads of a reached state, both ready. */
    record Pair(IpcState state, int t, int x) {
    }

    @Provide
    Arbitrary<Pair> readyPairs() {
        return states().map(s -> {
            List<Pair> out = new ArrayList<>();
            for (int t = 0; t < THREADS.size(); t++) {
                for (int x = 0; x < THREADS.size(); x++) {
                    if (t != x && s.thread(t).kind() == Kind.READY && s.thread(x).kind() == Kind.READY) {
                        out.add(new Pair(s, t, x));
                    }
                }
            }
            return out;
        }).filter(l -> !l.isEmpty()).flatMap(Arbitraries::of);
    }

    @Property(tries = 200)
    void deletingAServerInMidCallAbortsTheCaller(@ForAll("readyPairs") Pair p, @ForAll boolean serverReceives) {
        IpcState s = p.state();
        if (serverReceives) {
            // The server is in an open receive, so the call is taken at once and waits for the reply.
            s = MODEL.receive(s, p.x(), IpcState.ANY, 2, IpcState.NONE);
            Assume.that(s.thread(p.x()).kind() == Kind.RECV);
        }
        IpcState called = MODEL.sendOrCall(s, p.t(), MODEL.id(s, p.x()), 0, 2, IpcState.NONE, IpcState.NONE, true);
        IpcState.Th caller = called.thread(p.t());
        assertTrue(caller.kind() == (serverReceives ? Kind.RECV : Kind.SEND), "the call blocks: " + caller);
        IpcState after = MODEL.delete(called, p.x());
        assertEquals(Kind.READY, after.thread(p.t()).kind());
        assertEquals("aborted", after.result(p.t()));
        assertEquals(0, after.queue(p.x()).length);
        for (int x = 0; x < THREADS.size(); x++) {
            assertTrue(!after.isCaller(x, MODEL.id(after, p.t())), "the aborted caller kept a reply right");
        }
        assertTrue(holds("QueuesConsistent", after) && holds("ReplyAuthority", after));
    }

    @Property(tries = 200)
    void aFiniteTimeoutTakesTheSenderOutOfTheQueue(@ForAll("readyPairs") Pair p) {
        IpcState s = p.state();
        IpcState blocked = MODEL.sendOrCall(s, p.t(), MODEL.id(s, p.x()), 0, 1, IpcState.NONE, IpcState.NONE, false);
        assertEquals(Kind.SEND, blocked.thread(p.t()).kind());
        IpcState after = MODEL.timeoutFires(blocked, p.t());
        assertEquals("timeout", after.result(p.t()));
        for (int y : after.queue(p.x())) {
            assertTrue(y != p.t(), THREADS.get(p.t()) + " is still queued after its timeout");
        }
        assertTrue(holds("QueuesConsistent", after));
    }

    @Property(tries = 200)
    void aSignalBeforeAWaitIsReturnedByIt(@ForAll("readyPairs") Pair p) {
        IpcState signalled = MODEL.signal(p.state(), p.t(), MODEL.id(p.state(), p.x()), 1);
        assertTrue((signalled.notification(p.x()) & 2) != 0);
        IpcState waited = MODEL.waitNote(signalled, p.x());
        assertEquals(0, waited.notification(p.x()));
        assertEquals("ok", waited.result(p.x()));
        assertTrue(MODEL.noLostSignal(waited));
    }

    /** Every bug the random chains can reach (not the liveness bug, which needs TLC). */
    static final Set<IpcBug> SAFETY_BUGS = Set.of(IpcBug.REPLY_ANY, IpcBug.STALE_ID_UNCHECKED, IpcBug.WAIT_CLEARS_FIRST,
            IpcBug.DELETE_KEEPS_QUEUED, IpcBug.FORGE_SENDER, IpcBug.RECEIVE_KEEPS_SENDER, IpcBug.RING_OVERWRITE,
            IpcBug.MAP_ITEM_UNCHECKED, IpcBug.CLOSED_TAKES_HEAD, IpcBug.BLOCK_KEEPS_REGISTERS,
            IpcBug.TIMEOUT_KEEPS_REGISTERS, IpcBug.VERSION_OVERFLOW, IpcBug.CREATE_KEEPS_VERSION);
}
