package dev.mkspec.kernel;

/**
 * What a system call returned to its thread.
 *
 * @param error {@link ErrorCode#OK} or why nothing happened
 * @param from the sender of a received message, the thread created, or {@link ThreadId#NIL}
 * @param msg the received message's words (strings and pages land in memory), or null
 * @param value a returned value: notification bits, a PID (-1: the trap was reflected to the
 *     emulation library, which serves it), or the created space's number
 * @param space a created space, or null
 */
public record SyscallResult(ErrorCode error, ThreadId from, Message msg, long value, SpaceId space) {
    public static SyscallResult done() {
        return new SyscallResult(ErrorCode.OK, ThreadId.NIL, null, 0, null);
    }

    public static SyscallResult error(ErrorCode e) {
        return new SyscallResult(e, ThreadId.NIL, null, 0, null);
    }

    public static SyscallResult received(ThreadId from, Message msg) {
        return new SyscallResult(ErrorCode.OK, from, msg, 0, null);
    }

    public static SyscallResult value(long v) {
        return new SyscallResult(ErrorCode.OK, ThreadId.NIL, null, v, null);
    }

    public boolean ok() {
        return error == ErrorCode.OK;
    }
}
