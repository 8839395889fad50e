package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.Mode;
import java.util.ArrayDeque;

/**
 * The scheduler: the ready queue, the running thread and the space whose tables CR3 holds;
 * preemption, switching threads (and spaces), and blocking.
 */
final class Scheduler {
    private final Platform p;
    /** The ready threads, in the order they run. */
    final ArrayDeque<Tcb> ready = new ArrayDeque<>();
    /** The thread on the CPU, or null when every thread is blocked. */
    Tcb current;
    /** The space whose (kernel) tables CR3 holds. */
    Space loaded;

    Scheduler(Platform p) {
        this.p = p;
    }

    /** The driver runs a ready thread that is not current: a preemption through the scheduler. */
    void preempt(Tcb t) {
        p.meter.phase(t.side, "preemption");
        if (current != null) {
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
        loaded = s;
    }

    /** The current thread blocked: run the next ready thread, or idle. */
    void scheduleNext() {
        p.cpu.run(Path.SCHEDULE);
        p.cpu.touch(p.layout.readyQueue(), 16, Access.WRITE, Mode.SUPERVISOR);
        Tcb next = ready.pollFirst();
        if (next == null) {
            current = null;
            return;
        }
        switchTo(next, false);
    }

    void makeReady(Tcb t) {
        p.cpu.run(Path.READY_ENQUEUE);
        p.cpu.touch(t.address + Tcb.QUEUE, 8, Access.WRITE, Mode.SUPERVISOR);
        p.cpu.touch(p.layout.readyQueue(), 8, Access.WRITE, Mode.SUPERVISOR);
        t.unblocked();
        t.state = ThreadState.READY;
        if (!ready.contains(t)) {
            ready.addLast(t);
        }
    }
}
