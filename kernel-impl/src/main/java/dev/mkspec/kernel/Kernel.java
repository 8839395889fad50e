package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.Mode;
import dev.mkspec.hw.PageTables;
import dev.mkspec.hw.PhysicalMemory;
import dev.mkspec.hw.Pte;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;

/**
 * An L4-style kernel on one simulated CPU, every step charged in cycles.
 *
 * <p>State: thread control blocks with versioned IDs, a ready queue, a send queue per thread,
 * address spaces whose page tables live in simulated physical memory in the profile's format,
 * and a mapping database of real nodes whose roots are Sigma0's mappings of every user frame.
 * System calls ({@link Syscall}) are issued by the thread that runs; {@link #syscall} enters the
 * kernel through the profile's mechanism, does the work, and leaves to whichever thread runs
 * next. A bad argument is answered with an {@link ErrorCode} and changes nothing.
 *
 * <p>Costs: the kernel executes {@link Path}s on a {@link Cpu}; TLB and cache misses come from
 * simulating the profile's TLBs and first-level caches over the addresses really touched (code,
 * TCBs, stacks, mapping nodes, page tables, message buffers). {@link #meter()} holds the charges.
 *
 * <p>Not thread-safe: one simulated machine, stepped by one thread.
 */
public final class Kernel {
    /** Physical frames of the simulated machine (64 MiB). */
    public static final int FRAMES = 16384;
    /** User frames Sigma0 owns at boot. */
    public static final int SIGMA0_FRAMES = 1024;
    /** The user PCID of a space under KPTI is its kernel PCID plus this. */
    static final int USER_PCID_OFFSET = 2048;

    private final KernelConfig config;
    private final CpuProfile profile;
    private final PhysicalMemory memory;
    private final Layout layout;
    private final CycleMeter meter = new CycleMeter();
    private final Cpu cpu;
    private final PageTables template;
    private final Tcb[] tcbs = new Tcb[Layout.MAX_THREADS];
    private final Space[] spaces = new Space[Layout.MAX_SPACES];
    private final ArrayDeque<Tcb> ready = new ArrayDeque<>();
    private final BitSet nodeSlots = new BitSet(Layout.MAX_NODES);
    private final long[] sigma0Frames = new long[SIGMA0_FRAMES];
    private final int registerWords;
    private int sigma0Next;
    private Tcb current;
    /** The space whose (kernel) tables CR3 holds. */
    private Space loaded;
    private final Space sigma0;
    /** The space being deleted, whose TLB entries go all at once. */
    private Space dying;

    public Kernel(KernelConfig config) {
        this.config = config;
        this.profile = config.profile();
        this.memory = new PhysicalMemory(FRAMES, 1);
        this.layout = Layout.of(profile.paging());
        this.registerWords = profile.wordBytes() == 4 ? 3 : 6;
        this.template = new PageTables(memory, profile.paging());
        long kflags = Pte.RW | (profile.globalPages() ? Pte.G : 0);
        mapKernel(layout.code(), Layout.CODE_PAGES, kflags);
        mapKernel(layout.tcbs(), Layout.MAX_THREADS * Layout.TCB_BYTES / 4096, kflags);
        mapKernel(layout.nodes(), Layout.MAX_NODES * Layout.NODE_BYTES / 4096, kflags);
        mapKernel(layout.data(), Layout.DATA_PAGES, kflags);
        this.cpu = new Cpu(profile, memory, meter, layout.code(), Layout.USER_CODE);
        cpu.mmu().registers().globalPages = profile.globalPages();
        cpu.mmu().registers().pcidEnable = config.usePcid();
        for (int i = 0; i < tcbs.length; i++) {
            tcbs[i] = new Tcb(i, layout.tcb(i));
        }
        for (int i = 0; i < spaces.length; i++) {
            spaces[i] = new Space(i, layout.space(i));
        }
        sigma0 = newSpace(null, -1);
        for (int i = 0; i < SIGMA0_FRAMES; i++) {
            long frame = memory.allocateFrame();
            sigma0Frames[i] = frame;
            long vpage = (Layout.SIGMA0_WINDOW >>> Fpage.PAGE_SHIFT) + frame;
            MdbNode n = newNode(sigma0, vpage, frame, Rights.ALL, null);
            sigma0.nodes.put(vpage, n);
            writePte(sigma0, vpage, frame, Rights.ALL);
        }
        Tcb root = newThread(sigma0);
        root.state = ThreadState.RUNNING;
        ready.remove(root);
        current = root;
        loadSpace(sigma0);
        meter.reset();
    }

    private void mapKernel(long base, int pages, long flags) {
        for (int i = 0; i < pages; i++) {
            long f = memory.allocateFrame();
            template.map(base + (long) i * 4096, f << PhysicalMemory.FRAME_SHIFT, 12, flags);
        }
    }

    // ------------------------------------------------------------------ public view

    public KernelConfig config() {
        return config;
    }

    public CycleMeter meter() {
        return meter;
    }

    public CpuProfile profile() {
        return profile;
    }

    /** The thread on the CPU, or null when every thread is blocked. */
    public ThreadId current() {
        return current == null ? null : current.id;
    }

    /** Sigma0's first thread, which runs at boot. */
    public ThreadId sigma0Thread() {
        return tcbs[0].id;
    }

    public SpaceId sigma0Space() {
        return sigma0.id;
    }

    /** The state of a live thread, or {@link ThreadState#DEAD}. */
    public ThreadState state(ThreadId t) {
        Tcb x = find(t);
        return x == null ? ThreadState.DEAD : x.state;
    }

    /** The result of the last system call {@code t} completed (including one it blocked in). */
    public SyscallResult resultOf(ThreadId t) {
        Tcb x = find(t);
        return x == null ? null : x.result;
    }

    /** The space of a live thread, or null. */
    public SpaceId spaceOf(ThreadId t) {
        Tcb x = find(t);
        return x == null ? null : x.space.id;
    }

    /** The live threads, in slot order. */
    public List<ThreadId> threads() {
        List<ThreadId> out = new ArrayList<>();
        for (Tcb t : tcbs) {
            if (t.live()) {
                out.add(t.id);
            }
        }
        return out;
    }

    /** The live spaces, in slot order. */
    public List<SpaceId> spaces() {
        List<SpaceId> out = new ArrayList<>();
        for (Space s : spaces) {
            if (s.live) {
                out.add(s.id);
            }
        }
        return out;
    }

    /** Reports {@code t}'s activity in the {@code side} column of breakdown tables. */
    public void setSide(ThreadId t, Side side) {
        live(t).side = side;
    }

    /** The mapping of {@code vaddr} in {@code space}: {@code {frame, rights}}, or null. */
    public long[] mapping(SpaceId space, long vaddr) {
        Space s = findSpace(space);
        if (s == null) {
            return null;
        }
        MdbNode n = s.nodes.get(vaddr >>> Fpage.PAGE_SHIFT);
        return n == null ? null : new long[] {n.frame, n.rights};
    }

    /** The number of mapping-database nodes (Sigma0's roots included). */
    public int nodeCount() {
        return nodeSlots.cardinality();
    }

    // ------------------------------------------------------------------ read-only view (refinement)

    /**
     * One node of the mapping database, as a value: {@code space} maps {@code vaddr} to
     * {@code frame} with {@code rights}, derived from the node of ({@code parentSpace},
     * {@code parentVaddr}); {@code parentSpace} is null for Sigma0's roots.
     */
    public record MappingNode(SpaceId space, long vaddr, long frame, int rights, SpaceId parentSpace, long parentVaddr) {
    }

    /** The mapping-database nodes of a live space, by address; empty for a dead or unknown space. */
    public List<MappingNode> mappings(SpaceId space) {
        Space s = findSpace(space);
        if (s == null) {
            return List.of();
        }
        List<MappingNode> out = new ArrayList<>(s.nodes.size());
        for (MdbNode n : s.nodes.values()) {
            out.add(new MappingNode(s.id, n.vaddr(), n.frame, n.rights, n.parent == null ? null : n.parent.space.id,
                    n.parent == null ? 0 : n.parent.vaddr()));
        }
        out.sort(java.util.Comparator.comparingLong(MappingNode::vaddr));
        return out;
    }

    /** The node of {@code space} at {@code vaddr}, or null. */
    public MappingNode mappingNode(SpaceId space, long vaddr) {
        Space s = findSpace(space);
        MdbNode n = s == null ? null : s.nodes.get(vaddr >>> Fpage.PAGE_SHIFT);
        return n == null ? null : new MappingNode(s.id, n.vaddr(), n.frame, n.rights,
                n.parent == null ? null : n.parent.space.id, n.parent == null ? 0 : n.parent.vaddr());
    }

    /** The space that created {@code space}, or null for Sigma0 and for a dead space. */
    public SpaceId ownerOf(SpaceId space) {
        Space s = findSpace(space);
        return s == null || s.owner == null ? null : s.owner.id;
    }

    /** Sigma0's address of its {@code i}-th frame ({@code 0 <= i < SIGMA0_FRAMES}), in the order the pager hands them out. */
    public long sigma0Address(int i) {
        return Layout.SIGMA0_WINDOW + (sigma0Frames[i] << Fpage.PAGE_SHIFT);
    }

    /** How many of Sigma0's frames {@link #sigma0Map} has handed out. */
    public int sigma0FramesHandedOut() {
        return sigma0Next;
    }

    /**
     * The leaf PTE of {@code vaddr} in each of {@code space}'s page tables (its kernel tables, and
     * under page-table isolation its user tables), read without side effects; 0 where nothing is
     * mapped. Empty for a dead space.
     */
    public long[] ptes(SpaceId space, long vaddr) {
        Space s = findSpace(space);
        if (s == null) {
            return new long[0];
        }
        List<PageTables> ts = tablesOf(s);
        long[] out = new long[ts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ts.get(i).lookup(vaddr);
        }
        return out;
    }

    /** What the running thread's user-mode access to {@code vaddr} would use now (TLB or tables), changing nothing. */
    public dev.mkspec.hw.Probe userView(long vaddr) {
        return cpu.mmu().probe(vaddr);
    }

    /**
     * The TLB entries that translate {@code vaddr} for {@code space} while another space runs:
     * those tagged with its PCIDs, which survive until it runs again. Empty without PCIDs (a CR3
     * load then flushes them) and for a dead space.
     */
    public List<dev.mkspec.hw.Probe> cachedFor(SpaceId space, long vaddr) {
        Space s = findSpace(space);
        if (s == null || !config.usePcid()) {
            return List.of();
        }
        List<dev.mkspec.hw.Probe> out = new ArrayList<>(cpu.mmu().cached(vaddr, s.pcid));
        if (config.mitigations()) {
            out.addAll(cpu.mmu().cached(vaddr, s.pcid + USER_PCID_OFFSET));
        }
        return out;
    }

    // ------------------------------------------------------------------ Sigma0 as pager

    /**
     * Sigma0's pager: maps {@code pages} fresh frames of Sigma0's into {@code space} from
     * {@code vaddr}, through the mapping database exactly as a map item from Sigma0 would, and
     * returns Sigma0's address of the first frame (for sharing it with {@link #sigma0MapShared}).
     * Not charged: set-up happens before a measurement resets the meter.
     */
    public long sigma0Map(SpaceId space, long vaddr, int pages, int rights) {
        if (sigma0Next + pages > SIGMA0_FRAMES) {
            throw new IllegalStateException("Sigma0 has " + (SIGMA0_FRAMES - sigma0Next) + " frames left, not " + pages);
        }
        long first = Layout.SIGMA0_WINDOW + (sigma0Frames[sigma0Next] << Fpage.PAGE_SHIFT);
        for (int i = 0; i < pages; i++) {
            long sv = Layout.SIGMA0_WINDOW + (sigma0Frames[sigma0Next++] << Fpage.PAGE_SHIFT);
            sigma0MapShared(space, vaddr + (long) i * 4096, sv, rights);
        }
        return first;
    }

    /** Maps Sigma0's page at {@code sigma0Vaddr} into {@code space} at {@code vaddr} (shared memory). */
    public void sigma0MapShared(SpaceId space, long vaddr, long sigma0Vaddr, int rights) {
        Space s = findSpace(space);
        MdbNode src = sigma0.nodes.get(sigma0Vaddr >>> Fpage.PAGE_SHIFT);
        if (s == null || src == null || !layout.user(vaddr) || (vaddr & 4095) != 0) {
            throw new IllegalArgumentException("sigma0Map: no space " + space + ", or no Sigma0 page at "
                    + Long.toHexString(sigma0Vaddr) + ", or " + Long.toHexString(vaddr) + " is not a user page");
        }
        long cr3 = cpu.mmu().registers().tableBase;
        int pcid = cpu.mmu().registers().pcid;
        if (config.mitigations() && cr3 != loaded.tables.root()) {
            // Set-up runs between system calls, on user tables; do the kernel's work on its own.
            kernelTables(loaded.tables.root(), loaded.pcid);
        }
        mapPage(src, s, vaddr >>> Fpage.PAGE_SHIFT, rights & src.rights, false);
        kernelTables(cr3, pcid);
    }

    /** Loads CR3 without charging it: set-up work outside any measurement. */
    private void kernelTables(long root, int pcid) {
        if (cpu.mmu().registers().pcidEnable) {
            cpu.mmu().writeCr3(root, pcid, true);
        } else if (cpu.mmu().registers().tableBase != root) {
            cpu.mmu().writeCr3(root);
        }
    }

    // ------------------------------------------------------------------ system calls

    /**
     * {@code caller} makes the system call {@code call}. The caller must be live and runnable (it
     * is made the running thread first if it was merely ready).
     *
     * @return the result, or null when the caller blocked (its result is then {@link #resultOf}
     *     once the call completes)
     * @throws IllegalArgumentException if {@code caller} is not a live, runnable thread: a driver
     *     error, not a system-call error, since no real thread can forge who it is
     */
    public SyscallResult syscall(ThreadId caller, Syscall call) {
        Tcb t = find(caller);
        if (t == null) {
            throw new IllegalArgumentException(caller + " is not a live thread; only a running thread makes system calls");
        }
        if (t.state != ThreadState.RUNNING && t.state != ThreadState.READY) {
            throw new IllegalArgumentException(caller + " is " + t.state + " and cannot make a system call until it is woken");
        }
        if (t != current) {
            if (config.mitigations()) {
                cpu.writeCr3(loaded.tables.root(), loaded.pcid, true, CostCategory.MITIGATION);
            }
            preempt(t);
        }
        String op = opName(call);
        meter.phase(t.side, op + ": trap and entry");
        enter(t);
        meter.phase(t.side, op + ": kernel");
        SyscallResult r = dispatch(t, call);
        if (r != null) {
            t.result = r;
        }
        leave();
        return r;
    }

    private SyscallResult dispatch(Tcb t, Syscall call) {
        if (call instanceof Syscall.Null) {
            cpu.run(Path.NULL_CALL);
            return SyscallResult.done();
        } else if (call instanceof Syscall.GetPid) {
            return getpid(t);
        } else if (call instanceof Syscall.Send s) {
            return send(t, s.to(), s.msg(), s.timeout(), null);
        } else if (call instanceof Syscall.Receive r) {
            return receive(t, r.from(), r.timeout(), new Buffer(r.bufferVaddr(), r.bufferBytes(), r.window()));
        } else if (call instanceof Syscall.Call c) {
            return send(t, c.to(), c.msg(), Timeout.INFINITE, new Buffer(c.bufferVaddr(), c.bufferBytes(), c.window()));
        } else if (call instanceof Syscall.ReplyWait rw) {
            Buffer b = new Buffer(rw.bufferVaddr(), rw.bufferBytes(), rw.window());
            if (rw.to().equals(ThreadId.NIL)) {
                return receive(t, ThreadId.ANY, Timeout.INFINITE, b);
            }
            return replyWait(t, rw.to(), rw.msg(), b);
        } else if (call instanceof Syscall.Flush f) {
            return flush(t, f.fpage(), true);
        } else if (call instanceof Syscall.Unmap u) {
            return flush(t, u.fpage(), config.bug() == KernelBug.UNMAP_REVOKES_OWN);
        } else if (call instanceof Syscall.CreateThread ct) {
            return createThread(t, ct.space());
        } else if (call instanceof Syscall.DeleteThread dt) {
            return deleteThread(t, dt.thread());
        } else if (call instanceof Syscall.CreateSpace cs) {
            return createSpace(t, cs.slot());
        } else if (call instanceof Syscall.DeleteSpace ds) {
            return deleteSpace(t, ds.space());
        } else if (call instanceof Syscall.Signal sg) {
            return signal(t, sg.to(), sg.bits());
        } else if (call instanceof Syscall.Wait w) {
            return await(t, w.mask());
        }
        throw new IllegalArgumentException("unknown system call " + call);
    }

    private static String opName(Syscall call) {
        String n = call.getClass().getSimpleName();
        return switch (n) {
            case "Null" -> "null syscall";
            case "GetPid" -> "getpid";
            case "ReplyWait" -> "replyWait";
            default -> Character.toLowerCase(n.charAt(0)) + n.substring(1);
        };
    }

    // ------------------------------------------------------------------ entry, exit, switching

    private void enter(Tcb t) {
        cpu.enter();
        if (config.mitigations()) {
            cpu.writeCr3(loaded.tables.root(), loaded.pcid, true, CostCategory.MITIGATION);
        }
        cpu.run(entryPath());
        cpu.touch(t.address + Tcb.STACK, 32, Access.WRITE, Mode.SUPERVISOR);
    }

    private void leave() {
        if (current == null) {
            return;
        }
        meter.phase(current.side, "exit to user");
        cpu.run(exitPath());
        cpu.touch(current.address + Tcb.STACK, 32, Access.READ, Mode.SUPERVISOR);
        if (config.mitigations()) {
            cpu.writeCr3(loaded.userTables.root(), loaded.pcid + USER_PCID_OFFSET, true, CostCategory.MITIGATION);
        }
        cpu.exit();
    }

    private Path entryPath() {
        return config.design() == KernelDesign.MONOLITHIC ? Path.MONO_ENTRY
                : config.design().ipc() == KernelDesign.Ipc.MACH ? Path.MACH_ENTRY : Path.ENTRY;
    }

    private Path exitPath() {
        return config.design() == KernelDesign.MONOLITHIC ? Path.MONO_EXIT
                : config.design().ipc() == KernelDesign.Ipc.MACH ? Path.MACH_EXIT : Path.EXIT;
    }

    /** The driver runs a ready thread that is not current: a preemption through the scheduler. */
    private void preempt(Tcb t) {
        meter.phase(t.side, "preemption");
        if (current != null) {
            current.state = ThreadState.READY;
            ready.addLast(current);
        }
        ready.remove(t);
        cpu.run(Path.SCHEDULE);
        cpu.touch(layout.readyQueue(), 16, Access.WRITE, Mode.SUPERVISOR);
        switchTo(t, false);
    }

    /** Runs {@code next}: kernel stack switch, and CR3 when its space differs. */
    private void switchTo(Tcb next, boolean direct) {
        cpu.run(Path.THREAD_SWITCH);
        cpu.touch(next.address + Tcb.STACK, 32, Access.READ, Mode.SUPERVISOR);
        if (next.space != loaded) {
            cpu.run(Path.SPACE_CHECK);
            if (!(direct && config.bug() == KernelBug.FASTPATH_SKIPS_SWITCH)) {
                loadSpace(next.space);
            }
        }
        ready.remove(next);
        next.state = ThreadState.RUNNING;
        current = next;
    }

    private void loadSpace(Space s) {
        cpu.writeCr3(s.tables.root(), s.pcid, true, CostCategory.AS_SWITCH);
        loaded = s;
    }

    /** The current thread blocked: run the next ready thread, or idle. */
    private void scheduleNext() {
        cpu.run(Path.SCHEDULE);
        cpu.touch(layout.readyQueue(), 16, Access.WRITE, Mode.SUPERVISOR);
        Tcb next = ready.pollFirst();
        if (next == null) {
            current = null;
            return;
        }
        switchTo(next, false);
    }

    private void makeReady(Tcb t) {
        cpu.run(Path.READY_ENQUEUE);
        cpu.touch(t.address + Tcb.QUEUE, 8, Access.WRITE, Mode.SUPERVISOR);
        cpu.touch(layout.readyQueue(), 8, Access.WRITE, Mode.SUPERVISOR);
        t.state = ThreadState.READY;
        if (!ready.contains(t)) {
            ready.addLast(t);
        }
    }

    // ------------------------------------------------------------------ IPC

    /** A receive buffer and map window. */
    private record Buffer(long vaddr, int bytes, Fpage window) {
    }

    private SyscallResult send(Tcb t, ThreadId to, Message msg, Timeout timeout, Buffer thenReceive) {
        Tcb d = find(to);
        ErrorCode e = lookupError(to, d);
        if (e == ErrorCode.OK) {
            e = checkMessage(t, msg);
        }
        if (e == ErrorCode.OK && thenReceive != null) {
            e = checkBuffer(t, thenReceive);
        }
        if (e != ErrorCode.OK) {
            return fail(e);
        }
        boolean ready = receiving(d, t);
        if (ready) {
            e = checkDelivery(msg, d.bufferBytes, d.window);
            if (e != ErrorCode.OK) {
                return fail(e);
            }
        } else if (timeout == Timeout.ZERO) {
            return fail(ErrorCode.TIMEOUT);
        }
        if (ready && thenReceive != null && fastPathApplies(msg)) {
            return fastPath(t, d, msg, to, thenReceive);
        }
        ipcPath(t);
        if (!ready) {
            // Blocking send: the sender waits on the receiver's send queue.
            cpu.run(Path.SEND_ENQUEUE);
            cpu.touch(d.address + Tcb.QUEUE, 16, Access.WRITE, Mode.SUPERVISOR);
            cpu.touch(t.address + Tcb.STATE, 16, Access.WRITE, Mode.SUPERVISOR);
            t.state = ThreadState.SENDING;
            t.partner = d.id;
            t.outgoing = msg;
            t.calling = thenReceive != null;
            if (thenReceive != null) {
                t.bufferVaddr = thenReceive.vaddr;
                t.bufferBytes = thenReceive.bytes;
                t.window = thenReceive.window;
            }
            d.sendQueue.addLast(t);
            scheduleNext();
            return null;
        }
        deliver(t, d, msg);
        if (thenReceive == null) {
            // A plain send: the receiver becomes ready, the sender goes on.
            makeReady(d);
            return SyscallResult.done();
        }
        // A call: the sender waits for the reply from the receiver, which runs at once.
        blockReceiving(t, d.id, thenReceive);
        cpu.run(Path.SCHEDULE);
        switchTo(d, true);
        return null;
    }

    private SyscallResult replyWait(Tcb t, ThreadId to, Message msg, Buffer b) {
        Tcb d = find(to);
        ErrorCode e = lookupError(to, d);
        if (e == ErrorCode.OK) {
            e = checkMessage(t, msg);
        }
        if (e == ErrorCode.OK) {
            e = checkBuffer(t, b);
        }
        if (e == ErrorCode.OK && !receiving(d, t)) {
            e = ErrorCode.TIMEOUT;
        }
        if (e == ErrorCode.OK) {
            e = checkDelivery(msg, d.bufferBytes, d.window);
        }
        if (e != ErrorCode.OK) {
            return fail(e);
        }
        Tcb pending = firstSender(t, ThreadId.ANY);
        if (pending == null && fastPathApplies(msg)) {
            return fastPath(t, d, msg, ThreadId.ANY, b);
        }
        ipcPath(t);
        deliver(t, d, msg);
        if (pending != null && checkDelivery(pending.outgoing, b.bytes, b.window) == ErrorCode.OK) {
            // A request is already queued: take it and go on; the replied-to thread becomes ready.
            makeReady(d);
            return take(t, pending, b);
        }
        blockReceiving(t, ThreadId.ANY, b);
        cpu.run(Path.SCHEDULE);
        switchTo(d, true);
        return null;
    }

    private SyscallResult receive(Tcb t, ThreadId from, Timeout timeout, Buffer b) {
        ErrorCode e = ErrorCode.OK;
        if (!from.equals(ThreadId.ANY)) {
            e = lookupError(from, find(from));
        }
        if (e == ErrorCode.OK) {
            e = checkBuffer(t, b);
        }
        if (e != ErrorCode.OK) {
            return fail(e);
        }
        ipcPath(t);
        Tcb s = firstSender(t, from);
        if (s != null) {
            e = checkDelivery(s.outgoing, b.bytes, b.window);
            if (e != ErrorCode.OK) {
                return SyscallResult.error(e);
            }
            return take(t, s, b);
        }
        if (timeout == Timeout.ZERO) {
            return SyscallResult.error(ErrorCode.TIMEOUT);
        }
        blockReceiving(t, from, b);
        scheduleNext();
        return null;
    }

    /** The receiver {@code t} takes the message of the queued sender {@code s}. */
    private SyscallResult take(Tcb t, Tcb s, Buffer b) {
        t.bufferVaddr = b.vaddr;
        t.bufferBytes = b.bytes;
        t.window = b.window;
        cpu.run(Path.SEND_DEQUEUE);
        cpu.touch(t.address + Tcb.QUEUE, 16, Access.WRITE, Mode.SUPERVISOR);
        cpu.touch(s.address + Tcb.STATE, 16, Access.WRITE, Mode.SUPERVISOR);
        t.sendQueue.remove(s);
        Message m = s.outgoing;
        s.outgoing = null;
        deliverInto(s, t, m, t.bufferVaddr, t.bufferBytes, t.window);
        SyscallResult r = SyscallResult.received(s.id, m);
        if (s.calling) {
            s.state = ThreadState.RECEIVING;
            s.partner = t.id;
        } else {
            s.result = SyscallResult.done();
            makeReady(s);
        }
        return r;
    }

    private void blockReceiving(Tcb t, ThreadId from, Buffer b) {
        cpu.touch(t.address + Tcb.STATE, 16, Access.WRITE, Mode.SUPERVISOR);
        t.state = ThreadState.RECEIVING;
        t.partner = from;
        t.bufferVaddr = b.vaddr;
        t.bufferBytes = b.bytes;
        t.window = b.window;
        t.calling = false;
    }

    private boolean fastPathApplies(Message msg) {
        return config.fastPath() && config.design().ipc() == KernelDesign.Ipc.L4 && msg.registersOnly(registerWords);
    }

    /**
     * The L4 fast path: the message stays in registers, the receiver's TCB is found from its ID,
     * the sender blocks receiving, and the CPU switches straight to the receiver without touching
     * the ready queue (lazy queueing); CR3 is loaded only when the receiver's space differs.
     */
    private SyscallResult fastPath(Tcb t, Tcb d, Message msg, ThreadId receiveFrom, Buffer b) {
        meter.phase(t.side, "IPC fast path");
        cpu.run(Path.IPC_FAST);
        cpu.touch(t.address + Tcb.STATE, 16, Access.WRITE, Mode.SUPERVISOR);
        cpu.touch(d.address + Tcb.STATE, 16, Access.WRITE, Mode.SUPERVISOR);
        d.result = SyscallResult.received(t.id, msg);
        blockReceiving(t, receiveFrom, b);
        switchTo(d, true);
        return null;
    }

    /** The slow path's (or Mach's) set-up work, charged before a transfer or a block. */
    private void ipcPath(Tcb t) {
        if (config.design().ipc() == KernelDesign.Ipc.MACH) {
            meter.phase(t.side, "Mach message path");
            cpu.run(Path.MACH_PORT_LOOKUP);
            long table = layout.portTable(t.space.number);
            cpu.touch(table, 8, Access.READ, Mode.SUPERVISOR);
            cpu.touch(table + 256, 64, Access.READ, Mode.SUPERVISOR);
            cpu.touch(table + 640, 64, Access.WRITE, Mode.SUPERVISOR);
        } else {
            meter.phase(t.side, "IPC slow path");
            cpu.run(Path.IPC_SLOW);
            cpu.touch(t.address + Tcb.STATE, 16, Access.READ, Mode.SUPERVISOR);
        }
    }

    /** Delivers {@code msg} from the running sender {@code t} to the waiting receiver {@code d}. */
    private void deliver(Tcb t, Tcb d, Message msg) {
        deliverInto(t, d, msg, d.bufferVaddr, d.bufferBytes, d.window);
        d.result = SyscallResult.received(t.id, msg);
    }

    private void deliverInto(Tcb from, Tcb to, Message msg, long bufVaddr, int bufBytes, Fpage window) {
        boolean mach = config.design().ipc() == KernelDesign.Ipc.MACH;
        cpu.run(Path.IPC_TRANSFER);
        cpu.touch(to.address + Tcb.MRS, Math.max(8, msg.wordCount() * 8), Access.WRITE, Mode.SUPERVISOR);
        if (mach) {
            // Mach: the message is in the sender's memory; copy it in to a kernel buffer and out again.
            int bytes = 32 + msg.wordCount() * profile.wordBytes();
            cpu.run(Path.MACH_COPYIN);
            copyUser(from.space, Layout.messageBuffer(from.id.number()), null, layout.kernelMessageBuffer(), bytes);
            cpu.run(Path.MACH_QUEUE);
            cpu.touch(layout.portTable(to.space.number) + 512, 64, Access.WRITE, Mode.SUPERVISOR);
            cpu.run(Path.MACH_COPYOUT);
            copyUser(null, layout.kernelMessageBuffer(), to.space, Layout.messageBuffer(to.id.number()), bytes);
        } else if (msg.wordCount() > registerWords) {
            copyUser(from.space, Layout.messageBuffer(from.id.number()), to.space,
                    Layout.messageBuffer(to.id.number()), (msg.wordCount() - registerWords) * profile.wordBytes());
        }
        long at = bufVaddr;
        for (Message.StringItem s : msg.strings()) {
            cpu.run(Path.STRING_SETUP);
            copyUser(from.space, s.vaddr(), to.space, at, s.length());
            at += s.length();
        }
        for (Message.MapItem item : msg.items()) {
            Fpage f = item.fpage();
            for (long i = 0; i < f.pages(); i++) {
                long sv = (f.base() >>> Fpage.PAGE_SHIFT) + i;
                MdbNode src = from.space.nodes.get(sv);
                if (src == null) {
                    continue;
                }
                cpu.run(Path.MAP_PAGE);
                cpu.touch(layout.node(src.slot), Layout.NODE_BYTES, Access.READ, Mode.SUPERVISOR);
                if (!Rights.within(f.rights(), src.rights) && config.bug() != KernelBug.MAP_IGNORES_RIGHTS) {
                    // The send was checked, but a flush took rights from the source while the
                    // message waited in a queue: the page is refused, as AddressSpaces' SpaceMap is.
                    continue;
                }
                long dv = ((config.bug() == KernelBug.MAP_AT_SENDER_ADDRESS ? f.base() : window.base())
                        >>> Fpage.PAGE_SHIFT) + i;
                int rights = config.bug() == KernelBug.MAP_SOURCE_RIGHTS && !item.grant() ? src.rights : f.rights();
                mapPage(src, to.space, dv, rights, item.grant());
            }
        }
    }

    /**
     * Copies {@code bytes} from ({@code fromSpace}, {@code src}) to ({@code toSpace}, {@code dst});
     * a null space means a kernel virtual address. User pages are reached through their page
     * tables (one temporary-mapping walk per page is charged as a TLB refill), and the bytes
     * really move in simulated memory.
     */
    private void copyUser(Space fromSpace, long src, Space toSpace, long dst, int bytes) {
        if (bytes <= 0) {
            return;
        }
        cpu.copy((bytes + profile.wordBytes() - 1) / profile.wordBytes());
        int line = cpu.dcache().config().lineBytes();
        // the temporary mapping of each page a copy crosses costs one walk
        double walk = profile.paging().levels() * profile.cycles(dev.mkspec.hw.Primitive.WALK_STEP);
        long lastPageS = -1;
        long lastPageD = -1;
        for (int off = 0; off < bytes; off += 1) {
            long s = src + off;
            long d = dst + off;
            long ps = physicalOf(fromSpace, s);
            long pd = physicalOf(toSpace, d);
            if ((s >>> 12) != lastPageS && fromSpace != null) {
                lastPageS = s >>> 12;
                meter.charge(CostCategory.TLB, walk);
            }
            if ((d >>> 12) != lastPageD && toSpace != null) {
                lastPageD = d >>> 12;
                meter.charge(CostCategory.TLB, walk);
            }
            if (off == 0 || (ps & (line - 1)) == 0) {
                cpu.physical(ps);
            }
            if (off == 0 || (pd & (line - 1)) == 0) {
                cpu.physical(pd);
            }
            memory.writeByte(pd, memory.readByte(ps));
        }
    }

    private long physicalOf(Space s, long vaddr) {
        if (s == null) {
            long e = template.lookup(vaddr);
            return (e & profile.paging().addressMask()) | (vaddr & 4095);
        }
        MdbNode n = s.nodes.get(vaddr >>> Fpage.PAGE_SHIFT);
        if (n == null) {
            throw new IllegalStateException("K-3: a checked user address " + Long.toHexString(vaddr) + " of " + s.id
                    + " has no mapping during a copy");
        }
        return (n.frame << Fpage.PAGE_SHIFT) | (vaddr & 4095);
    }

    private boolean receiving(Tcb d, Tcb t) {
        return d.state == ThreadState.RECEIVING && (d.partner.equals(ThreadId.ANY) || d.partner.equals(t.id));
    }

    private Tcb firstSender(Tcb t, ThreadId from) {
        for (Tcb s : t.sendQueue) {
            if (from.equals(ThreadId.ANY) || s.id.equals(from)) {
                return s;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ argument checks

    private ErrorCode lookupError(ThreadId id, Tcb found) {
        if (found != null) {
            return ErrorCode.OK;
        }
        if (id.number() < 0 || id.number() >= tcbs.length || !tcbs[id.number()].live()) {
            return ErrorCode.NO_SUCH_THREAD;
        }
        return ErrorCode.STALE_THREAD_ID;
    }

    private ErrorCode checkMessage(Tcb t, Message msg) {
        if (msg.wordCount() > Message.MAX_WORDS) {
            return ErrorCode.MESSAGE_TOO_LONG;
        }
        if (config.design().ipc() == KernelDesign.Ipc.MACH || msg.wordCount() > registerWords) {
            int bytes = config.design().ipc() == KernelDesign.Ipc.MACH ? 32 + msg.wordCount() * profile.wordBytes()
                    : (msg.wordCount() - registerWords) * profile.wordBytes();
            if (!mapped(t.space, Layout.messageBuffer(t.id.number()), bytes, Rights.R)) {
                return ErrorCode.BAD_ADDRESS;
            }
        }
        for (Message.StringItem s : msg.strings()) {
            if (s.length() < 0 || !mapped(t.space, s.vaddr(), s.length(), Rights.R)) {
                return ErrorCode.BAD_ADDRESS;
            }
        }
        for (Message.MapItem item : msg.items()) {
            Fpage f = item.fpage();
            if (!f.aligned()) {
                return ErrorCode.UNALIGNED_FPAGE;
            }
            if (!userRange(f.base(), f.size()) || f.rights() == 0 || !Rights.within(f.rights(), Rights.ALL)) {
                return ErrorCode.BAD_ADDRESS;
            }
            for (long i = 0; i < f.pages(); i++) {
                MdbNode n = t.space.nodes.get((f.base() >>> Fpage.PAGE_SHIFT) + i);
                if (n != null && !Rights.within(f.rights(), n.rights) && config.bug() != KernelBug.MAP_IGNORES_RIGHTS) {
                    return ErrorCode.RIGHTS_ESCALATION;
                }
                if (n != null && item.grant() && (n.space == sigma0
                        || (config.bug() == KernelBug.GRANT_REFUSES_DERIVED && !n.children.isEmpty()))) {
                    return ErrorCode.NO_PERMISSION;
                }
            }
        }
        return ErrorCode.OK;
    }

    private ErrorCode checkBuffer(Tcb t, Buffer b) {
        if (b.bytes < 0 || (b.bytes > 0 && !mapped(t.space, b.vaddr, b.bytes, Rights.W))) {
            return ErrorCode.BAD_ADDRESS;
        }
        if (b.window != null) {
            if (!b.window.aligned()) {
                return ErrorCode.UNALIGNED_FPAGE;
            }
            if (!userRange(b.window.base(), b.window.size())) {
                return ErrorCode.BAD_ADDRESS;
            }
            if (t.space == sigma0) {
                return ErrorCode.NO_PERMISSION;
            }
        }
        if (config.design().ipc() == KernelDesign.Ipc.MACH
                && !mapped(t.space, Layout.messageBuffer(t.id.number()), 32 + Message.MAX_WORDS * 8, Rights.W)) {
            return ErrorCode.BAD_ADDRESS;
        }
        return ErrorCode.OK;
    }

    private ErrorCode checkDelivery(Message msg, int bufferBytes, Fpage window) {
        int total = 0;
        for (Message.StringItem s : msg.strings()) {
            total += s.length();
        }
        if (total > bufferBytes) {
            return ErrorCode.MESSAGE_TOO_LONG;
        }
        for (Message.MapItem item : msg.items()) {
            if (window == null || item.fpage().order() > window.order()) {
                return ErrorCode.NO_RECEIVE_WINDOW;
            }
        }
        return ErrorCode.OK;
    }

    private boolean userRange(long base, long bytes) {
        return bytes >= 0 && base >= 0 && layout.user(base) && (bytes == 0 || layout.user(base + bytes - 1))
                && base + bytes >= base;
    }

    private boolean mapped(Space s, long vaddr, long bytes, int rights) {
        if (!userRange(vaddr, bytes)) {
            return false;
        }
        for (long p = vaddr >>> 12; bytes > 0 && p <= (vaddr + bytes - 1) >>> 12; p++) {
            MdbNode n = s.nodes.get(p);
            if (n == null || !Rights.within(rights, n.rights)) {
                return false;
            }
        }
        return true;
    }

    private SyscallResult fail(ErrorCode e) {
        cpu.run(Path.IPC_SLOW);
        return SyscallResult.error(e);
    }

    // ------------------------------------------------------------------ getpid, notification

    private SyscallResult getpid(Tcb t) {
        if (config.design() == KernelDesign.MONOLITHIC) {
            cpu.run(Path.KERNEL_GETPID);
            cpu.touch(t.address + Tcb.STATE, 8, Access.READ, Mode.SUPERVISOR);
            return SyscallResult.value(t.id.number());
        }
        if (config.design() == KernelDesign.MKLINUX_INKERNEL) {
            if (checkBuffer(t, new Buffer(0, 0, null)) != ErrorCode.OK) {
                return fail(ErrorCode.BAD_ADDRESS);
            }
            // A Mach message to the co-located server: in the kernel, but through the message path.
            ipcPath(t);
            cpu.run(Path.MACH_COPYIN);
            copyUser(t.space, Layout.messageBuffer(t.id.number()), null, layout.kernelMessageBuffer(), 32);
            meter.phase(t.side, "in-kernel server");
            cpu.run(Path.COLOCATED_SERVER);
            cpu.touch(t.address + Tcb.STATE, 8, Access.READ, Mode.SUPERVISOR);
            meter.phase(t.side, "Mach message path (reply)");
            cpu.run(Path.MACH_COPYOUT);
            copyUser(null, layout.kernelMessageBuffer(), t.space, Layout.messageBuffer(t.id.number()), 32);
            return SyscallResult.value(t.id.number());
        }
        if (config.design().emulationLibrary()) {
            // An unmodified binary's trap: reflected to the emulation library in the caller's space.
            cpu.run(Path.REFLECT);
            cpu.touch(Layout.stack(t.id.number()), 64, Access.WRITE, Mode.SUPERVISOR);
            return SyscallResult.value(-1);
        }
        return SyscallResult.error(ErrorCode.NOT_SUPPORTED);
    }

    private SyscallResult signal(Tcb t, ThreadId to, long bits) {
        Tcb d = find(to);
        ErrorCode e = lookupError(to, d);
        if (e != ErrorCode.OK) {
            return fail(e);
        }
        cpu.run(Path.SIGNAL);
        cpu.touch(d.address + Tcb.NOTIFY, 16, Access.WRITE, Mode.SUPERVISOR);
        d.notifyBits |= bits;
        if (d.state == ThreadState.WAITING && (d.notifyBits & d.waitMask) != 0) {
            long got = d.notifyBits & d.waitMask;
            d.notifyBits &= ~got;
            d.result = SyscallResult.value(got);
            makeReady(d);
        }
        return SyscallResult.done();
    }

    private SyscallResult await(Tcb t, long mask) {
        cpu.run(Path.WAIT);
        cpu.touch(t.address + Tcb.NOTIFY, 16, Access.WRITE, Mode.SUPERVISOR);
        long got = t.notifyBits & mask;
        if (got != 0) {
            t.notifyBits &= ~got;
            return SyscallResult.value(got);
        }
        t.state = ThreadState.WAITING;
        t.waitMask = mask;
        scheduleNext();
        return null;
    }

    // ------------------------------------------------------------------ threads and spaces

    private SyscallResult createThread(Tcb t, SpaceId space) {
        Space s = findSpace(space);
        if (s == null) {
            return fail(ErrorCode.NO_SUCH_SPACE);
        }
        if (s != t.space && s.owner != t.space) {
            return fail(ErrorCode.NO_PERMISSION);
        }
        if (freeThreadSlot() < 0) {
            return fail(ErrorCode.NO_RESOURCES);
        }
        cpu.run(Path.THREAD_ADMIN);
        Tcb n = newThread(s);
        return new SyscallResult(ErrorCode.OK, n.id, null, 0, null);
    }

    private SyscallResult deleteThread(Tcb t, ThreadId id) {
        Tcb d = find(id);
        ErrorCode e = lookupError(id, d);
        if (e != ErrorCode.OK) {
            return fail(e);
        }
        if (d.id.number() == 0 || (d.space != t.space && d.space.owner != t.space)) {
            return fail(ErrorCode.NO_PERMISSION);
        }
        cpu.run(Path.THREAD_ADMIN);
        killThread(d);
        if (current == null) {
            scheduleNext();
        }
        return d == t ? null : SyscallResult.done();
    }

    private void killThread(Tcb d) {
        cpu.touch(d.address, 64, Access.WRITE, Mode.SUPERVISOR);
        for (Tcb s : new ArrayList<>(d.sendQueue)) {
            s.result = SyscallResult.error(ErrorCode.ABORTED);
            s.outgoing = null;
            makeReady(s);
        }
        d.sendQueue.clear();
        for (Tcb x : tcbs) {
            if (x.live() && x != d) {
                if (config.bug() != KernelBug.DELETE_KEEPS_QUEUED) {
                    x.sendQueue.remove(d);
                }
                if (x.state == ThreadState.RECEIVING && x.partner.equals(d.id)) {
                    x.result = SyscallResult.error(ErrorCode.ABORTED);
                    makeReady(x);
                }
            }
        }
        ready.remove(d);
        if (current == d) {
            current = null;
        }
        d.state = ThreadState.DEAD;
        d.id = new ThreadId(d.id.number(), d.id.version() + 1);
        d.outgoing = null;
        d.result = null;
        d.notifyBits = 0;
        d.space = null;
    }

    private SyscallResult createSpace(Tcb t, int slot) {
        if (slot < -1 || slot >= spaces.length) {
            return fail(ErrorCode.NO_SUCH_SPACE);
        }
        if (freeThreadSlot() < 0 || freeSpaceSlot() < 0 || (slot >= 0 && spaces[slot].live)) {
            return fail(ErrorCode.NO_RESOURCES);
        }
        cpu.run(Path.SPACE_ADMIN);
        Space s = newSpace(t.space, slot);
        Tcb n = newThread(s);
        return new SyscallResult(ErrorCode.OK, n.id, null, s.number, s.id);
    }

    private SyscallResult deleteSpace(Tcb t, SpaceId id) {
        Space s = findSpace(id);
        if (s == null) {
            return fail(ErrorCode.NO_SUCH_SPACE);
        }
        if (s.owner != t.space) {
            return fail(ErrorCode.NO_PERMISSION);
        }
        cpu.run(Path.SPACE_ADMIN);
        destroySpace(s);
        return SyscallResult.done();
    }

    private void destroySpace(Space s) {
        for (Space o : spaces) {
            if (o.live && o.owner == s) {
                destroySpace(o);
            }
        }
        for (Tcb x : tcbs) {
            if (x.live() && x.space == s) {
                killThread(x);
            }
        }
        // The space's own pages are dropped from the TLB wholesale below (its PCID, or the CR3
        // load that any later switch makes), not page by page; pages derived into other spaces
        // are invalidated one by one as usual.
        dying = s;
        for (MdbNode n : new ArrayList<>(s.nodes.values())) {
            if (nodeSlots.get(n.slot) && n.space == s) {
                removeSubtree(n);
            }
        }
        dying = null;
        if (config.usePcid() && config.bug() != KernelBug.DELETE_KEEPS_PCID) {
            cpu.invalidatePcid(s.pcid);
            if (config.mitigations()) {
                cpu.invalidatePcid(s.pcid + USER_PCID_OFFSET);
            }
        }
        s.tables.release();
        if (s.userTables != null) {
            s.userTables.release();
        }
        s.live = false;
        s.id = new SpaceId(s.number, s.id.version() + 1);
        s.nodes.clear();
        s.owner = null;
        if (loaded == s) {
            loadSpace(current != null ? current.space : sigma0);
        }
    }

    private int freeThreadSlot() {
        for (int i = 0; i < tcbs.length; i++) {
            if (!tcbs[i].live()) {
                return i;
            }
        }
        return -1;
    }

    private int freeSpaceSlot() {
        for (int i = 0; i < spaces.length; i++) {
            if (!spaces[i].live) {
                return i;
            }
        }
        return -1;
    }

    private Tcb newThread(Space s) {
        Tcb n = tcbs[freeThreadSlot()];
        n.id = new ThreadId(n.id.number(), n.id.version() + 1);
        n.space = s;
        n.partner = ThreadId.NIL;
        n.sendQueue.clear();
        n.notifyBits = 0;
        n.waitMask = 0;
        n.result = null;
        n.side = Side.CLIENT;
        n.state = ThreadState.READY;
        ready.addLast(n);
        return n;
    }

    private Space newSpace(Space owner, int slot) {
        Space s = spaces[slot >= 0 ? slot : freeSpaceSlot()];
        s.id = new SpaceId(s.number, s.id.version() + 1);
        s.owner = owner;
        s.tables = new PageTables(memory, profile.paging());
        s.tables.shareTopLevel(template, layout.kernelBase(), layout.kernelBytes());
        s.userTables = config.mitigations() ? new PageTables(memory, profile.paging()) : null;
        if (s.userTables != null && config.bug() == KernelBug.USER_TABLES_MAP_KERNEL) {
            s.userTables.shareTopLevel(template, layout.kernelBase(), layout.kernelBytes());
        }
        s.pcid = config.usePcid() ? s.number + 1 : 0;
        s.live = true;
        return s;
    }

    // ------------------------------------------------------------------ mapping database

    private MdbNode newNode(Space s, long vpage, long frame, int rights, MdbNode parent) {
        int slot = nodeSlots.nextClearBit(0);
        if (slot >= Layout.MAX_NODES) {
            throw new IllegalStateException("the mapping database is full (" + Layout.MAX_NODES + " nodes)");
        }
        nodeSlots.set(slot);
        MdbNode n = new MdbNode(s, vpage, frame, rights, parent, slot);
        if (parent != null) {
            parent.children.add(n);
        }
        return n;
    }

    /**
     * Maps (or grants) {@code src}'s page to {@code dst} at {@code dvpage} with {@code rights}.
     * An occupied target is flushed first with everything derived from it; mapping a page onto
     * itself or onto a page its source derives from is skipped (the flush would destroy the source).
     */
    private void mapPage(MdbNode src, Space dst, long dvpage, int rights, boolean grant) {
        if (rights == 0) {
            return;
        }
        MdbNode old = dst.nodes.get(dvpage);
        if (old != null) {
            for (MdbNode a = src; a != null; a = a.parent) {
                if (a == old) {
                    return;
                }
            }
            removeSubtree(old);
        }
        if (grant) {
            unlink(src);
            src.space = dst;
            src.vpage = dvpage;
            src.rights = rights;
            narrow(src, rights);
            dst.nodes.put(dvpage, src);
            writePte(dst, dvpage, src.frame, rights);
            cpu.touch(layout.node(src.slot), Layout.NODE_BYTES, Access.WRITE, Mode.SUPERVISOR);
            return;
        }
        MdbNode parent = src;
        if (config.bug() == KernelBug.MAP_WRONG_PARENT) {
            while (parent.parent != null) {
                parent = parent.parent;
            }
        }
        MdbNode n = newNode(dst, dvpage, src.frame, rights, parent);
        cpu.touch(layout.node(n.slot), Layout.NODE_BYTES, Access.WRITE, Mode.SUPERVISOR);
        dst.nodes.put(dvpage, n);
        writePte(dst, dvpage, src.frame, rights);
    }

    /** Grant: the granted node leaves its old place (its PTE and TLB entries go). */
    private void unlink(MdbNode n) {
        n.space.nodes.remove(n.vpage);
        if (config.bug() != KernelBug.GRANT_KEEPS_PTE) {
            clearPte(n.space, n.vpage);
        }
    }

    private void narrow(MdbNode n, int rights) {
        for (MdbNode c : new ArrayList<>(n.children)) {
            int r = c.rights & rights;
            if (r == 0) {
                removeSubtree(c);
            } else if (r != c.rights) {
                c.rights = r;
                protectPte(c.space, c.vpage, r);
                narrow(c, r);
            }
        }
    }

    private SyscallResult flush(Tcb t, Fpage f, boolean includeSelf) {
        if (!f.aligned()) {
            return fail(ErrorCode.UNALIGNED_FPAGE);
        }
        if (!userRange(f.base(), f.size()) || !Rights.within(f.rights(), Rights.ALL)) {
            return fail(ErrorCode.BAD_ADDRESS);
        }
        cpu.run(Path.FLUSH_SETUP);
        for (long i = 0; i < f.pages(); i++) {
            MdbNode n = t.space.nodes.get((f.base() >>> Fpage.PAGE_SHIFT) + i);
            if (n == null || f.rights() == 0) {
                continue;
            }
            revoke(n, f.rights(), includeSelf && n.space != sigma0);
        }
        return SyscallResult.done();
    }

    /** Revokes {@code rights} from {@code n}'s descendants (and from {@code n} if {@code self}). */
    private void revoke(MdbNode n, int rights, boolean self) {
        cpu.run(Path.FLUSH_NODE);
        cpu.touch(layout.node(n.slot), Layout.NODE_BYTES, Access.WRITE, Mode.SUPERVISOR);
        if (self) {
            int r = n.rights & ~rights;
            if (r == 0) {
                removeSubtree(n);
                return;
            }
            if (r != n.rights) {
                n.rights = r;
                protectPte(n.space, n.vpage, r);
            }
        }
        for (MdbNode c : new ArrayList<>(n.children)) {
            revoke(c, rights, true);
        }
    }

    /** Removes {@code n} and everything derived from it, with their PTEs. */
    private void removeSubtree(MdbNode n) {
        for (MdbNode c : new ArrayList<>(n.children)) {
            cpu.run(Path.FLUSH_NODE);
            removeSubtree(c);
        }
        cpu.touch(layout.node(n.slot), Layout.NODE_BYTES, Access.WRITE, Mode.SUPERVISOR);
        if (n.parent != null) {
            n.parent.children.remove(n);
        }
        n.space.nodes.remove(n.vpage);
        clearPte(n.space, n.vpage);
        if (config.bug() != KernelBug.NODE_SLOT_LEAK) {
            nodeSlots.clear(n.slot);
        }
    }

    private long pteFlags(int rights) {
        long f = Pte.US | ((rights & Rights.W) != 0 ? Pte.RW : 0);
        if (profile.paging() == dev.mkspec.hw.PagingMode.X86_64 && (rights & Rights.X) == 0) {
            f |= Pte.NX;
        }
        return f;
    }

    private void writePte(Space s, long vpage, long frame, int rights) {
        long va = vpage << Fpage.PAGE_SHIFT;
        for (PageTables pt : tablesOf(s)) {
            pt.map(va, frame << Fpage.PAGE_SHIFT, 12, pteFlags(rights));
            cpu.physical(pt.entryAddressAt(va, 1));
        }
    }

    private void clearPte(Space s, long vpage) {
        long va = vpage << Fpage.PAGE_SHIFT;
        for (PageTables pt : tablesOf(s)) {
            cpu.physical(pt.entryAddressAt(va, 1));
            pt.unmap(va);
        }
        invalidate(s, va);
    }

    private void protectPte(Space s, long vpage, int rights) {
        long va = vpage << Fpage.PAGE_SHIFT;
        for (PageTables pt : tablesOf(s)) {
            cpu.physical(pt.entryAddressAt(va, 1));
            if ((rights & Rights.W) == 0) {
                pt.protect(va, Pte.RW);
            }
            if (profile.paging() == dev.mkspec.hw.PagingMode.X86_64 && (rights & Rights.X) == 0) {
                pt.setBits(va, Pte.NX);
            }
        }
        invalidate(s, va);
    }

    /** Drops {@code s}'s translations of {@code va} wherever a TLB may hold them. */
    private void invalidate(Space s, long va) {
        if (config.bug() == KernelBug.FLUSH_SKIPS_TLB || s == dying) {
            return;
        }
        if (config.usePcid()) {
            cpu.invalidate(va, s.pcid);
            if (config.mitigations()) {
                cpu.invalidate(va, s.pcid + USER_PCID_OFFSET);
            }
        } else if (s == loaded) {
            cpu.invalidate(va, 0);
        }
    }

    private List<PageTables> tablesOf(Space s) {
        return s.userTables == null ? List.of(s.tables) : List.of(s.tables, s.userTables);
    }

    // ------------------------------------------------------------------ user-level execution

    /**
     * The running thread {@code t} executes the user-level path {@code p} (fetching its code,
     * and touching its stack).
     */
    public void user(ThreadId t, Path p) {
        Tcb x = running(t);
        if (p.kernel()) {
            throw new IllegalArgumentException(p + " is a kernel path");
        }
        cpu.run(p);
        cpu.touch(Layout.stack(x.id.number()), 16, Access.WRITE, Mode.USER);
    }

    /**
     * The running thread {@code t} reads or writes {@code bytes} bytes at {@code vaddr} in user
     * mode, through the TLB and caches.
     *
     * @return false, touching nothing further, if the access faults (the page is not mapped with
     *     the rights needed); user page faults are not served by this kernel
     */
    public boolean userAccess(ThreadId t, long vaddr, int bytes, boolean write) {
        running(t);
        long end = vaddr + Math.max(1, bytes);
        int line = cpu.dcache().config().lineBytes();
        for (long a = vaddr & -line; a < end; a += line) {
            if (!layout.user(a)) {
                return false;
            }
            if (!cpu.userAccess(a, write ? Access.WRITE : Access.READ)) {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code data} into {@code space}'s memory at {@code vaddr} (set-up; not charged). */
    public void poke(SpaceId space, long vaddr, byte[] data) {
        Space s = findSpace(space);
        for (int i = 0; i < data.length; i++) {
            memory.writeByte(physicalOf(s, vaddr + i), data[i] & 0xFF);
        }
    }

    /** Reads {@code n} bytes of {@code space}'s memory at {@code vaddr} (not charged). */
    public byte[] peek(SpaceId space, long vaddr, int n) {
        Space s = findSpace(space);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) memory.readByte(physicalOf(s, vaddr + i));
        }
        return out;
    }

    private Tcb running(ThreadId t) {
        Tcb x = find(t);
        if (x == null || x != current) {
            throw new IllegalArgumentException(t + " is not the running thread (" + current() + " is)");
        }
        return x;
    }

    // ------------------------------------------------------------------ lookups

    private Tcb find(ThreadId id) {
        if (id == null || id.number() < 0 || id.number() >= tcbs.length) {
            return null;
        }
        Tcb t = tcbs[id.number()];
        if (!t.live()) {
            return null;
        }
        if (!t.id.equals(id) && config.bug() != KernelBug.STALE_ID_ACCEPTED) {
            return null;
        }
        return t;
    }

    private Tcb live(ThreadId id) {
        Tcb t = find(id);
        if (t == null) {
            throw new IllegalArgumentException(id + " is not a live thread");
        }
        return t;
    }

    private Space findSpace(SpaceId id) {
        if (id == null || id.number() < 0 || id.number() >= spaces.length) {
            return null;
        }
        Space s = spaces[id.number()];
        return s.live && s.id.equals(id) ? s : null;
    }

    /**
     * Everything system calls can change, as text: threads (state, partner, queue, notification
     * word), spaces, and every mapping node. Two equal digests mean an equal kernel state; tests
     * use it to show that a rejected call changed nothing.
     */
    String stateDigest() {
        StringBuilder b = new StringBuilder();
        for (Tcb t : tcbs) {
            b.append(t.id).append(' ').append(t.state).append(' ').append(t.live() ? t.space.id : "-").append(' ')
                    .append(t.partner).append(' ').append(t.notifyBits).append(" q=");
            for (Tcb q : t.sendQueue) {
                b.append(q.id).append(',');
            }
            b.append('\n');
        }
        b.append("ready=").append(ready).append(" current=").append(current()).append('\n');
        for (Space s : spaces) {
            b.append(s.id).append(' ').append(s.live).append(' ').append(s.owner).append('\n');
            if (s.live) {
                s.nodes.values().stream().sorted(java.util.Comparator.comparingLong(n -> n.vpage))
                        .forEach(n -> b.append("  ").append(n).append(" <- ").append(n.parent).append('\n'));
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ for KernelInvariants

    Tcb[] tcbs() {
        return tcbs;
    }

    Space[] spaceTable() {
        return spaces;
    }

    ArrayDeque<Tcb> readyQueue() {
        return ready;
    }

    Tcb currentTcb() {
        return current;
    }

    Space loadedSpace() {
        return loaded;
    }

    Space sigma0() {
        return sigma0;
    }

    Cpu cpu() {
        return cpu;
    }

    Layout layout() {
        return layout;
    }

    PageTables template() {
        return template;
    }

    BitSet nodeSlots() {
        return nodeSlots;
    }

    Iterator<MdbNode> allNodes() {
        List<MdbNode> all = new ArrayList<>();
        for (Space s : spaces) {
            if (s.live) {
                all.addAll(s.nodes.values());
            }
        }
        return all.iterator();
    }
}
