package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.Mode;
import dev.mkspec.hw.PageTables;
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
 * <p>Structure, object by object as in seL4's executable spec: {@link Threads} (the thread table),
 * {@link Spaces} (the space table and the page-table edits), {@link Scheduler} (the ready queue,
 * the running thread, CR3), {@link MappingDb} (map, grant, flush, unmap), {@link Ipc} (send,
 * receive, call, replyWait, the fast and slow paths, item transfer), {@link Notification}
 * (signal, wait) and {@link UserMemory} (copies and checks of user ranges), sharing a
 * {@link Platform}. This class keeps system-call dispatch, entry and exit, the pager's set-up
 * ({@link #sigma0Map}), and a read-only view of the state for {@code refinement}.
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

    private final Platform p;
    private final long[] sigma0Frames = new long[SIGMA0_FRAMES];
    private int sigma0Next;

    public Kernel(KernelConfig config) {
        this.p = new Platform(config);
        p.threads = new Threads(p);
        p.spaces = new Spaces(p);
        p.mdb = new MappingDb(p);
        p.userMemory = new UserMemory(p);
        p.ipc = new Ipc(p);
        p.notification = new Notification(p);
        p.spaces.sigma0 = p.spaces.newSpace(null, -1);
        for (int i = 0; i < SIGMA0_FRAMES; i++) {
            long frame = p.memory.allocateFrame();
            sigma0Frames[i] = frame;
            long vpage = (Layout.SIGMA0_WINDOW >>> Fpage.PAGE_SHIFT) + frame;
            MdbNode n = p.mdb.newNode(p.spaces.sigma0, vpage, frame, Rights.ALL, null);
            p.spaces.sigma0.nodes.put(vpage, n);
            p.spaces.writePte(p.spaces.sigma0, vpage, frame, Rights.ALL);
        }
        Tcb root = p.threads.newThread(p.spaces.sigma0);
        root.state = ThreadState.RUNNING;
        p.scheduler.ready.remove(root);
        p.scheduler.current = root;
        p.scheduler.loadSpace(p.spaces.sigma0);
        for (Cpu c : p.cpus) {
            c.meter().reset();
        }
    }

    // ------------------------------------------------------------------ public view

    public KernelConfig config() {
        return p.config;
    }

    public CycleMeter meter() {
        return p.cpus[0].meter();
    }

    /** CPU {@code cpu}'s meter (each CPU is charged for its own work). */
    public CycleMeter meter(int cpu) {
        return p.cpus[checkCpu(cpu)].meter();
    }

    /** How many CPUs the kernel runs on. */
    public int cpus() {
        return p.cpus.length;
    }

    private int checkCpu(int cpu) {
        if (cpu < 0 || cpu >= p.cpus.length) {
            throw new IllegalArgumentException("there is no CPU " + cpu + "; this kernel runs on CPUs 0 to " + (p.cpus.length - 1));
        }
        return cpu;
    }

    public CpuProfile profile() {
        return p.profile;
    }

    /** The thread on the CPU, or null when every thread is blocked. */
    public ThreadId current() {
        return p.scheduler.current == null ? null : p.scheduler.current.id;
    }

    /** Sigma0's first thread, which runs at boot. */
    public ThreadId sigma0Thread() {
        return p.threads.tcbs[0].id;
    }

    public SpaceId sigma0Space() {
        return p.spaces.sigma0.id;
    }

    /** The state of a live thread, or {@link ThreadState#DEAD}. */
    public ThreadState state(ThreadId t) {
        Tcb x = p.threads.find(t);
        return x == null ? ThreadState.DEAD : x.state;
    }

    /** The result of the last system call {@code t} completed (including one it blocked in). */
    public SyscallResult resultOf(ThreadId t) {
        Tcb x = p.threads.find(t);
        return x == null ? null : x.result;
    }

    /** The space of a live thread, or null. */
    public SpaceId spaceOf(ThreadId t) {
        Tcb x = p.threads.find(t);
        return x == null ? null : x.space.id;
    }

    /** The live threads, in slot order. */
    public List<ThreadId> threads() {
        List<ThreadId> out = new ArrayList<>();
        for (Tcb t : p.threads.tcbs) {
            if (t.live()) {
                out.add(t.id);
            }
        }
        return out;
    }

    /** The live threads that could make a system call now (running or ready), in slot order. */
    public List<ThreadId> runnableThreads() {
        List<ThreadId> out = new ArrayList<>();
        for (ThreadId t : threads()) {
            ThreadState st = state(t);
            if (st == ThreadState.RUNNING || st == ThreadState.READY) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * A thread's IPC and notification state, as the kernel holds it (for abstraction functions).
     *
     * @param id the slot's current ID (a dead slot's ID is the one it had when it died, version
     *     bumped)
     * @param space the thread's space, or null when dead
     * @param state what it is doing
     * @param partner the TCB's partner field: sending, to whom; receiving, from whom (or
     *     {@link ThreadId#ANY}); stale otherwise
     * @param outgoing the message field of the TCB (a blocked sender's message; read only while
     *     sending)
     * @param calling the TCB's call flag (a blocked sender waits for the reply once its message is
     *     taken; read only while sending)
     * @param awaitingReply the TCB's reply-wait flag (read only while receiving)
     * @param queue the threads blocked sending to it, in arrival order
     * @param notifyBits its notification word
     * @param waitMask the bits it waits for (read only while waiting)
     * @param result the result of the last call it completed (null for none yet); stale while it is
     *     blocked
     */
    public record ThreadView(ThreadId id, SpaceId space, ThreadState state, ThreadId partner, Message outgoing,
            boolean calling, boolean awaitingReply, List<ThreadId> queue, long notifyBits, long waitMask,
            SyscallResult result) {
    }

    /** The IPC state of thread slot {@code number}, live or dead. */
    public ThreadView threadView(int number) {
        Tcb t = p.threads.tcbs[number];
        List<ThreadId> q = new ArrayList<>();
        for (Tcb s : t.sendQueue) {
            q.add(s.id);
        }
        return new ThreadView(t.id, t.space == null ? null : t.space.id, t.state, t.partner, t.outgoing, t.calling,
                t.awaitingReply, List.copyOf(q), t.notifyBits, t.waitMask, t.result);
    }

    /** Thread slots: {@code 0 .. threadSlots() - 1}. */
    public int threadSlots() {
        return p.threads.tcbs.length;
    }

    /** The live spaces, in slot order. */
    public List<SpaceId> spaces() {
        List<SpaceId> out = new ArrayList<>();
        for (Space s : p.spaces.table) {
            if (s.live) {
                out.add(s.id);
            }
        }
        return out;
    }

    /**
     * MkLinux: makes {@code server} the thread that serves {@code task}'s exception port, so
     * that the task's Linux system calls reach it as Mach exceptions (OSF MK's EXC_SYSCALL).
     *
     * @throws IllegalArgumentException on another design, or for a task or thread that does not exist
     */
    public void setExceptionServer(SpaceId task, ThreadId server) {
        if (p.config.design() != KernelDesign.MKLINUX_USER && p.config.design() != KernelDesign.MKLINUX_INKERNEL) {
            throw new IllegalArgumentException("exception ports deliver Linux system calls in the mklinux-user and "
                    + "mklinux-inkernel designs only, not in " + p.config.design().key());
        }
        Space s = p.spaces.findSpace(task);
        if (s == null) {
            throw new IllegalArgumentException("no task " + task);
        }
        p.threads.live(server);
        s.exceptionServer = server;
    }

    /**
     * Empties every CPU's caches and TLBs (global entries too), charging nothing: the cold start of
     * the {@code cache=cold} what-if, after which every line and translation a run touches misses.
     */
    public void emptyCachesAndTlbs() {
        for (Cpu c : p.cpus) {
            c.dcache().invalidateAll();
            c.icache().invalidateAll();
            c.mmu().flushAll();
        }
    }

    /**
     * mklinux-inkernel: {@code t}, the co-located server's thread, runs in kernel mode: its system
     * calls enter and leave the kernel without a trap.
     *
     * @throws IllegalArgumentException on another design
     */
    public void setKernelMode(ThreadId t) {
        if (p.config.design() != KernelDesign.MKLINUX_INKERNEL) {
            throw new IllegalArgumentException("only the mklinux-inkernel design runs a server in kernel mode, not "
                    + p.config.design().key());
        }
        p.threads.live(t).kernelMode = true;
    }

    /** Reports {@code t}'s activity in the {@code side} column of breakdown tables. */
    public void setSide(ThreadId t, Side side) {
        p.threads.live(t).side = side;
    }

    /** The mapping of {@code vaddr} in {@code space}: {@code {frame, rights}}, or null. */
    public long[] mapping(SpaceId space, long vaddr) {
        Space s = p.spaces.findSpace(space);
        if (s == null) {
            return null;
        }
        MdbNode n = s.nodes.get(vaddr >>> Fpage.PAGE_SHIFT);
        return n == null ? null : new long[] {n.frame, n.rights};
    }

    /** The number of mapping-database nodes (Sigma0's roots included). */
    public int nodeCount() {
        return p.mdb.slots.cardinality();
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
        Space s = p.spaces.findSpace(space);
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
        Space s = p.spaces.findSpace(space);
        MdbNode n = s == null ? null : s.nodes.get(vaddr >>> Fpage.PAGE_SHIFT);
        return n == null ? null : new MappingNode(s.id, n.vaddr(), n.frame, n.rights,
                n.parent == null ? null : n.parent.space.id, n.parent == null ? 0 : n.parent.vaddr());
    }

    /** The space that created {@code space}, or null for Sigma0 and for a dead space. */
    public SpaceId ownerOf(SpaceId space) {
        Space s = p.spaces.findSpace(space);
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
        Space s = p.spaces.findSpace(space);
        if (s == null) {
            return new long[0];
        }
        List<PageTables> ts = p.spaces.tablesOf(s);
        long[] out = new long[ts.size()];
        if (s.small() && Long.compareUnsigned(vaddr, Layout.SMALL_WINDOW) >= 0) {
            return out; // beyond its window a small space maps nothing (a map there makes it large)
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = ts.get(i).lookup(SmallSpaces.linear(s, vaddr));
        }
        return out;
    }

    /** Whether {@code space} is small now (l4-small: it occupies a window of the shared region). */
    public boolean small(SpaceId space) {
        Space s = p.spaces.findSpace(space);
        return s != null && s.small();
    }

    /**
     * A translation that code running in {@code space} in user mode can reach: the leaf entry
     * {@code entry} for {@code vaddr}.
     */
    public record Reachable(long vaddr, long entry) {
    }

    /**
     * Every translation user-mode code of {@code space} can reach, read without side effects.
     * Under page-table isolation that is every present leaf of its user-mode tables, supervisor
     * entries included (isolation exists because a Meltdown-affected CPU lets user code read
     * them); without it, the leaves of its tables that user mode may use (the user bit at every
     * level of the walk), the kernel's shared half included. Empty for a dead space.
     */
    public List<Reachable> userReachable(SpaceId space) {
        Space s = p.spaces.findSpace(space);
        List<Reachable> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        if (s.userTables != null) {
            s.userTables.forEachReachableLeaf((va, e) -> out.add(new Reachable(va, e)));
        } else if (p.small != null) {
            // Segments first: user mode reaches the linear addresses of base + offset, offset within
            // the limit of the segments the CPU would load for the space (read from the GDT).
            dev.mkspec.hw.SegmentDescriptor d = dev.mkspec.hw.SegmentDescriptor.decode(
                    p.memory.read64(p.small.gdt + (SmallSpaces.dataSelector(s) & ~7)));
            PageTables pt = s.small() ? p.small.region : s.tables;
            pt.forEachUserLeaf((la, e) -> {
                long off = la - d.base();
                if (off >= 0 && off <= d.effectiveLimit()) {
                    out.add(new Reachable(off, e));
                }
            });
        } else {
            s.tables.forEachUserLeaf((va, e) -> out.add(new Reachable(va, e)));
        }
        return out;
    }

    /** What the running thread's user-mode access to {@code vaddr} would use now (TLB or tables), changing nothing. */
    public dev.mkspec.hw.Probe userView(long vaddr) {
        long la = p.cpus[0].linear(vaddr, dev.mkspec.hw.Access.READ);
        return la < 0 ? dev.mkspec.hw.Probe.NONE : p.cpus[0].mmu().probe(la);
    }

    /**
     * The TLB entries that translate {@code vaddr} for {@code space} while another space runs:
     * those tagged with its PCIDs, which survive until it runs again. Empty without PCIDs (a CR3
     * load then flushes them) and for a dead space.
     */
    public List<dev.mkspec.hw.Probe> cachedFor(SpaceId space, long vaddr) {
        Space s = p.spaces.findSpace(space);
        if (s != null && s.small()) {
            // l4-small: a small space's window entries stay in the TLB while other spaces run,
            // until a CR3 write; they are what it uses when it runs again.
            if (Long.compareUnsigned(vaddr, Layout.SMALL_WINDOW) >= 0) {
                return List.of();
            }
            return p.cpus[0].mmu().cached(SmallSpaces.linear(s, vaddr), 0);
        }
        if (s == null || !p.config.usePcid()) {
            return List.of();
        }
        List<dev.mkspec.hw.Probe> out = new ArrayList<>();
        for (Cpu c : p.cpus) {
            out.addAll(c.mmu().cached(vaddr, s.pcid));
            if (p.config.mitigations()) {
                out.addAll(c.mmu().cached(vaddr, s.pcid + USER_PCID_OFFSET));
            }
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
        Space s = p.spaces.findSpace(space);
        MdbNode src = p.spaces.sigma0.nodes.get(sigma0Vaddr >>> Fpage.PAGE_SHIFT);
        if (s == null || src == null || !p.layout.user(vaddr) || (vaddr & 4095) != 0) {
            throw new IllegalArgumentException("sigma0Map: no space " + space + ", or no Sigma0 page at "
                    + Long.toHexString(sigma0Vaddr) + ", or " + Long.toHexString(vaddr) + " is not a user page");
        }
        locked();
        if (p.cpus.length > 1 && s.nodes.containsKey(vaddr >>> Fpage.PAGE_SHIFT)) {
            throw new IllegalArgumentException("sigma0Map: " + Long.toHexString(vaddr) + " in " + space + " is mapped; "
                    + "on several CPUs replacing it needs a shootdown, so flush it with a system call first");
        }
        p.select(0);
        long cr3 = p.cpu.mmu().registers().tableBase;
        int pcid = p.cpu.mmu().registers().pcid;
        if (p.config.mitigations() && cr3 != p.scheduler.loaded.tables.root()) {
            // Set-up runs between system calls, on user tables; do the kernel's work on its own.
            kernelTables(p.scheduler.loaded.tables.root(), p.scheduler.loaded.pcid);
        }
        p.mdb.mapPage(src, s, vaddr >>> Fpage.PAGE_SHIFT, rights & src.rights, false);
        if (p.config.mitigations()) {
            kernelTables(cr3, pcid); // back to the user tables (without isolation the map leaves CR3 alone, or, promoting a running small space, loads its own)
        }
    }

    /** Loads CR3 without charging it: set-up work outside any measurement. */
    private void kernelTables(long root, int pcid) {
        if (p.cpu.mmu().registers().pcidEnable) {
            p.cpu.mmu().writeCr3(root, pcid, true);
        } else if (p.cpu.mmu().registers().tableBase != root) {
            p.cpu.mmu().writeCr3(root);
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
        Tcb t = p.threads.find(caller);
        if (t == null) {
            throw new IllegalArgumentException(caller + " is not a live thread; only a running thread makes system calls");
        }
        if (t.state != ThreadState.RUNNING && t.state != ThreadState.READY) {
            throw new IllegalArgumentException(caller + " is " + t.state + " and cannot make a system call until it is woken");
        }
        locked();
        p.select(t.cpu);
        if (t != p.scheduler.current) {
            if (p.config.mitigations()) {
                p.cpu.writeCr3(p.scheduler.loaded.tables.root(), p.scheduler.loaded.pcid, true, CostCategory.MITIGATION);
            }
            p.scheduler.preempt(t);
        }
        String op = opName(call);
        p.meter.phase(t.side, op + ": trap and entry");
        enter(t, call);
        p.meter.phase(t.side, op + ": kernel");
        SyscallResult r = dispatch(t, call);
        if (p.shootdowns.send(t, r)) {
            // The caller's CPU holds the kernel lock until the other CPUs acknowledge (step).
            return null;
        }
        if (r != null) {
            t.result = r;
        }
        leave();
        return r;
    }

    private void locked() {
        Shootdowns.Pending d = p.shootdowns.pending;
        if (d != null) {
            throw new IllegalStateException("CPU " + d.initiator + " holds the kernel lock until its TLB shootdown is "
                    + "acknowledged; call step(cpu) for each CPU with an IPI waiting, then step(" + d.initiator + ")");
        }
    }

    /** What one {@link #step} of a CPU did. */
    public enum CpuStep {
        /** Nothing was waiting for the CPU. */
        NOTHING,
        /** It took the shootdown IPIs waiting for it: invalidated and acknowledged. */
        ACKNOWLEDGED,
        /** It started a shootdown, every acknowledgement is in: it freed what waited, and its system call returned. */
        FINISHED
    }

    /**
     * CPU {@code cpu} reaches a step boundary (between two user instructions, or while it spins
     * on the kernel lock): it takes the IPIs waiting for it; or, if it waits for the
     * acknowledgements of its own shootdown and they are all in, it finishes the system call.
     */
    public CpuStep step(int cpu) {
        checkCpu(cpu);
        if (p.shootdowns.acknowledge(cpu)) {
            return CpuStep.ACKNOWLEDGED;
        }
        Shootdowns.Pending d = p.shootdowns.pending;
        if (d == null || d.initiator != cpu || !p.shootdowns.done()) {
            return CpuStep.NOTHING;
        }
        p.shootdowns.finish();
        if (d.result != null) {
            d.thread.result = d.result;
        }
        leave();
        return CpuStep.FINISHED;
    }

    /** Whether a shootdown waits for acknowledgements (no system call can start until it ends). */
    public boolean shootdownPending() {
        return p.shootdowns.pending != null;
    }

    /** A translation a pending shootdown removes or narrows: the page of {@code space} at {@code vaddr} reached {@code frame}, writable or not. */
    public record ShootdownPage(SpaceId space, long vaddr, long frame, boolean writable, boolean unmap) {
    }

    /** A shootdown waiting for acknowledgements: who started it, the CPUs with its IPI still waiting, and what it changed. */
    public record ShootdownView(int initiator, long waiting, List<ShootdownPage> pages, List<SpaceId> deletedSpaces) {
    }

    /** The shootdown waiting for acknowledgements, or null. */
    public ShootdownView shootdown() {
        Shootdowns.Pending d = p.shootdowns.pending;
        if (d == null) {
            return null;
        }
        List<ShootdownPage> pages = new ArrayList<>();
        for (Shootdowns.Page x : d.pages) {
            pages.add(new ShootdownPage(x.space().id, x.vpage() << Fpage.PAGE_SHIFT, x.frame(), x.writable(), x.unmap()));
        }
        List<SpaceId> spaces = new ArrayList<>();
        for (Space x : d.spaces) {
            spaces.add(x.id);
        }
        return new ShootdownView(d.initiator, p.shootdowns.waiting(), List.copyOf(pages), List.copyOf(spaces));
    }

    /**
     * Moves {@code thread}, which must not be running, to CPU {@code cpu} (what L4 X.2's Schedule
     * call does with its processor-control word). Not charged: set-up.
     */
    public void setProcessor(ThreadId thread, int cpu) {
        checkCpu(cpu);
        Tcb t = p.threads.find(thread);
        if (t == null) {
            throw new IllegalArgumentException(thread + " is not a live thread");
        }
        if (p.home(t).current == t) {
            throw new IllegalArgumentException(thread + " is running on CPU " + t.cpu + "; move it while it does not run");
        }
        boolean wasReady = p.home(t).ready.remove(t);
        t.cpu = cpu;
        if (wasReady) {
            p.schedulers[cpu].ready.addLast(t);
        }
    }

    /** The CPU {@code thread} runs on. */
    public int processorOf(ThreadId thread) {
        Tcb t = p.threads.find(thread);
        if (t == null) {
            throw new IllegalArgumentException(thread + " is not a live thread");
        }
        return t.cpu;
    }

    /** The thread CPU {@code cpu} runs, or null. */
    public ThreadId current(int cpu) {
        Tcb t = p.schedulers[checkCpu(cpu)].current;
        return t == null ? null : t.id;
    }

    /** The space whose tables CPU {@code cpu}'s CR3 holds, or null for the kernel's own (a CPU that has run no thread). */
    public SpaceId loadedSpace(int cpu) {
        Space s = p.schedulers[checkCpu(cpu)].loaded;
        return s == null ? null : s.id;
    }

    /** The CPUs whose TLBs may hold {@code space}'s entries, as the kernel believes (a bit each); 0 for a dead space. */
    public long cpusCaching(SpaceId space) {
        Space s = p.spaces.findSpace(space);
        return s == null ? 0 : s.cpus;
    }

    /** The tag {@code space}'s TLB entries carry (its PCID, or 0 without PCIDs); -1 for a dead space. */
    public int tagOf(SpaceId space) {
        Space s = p.spaces.findSpace(space);
        return s == null ? -1 : s.pcid;
    }

    /** The entries of CPU {@code cpu}'s TLBs that translate {@code vaddr} under tag {@code tag}, changing nothing. */
    public List<dev.mkspec.hw.Probe> tlbEntries(int cpu, long vaddr, int tag) {
        return p.cpus[checkCpu(cpu)].mmu().cached(vaddr, tag);
    }

    private SyscallResult dispatch(Tcb t, Syscall call) {
        if (call instanceof Syscall.Null) {
            p.cpu.run(p.config.design().ipc() == KernelDesign.Ipc.MACH ? p.config.design().machKernel().nullTrap() : Path.NULL_CALL);
            return SyscallResult.done();
        } else if (call instanceof Syscall.GetPid) {
            return p.ipc.getpid(t);
        } else if (call instanceof Syscall.Send s) {
            return p.ipc.send(t, s.to(), s.msg(), s.timeout(), null);
        } else if (call instanceof Syscall.Receive r) {
            return p.ipc.receive(t, r.from(), r.timeout(), new Ipc.Buffer(r.bufferVaddr(), r.bufferBytes(), r.window()));
        } else if (call instanceof Syscall.Call c) {
            return p.ipc.send(t, c.to(), c.msg(), Timeout.INFINITE, new Ipc.Buffer(c.bufferVaddr(), c.bufferBytes(), c.window()));
        } else if (call instanceof Syscall.ReplyWait rw) {
            Ipc.Buffer b = new Ipc.Buffer(rw.bufferVaddr(), rw.bufferBytes(), rw.window());
            if (rw.to().equals(ThreadId.NIL)) {
                return p.ipc.receive(t, ThreadId.ANY, Timeout.INFINITE, b);
            }
            return p.ipc.replyWait(t, rw.to(), rw.msg(), b);
        } else if (call instanceof Syscall.Flush f) {
            return p.mdb.flush(t, f.fpage(), true);
        } else if (call instanceof Syscall.Unmap u) {
            return p.mdb.flush(t, u.fpage(), p.config.bug() == KernelBug.UNMAP_REVOKES_OWN);
        } else if (call instanceof Syscall.CreateThread ct) {
            return p.threads.createThread(t, ct.space(), ct.slot());
        } else if (call instanceof Syscall.DeleteThread dt) {
            return p.threads.deleteThread(t, dt.thread());
        } else if (call instanceof Syscall.CreateSpace cs) {
            return p.spaces.createSpace(t, cs.slot());
        } else if (call instanceof Syscall.DeleteSpace ds) {
            return p.spaces.deleteSpace(t, ds.space());
        } else if (call instanceof Syscall.Signal sg) {
            return p.notification.signal(t, sg.to(), sg.bits());
        } else if (call instanceof Syscall.Wait w) {
            return p.notification.await(t, w.mask());
        }
        throw new IllegalArgumentException("unknown system call " + call);
    }

    static String opName(Syscall call) {
        String n = call.getClass().getSimpleName();
        return switch (n) {
            case "Null" -> "null syscall";
            case "GetPid" -> "getpid";
            case "ReplyWait" -> "replyWait";
            default -> Character.toLowerCase(n.charAt(0)) + n.substring(1);
        };
    }

    // ------------------------------------------------------------------ entry, exit, switching

    private void enter(Tcb t, Syscall call) {
        if (t.kernelMode) {
            return; // a co-located server calls into the kernel: no trap, no entry path
        }
        p.cpu.enter();
        if (p.config.mitigations()) {
            p.cpu.writeCr3(p.scheduler.loaded.tables.root(), p.scheduler.loaded.pcid, true, CostCategory.MITIGATION);
        }
        p.cpu.run(call instanceof Syscall.GetPid && Ipc.raisesSyscallException(p.config, t) ? Path.MACH_SYSCALL_ENTRY : entryPath());
        p.cpu.touch(t.address + Tcb.STACK, 32, Access.WRITE, Mode.SUPERVISOR);
    }

    private void leave() {
        if (p.scheduler.current == null || p.scheduler.current.kernelMode) {
            return;
        }
        p.meter.phase(p.scheduler.current.side, "exit to user");
        Tcb t = p.scheduler.current;
        // A thread whose exception was answered leaves through thread_exception_return, which
        // stores no system-call result (OSF MK).
        p.cpu.run(t.exceptionReturn && exitPath() == Path.MACH_EXIT ? Path.MACH_EXCEPTION_EXIT : exitPath());
        t.exceptionReturn = false;
        p.cpu.touch(p.scheduler.current.address + Tcb.STACK, 32, Access.READ, Mode.SUPERVISOR);
        if (p.config.mitigations()) {
            p.cpu.writeCr3(p.scheduler.loaded.userTables.root(), p.scheduler.loaded.pcid + USER_PCID_OFFSET, true, CostCategory.MITIGATION);
        }
        p.cpu.exit();
    }

    private Path entryPath() {
        return p.config.design() == KernelDesign.MONOLITHIC ? Path.MONO_ENTRY
                : p.config.design().ipc() == KernelDesign.Ipc.MACH ? p.config.design().machKernel().entry() : p.config.l4Paths().entry();
    }

    private Path exitPath() {
        return p.config.design() == KernelDesign.MONOLITHIC ? Path.MONO_EXIT
                : p.config.design().ipc() == KernelDesign.Ipc.MACH ? p.config.design().machKernel().exit() : p.config.l4Paths().exit();
    }






    // ------------------------------------------------------------------ IPC
















    // ------------------------------------------------------------------ argument checks








    // ------------------------------------------------------------------ getpid, notification




    // ------------------------------------------------------------------ threads and spaces











    // ------------------------------------------------------------------ mapping database














    // ------------------------------------------------------------------ user-level execution

    /**
     * The running thread {@code t} executes the user-level path {@code p} (fetching its code,
     * and touching its stack).
     */
    public void user(ThreadId t, Path path) {
        Tcb x = running(t);
        if (path.kernel()) {
            throw new IllegalArgumentException(path + " is a kernel path");
        }
        if (x.farDomain != null) {
            p.vst.run(x, path); // after a far call the code is the callee's segment's
        } else {
            p.cpu.run(path);
        }
        p.cpu.touch(Layout.stackTop(x.id.number(), 16), 16, Access.WRITE, Mode.USER);
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
        int line = p.cpu.dcache().config().lineBytes();
        for (long a = vaddr & -line; a < end; a += line) {
            if (!p.layout.user(a)) {
                return false;
            }
            if (!p.cpu.userAccess(a, write ? Access.WRITE : Access.READ)) {
                return false;
            }
        }
        return true;
    }



    // ------------------------------------------------------------------ vst: far calls on the VST MMU

    private VstServices vst() {
        if (p.vst == null) {
            throw new IllegalStateException("far calls and segments need the vst design, not " + p.config.design().key());
        }
        return p.vst;
    }

    /** Set-up (not charged): a segment of {@code pages} fresh pages owned by {@code owner}; its global index. */
    public int vstSegment(SpaceId owner, int pages) {
        Space s = p.spaces.findSpace(owner);
        if (s == null || pages < 1) {
            throw new IllegalArgumentException("vstSegment: no space " + owner + ", or " + pages + " pages");
        }
        return vst().createSegment(s, pages);
    }

    /**
     * Set-up (not charged): {@code domain}'s selector {@code selector} names segment {@code index}
     * with {@code rights} ({@link dev.mkspec.hw.VstMmu#R}, {@code W}, {@code X}, {@code CALL}).
     */
    public void vstGrant(SpaceId domain, int selector, int index, int rights) {
        Space s = p.spaces.findSpace(domain);
        if (s == null) {
            throw new IllegalArgumentException("vstGrant: no space " + domain);
        }
        vst().revoke(s, selector); // an entry given again is first taken away, with the registers loaded through it
        vst().mmu.grant(s.number, selector, index, rights);
    }

    /**
     * The kernel revokes {@code domain}'s selector: the Vst entry goes, and every register loaded
     * through it is emptied (not charged; on one CPU: the protocol across CPUs is the TLA+ spec's).
     */
    public void vstRevoke(SpaceId domain, int selector) {
        Space s = p.spaces.findSpace(domain);
        if (s != null) {
            vst().revoke(s, selector);
        }
    }

    /**
     * The running thread {@code t} far-calls through its space's Vst selector {@code selector}: no
     * kernel entry and no thread switch; its code runs in the callee's domain from now on.
     *
     * @return false (a #GP, nothing changed but the attempt's cost) if the entry gives no call right
     */
    public boolean farCall(ThreadId t, int selector) {
        return vst().farCall(running(t), selector);
    }

    /** The running thread {@code t} returns from its far call. */
    public void farReturn(ThreadId t) {
        vst().farReturn(running(t));
    }

    /** The running thread {@code t} loads its data segment register through its current domain's {@code selector}. */
    public boolean segmentLoad(ThreadId t, int selector) {
        return vst().load(running(t), selector);
    }

    /** The running thread {@code t} reads or writes {@code bytes} at {@code offset} of the segment its data register holds. */
    public boolean segmentAccess(ThreadId t, long offset, int bytes, boolean write) {
        return vst().access(running(t), offset, bytes, write);
    }

    /** The space that owns global segment {@code index}, or null if the segment does not exist. */
    public SpaceId segmentOwner(int index) {
        int owner = vst().mmu.owner(index);
        return owner < 0 || !p.spaces.table[owner].live ? null : p.spaces.table[owner].id;
    }

    /** Whether {@code t} is in a far call (its code may be its own space's, if it called a segment of its own). */
    public boolean inFarCall(ThreadId t) {
        Tcb x = p.threads.find(t);
        return x != null && x.farDomain != null;
    }

    /** The domain whose code {@code t} runs now: the callee's space after a far call, its own otherwise. */
    public SpaceId domainOf(ThreadId t) {
        Tcb x = p.threads.find(t);
        return x == null ? null : VstServices.domain(x).id;
    }

    /** Writes {@code data} into {@code space}'s memory at {@code vaddr} (set-up; not charged). */
    public void poke(SpaceId space, long vaddr, byte[] data) {
        p.userMemory.poke(space, vaddr, data);
    }

    /** Reads {@code n} bytes of {@code space}'s memory at {@code vaddr} (not charged). */
    public byte[] peek(SpaceId space, long vaddr, int n) {
        return p.userMemory.peek(space, vaddr, n);
    }

    private Tcb running(ThreadId t) {
        Tcb x = p.threads.find(t);
        if (x != null) {
            p.select(x.cpu);
        }
        if (x == null || x != p.scheduler.current) {
            throw new IllegalArgumentException(t + " is not the running thread (" + current() + " is)");
        }
        Shootdowns.Pending d = p.shootdowns.pending;
        if (d != null && d.initiator == x.cpu) {
            throw new IllegalStateException("CPU " + x.cpu + " is in the kernel, waiting for its TLB shootdown; "
                    + "step the other CPUs, then step(" + x.cpu + ")");
        }
        return x;
    }

    // ------------------------------------------------------------------ lookups




    /**
     * Everything system calls can change, as text: threads (state, partner, queue, notification
     * word), spaces, and every mapping node. Two equal digests mean an equal kernel state; tests
     * use it to show that a rejected call changed nothing.
     */
    String stateDigest() {
        StringBuilder b = new StringBuilder();
        for (Tcb t : p.threads.tcbs) {
            b.append(t.id).append(' ').append(t.state).append(' ').append(t.live() ? t.space.id : "-").append(' ')
                    .append(t.partner).append(' ').append(t.notifyBits).append(" q=");
            for (Tcb q : t.sendQueue) {
                b.append(q.id).append(',');
            }
            b.append('\n');
        }
        b.append("ready=").append(p.scheduler.ready).append(" current=").append(current()).append('\n');
        for (Space s : p.spaces.table) {
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
        return p.threads.tcbs;
    }

    Space[] spaceTable() {
        return p.spaces.table;
    }

    ArrayDeque<Tcb> readyQueue() {
        return p.scheduler.ready;
    }

    Tcb currentTcb() {
        return p.scheduler.current;
    }

    VstServices vstServices() {
        return p.vst;
    }

    SmallSpaces smallSpaces() {
        return p.small;
    }

    Space loadedSpace() {
        return p.scheduler.loaded;
    }

    Space sigma0() {
        return p.spaces.sigma0;
    }

    Cpu cpu() {
        return p.cpu;
    }

    Scheduler scheduler(int c) {
        return p.schedulers[c];
    }

    Cpu cpu(int c) {
        return p.cpus[c];
    }

    Shootdowns.Pending pendingShootdown() {
        return p.shootdowns.pending;
    }

    /** The CPUs whose shootdown IPI still waits. */
    long shootdownWaiting() {
        return p.shootdowns.waiting();
    }

    /** Physical frames in use (tests: page tables go back to the pool only when no CPU can reach them). */
    int framesInUse() {
        return p.memory.allocatedFrames();
    }

    Layout layout() {
        return p.layout;
    }

    PageTables template() {
        return p.template;
    }

    BitSet nodeSlots() {
        return p.mdb.slots;
    }

    Iterator<MdbNode> allNodes() {
        List<MdbNode> all = new ArrayList<>();
        for (Space s : p.spaces.table) {
            if (s.live) {
                all.addAll(s.nodes.values());
            }
        }
        return all.iterator();
    }

    /** Lets {@code audit} see every charge of every CPU (the tests' cost audit); null stops it. */
    void audit(Cpu.Audit audit) {
        for (Cpu c : p.cpus) {
            c.audit = audit;
        }
    }
}
