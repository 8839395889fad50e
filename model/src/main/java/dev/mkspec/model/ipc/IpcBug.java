package dev.mkspec.model.ipc;


/**
 * The deliberate mistakes of the IPC bug variants, named as the spec's constant {@code Bug} names
 * them. {@link #NONE} is the real kernel.
 */
public enum IpcBug {
    NONE,
    /** ReplyWait may reply to any thread receiving from the server. */
    REPLY_ANY,
    /** The kernel checks a thread ID's slot but not its version. */
    STALE_ID_UNCHECKED,
    /** Wait clears the notification word before reading it. */
    WAIT_CLEARS_FIRST,
    /** Deletion leaves the thread in the send queue it was in. */
    DELETE_KEEPS_QUEUED,
    /** The kernel reports the sender ID the sender put in a register. */
    FORGE_SENDER,
    /** A receive copies the message but leaves the sender queued and blocked. */
    RECEIVE_KEEPS_SENDER,
    /** A put into a full ring overwrites the oldest request. */
    RING_OVERWRITE,
    /** A map item may give more rights than the sender holds. */
    MAP_ITEM_UNCHECKED,
    /** A receive takes the newest queued sender. */
    QUEUE_LIFO,
    /** A closed receive takes the head of the queue, whoever sent it. */
    CLOSED_TAKES_HEAD,
    /** A closed receive from a current thread fails with "nopartner". */
    CLOSED_RECEIVE_FAILS,
    /** An item to a receiver that opened no window lands at the sender's own address. */
    MAP_ITEM_NO_WINDOW,
    /** A thread blocked in IPC or in a Wait cannot be deleted until it wakes. */
    DELETE_REFUSES_BLOCKED,
    /** A Signal that wakes a waiter clears the word but hands the waiter no bits. */
    WAKE_WITHOUT_BITS,
    /** The client rings the bell only when the ring holds a single request (a lost wake-up). */
    RING_WHEN_FIRST,
    /** A receive with timeout zero blocks when no sender is queued, instead of failing. */
    ZERO_TIMEOUT_BLOCKS,
    /** Deletion also wakes, with "aborted", the threads in an open receive. */
    DELETE_ABORTS_OPEN,
    /** A receive that blocks leaves the last message in the receiver's registers. */
    BLOCK_KEEPS_REGISTERS,
    /** An item and a window of different sizes meet at their bases, whatever the send base names. */
    MAP_ITEM_IGNORES_SEND_BASE,
    /** A receive with timeout zero that finds no sender fails but leaves the last message in the receiver's registers. */
    TIMEOUT_KEEPS_REGISTERS,
    /** A receive with timeout zero that finds no sender fails but leaves the last call's result in place of "timeout". */
    ZERO_KEEPS_RESULT,
    /**
     * The model never tries a closed receive (from a named thread): its next-state relation leaves
     * out requests the rules allow. In TLA+ only IPC-19 sees it; here the availability invariant
     * IPC-13, which compares the steps offered with the rules, does.
     */
    NEXT_ONLY_OPEN_RECEIVE,
    /** A slot re-created at MaxVersion gets a version its thread IDs cannot hold. */
    VERSION_OVERFLOW,
    /** A Signal that wakes a waiter leaves the waiter's result as it was ("none"). */
    SIGNAL_WAKE_NO_RESULT,
    /** An item moves only the first page of the part that meets the window (IPC-21). */
    MAP_ITEM_ONE_PAGE,
    /** A map item gives the rights the sender holds, not the ones it asks for (IPC-21). */
    MAP_ITEM_SOURCE_RIGHTS,
    /** A grant item is handled as a map: the sender keeps its page (IPC-21). */
    GRANT_ITEM_MAPS,
    /** ThreadCreate gives the new thread the deleted one's version, so the old thread's IDs name it (IPC-22). */
    CREATE_KEEPS_VERSION,
    /** Deletion leaves the bits the thread's last Wait returned, and the slot's next thread starts with them (IPC-23). */
    DELETE_KEEPS_WAIT_RESULT,
    /** A Wait that finds the word 0 returns "ok" with no bits instead of blocking (IPC-24). */
    WAIT_POLLS;

    /** The name the spec uses, e.g. {@code "reply_any"}. */
    public String specName() {
        return dev.mkspec.model.SpecNames.of(this);
    }

    /**
     * The bug the spec names so.
     *
     * @throws IllegalArgumentException naming the bugs there are
     */
    public static IpcBug fromSpecName(String name) {
        return dev.mkspec.model.SpecNames.parse(IpcBug.class, name, "bug variant of Ipc");
    }
}
