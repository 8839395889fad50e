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
        p.cpu.run(Path.THREAD_SWITCH);
        p.cpu.touch(next.address + Tcb.STACK, 32, Access.READ, Mode.SUPERVISOR);
        if (next.space != loaded) {
            p.cpu.run(Path.SPACE_CHECK);
            if (!(direct && p.config.bug() == KernelBug.FASTPATH_SKIPS_SWITCH)) {
                loadSpace(next.space);
            }
        }
        ready.remove(next);
        next.unblocked();
        next.state = ThreadState.RUNNING;
        current = next;
    }

    void loadSpace(Space s) {
        p.cpu.writeCr3(s.tables.root(), s.pcid, true, CostCategory.AS_SWITCH);
        if (loaded != null && (!p.config.usePcid() || p.config.bug() == KernelBug.SHOOTDOWN_ONLY_RUNNING)) {
            // Without PCIDs the CR3 write drops the old space's entries from this CPU's TLB; with
            // them the entries survive, and the CPU stays in the space's set.
            loaded.cpus &= ~(1L << cpu);
        }
        s.cpus |= 1L << cpu;
        loaded = s;
    }

    /** This CPU leaves a space being deleted for the kernel's own tables (it runs no thread now). */
    void unload() {
        p.cpu.writeCr3(p.template.root(), 0, false, CostCategory.SHOOTDOWN);
        if (loaded != null) {
            loaded.cpus &= ~(1L << cpu);
        }
        loaded = null;
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
