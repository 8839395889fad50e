package dev.mkspec.refinement.kernel;

import dev.mkspec.kernel.ErrorCode;
import dev.mkspec.kernel.Kernel;
import dev.mkspec.kernel.Syscall;
import dev.mkspec.kernel.SyscallResult;
import dev.mkspec.kernel.ThreadId;
import dev.mkspec.kernel.ThreadState;
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
 *       live thread, and {@code CreateThread(space, slot)} is {@code ThreadCreate} of the slot.</li>
 * </ul>
 * The kernel's observable state after the call ({@link IpcAbstraction#observe(Kernel, int[])})
 * must equal the model successor's; a model action that is not enabled stands for a stutter.
 * Calls the model has no action for (a thread addressing itself; an administrator's call on a
 * stale or dead ID) must fail (a thread's with {@code NO_PERMISSION}, or its own stale ID's lookup
 * error) and change nothing but the
 * caller's result. The model successor's ghost variables (the reply authority {@code callers}
 * among them) are carried forward as the history of the run.
 *
 * <p>Not thread-safe: it drives one kernel.
 */
public final class IpcSimulation {
    /** The caller that stands for no model thread. */
    public static final int ADMIN = -1;

    private final Kernel k;
    private final IpcAbstraction abs;
    private final IpcModel model;
    private final boolean judge;
    private IpcState state;
    private int[] got;
    /** Per slot: the result of its last call if the model had no action for it (else null). */
    private final String[] refused;
    private final List<String> trace = new ArrayList<>();
    private final Map<String, Integer> actionCounts = new TreeMap<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Made> made = new ArrayList<>();
    private int modelSteps;

    /**
     * One call as a trace event: the model action it stood for in TLA+ syntax ({@code FALSE} for
     * none), and the kernel's view after it.
     */
    public record Event(String action, IpcAbstraction.View view) {
    }

    /** A call as it was made: by a slot (or {@link #ADMIN}). */
    public record Made(int slot, Syscall call) {
    }

    /** A model action by name and encoded arguments ({@link IpcModel#apply}). */
    record Step(String name, int[] args) {
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
        this.got = new int[abs.constants().threads().size()];
        this.refused = new String[got.length];
        this.trace.addAll(trace);
        IpcAbstraction.View now = observe();
        events.add(new Event("Init", now));
        if (!judge) {
            return;
        }
        for (IpcState s : model.initialStates()) {
            if (abs.observe(s).equals(now)) {
                state = s;
            }
        }
        if (state == null) {
            throw new RefinementFailure("step", "the kernel after set-up stands for none of the model's initial states: "
                    + now, this.trace);
        }
    }

    public Kernel kernel() {
        return k;
    }

    public IpcAbstraction abstraction() {
        return abs;
    }

    /** Whether each call is judged against the model (else only recorded). */
    public boolean judging() {
        return judge;
    }

    /** The abstract state (with the ghosts of the run) the kernel is in now; null when recording. */
    public IpcState state() {
        return state;
    }

    /** The start and every call, as trace events (recorded in both modes). */
    public List<Event> events() {
        return java.util.Collections.unmodifiableList(events);
    }

    /** The calls made so far, in order (set-up excluded). */
    public List<Made> made() {
        return java.util.Collections.unmodifiableList(made);
    }

    /** Model steps (not stutters) taken, by kind ({@link #kindOf}). */
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
        trace.add(trace.size() + 1 + ". " + (slot == ADMIN ? "admin " : "slot " + slot + " ") + caller + " " + call);
        Step step;
        try {
            step = slot == ADMIN ? adminAction(k, abs, call) : actionFor(k, abs, slot, call);
        } catch (KernelAbstraction.OutOfBounds e) {
            throw new RefinementFailure("bounds", e.getMessage(), trace);
        }
        ThreadState[] before = abs.states(k);
        SyscallResult r;
        try {
            r = k.syscall(caller, call);
        } catch (RuntimeException e) {
            throw new RefinementFailure("crash", "the kernel threw " + e, trace);
        }
        if (slot != ADMIN) {
            refused[slot] = null;
        } else if (step != null && step.name.equals("ThreadDelete")) {
            refused[step.args[0]] = null;
        }
        if (step != null && step.name.equals("ThreadCreate") && r != null && r.ok()
                && r.from().number() != abs.number(step.args[0])) {
            throw new RefinementFailure("step", "asked to create a thread in slot " + abs.number(step.args[0])
                    + ", the kernel created " + r.from(), trace);
        }
        IpcAbstraction.View after;
        try {
            got = abs.got(k, got, before, slot == ADMIN ? -1 : slot, call, r);
            after = observe();
        } catch (KernelAbstraction.OutOfBounds e) {
            throw new RefinementFailure("bounds", e.getMessage(), trace);
        }
        String label = step == null ? "FALSE" : model.action(step.name, step.args).toString();
        if (!judge) {
            if (step != null || !after.equals(events.get(events.size() - 1).view())) {
                events.add(new Event(label, after));
            }
            return r;
        }
        IpcAbstraction.View expected;
        IpcState next = state;
        if (step == null) {
            // No model action: the call must fail and change nothing but the caller's result.
            if (r == null || r.ok() || (slot != ADMIN && !refusal(r.error()))) {
                throw new RefinementFailure("step", "the model has no action for this call, so the kernel must refuse it"
                        + (slot == ADMIN ? "" : " (NO_PERMISSION, or its own stale ID's lookup error)") + ", but it "
                        + (r == null ? "blocked the caller" : r.ok() ? "succeeded" : "returned " + r.error()), trace);
            }
            if (slot != ADMIN) {
                refused[slot] = IpcAbstraction.result(r.error());
                actionCounts.merge("refused", 1, Integer::sum);
            }
            expected = observe(state);
        } else {
            IpcState n = model.apply(state, step.name, step.args);
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
            actionCounts.merge(kindOf(step, state, next), 1, Integer::sum);
        }
        state = next;
        events.add(new Event(label, after));
        return r;
    }

    /** The errors a thread addressing itself may get: refused, or its own stale ID not found. */
    private static boolean refusal(ErrorCode e) {
        return e == ErrorCode.NO_PERMISSION || e == ErrorCode.STALE_THREAD_ID || e == ErrorCode.NO_SUCH_THREAD;
    }

    private IpcAbstraction.View observe() {
        try {
            return abs.observe(k, got);
        } catch (KernelAbstraction.OutOfBounds e) {
            throw new RefinementFailure("bounds", e.getMessage(), trace);
        }
    }

    /**
     * The model state's view, where a slot whose last call the model had no action for shows
     * that call's error and empty registers, as the model's {@code Fail} would have left them.
     */
    private IpcAbstraction.View observe(IpcState s) {
        IpcAbstraction.View v = abs.observe(s);
        List<IpcAbstraction.Slot> slots = new ArrayList<>(v.slots());
        for (int t = 0; t < refused.length; t++) {
            IpcAbstraction.Slot x = slots.get(t);
            if (refused[t] != null && x.kind().equals("ready")) {
                slots.set(t, new IpcAbstraction.Slot(x.kind(), x.peer(), IpcState.NONE, x.flag(), x.tmo(), x.version(), x.home(),
                        x.queue(), refused[t], IpcState.NONE, x.got(), x.note()));
            }
        }
        return new IpcAbstraction.View(List.copyOf(slots), v.spaces());
    }

    /**
     * The kind of model step, for coverage: the action's name and its outcome for the caller
     * ({@code ok}, {@code timeout}, {@code nopartner}; {@code blocks} for a send or receive that
     * waits; {@code delivered} or {@code queued} for a call; {@code replied} for a reply,
     * {@code unauthorised} for a reply to a live thread that made no call to the replier;
     * {@code wakes} for a signal to a waiting thread; {@code aborts} for a deletion that wakes a
     * partner with "aborted").
     */
    private String kindOf(Step step, IpcState from, IpcState next) {
        int v = abs.constants().versions();
        if (step.name.equals("ThreadDelete")) {
            for (int u = 0; u < abs.constants().threads().size(); u++) {
                if (u != step.args[0] && next.result(u).equals("aborted") && !from.result(u).equals("aborted")) {
                    return "ThreadDelete aborts";
                }
            }
            return step.name;
        }
        if (step.name.startsWith("Thread")) {
            return step.name;
        }
        int t = step.args[0];
        String r = next.result(t);
        String outcome = switch (step.name) {
            case "Call" -> r.equals("none") ? (next.thread(t).kind() == IpcState.Kind.RECV ? "delivered" : "queued") : r;
            case "ReplyWait" -> !r.equals("nopartner") ? "replied"
                    : from.thread(step.args[1] / v).kind() != IpcState.Kind.DEAD && from.version(step.args[1] / v) == step.args[1] % v
                            ? "unauthorised" : r;
            case "Signal" -> r.equals("ok") && from.thread(step.args[1] / v).kind() == IpcState.Kind.WAIT
                    && from.version(step.args[1] / v) == step.args[1] % v ? "wakes" : r;
            default -> r.equals("none") ? "blocks" : r;
        };
        return step.name + " " + outcome;
    }

    /**
     * The model action an administrator's call stands for, from its arguments and the kernel
     * before the call: {@code DeleteThread} of a slot's live thread is {@code ThreadDelete}, and
     * {@code CreateThread} in a slot is {@code ThreadCreate} of that slot; a deletion by a stale or
     * dead ID stands for nothing.
     *
     * @throws KernelAbstraction.OutOfBounds for any other call, or a slot outside the model's
     */
    static Step adminAction(Kernel k, IpcAbstraction abs, Syscall call) {
        if (call instanceof Syscall.DeleteThread d) {
            int s = abs.slotOf(d.thread().number());
            Kernel.ThreadView v = s < 0 ? null : k.threadView(abs.number(s));
            return v != null && v.state() != ThreadState.DEAD && d.thread().equals(v.id())
                    ? new Step("ThreadDelete", new int[] {s}) : null;
        }
        if (call instanceof Syscall.CreateThread c) {
            int s = c.slot() < 0 ? -1 : abs.slotOf(c.slot());
            if (s < 0) {
                throw new KernelAbstraction.OutOfBounds("a thread created in slot " + c.slot() + ", none of the model's");
            }
            return new Step("ThreadCreate", new int[] {s});
        }
        throw new KernelAbstraction.OutOfBounds("the administrator only deletes and creates threads, not " + call);
    }

    /**
     * The model action that {@code call} by slot {@code t} stands for, from its arguments, or null
     * when the model has none: a send, call, reply or signal naming the caller's own slot, in any
     * version ({@code r # t}), or a receive from the caller's own ID.
     *
     * @throws KernelAbstraction.OutOfBounds if an argument is outside the model's domains (a
     *     timeout, word, bit or mask the constants do not have)
     */
    static Step actionFor(Kernel k, IpcAbstraction abs, int t, Syscall call) {
        IpcConstants c = abs.constants();
        int me = abs.number(t);
        if (call instanceof Syscall.Send s) {
            return s.to().number() == me ? null : new Step("Send", new int[] {t, abs.modelId(s.to()), msg(abs, s.msg()),
                    tmo(c, s.timeout()), IpcState.NONE});
        }
        if (call instanceof Syscall.Call s) {
            return s.to().number() == me ? null : new Step("Call", new int[] {t, abs.modelId(s.to()), msg(abs, s.msg()),
                    tmo(c, Timeout.INFINITE), IpcState.NONE, IpcState.NONE});
        }
        if (call instanceof Syscall.Receive s) {
            return s.from().equals(k.threadView(me).id()) ? null : new Step("Receive", new int[] {t, abs.modelId(s.from()),
                    tmo(c, s.timeout()), IpcState.NONE});
        }
        if (call instanceof Syscall.ReplyWait s) {
            if (s.to().equals(ThreadId.NIL)) {
                return new Step("Receive", new int[] {t, IpcState.ANY, tmo(c, Timeout.INFINITE), IpcState.NONE});
            }
            return s.to().number() == me ? null : new Step("ReplyWait", new int[] {t, abs.modelId(s.to()), msg(abs, s.msg()),
                    IpcState.NONE});
        }
        if (call instanceof Syscall.Signal s) {
            if (Long.bitCount(s.bits()) != 1 || Long.numberOfTrailingZeros(s.bits()) >= c.bits().size()) {
                throw new KernelAbstraction.OutOfBounds("a signal stands for one model bit, not " + Long.toBinaryString(s.bits()));
            }
            return s.to().number() == me ? null : new Step("Signal", new int[] {t, abs.modelId(s.to()),
                    Long.numberOfTrailingZeros(s.bits())});
        }
        if (call instanceof Syscall.Wait w) {
            long all = (1L << c.bits().size()) - 1;
            if ((w.mask() & all) != all) {
                throw new KernelAbstraction.OutOfBounds("a Wait for some of the bits only (mask " + Long.toBinaryString(w.mask())
                        + "); Ipc.tla's Wait takes the whole word");
            }
            return new Step("Wait", new int[] {t});
        }
        throw new KernelAbstraction.OutOfBounds("Ipc.tla has no action for " + call);
    }

    /** The model message of a one-word kernel message. */
    private static int msg(IpcAbstraction abs, dev.mkspec.kernel.Message m) {
        return abs.constants().words().indexOf(abs.word(m));
    }

    /** The model's code of a kernel timeout, which the constants' Timeouts must have. */
    private static int tmo(IpcConstants c, Timeout t) {
        String name = t == Timeout.ZERO ? "zero" : "inf";
        if (!c.timeouts().contains(name)) {
            throw new KernelAbstraction.OutOfBounds("the timeout " + name + " is not in Timeouts " + c.timeouts()
                    + (t == Timeout.INFINITE ? " (a kernel call, and ReplyWait's receive, wait for ever)" : ""));
        }
        return IpcConstants.TIMEOUT_NAMES.indexOf(name);
    }
}
