package dev.mkspec.kernel;

import java.util.ArrayDeque;

/**
 * A thread control block. Its kernel address is derived from the thread number
 * ({@link Layout#tcb}); the fields the IPC paths read and write are touched there.
 */
final class Tcb {
    /** Field offsets touched by the kernel paths. */
    static final int STATE = 0;
    static final int PARTNER = 8;
    static final int QUEUE = 16;
    static final int MRS = 32;
    static final int NOTIFY = 96;
    static final int STACK = Layout.TCB_BYTES - 64;

    ThreadId id;
    Space space;
    ThreadState state = ThreadState.DEAD;
    /** Sending: to whom. Receiving: from whom (or {@link ThreadId#ANY}). */
    ThreadId partner = ThreadId.NIL;
    /** Whether a sender, once its message is taken, waits for the reply (a call). */
    boolean calling;
    /**
     * Receiving: whether it waits for the reply to its call. Only its partner's ReplyWait reaches
     * such a thread (the reply authority of Ipc.tla, seL4's reply capability); a plain send, or a
     * reply from anyone else, does not.
     */
    boolean awaitingReply;
    /** The message a blocked sender holds. */
    Message outgoing;
    /** The receive buffer and map window of a blocked receiver. */
    long bufferVaddr;
    int bufferBytes;
    Fpage window;
    /** Threads blocked sending to this one, in arrival order. */
    final ArrayDeque<Tcb> sendQueue = new ArrayDeque<>();
    /**
     * mklinux-inkernel: the co-located server's thread runs in kernel mode, so its system calls are
     * function calls: no trap, no entry or exit path, no arguments copied from a user stack.
     */
    boolean kernelMode;
    /** MkLinux: blocked in a Mach exception whose reply writes the thread's state back. */
    boolean inException;
    /** MkLinux: its exception answered, it leaves the kernel through {@code thread_exception_return}. */
    boolean exceptionReturn;
    long notifyBits;
    long waitMask;
    /** The result of the system call this thread last completed. */
    SyscallResult result;
    /** The CPU the thread runs on (its creator's, unless moved while it did not run). */
    int cpu;
    /** The column this thread's activity is reported in. */
    Side side = Side.CLIENT;
    /** vst: the domain whose code runs on this thread after a far call (null when it runs its own space's code). */
    Space farDomain;
    final long address;

    Tcb(int number, long address) {
        this.id = new ThreadId(number, 0);
        this.address = address;
    }

    /**
     * The thread leaves a blocked state: what only a blocked thread holds (partner, message, call
     * and reply-wait flags, wait mask) is cleared, so that no path can act on a stale value.
     */
    void unblocked() {
        partner = ThreadId.NIL;
        outgoing = null;
        calling = false;
        awaitingReply = false;
        waitMask = 0;
    }

    boolean live() {
        return state != ThreadState.DEAD;
    }

    @Override
    public String toString() {
        return id + "@" + (space == null ? "-" : space.id) + ":" + state;
    }
}
