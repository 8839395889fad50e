package dev.mkspec.hw;

/**
 * The page-table walk of one CPU, as the hardware does it: it reads one entry per level from
 * physical memory, stops at the first entry with P clear, combines the rights of every level
 * (writes need RW at every level, user accesses need US at every level, NX at any level forbids
 * fetches), and on success sets A in every entry it used and D in the leaf on a write.
 *
 * <p>Choices: A and D are set only by a walk that succeeds (the SDM lets a faulting walk set A
 * too); supervisor accesses to user pages are allowed (no SMEP or SMAP); with CR0.WP clear a
 * supervisor write ignores RW. The walk counts one memory reference per entry it reads, by level,
 * and the A/D updates separately.
 *
 * <p>The result of the last walk is kept in this object's fields, so that a walk allocates
 * nothing. Not thread-safe: one per CPU.
 */
public final class PageWalker {
    private final PhysicalMemory memory;
    private final PagingMode mode;
    private final long[] referencesByLevel = new long[5];
    private long walks;
    private long accessedDirtyUpdates;

    // The last walk's result.
    long physicalBase;
    int pageShift;
    boolean writable;
    boolean user;
    boolean noExecute;
    boolean global;
    boolean dirty;
    FaultKind faultKind;
    int faultLevel;

    public PageWalker(PhysicalMemory memory, PagingMode mode) {
        this.memory = memory;
        this.mode = mode;
    }

    public PagingMode mode() {
        return mode;
    }

    /**
     * Walks the tables for {@code vaddr}.
     *
     * @return true if the access is allowed; the translation is then in the fields, else the fault
     */
    boolean walk(ControlRegisters cr, long vaddr, Access access, Mode priv) {
        walks++;
        faultKind = null;
        lastLength = 0;
        if (mode == PagingMode.X86_64 && (vaddr >> 47) != 0 && (vaddr >> 47) != -1) {
            faultKind = FaultKind.NON_CANONICAL;
            faultLevel = 0;
            return false;
        }
        int width = mode.entryBytes();
        long table = cr.tableBase;
        boolean rw = true;
        boolean us = true;
        boolean nx = false;
        int level = mode.levels();
        long entryAddress;
        long entry;
        long[] addresses = scratchAddresses;
        long[] entries = scratchEntries;
        int n = 0;
        while (true) {
            entryAddress = (table & mode.addressMask()) + (long) mode.indexOf(vaddr, level) * width;
            entry = memory.readEntry(entryAddress, width);
            referencesByLevel[level]++;
            addresses[n] = entryAddress;
            entries[n++] = entry;
            lastLength = n;
            if ((entry & Pte.P) == 0) {
                return fault(FaultKind.NOT_PRESENT, level);
            }
            if (mode == PagingMode.X86_64 && ((entry & 0x7FF0_0000_0000_0000L) != 0
                    || (entry < 0 && !cr.noExecuteEnable) || (level == 4 && (entry & Pte.PS) != 0))) {
                return fault(FaultKind.RESERVED_BIT, level);
            }
            rw &= (entry & Pte.RW) != 0;
            us &= (entry & Pte.US) != 0;
            nx |= mode == PagingMode.X86_64 && cr.noExecuteEnable && entry < 0;
            boolean leaf = level == 1 || ((entry & Pte.PS) != 0 && mode.largePageAt(level)
                    && (mode == PagingMode.X86_64 || cr.pageSizeExtensions));
            if (leaf) {
                break;
            }
            table = entry;
            level--;
        }
        int shift = mode.shiftOf(level);
        if (priv == Mode.USER && !us) {
            return fault(FaultKind.USER_TO_SUPERVISOR, level);
        }
        if (access == Access.WRITE && !rw && (priv == Mode.USER || cr.writeProtect)) {
            return fault(FaultKind.WRITE_PROTECTED, level);
        }
        if (access == Access.EXECUTE && nx) {
            return fault(FaultKind.NO_EXECUTE, level);
        }
        for (int i = 0; i < n; i++) {
            long a = addresses[i];
            long e = entries[i];
            long set = Pte.A | (i == n - 1 && access == Access.WRITE ? Pte.D : 0);
            if ((e & set) != set) {
                memory.writeEntry(a, width, e | set);
                accessedDirtyUpdates++;
            }
        }
        long frameMask = ~((1L << shift) - 1) & mode.addressMask();
        physicalBase = entry & frameMask;
        pageShift = shift;
        writable = rw;
        user = us;
        noExecute = nx;
        global = (entry & Pte.G) != 0 && cr.globalPages;
        dirty = access == Access.WRITE || (entry & Pte.D) != 0;
        return true;
    }

    private final long[] scratchAddresses = new long[4];
    private final long[] scratchEntries = new long[4];
    private int lastLength;

    /** How many entries the last walk read (0 for a non-canonical address), faulting walks included. */
    public int lastWalkLength() {
        return lastLength;
    }

    /**
     * The physical address of the {@code i}-th entry the last walk read, top level first: what a
     * cost model feeds to its data cache, since x86 walks read the tables through the caches.
     */
    public long lastWalkAddress(int i) {
        if (i < 0 || i >= lastLength) {
            throw new IndexOutOfBoundsException("the last walk read " + lastLength + " entries, not " + (i + 1));
        }
        return scratchAddresses[i];
    }

    /** The physical address the last successful walk gives for {@code vaddr}. */
    long physical(long vaddr) {
        return physicalBase | (vaddr & ((1L << pageShift) - 1));
    }

    private boolean fault(FaultKind kind, int level) {
        faultKind = kind;
        faultLevel = level;
        return false;
    }

    /** Memory references made by walks so far at {@code level} (1 = page table .. 4 = PML4). */
    public long referencesAt(int level) {
        return referencesByLevel[level];
    }

    /** Memory references made by walks so far, over all levels. */
    public long references() {
        long sum = 0;
        for (long r : referencesByLevel) {
            sum += r;
        }
        return sum;
    }

    public long walks() {
        return walks;
    }

    /** Entries whose A or D bit a walk set. */
    public long accessedDirtyUpdates() {
        return accessedDirtyUpdates;
    }
}
