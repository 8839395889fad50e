package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.Machine;
import dev.mkspec.hw.Mode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TLB shootdown across CPUs, as {@code Tlb.tla} states it: a system call that changes or removes
 * translations (1) edits the page tables, (2) invalidates on its own CPU, (3) sends one IPI to
 * every other CPU in the affected spaces' CPU sets, (4) waits, holding the kernel lock, until
 * each has invalidated and acknowledged, and (5) only then frees what the translations reached
 * (page tables of a deleted space) and returns. While it waits, the other CPUs run user code (and
 * fill their TLBs) and take their IPIs at step boundaries ({@link Kernel#step}).
 *
 * <p>Steps (1) and (2) are the page-table edits' own ({@link Spaces#clearPte}, {@link
 * Spaces#protectPte}, {@link Spaces#destroySpace}); they tell this class what changed. On one
 * CPU no IPI is ever sent and a system call never waits.
 */
final class Shootdowns {
    /** A translation a system call changed: page {@code vpage} of {@code space} reached {@code frame}, writable or not; now it is gone ({@code unmap}) or narrowed. */
    record Page(Space space, long vpage, long frame, boolean writable, boolean unmap) {
    }

    /** A batch whose IPIs are out and whose acknowledgements are awaited. */
    static final class Pending {
        final int initiator;
        final Tcb thread;
        final SyscallResult result;
        final List<Page> pages;
        final List<Space> spaces;
        final List<Runnable> afterwards;
        final List<Machine.Shootdown> sent = new ArrayList<>();
        /** Each affected space with the CPUs sent an IPI for it. */
        final Map<Space, Long> targets = new LinkedHashMap<>();
        /** The longest any target took to take its IPI and handle it, in cycles. */
        double slowest;

        Pending(int initiator, Tcb thread, SyscallResult result, List<Page> pages, List<Space> spaces,
                List<Runnable> afterwards) {
            this.initiator = initiator;
            this.thread = thread;
            this.result = result;
            this.pages = pages;
            this.spaces = spaces;
            this.afterwards = afterwards;
        }
    }

    private final Platform p;
    private final List<Page> pages = new ArrayList<>();
    private final List<Space> spaces = new ArrayList<>();
    private final List<Runnable> afterwards = new ArrayList<>();
    /** Each affected space with the CPUs that must be sent an IPI for it. */
    private final Map<Space, Long> targets = new LinkedHashMap<>();
    /** The batch awaiting acknowledgements, or null. */
    Pending pending;

    Shootdowns(Platform p) {
        this.p = p;
    }

    /** The other CPUs that may cache {@code s}'s entries. */
    private long others(Space s) {
        return s.cpus & ~(1L << p.cpu.index);
    }

    /** Step (2) is done for page {@code vpage} of {@code s}: the other CPUs that may cache it get an IPI. */
    void page(Space s, long vpage, long frame, boolean writable, boolean unmap) {
        pages.add(new Page(s, vpage, frame, writable, unmap));
        Space ipis = p.config.bug() == KernelBug.SHOOTDOWN_CALLER_ONLY && p.scheduler.current != null
                ? p.scheduler.current.space : s;
        if (others(ipis) != 0) {
            targets.merge(s, others(ipis), (a, b) -> a | b);
        }
    }

    /** Space {@code s} is being deleted: every CPU that may cache its entries drops its whole PCID and leaves it. */
    void space(Space s) {
        spaces.add(s);
        if (others(s) != 0) {
            targets.merge(s, others(s), (a, b) -> a | b);
        }
    }

    /** Work that must wait for the acknowledgements (step 5); done at once when no IPI is needed. */
    void afterwards(Runnable r) {
        afterwards.add(r);
    }

    /**
     * The system call of {@code t} (result {@code r}) ends: step (3). With no other CPU to
     * interrupt, what waited is done now and the call returns.
     *
     * @return whether the call waits for acknowledgements (the kernel stays locked)
     */
    boolean send(Tcb t, SyscallResult r) {
        long all = 0;
        for (long m : targets.values()) {
            all |= m;
        }
        List<Page> ps = List.copyOf(pages);
        List<Space> ss = List.copyOf(spaces);
        List<Runnable> later = List.copyOf(afterwards);
        Map<Space, Long> tg = new LinkedHashMap<>(targets);
        pages.clear();
        spaces.clear();
        afterwards.clear();
        targets.clear();
        if (all == 0) {
            later.forEach(Runnable::run);
            return false;
        }
        p.cpu.run(Path.SHOOTDOWN_SEND);
        p.cpu.touch(p.layout.data(), 64, Access.WRITE, Mode.SUPERVISOR);
        Pending d = new Pending(p.cpu.index, t, r, ps, ss, later);
        d.targets.putAll(tg);
        for (int c = 0; c < p.cpus.length; c++) {
            if ((all & (1L << c)) != 0) {
                p.cpu.sendIpi();
            }
        }
        for (Map.Entry<Space, Long> e : tg.entrySet()) {
            Space s = e.getKey();
            if (ss.contains(s)) {
                Machine.Invalidation what = p.config.usePcid() ? Machine.Invalidation.PCID : Machine.Invalidation.NON_GLOBAL;
                d.sent.add(p.machine.shootdown(p.cpu.index, e.getValue(), what, s.pcid, new long[0]));
                continue;
            }
            long[] vas = ps.stream().filter(x -> x.space() == s).mapToLong(x -> x.vpage() << Fpage.PAGE_SHIFT).toArray();
            d.sent.add(p.machine.shootdown(p.cpu.index, e.getValue(), Machine.Invalidation.PAGE, s.pcid, vas));
        }
        if (p.config.bug() == KernelBug.SHOOTDOWN_RETURNS_EARLY) {
            // The IPIs are out, but nobody waits for them: what waited is freed now.
            later.forEach(Runnable::run);
            return false;
        }
        pending = d;
        return true;
    }

    /**
     * CPU {@code c}, at a step boundary, takes the IPIs waiting for it: it invalidates what each
     * names, leaves a deleted space it had loaded, and acknowledges.
     *
     * @return whether it had any
     */
    boolean acknowledge(int c) {
        if (!p.machine.hasIpis(c)) {
            return false;
        }
        Cpu was = p.cpu;
        p.select(c);
        double before = p.meter.total();
        p.meter.phase(Side.CLIENT, "TLB shootdown IPI");
        p.cpu.receiveIpi();
        p.cpu.run(Path.SHOOTDOWN_HANDLER);
        p.cpu.touch(p.layout.data(), 64, Access.WRITE, Mode.SUPERVISOR);
        for (Machine.Ipi ipi : p.machine.receive(c)) {
            long[] vas = ipi.vaddrs();
            if (p.config.bug() == KernelBug.SHOOTDOWN_WRONG_PAGE) {
                vas = java.util.Arrays.stream(vas).map(v -> v + (1L << Fpage.PAGE_SHIFT)).toArray();
            }
            if (p.config.bug() == KernelBug.SHOOTDOWN_FIRST_PAGE_ONLY && vas.length > 1) {
                vas = new long[] {vas[0]};
            }
            for (int i = 0; i < Math.max(vas.length, 1); i++) {
                p.cpu.invalidateForShootdown();
            }
            p.machine.invalidate(c, ipi.what(), ipi.pcid(), vas);
            ipi.acknowledge();
        }
        if (p.scheduler.loaded != null && !p.scheduler.loaded.live) {
            p.scheduler.unload();
        }
        if (pending != null) {
            pending.slowest = Math.max(pending.slowest, p.meter.total() - before);
        }
        p.select(was.index);
        return true;
    }

    /**
     * The CPUs yet to acknowledge the pending batch, a bit each: those whose IPI still waits (the
     * kernel lock lets no other shootdown send one meanwhile).
     */
    long waiting() {
        long w = 0;
        for (int c = 0; c < p.cpus.length; c++) {
            if (p.machine.hasIpis(c)) {
                w |= 1L << c;
            }
        }
        return w;
    }

    /** Whether the pending batch has every acknowledgement. */
    boolean done() {
        return pending != null && pending.sent.stream().allMatch(Machine.Shootdown::done);
    }

    /** Step (5) on the initiator: the wait is charged, what waited is freed; the batch is over. */
    Pending finish() {
        Pending d = pending;
        pending = null;
        p.select(d.initiator);
        p.meter.phase(d.thread.side, "TLB shootdown wait");
        p.cpu.spin(p.profile.cycles(dev.mkspec.hw.Primitive.IPI_LATENCY) + d.slowest);
        p.cpu.run(Path.SHOOTDOWN_FINISH);
        d.afterwards.forEach(Runnable::run);
        return d;
    }
}
