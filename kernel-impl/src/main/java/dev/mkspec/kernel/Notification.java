package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.Mode;

/** Asynchronous notification: signal ORs bits into a thread's word; wait takes the bits of a mask. */
final class Notification {
    private final Platform p;

    Notification(Platform p) {
        this.p = p;
    }

    SyscallResult signal(Tcb t, ThreadId to, long bits) {
        Tcb d = p.threads.find(to);
        ErrorCode e = p.threads.partnerError(t, to, d);
        if (e != ErrorCode.OK) {
            return p.fail(e);
        }
        p.cpu.run(Path.SIGNAL);
        p.cpu.touch(d.address + Tcb.NOTIFY, 16, Access.WRITE, Mode.SUPERVISOR);
        d.notifyBits = p.config.bug() == KernelBug.SIGNAL_OVERWRITES ? bits : d.notifyBits | bits;
        if (d.state == ThreadState.WAITING && (d.notifyBits & d.waitMask) != 0) {
            long got = d.notifyBits & d.waitMask;
            d.notifyBits &= ~got;
            d.result = SyscallResult.value(got);
            p.scheduler.makeReady(d);
        }
        return SyscallResult.done();
    }

    SyscallResult await(Tcb t, long mask) {
        p.cpu.run(Path.WAIT);
        p.cpu.touch(t.address + Tcb.NOTIFY, 16, Access.WRITE, Mode.SUPERVISOR);
        long got = t.notifyBits & mask;
        if (got != 0) {
            t.notifyBits &= ~got;
            return SyscallResult.value(got);
        }
        t.state = ThreadState.WAITING;
        t.waitMask = mask;
        p.scheduler.scheduleNext();
        return null;
    }
}
