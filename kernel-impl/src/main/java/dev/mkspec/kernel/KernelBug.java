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
    STALE_ID_ACCEPTED,
    /**
     * Unmap revokes the rights from the caller's own page too, as flush does. The database stays
     * well formed (no K-n sees it); only refinement against SpaceUnmap does.
     */
    UNMAP_REVOKES_OWN,
    /**
     * A map links the new node under the root of the source's derivation (Sigma0's mapping of the
     * frame) instead of under the source: same frame, rights within the parent's, so no K-n sees
     * it, but a later flush of the source no longer reaches the mapping.
     */
    MAP_WRONG_PARENT,
    /**
     * A map onto a page already derived from the source flushes it, and everything derived from
     * it, instead of adding the rights: the database stays well formed, so no K-n sees it; only
     * refinement against SpaceMap (AS-16) does.
     */
    REMAP_FLUSHES,
    /** A map item gives the source's rights instead of the rights it asked for (never more, so K-2 holds). */
    MAP_SOURCE_RIGHTS,
    /** A map item lands at the sender's address instead of in the window the receiver opened. */
    MAP_AT_SENDER_ADDRESS,
    /**
     * Grant is refused when the page has mappings derived from it, so that the kernel never has
     * to narrow them: safe (every step it takes is a model step), but it cannot do what the model
     * allows. Only the exhaustive comparison's "every model step is realised" direction sees it.
     */
    GRANT_REFUSES_DERIVED,
    /** Removing a node unlinks it but never frees its slot: the node pool leaks (K-1). */
    NODE_SLOT_LEAK,
    /** Grant moves the node but leaves the granter's PTE: the granter still reaches the frame (K-3). */
    GRANT_KEEPS_PTE,
    /** Under page-table isolation the user-mode tables map the kernel too, as if KPTI were off (K-4). */
    USER_TABLES_MAP_KERNEL,
    /** Deleting a thread leaves it on the send queue it was waiting in (K-6). */
    DELETE_KEEPS_QUEUED,
    /**
     * A reply reaches any thread receiving from the replier, as in L4 X.2 where a reply is a send:
     * no reply authority. Only refinement against Ipc.tla (ReplyWait needs a caller) sees it.
     */
    REPLY_WITHOUT_AUTHORITY,
    /** A plain send reaches a caller waiting for its reply, as if it were the reply (Ipc.tla's Accepts forbids it). */
    SEND_REACHES_CALLER,
    /** Deleting a thread wakes its queued senders and closed receivers but not the callers waiting for its reply: they hang. */
    DELETE_SKIPS_REPLY_WAITERS,
    /** A signal replaces the notification word instead of ORing into it: bits signalled earlier are lost. */
    SIGNAL_OVERWRITES,
    /** CreateThread ignores the slot it names and takes the lowest free one (as before slots could be named). */
    CREATE_IGNORES_SLOT,
    /**
     * On several CPUs, a flush returns (and releases the kernel lock) as soon as its IPIs are sent,
     * without waiting for the acknowledgements: a frame can be handed out again while another
     * CPU's TLB still reaches it (Tlb.tla's lazy_shootdown).
     */
    SHOOTDOWN_RETURNS_EARLY,
    /**
     * With PCIDs, a CPU leaves a space's CPU set when it switches away, although its TLB keeps the
     * space's entries: the IPI reaches only CPUs running the space now (Tlb.tla's ipi_only_running).
     */
    SHOOTDOWN_ONLY_RUNNING,
    /** The CPU that flushes invalidates the other CPUs' entries but not its own (Tlb.tla's skip_local_invlpg). */
    SHOOTDOWN_SKIPS_LOCAL,
    /** The IPI handler invalidates the page after the one it was sent for (Tlb.tla's ipi_range_off_by_one). */
    SHOOTDOWN_WRONG_PAGE,
    /**
     * The IPI handler invalidates only the first page a batch names, as if a flush of several pages
     * were a single-page INVLPG: the other CPUs keep the rest of an fpage cached (only a flush of
     * several pages shows it).
     */
    SHOOTDOWN_FIRST_PAGE_ONLY,
    /**
     * A flush that revokes pages derived into other spaces sends its IPIs only to the CPUs that may
     * cache the caller's space, not to those of the spaces that derived from it: their TLBs keep
     * the revoked pages (FlushShootdown.tla's ipi_caller_only).
     */
    SHOOTDOWN_CALLER_ONLY,
    /**
     * l4-small: the large spaces' user segments reach to the kernel instead of ending below the
     * small-space region: every large space can touch every small space's pages (K-7).
     */
    LARGE_LIMIT_COVERS_REGION,
    /**
     * l4-small: a switch from one small space to another keeps the segment registers (as
     * FASTPATH_SKIPS_SWITCH keeps CR3): the receiver runs in the sender's window (K-7).
     */
    SMALL_SWITCH_KEEPS_SEGMENTS,
    /**
     * l4-small: deleting a small space invalidates none of its window's TLB entries, trusting a
     * CR3 load that a switch between small spaces never makes: the next space given the window
     * inherits them (K-5).
     */
    SMALL_DELETE_KEEPS_TLB,
    /**
     * vst: a revocation removes the Vst entry but leaves the segment registers loaded through it:
     * a thread keeps reaching the revoked segment (Segments.tla's revoke_keeps_register; K-9).
     */
    VST_REVOKE_KEEPS_REGISTERS
}
