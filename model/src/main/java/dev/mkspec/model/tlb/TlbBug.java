package dev.mkspec.model.tlb;


/**
 * The deliberate mistakes of the TLB bug variants, named as the spec's constant {@code Bug} names
 * them. {@link #NONE} is the real protocol.
 */
public enum TlbBug {
    NONE,
    /** The unmap frees the frame at once, before the other CPUs acknowledge. */
    LAZY_SHOOTDOWN,
    /** A rollover hands out ASIDs again without flushing the TLBs. */
    ASID_REUSE_NO_FLUSH,
    /** A rights downgrade updates the page table and invalidates nothing. */
    DOWNGRADE_NO_INVLPG,
    /** The IPI goes only to CPUs running the space now. */
    IPI_ONLY_RUNNING,
    /** The initiating CPU does not invalidate its own entry. */
    SKIP_LOCAL_INVLPG,
    /** A rollover takes the ASIDs of spaces running on other CPUs too. */
    ROLLOVER_STEALS_RUNNING,
    /** The shootdown keeps one "done" flag, not a set of CPUs still to acknowledge. */
    SINGLE_ACK_FLAG,
    /** A CPU invalidates on the IPI but its acknowledgement is lost. */
    LOST_ACK,
    /** A CPU handles a shootdown IPI only while it runs the space (the lazy-TLB shortcut). */
    ACK_ONLY_RUNNING,
    /**
     * The IPI handler invalidates the page after the one it was sent for (an exclusive range end taken as
     * inclusive, the start skipped); with one page per space it is the same page.
     */
    IPI_RANGE_OFF_BY_ONE,
    /** The shootdown finish forgets to free the frame of an unmapped page: it leaks. */
    UNMAP_LEAKS_FRAME,
    /** The IPI handler flushes the CPU's whole TLB instead of the page: safe, but costs misses. */
    ACK_FLUSHES_TLB,
    /**
     * The unmap also clears the page after its fpage (a range end taken as inclusive), and neither
     * shoots it down nor frees its frame.
     */
    UNMAP_PAST_FPAGE,
    /**
     * With untagged TLBs, a switch leaves the CPU in the set of CPUs that may cache the space it left
     * (Linux's {@code mm_cpumask} never cleared): later shootdowns of that space send it IPIs it does
     * not need, since the CR3 write flushed its TLB. Safe; costs an IPI and an acknowledgement each.
     */
    UNTAGGED_KEEPS_CPUMASK,
    /** The initiator sends the shootdown IPI to itself too, though it invalidated its own entries. */
    IPI_SELF,
    /**
     * A space deletion frees the space's frames at once, before the other CPUs acknowledge (the
     * lazy shootdown, on the delete path).
     */
    DELETE_FREES_EARLY,
    /**
     * The IPI handler of a space deletion invalidates but leaves a CPU that runs the deleted space
     * running it (its thread was killed, yet the CPU keeps the space loaded).
     */
    DELETE_KEEPS_RUNNING;

    /** The name the spec uses, e.g. {@code "lazy_shootdown"}. */
    public String specName() {
        return dev.mkspec.model.SpecNames.of(this);
    }

    /**
     * The bug the spec names so.
     *
     * @throws IllegalArgumentException naming the bugs there are
     */
    public static TlbBug fromSpecName(String name) {
        return dev.mkspec.model.SpecNames.parse(TlbBug.class, name, "bug variant of Tlb");
    }
}
