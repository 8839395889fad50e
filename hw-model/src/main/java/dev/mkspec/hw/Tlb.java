package dev.mkspec.hw;

/**
 * A set-associative TLB. Each entry caches one translation: the virtual page number at its page
 * size, the PCID it was filled under (when tagged), the frame's physical base, the rights combined
 * over the walk (RW, US, NX), the leaf's G bit, and whether the leaf was dirty when cached.
 *
 * <p>Lookups are allocation-free: entries live in parallel primitive arrays. A lookup tries each
 * page size the TLB holds; an entry matches when it is valid, has that size and page number, and
 * is global or (in a tagged TLB) carries the current PCID.
 *
 * <p>Invalidation follows the SDM: {@link #invalidatePage} is INVLPG (the address in the current
 * PCID, global entries included); {@link #invalidatePagePcid} is INVPCID type 0 (globals spared);
 * {@link #flushPcid} is INVPCID type 1 and the CR3 write with PCIDE; {@link #flushNonGlobal} is
 * INVPCID type 3 and a CR3 write without PCIDE; {@link #flushAll} is INVPCID type 2. Not
 * thread-safe: one per CPU.
 */
public final class Tlb {
    private static final int VALID = 1;
    private static final int RW = 2;
    private static final int US = 4;
    private static final int NX = 8;
    private static final int GLOBAL = 16;
    private static final int DIRTY = 32;

    private final TlbConfig config;
    private final int sets;
    private final int ways;
    private final int[] shifts;
    private final long[] vpn;
    private final long[] base;
    private final int[] pcid;
    private final byte[] shift;
    private final int[] flags;
    private final long[] lastUse;
    private final int[] plruBits;
    private long clock;
    private long randomState;
    private long hits;
    private long misses;
    private long fills;
    private long evictions;
    private long invalidations;

    public Tlb(TlbConfig config) {
        this.config = config;
        this.sets = config.sets();
        this.ways = config.ways();
        this.shifts = config.pageShifts().stream().mapToInt(Integer::intValue).sorted().toArray();
        int n = config.entries();
        this.vpn = new long[n];
        this.base = new long[n];
        this.pcid = new int[n];
        this.shift = new byte[n];
        this.flags = new int[n];
        this.lastUse = new long[n];
        this.plruBits = new int[sets];
        this.randomState = config.seed() == 0 ? 0x9E3779B97F4A7C15L : config.seed();
    }

    public TlbConfig config() {
        return config;
    }

    /** Whether this TLB can hold pages of size {@code 1 << pageShift}. */
    public boolean holds(int pageShift) {
        for (int s : shifts) {
            if (s == pageShift) {
                return true;
            }
        }
        return false;
    }

    private int setOf(long pageNumber) {
        return (int) Long.remainderUnsigned(pageNumber, sets);
    }

    private boolean matches(int i, long pageNumber, int s, int currentPcid) {
        int f = flags[i];
        return (f & VALID) != 0 && shift[i] == s && vpn[i] == pageNumber
                && (!config.tagged() || (f & GLOBAL) != 0 || pcid[i] == currentPcid);
    }

    /**
     * Looks up {@code vaddr} under {@code currentPcid}, counting a hit or a miss and updating the
     * replacement state on a hit.
     *
     * @return the entry's index, or -1
     */
    public int lookup(long vaddr, int currentPcid) {
        int i = find(vaddr, currentPcid);
        if (i < 0) {
            misses++;
        } else {
            hits++;
            touch(i);
        }
        return i;
    }

    /** Finds the entry for {@code vaddr} without counting or touching it; -1 if there is none. */
    public int find(long vaddr, int currentPcid) {
        for (int s : shifts) {
            long pn = vaddr >>> s;
            int first = setOf(pn) * ways;
            for (int w = 0; w < ways; w++) {
                if (matches(first + w, pn, s, currentPcid)) {
                    return first + w;
                }
            }
        }
        return -1;
    }

    private void touch(int i) {
        lastUse[i] = ++clock;
        if (config.replacement() == Replacement.PLRU && ways > 1) {
            int set = i / ways;
            int way = i % ways;
            int node = 0;
            int bits = plruBits[set];
            for (int span = ways; span > 1; span >>= 1) {
                boolean right = (way % span) >= span / 2;
                // point the node away from the half just used
                bits = right ? bits & ~(1 << node) : bits | (1 << node);
                node = 2 * node + (right ? 2 : 1);
            }
            plruBits[set] = bits;
        }
    }

    private int victim(int set) {
        int first = set * ways;
        for (int w = 0; w < ways; w++) {
            if ((flags[first + w] & VALID) == 0) {
                return first + w;
            }
        }
        switch (config.replacement()) {
            case LRU: {
                int best = first;
                for (int w = 1; w < ways; w++) {
                    if (lastUse[first + w] < lastUse[best]) {
                        best = first + w;
                    }
                }
                return best;
            }
            case PLRU: {
                int bits = plruBits[set];
                int node = 0;
                int way = 0;
                for (int span = ways; span > 1; span >>= 1) {
                    boolean right = (bits & (1 << node)) != 0;
                    if (right) {
                        way += span / 2;
                    }
                    node = 2 * node + (right ? 2 : 1);
                }
                return first + way;
            }
            default: {
                randomState ^= randomState << 13;
                randomState ^= randomState >>> 7;
                randomState ^= randomState << 17;
                return first + (int) Long.remainderUnsigned(randomState, ways);
            }
        }
    }

    /**
     * Caches a translation, replacing an entry for the same page if there is one, else a victim
     * chosen by the policy.
     *
     * @return the entry's index, or -1 if this TLB does not hold pages of that size
     */
    public int fill(long vaddr, int pageShift, long physicalBase, boolean writable, boolean user, boolean noExecute,
            boolean global, boolean dirty, int currentPcid) {
        if (!holds(pageShift)) {
            return -1;
        }
        long pn = vaddr >>> pageShift;
        int set = setOf(pn);
        int i = -1;
        for (int w = 0; w < ways; w++) {
            if (matches(set * ways + w, pn, pageShift, currentPcid)) {
                i = set * ways + w;
                break;
            }
        }
        if (i < 0) {
            i = victim(set);
            if ((flags[i] & VALID) != 0) {
                evictions++;
            }
        }
        fills++;
        vpn[i] = pn;
        base[i] = physicalBase;
        pcid[i] = config.tagged() ? currentPcid : 0;
        shift[i] = (byte) pageShift;
        flags[i] = VALID | (writable ? RW : 0) | (user ? US : 0) | (noExecute ? NX : 0) | (global ? GLOBAL : 0)
                | (dirty ? DIRTY : 0);
        touch(i);
        return i;
    }

    /** The physical address that entry {@code i} gives for {@code vaddr}. */
    public long physical(int i, long vaddr) {
        return base[i] | (vaddr & ((1L << shift[i]) - 1));
    }

    public int pageShift(int i) {
        return shift[i];
    }

    public long physicalBase(int i) {
        return base[i];
    }

    public boolean writable(int i) {
        return (flags[i] & RW) != 0;
    }

    public boolean user(int i) {
        return (flags[i] & US) != 0;
    }

    public boolean noExecute(int i) {
        return (flags[i] & NX) != 0;
    }

    public boolean global(int i) {
        return (flags[i] & GLOBAL) != 0;
    }

    public boolean dirty(int i) {
        return (flags[i] & DIRTY) != 0;
    }

    /** The PCID entry {@code i} was filled under (0 in an untagged TLB). */
    public int pcid(int i) {
        return pcid[i];
    }

    public boolean valid(int i) {
        return (flags[i] & VALID) != 0;
    }

    /** The virtual address of the page entry {@code i} caches. */
    public long virtualPage(int i) {
        return vpn[i] << shift[i];
    }

    public int capacity() {
        return flags.length;
    }

    /** Drops entry {@code i}. */
    public void drop(int i) {
        if ((flags[i] & VALID) != 0) {
            flags[i] = 0;
            invalidations++;
        }
    }

    /** INVLPG: drops every entry for {@code vaddr} in {@code currentPcid}, global ones included. */
    public void invalidatePage(long vaddr, int currentPcid) {
        invalidateAddress(vaddr, currentPcid, true);
    }

    /** INVPCID type 0: drops the entries for {@code vaddr} tagged {@code p}, sparing global ones. */
    public void invalidatePagePcid(long vaddr, int p) {
        invalidateAddress(vaddr, p, false);
    }

    private void invalidateAddress(long vaddr, int p, boolean globalsToo) {
        for (int s : shifts) {
            long pn = vaddr >>> s;
            int first = setOf(pn) * ways;
            for (int w = 0; w < ways; w++) {
                int i = first + w;
                int f = flags[i];
                if ((f & VALID) == 0 || shift[i] != s || vpn[i] != pn) {
                    continue;
                }
                boolean g = (f & GLOBAL) != 0;
                if (g ? globalsToo : (!config.tagged() || pcid[i] == p)) {
                    drop(i);
                }
            }
        }
    }

    /** INVPCID type 1, or a CR3 write with PCIDE and bit 63 clear: drops the non-global entries tagged {@code p}. */
    public void flushPcid(int p) {
        for (int i = 0; i < flags.length; i++) {
            if ((flags[i] & VALID) != 0 && (flags[i] & GLOBAL) == 0 && (!config.tagged() || pcid[i] == p)) {
                drop(i);
            }
        }
    }

    /** INVPCID type 3, or a CR3 write without PCIDE: drops every non-global entry. */
    public void flushNonGlobal() {
        for (int i = 0; i < flags.length; i++) {
            if ((flags[i] & GLOBAL) == 0) {
                drop(i);
            }
        }
    }

    /** INVPCID type 2, or toggling CR4.PGE: drops every entry. */
    public void flushAll() {
        for (int i = 0; i < flags.length; i++) {
            drop(i);
        }
    }

    /** The number of valid entries. */
    public int occupancy() {
        int n = 0;
        for (int f : flags) {
            if ((f & VALID) != 0) {
                n++;
            }
        }
        return n;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public long fills() {
        return fills;
    }

    /** Valid entries replaced by a fill. */
    public long evictions() {
        return evictions;
    }

    /** Valid entries dropped by an invalidation or flush. */
    public long invalidations() {
        return invalidations;
    }
}
