package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.Mode;
import java.util.ArrayDeque;

/**
 * One CPU's scheduler: its ready queue, its running thread and the space whose tables its CR3
 * holds; preemption, switching threads (and spaces), and blocking. A thread runs only on its own
 * CPU ({@link Tcb#cpu}); waking a thread of another CPU puts it on that CPU's ready queue, where
 * that CPU's next scheduling point finds it (assumption: no reschedule IPI is sent or priced).
 * Its methods run while its CPU is the one executing the kernel.
 */
final class Scheduler {
    private final Platform p;
    /** The CPU this scheduler runs. */
    final int cpu;
    /** The ready threads, in the order they run. */
    final ArrayDeque<Tcb> ready = new ArrayDeque<>();
    /** The thread on the CPU, or null when every thread is blocked. */
    Tcb current;
    /** The space whose (kernel) tables CR3 holds; null on a CPU that has run no thread yet (the kernel's own tables). */
    Space loaded;
    /**
     * The space user mode runs in on this CPU: {@link #loaded} in every design but l4-small, where
     * it may be a small space running on whatever large space's tables CR3 holds.
     */
    Space user;
    /** l4-small: the small space whose window this CPU's user segments hold, or null for the large spaces' segments. */
    Space segments;

    Scheduler(Platform p, int cpu) {
        this.p = p;
        this.cpu = cpu;
    }

    /** The driver runs a ready thread that is not current: a preemption through the scheduler. */
    void preempt(Tcb t) {
        p.meter.phase(t.side, "preemption");
        if (current != null) {
            // The preempted thread's user context is saved on its kernel stack.
            p.cpu.touch(current.address + Tcb.STACK, 32, Access.WRITE, Mode.SUPERVISOR);
            current.state = ThreadState.READY;
            ready.addLast(current);
        }
        ready.remove(t);
        p.cpu.run(Path.SCHEDULE);
        p.cpu.touch(p.layout.readyQueue(), 16, Access.WRITE, Mode.SUPERVISOR);
        switchTo(t, false);
    }

    /** Runs {@code next}: kernel stack switch, and CR3 when its space differs. */
    void switchTo(Tcb next, boolean direct) {
        p.cpu.run(p.config.l4Paths().threadSwitch());
        p.cpu.touch(next.address + Tcb.STACK, 32, Access.READ, Mode.SUPERVISOR);
        if (next.space != user) {
            p.cpu.run(p.config.l4Paths().spaceCheck());
            if (!(direct && p.config.bug() == KernelBug.FASTPATH_SKIPS_SWITCH)) {
                enter(next.space);
            }
        } else {
            stay(next.space);
        }
        ready.remove(next);
        next.unblocked();
        next.state = ThreadState.RUNNING;
        current = next;
    }

    /**
     * Makes user mode run in {@code s}. A large space (every space but in l4-small) loads its
     * tables into CR3 if they are not there; in l4-small a large space also needs the large
     * spaces' segments, and a small space needs only its window's segments: CR3, and with it the
     * TLB, stay as they are.
     */
    void enter(Space s) {
        // Liedtke's 1997 kernel rewrites the user descriptors and reloads DS and ES for a large space too.
        Path large = p.config.l4Paths().largeSwitch(p.small == null);
        if (p.small == null) {
            loadSpace(s);
            if (large != null) {
                p.cpu.run(large);
            }
            return;
        }
        if (s.small()) {
            switchToSmall(s);
            s.cpus |= 1L << cpu;
            user = s;
            return;
        }
        if (s != loaded) {
            loadSpace(s);
        }
        if (large != null) {
            p.cpu.run(large);
        }
        if (segments != null || large != null) {
            p.small.loadSegments(p.cpu, null);
            segments = null;
        }
        user = s;
    }

    /** The small-space switch: its instructions, and DS and ES loaded with the window's selector. */
    private void switchToSmall(Space s) {
        p.cpu.run(Path.SMALL_SWITCH);
        if (!(p.config.bug() == KernelBug.SMALL_SWITCH_KEEPS_SEGMENTS && segments != null)) {
            p.small.loadSegments(p.cpu, s);
            segments = s;
        }
    }

    /**
     * The space steps of a kernel without a same-space test (Liedtke's), when the next thread runs
     * in the space already entered: its compare, and on the Pentium kernel the descriptors
     * rewritten and DS and ES reloaded with what they already hold. Nothing for Pistachio's.
     */
    private void stay(Space s) {
        L4Kernel k = p.config.l4Paths();
        if (k.sameSpaceCheck() == null) {
            return;
        }
        p.cpu.run(k.sameSpaceCheck());
        if (k.largeKeep(true) == null) {
            return;
        }
        if (s.small()) {
            switchToSmall(s);
        } else if (p.small == null) {
            p.cpu.run(k.largeKeep(true));
        } else {
            p.cpu.run(k.largeKeep(false));
            p.small.loadSegments(p.cpu, null);
            segments = null;
        }
    }

    void loadSpace(Space s) {
        p.cpu.writeCr3(s.tables.root(), s.pcid, true, CostCategory.AS_SWITCH);
        if (loaded != null && (!p.config.usePcid() || p.config.bug() == KernelBug.SHOOTDOWN_ONLY_RUNNING)) {
            // Without PCIDs the CR3 write drops the old space's entries from this CPU's TLB; with
            // them the entries survive, and the CPU stays in the space's set.
            loaded.cpus &= ~(1L << cpu);
        }
        if (p.small != null) {
            // The write drops the small spaces' window entries too: they are not global.
            for (Space o : p.spaces.table) {
                if (o.small()) {
                    o.cpus &= ~(1L << cpu);
                }
            }
        }
        s.cpus |= 1L << cpu;
        loaded = s;
        user = s;
    }

    /** This CPU leaves a space being deleted for the kernel's own tables (it runs no thread now). */
    void unload() {
        p.cpu.writeCr3(p.template.root(), 0, false, CostCategory.SHOOTDOWN);
        if (loaded != null) {
            loaded.cpus &= ~(1L << cpu);
        }
        loaded = null;
        user = null;
    }

    /**
     * The current thread blocked for {@code d}: run {@code d} at once if it is this CPU's thread
     * (L4's direct switch); otherwise wake it on its own CPU and run this CPU's next ready thread.
     */
    void handOff(Tcb d) {
        if (d.cpu == cpu) {
            switchTo(d, true);
            return;
        }
        makeReady(d);
        next(); // the IPC path already charged this scheduler pass
    }

    /** The current thread blocked: run the next ready thread, or idle. */
    void scheduleNext() {
        p.cpu.run(Path.SCHEDULE);
        next();
    }

    /** The scheduler pass's queue work: take the next ready thread and run it, or idle. */
    private void next() {
        p.cpu.touch(p.layout.readyQueue(), 16, Access.WRITE, Mode.SUPERVISOR);
        Tcb next = ready.pollFirst();
        if (next == null) {
            current = null;
            return;
        }
        switchTo(next, false);
    }

    /** {@code t} becomes ready on its own CPU's queue (this CPU does the enqueue). */
    void makeReady(Tcb t) {
        p.cpu.run(Path.READY_ENQUEUE);
        p.cpu.touch(t.address + Tcb.QUEUE, 8, Access.WRITE, Mode.SUPERVISOR);
        p.cpu.touch(p.layout.readyQueue(), 8, Access.WRITE, Mode.SUPERVISOR);
        t.unblocked();
        t.state = ThreadState.READY;
        ArrayDeque<Tcb> queue = p.home(t).ready;
        if (!queue.contains(t)) {
            queue.addLast(t);
        }
    }
}
