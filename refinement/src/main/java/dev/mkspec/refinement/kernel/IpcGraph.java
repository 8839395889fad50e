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
 * <p>Both sides are compared through {@link IpcAbstraction}'s observable view with {@code got}
 * left out (the ghosts, reply authority among them, are not observable). A kernel state is
 * identified by that view: which runnable thread holds the CPU, the ready queue's order, the
 * stale result of a blocked thread and the TLB are left out, since the calls name their thread
 * and no IPC decision reads them. States are rebuilt by replaying their scripts on a fresh kernel.
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
     * @param kernelStates distinct kernel states (views) explored
     * @param kernelEdges distinct labelled steps the kernel took
     * @param kernels fresh kernels built to replay scripts
     * @param difference the first difference, or empty when the graphs are equal
     */
    public record Result(int modelStates, int modelViews, int modelEdges, int kernelStates, int kernelEdges, int kernels,
            Optional<String> difference) {
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

    /** Compares the two graphs for every placement of the threads in ThreadSpaces. */
    public Result compare(Consumer<String> progress) {
        Set<Edge> modelEdges = new LinkedHashSet<>();
        Set<IpcAbstraction.View> modelViews = new LinkedHashSet<>();
        Set<Edge> kernelEdges = new LinkedHashSet<>();
        Set<IpcAbstraction.View> kernelViews = new LinkedHashSet<>();
        int modelStates = 0;
        int[] kernels = {0};
        boolean[] noGot = new boolean[constants.threads().size()];
        for (IpcState init : model.initialStates()) {
            int[] homes = new int[noGot.length];
            for (int t = 0; t < homes.length; t++) {
                homes[t] = init.home(t);
            }
            Kernel k0 = new Kernel(config);
            kernels[0]++;
            IpcAbstraction abs = setUp.setUp(k0, homes, new ArrayList<>());
            // The model, from this placement, over the kernel's calls.
            Set<IpcState> seen = new java.util.HashSet<>(List.of(init));
            ArrayDeque<IpcState> todo = new ArrayDeque<>(seen);
            while (!todo.isEmpty()) {
                IpcState s = todo.poll();
                IpcAbstraction.View v = abs.observe(s, noGot);
                modelViews.add(v);
                model.successors(s, (a, n) -> {
                    if (realisable(a)) {
                        modelEdges.add(new Edge(v, a.toString(), abs.observe(n, noGot)));
                        if (seen.add(n)) {
                            todo.add(n);
                        }
                    }
                });
            }
            modelStates += seen.size();
            // The kernel, from the same placement.
            Map<IpcAbstraction.View, List<Call>> scripts = new HashMap<>();
            IpcAbstraction.View start = abs.observe(k0, noGot);
            scripts.put(start, List.of());
            ArrayDeque<IpcAbstraction.View> queue = new ArrayDeque<>(List.of(start));
            Kernel reusable = k0;
            while (!queue.isEmpty()) {
                IpcAbstraction.View v = queue.poll();
                kernelViews.add(v);
                List<Call> script = scripts.get(v);
                Kernel base = reusable != null && v.equals(start) && script.isEmpty() ? reusable
                        : replay(homes, script, kernels);
                reusable = base;
                for (Call c : calls(base, abs)) {
                    Kernel k = reusable != null ? reusable : replay(homes, script, kernels);
                    reusable = null;
                    IpcSimulation.Step step;
                    IpcAbstraction.View after;
                    try {
                        step = c.call instanceof Syscall.DeleteThread ? new IpcSimulation.Step("ThreadDelete", new int[] {
                            abs.slotOf(((Syscall.DeleteThread) c.call).thread().number())}) : null;
                        SyscallResult r = run(k, abs, c);
                        if (step == null) {
                            step = IpcSimulation.actionFor(k, abs, c.slot, c.call, r);
                        }
                        after = abs.observe(k, noGot);
                    } catch (KernelAbstraction.OutOfBounds e) {
                        return new Result(modelStates, modelViews.size(), modelEdges.size(), kernelViews.size(),
                                kernelEdges.size(), kernels[0], Optional.of("the kernel left the bounds: " + e.getMessage()
                                        + "\n  after " + describe(script, c)));
                    }
                    String label = step == null ? "(no model action) " + c : model.action(step.name(), step.args()).toString();
                    kernelEdges.add(new Edge(v, label, after));
                    if (after.equals(v)) {
                        reusable = k;
                    } else if (!scripts.containsKey(after)) {
                        List<Call> longer = new ArrayList<>(script);
                        longer.add(c);
                        scripts.put(after, List.copyOf(longer));
                        queue.add(after);
                    }
                }
                if (kernelViews.size() % 200 == 0) {
                    progress.accept(String.format("kernel graph (IPC): %,d states, %,d steps, %,d kernels built",
                            kernelViews.size(), kernelEdges.size(), kernels[0]));
                }
            }
        }
        Optional<String> diff = difference(kernelEdges, modelEdges, "the kernel takes a step the model does not have")
                .or(() -> difference(modelEdges, kernelEdges, "no kernel call realises a model step"));
        if (diff.isEmpty() && !kernelViews.equals(modelViews)) {
            diff = Optional.of("the kernel reaches " + kernelViews.size() + " views, the model " + modelViews.size());
        }
        return new Result(modelStates, modelViews.size(), modelEdges.size(), kernelViews.size(), kernelEdges.size(),
                kernels[0], diff);
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

    private Kernel replay(int[] homes, List<Call> script, int[] kernels) {
        Kernel k = new Kernel(config);
        kernels[0]++;
        IpcAbstraction abs = setUp.setUp(k, homes, new ArrayList<>());
        for (Call c : script) {
            run(k, abs, c);
        }
        return k;
    }

    private static SyscallResult run(Kernel k, IpcAbstraction abs, Call c) {
        ThreadId caller = c.slot == IpcSimulation.ADMIN ? k.sigma0Thread() : k.threadView(abs.number(c.slot)).id();
        return k.syscall(caller, c.call);
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
            if (me.state() == ThreadState.DEAD && constants.allows("create")
                    && (me.id().version() - abs.kernelId(t * constants.versions()).version() - 1) / 2 < constants.maxVersion()) {
                int home = abs.home(t);
                SpaceId space = k.spaces().stream().filter(s -> s.number() == home).findFirst().orElseThrow();
                out.add(new Call(IpcSimulation.ADMIN, new Syscall.CreateThread(space, abs.number(t))));
            }
        }
        return out;
    }
}
