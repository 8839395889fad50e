package dev.mkspec.refinement.kernel;

import dev.mkspec.check.Action;
import dev.mkspec.kernel.Fpage;
import dev.mkspec.kernel.Kernel;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.Message;
import dev.mkspec.kernel.SpaceId;
import dev.mkspec.kernel.Syscall;
import dev.mkspec.kernel.SyscallResult;
import dev.mkspec.kernel.ThreadId;
import dev.mkspec.kernel.ThreadState;
import dev.mkspec.kernel.Timeout;
import dev.mkspec.model.addressspaces.AddressSpacesModel;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import dev.mkspec.model.addressspaces.Rights;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Exhaustive refinement at the bounds of an {@code AddressSpaces} cfg: the kernel itself is
 * explored, breadth first, over every operation the model has at those bounds, each carried out
 * by the kernel's own system calls; every kernel state is mapped through {@code alpha}, and the
 * abstract graph this gives (states, and labelled steps) must equal the model's reachable graph:
 * every kernel step is a model step with the operation's own label, and every model step is
 * realised by some kernel step.
 *
 * <p>Each user space has two threads (so that a space can map to itself) and Sigma0 its first
 * thread; between operations every thread is ready. An operation is a short script of calls:
 * <ul>
 *   <li>{@code SpaceMap/SpaceGrant(src, v, dst, w, R)}: a thread of dst receives from the sender
 *       with window w (infinite timeout); the sender (Sigma0's thread, or a thread of src) sends
 *       one item (v, R) with timeout zero; if the receiver still waits (the item was refused), the
 *       sender releases it with an empty message;</li>
 *   <li>{@code SpaceFlush/SpaceUnmap(s, v, R)}: a thread of s flushes or unmaps (v, R);</li>
 *   <li>{@code SpaceCreate(s)}: Sigma0's thread creates the space in slot s and a second thread
 *       in it; {@code SpaceDelete(s)}: Sigma0's thread deletes it.</li>
 * </ul>
 * Every call goes through a {@link ForwardSimulation}, so the hardware is checked too.
 *
 * <p>A kernel state is identified by a canonical digest of what the operations can observe:
 * the live spaces with their owners and threads (by space, not by ID version, running or ready
 * alike), and every mapping node in the bounds with its parent. Versions, node slots, which
 * runnable thread holds the CPU, the ready queue's order and the TLB's contents are left out: the scripts name threads by their space, never by ID, so
 * behaviour does not depend on them (and the hardware check runs in every state the exploration
 * builds, once; see {@code replay}).
 * States are rebuilt by replaying their scripts on a fresh kernel; a script that changes nothing
 * leaves the kernel reusable for the next one.
 */
public final class KernelGraph {
    private final KernelConfig config;
    private final KernelBounds bounds;
    private final AddressSpacesModel model;

    /** An abstract step: from, label, to. */
    public record Edge(AddressSpacesState from, Action action, AddressSpacesState to) {
    }

    /**
     * What the comparison found.
     *
     * @param modelStates the model's reachable states
     * @param modelEdges the model's labelled steps between them
     * @param kernelStates distinct kernel states explored (by canonical digest)
     * @param abstractStates distinct images of kernel states under alpha
     * @param abstractEdges distinct abstract steps the kernel took
     * @param kernels fresh kernels built to replay scripts
     * @param difference the first difference, or empty when the graphs are equal
     */
    public record Result(int modelStates, int modelEdges, int kernelStates, int abstractStates, int abstractEdges,
            int kernels, Optional<String> difference) {
        public boolean equal() {
            return difference.isEmpty();
        }
    }

    public KernelGraph(KernelConfig config, KernelBounds bounds) {
        this.config = config;
        this.bounds = bounds;
        this.model = new AddressSpacesModel(bounds.constants().withBug(dev.mkspec.model.addressspaces.Bug.NONE)
                .withSymmetry(false));
    }

    /** The operations of the model at the bounds, as their labels. */
    public List<Action> alphabet() {
        List<Action> out = new ArrayList<>();
        int n = bounds.spaces();
        List<Integer> rights = Rights.nonEmptySubsets(bounds.perms());
        for (int src = 0; src < n; src++) {
            for (int dst = 1; dst < n; dst++) {
                for (int v = 0; v < bounds.pages(); v++) {
                    for (int w = 0; w < bounds.pages(); w++) {
                        for (int r : rights) {
                            out.add(label("SpaceMap", src, v, dst, w, r));
                            if (src != 0) {
                                out.add(label("SpaceGrant", src, v, dst, w, r));
                            }
                        }
                    }
                }
            }
        }
        for (int s = 0; s < n; s++) {
            for (int v = 0; v < bounds.pages(); v++) {
                for (int r : rights) {
                    out.add(new Action("SpaceFlush", List.of(name(s), Integer.toString(v), Rights.toTla(r))));
                    out.add(new Action("SpaceUnmap", List.of(name(s), Integer.toString(v), Rights.toTla(r))));
                }
            }
        }
        for (int s = 1; s < n; s++) {
            out.add(new Action("SpaceCreate", List.of(name(s))));
            out.add(new Action("SpaceDelete", List.of(name(s))));
        }
        return out;
    }

    private Action label(String op, int src, int v, int dst, int w, int r) {
        return new Action(op, List.of(name(src), Integer.toString(v), name(dst), Integer.toString(w), Rights.toTla(r)));
    }

    private String name(int s) {
        return bounds.constants().spaceName(s);
    }

    private int slot(String name) {
        for (int s = 0; s < bounds.spaces(); s++) {
            if (name(s).equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no space " + name);
    }

    /** Explores the kernel and compares; {@code progress} hears a line now and then. */
    public Result compare(Consumer<String> progress) {
        Set<AddressSpacesState> modelStates = new HashSet<>();
        Set<Edge> modelEdges = new LinkedHashSet<>();
        ArrayDeque<AddressSpacesState> todo = new ArrayDeque<>(model.initialStates());
        modelStates.addAll(model.initialStates());
        while (!todo.isEmpty()) {
            AddressSpacesState s = todo.poll();
            model.successors(s, (a, t) -> {
                modelEdges.add(new Edge(s, a, t));
                if (modelStates.add(t)) {
                    todo.add(t);
                }
            });
        }

        List<Action> alphabet = alphabet();
        Map<String, List<Action>> seen = new HashMap<>();
        ArrayDeque<List<Action>> queue = new ArrayDeque<>();
        Set<AddressSpacesState> abstractStates = new HashSet<>();
        Set<Edge> abstractEdges = new LinkedHashSet<>();
        int[] kernels = {0};
        Replay init = replay(List.of(), kernels);
        seen.put(digest(init.kernel), List.of());
        queue.add(List.of());
        if (!model.initialStates().contains(init.sim.state())) {
            return result(modelStates, modelEdges, seen.size(), abstractStates, abstractEdges, kernels[0],
                    "the kernel after set-up stands for " + model.render(init.sim.state()) + ", not the model's initial state");
        }
        while (!queue.isEmpty()) {
            List<Action> path = queue.poll();
            Replay r = replay(path, kernels);
            String here = digest(r.kernel);
            AddressSpacesState pre = r.sim.state();
            abstractStates.add(pre);
            for (Action op : alphabet) {
                if (r.dirty) {
                    r = replay(path, kernels);
                }
                List<Action> taken;
                try {
                    taken = run(r, op);
                } catch (RefinementFailure f) {
                    return result(modelStates, modelEdges, seen.size(), abstractStates, abstractEdges, kernels[0],
                            "after " + path + ", " + op + ": " + f.getMessage());
                }
                AddressSpacesState post = r.sim.state();
                if (taken.size() > 1 || (taken.size() == 1 && !taken.get(0).equals(op))) {
                    return result(modelStates, modelEdges, seen.size(), abstractStates, abstractEdges, kernels[0],
                            "after " + path + ", the calls for " + op + " stood for " + taken);
                }
                if (taken.size() == 1) {
                    abstractEdges.add(new Edge(pre, op, post));
                }
                String there = digest(r.kernel);
                if (!there.equals(here)) {
                    r.dirty = true;
                    if (!seen.containsKey(there)) {
                        List<Action> next = new ArrayList<>(path);
                        next.add(op);
                        seen.put(there, next);
                        queue.add(next);
                        abstractStates.add(post);
                    }
                }
            }
            if (seen.size() % 100 == 0) {
                progress.accept(seen.size() + " kernel states, " + queue.size() + " to explore, " + kernels[0] + " kernels built");
            }
        }
        String diff = null;
        for (AddressSpacesState s : modelStates) {
            if (!abstractStates.contains(s)) {
                diff = "the model reaches " + model.render(s) + ", which no kernel state stands for";
                break;
            }
        }
        if (diff == null) {
            for (AddressSpacesState s : abstractStates) {
                if (!modelStates.contains(s)) {
                    diff = "the kernel reaches " + model.render(s) + ", which the model does not";
                    break;
                }
            }
        }
        if (diff == null) {
            for (Edge e : modelEdges) {
                if (!abstractEdges.contains(e)) {
                    diff = "the model steps " + e.action() + " from " + model.render(e.from()) + ", which no kernel step realises";
                    break;
                }
            }
        }
        if (diff == null) {
            for (Edge e : abstractEdges) {
                if (!modelEdges.contains(e)) {
                    diff = "the kernel steps " + e.action() + " from " + model.render(e.from()) + ", which the model does not";
                    break;
                }
            }
        }
        return result(modelStates, modelEdges, seen.size(), abstractStates, abstractEdges, kernels[0], diff);
    }

    private Result result(Set<AddressSpacesState> ms, Set<Edge> me, int ks, Set<AddressSpacesState> as, Set<Edge> ae,
            int kernels, String diff) {
        return new Result(ms.size(), me.size(), ks, as.size(), ae.size(), kernels, Optional.ofNullable(diff));
    }

    private static final class Replay {
        final Kernel kernel;
        final ForwardSimulation sim;
        boolean dirty;

        Replay(Kernel kernel, ForwardSimulation sim) {
            this.kernel = kernel;
            this.sim = sim;
        }
    }

    /** A fresh kernel, set up (the bounds' spaces, two threads each) and taken through {@code path}. */
    private Replay replay(List<Action> path, int[] kernels) {
        kernels[0]++;
        Kernel k = new Kernel(config);
        ForwardSimulation sim = new ForwardSimulation(k, bounds);
        Replay r = new Replay(k, sim);
        // The kernel is deterministic, and every prefix of a queued path is itself a queued path:
        // the state after each prefix is checked against the hardware by that prefix's own replay.
        // So a replay checks only its last action (the set-up, for the empty path), and the steps
        // taken from its end are checked as always. (The kernel reached by replaying a path can
        // differ from the one that found it in what the digest leaves out, the TLBs and the
        // running thread, so the replayed state itself is checked, not only the one that found it.)
        sim.checkHardware(path.isEmpty());
        RandomKernelRuns.equip(k, k.sigma0Thread());
        for (int s = 1; s < bounds.spaces(); s++) {
            run(r, new Action("SpaceCreate", List.of(name(s))));
        }
        for (int i = 0; i < path.size(); i++) {
            sim.checkHardware(i == path.size() - 1);
            run(r, path.get(i));
        }
        sim.checkHardware(true);
        return r;
    }

    /** Carries out one operation by its script; returns the model actions its calls stood for. */
    private List<Action> run(Replay r, Action op) {
        Kernel k = r.kernel;
        ForwardSimulation sim = r.sim;
        ThreadId root = k.sigma0Thread();
        List<Action> taken = new ArrayList<>();
        switch (op.name()) {
            case "SpaceMap", "SpaceGrant" -> {
                int src = slot(op.args().get(0));
                int v = Integer.parseInt(op.args().get(1));
                int dst = slot(op.args().get(2));
                int w = Integer.parseInt(op.args().get(3));
                int rights = Rights.fromTla(op.args().get(4));
                List<ThreadId> to = threadsOf(k, dst);
                if (to.isEmpty()) {
                    return taken;
                }
                ThreadId receiver = to.get(0);
                ThreadId sender;
                if (src == 0) {
                    sender = root;
                } else {
                    List<ThreadId> from = threadsOf(k, src);
                    if (from.isEmpty() || (src == dst && from.size() < 2)) {
                        return taken;
                    }
                    sender = src == dst ? from.get(1) : from.get(0);
                }
                long base = src == 0 ? k.sigma0Address(bounds.sigma0First() + v) : bounds.userAddress(v);
                call(sim, receiver, new Syscall.Receive(sender, Timeout.INFINITE, 0, 0,
                        new Fpage(bounds.userAddress(w), 0, 0)), taken);
                call(sim, sender, new Syscall.Send(receiver, Message.of(1).withItem(new Fpage(base, 0, rights),
                        op.name().equals("SpaceGrant")), Timeout.ZERO), taken);
                if (k.state(receiver) == ThreadState.RECEIVING) {
                    call(sim, sender, new Syscall.Send(receiver, Message.of(0), Timeout.ZERO), taken);
                }
            }
            case "SpaceFlush", "SpaceUnmap" -> {
                int s = slot(op.args().get(0));
                int v = Integer.parseInt(op.args().get(1));
                int rights = Rights.fromTla(op.args().get(2));
                List<ThreadId> ts = s == 0 ? List.of(root) : threadsOf(k, s);
                if (ts.isEmpty()) {
                    return taken;
                }
                long base = s == 0 ? k.sigma0Address(bounds.sigma0First() + v) : bounds.userAddress(v);
                Fpage f = new Fpage(base, 0, rights);
                call(sim, ts.get(0), op.name().equals("SpaceFlush") ? new Syscall.Flush(f) : new Syscall.Unmap(f), taken);
            }
            case "SpaceCreate" -> {
                int s = slot(op.args().get(0));
                SyscallResult c = call(sim, root, new Syscall.CreateSpace(s), taken);
                if (c != null && c.ok()) {
                    RandomKernelRuns.equip(k, c.from());
                    SyscallResult second = call(sim, root, new Syscall.CreateThread(c.space()), taken);
                    if (second != null && second.ok()) {
                        RandomKernelRuns.equip(k, second.from());
                    }
                }
            }
            case "SpaceDelete" -> {
                int s = slot(op.args().get(0));
                for (SpaceId id : k.spaces()) {
                    if (id.number() == s) {
                        call(sim, root, new Syscall.DeleteSpace(id), taken);
                    }
                }
            }
            default -> throw new IllegalArgumentException("no script for " + op);
        }
        return taken;
    }

    private static SyscallResult call(ForwardSimulation sim, ThreadId t, Syscall c, List<Action> taken) {
        SyscallResult r = sim.syscall(t, c);
        taken.addAll(sim.lastTaken());
        return r;
    }

    /** The live threads of space slot {@code s}, in slot order. */
    private static List<ThreadId> threadsOf(Kernel k, int s) {
        List<ThreadId> out = new ArrayList<>();
        for (ThreadId t : k.threads()) {
            SpaceId sp = k.spaceOf(t);
            if (sp != null && sp.number() == s) {
                out.add(t);
            }
        }
        return out;
    }

    /** The canonical digest: live spaces with owners and thread counts and states, and every node with its parent. */
    private String digest(Kernel k) {
        StringBuilder b = new StringBuilder();
        for (SpaceId s : k.spaces()) {
            SpaceId o = k.ownerOf(s);
            b.append(s.number()).append('<').append(o == null ? "-" : Integer.toString(o.number())).append(" threads");
            for (ThreadId t : threadsOf(k, s.number())) {
                ThreadState st = k.state(t);
                // which runnable thread holds the CPU is the scheduler's choice; the scripts do not depend on it
                b.append(' ').append(st == ThreadState.RUNNING ? ThreadState.READY : st);
            }
            b.append('\n');
            List<Kernel.MappingNode> nodes = s.number() == 0 ? List.of() : k.mappings(s);
            for (Kernel.MappingNode n : nodes) {
                if (bounds.userPage(n.vaddr()) < 0) {
                    continue;   // set-up outside the bounds (message buffers), which no script changes
                }
                b.append("  ").append(Long.toHexString(n.vaddr())).append(' ').append(n.frame()).append(' ')
                        .append(n.rights()).append(" <- ").append(n.parentSpace() == null ? "-" : n.parentSpace().number())
                        .append(':').append(Long.toHexString(n.parentVaddr())).append('\n');
            }
        }
        return b.toString();
    }
}
