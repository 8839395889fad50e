package dev.mkspec.kernel;

import dev.mkspec.hw.PageTables;
import java.util.HashMap;
import java.util.Map;

/**
 * An address space: its page tables in simulated memory (and, with page-table isolation, the
 * user-mode copy that maps no kernel), its PCID, its mapping-database nodes by virtual page, and
 * the space that created it.
 */
final class Space {
    SpaceId id;
    final int number;
    Space owner;
    PageTables tables;
    /** KPTI only: the tables user mode runs on (user mappings and no kernel). */
    PageTables userTables;
    /**
     * The space's ASID (DESIGN.md's name for the tag on TLB entries). It is called a PCID here
     * because the kernel runs on x86 profiles, whose manuals and CR3 call the tag a
     * process-context identifier; 0 when PCIDs are not used.
     */
    int pcid;
    /**
     * The CPUs whose TLBs may hold this space's entries (Linux's mm_cpumask, Tlb.tla's
     * mayCache): a CPU joins when it loads the space, and leaves only when its TLB is known to be
     * rid of them (a CR3 write without PCIDs, or leaving a deleted space).
     */
    long cpus;
    final Map<Long, MdbNode> nodes = new HashMap<>();
    boolean live;
    final long address;
    /** l4-small: the small-space window this space occupies, or -1 for a large space (its own page directory). */
    int window = -1;
    /**
     * MkLinux: the thread serving the task's exception port (the Linux server), to which a
     * Linux system call of the task is delivered as a Mach exception; null when none is set.
     */
    ThreadId exceptionServer;

    Space(int number, long address) {
        this.number = number;
        this.id = new SpaceId(number, 0);
        this.address = address;
    }

    /** Whether the space is small: it lives in a window of the shared region, confined by segments. */
    boolean small() {
        return window >= 0;
    }

    @Override
    public String toString() {
        return id.toString();
    }
}
