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
import dev.mkspec.model.ipc.IpcModel;
import dev.mkspec.model.ipc.IpcState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Exhaustive refinement at the bounds of an {@code Ipc} cfg: the kernel is explored breadth
 * first over every system call the model's threads can make at those bounds (and deletion and
 * creation by Sigma0's thread), and its graph of observable states and labelled steps must equal
 * the model's, projected the same way: every kernel step is a model step with the call's own
 * label, and every model step is realised by a kernel call.
 *
 * <p>Both sides are compared through {@link IpcAbstraction}'s observable view (the ghosts, reply
 * authority among them, are not observable). A kernel state is identified by that view and the
 * TCB fields it leaves out (a non-blocked thread's partner, message and flags, a blocked thread's
 * stale result, the wait mask); which runnable thread holds the CPU, the ready queue's order and
 * the TLB are left out, since the calls name their thread. States are rebuilt by replaying their
 * scripts on a fresh kernel, and a replay that does not rebuild its state is an error.
 *
 * <p>Left out on both sides, because the kernel has no such call: finite timeouts (Timeouts loses
 * {@code finite}, so TimeoutFires never happens) and calls with timeout zero (a kernel call waits
 * for ever; a model {@code Call} with zero leads where {@code Call} with inf, or a zero-timeout
 * {@code Send} that fails, leads). Calls addressing the caller itself are judged by the forward
 * simulation instead (the model has no action for them).
 */
public final class IpcGraph {
    private final KernelConfig config;
    private final RandomIpcRuns setUp;
    private final IpcConstants constants;
    private final IpcModel model;

    /** One labelled step between views. */
    public record Edge(IpcAbstraction.View from, String action, IpcAbstraction.View to) {
    }

    /**
     * What the comparison found.
     *
     * @param modelStates the model's reachable states (with ghosts)
     * @param modelViews their distinct views
     * @param modelEdges distinct labelled steps between views
     * @param kernelStates distinct kernel states explored (views with the TCB fields they leave out)
     * @param kernelViews their distinct views
     * @param kernelEdges distinct labelled steps between views the kernel took
     * @param kernels fresh kernels built to replay scripts
     * @param difference the first difference, or empty when the graphs are equal
     */
    public record Result(int modelStates, int modelViews, int modelEdges, int kernelStates, int kernelViews, int kernelEdges,
            int kernels, Optional<String> difference) {
        public boolean equal() {
            return difference.isEmpty();
        }
    }

    public IpcGraph(KernelConfig config, IpcConstants constants) {
        this.config = config;
        this.setUp = new RandomIpcRuns(config, constants);
        this.constants = setUp.constants();
        this.model = new IpcModel(this.constants);
    }

    /**
     * A kernel state: its view, and the fields of the slots' TCBs that the view leaves out (the
     * partner, message and flags of a thread that is not blocked, the stale result of a blocked
     * one, the wait mask), so that no kernel behaviour that depends on them is judged on one
     * representative only.
     */
    private record Node(IpcAbstraction.View view, List<Object> hidden) {
    }

    private static Node node(Kernel k, IpcAbstraction abs, int[] got) {
        List<Object> hidden = new ArrayList<>();
        for (int t = 0; t < abs.constants().threads().size(); t++) {
            Kernel.ThreadView v = k.threadView(abs.number(t));
            hidden.add(List.of(v.partner(), String.valueOf(v.outgoing()), v.calling(), v.awaitingReply(), v.waitMask()));
        }
        return new Node(abs.observe(k, got), hidden);
    }

    /** A kernel with its {@code got} registers (which live in the threads' own memory). */
    private static final class Run {
        final Kernel k;
        int[] got;

        Run(Kernel k, int slots) {
            this.k = k;
            this.got = new int[slots];
        }
    }

    /** Compares the two graphs for every placement of the threads in ThreadSpaces. */
    public Result compare(Consumer<String> progress) {
        Set<Edge> modelEdges = new LinkedHashSet<>();
        Set<IpcAbstraction.View> modelViews = new LinkedHashSet<>();
        Set<Edge> kernelEdges = new LinkedHashSet<>();
        Set<IpcAbstraction.View> kernelViews = new LinkedHashSet<>();
        int kernelStates = 0;
        int modelStates = 0;
        int[] kernels = {0};
        int slots = constants.threads().size();
        for (IpcState init : model.initialStates()) {
            int[] homes = new int[slots];
            for (int t = 0; t < slots; t++) {
                homes[t] = init.home(t);
            }
            Run first = new Run(new Kernel(config), slots);
            kernels[0]++;
            IpcAbstraction abs = setUp.setUp(first.k, homes, new ArrayList<>());
            // The model, from this placement, over the kernel's calls.
            Set<IpcState> seen = new java.util.HashSet<>(List.of(init));
            ArrayDeque<IpcState> todo = new ArrayDeque<>(seen);
            while (!todo.isEmpty()) {
                IpcState s = todo.poll();
                IpcAbstraction.View v = abs.observe(s);
                modelViews.add(v);
                model.successors(s, (a, n) -> {
                    if (realisable(a)) {
                        modelEdges.add(new Edge(v, a.toString(), abs.observe(n)));
                        if (seen.add(n)) {
                            todo.add(n);
                        }
                    }
                });
            }
            modelStates += seen.size();
            // The kernel, from the same placement.
            Map<Node, List<Call>> scripts = new HashMap<>();
            Node start = node(first.k, abs, first.got);
            scripts.put(start, List.of());
            ArrayDeque<Node> queue = new ArrayDeque<>(List.of(start));
            Run spare = first;
            while (!queue.isEmpty()) {
                Node at = queue.poll();
                kernelViews.add(at.view);
                kernelStates++;
                List<Call> script = scripts.get(at);
                Run base = spare != null ? spare : replay(homes, script, kernels, abs, at);
                spare = null;
                for (Call c : calls(base.k, abs)) {
                    Run run = base != null ? base : replay(homes, script, kernels, abs, at);
                    base = null;
                    Node after;
                    String label;
                    try {
                        IpcSimulation.Step step = c.slot == IpcSimulation.ADMIN ? IpcSimulation.adminAction(run.k, abs, c.call)
                                : IpcSimulation.actionFor(run.k, abs, c.slot, c.call);
                        run(run, abs, c);
                        after = node(run.k, abs, run.got);
                        label = step == null ? "(no model action) " + c : model.action(step.name(), step.args()).toString();
                    } catch (KernelAbstraction.OutOfBounds e) {
                        return new Result(modelStates, modelViews.size(), modelEdges.size(), kernelStates,
                                kernelViews.size(), kernelEdges.size(), kernels[0], Optional.of("the kernel left the bounds: " + e.getMessage()
                                        + "\n  after " + describe(script, c)));
                    }
                    Edge e = new Edge(at.view, label, after.view);
                    if (kernelEdges.add(e) && !modelEdges.contains(e)) {
                        // The first kernel step the model lacks: stop here, the finding is enough.
                        kernelEdges.add(e);
                        return new Result(modelStates, modelViews.size(), modelEdges.size(), kernelStates, kernelViews.size(),
                                kernelEdges.size(), kernels[0], difference(Set.of(e), modelEdges,
                                        "the kernel takes a step the model does not have"));
                    }
                    if (after.equals(at)) {
                        // A stutter of the whole kernel state (view and TCB fields): the kernel serves
                        // the next call as well as a replay would (replays check that they agree).
                        base = run;
                    }
                    if (!scripts.containsKey(after)) {
                        List<Call> longer = new ArrayList<>(script);
                        longer.add(c);
                        scripts.put(after, List.copyOf(longer));
                        queue.add(after);
                    }
                }
                if (kernelStates % 200 == 0) {
                    progress.accept(String.format("kernel graph (IPC): %,d states, %,d steps, %,d kernels built",
                            kernelStates, kernelEdges.size(), kernels[0]));
                }
            }
        }
        Optional<String> diff = difference(kernelEdges, modelEdges, "the kernel takes a step the model does not have")
                .or(() -> difference(modelEdges, kernelEdges, "no kernel call realises a model step"));
        if (diff.isEmpty() && !kernelViews.equals(modelViews)) {
            diff = Optional.of("the kernel reaches " + kernelViews.size() + " views, the model " + modelViews.size());
        }
        return new Result(modelStates, modelViews.size(), modelEdges.size(), kernelStates, kernelViews.size(),
                kernelEdges.size(), kernels[0], diff);
    }

    private static Optional<String> difference(Set<Edge> a, Set<Edge> b, String what) {
        for (Edge e : a) {
            if (!b.contains(e)) {
                String alike = b.stream().filter(x -> x.from.equals(e.from) && x.action.equals(e.action)).findFirst()
                        .map(x -> "\n  the other side's step " + x.action + " leads to:" + e.to.difference(x.to)).orElse("");
                return Optional.of(what + ": " + e.action + "\n  from " + e.from.slots() + "\n  to   " + e.to.slots() + alike);
            }
        }
        return Optional.empty();
    }

    /** Whether the kernel has a call for this model step (not TimeoutFires, not a zero-timeout Call). */
    private static boolean realisable(dev.mkspec.check.Action a) {
        return !a.name().equals("TimeoutFires") && !(a.name().equals("Call") && a.args().get(3).equals("\"zero\""));
    }

    /** A call of a slot (or {@link IpcSimulation#ADMIN}). */
    private record Call(int slot, Syscall call) {
        @Override
        public String toString() {
            return (slot == IpcSimulation.ADMIN ? "admin" : "slot " + slot) + " " + call;
        }
    }

    private static String describe(List<Call> script, Call last) {
        List<String> out = new ArrayList<>();
        script.forEach(c -> out.add(c.toString()));
        out.add(last.toString());
        return String.join("\n        ", out);
    }

    /**
     * A fresh kernel with {@code script} replayed on it, which must be the state {@code at} again
     * (else the exploration would judge a state it never reached).
     */
    private Run replay(int[] homes, List<Call> script, int[] kernels, IpcAbstraction abs, Node at) {
        Run run = new Run(new Kernel(config), homes.length);
        kernels[0]++;
        IpcAbstraction again = setUp.setUp(run.k, homes, new ArrayList<>());
        for (Call c : script) {
            run(run, again, c);
        }
        if (!node(run.k, abs, run.got).equals(at)) {
            throw new IllegalStateException("replaying " + script + " did not rebuild the kernel state it reached before");
        }
        return run;
    }

    private static void run(Run run, IpcAbstraction abs, Call c) {
        Kernel k = run.k;
        ThreadId caller = c.slot == IpcSimulation.ADMIN ? k.sigma0Thread() : k.threadView(abs.number(c.slot)).id();
        dev.mkspec.kernel.ThreadState[] before = abs.states(k);
        SyscallResult r = k.syscall(caller, c.call);
        run.got = abs.got(k, run.got, before, c.slot == IpcSimulation.ADMIN ? -1 : c.slot, c.call, r);
    }

    /** Every call the model's alphabet has in this kernel state. */
    private List<Call> calls(Kernel k, IpcAbstraction abs) {
        List<Call> out = new ArrayList<>();
        int n = constants.threads().size();
        int ids = n * constants.versions();
        List<Timeout> timeouts = new ArrayList<>();
        if (constants.timeouts().contains("zero")) {
            timeouts.add(Timeout.ZERO);
        }
        if (constants.timeouts().contains("inf")) {
            timeouts.add(Timeout.INFINITE);
        }
        for (int t = 0; t < n; t++) {
            Kernel.ThreadView me = k.threadView(abs.number(t));
            if (me.state() == ThreadState.READY || me.state() == ThreadState.RUNNING) {
                for (int id = 0; id < ids; id++) {
                    ThreadId to = abs.kernelId(id);
                    boolean other = id / constants.versions() != t;
                    for (int w : constants.words()) {
                        Message m = Message.of(w);
                        for (Timeout tmo : timeouts) {
                            if (other && constants.allows("send")) {
                                out.add(new Call(t, new Syscall.Send(to, m, tmo)));
                            }
                        }
                        if (other && constants.allows("call") && constants.timeouts().contains("inf")) {
                            out.add(new Call(t, new Syscall.Call(to, m, 0, 0, null)));
                        }
                        if (other && constants.allows("replywait")) {
                            out.add(new Call(t, new Syscall.ReplyWait(to, m, 0, 0, null)));
                        }
                    }
                    for (int b = 0; b < constants.bits().size(); b++) {
                        if (other && constants.allows("signal")) {
                            out.add(new Call(t, new Syscall.Signal(to, 1L << b)));
                        }
                    }
                    if (!to.equals(me.id()) && constants.allows("recv")) {
                        for (Timeout tmo : timeouts) {
                            out.add(new Call(t, new Syscall.Receive(to, tmo, 0, 0, null)));
                        }
                    }
                }
                if (constants.allows("recv")) {
                    for (Timeout tmo : timeouts) {
                        out.add(new Call(t, new Syscall.Receive(ThreadId.ANY, tmo, 0, 0, null)));
                    }
                    if (constants.allows("replywait") && constants.timeouts().contains("inf")) {
                        // ReplyWait(NIL) is the open receive, with timeout infinity
                        out.add(new Call(t, new Syscall.ReplyWait(ThreadId.NIL, Message.of(constants.words().get(0)), 0, 0,
                                null)));
                    }
                }
                if (constants.allows("wait")) {
                    out.add(new Call(t, new Syscall.Wait((1L << constants.bits().size()) - 1)));
                }
            }
            if (me.state() != ThreadState.DEAD && constants.allows("delete")) {
                out.add(new Call(IpcSimulation.ADMIN, new Syscall.DeleteThread(me.id())));
            }
            if (me.state() == ThreadState.DEAD && constants.allows("create") && abs.version(k, t) < constants.maxVersion()) {
                int home = abs.home(t);
                SpaceId space = k.spaces().stream().filter(s -> s.number() == home).findFirst().orElseThrow();
                out.add(new Call(IpcSimulation.ADMIN, new Syscall.CreateThread(space, abs.number(t))));
            }
        }
        return out;
    }
}
