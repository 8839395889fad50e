package dev.mkspec.kernel;

/**
 * The result code of a system call. Every error leaves the kernel's state as it was before the
 * call.
 */
public enum ErrorCode {
    OK(0, "done"),
    TIMEOUT(1, "the partner was not ready and the timeout was 0"),
    NO_SUCH_THREAD(2, "no thread has this number"),
    STALE_THREAD_ID(3, "the thread of this number has another version: the ID is stale"),
    NO_SUCH_SPACE(4, "no address space has this ID (or it is stale)"),
    BAD_ADDRESS(5, "an address is outside user space, not mapped, or not mapped with the rights needed"),
    RIGHTS_ESCALATION(6, "a map or grant asked for rights the sender does not have"),
    UNALIGNED_FPAGE(7, "an fpage's base is not aligned to its size"),
    MESSAGE_TOO_LONG(8, "a string does not fit the receiver's buffer, or too many words"),
    NO_PERMISSION(9, "the caller may not do this to that thread or space"),
    NO_RESOURCES(10, "no free thread or space slot, or no free memory"),
    ABORTED(11, "the partner was deleted while the IPC waited"),
    NO_RECEIVE_WINDOW(12, "the message maps pages but the receiver offered no window"),
    NOT_SUPPORTED(13, "this kernel design does not serve this call in the kernel");

    private final int code;
    private final String meaning;

    ErrorCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
