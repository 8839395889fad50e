package dev.mkspec.refinement.kernel;

import dev.mkspec.kernel.Kernel;
import dev.mkspec.kernel.Message;
import dev.mkspec.kernel.Syscall;
import dev.mkspec.kernel.SyscallResult;
import dev.mkspec.kernel.ThreadId;
import dev.mkspec.kernel.Timeout;
import dev.mkspec.model.ipc.IpcConstants;
import dev.mkspec.model.ipc.IpcModel;
import dev.mkspec.model.ipc.IpcState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Forward simulation of the kernel's IPC and notification by {@code Ipc.tla}'s Java model, one
 * system call at a time. Each call stands for the model action of the same name with the
 * arguments the thread gave (never taken from the kernel's records):
 * <ul>
 *   <li>{@code Send(to, w, timeout)}: {@code Send(t, to, w, timeout)};
 *       {@code Call(to, w)}: {@code Call(t, to, w, inf)} (a kernel call waits for ever);
 *       {@code Receive(from, timeout)}: {@code Receive(t, from, timeout)};
 *       {@code ReplyWait(to, w)}: {@code ReplyWait(t, to, w)}, and with {@code to = NIL} the open
 *       receive {@code Receive(t, Any, inf)};</li>
 *   <li>{@code Signal(to, 1 << i)}: {@code Signal(t, to, Bits[i])}; {@code Wait(mask)} with every
 *       model bit in the mask: {@code Wait(t)};</li>
 *   <li>an administrator outside the model's threads (Sigma0's thread) deletes and creates them:
 *       {@code DeleteThread(id)} is {@code ThreadDelete} of the ID's slot if the ID is the slot's
 *       live thread, and {@code CreateThread} is {@code ThreadCreate} of the slot the kernel
 *       returns.</li>
 * </ul>
 * The kernel's observable state after the call ({@link IpcAbstraction#observe(Kernel, boolean[])})
 * must equal the model successor's; a model action that is not enabled stands for a stutter.
 * Calls the model has no action for (a thread addressing itself; an administrator's failed call)
 * must fail and change nothing but the caller's result. The model successor's ghost variables
 * (the reply authority {@code callers} among them) are carried forward as the history of the run.
 *
 * <p>Not thread-safe: it drives one kernel.
 */
public final class IpcSimulation {
    /** The caller that stands for no model thread. */
    public static final int ADMIN = -1;

    private final Kernel k;
    private final IpcAbstraction abs;
    private final IpcModel model;
    private IpcState state;
    private final boolean[] gotSeen;
    /** Per slot: the result of its last call if the model had no action for it (else null). */
    private final String[] refused;
    private final List<String> trace = new ArrayList<>();
    private final Map<String, Integer> actionCounts = new TreeMap<>();
    private final List<IpcState> history = new ArrayList<>();
    private final List<String> actions = new ArrayList<>();
    private final List<Made> made = new ArrayList<>();

    /** A call as it was made: by a slot (or {@link #ADMIN}). */
    public record Made(int slot, Syscall call) {
    }
    private int modelSteps;
    private final boolean judge;
    private final List<Event> events = new ArrayList<>();

    /**
     * One call as a trace event: the model action it stood for in TLA+ syntax ({@code FALSE} for
     * none), and the kernel's view after it.
     */
    public record Event(String action, IpcAbstraction.View view) {
    }

    /**
     * Starts at the kernel's present state, which must stand for one of the model's initial states.
     *
     * @param trace the set-up calls, for failure reports
     */
    public IpcSimulation(Kernel kernel, IpcAbstraction abs, List<String> trace) {
        this(kernel, abs, trace, true);
    }

    /**
     * A simulation that only records: every call's label and the kernel's view after it go into
     * {@link #events}, and nothing is compared with the Java model (the bounds are still checked).
     * TLC trace validation judges such runs against the TLA+ spec, independently of the model.
     */
    public static IpcSimulation recording(Kernel kernel, IpcAbstraction abs, List<String> trace) {
        return new IpcSimulation(kernel, abs, trace, false);
    }

    private IpcSimulation(Kernel kernel, IpcAbstraction abs, List<String> trace, boolean judge) {
        this.k = kernel;
        this.abs = abs;
        this.judge = judge;
        this.model = new IpcModel(abs.constants());
        this.gotSeen = new boolean[abs.constants().threads().size()];
        this.refused = new String[gotSeen.length];
        this.trace.addAll(trace);
        IpcAbstraction.View now = observe();
        events.add(new Event("Init", now));
        if (!judge) {
            return;
        }
        for (IpcState s : model.initialStates()) {
            if (abs.observe(s, gotSeen).equals(now)) {
                state = s;
            }
        }
        if (state == null) {
            throw new RefinementFailure("step", "the kernel after set-up stands for none of the model's initial states: "
                    + now, this.trace);
        }
        history.add(state);
    }

    public Kernel kernel() {
        return k;
    }

    /** The calls made so far, in order (set-up excluded). */
    public List<Made> made() {
        return java.util.Collections.unmodifiableList(made);
    }

    /** Whether each call is judged against the model (else only recorded). */
    public boolean judging() {
        return judge;
    }

    /** The start and every call, as trace events (recorded in both modes). */
    public List<Event> events() {
        return java.util.Collections.unmodifiableList(events);
    }

    public IpcAbstraction abstraction() {
        return abs;
    }

    /** The abstract state (with the ghosts of the run) the kernel is in now. */
    public IpcState state() {
        return state;
    }

    /** The model states so far, one per call (stutters repeat one), the start first. */
    public List<IpcState> history() {
        return java.util.Collections.unmodifiableList(history);
    }

    /** The model action each call stood for, in TLA+ syntax ({@code ""} for none), in order. */
    public List<String> actions() {
        return java.util.Collections.unmodifiableList(actions);
    }

    /** Model steps (not stutters) taken, by action name and, for IPC, outcome. */
    public Map<String, Integer> actionCounts() {
        return java.util.Collections.unmodifiableMap(actionCounts);
    }

    public int modelSteps() {
        return modelSteps;
    }

    public List<String> trace() {
        return List.copyOf(trace);
    }

    /** The kernel ID of slot t's thread now (live or not). */
    public ThreadId idOf(int t) {
        return k.threadView(abs.number(t)).id();
    }

    /**
     * {@code slot} (or {@link #ADMIN}, Sigma0's thread) makes {@code call}; the step is judged as
     * described above.
     *
     * @throws RefinementFailure if no model step explains it
     */
    public SyscallResult syscall(int slot, Syscall call) {
        made.add(new Made(slot, call));
        ThreadId caller = slot == ADMIN ? k.sigma0Thread() : idOf(slot);
        int deleting = call instanceof Syscall.DeleteThread d && slot == ADMIN ? abs.slotOf(d.thread().number()) : -1;
        boolean deletesLive = deleting >= 0 && ((Syscall.DeleteThread) call).thread().equals(idOf(deleting))
                && k.threadView(abs.number(deleting)).state() != dev.mkspec.kernel.ThreadState.DEAD;
        trace.add(trace.size() + 1 + ". " + (slot == ADMIN ? "admin " : "slot " + slot + " ") + caller + " " + call);
        SyscallResult r;
        try {
            r = k.syscall(caller, call);
        } catch (RuntimeException e) {
            throw new RefinementFailure("crash", "the kernel threw " + e, trace);
        }
        if (slot != ADMIN) {
            gotSeen[slot] = call instanceof Syscall.Wait;
            refused[slot] = null;
        } else if (deletesLive) {
            gotSeen[deleting] = false;
            refused[deleting] = null;
        }
        IpcAbstraction.View after;
        try {
            after = observe();
        } catch (KernelAbstraction.OutOfBounds e) {
            throw new RefinementFailure("bounds", e.getMessage(), trace);
        }
        Step step = deletesLive ? new Step("ThreadDelete", new int[] {deleting}) : step(slot, call, r);
        if (!judge) {
            if (step != null || !after.equals(events.get(events.size() - 1).view())) {
                events.add(new Event(step == null ? "FALSE" : model.action(step.name, step.args).toString(), after));
            }
            return r;
        }
        IpcAbstraction.View expected;
        IpcState next = state;
        String label = "";
        if (step == null) {
            // No model action: the call must fail and change nothing but the caller's result.
            if (r == null || r.ok()) {
                throw new RefinementFailure("step", "the model has no action for this call, so the kernel must refuse it, "
                        + "but it " + (r == null ? "blocked the caller" : "succeeded"), trace);
            }
            if (slot != ADMIN) {
                refused[slot] = IpcAbstraction.result(r.error());
            }
            expected = observe(state);
        } else {
            IpcState n = model.apply(state, step.name, step.args);
            label = model.action(step.name, step.args).toString();
            if (n != null) {
                next = n;
            }
            expected = observe(next);
        }
        if (!expected.equals(after)) {
            throw new RefinementFailure("step", (step == null ? "a refused call" : label + (next == state ? " (not enabled: a stutter)" : ""))
                    + " leaves a different state:" + expected.difference(after), trace);
        }
        if (next != state) {
            modelSteps++;
            actionCounts.merge(kindOf(step, next), 1, Integer::sum);
        }
        state = next;
        history.add(state);
        actions.add(next == history.get(history.size() - 2) ? "" : label);
        return r;
    }

    private IpcAbstraction.View observe() {
        return abs.observe(k, gotSeen);
    }

    /**
     * The model state's view, where a slot whose last call the model had no action for shows
     * that call's error and empty registers, as the model's {@code Fail} would have left them.
     */
    private IpcAbstraction.View observe(IpcState s) {
        IpcAbstraction.View v = abs.observe(s, gotSeen);
        List<IpcAbstraction.Slot> slots = new ArrayList<>(v.slots());
        for (int t = 0; t < refused.length; t++) {
            IpcAbstraction.Slot x = slots.get(t);
            if (refused[t] != null && x.kind().equals("ready")) {
                slots.set(t, new IpcAbstraction.Slot(x.kind(), x.peer(), IpcState.NONE, x.flag(), x.tmo(), x.version(), x.home(),
                        x.queue(), refused[t], IpcState.NONE, -1, x.note()));
            }
        }
        return new IpcAbstraction.View(List.copyOf(slots), v.spaces());
    }

    /**
     * The kind of model step, for coverage: the action's name and its outcome for the caller
     * ({@code ok}, {@code timeout}, {@code nopartner}; {@code blocks} for a send or receive that
     * waits; {@code delivered} or {@code queued} for a call; {@code replied} for a reply;
     * {@code wakes} for a signal to a waiting thread; {@code aborts} for a deletion that wakes a
     * partner with "aborted").
     */
    private String kindOf(Step step, IpcState next) {
        if (step.name.equals("ThreadDelete")) {
            for (int u = 0; u < abs.constants().threads().size(); u++) {
                if (u != step.args[0] && next.result(u).equals("aborted") && !state.result(u).equals("aborted")) {
                    return "ThreadDelete aborts";
                }
            }
            return step.name;
        }
        if (step.args.length == 0 || step.name.startsWith("Thread")) {
            return step.name;
        }
        int t = step.args[0];
        String r = next.result(t);
        String outcome = switch (step.name) {
            case "Call" -> r.equals("none") ? (next.thread(t).kind() == IpcState.Kind.RECV ? "delivered" : "queued") : r;
            case "ReplyWait" -> r.equals("nopartner") ? r : "replied";
            case "Signal" -> r.equals("ok") && state.thread(step.args[1] / abs.constants().versions()).kind() == IpcState.Kind.WAIT
                    && state.version(step.args[1] / abs.constants().versions()) == step.args[1] % abs.constants().versions()
                    ? "wakes" : r;
            default -> r.equals("none") ? "blocks" : r;
        };
        return step.name + " " + outcome;
    }

    /** A model action by name and encoded arguments ({@link IpcModel#apply}). */
    record Step(String name, int[] args) {
    }

    /** The model action the call stands for, or null for none. */
    private Step step(int t, Syscall call, SyscallResult r) {
        try {
            return actionFor(k, abs, t, call, r);
        } catch (KernelAbstraction.OutOfBounds e) {
            throw new RefinementFailure("bounds", e.getMessage(), trace);
        }
    }

    /**
     * The model action that {@code call} by slot {@code t} (or {@link #ADMIN}) stands for, given
     * its result {@code r}, or null when the model has none (a thread addressing itself, an
     * administrator's call that names no live slot's thread).
     *
     * @throws KernelAbstraction.OutOfBounds if an argument is outside the model's
     */
    static Step actionFor(Kernel k, IpcAbstraction abs, int t, Syscall call, SyscallResult r) {
        IpcConstants c = abs.constants();
        if (t == ADMIN) {
            if (call instanceof Syscall.CreateThread && r != null && r.ok()) {
                int s = abs.slotOf(r.from().number());
                if (s < 0) {
                    throw new KernelAbstraction.OutOfBounds("the kernel created " + r.from() + ", none of the model's slots");
                }
                return new Step("ThreadCreate", new int[] {s});
            }
            return null;
        }
        int me = abs.number(t);
        if (call instanceof Syscall.Send s) {
            return s.to().number() == me ? null : new Step("Send", new int[] {t, abs.modelId(s.to()), msg(c, s.msg()),
                    tmo(s.timeout()), IpcState.NONE});
        }
        if (call instanceof Syscall.Call s) {
            return s.to().number() == me ? null : new Step("Call", new int[] {t, abs.modelId(s.to()), msg(c, s.msg()), 2,
                    IpcState.NONE, IpcState.NONE});
        }
        if (call instanceof Syscall.Receive s) {
            return s.from().equals(k.threadView(me).id()) ? null : new Step("Receive", new int[] {t, abs.modelId(s.from()),
                    tmo(s.timeout()), IpcState.NONE});
        }
        if (call instanceof Syscall.ReplyWait s) {
            if (s.to().equals(ThreadId.NIL)) {
                return new Step("Receive", new int[] {t, IpcState.ANY, 2, IpcState.NONE});
            }
            return s.to().number() == me ? null : new Step("ReplyWait", new int[] {t, abs.modelId(s.to()), msg(c, s.msg()),
                    IpcState.NONE});
        }
        if (call instanceof Syscall.Signal s) {
            if (Long.bitCount(s.bits()) != 1 || Long.numberOfTrailingZeros(s.bits()) >= c.bits().size()) {
                throw new KernelAbstraction.OutOfBounds("a signal stands for one model bit, not " + Long.toBinaryString(s.bits()));
            }
            return s.to().number() == me ? null : new Step("Signal", new int[] {t, abs.modelId(s.to()),
                    Long.numberOfTrailingZeros(s.bits())});
        }
        if (call instanceof Syscall.Wait) {
            return new Step("Wait", new int[] {t});
        }
        throw new KernelAbstraction.OutOfBounds("Ipc.tla has no action for " + call);
    }

    /**
     * The model message of a one-word kernel message. (A send, call, reply or signal naming the
     * caller's own slot, in any version, has no model action: {@code r # t}; a receive has none
     * only from the caller's own ID.)
     */
    private static int msg(IpcConstants c, Message m) {
        long[] w = m.words();
        int i = w.length == 1 ? c.words().indexOf((int) w[0]) : -1;
        if (i < 0 || !m.items().isEmpty() || !m.strings().isEmpty()) {
            throw new KernelAbstraction.OutOfBounds("the message " + m + " is not one word of Words");
        }
        return i;
    }

    private static int tmo(Timeout t) {
        return t == Timeout.ZERO ? 0 : 2;
    }
}
