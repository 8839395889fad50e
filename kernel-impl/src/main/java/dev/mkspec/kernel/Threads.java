package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.Mode;
import java.util.ArrayList;

/**
 * The thread table: thread control blocks by number, each with a versioned ID; looking up an ID,
 * and creating and deleting threads (a deleted thread's IPC partners wake with ABORTED).
 */
final class Threads {
    private final Platform p;
    /** The thread control blocks, by thread number. */
    final Tcb[] tcbs = new Tcb[Layout.MAX_THREADS];

    Threads(Platform p) {
        this.p = p;
        for (int i = 0; i < tcbs.length; i++) {
            tcbs[i] = new Tcb(i, p.layout.tcb(i));
        }
    }

    ErrorCode lookupError(ThreadId id, Tcb found) {
        if (found != null) {
            return ErrorCode.OK;
        }
        if (id.number() < 0 || id.number() >= tcbs.length || !tcbs[id.number()].live()) {
            return ErrorCode.NO_SUCH_THREAD;
        }
        return ErrorCode.STALE_THREAD_ID;
    }

    /**
     * The error of addressing {@code id} (found as {@code found}) in IPC or a signal from {@code t}:
     * as {@link #lookupError}, and {@link ErrorCode#NO_PERMISSION} for the caller itself, which
     * would otherwise wait on itself for ever (Ipc.tla: a thread may not address itself).
     */
    ErrorCode partnerError(Tcb t, ThreadId id, Tcb found) {
        ErrorCode e = lookupError(id, found);
        return e == ErrorCode.OK && found == t ? ErrorCode.NO_PERMISSION : e;
    }

    SyscallResult createThread(Tcb t, SpaceId space, int slot) {
        Space s = p.spaces.findSpace(space);
        if (s == null) {
            return p.fail(ErrorCode.NO_SUCH_SPACE);
        }
        if (s != t.space && s.owner != t.space) {
            return p.fail(ErrorCode.NO_PERMISSION);
        }
        if (slot < -1 || slot >= tcbs.length) {
            return p.fail(ErrorCode.NO_SUCH_THREAD);
        }
        if (freeThreadSlot() < 0 || (slot >= 0 && tcbs[slot].live())) {
            return p.fail(ErrorCode.NO_RESOURCES);
        }
        p.cpu.run(Path.THREAD_ADMIN);
        Tcb n = newThread(s, slot < 0 || p.config.bug() == KernelBug.CREATE_IGNORES_SLOT ? freeThreadSlot() : slot);
        return new SyscallResult(ErrorCode.OK, n.id, null, 0, null);
    }

    SyscallResult deleteThread(Tcb t, ThreadId id) {
        Tcb d = find(id);
        ErrorCode e = lookupError(id, d);
        if (e != ErrorCode.OK) {
            return p.fail(e);
        }
        if (d.id.number() == 0 || (d.space != t.space && d.space.owner != t.space)) {
            return p.fail(ErrorCode.NO_PERMISSION);
        }
        p.cpu.run(Path.THREAD_ADMIN);
        killThread(d);
        if (p.scheduler.current == null) {
            p.scheduler.scheduleNext();
        }
        return d == t ? null : SyscallResult.done();
    }

    void killThread(Tcb d) {
        p.cpu.touch(d.address, 64, Access.WRITE, Mode.SUPERVISOR);
        if (p.vst != null) {
            p.vst.threadGone(d);
        }
        for (Tcb s : new ArrayList<>(d.sendQueue)) {
            s.result = SyscallResult.error(ErrorCode.ABORTED);
            s.outgoing = null;
            s.inException = false; // an exception queued on a dead server gets no reply
            p.scheduler.makeReady(s);
        }
        d.sendQueue.clear();
        for (Tcb x : tcbs) {
            if (x.live() && x != d) {
                if (p.config.bug() != KernelBug.DELETE_KEEPS_QUEUED && x.sendQueue.remove(d)) {
                    p.cpu.touch(x.address + Tcb.QUEUE, 16, Access.WRITE, Mode.SUPERVISOR);
                }
                if (x.state == ThreadState.RECEIVING && x.partner.equals(d.id)
                        && !(x.awaitingReply && p.config.bug() == KernelBug.DELETE_SKIPS_REPLY_WAITERS)) {
                    x.result = SyscallResult.error(ErrorCode.ABORTED);
                    x.inException = false; // nor one whose reply it awaited
                    p.scheduler.makeReady(x);
                }
            }
        }
        Scheduler home = p.home(d);
        home.ready.remove(d);
        if (home.current == d) {
            // Its CPU (this one, or one in user mode that the kernel lock keeps out) runs no thread now.
            home.current = null;
        }
        d.state = ThreadState.DEAD;
        d.id = new ThreadId(d.id.number(), d.id.version() + 1);
        d.outgoing = null;
        d.result = null;
        d.notifyBits = 0;
        d.inException = false;
        d.exceptionReturn = false;
        d.space = null;
    }

    int freeThreadSlot() {
        for (int i = 0; i < tcbs.length; i++) {
            if (!tcbs[i].live()) {
                return i;
            }
        }
        return -1;
    }

    Tcb newThread(Space s) {
        return newThread(s, freeThreadSlot());
    }

    Tcb newThread(Space s, int slot) {
        Tcb n = tcbs[slot];
        n.id = new ThreadId(n.id.number(), n.id.version() + 1);
        n.space = s;
        n.partner = ThreadId.NIL;
        n.calling = false;
        n.awaitingReply = false;
        n.inException = false;
        n.exceptionReturn = false;
        n.sendQueue.clear();
        n.notifyBits = 0;
        n.waitMask = 0;
        n.result = null;
        n.side = Side.CLIENT;
        n.state = ThreadState.READY;
        n.cpu = p.scheduler.cpu;
        p.scheduler.ready.addLast(n);
        return n;
    }

    Tcb find(ThreadId id) {
        if (id == null || id.number() < 0 || id.number() >= tcbs.length) {
            return null;
        }
        Tcb t = tcbs[id.number()];
        if (!t.live()) {
            return null;
        }
        if (!t.id.equals(id) && p.config.bug() != KernelBug.STALE_ID_ACCEPTED) {
            return null;
        }
        return t;
    }

    Tcb live(ThreadId id) {
        Tcb t = find(id);
        if (t == null) {
            throw new IllegalArgumentException(id + " is not a live thread");
        }
        return t;
    }
}
