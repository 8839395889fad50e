package dev.mkspec.kernel;

/**
 * Deliberate, realistic mistakes the kernel can be built with, one switch each, so that tests
 * show the checks catch them. {@link #NONE} is the kernel.
 */
public enum KernelBug {
    NONE,
    /** Flush and unmap edit the page tables but invalidate no TLB entry: a stale translation survives (K-5). */
    FLUSH_SKIPS_TLB,
    /** Map and grant do not check the requested rights against the sender's: rights escalate (K-2). */
    MAP_IGNORES_RIGHTS,
    /** Deleting a space leaves its PCID's TLB entries behind for the next space to get that PCID (K-5). */
    DELETE_KEEPS_PCID,
    /** The IPC fast path switches threads but not CR3 when the receiver's space differs (K-7). */
    FASTPATH_SKIPS_SWITCH,
    /** Thread IDs are looked up by number only: a stale ID reaches the slot's new thread. */
    STALE_ID_ACCEPTED
}
