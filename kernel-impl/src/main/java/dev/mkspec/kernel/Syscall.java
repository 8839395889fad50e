package dev.mkspec.kernel;

/**
 * A system call as a thread issues it: an operation and its arguments, so that a sequence of
 * calls reads as a trace.
 */
public sealed interface Syscall {
    /** An empty system call: enter, dispatch, return. */
    record Null() implements Syscall {
    }

    /** getpid, served however the kernel design serves it (in the kernel, or by a server over IPC). */
    record GetPid() implements Syscall {
    }

    /** Send {@code msg} to {@code to}; block for it (infinite) or fail at once (zero) if it is not receiving. */
    record Send(ThreadId to, Message msg, Timeout timeout) implements Syscall {
    }

    /**
     * Receive from {@code from} (or {@link ThreadId#ANY}) into registers, the string buffer
     * ({@code bufferVaddr}, {@code bufferBytes}) and the map window {@code window} (null: none).
     */
    record Receive(ThreadId from, Timeout timeout, long bufferVaddr, int bufferBytes, Fpage window) implements Syscall {
    }

    /** Send to {@code to} and wait for its reply only (a closed receive), with the given buffer and window. */
    record Call(ThreadId to, Message msg, long bufferVaddr, int bufferBytes, Fpage window) implements Syscall {
    }

    /** Reply to {@code to} with timeout zero, then wait for the next message from anyone. */
    record ReplyWait(ThreadId to, Message msg, long bufferVaddr, int bufferBytes, Fpage window) implements Syscall {
    }

    /** Revoke {@code rights} of the caller's fpage from the caller's own mappings and everything derived from them. */
    record Flush(Fpage fpage) implements Syscall {
    }

    /** Revoke the fpage's rights from everything derived from the caller's mappings, sparing its own. */
    record Unmap(Fpage fpage) implements Syscall {
    }

    /**
     * Create a thread in {@code space} (the caller's own, or one its space created), in thread slot
     * {@code slot} as L4 X.2's ThreadControl names the thread it creates, or with {@code -1} in the
     * lowest free slot. The new ID's version is one past the slot's last.
     */
    record CreateThread(SpaceId space, int slot) implements Syscall {
        /** In the lowest free slot. */
        public CreateThread(SpaceId space) {
            this(space, -1);
        }
    }

    /** Delete a thread of the caller's space or of a space it created. */
    record DeleteThread(ThreadId thread) implements Syscall {
    }

    /**
     * Create an address space owned by the caller's space, with one thread; the result names both.
     * The caller may name the space slot ({@code slot >= 0}), as an L4 X.2 creator names the new
     * space's first thread ID; {@code -1} takes the lowest free slot.
     */
    record CreateSpace(int slot) implements Syscall {
        /** In the lowest free slot. */
        public CreateSpace() {
            this(-1);
        }
    }

    /** Delete a space the caller's space created: its threads, its mappings and everything derived from them. */
    record DeleteSpace(SpaceId space) implements Syscall {
    }

    /** OR {@code bits} into {@code to}'s notification word, waking it if it waits for any of them. */
    record Signal(ThreadId to, long bits) implements Syscall {
    }

    /** Wait until a bit of {@code mask} is set in the caller's notification word; take and clear those bits. */
    record Wait(long mask) implements Syscall {
    }
}
