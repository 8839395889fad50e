package dev.mkspec.kernel;

/** What a charged cycle was spent on: the columns of a cycle breakdown. */
public enum CostCategory {
    /** The hardware's entry into and exit from the kernel (INT/IRET, SYSENTER/SYSEXIT, SYSCALL/SYSRET). */
    TRAP("trap"),
    /** Kernel instructions, as each kernel path declares them, priced by the profile. */
    KERNEL("kernel instructions"),
    /** User-level instructions: stubs, emulation library, server work. */
    USER("user instructions"),
    /** TLB refills: page-walk reads (and the cache misses they take) and second-level TLB hits. */
    TLB("TLB refills"),
    /** First-level cache misses on code and data. */
    CACHE("cache misses"),
    /** String copies (REP MOVS start-up and per-word cost). */
    COPY("copying"),
    /** CR3 writes and explicit TLB invalidation when the kernel switches or edits an address space. */
    AS_SWITCH("address-space switch"),
    /** The page-table switch on every entry and exit that Meltdown-style isolation (KPTI) adds. */
    MITIGATION("KPTI switch"),
    /**
     * TLB shootdown on several CPUs: IPIs sent and taken, the targets' invalidations, and the
     * initiator's wait for the last acknowledgement.
     */
    SHOOTDOWN("TLB shootdown");

    private final String label;

    CostCategory(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The key in JSON and CSV output. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
