package dev.mkspec.kernel;

/** What a thread is doing. */
public enum ThreadState {
    /** On the CPU. */
    RUNNING,
    /** Runnable, on the ready queue. */
    READY,
    /** Blocked sending: on its partner's send queue. */
    SENDING,
    /** Blocked receiving from its partner (a thread, or any). */
    RECEIVING,
    /** Blocked waiting for notification bits. */
    WAITING,
    /** Deleted: the slot is free. */
    DEAD
}
