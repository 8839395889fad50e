package dev.mkspec.model.segments;


/**
 * The deliberate mistakes of the segment-table bug variants, named as the spec's constant
 * {@code Bug} names them. {@link #NONE} is the real design.
 */
public enum SegmentsBug {
    NONE,
    /** A load takes the selector as a global slot with every right: no Vst translation. */
    RAW_SELECTORS,
    /** Revocation and deletion fix only the asking thread's CPU: no interrupt reaches the others. */
    REVOKE_LOCAL_ONLY,
    /** The revocation handlers clear live registers, not those saved in far-call frames. */
    REVOKE_MISSES_FRAMES,
    /** Revoke removes the entry, not the entries granted from it. */
    REVOKE_SHALLOW,
    /** Deletion clears the TLB of the asking CPU only. */
    DELETE_NO_SHOOTDOWN,
    /** Saving a register saves its hidden slot and rights, and reloading takes them without the Vst. */
    LENT_SURVIVES_RETURN,
    /** GrantFromReg takes any loaded register, also one lent by a caller. */
    CALLEE_COPIES_LENT,
    /** Far return restores the domain, not the registers. */
    RETURN_KEEPS_REGISTERS,
    /** The budget restarts at every far call, also the calls the service makes. */
    BUDGET_PER_CALL,
    /** The server's sleep does not look at the wake-up flag. */
    SLEEP_IGNORES_FLAG,
    /** Clearing a register loads the null selector, which keeps the hidden rights and origin. */
    NULL_KEEPS_HIDDEN,
    /** The kernel grants an entry only with all its rights: it refuses a narrowed grant. */
    GRANT_FULL_ONLY,
    /** The kernel aborts a far call one tick before the budget is spent. */
    ABORT_EARLY,
    /** A deletion clears every loaded register, not only those of the deleted slot. */
    DELETE_CLEARS_ALL,
    /** The kernel returns to the thread that asked for a revocation before every CPU answered. */
    REVOKE_RETURNS_EARLY,
    /** The ring's server never sleeps: it polls the ring for ever. */
    SERVER_POLLS,
    /** A thread waiting for its own revocation can still grant an entry (SEG-23). */
    GRANT_WHILE_REVOKING;

    /** The spec's name of this bug: {@code "none"}, {@code "raw_selectors"}, ... */
    public String specName() {
        return dev.mkspec.model.SpecNames.of(this);
    }

    /** The bug the spec names {@code name}. */
    public static SegmentsBug fromSpecName(String name) {
        return dev.mkspec.model.SpecNames.parse(SegmentsBug.class, name, "bug variant of Segments");
    }
}
