package dev.mkspec.refinement.kernel;

import dev.mkspec.check.Action;
import dev.mkspec.kernel.Fpage;
import dev.mkspec.kernel.Kernel;
import dev.mkspec.kernel.Message;
import dev.mkspec.kernel.SpaceId;
import dev.mkspec.kernel.Syscall;
import dev.mkspec.kernel.SyscallResult;
import dev.mkspec.kernel.ThreadId;
import dev.mkspec.model.addressspaces.AddressSpacesModel;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forward simulation of the kernel by the address-space model, one system call at a time: the
 * kernel runs the call, and the abstraction of the state it leaves must be the model's successor
 * of the abstraction before it, by the model actions the call stands for, with the arguments the
 * call was given. An error result, and every call that changes no mapping, must be a stutter.
 *
 * <p>Which model actions a call stands for (the arguments always come from the calls as the
 * threads made them, never from the kernel's own records):
 * <ul>
 *   <li>{@code Flush(fpage)} and {@code Unmap(fpage)}: {@code SpaceFlush} / {@code SpaceUnmap} of
 *       each page of the fpage in the caller's space, with the fpage's rights cut to Perms, page by
 *       page in address order;</li>
 *   <li>a message delivered with map or grant items, in whichever call the delivery happens:
 *       {@code SpaceMap} / {@code SpaceGrant} from the sender's space, page by page, to the window
 *       the receiver opened in its own call, with the item's rights;</li>
 *   <li>{@code CreateSpace}: {@code SpaceCreate} of the slot the kernel returns;
 *       {@code DeleteSpace(s)}: {@code SpaceDelete} of every space {@code s} created (depth
 *       first, in slot order, from the owners before the call) and then of {@code s}.</li>
 * </ul>
 * A model action that is not enabled stands for nothing (the kernel must change nothing either).
 *
 * <p>Deliveries are seen through the threads' results ({@link Kernel#resultOf}) and are checked
 * against the requests: the sender must have addressed exactly the receiver's thread ID, the
 * receiver must have asked for that sender or for any, and the message must be the one sent.
 *
 * <p>After every call, and after every user access ({@link #touch}), the page tables and TLBs
 * must agree with the abstraction ({@link KernelAbstraction#hardwareDisagreements}).
 *
 * <p>Not thread-safe: it drives one kernel.
 */
public final class ForwardSimulation {
    private final Kernel k;
    private final KernelAbstraction abs;
    private final AddressSpacesModel model;
    private AddressSpacesState state;
    private final List<String> trace = new ArrayList<>();
    private final Map<ThreadId, SendRequest> sends = new HashMap<>();
    private final Map<ThreadId, ReceiveRequest> receives = new HashMap<>();
    private final boolean judge;
    private final boolean abstracting;
    private final List<AddressSpacesState> history = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();
    private boolean checkHardware = true;

    /**
     * One call as a trace event: the model actions it stands for, in order, as its arguments give
     * them (whether the model enables them or not), and the abstract state it left.
     */
    public record Call(List<Action> actions, AddressSpacesState state) {
    }
    private int steps;
    private int modelSteps;
    private final Map<String, Integer> actionCounts = new java.util.TreeMap<>();
    private final List<String> takenNow = new ArrayList<>();
    private final List<Action> takenLabels = new ArrayList<>();
    private List<Action> lastTaken = List.of();

    private record SendRequest(ThreadId to, Message msg) {
    }

    private record ReceiveRequest(ThreadId from, Fpage window) {
    }

    /** A delivery seen in one call: {@code to} received {@code msg} from {@code from}. */
    private record Delivery(ThreadId from, ThreadId to, Message msg) {
    }

    /** Starts at the kernel's present state, which must have an image under the bounds. */
    public ForwardSimulation(Kernel kernel, KernelBounds bounds) {
        this(kernel, bounds, true);
    }

    /**
     * A simulation that only records: every call's abstract state goes into {@link #history}, and
     * nothing is compared with the Java model (the hardware and the bounds are still checked). TLC
     * trace validation judges such histories against the TLA+ spec, independently of the model.
     */
    public static ForwardSimulation recording(Kernel kernel, KernelBounds bounds) {
        return new ForwardSimulation(kernel, bounds, false, true);
    }

    /**
     * A simulation that only drives the kernel and keeps the list of calls: no abstraction, no
     * check at all. The kernel's own invariants (K-n) are judged on such runs, on their own.
     */
    public static ForwardSimulation driving(Kernel kernel, KernelBounds bounds) {
        return new ForwardSimulation(kernel, bounds, false, false);
    }

    private ForwardSimulation(Kernel kernel, KernelBounds bounds, boolean judge) {
        this(kernel, bounds, judge, true);
    }

    private ForwardSimulation(Kernel kernel, KernelBounds bounds, boolean judge, boolean abstracting) {
        this.judge = judge;
        this.abstracting = abstracting;
        this.k = kernel;
        this.abs = new KernelAbstraction(bounds);
        this.model = new AddressSpacesModel(bounds.constants().withBug(dev.mkspec.model.addressspaces.Bug.NONE)
                .withSymmetry(false));
        if (!abstracting) {
            return;
        }
        this.state = alphaOrFail();
        history.add(state);
        requireHardwareAgrees();
    }

    public Kernel kernel() {
        return k;
    }

    /**
     * Whether each call and access is followed by the hardware check ({@link
     * KernelAbstraction#hardwareDisagreements}); on by default. {@link KernelGraph}, which rebuilds
     * a state by replaying its path on a deterministic kernel, switches it off for the actions of
     * the path whose states its replays of shorter paths check, and on for the last one and for the
     * steps taken from the end (measured: the walks of the page tables were most of the time of
     * {@code kernel:AddressSpaces/graph_fast}). The judging of each call against the model is not
     * affected.
     */
    public void checkHardware(boolean on) {
        this.checkHardware = on;
    }

    public AddressSpacesModel model() {
        return model;
    }

    /** The abstract state the kernel is in now. */
    public AddressSpacesState state() {
        return state;
    }

    /** Calls checked so far. */
    public int steps() {
        return steps;
    }

    /** Model steps (not stutters) the calls so far stood for. */
    public int modelSteps() {
        return modelSteps;
    }

    /**
     * How often each kind of model step was taken so far: the action's name, and for map and grant
     * whether from Sigma0 or between user spaces. Tests use it to show the calls reach every action.
     */
    public Map<String, Integer> actionCounts() {
        return java.util.Collections.unmodifiableMap(actionCounts);
    }

    /** The model actions the last call stood for, in order (empty for a stutter). */
    public List<Action> lastTaken() {
        return lastTaken;
    }

    /** The calls so far, numbered. */
    public List<String> trace() {
        return List.copyOf(trace);
    }

    /** Every call so far as a trace event (the user accesses' null calls included). */
    public List<Call> calls() {
        return java.util.Collections.unmodifiableList(calls);
    }

    /** The abstract state at the start and after every call, in order (stutters repeat a state). */
    public List<AddressSpacesState> history() {
        return java.util.Collections.unmodifiableList(history);
    }

    /** Whether the kernel stands for the model's initial state now (every space live and empty but Sigma0). */
    public boolean atModelInit() {
        return model.initialStates().contains(state);
    }

    /**
     * {@code caller} makes {@code call}; the step is checked as described above.
     *
     * @return the kernel's result (null if the caller blocked)
     * @throws RefinementFailure if no model step explains what the kernel did
     */
    public SyscallResult syscall(ThreadId caller, Syscall call) {
        steps++;
        trace.add(steps + ". " + caller + " " + call);
        pendingWindows.clear();
        Map<ThreadId, SyscallResult> before = results();
        Map<Integer, SpaceId> owners = new HashMap<>();
        for (SpaceId s : k.spaces()) {
            SpaceId o = k.ownerOf(s);
            if (o != null) {
                owners.put(s.number(), o);
            }
        }
        SpaceId callerSpace = k.spaceOf(caller);
        record(caller, call);
        SyscallResult r = k.syscall(caller, call);
        trace.set(trace.size() - 1, trace.get(trace.size() - 1) + " -> " + (r == null ? "blocked" : r.error()));
        if (!abstracting) {
            return r;
        }
        List<Delivery> deliveries = deliveries(before);
        // the caller's own receipt (a replyWait's receive) comes after the messages it sent
        deliveries.sort(java.util.Comparator.comparing(d -> d.to().equals(caller)));
        for (Delivery d : deliveries) {
            checkRequested(d);
        }
        forgetEnded(before);
        List<Action> own = ownActions(callerSpace, call, r, owners);
        if (!judge) {
            state = alphaOrFail();
            history.add(state);
            calls.add(new Call(actionsOf(own, deliveries), state));
            requireHardwareAgrees();
            return r;
        }
        AddressSpacesState actual = alphaOrFail();
        List<String> tried = new ArrayList<>();
        takenNow.clear();
        takenLabels.clear();
        lastTaken = List.of();
        AddressSpacesState matched = null;
        for (List<Delivery> order : orders(deliveries)) {
            List<Action> actions = new ArrayList<>(own);
            for (Delivery d : order) {
                actions.addAll(transfers(d));
            }
            int[] taken = new int[1];
            AddressSpacesState expected = apply(state, actions, taken);
            if (expected.equals(actual)) {
                matched = expected;
                modelSteps += taken[0];
                for (String a : takenNow) {
                    actionCounts.merge(a, 1, Integer::sum);
                }
                lastTaken = List.copyOf(takenLabels);
                break;
            }
            takenNow.clear();
            takenLabels.clear();
            tried.add(actions.isEmpty() ? "a stutter (no model action)" : actions.toString());
        }
        if (matched == null) {
            throw failure("step", "the call should have been " + String.join(", or ", tried)
                    + "\n  from      " + model.render(state) + "\n  expected  " + model.render(apply(state,
                            actionsOf(own, deliveries), new int[1])) + "\n  but alpha " + model.render(actual));
        }
        state = matched;
        history.add(state);
        calls.add(new Call(actionsOf(own, deliveries), state));
        requireHardwareAgrees();
        return r;
    }

    /**
     * The thread {@code t} runs (a null system call makes it the running thread if it is merely
     * ready) and reads or writes {@code vaddr} in user mode. A successful access to a page in the
     * bounds must be one the abstraction allows.
     *
     * @return whether the access succeeded
     */
    /**
     * A step outside the model's alphabet that the driver made on the kernel directly (vst's far
     * calls, segment loads and Vst edits): run on {@code t} (made current first, as a touch is),
     * traced as {@code what} with its outcome, and a stutter of the abstraction.
     */
    public void outside(ThreadId t, String what, java.util.function.Supplier<Object> op) {
        if (t != null && !t.equals(k.current())) {
            syscall(t, new Syscall.Null());
        }
        steps++;
        trace.add(steps + ". " + (t == null ? "" : t + " ") + what);
        Object r = op.get();
        trace.set(trace.size() - 1, trace.get(trace.size() - 1) + (r == null ? "" : " -> " + r));
    }

    public boolean touch(ThreadId t, long vaddr, boolean write) {
        if (!t.equals(k.current())) {
            syscall(t, new Syscall.Null());
        }
        steps++;
        trace.add(steps + ". " + t + (write ? " writes " : " reads ") + Long.toHexString(vaddr));
        boolean ok = k.userAccess(t, vaddr, 1, write);
        trace.set(trace.size() - 1, trace.get(trace.size() - 1) + (ok ? " -> ok" : " -> fault"));
        if (!abstracting) {
            return ok;
        }
        SpaceId s = k.spaceOf(t);
        int p = s.number() == 0 ? -1 : abs.bounds().userPage(vaddr);
        if (ok && p >= 0) {
            int n = s.number() * abs.bounds().pages() + p;
            boolean allowed = state.mapped(n) && (!write || (state.rights(n) & 2) != 0
                    || (abs.bounds().perms() & 2) == 0);
            if (!allowed) {
                throw failure("access", s + " " + (write ? "wrote" : "read") + " " + Long.toHexString(vaddr)
                        + " but the abstract state " + (state.mapped(n) ? "gives it rights " + state.rights(n) : "maps nothing there"));
            }
        }
        requireHardwareAgrees();
        return ok;
    }

    private List<Action> actionsOf(List<Action> own, List<Delivery> deliveries) {
        List<Action> all = new ArrayList<>(own);
        for (Delivery d : deliveries) {
            all.addAll(transfers(d));
        }
        return all;
    }

    private void record(ThreadId caller, Syscall call) {
        if (call instanceof Syscall.Send s) {
            sends.put(caller, new SendRequest(s.to(), s.msg()));
        } else if (call instanceof Syscall.Call c) {
            sends.put(caller, new SendRequest(c.to(), c.msg()));
            receives.put(caller, new ReceiveRequest(c.to(), c.window()));
        } else if (call instanceof Syscall.ReplyWait rw) {
            if (!rw.to().equals(ThreadId.NIL)) {
                sends.put(caller, new SendRequest(rw.to(), rw.msg()));
            }
            receives.put(caller, new ReceiveRequest(ThreadId.ANY, rw.window()));
        } else if (call instanceof Syscall.Receive rc) {
            receives.put(caller, new ReceiveRequest(rc.from(), rc.window()));
        }
    }

    private Map<ThreadId, SyscallResult> results() {
        Map<ThreadId, SyscallResult> out = new LinkedHashMap<>();
        for (ThreadId t : k.threads()) {
            out.put(t, k.resultOf(t));
        }
        return out;
    }

    /** The threads whose result became, in this call, a received message. */
    private List<Delivery> deliveries(Map<ThreadId, SyscallResult> before) {
        List<Delivery> out = new ArrayList<>();
        IdentityHashMap<SyscallResult, Boolean> old = new IdentityHashMap<>();
        before.values().forEach(r -> {
            if (r != null) {
                old.put(r, true);
            }
        });
        for (ThreadId t : k.threads()) {
            SyscallResult r = k.resultOf(t);
            if (r != null && !old.containsKey(r) && r.ok() && r.msg() != null) {
                out.add(new Delivery(r.from(), t, r.msg()));
            }
        }
        return out;
    }

    private void checkRequested(Delivery d) {
        SendRequest s = sends.remove(d.from());
        if (s == null) {
            throw failure("ipc", d.to() + " received a message from " + d.from() + ", which has no send pending");
        }
        if (!s.to().equals(d.to())) {
            throw failure("ipc", d.from() + " sent to " + s.to() + " but " + d.to() + " received it");
        }
        if (!s.msg().equals(d.msg())) {
            throw failure("ipc", d.to() + " received " + d.msg() + " from " + d.from() + ", which sent " + s.msg());
        }
        ReceiveRequest r = receives.remove(d.to());
        if (r == null) {
            throw failure("ipc", d.to() + " received from " + d.from() + " without a receive pending");
        }
        if (!r.from().equals(ThreadId.ANY) && !r.from().equals(d.from())) {
            throw failure("ipc", d.to() + " asked for " + r.from() + " but received from " + d.from());
        }
        pendingWindows.put(d.to(), r.window());
    }

    /** The window each delivery of this call went to, as the receiver asked. */
    private final Map<ThreadId, Fpage> pendingWindows = new HashMap<>();

    /**
     * Requests end when their thread dies, or when its call came back (an error, a result) other
     * than by a delivery: a caller whose call was delivered keeps waiting for the reply.
     */
    private void forgetEnded(Map<ThreadId, SyscallResult> before) {
        List<ThreadId> live = k.threads();
        sends.keySet().retainAll(live);
        receives.keySet().retainAll(live);
        for (ThreadId t : live) {
            SyscallResult r = k.resultOf(t);
            if (r != null && r != before.get(t) && !(r.ok() && r.msg() != null)) {
                sends.remove(t);
                receives.remove(t);
            }
        }
    }

    /** The model actions of the caller's own operation (not its deliveries). */
    private List<Action> ownActions(SpaceId space, Syscall call, SyscallResult r, Map<Integer, SpaceId> owners) {
        List<Action> out = new ArrayList<>();
        if (r != null && !r.ok()) {
            return out;
        }
        if (call instanceof Syscall.Flush f) {
            revocations(out, "SpaceFlush", space, f.fpage());
        } else if (call instanceof Syscall.Unmap u) {
            revocations(out, "SpaceUnmap", space, u.fpage());
        } else if (call instanceof Syscall.CreateSpace && r != null) {
            out.add(new Action("SpaceCreate", List.of(name(r.space().number()))));
        } else if (call instanceof Syscall.DeleteSpace d && r != null) {
            deletions(out, d.space().number(), owners);
        }
        return out;
    }

    private void revocations(List<Action> out, String name, SpaceId space, Fpage f) {
        int rights = f.rights() & abs.bounds().perms();
        if (rights == 0 || space.number() >= abs.bounds().spaces()) {
            return;
        }
        for (long i = 0; i < f.pages(); i++) {
            int v = page(space.number(), f.base() + i * 4096);
            if (v >= 0) {
                out.add(new Action(name, List.of(name(space.number()), Integer.toString(v),
                        dev.mkspec.model.addressspaces.Rights.toTla(rights))));
            }
        }
    }

    private void deletions(List<Action> out, int s, Map<Integer, SpaceId> owners) {
        for (int o = 0; o < 64; o++) {
            SpaceId owner = owners.get(o);
            if (owner != null && owner.number() == s) {
                deletions(out, o, owners);
            }
        }
        out.add(new Action("SpaceDelete", List.of(name(s))));
    }

    private List<Action> transfers(Delivery d) {
        List<Action> out = new ArrayList<>();
        Fpage window = pendingWindows.get(d.to());
        SpaceId from = k.spaceOf(d.from());
        SpaceId to = k.spaceOf(d.to());
        if (window == null || from == null || to == null) {
            return out;
        }
        for (Message.MapItem item : d.msg().items()) {
            Fpage f = item.fpage();
            // Ipc.tla's Meet: the smaller of item and window moves, and it is the part of the
            // larger one that holds the send base's offset (the kernel's deliverInto, restated).
            long sb = item.sendBase() >>> Fpage.PAGE_SHIFT;
            long first = f.base();
            long land = window.base();
            if (f.order() <= window.order()) {
                land += sb % window.pages() / f.pages() * f.pages() * 4096;
            } else {
                first += sb % f.pages() / window.pages() * window.pages() * 4096;
            }
            for (long i = 0; i < Math.min(f.pages(), window.pages()); i++) {
                int v = page(from.number(), first + i * 4096);
                int w = page(to.number(), land + i * 4096);
                if (v < 0 || w < 0 || (f.rights() & ~abs.bounds().perms()) != 0 || f.rights() == 0) {
                    continue;
                }
                out.add(new Action(item.grant() ? "SpaceGrant" : "SpaceMap", List.of(name(from.number()),
                        Integer.toString(v), name(to.number()), Integer.toString(w),
                        dev.mkspec.model.addressspaces.Rights.toTla(f.rights()))));
            }
        }
        return out;
    }

    /** The model page of {@code vaddr} in space slot {@code s}, or -1 outside the bounds. */
    private int page(int s, long vaddr) {
        return abs.page(k, s, vaddr);
    }

    private String name(int slot) {
        if (slot >= abs.bounds().spaces()) {
            throw failure("bounds", "the call acts on space slot " + slot + ", beyond the bounds' "
                    + (abs.bounds().spaces() - 1) + " user spaces");
        }
        return abs.bounds().constants().spaceName(slot);
    }

    /** The orders in which this call's deliveries may have happened (a replyWait may deliver twice). */
    private static List<List<Delivery>> orders(List<Delivery> ds) {
        if (ds.size() <= 1) {
            return List.of(ds);
        }
        if (ds.size() == 2) {
            return List.of(ds, List.of(ds.get(1), ds.get(0)));
        }
        return List.of(ds);
    }

    /** Applies each action in turn; an action the model does not enable there stands for nothing. */
    private AddressSpacesState apply(AddressSpacesState from, List<Action> actions, int[] taken) {
        AddressSpacesState s = from;
        for (Action a : actions) {
            AddressSpacesState[] next = new AddressSpacesState[1];
            AddressSpacesState at = s;
            model.successors(at, (label, to) -> {
                if (label.equals(a)) {
                    next[0] = to;
                }
            });
            if (next[0] != null) {
                s = next[0];
                taken[0]++;
                takenLabels.add(a);
                takenNow.add(a.name() + (a.name().startsWith("SpaceMap") || a.name().startsWith("SpaceGrant")
                        ? (a.args().get(0).equals(model.constants().sigma0()) ? " from Sigma0" : " between user spaces") : ""));
            }
        }
        return s;
    }

    private AddressSpacesState alphaOrFail() {
        try {
            return abs.alpha(k);
        } catch (KernelAbstraction.OutOfBounds e) {
            throw failure("bounds", e.getMessage());
        }
    }

    private void requireHardwareAgrees() {
        if (!checkHardware) {
            return;
        }
        List<String> d = abs.hardwareDisagreements(k, state);
        if (!d.isEmpty()) {
            throw failure("hardware", String.join("\n  ", d));
        }
    }

    private RefinementFailure failure(String check, String message) {
        return new RefinementFailure(check, message, trace);
    }
}
