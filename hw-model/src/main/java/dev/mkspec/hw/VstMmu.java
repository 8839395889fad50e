package dev.mkspec.hw;

import java.util.HashMap;
import java.util.Map;

/**
 * The virtual-segment-table MMU proposed for microkernels (specs/tla/Segments has the design and
 * its properties): a switchable extension in which a segment register names a global segment, and
 * the segment is a small address space of its own.
 *
 * <ul>
 *   <li>The global segment table (Gst) maps a global index to the segment's own page tables and its
 *       owner. User code never names a global index.</li>
 *   <li>Each protection domain has a virtual segment table (Vst) from its selectors to global indices
 *       with rights (read, write, execute, call). Loading a segment register translates the selector
 *       through the current domain's Vst; the register keeps the global index, the rights, and
 *       (hidden) the domain and selector it was loaded through.</li>
 *   <li>An access through a register checks its rights, then translates the offset through the
 *       segment's page tables. The TLB is tagged by the global index (this model uses the tag bits
 *       of a PCID-tagged TLB, so at most 4,095 segments), so a translation stays valid whichever
 *       domain loaded the segment, and no domain switch flushes anything.</li>
 *   <li>Revocation removes a Vst entry and clears the registers loaded through it; deleting a
 *       segment also drops its TLB entries. On one CPU here: the protocol across CPUs is the TLA+
 *       spec's.</li>
 * </ul>
 *
 * <p>Not thread-safe: one per CPU.
 */
public final class VstMmu {
    /** Read right. */
    public static final int R = 1;
    /** Write right. */
    public static final int W = 2;
    /** Execute right. */
    public static final int X = 4;
    /** The right to far call into the owner's code (never loaded into a data register). */
    public static final int CALL = 8;

    private record Segment(long root, int owner) {
    }

    private record Entry(int index, int rights) {
    }

    /** A loaded register: the global index and data rights, and where it was loaded from. */
    private record Loaded(int index, int rights, int domain, int selector) {
    }

    private final Mmu mmu;
    private final Segment[] gst = new Segment[4096];
    private final Map<Integer, Map<Integer, Entry>> vst = new HashMap<>();
    private final Loaded[] registers;
    private String lastFault;
    private long loads;

    /**
     * @param mmu a CPU's MMU with a tagged TLB (its tag is the global index); it walks the
     *     segments' page tables
     * @param registerCount the data segment registers
     */
    public VstMmu(Mmu mmu, int registerCount) {
        if (!mmu.config().tagged()) {
            throw new IllegalArgumentException("the VST MMU tags TLB entries with the global segment index: it needs a tagged TLB");
        }
        this.mmu = mmu;
        this.registers = new Loaded[registerCount];
    }

    /** Makes a segment of the page tables {@code tables}, owned by {@code owner}, in a free global slot. */
    public int createSegment(PageTables tables, int owner) {
        return createSegment(tables, owner, 1);
    }

    /**
     * As {@link #createSegment(PageTables, int)}, in the first free slot from {@code first}: a kernel
     * whose spaces use the low tags of the same TLB keeps its segments above them.
     */
    public int createSegment(PageTables tables, int owner, int first) {
        for (int i = Math.max(1, first); i < gst.length; i++) {
            if (gst[i] == null) {
                gst[i] = new Segment(tables.root(), owner);
                return i;
            }
        }
        throw new IllegalStateException("the global segment table is full (4,095 segments)");
    }

    /** Deletes segment {@code index}: its Vst entries, the registers that hold it, and its TLB entries go. */
    public void deleteSegment(int index) {
        gst[index] = null;
        for (Map<Integer, Entry> table : vst.values()) {
            table.values().removeIf(e -> e.index() == index);
        }
        for (int r = 0; r < registers.length; r++) {
            if (registers[r] != null && registers[r].index() == index) {
                registers[r] = null;
            }
        }
        mmu.invpcid(1, index, 0);
    }

    /**
     * Domain {@code domain} is gone: the segments it owns are deleted (with their Vst entries,
     * registers and TLB entries), and so is its own Vst with every register loaded through it.
     */
    public void dropDomain(int domain) {
        for (int i = 1; i < gst.length; i++) {
            if (gst[i] != null && gst[i].owner() == domain) {
                deleteSegment(i);
            }
        }
        Map<Integer, Entry> table = vst.remove(domain);
        if (table != null) {
            for (int sel : table.keySet()) {
                revoke(domain, sel);
            }
        }
    }

    /** Sets domain {@code domain}'s selector {@code selector} to name segment {@code index} with {@code rights}. */
    public void grant(int domain, int selector, int index, int rights) {
        if (selector == 0) {
            throw new IllegalArgumentException("selector 0 is the null selector");
        }
        if (gst[index] == null) {
            throw new IllegalArgumentException("global segment " + index + " does not exist");
        }
        vst.computeIfAbsent(domain, d -> new HashMap<>()).put(selector, new Entry(index, rights));
    }

    /** Removes domain {@code domain}'s selector {@code selector}, and clears every register loaded through it. */
    public void revoke(int domain, int selector) {
        removeEntry(domain, selector);
        clearLoadedThrough(domain, selector);
    }

    /** The Vst edit alone: domain {@code domain}'s selector {@code selector} names nothing from now on. */
    public void removeEntry(int domain, int selector) {
        Map<Integer, Entry> table = vst.get(domain);
        if (table != null) {
            table.remove(selector);
        }
    }

    /**
     * The other half of a revocation, which the kernel must do (the hardware does not re-check a
     * loaded register): every register loaded through domain {@code domain}'s selector
     * {@code selector} is emptied.
     */
    public void clearLoadedThrough(int domain, int selector) {
        for (int r = 0; r < registers.length; r++) {
            if (registers[r] != null && registers[r].domain() == domain && registers[r].selector() == selector) {
                registers[r] = null;
            }
        }
    }

    /**
     * What register {@code reg} holds: its global index, rights, and the domain and selector it was
     * loaded through; null if empty.
     */
    public int[] register(int reg) {
        Loaded l = registers[reg];
        return l == null ? null : new int[] {l.index(), l.rights(), l.domain(), l.selector()};
    }

    /**
     * Loads register {@code reg} with {@code selector}, translated through {@code domain}'s Vst (the
     * domain the CPU executes in); selector 0 clears it.
     *
     * @return false with {@link #lastFault()} if the selector names no entry or one with no data right
     */
    public boolean load(int reg, int domain, int selector) {
        loads++;
        if (selector == 0) {
            registers[reg] = null;
            return true;
        }
        Entry e = vst.getOrDefault(domain, Map.of()).get(selector);
        if (e == null) {
            lastFault = "#GP: selector " + selector + " names no entry of domain " + domain + "'s Vst";
            return false;
        }
        int data = e.rights() & (R | W | X);
        if (data == 0) {
            lastFault = "#GP: selector " + selector + " of domain " + domain + " gives no data right (a call right only)";
            return false;
        }
        registers[reg] = new Loaded(e.index(), data, domain, selector);
        return true;
    }

    /**
     * A far call by code running in {@code domain} through its selector {@code selector}: the entry
     * must give the call right; register {@code reg} (the code segment) then holds the callee's code
     * segment with the execute right, loaded through that entry, and the callee's domain runs.
     *
     * @return the domain that owns the code segment (the callee), or -1 with {@link #lastFault()}
     */
    public int farCall(int reg, int domain, int selector) {
        Entry e = vst.getOrDefault(domain, Map.of()).get(selector);
        if (e == null || (e.rights() & CALL) == 0) {
            lastFault = "#GP: selector " + selector + " of domain " + domain + "'s Vst gives no call right";
            return -1;
        }
        registers[reg] = new Loaded(e.index(), X, domain, selector);
        return gst[e.index()].owner();
    }

    /** Empties register {@code reg} (a far return restores the caller's flat code segment). */
    public void clear(int reg) {
        registers[reg] = null;
    }

    /** The global index register {@code reg} holds, or 0 if it holds none. */
    public int index(int reg) {
        return registers[reg] == null ? 0 : registers[reg].index();
    }

    /**
     * Translates {@code offset} in the segment register {@code reg} holds, for {@code access}.
     *
     * @return the physical address, or -1 with {@link #lastFault()}: a null register, a missing
     *     right, or the page fault of the segment's tables
     */
    public long translate(int reg, long offset, Access access) {
        Loaded l = registers[reg];
        if (l == null) {
            lastFault = "#GP: register " + reg + " holds no segment";
            return -1;
        }
        int need = switch (access) {
            case READ -> R;
            case WRITE -> W;
            case EXECUTE -> X;
        };
        if ((l.rights() & need) == 0) {
            lastFault = "#GP: register " + reg + " does not allow " + access;
            return -1;
        }
        // The walk starts at the segment's own tables, and the TLB is searched and filled with the
        // global index as its tag: no flush, whichever domain loaded the segment.
        mmu.writeCr3(gst[l.index()].root(), l.index(), true);
        long pa = mmu.translate(offset, access, Mode.USER);
        if (pa == Mmu.FAULT) {
            lastFault = "#PF in global segment " + l.index() + ": " + mmu.lastFault();
        }
        return pa;
    }

    /** The rights domain {@code domain}'s selector {@code selector} gives, and its global index; null if it names nothing. */
    public int[] entry(int domain, int selector) {
        Entry e = vst.getOrDefault(domain, Map.of()).get(selector);
        return e == null ? null : new int[] {e.index(), e.rights()};
    }

    /** The root of global segment {@code index}'s page tables, or -1 if it does not exist. */
    public long root(int index) {
        return index <= 0 || index >= gst.length || gst[index] == null ? -1 : gst[index].root();
    }

    /** The owner of global segment {@code index}, or -1 if it does not exist. */
    public int owner(int index) {
        return index <= 0 || index >= gst.length || gst[index] == null ? -1 : gst[index].owner();
    }

    /** Why the last load or access failed. */
    public String lastFault() {
        return lastFault;
    }

    /** How many register loads were made (each a {@link Primitive#MOV_SEG}). */
    public long loads() {
        return loads;
    }

    /** The MMU that walks and caches the segments' translations. */
    public Mmu mmu() {
        return mmu;
    }
}
