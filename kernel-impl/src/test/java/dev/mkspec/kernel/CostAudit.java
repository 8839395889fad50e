package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.Pte;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The cost audit: every operation a system call performs is among the hardware actions it
 * is charged for, once per operation, in the phase of the breakdown that names it. The kernel's
 * cycle figures are the sums of those charges, so a path that changes a thread, a queue, a
 * mapping or a page-table entry without paying for it would make every figure built on it too
 * small; and a charge in the wrong phase would move cycles between rows of the breakdown.
 *
 * <p>The audit compares what the call did (the difference of the kernel's read-only views before
 * and after it) with what it was charged ({@link Cpu.Audit}). It states no cycle figure: a rule
 * says which actions must be charged for an operation, never what they cost. One CPU: the
 * shootdown's charges are {@code ShootdownTests}' subject.
 *
 * <p>The rules:
 * <ul>
 *   <li><b>writes</b>: a live thread whose send queue changed had the cache line of its queue
 *       field written; one whose notification word changed, the line of that word; one that
 *       received a message, every line of the message registers the words fill (unless the fast
 *       path handed it over in the CPU's registers); one whose state changed, some line of its TCB
 *       touched. A mapping-database node created or removed is
 *       written (as many node lines as nodes appear, or as disappear); a user page-table entry
 *       that changed is read or written through the physical window (as many such accesses as
 *       entries changed).</li>
 *   <li><b>paths</b>: a delivered message runs the transfer (the fast path, or the slow path's
 *       transfer) once, and on Mach its copy-in, queueing and copy-out once each; a string item
 *       delivered runs its set-up once; a sender blocked runs the enqueue once, a queued sender
 *       whose message is taken the dequeue once; a page mapped by an item runs the map path; a
 *       node removed runs the flush path; a thread made ready runs the ready enqueue; a change of
 *       the running thread runs the switch, and of the loaded space the space check and a CR3
 *       write; an IPC call runs the fast or the slow path; a signal and a wait run theirs; a
 *       thread or space created or deleted runs the administration path, whose instruction mix
 *       prices a new thread's TCB.</li>
 *   <li><b>entry and exit</b>: each call enters the kernel once, through the design's entry path,
 *       and leaves it once, through the design's exit path, when its CPU runs a thread afterwards.</li>
 *   <li><b>phases</b>: the entry is charged to "OP: trap and entry" and nothing else is; the exit
 *       to "exit to user"; the fast path to "IPC fast path"; Mach's port lookup to "Mach message
 *       path".</li>
 * </ul>
 */
final class CostAudit implements Cpu.Audit {
    record Charged(int cpu, Cpu.Charge kind, Path path, long address, int bytes, Access access, String phase) {
    }

    private final Kernel k;
    private final List<Charged> charges = new ArrayList<>();
    private final int line;
    private final java.util.function.UnaryOperator<Charged> seen;
    private Snapshot before;

    CostAudit(Kernel k) {
        this(k, c -> c);
    }

    /**
     * An audit that sees each charge as {@code seen} makes it (null: not at all). What it finds is
     * what it would find in a kernel that forgot the charges {@code seen} drops, or charged them
     * to the phase it gives them (the audit's own bug variants).
     */
    CostAudit(Kernel k, java.util.function.UnaryOperator<Charged> seen) {
        this.k = k;
        this.seen = seen;
        this.line = k.profile().l1d().lineBytes();
        k.audit(this);
    }

    @Override
    public void charged(Cpu cpu, Cpu.Charge kind, Path path, long address, int bytes, Access access, String phase) {
        Charged c = seen.apply(new Charged(cpu.index, kind, path, address, bytes, access, phase));
        if (c != null) {
            charges.add(c);
        }
    }

    /** What the audit compares: each thread slot's view, the mapping nodes and the user PTEs. */
    private record Snapshot(List<Kernel.ThreadView> threads, Set<Node> nodes, Map<SpaceId, Map<Long, Long>> ptes,
            ThreadId current, SpaceId loaded) {
    }

    private record Node(SpaceId space, long vpage, long frame, int rights, int slot, int parentSlot) {
    }

    private Snapshot snapshot() {
        List<Kernel.ThreadView> threads = new ArrayList<>();
        for (int n = 0; n < k.threadSlots(); n++) {
            threads.add(k.threadView(n));
        }
        Set<Node> nodes = new HashSet<>();
        for (var it = k.allNodes(); it.hasNext();) {
            MdbNode m = it.next();
            nodes.add(new Node(m.space.id, m.vpage, m.frame, m.rights, m.slot, m.parent == null ? -1 : m.parent.slot));
        }
        Map<SpaceId, Map<Long, Long>> ptes = new HashMap<>();
        long kernelBase = k.layout().kernelBase();
        for (SpaceId s : k.spaces()) {
            Map<Long, Long> m = new HashMap<>();
            for (Kernel.Reachable r : k.userReachable(s)) {
                if (r.vaddr() < kernelBase) {
                    // the accessed and dirty bits are the hardware's to set
                    m.put(r.vaddr(), r.entry() & ~(Pte.A | Pte.D));
                }
            }
            ptes.put(s, m);
        }
        return new Snapshot(threads, nodes, ptes, k.current(0), k.loadedSpace(0));
    }

    /** Call before each system call. */
    void before() {
        charges.clear();
        before = snapshot();
    }

    /** Call after it: the rules it broke, each with what was charged; empty if none. */
    List<String> after(ThreadId caller, Syscall call, SyscallResult result) {
        Snapshot after = snapshot();
        List<String> v = new ArrayList<>();
        KernelDesign design = k.config().design();
        boolean mach = design.ipc() == KernelDesign.Ipc.MACH;
        String op = call.getClass().getSimpleName();

        // ---- what the call did ----
        int deliveries = 0;
        int strings = 0;
        int dequeued = 0;
        int enqueued = 0;
        int madeReady = 0;
        int created = 0;
        int inRegisters = 0;
        int registerWords = k.profile().wordBytes() == 4 ? 3 : 6;
        for (int n = 0; n < after.threads.size(); n++) {
            Kernel.ThreadView a = after.threads.get(n);
            Kernel.ThreadView b = before.threads.get(n);
            long tcb = k.layout().tcb(n);
            if (a.state() == ThreadState.DEAD) {
                continue;
            }
            boolean received = a.result() != b.result() && a.result() != null && a.result().msg() != null;
            if (received) {
                deliveries++;
                strings += a.result().msg().strings().size();
                int sender = a.result().from().number();
                if (before.threads.get(sender).state() == ThreadState.SENDING) {
                    dequeued++;
                }
                int words = Math.max(8, a.result().msg().wordCount() * 8);
                for (long at = tcb + Tcb.MRS; at < tcb + Tcb.MRS + words; at += line) {
                    if (!written(at)) {
                        String finding = "writes: " + a.id() + " received " + a.result().msg().wordCount() + " words but the line"
                                + " of its message registers at +" + (at - tcb) + " was not written";
                        // the fast path hands a message that fits the registers over in the registers
                        if (a.result().msg().registersOnly(registerWords) && inRegisters < runs(Path.IPC_FAST)) {
                            inRegisters++;
                        } else {
                            v.add(finding);
                        }
                        break;
                    }
                }
            }
            if (!a.queue().equals(b.queue()) && !written(tcb + Tcb.QUEUE)) {
                v.add("writes: the send queue of " + a.id() + " went from " + b.queue() + " to " + a.queue()
                        + " but the line of its queue field was not written");
            }
            if (a.notifyBits() != b.notifyBits() && b.state() != ThreadState.DEAD && !written(tcb + Tcb.NOTIFY)) {
                v.add("writes: the notification word of " + a.id() + " changed but its line was not written");
            }
            if (b.state() == ThreadState.DEAD) {
                // created: the administration path's instruction mix prices the TCB's initialisation
                created++;
                continue;
            }
            if (a.state() != b.state() && !touched(tcb, Layout.TCB_BYTES)) {
                v.add("writes: " + a.id() + " went from " + b.state() + " to " + a.state() + " but its TCB was not touched");
            }
            if (a.state() == ThreadState.SENDING && b.state() != ThreadState.SENDING) {
                enqueued++;
            }
            if (a.state() == ThreadState.READY && b.state() != ThreadState.READY && b.state() != ThreadState.RUNNING) {
                madeReady++;
            }
        }
        Set<Node> added = new HashSet<>(after.nodes);
        added.removeAll(before.nodes);
        Set<Node> removed = new HashSet<>(before.nodes);
        removed.removeAll(after.nodes);
        Set<Long> nodeLinesWritten = new HashSet<>();
        long nodes = k.layout().nodes();
        for (Charged c : charges) {
            if (c.kind == Cpu.Charge.TOUCH && c.access == Access.WRITE && c.address >= nodes
                    && c.address < nodes + (long) Layout.MAX_NODES * Layout.NODE_BYTES) {
                nodeLinesWritten.add(c.address / Layout.NODE_BYTES);
            }
        }
        int nodeChanges = Math.max(added.size(), removed.size());
        if (nodeLinesWritten.size() < nodeChanges) {
            v.add("writes: " + added.size() + " mapping nodes appeared and " + removed.size() + " went, but only "
                    + nodeLinesWritten.size() + " node lines were written");
        }
        int pteChanges = 0;
        for (Map.Entry<SpaceId, Map<Long, Long>> e : after.ptes.entrySet()) {
            Map<Long, Long> old = before.ptes.get(e.getKey());
            if (old == null) {
                continue;
            }
            Set<Long> vas = new HashSet<>(old.keySet());
            vas.addAll(e.getValue().keySet());
            for (long va : vas) {
                if (!Objects.equals(old.get(va), e.getValue().get(va))) {
                    pteChanges++;
                }
            }
        }
        if (count(Cpu.Charge.PHYSICAL) < pteChanges) {
            v.add("writes: " + pteChanges + " user page-table entries changed but only " + count(Cpu.Charge.PHYSICAL)
                    + " page-table accesses were charged");
        }

        // ---- paths ----
        int transfers = runs(Path.IPC_TRANSFER) + runs(Path.IPC_FAST);
        expect(v, "paths: each delivered message runs the transfer once", deliveries, transfers);
        if (mach) {
            expect(v, "paths: each delivered Mach message is copied in once", deliveries, runs(Path.MACH_COPYIN));
            expect(v, "paths: each delivered Mach message is queued once", deliveries, runs(Path.MACH_QUEUE));
            expect(v, "paths: each delivered Mach message is copied out once", deliveries, runs(Path.MACH_COPYOUT));
        }
        expect(v, "paths: each delivered string item is set up once", strings, runs(Path.STRING_SETUP));
        expect(v, "paths: each sender that blocks is enqueued once", enqueued, runs(Path.SEND_ENQUEUE));
        expect(v, "paths: each queued sender whose message is taken is dequeued once", dequeued, runs(Path.SEND_DEQUEUE));
        boolean ipc = call instanceof Syscall.Send || call instanceof Syscall.Receive || call instanceof Syscall.Call
                || call instanceof Syscall.ReplyWait;
        if (ipc) {
            atLeast(v, "paths: each page an item maps runs the map path", added.size(), runs(Path.MAP_PAGE));
            int entered = runs(Path.IPC_FAST) + runs(Path.IPC_SLOW) + runs(Path.MACH_PORT_LOOKUP);
            atLeast(v, "paths: an IPC call runs the fast path, the slow path or Mach's message path", 1, entered);
        }
        atLeast(v, "paths: each node removed runs the flush path", removed.size() - (ipc ? added.size() : 0),
                runs(Path.FLUSH_NODE));
        atLeast(v, "paths: each thread made ready runs the ready enqueue", madeReady, runs(Path.READY_ENQUEUE));
        if (!Objects.equals(after.current, before.current) && after.current != null) {
            atLeast(v, "paths: a change of the running thread runs the switch", 1, runs(Path.THREAD_SWITCH));
        }
        if (!Objects.equals(after.loaded, before.loaded) && after.loaded != null) {
            atLeast(v, "paths: a change of the loaded space runs the space check", 1, runs(Path.SPACE_CHECK));
            atLeast(v, "paths: a change of the loaded space writes CR3", 1, count(Cpu.Charge.CR3));
        }
        if (created > 0) {
            atLeast(v, "paths: each thread created runs the thread or space administration", created,
                    runs(Path.THREAD_ADMIN) + runs(Path.SPACE_ADMIN));
        }
        boolean ok = result != null && result.ok();
        if (call instanceof Syscall.Signal && ok) {
            expect(v, "paths: a signal runs the signal path once", 1, runs(Path.SIGNAL));
        }
        if (call instanceof Syscall.Wait) {
            expect(v, "paths: a wait runs the wait path once", 1, runs(Path.WAIT));
        }
        if ((call instanceof Syscall.CreateThread || call instanceof Syscall.DeleteThread) && ok) {
            atLeast(v, "paths: creating or deleting a thread runs the thread administration", 1, runs(Path.THREAD_ADMIN));
        }
        if ((call instanceof Syscall.CreateSpace || call instanceof Syscall.DeleteSpace) && ok) {
            atLeast(v, "paths: creating or deleting a space runs the space administration", 1, runs(Path.SPACE_ADMIN));
        }
        if ((call instanceof Syscall.Flush || call instanceof Syscall.Unmap) && ok) {
            expect(v, "paths: a flush or unmap runs its set-up once", 1, runs(Path.FLUSH_SETUP));
        }
        if (call instanceof Syscall.Null) {
            expect(v, "paths: a null call runs its path once", 1, runs(Path.NULL_CALL));
        }

        // ---- entry and exit ----
        Path entry = design == KernelDesign.MONOLITHIC ? Path.MONO_ENTRY : mach ? Path.MACH_ENTRY : Path.ENTRY;
        Path exit = design == KernelDesign.MONOLITHIC ? Path.MONO_EXIT : mach ? Path.MACH_EXIT : Path.EXIT;
        expect(v, "entry: the call enters the kernel once", 1, count(Cpu.Charge.ENTER));
        expect(v, "entry: the call runs the design's entry path once", 1, runs(entry));
        int exits = after.current == null ? 0 : 1;
        expect(v, "exit: the call leaves the kernel once if its CPU runs a thread", exits, count(Cpu.Charge.EXIT));
        expect(v, "exit: the call runs the design's exit path once if its CPU runs a thread", exits, runs(exit));

        // ---- phases ----
        String entryPhase = opName(op) + ": trap and entry";
        for (Charged c : charges) {
            boolean isEntry = c.kind == Cpu.Charge.ENTER || (c.kind == Cpu.Charge.RUN && c.path == entry);
            boolean isExit = c.kind == Cpu.Charge.EXIT || (c.kind == Cpu.Charge.RUN && c.path == exit);
            if (isEntry && !c.phase.equals(entryPhase)) {
                v.add("phases: the entry (" + what(c) + ") was charged to \"" + c.phase + "\", not \"" + entryPhase + "\"");
            }
            if (!isEntry && c.phase.equals(entryPhase) && !(c.kind == Cpu.Charge.TOUCH || c.kind == Cpu.Charge.CR3)) {
                v.add("phases: " + what(c) + " was charged to the entry's phase \"" + entryPhase + "\"");
            }
            if (isExit && !c.phase.equals("exit to user")) {
                v.add("phases: the exit (" + what(c) + ") was charged to \"" + c.phase + "\", not \"exit to user\"");
            }
            if (c.kind == Cpu.Charge.RUN && c.path == Path.IPC_FAST && !c.phase.equals("IPC fast path")) {
                v.add("phases: the fast path was charged to \"" + c.phase + "\"");
            }
            if (c.kind == Cpu.Charge.RUN && c.path == Path.MACH_PORT_LOOKUP && !c.phase.equals("Mach message path")) {
                v.add("phases: Mach's port lookup was charged to \"" + c.phase + "\"");
            }
            if (c.kind == Cpu.Charge.RUN && c.path == Path.IPC_SLOW && !c.phase.equals("IPC slow path")
                    && !c.phase.equals(opName(op) + ": kernel")) {
                v.add("phases: the slow path was charged to \"" + c.phase + "\"");
            }
        }
        if (!v.isEmpty()) {
            List<String> out = new ArrayList<>();
            out.add("the cost audit after " + caller + " " + call + " -> " + (result == null ? "blocked" : result.error()) + ": "
                    + String.join("; ", v));
            out.add("charged: " + charges.stream().map(CostAudit::what).toList());
            return out;
        }
        return List.of();
    }

    private static String opName(String simpleName) {
        return switch (simpleName) {
            case "Null" -> "null syscall";
            case "GetPid" -> "getpid";
            case "ReplyWait" -> "replyWait";
            default -> Character.toLowerCase(simpleName.charAt(0)) + simpleName.substring(1);
        };
    }

    private static String what(Charged c) {
        return switch (c.kind) {
            case RUN -> c.path.name();
            case TOUCH -> c.access + "@" + Long.toHexString(c.address) + "+" + c.bytes;
            case PHYSICAL -> "PT@" + Long.toHexString(c.address);
            default -> c.kind.name();
        };
    }

    private static void expect(List<String> v, String rule, int wanted, int got) {
        if (wanted != got) {
            v.add(rule + ": wanted " + wanted + ", charged " + got);
        }
    }

    private static void atLeast(List<String> v, String rule, int wanted, int got) {
        if (got < wanted) {
            v.add(rule + ": wanted at least " + wanted + ", charged " + got);
        }
    }

    private int runs(Path path) {
        int n = 0;
        for (Charged c : charges) {
            if (c.kind == Cpu.Charge.RUN && c.path == path) {
                n++;
            }
        }
        return n;
    }

    private int count(Cpu.Charge kind) {
        int n = 0;
        for (Charged c : charges) {
            if (c.kind == kind) {
                n++;
            }
        }
        return n;
    }

    /** Whether a write touch covered the cache line that holds {@code address}. */
    private boolean written(long address) {
        long l = address & -(long) line;
        for (Charged c : charges) {
            if (c.kind == Cpu.Charge.TOUCH && c.access == Access.WRITE && covers(c, l)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any touch reached {@code [address, address + bytes)}. */
    private boolean touched(long address, int bytes) {
        for (Charged c : charges) {
            if (c.kind == Cpu.Charge.TOUCH && c.address < address + bytes && c.address + Math.max(1, c.bytes) > address) {
                return true;
            }
        }
        return false;
    }

    private boolean covers(Charged c, long lineAddress) {
        long first = c.address & -(long) line;
        long end = c.address + Math.max(1, c.bytes);
        return lineAddress >= first && lineAddress < end;
    }
}
