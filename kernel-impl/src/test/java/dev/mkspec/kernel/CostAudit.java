package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.PageTables;
import dev.mkspec.hw.Pte;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The cost audit: every operation a system call performs is among the hardware actions it is
 * charged for, in the phase of the breakdown that names it. The kernel's cycle figures are the
 * sums of those charges, so a path that changes a thread, a queue, a mapping or a page-table
 * entry without paying for it would make every figure built on it too small; and a charge in the
 * wrong phase would move cycles between rows of the breakdown.
 *
 * <p>The audit compares what the call did (the difference of the kernel's read-only views before
 * and after it) with what it was charged ({@link Cpu.Audit}). It states no cycle figure: a rule
 * says which actions an operation needs, never what they cost. One CPU: the shootdown's charges
 * are {@code ShootdownTests}' subject.
 *
 * <p>The rules ("once" is exactly once; "runs" is at least once per operation):
 * <ul>
 *   <li><b>writes</b>: a thread live after the call whose send queue changed had the cache line of
 *       its queue field written; one whose notification word changed, the line of that word; one
 *       that received a message, every line of the message registers the words fill (unless the
 *       fast path handed it over in the CPU's registers); one whose state changed, some line of
 *       its TCB touched (a thread created is paid by the administration path, whose instruction
 *       mix prices its TCB). Each mapping-database node created, changed or removed had its own
 *       line written. Each user page-table entry that changed, of a space live before and after
 *       the call, had its own entry accessed, in every table of the space (two under page-table
 *       isolation).</li>
 *   <li><b>paths</b>: a delivered message runs the transfer (the fast path, or the slow path's
 *       transfer) once, and on Mach its copy-in, queueing and copy-out once each; a string item
 *       delivered runs its set-up once, and a string with bytes in it (and each Mach copy) a
 *       copy; a sender blocked runs the enqueue once, a queued sender whose message is taken the
 *       dequeue once; a page an item places runs the map path; a node removed runs the flush
 *       path; a thread woken runs the ready enqueue; a change of the running thread runs the
 *       switch, and of the loaded space the space check and a CR3 write; an IPC call runs the
 *       fast path, the slow path or Mach's message path; a signal and a wait run theirs once; a
 *       null call its path once; a flush or unmap its set-up once; a thread or space created or
 *       deleted runs its administration path. A caller that blocks runs the scheduler (unless
 *       the fast path switched directly); a thread that blocks sending or receiving has the line
 *       of its state field written; a node derived by a map reads the node it derives from; each
 *       message Mach delivers writes a port table.</li>
 *   <li><b>getpid</b> runs the path of the design that serves it: the monolithic kernel's (and
 *       reads the caller's TCB), MkLinux's co-located server behind Mach's message path (port
 *       lookup, copy in and out, the server, each in its phase), or the reflection of an
 *       unmodified binary's trap (a frame written on the caller's stack).</li>
 *   <li><b>entry and exit</b>: each call traps and runs the design's entry path once, and returns
 *       and runs the design's exit path once when its CPU runs a thread afterwards.</li>
 *   <li><b>phases</b>: the trap and the entry path are charged to "OP: trap and entry", and
 *       nothing there but them, the entry's stack touch and CR3 writes; the exit to "exit to
 *       user"; the fast path to "IPC fast path"; Mach's port lookup to "Mach message path"; the
 *       slow path to "IPC slow path", or to "OP: kernel" when it refuses the call. The side
 *       (client or server) of a phase is not judged.</li>
 * </ul>
 * Not judged: invalidations, the walks of a copy's temporary mappings (charged to the meter
 * directly), PTEs of a space created or deleted in the call, and threads deleted in it.
 */
final class CostAudit implements Cpu.Audit {
    record Charged(int cpu, Cpu.Charge kind, Path path, long address, int bytes, Access access, String phase) {
    }

    private final Kernel k;
    private final List<Charged> charges = new ArrayList<>();
    private final int line;
    private final UnaryOperator<Charged> seen;
    private Snapshot before;

    CostAudit(Kernel k) {
        this(k, c -> c);
    }

    /**
     * An audit that sees each charge as {@code seen} makes it (null: not at all). What it finds is
     * what it would find in a kernel that forgot the charges {@code seen} drops, or charged them
     * to the phase it gives them (the audit's own bug variants).
     */
    CostAudit(Kernel k, UnaryOperator<Charged> seen) {
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

    /** What the audit compares: each thread slot's view, the mapping nodes by slot and the user PTEs. */
    private record Snapshot(List<Kernel.ThreadView> threads, Map<Integer, Node> nodes, Map<SpaceId, Map<Long, Long>> ptes,
            ThreadId current, SpaceId loaded) {
    }

    private record Node(SpaceId space, long vpage, long frame, int rights, int parentSlot) {
    }

    private Snapshot snapshot() {
        List<Kernel.ThreadView> threads = new ArrayList<>();
        for (int n = 0; n < k.threadSlots(); n++) {
            threads.add(k.threadView(n));
        }
        Map<Integer, Node> nodes = new HashMap<>();
        for (var it = k.allNodes(); it.hasNext();) {
            MdbNode m = it.next();
            nodes.put(m.slot, new Node(m.space.id, m.vpage, m.frame, m.rights, m.parent == null ? -1 : m.parent.slot));
        }
        Map<SpaceId, Map<Long, Long>> ptes = new HashMap<>();
        for (SpaceId s : k.spaces()) {
            Map<Long, Long> m = new HashMap<>();
            for (Kernel.Reachable r : k.userReachable(s)) {
                if (k.layout().user(r.vaddr())) {
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
        MachKernel mk = mach ? design.machKernel() : null;
        String op = Kernel.opName(call);
        L4Kernel l4 = k.config().l4Paths();
        int registerWords = k.profile().wordBytes() == 4 ? 3 : 6;

        // ---- threads ----
        int deliveries = 0;
        int replies = 0;
        int strings = 0;
        int copiedStrings = 0;
        int dequeued = 0;
        int enqueued = 0;
        int woken = 0;
        int inRegisters = 0;
        for (int n = 0; n < after.threads.size(); n++) {
            Kernel.ThreadView a = after.threads.get(n);
            Kernel.ThreadView b = before.threads.get(n);
            long tcb = k.layout().tcb(n);
            if (a.state() == ThreadState.DEAD || b.state() == ThreadState.DEAD) {
                continue;
            }
            if (a.result() != b.result() && a.result() != null && a.result().msg() != null) {
                Message m = a.result().msg();
                deliveries++;
                if (b.awaitingReply()) {
                    replies++; // delivered to a caller that awaited its reply
                }
                strings += m.strings().size();
                copiedStrings += (int) m.strings().stream().filter(x -> x.length() > 0).count();
                if (before.threads.get(a.result().from().number()).state() == ThreadState.SENDING) {
                    dequeued++;
                }
                int bytes = Math.max(8, m.wordCount() * 8);
                for (long at = tcb + Tcb.MRS; at < tcb + Tcb.MRS + bytes; at += line) {
                    if (!written(at)) {
                        // the fast path hands a message that fits the registers over in the registers
                        if (m.registersOnly(registerWords) && inRegisters < l4.ipcFastPaths().stream().mapToInt(this::runs).sum()) {
                            inRegisters++;
                        } else {
                            v.add("writes: " + a.id() + " received " + m.wordCount() + " words but the line of its message"
                                    + " registers at +" + (at - tcb) + " was not written");
                        }
                        break;
                    }
                }
            }
            if (!a.queue().equals(b.queue()) && !written(tcb + Tcb.QUEUE)) {
                v.add("writes: the send queue of " + a.id() + " went from " + b.queue() + " to " + a.queue()
                        + " but the line of its queue field was not written");
            }
            if (a.notifyBits() != b.notifyBits() && !written(tcb + Tcb.NOTIFY)) {
                v.add("writes: the notification word of " + a.id() + " changed but its line was not written");
            }
            if (a.state() != b.state() && !touched(tcb, Layout.TCB_BYTES)) {
                v.add("writes: " + a.id() + " went from " + b.state() + " to " + a.state() + " but its TCB was not touched");
            }
            boolean blocks = (a.state() == ThreadState.SENDING || a.state() == ThreadState.RECEIVING) && a.state() != b.state();
            if (blocks && !written(tcb + Tcb.STATE)) {
                v.add("writes: " + a.id() + " blocked " + a.state() + " but the line of its state field was not written");
            }
            if (a.state() == ThreadState.SENDING && b.state() != ThreadState.SENDING) {
                enqueued++;
            }
            if (a.state() == ThreadState.READY && b.state() != ThreadState.READY && b.state() != ThreadState.RUNNING) {
                woken++;
            }
        }

        // ---- mapping nodes and page tables ----
        Set<Integer> slots = new HashSet<>(before.nodes.keySet());
        slots.addAll(after.nodes.keySet());
        int removed = 0;
        for (int slot : slots) {
            Node was = before.nodes.get(slot);
            Node is = after.nodes.get(slot);
            if (Objects.equals(was, is)) {
                continue;
            }
            if (is == null) {
                removed++;
            }
            if (!written(k.layout().node(slot))) {
                v.add("writes: mapping node " + slot + " went from " + was + " to " + is + " but its line was not written");
            }
            if (was == null && is != null && is.parentSlot >= 0 && !touched(k.layout().node(is.parentSlot), Layout.NODE_BYTES)) {
                v.add("reads: mapping node " + slot + " was derived from node " + is.parentSlot + ", which was not read");
            }
        }
        Set<List<Long>> mappedBefore = new HashSet<>();
        before.nodes.values().forEach(x -> mappedBefore.add(List.of((long) x.space.number(), x.space.version() + 0L, x.vpage, x.frame)));
        int placed = 0;
        for (Node x : after.nodes.values()) {
            if (!mappedBefore.contains(List.of((long) x.space.number(), x.space.version() + 0L, x.vpage, x.frame))) {
                placed++;
            }
        }
        for (Map.Entry<SpaceId, Map<Long, Long>> e : after.ptes.entrySet()) {
            Map<Long, Long> old = before.ptes.get(e.getKey());
            if (old == null) {
                continue;
            }
            Set<Long> vas = new HashSet<>(old.keySet());
            vas.addAll(e.getValue().keySet());
            for (long va : vas) {
                if (!Objects.equals(old.get(va), e.getValue().get(va))) {
                    Space sp = k.spaceTable()[e.getKey().number()];
                    // A small space's entries are in the shared region's tables, at its window's linear address.
                    long at = sp.small() ? SmallSpaces.linear(sp, va) : va;
                    for (PageTables t : tablesOf(e.getKey())) {
                        long entry = t.entryAddressAt(at, 1);
                        if (charges.stream().noneMatch(c -> c.kind == Cpu.Charge.PHYSICAL && c.address == entry)) {
                            v.add("writes: the PTE of " + Long.toHexString(va) + " in " + e.getKey() + " changed but its entry at "
                                    + Long.toHexString(entry) + " was not accessed");
                        }
                    }
                }
            }
        }

        // ---- paths ----
        boolean ipc = call instanceof Syscall.Send || call instanceof Syscall.Receive || call instanceof Syscall.Call
                || call instanceof Syscall.ReplyWait;
        // Mach moves a message in its send and receive halves (copy-in and copy-out below), not in the transfer.
        expect(v, "paths: each delivered message runs the transfer once", deliveries,
                runs(Path.IPC_TRANSFER) + l4.ipcFastPaths().stream().mapToInt(this::runs).sum() + (ipc ? machRuns(m -> m.copyIn()) + machRuns(m -> m.hasGeneralPath() ? m.messagePath(false).get(0) : null)
                        + machRuns(m -> m.messagePath(true, true).get(0) == m.copyIn() ? null : m.messagePath(true, true).get(0)) : 0));
        ThreadState callerBefore = before.threads.get(caller.number()).state();
        ThreadState callerAfter = after.threads.get(caller.number()).state();
        boolean callerBlocked = (callerAfter == ThreadState.SENDING || callerAfter == ThreadState.RECEIVING
                || callerAfter == ThreadState.WAITING) && callerAfter != callerBefore;
        // Mach hands off (or, on its general path, blocks and lets the scheduler choose) only where a
        // call or a reply-and-wait delivered its message and now waits; a plain send or a take switches to nobody.
        boolean switches = mach && ipc && deliveries > 0 && callerBlocked
                && (call instanceof Syscall.Call || call instanceof Syscall.ReplyWait);
        // MK83's fast path serves only such a message, and only when no request was queued for the
        // caller to receive; every other goes its general path. OSF MK's general path was not
        // counted: MkLinux takes the fast halves for every message.
        boolean queuedBefore = !before.threads.get(caller.number()).queue().isEmpty();
        boolean fast = mach && k.config().fastPath()
                && ((switches && !(call instanceof Syscall.ReplyWait && queuedBefore)) || !mk.hasGeneralPath());
        List<Path> way = mach ? mk.messagePath(fast) : List.of();
        List<Path> replyWay = mach ? mk.messagePath(fast, true) : List.of();
        if (mach && ipc) {
            expect(v, "paths: each delivered Mach message is copied in once", deliveries, runsEither(way.get(0), replyWay.get(0)));
            expect(v, "paths: each delivered Mach message is copied out once", deliveries, runsEither(way.get(2), replyWay.get(2)));
            if (replyWay.get(0) != way.get(0)) {
                expect(v, "paths: each Mach reply takes the reply's send half", replies, runs(replyWay.get(0)));
                expect(v, "paths: each Mach reply takes the reply's receive half", replies, runs(replyWay.get(2)));
            }
        }
        expect(v, "paths: each delivered string item is set up once", strings, runs(Path.STRING_SETUP));
        atLeast(v, "paths: each string with bytes in it, and each Mach copy, is charged a copy",
                copiedStrings + (mach && ipc ? 2 * deliveries : 0), count(Cpu.Charge.COPY));
        expect(v, "paths: each sender that blocks is enqueued once", enqueued, runs(Path.SEND_ENQUEUE));
        expect(v, "paths: each queued sender whose message is taken is dequeued once", dequeued, runs(Path.SEND_DEQUEUE));
        if (ipc) {
            atLeast(v, "paths: each page an item places runs the map path", placed, runs(Path.MAP_PAGE));
            atLeast(v, "paths: an IPC call runs the fast path, the slow path or Mach's message path", 1,
                    l4.ipcFastPaths().stream().mapToInt(this::runs).sum() + runs(Path.IPC_SLOW) + machRuns(MachKernel::trapArgs));
        }
        atLeast(v, "paths: each node removed runs the flush path", removed, runs(Path.FLUSH_NODE));
        atLeast(v, "paths: each thread woken runs the ready enqueue", woken, runs(Path.READY_ENQUEUE));
        if (!Objects.equals(after.current, before.current) && after.current != null) {
            atLeast(v, "paths: a change of the running thread runs the switch", 1, runs(l4.threadSwitch()));
            if (l4.sameSpaceCheck() != null) {
                // Liedtke's kernels have no same-space test: every switch runs a space step.
                Set<Path> steps = new HashSet<>(List.of(l4.spaceCheck(), l4.sameSpaceCheck()));
                atLeast(v, "paths: a change of the running thread runs Liedtke's space step, in one space or across", 1,
                        steps.stream().mapToInt(this::runs).sum());
            }
        }
        if (!Objects.equals(after.loaded, before.loaded) && after.loaded != null) {
            atLeast(v, "paths: a change of the loaded space runs the space check", 1, runs(l4.spaceCheck()));
            atLeast(v, "paths: a change of the loaded space writes CR3", 1, count(Cpu.Charge.CR3));
        }
        if (l4.largeSwitch(true) != null && !Objects.equals(after.loaded, before.loaded) && after.loaded != null
                && !Objects.equals(after.current, before.current) && after.current != null
                && Objects.equals(after.threads.get(after.current.number()).space(), after.loaded)) {
            // Liedtke's 1997 kernel rewrites the user descriptors and reloads DS and ES with every
            // switch to a thread in a large space whose tables it loads (a space deleted under a
            // small one's thread reloads CR3 alone).
            atLeast(v, "paths: a change of the loaded space runs Liedtke's large-space switch", 1,
                    runs(l4.largeSwitch(true)) + runs(l4.largeSwitch(false)));
        }
        if (mach && ipc) {
            // The hand-off (the fast path's, or the general path's block) runs where the caller switches.
            expect(v, "paths: each Mach message whose caller then waits is handed off once", switches ? 1 : 0,
                    runs(mk.messagePath(fast).get(1)));
            if (mk.spaceSwitch() != null) {
                // After a hand-off the loaded space is the receiver's; compare it with the caller's own.
                boolean otherSpace = switches && !Objects.equals(after.loaded, before.threads.get(caller.number()).space());
                expect(v, "paths: a Mach hand-off to another space's thread switches the address space once",
                        otherSpace ? 1 : 0, runs(mk.spaceSwitch()));
            }
        }
        if (callerBlocked && l4.ipcFastPaths().stream().mapToInt(this::runs).sum() == 0 && machRuns(m -> m.handOff()) == 0
                && machRuns(m -> m.hasGeneralPath() ? m.messagePath(false).get(1) : null) == 0) {
            atLeast(v, "paths: a caller that blocks runs the scheduler (the fast path and Mach's hand-off switch directly)", 1,
                    runs(Path.SCHEDULE));
        }
        if (mach && ipc && deliveries > 0) {
            atLeast(v, "writes: each message Mach delivers is queued on a port (a write to a port table)", deliveries,
                    (int) charges.stream().filter(c -> c.kind == Cpu.Charge.TOUCH && c.access == Access.WRITE && inPortTables(c.address))
                            .count());
        }
        boolean ok = result != null && result.ok();
        if (call instanceof Syscall.GetPid) {
            getpid(v, design, caller, ok);
        }
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
            atLeast(v, "paths: creating or deleting an address space runs the space administration", 1, runs(Path.SPACE_ADMIN));
        }
        if ((call instanceof Syscall.Flush || call instanceof Syscall.Unmap) && ok) {
            expect(v, "paths: a flush or unmap runs its set-up once", 1, runs(Path.FLUSH_SETUP));
        }
        if (call instanceof Syscall.Null) {
            expect(v, "paths: a null call runs its path once", 1, runs(mach ? mk.nullTrap() : Path.NULL_CALL));
        }

        // ---- entry and exit ----
        Path entry = design == KernelDesign.MONOLITHIC ? Path.MONO_ENTRY : mach ? mk.entry() : l4.entry();
        Path exit = design == KernelDesign.MONOLITHIC ? Path.MONO_EXIT : mach ? mk.exit() : l4.exit();
        expect(v, "entry: the call enters the kernel once", 1, count(Cpu.Charge.ENTER));
        expect(v, "entry: the call runs the design's entry path once", 1, runs(entry));
        int exits = after.current == null ? 0 : 1;
        expect(v, "exit: the call leaves the kernel once if its CPU runs a thread", exits, count(Cpu.Charge.EXIT));
        expect(v, "exit: the call runs the design's exit path once if its CPU runs a thread", exits, runs(exit));

        // ---- phases ----
        String entryPhase = op + ": trap and entry";
        boolean refused = result != null && !result.ok();
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
            if (c.kind == Cpu.Charge.RUN && l4.ipcFastPaths().contains(c.path) && !c.phase.equals("IPC fast path")) {
                v.add("phases: the fast path was charged to \"" + c.phase + "\"");
            }
            if (c.kind == Cpu.Charge.RUN && mach && c.path == mk.trapArgs() && !c.phase.equals("Mach message path")) {
                v.add("phases: Mach's port lookup was charged to \"" + c.phase + "\"");
            }
            if (c.kind == Cpu.Charge.RUN && c.path == Path.IPC_SLOW && !c.phase.equals("IPC slow path")
                    && !(refused && c.phase.equals(op + ": kernel"))) {
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

    /** Runs of a request's path and of its reply's, counted once where they are the same path. */
    private int runsEither(Path request, Path reply) {
        return runs(request) + (reply == request ? 0 : runs(reply));
    }

    /** Runs of one Mach path, whichever Mach kernel's version of it ran (null: that kernel has none). */
    private int machRuns(java.util.function.Function<MachKernel, Path> path) {
        int n = 0;
        for (MachKernel m : MachKernel.values()) {
            Path p = path.apply(m);
            n += p == null ? 0 : runs(p);
        }
        return n;
    }

    private boolean inPortTables(long address) {
        long first = k.layout().portTable(0);
        return Long.compareUnsigned(address, first) >= 0 && Long.compareUnsigned(address, first + 8 * 1024) < 0;
    }

    /**
     * getpid, served where each design serves it: in the kernel (the monolithic call, reading the
     * caller's TCB); by MkLinux's co-located server, through Mach's message path (port lookup,
     * copy in, the server, copy out, each in its phase); or, for an unmodified binary on L4Linux, by
     * reflecting the trap to the emulation library (a frame written on the caller's stack).
     */
    private void getpid(List<String> v, KernelDesign design, ThreadId caller, boolean ok) {
        long tcb = k.layout().tcb(caller.number());
        if (design == KernelDesign.MONOLITHIC) {
            expect(v, "getpid: the monolithic kernel runs its getpid path once", 1, runs(Path.KERNEL_GETPID));
            if (!touched(tcb + Tcb.STATE, 8)) {
                v.add("getpid: the monolithic kernel did not read the caller's TCB");
            }
        } else if (design == KernelDesign.MKLINUX_INKERNEL && ok) {
            expect(v, "getpid: the co-located server is reached through the trap's argument copy once", 1, runs(design.machKernel().trapArgs()));
            expect(v, "getpid: the request is copied in once", 1, runs(design.machKernel().copyIn()));
            expect(v, "getpid: the reply is copied out once", 1, runs(design.machKernel().copyOut()));
            expect(v, "getpid: the co-located server runs once", 1, runs(Path.COLOCATED_SERVER));
            atLeast(v, "getpid: the request and the reply are copies", 2, count(Cpu.Charge.COPY));
            if (!touched(tcb + Tcb.STATE, 8)) {
                v.add("getpid: the co-located server did not read the caller's TCB");
            }
            for (Charged c : charges) {
                if (c.kind == Cpu.Charge.RUN && c.path == Path.COLOCATED_SERVER && !c.phase.equals("in-kernel server")) {
                    v.add("getpid: the co-located server was charged to \"" + c.phase + "\"");
                }
                if (c.kind == Cpu.Charge.RUN && c.path == design.machKernel().copyOut() && !c.phase.equals("Mach message path (reply)")) {
                    v.add("getpid: the reply's copy-out was charged to \"" + c.phase + "\"");
                }
            }
        } else if (design.emulationLibrary()) {
            expect(v, "getpid: an unmodified binary's trap is reflected once", 1, runs(Path.REFLECT));
            if (!written(Layout.stackTop(caller.number(), 64))) {
                v.add("getpid: the reflected trap wrote no frame on the caller's stack");
            }
        }
    }

    /** The page tables of {@code id}: its tables, and under page-table isolation its user-mode tables. */
    private List<PageTables> tablesOf(SpaceId id) {
        Space s = k.spaceTable()[id.number()];
        if (s.small()) {
            return List.of(k.smallSpaces().region);
        }
        return s.userTables == null ? List.of(s.tables) : List.of(s.tables, s.userTables);
    }

    private static String what(Charged c) {
        return switch (c.kind) {
            case RUN -> c.path.name();
            case TOUCH -> c.access + "@" + Long.toHexString(c.address) + "+" + c.bytes;
            case PHYSICAL -> "PA@" + Long.toHexString(c.address);
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
            if (c.kind == Cpu.Charge.TOUCH && Long.compareUnsigned(c.address, address + bytes) < 0
                    && Long.compareUnsigned(c.address + Math.max(1, c.bytes), address) > 0) {
                return true;
            }
        }
        return false;
    }

    private boolean covers(Charged c, long lineAddress) {
        long first = c.address & -(long) line;
        long end = c.address + Math.max(1, c.bytes);
        return Long.compareUnsigned(lineAddress, first) >= 0 && Long.compareUnsigned(lineAddress, end) < 0;
    }
}
