package dev.mkspec.refinement.kernel;

import dev.mkspec.kernel.ErrorCode;
import dev.mkspec.kernel.Kernel;
import dev.mkspec.kernel.Message;
import dev.mkspec.kernel.SpaceId;
import dev.mkspec.kernel.SyscallResult;
import dev.mkspec.kernel.ThreadId;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import dev.mkspec.model.ipc.IpcConstants;
import dev.mkspec.model.ipc.IpcState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The abstraction of the kernel's threads to {@code Ipc.tla}'s variables, at the bounds of an Ipc
 * cfg. Model thread slot {@code t} is the kernel thread number {@code numbers[t]}; model space
 * {@code i} is kernel space slot {@code i} (0 being Sigma0).
 *
 * <p>Versions: the kernel bumps a slot's version when it deletes the thread and again when it
 * creates one, so live incarnation {@code m} of a slot (the model's version {@code m}) has the
 * kernel version {@code base + 2m}, {@code base} being the version of the slot's first thread, and
 * a dead slot whose last thread was incarnation {@code m} has {@code base + 2m + 1}.
 *
 * <p>What is abstracted: each slot's state (kind, partner, message word, call and reply flags,
 * timeout), version and space, send queues, results, message registers (the sender's ID and the
 * word) and notification words, and the address spaces through {@link KernelAbstraction}. What is
 * not: the model's ghost variables ({@code delivered}, {@code calledOf}, {@code owed}, {@code deletedIds}, the
 * receiver's request and the true sender in {@code mr}) and the reply authority {@code callers},
 * which the kernel holds only as the callers' own {@code awaitingReply} flags. The simulation takes
 * them from the model step the call stands for; the observable part decides whether it is one.
 * {@code got} (the register a Wait's bits are returned in) is read from the kernel's results as the
 * thread saw them: {@link #got} keeps, per slot, the bits its last completed Wait returned (at once,
 * or when a Signal woke it), cleared when the thread is deleted.
 *
 * <p>Outside the abstraction (it says so rather than guess): finite timeouts (the kernel has none,
 * so {@code TimeoutFires} is never realised), map and grant items (their effect is judged by the
 * address-space refinement), messages of more than one word or of a word outside Words, threads
 * outside the slots in queues or as partners, versions beyond MaxVersion, notification bits beyond
 * Bits, and error codes with no model counterpart.
 */
public final class IpcAbstraction {
    private final IpcConstants constants;
    private final int[] numbers;
    private final int[] base;
    private final int[] homes;
    private final KernelAbstraction spaces;

    /**
     * @param constants the model's constants (Timeouts may not include finite ones for a
     *     realisable comparison; this class does not require it)
     * @param numbers the kernel thread number of each model slot
     * @param base the kernel version of each slot's first thread
     * @param homes the space each slot's threads live in (the model's {@code home})
     */
    public IpcAbstraction(IpcConstants constants, int[] numbers, int[] base, int[] homes) {
        this.constants = constants;
        this.numbers = numbers.clone();
        this.base = base.clone();
        this.homes = homes.clone();
        this.spaces = new KernelAbstraction(KernelBounds.of(constants.spaces().withBug(
                dev.mkspec.model.addressspaces.Bug.NONE)));
        if (numbers.length != constants.threads().size() || base.length != numbers.length || homes.length != numbers.length) {
            throw new IllegalArgumentException("one kernel thread per model slot: " + constants.threads());
        }
    }

    /** One slot as both sides can show it. */
    public record Slot(String kind, int peer, int word, boolean flag, String tmo, int version, int home, List<Integer> queue,
            String result, int from, int got, int note) {
        @Override
        public String toString() {
            return kind + (peer == IpcState.NONE ? "" : " peer " + id(peer)) + (word == IpcState.NONE ? "" : " w " + word)
                    + (flag ? " (call/reply)" : "") + (tmo.isEmpty() ? "" : " tmo " + tmo) + ", ver " + version
                    + (home == IpcState.NONE ? "" : ", in space " + home) + ", queue " + queue + ", res " + result
                    + (from == IpcState.NONE ? "" : ", mr from " + id(from)) + ", got " + got
                    + ", note " + note;
        }

        private static String id(int id) {
            return id == IpcState.ANY ? "Any" : "#" + id;
        }
    }

    /** The observable state: every slot, and the address spaces. */
    public record View(List<Slot> slots, AddressSpacesState spaces) {
        /** The slots that differ from {@code other}'s, one line each. */
        public String difference(View other) {
            StringBuilder b = new StringBuilder();
            for (int t = 0; t < slots.size(); t++) {
                if (!slots.get(t).equals(other.slots.get(t))) {
                    b.append("\n    slot ").append(t).append(": kernel ").append(other.slots.get(t)).append("\n    slot ")
                            .append(t).append(": model  ").append(slots.get(t));
                }
            }
            if (!spaces.equals(other.spaces)) {
                b.append("\n    the address spaces differ");
            }
            return b.toString();
        }
    }

    public IpcConstants constants() {
        return constants;
    }

    /** The kernel thread number of slot t. */
    public int number(int t) {
        return numbers[t];
    }

    /** The space slot t's threads live in. */
    public int home(int t) {
        return homes[t];
    }

    /** The thread states of the slots, before a call (for {@link #got}). */
    public dev.mkspec.kernel.ThreadState[] states(Kernel k) {
        dev.mkspec.kernel.ThreadState[] out = new dev.mkspec.kernel.ThreadState[numbers.length];
        for (int t = 0; t < numbers.length; t++) {
            out[t] = k.threadView(numbers[t]).state();
        }
        return out;
    }

    /**
     * The {@code got} registers after a call, from those before it: a slot whose Wait completed
     * (the caller's at once, or a waiter a Signal woke) now holds the bits its result returned; a
     * slot whose thread died holds none.
     *
     * @param before the slots' states before the call ({@link #states})
     * @param slot the caller's slot, or -1
     * @param r the call's result (null if the caller blocked)
     */
    public int[] got(Kernel k, int[] got, dev.mkspec.kernel.ThreadState[] before, int slot, dev.mkspec.kernel.Syscall call,
            SyscallResult r) {
        int[] out = got.clone();
        for (int t = 0; t < numbers.length; t++) {
            Kernel.ThreadView v = k.threadView(numbers[t]);
            boolean runnable = v.state() == dev.mkspec.kernel.ThreadState.READY
                    || v.state() == dev.mkspec.kernel.ThreadState.RUNNING;
            if (v.state() == dev.mkspec.kernel.ThreadState.DEAD) {
                out[t] = 0;
            } else if (before[t] == dev.mkspec.kernel.ThreadState.WAITING && runnable && v.result() != null) {
                out[t] = bits(v.result().value());
            } else if (t == slot && call instanceof dev.mkspec.kernel.Syscall.Wait && r != null && r.ok()) {
                out[t] = bits(r.value());
            }
        }
        return out;
    }

    /** The model version of slot t's last thread in the kernel (live or dead). */
    public int version(Kernel k, int t) {
        int d = k.threadView(numbers[t]).id().version() - base[t];
        return d % 2 == 0 ? d / 2 : (d - 1) / 2;
    }

    /**
     * The view as TLA+ values of the variables a kernel trace shows ({@code IpcTrace.tla}): the
     * address spaces', {@code home}, {@code ver}, {@code st}, {@code queue}, {@code res},
     * {@code note}, {@code got}, and {@code MrSeen} for the registers without their ghost fields.
     */
    public Map<String, String> render(View v) {
        Map<String, String> out = new LinkedHashMap<>(new dev.mkspec.model.addressspaces.AddressSpacesModel(
                constants.spaces().withBug(dev.mkspec.model.addressspaces.Bug.NONE).withSymmetry(false)).render(v.spaces()));
        out.put("home", fn(t -> constants.spaces().spaceName(homes[t])));
        out.put("ver", fn(t -> Integer.toString(v.slots().get(t).version())));
        out.put("st", fn(t -> {
            Slot x = v.slots().get(t);
            return switch (x.kind()) {
                case "send" -> "[kind |-> \"send\", to |-> " + idTla(x.peer()) + ", msg |-> [w |-> " + x.word() + ", item |-> "
                        + constants.noItem() + "], call |-> " + bool(x.flag()) + ", win |-> " + constants.noWindow()
                        + ", tmo |-> \"" + x.tmo() + "\"]";
                case "recv" -> "[kind |-> \"recv\", from |-> " + idTla(x.peer()) + ", reply |-> " + bool(x.flag()) + ", win |-> "
                        + constants.noWindow() + ", tmo |-> \"" + x.tmo() + "\"]";
                default -> "[kind |-> \"" + x.kind() + "\"]";
            };
        }));
        out.put("queue", fn(t -> {
            List<String> q = new ArrayList<>();
            v.slots().get(t).queue().forEach(x -> q.add(constants.threads().get(x)));
            return "<<" + String.join(", ", q) + ">>";
        }));
        out.put("res", fn(t -> "\"" + v.slots().get(t).result() + "\""));
        out.put("note", fn(t -> bitsTla(v.slots().get(t).note())));
        out.put("got", fn(t -> bitsTla(v.slots().get(t).got())));
        out.put("MrSeen", fn(t -> {
            Slot x = v.slots().get(t);
            return x.from() == IpcState.NONE ? constants.noMsg() : "[from |-> " + idTla(x.from()) + ", w |-> " + x.word() + "]";
        }));
        return out;
    }

    private String fn(java.util.function.IntFunction<String> value) {
        List<String> parts = new ArrayList<>();
        for (int t = 0; t < numbers.length; t++) {
            parts.add(constants.threads().get(t) + " :> " + value.apply(t));
        }
        return "(" + String.join(" @@ ", parts) + ")";
    }

    private String bitsTla(int mask) {
        List<String> bits = new ArrayList<>();
        for (int i = 0; i < constants.bits().size(); i++) {
            if ((mask & (1 << i)) != 0) {
                bits.add(Integer.toString(constants.bits().get(i)));
            }
        }
        return "{" + String.join(", ", bits) + "}";
    }

    private String idTla(int id) {
        return id == IpcState.ANY ? constants.any() : "[slot |-> " + constants.threads().get(id / constants.versions())
                + ", ver |-> " + id % constants.versions() + "]";
    }

    private static String bool(boolean b) {
        return b ? "TRUE" : "FALSE";
    }

    /** The model slot of a kernel thread number, or -1. */
    public int slotOf(int number) {
        for (int t = 0; t < numbers.length; t++) {
            if (numbers[t] == number) {
                return t;
            }
        }
        return -1;
    }

    /** The kernel ID of a model ID ({@code slot * versions + version}), or ANY. */
    public ThreadId kernelId(int id) {
        if (id == IpcState.ANY) {
            return ThreadId.ANY;
        }
        int v = constants.versions();
        return new ThreadId(numbers[id / v], base[id / v] + 2 * (id % v));
    }

    /**
     * The model ID of a kernel ID.
     *
     * @throws KernelAbstraction.OutOfBounds if it names no model ID
     */
    public int modelId(ThreadId x) {
        if (x.equals(ThreadId.ANY)) {
            return IpcState.ANY;
        }
        int t = slotOf(x.number());
        int d = t < 0 ? -1 : x.version() - base[t];
        if (t < 0 || d < 0 || d % 2 != 0 || d / 2 > constants.maxVersion()) {
            throw new KernelAbstraction.OutOfBounds("the thread ID " + x + " is none of the model's");
        }
        return t * constants.versions() + d / 2;
    }

    /** The model's result for a kernel result code. */
    public static String result(ErrorCode e) {
        return switch (e) {
            case OK -> "ok";
            case TIMEOUT -> "timeout";
            case NO_SUCH_THREAD, STALE_THREAD_ID, NO_PERMISSION -> "nopartner";
            case ABORTED -> "aborted";
            default -> throw new KernelAbstraction.OutOfBounds("the error " + e + " has no counterpart in Ipc.tla");
        };
    }

    /** The word of a one-word message of Words. */
    int word(Message m) {
        long[] w = m.words();
        if (w.length != 1 || !m.strings().isEmpty() || !m.items().isEmpty() || !constants.words().contains((int) w[0])
                || w[0] != (int) w[0]) {
            throw new KernelAbstraction.OutOfBounds("the message " + m + " is not one word of Words " + constants.words());
        }
        return (int) w[0];
    }

    private int bits(long kernelBits) {
        int n = constants.bits().size();
        if (n < 63 && (kernelBits >>> n) != 0) {
            throw new KernelAbstraction.OutOfBounds("notification bits " + Long.toBinaryString(kernelBits)
                    + " beyond the model's " + n);
        }
        return (int) kernelBits;
    }

    /**
     * The kernel's observable state.
     *
     * @param got per slot, the bits its last completed Wait returned ({@link #got})
     * @throws KernelAbstraction.OutOfBounds if the kernel is outside the bounds
     */
    public View observe(Kernel k, int[] got) {
        List<Slot> out = new ArrayList<>();
        for (int t = 0; t < numbers.length; t++) {
            Kernel.ThreadView v = k.threadView(numbers[t]);
            int d = v.id().version() - base[t];
            boolean live = v.state() != dev.mkspec.kernel.ThreadState.DEAD;
            int ver = live ? d / 2 : (d - 1) / 2;
            if (d < 0 || (d % 2 == 0) != live || ver > constants.maxVersion()) {
                throw new KernelAbstraction.OutOfBounds("thread slot " + numbers[t] + " has the version "
                        + v.id().version() + ", beyond MaxVersion " + constants.maxVersion());
            }
            int home = IpcState.NONE;
            if (live) {
                home = v.space().number();
                if (!constants.threadSpaces().contains(home)) {
                    throw new KernelAbstraction.OutOfBounds(v.id() + " lives in space " + v.space()
                            + ", outside ThreadSpaces");
                }
            }
            List<Integer> queue = new ArrayList<>();
            for (ThreadId q : v.queue()) {
                queue.add(modelId(q) / constants.versions());
            }
            String res = "none";
            int from = IpcState.NONE;
            int word = IpcState.NONE;
            int peer = IpcState.NONE;
            boolean flag = false;
            String tmo = "";
            String kind;
            switch (v.state()) {
                case DEAD -> kind = "dead";
                case WAITING -> {
                    kind = "wait";
                    int all = (1 << constants.bits().size()) - 1;
                    if ((v.waitMask() & all) != all) {
                        throw new KernelAbstraction.OutOfBounds(v.id() + " waits for some of the bits only (mask "
                                + Long.toBinaryString(v.waitMask()) + "); Ipc.tla's Wait takes the whole word");
                    }
                }
                case SENDING -> {
                    kind = "send";
                    peer = modelId(v.partner());
                    word = word(v.outgoing());
                    flag = v.calling();
                    tmo = "inf";
                }
                case RECEIVING -> {
                    kind = "recv";
                    peer = modelId(v.partner());
                    flag = v.awaitingReply();
                    tmo = "inf";
                }
                default -> {
                    kind = "ready";
                    SyscallResult r = v.result();
                    if (r != null) {
                        res = result(r.error());
                        if (r.msg() != null) {
                            from = modelId(r.from());
                            word = word(r.msg());
                        }
                    }
                }
            }
            out.add(new Slot(kind, peer, word, flag, tmo, ver, home, List.copyOf(queue), res, from, got[t],
                    bits(v.notifyBits())));
        }
        return new View(List.copyOf(out), spaces.alpha(k));
    }

    /** The model's observable state. */
    public View observe(IpcState s) {
        List<Slot> out = new ArrayList<>();
        int items = 1;
        for (int t = 0; t < numbers.length; t++) {
            IpcState.Th th = s.thread(t);
            String kind = switch (th.kind()) {
                case DEAD -> "dead";
                case READY -> "ready";
                case SEND -> "send";
                case RECV -> "recv";
                case WAIT -> "wait";
            };
            boolean blocked = kind.equals("send") || kind.equals("recv");
            int word = kind.equals("send") ? constants.words().get(th.msg() / items) : IpcState.NONE;
            IpcState.Got g = s.registers(t);
            int from = IpcState.NONE;
            if (g != null && kind.equals("ready")) {
                from = g.from();
                word = g.word();
            }
            List<Integer> queue = new ArrayList<>();
            for (int q : s.queue(t)) {
                queue.add(q);
            }
            out.add(new Slot(kind, blocked ? th.peer() : IpcState.NONE, word, blocked && th.flag(),
                    blocked ? IpcConstants.TIMEOUT_NAMES.get(th.tmo()) : "", s.version(t),
                    kind.equals("dead") ? IpcState.NONE : s.home(t), List.copyOf(queue),
                    kind.equals("ready") ? s.result(t) : "none", from,
                    s.got(t), s.notification(t)));
        }
        return new View(List.copyOf(out), s.spaces());
    }
}
