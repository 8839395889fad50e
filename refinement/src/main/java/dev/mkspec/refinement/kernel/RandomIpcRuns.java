package dev.mkspec.refinement.kernel;

import dev.mkspec.kernel.Kernel;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.Message;
import dev.mkspec.kernel.SpaceId;
import dev.mkspec.kernel.Syscall;
import dev.mkspec.kernel.SyscallResult;
import dev.mkspec.kernel.ThreadId;
import dev.mkspec.kernel.ThreadState;
import dev.mkspec.kernel.Timeout;
import dev.mkspec.model.ipc.IpcConstants;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random IPC and notification calls from the model's threads, and deletions and creations by an
 * administrator, judged by an {@link IpcSimulation}. Arguments are the model's (IDs of every slot
 * and version, the caller's own among them, stale and dead ones; every word, timeout and bit the
 * constants allow), biased towards partners that are ready for them so that deliveries, replies,
 * wake-ups and aborts happen often.
 *
 * <p>Set-up: Sigma0's thread creates the cfg's spaces and then, in each space chosen at random
 * from ThreadSpaces, one thread per model slot; the kernel must then stand for the model's initial
 * state with that placement.
 */
public final class RandomIpcRuns {
    /** How a run ended; as {@link RandomKernelRuns.Outcome}. */
    public record Outcome(long seed, int calls, int modelSteps, Map<String, Integer> actions, List<String> trace,
            RefinementFailure failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    private final KernelConfig config;
    private final IpcConstants constants;
    private final java.util.function.Function<Kernel, List<String>> alsoCheck;

    /**
     * @throws IllegalArgumentException if the constants ask for what the kernel does not have
     *     (finite timeouts alone, map items, batching, a server role)
     */
    public RandomIpcRuns(KernelConfig config, IpcConstants constants) {
        this(config, constants, k -> List.of());
    }

    /** Runs that also apply {@code alsoCheck} after every call, as {@link RandomKernelRuns}' do. */
    public RandomIpcRuns(KernelConfig config, IpcConstants constants, java.util.function.Function<Kernel, List<String>> alsoCheck) {
        this.config = config;
        this.constants = realisable(constants);
        this.alsoCheck = alsoCheck;
    }

    /**
     * The constants as the kernel can realise them: Timeouts without {@code finite} (the kernel's
     * timeouts are 0 and infinity, so TimeoutFires is never taken).
     *
     * @throws IllegalArgumentException for constants the kernel cannot stand for at all
     */
    public static IpcConstants realisable(IpcConstants c) {
        for (String op : List.of("map", "grant", "batch", "unmap")) {
            if (c.allows(op)) {
                throw new IllegalArgumentException("the IPC refinement does not abstract Ops \"" + op + "\" (map items and"
                        + " unmap are judged by the AddressSpaces refinement, batching is user code); use a cfg without it");
            }
        }
        if (c.server() >= 0) {
            throw new IllegalArgumentException("the IPC refinement drives every thread freely; use a cfg with Server = NoThread");
        }
        List<String> tmo = c.timeouts().stream().filter(t -> !t.equals("finite")).toList();
        if (tmo.isEmpty()) {
            throw new IllegalArgumentException("the kernel has no finite timeouts; Timeouts needs zero or inf");
        }
        return new IpcConstants(c.spaces(), c.threads(), c.threadSpaces(), c.maxVersion(), c.words(), tmo, c.ops(),
                c.bits(), c.server(), c.ringSize(), c.nRequests(), c.noThread(), c.any(), c.noMsg(), c.noItem(),
                c.noWindow(), dev.mkspec.model.ipc.IpcBug.NONE);
    }

    public IpcConstants constants() {
        return constants;
    }

    /**
     * The kinds of model step ({@link IpcSimulation#actionCounts}) a forward run must reach for the
     * operations the constants allow, so that its verdict means something: a zero timeout adds the
     * timeouts, deletion the aborts and stale IDs, every thread the refused self-addressed calls.
     */
    public static List<String> reaches(IpcConstants c) {
        List<String> out = new ArrayList<>();
        boolean zero = c.timeouts().contains("zero");
        if (c.allows("send")) {
            out.addAll(List.of("Send ok", "Send blocks"));
            if (zero) {
                out.add("Send timeout");
            }
        }
        if (c.allows("recv")) {
            out.addAll(List.of("Receive ok", "Receive blocks"));
            if (zero) {
                out.add("Receive timeout");
            }
        }
        if (c.allows("call")) {
            out.addAll(List.of("Call delivered", "Call queued"));
        }
        if (c.allows("replywait")) {
            out.addAll(List.of("ReplyWait replied", "ReplyWait unauthorised"));
        }
        if (c.allows("signal")) {
            out.addAll(List.of("Signal ok", "Signal wakes"));
        }
        if (c.allows("wait")) {
            out.addAll(List.of("Wait ok", "Wait blocks"));
        }
        if (c.allows("delete")) {
            out.add("ThreadDelete");
            if (c.allows("send")) {
                out.addAll(List.of("Send nopartner", "ThreadDelete aborts"));
            }
        }
        if (c.allows("create")) {
            out.add("ThreadCreate");
        }
        if (c.allows("send") || c.allows("signal")) {
            out.add("refused");
        }
        return out;
    }

    /** One run of {@code steps} random calls from {@code seed}. */
    public Outcome run(long seed, int steps) {
        Random rnd = new Random(seed);
        List<String> setUp = new ArrayList<>();
        IpcSimulation sim;
        try {
            sim = setUp(new Kernel(config), rnd, setUp);
        } catch (RefinementFailure f) {
            return new Outcome(seed, setUp.size(), 0, Map.of(), f.trace(), f);
        }
        int calls = 0;
        try {
            for (; calls < steps; calls++) {
                if (!step(sim, rnd)) {
                    break;
                }
                List<String> also = alsoCheck.apply(sim.kernel());
                if (!also.isEmpty()) {
                    throw new RefinementFailure("also", String.join("\n  ", also), sim.trace());
                }
            }
            return new Outcome(seed, calls, sim.modelSteps(), sim.actionCounts(), sim.trace(), null);
        } catch (RefinementFailure f) {
            return new Outcome(seed, calls + 1, sim.modelSteps(), sim.actionCounts(), f.trace(), f);
        }
    }

    /**
     * One run recorded for TLC trace validation: the kernel's view after set-up and after every
     * call, each labelled with the model action the call's arguments name; nothing is compared with
     * the Java model. No thread addresses itself (the spec has no such call; the forward
     * simulation judges those).
     *
     * @throws RefinementFailure if the kernel leaves the bounds or crashes
     */
    public Recorded trace(long seed, int steps) {
        Random rnd = new Random(seed);
        List<String> setUpCalls = new ArrayList<>();
        Kernel k = new Kernel(config);
        int[] homes = homes(rnd);
        IpcSimulation sim = IpcSimulation.recording(k, setUp(k, homes, setUpCalls), setUpCalls);
        for (int i = 0; i < steps && step(sim, rnd); i++) {
            // each call is recorded by the simulation
        }
        return new Recorded(sim.abstraction(), homes, sim.events(), sim.made());
    }

    /**
     * A recorded run: the abstraction it was seen through, the threads' spaces, its events (the
     * start first) and the calls that made them.
     */
    public record Recorded(IpcAbstraction abstraction, int[] homes, List<IpcSimulation.Event> events,
            List<IpcSimulation.Made> calls) {
        public Recorded {
            homes = homes.clone();
            events = List.copyOf(events);
            calls = List.copyOf(calls);
        }

        /** The same run with other events (a test's tampering). */
        public Recorded withEvents(List<IpcSimulation.Event> other) {
            return new Recorded(abstraction, homes, other, calls);
        }
    }

    /** The calls of a recorded run made again on a fresh kernel and judged against the Java model. */
    public Outcome judge(Recorded run) {
        List<String> setUpCalls = new ArrayList<>();
        Kernel k = new Kernel(config);
        IpcSimulation sim;
        try {
            sim = new IpcSimulation(k, setUp(k, run.homes(), setUpCalls), setUpCalls);
        } catch (RefinementFailure f) {
            return new Outcome(0, 0, 0, Map.of(), f.trace(), f);
        }
        try {
            run.calls().forEach(c -> sim.syscall(c.slot(), c.call()));
            return new Outcome(0, run.calls().size(), sim.modelSteps(), sim.actionCounts(), sim.trace(), null);
        } catch (RefinementFailure f) {
            return new Outcome(0, sim.made().size(), sim.modelSteps(), sim.actionCounts(), f.trace(), f);
        }
    }

    /** Sigma0's thread creates the spaces and the slots' threads, each in a random space of ThreadSpaces. */
    IpcSimulation setUp(Kernel k, Random rnd, List<String> trace) {
        return new IpcSimulation(k, setUp(k, homes(rnd), trace), trace);
    }

    /** A random space of ThreadSpaces for each slot. */
    private int[] homes(Random rnd) {
        int[] homes = new int[constants.threads().size()];
        for (int t = 0; t < homes.length; t++) {
            homes[t] = constants.threadSpaces().get(rnd.nextInt(constants.threadSpaces().size()));
        }
        return homes;
    }

    /**
     * Sigma0's thread creates the cfg's spaces and then one thread per model slot, slot t's in
     * space {@code homes[t]}; the abstraction of the kernel that leaves.
     */
    IpcAbstraction setUp(Kernel k, int[] homes, List<String> trace) {
        ThreadId root = k.sigma0Thread();
        RandomKernelRuns.equip(k, root);
        int n = constants.threads().size();
        for (int i = 1; i < constants.spaces().spaceCount(); i++) {
            must(k, root, new Syscall.CreateSpace(i), trace);
        }
        int[] numbers = new int[n];
        int[] base = new int[n];
        for (int t = 0; t < n; t++) {
            int home = homes[t];
            SpaceId space = k.spaces().stream().filter(s -> s.number() == home).findFirst().orElseThrow();
            ThreadId id = must(k, root, new Syscall.CreateThread(space), trace).from();
            RandomKernelRuns.equip(k, id);
            if (k.cpus() > 1) {
                // On several CPUs the slots' threads are spread over them, so that calls cross CPUs.
                k.setProcessor(id, t % k.cpus());
                trace.add(trace.size() + 1 + ". set-up " + id + " moves to CPU " + (t % k.cpus()));
            }
            numbers[t] = id.number();
            base[t] = id.version();
        }
        return new IpcAbstraction(constants, numbers, base, homes);
    }

    private static SyscallResult must(Kernel k, ThreadId caller, Syscall call, List<String> trace) {
        trace.add(trace.size() + 1 + ". set-up " + caller + " " + call);
        SyscallResult r = k.syscall(caller, call);
        if (r == null || !r.ok()) {
            throw new RefinementFailure("crash", "set-up call failed: " + r, trace);
        }
        return r;
    }

    /** One random call; false when no thread can make one. */
    boolean step(IpcSimulation sim, Random rnd) {
        Kernel k = sim.kernel();
        int n = constants.threads().size();
        List<Integer> ready = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            ThreadState st = k.threadView(sim.abstraction().number(t)).state();
            if (st == ThreadState.READY || st == ThreadState.RUNNING) {
                ready.add(t);
            }
        }
        boolean admin = constants.allows("delete") || constants.allows("create");
        if (ready.isEmpty() && !admin) {
            return false;
        }
        if (ready.isEmpty() || (admin && rnd.nextInt(8) == 0)) {
            adminStep(sim, rnd);
            return true;
        }
        int t = ready.get(rnd.nextInt(ready.size()));
        List<String> ops = new ArrayList<>();
        for (String op : List.of("send", "recv", "call", "replywait", "signal", "wait")) {
            boolean inf = constants.timeouts().contains("inf");
            if (constants.allows(op) && !(op.equals("signal") && constants.bits().isEmpty()) && !(op.equals("call") && !inf)) {
                ops.add(op);
            }
        }
        if (ops.isEmpty()) {
            adminStep(sim, rnd);
            return true;
        }
        String op = ops.get(rnd.nextInt(ops.size()));
        Message m = Message.of(constants.words().get(rnd.nextInt(constants.words().size())));
        Timeout tmo = timeout(rnd);
        sim.syscall(t, switch (op) {
            case "send" -> new Syscall.Send(partner(sim, rnd, t, false), m, tmo);
            case "call" -> new Syscall.Call(partner(sim, rnd, t, false), m, 0, 0, null);
            case "recv" -> new Syscall.Receive(rnd.nextInt(3) == 0 ? ThreadId.ANY : partner(sim, rnd, t, false), tmo, 0, 0, null);
            case "replywait" -> new Syscall.ReplyWait(rnd.nextInt(6) == 0 && constants.allows("recv")
                    && constants.timeouts().contains("inf") ? ThreadId.NIL : partner(sim, rnd, t, true), m, 0, 0, null);
            case "signal" -> new Syscall.Signal(partner(sim, rnd, t, false), 1L << rnd.nextInt(constants.bits().size()));
            default -> new Syscall.Wait(rnd.nextInt(4) == 0 ? -1L : (1L << constants.bits().size()) - 1);
        });
        return true;
    }

    private Timeout timeout(Random rnd) {
        List<String> tmo = constants.timeouts();
        return tmo.get(rnd.nextInt(tmo.size())).equals("zero") ? Timeout.ZERO : Timeout.INFINITE;
    }

    /**
     * A thread ID to address: mostly another slot's live thread (for a reply, preferably one that
     * waits for the caller's reply), else any model ID, the caller's own and stale ones included.
     */
    private ThreadId partner(IpcSimulation sim, Random rnd, int t, boolean reply) {
        Kernel k = sim.kernel();
        int n = constants.threads().size();
        if (rnd.nextInt(4) != 0) {
            List<ThreadId> live = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                Kernel.ThreadView v = k.threadView(sim.abstraction().number(s));
                boolean waits = v.state() == ThreadState.RECEIVING && v.awaitingReply() && v.partner().equals(sim.idOf(t));
                if (s != t && v.state() != ThreadState.DEAD && (!reply || waits)) {
                    live.add(v.id());
                }
            }
            if (!live.isEmpty()) {
                return live.get(rnd.nextInt(live.size()));
            }
        }
        int id = rnd.nextInt(n * constants.versions());
        if (!sim.judging() && id / constants.versions() == t) {
            // A recorded run for TLC stays inside the spec: no thread addresses itself.
            id = ((t + 1) % n) * constants.versions() + id % constants.versions();
        }
        return sim.abstraction().kernelId(id);
    }

    /** Sigma0's thread deletes a slot's thread (by a live, stale or dead ID) or creates one. */
    private void adminStep(IpcSimulation sim, Random rnd) {
        Kernel k = sim.kernel();
        int n = constants.threads().size();
        if (constants.allows("create") && rnd.nextBoolean()) {
            // A dead slot with a version left (beyond MaxVersion the kernel leaves the bounds); now
            // and then a live one, which the kernel must refuse.
            List<Integer> dead = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                if (k.threadView(sim.abstraction().number(t)).state() == ThreadState.DEAD
                        && sim.abstraction().version(k, t) < constants.maxVersion()) {
                    dead.add(t);
                }
            }
            int t = dead.isEmpty() || rnd.nextInt(8) == 0 ? rnd.nextInt(n) : dead.get(rnd.nextInt(dead.size()));
            if (dead.contains(t) || k.threadView(sim.abstraction().number(t)).state() != ThreadState.DEAD) {
                int home = sim.abstraction().home(t);
                SpaceId space = k.spaces().stream().filter(s -> s.number() == home).findFirst().orElseThrow();
                sim.syscall(IpcSimulation.ADMIN, new Syscall.CreateThread(space, sim.abstraction().number(t)));
                return;
            }
        }
        if (constants.allows("delete")) {
            int t = rnd.nextInt(n);
            ThreadId id = rnd.nextInt(4) == 0 ? sim.abstraction().kernelId(t * constants.versions()
                    + rnd.nextInt(constants.versions())) : sim.idOf(t);
            sim.syscall(IpcSimulation.ADMIN, new Syscall.DeleteThread(id));
        }
    }
}
