package dev.mkspec.hw;

/**
 * One CPU's MMU: its control registers, its TLBs and its page walker over shared physical memory.
 *
 * <p>{@link #translate} is what a load, store or fetch does: look in the first-level TLB for the
 * access (ITLB for fetches, DTLB otherwise), then in the second level, then walk. A hit is checked
 * against the cached rights exactly as the walk checks the tables; a cached entry that forbids the
 * access raises the fault and is dropped, as x86 does (a later access walks again). A write
 * through an entry cached while the page was clean walks again to set D. A walk fills the second
 * level and the first, when they hold pages of that size.
 *
 * <p>The hit path allocates nothing: {@code translate} returns a primitive physical address, or
 * {@link #FAULT} with the fault in {@link #lastFault()}. Not thread-safe: one per CPU.
 */
public final class Mmu {
    /** What {@link #translate} returns on a fault. */
    public static final long FAULT = -1;

    private final MmuConfig config;
    private final PhysicalMemory memory;
    private final ControlRegisters cr = new ControlRegisters();
    private final PageWalker walker;
    private final Tlb itlb;
    private final Tlb dtlb;
    private final Tlb l2;
    private PageFault lastFault;
    private long l2Hits;
    private long dirtyAssists;

    public Mmu(MmuConfig config, PhysicalMemory memory) {
        this.config = config;
        this.memory = memory;
        this.walker = new PageWalker(memory, config.paging());
        this.dtlb = new Tlb(config.dtlb());
        this.itlb = config.itlb() == null ? dtlb : new Tlb(config.itlb());
        this.l2 = config.l2() == null ? null : new Tlb(config.l2());
        cr.pcidEnable = config.tagged();
    }

    public MmuConfig config() {
        return config;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    /** The control registers; CR3 changes go through {@link #writeCr3}. */
    public ControlRegisters registers() {
        return cr;
    }

    public PageWalker walker() {
        return walker;
    }

    public Tlb itlb() {
        return itlb;
    }

    public Tlb dtlb() {
        return dtlb;
    }

    /** The second-level TLB, or null. */
    public Tlb l2() {
        return l2;
    }

    /**
     * Translates {@code vaddr} for {@code access} in {@code mode}.
     *
     * @return the physical address, or {@link #FAULT} with the fault in {@link #lastFault()}
     */
    public long translate(long vaddr, Access access, Mode mode) {
        Tlb first = access == Access.EXECUTE ? itlb : dtlb;
        int p = cr.pcid;
        int i = first.lookup(vaddr, p);
        if (i >= 0) {
            return fromEntry(first, i, vaddr, access, mode);
        }
        if (l2 != null) {
            int j = l2.lookup(vaddr, p);
            if (j >= 0) {
                l2Hits++;
                int k = first.fill(vaddr, l2.pageShift(j), l2.physicalBase(j), l2.writable(j), l2.user(j),
                        l2.noExecute(j), l2.global(j), l2.dirty(j), p);
                return k >= 0 ? fromEntry(first, k, vaddr, access, mode) : fromEntry(l2, j, vaddr, access, mode);
            }
        }
        return walkAndFill(first, vaddr, access, mode);
    }

    private long fromEntry(Tlb tlb, int i, long vaddr, Access access, Mode mode) {
        FaultKind denied = null;
        if (mode == Mode.USER && !tlb.user(i)) {
            denied = FaultKind.USER_TO_SUPERVISOR;
        } else if (access == Access.WRITE && !tlb.writable(i) && (mode == Mode.USER || cr.writeProtect)) {
            denied = FaultKind.WRITE_PROTECTED;
        } else if (access == Access.EXECUTE && tlb.noExecute(i)) {
            denied = FaultKind.NO_EXECUTE;
        }
        if (denied != null) {
            invalidateEverywhere(vaddr, cr.pcid);
            lastFault = new PageFault(denied, 0, vaddr, access, mode);
            return FAULT;
        }
        if (access == Access.WRITE && !tlb.dirty(i)) {
            dirtyAssists++;
            return walkAndFill(tlb, vaddr, access, mode);
        }
        return tlb.physical(i, vaddr);
    }

    private long walkAndFill(Tlb first, long vaddr, Access access, Mode mode) {
        if (!walker.walk(cr, vaddr, access, mode)) {
            lastFault = new PageFault(walker.faultKind, walker.faultLevel, vaddr, access, mode);
            return FAULT;
        }
        int p = cr.pcid;
        if (l2 != null) {
            l2.fill(vaddr, walker.pageShift, walker.physicalBase, walker.writable, walker.user, walker.noExecute,
                    walker.global, walker.dirty, p);
        }
        first.fill(vaddr, walker.pageShift, walker.physicalBase, walker.writable, walker.user, walker.noExecute,
                walker.global, walker.dirty, p);
        return walker.physical(vaddr);
    }

    /** The fault of the last {@link #translate} that returned {@link #FAULT}. */
    public PageFault lastFault() {
        return lastFault;
    }

    /** {@link #translate}, as a value. Allocates; for tests and traces. */
    public Translation translation(long vaddr, Access access, Mode mode) {
        long pa = translate(vaddr, access, mode);
        if (pa == FAULT) {
            return Translation.of(lastFault);
        }
        int shift = 12;
        boolean writable = false;
        Tlb first = access == Access.EXECUTE ? itlb : dtlb;
        int i = first.find(vaddr, cr.pcid);
        if (i >= 0) {
            shift = first.pageShift(i);
            writable = first.writable(i);
        } else {
            shift = walker.pageShift;
            writable = walker.writable;
        }
        return Translation.of(pa, shift, writable);
    }

    /**
     * The translation a TLB-less MMU would give: a fresh walk of the current tables, which sets A
     * and D as the hardware would but touches no TLB.
     */
    public Translation walkOnly(long vaddr, Access access, Mode mode) {
        if (!walker.walk(cr, vaddr, access, mode)) {
            return Translation.of(new PageFault(walker.faultKind, walker.faultLevel, vaddr, access, mode));
        }
        return Translation.of(walker.physical(vaddr), walker.pageShift, walker.writable);
    }

    /**
     * MOV to CR4, for the bits a kernel sets at boot: PGE (global pages survive CR3 writes) and
     * PCIDE (CR3 carries a PCID that tags TLB entries).
     */
    public void writeCr4(boolean globalPages, boolean pcidEnable) {
        cr.globalPages = globalPages;
        cr.pcidEnable = pcidEnable;
    }

    /**
     * What a user-mode data access to {@code vaddr} would use now, changing nothing: the
     * first-level data TLB's entry under the current PCID, else the second-level TLB's, else the
     * leaf of the tables CR3 points at (read without setting accessed or dirty bits). Refinement
     * checks compare it with the abstract mapping.
     */
    public Probe probe(long vaddr) {
        int p = cr.pcid;
        int i = dtlb.find(vaddr, p);
        if (i >= 0) {
            return Probe.of(dtlb, i, vaddr);
        }
        if (l2 != null) {
            int j = l2.find(vaddr, p);
            if (j >= 0) {
                return Probe.of(l2, j, vaddr);
            }
        }
        PagingMode mode = config.paging();
        long e = PageTables.lookup(memory, mode, cr.tableBase, vaddr);
        if ((e & Pte.P) == 0) {
            return Probe.NONE;
        }
        return new Probe(true, (e & mode.addressMask()) >>> 12, (e & Pte.RW) != 0, (e & Pte.US) != 0,
                mode == PagingMode.X86_64 && cr.noExecuteEnable && (e & Pte.NX) != 0, "page tables");
    }

    /**
     * The entries of the TLBs tagged {@code pcid} that translate {@code vaddr}, changing nothing:
     * what a space running under that PCID would use before any walk.
     */
    public java.util.List<Probe> cached(long vaddr, int pcid) {
        java.util.List<Probe> out = new java.util.ArrayList<>(2);
        for (Tlb t : l2 == null ? java.util.List.of(dtlb) : java.util.List.of(dtlb, l2)) {
            int i = t.find(vaddr, pcid);
            if (i >= 0) {
                out.add(Probe.of(t, i, vaddr));
            }
        }
        return out;
    }

    /**
     * MOV to CR3. Without PCIDE every non-global entry is flushed. With PCIDE the new PCID is
     * {@code pcid}, and its non-global entries are flushed unless {@code noFlush} (CR3 bit 63).
     */
    public void writeCr3(long tableBase, int pcid, boolean noFlush) {
        if (!cr.pcidEnable && (pcid != 0 || noFlush)) {
            throw new IllegalArgumentException("PCID " + pcid + (noFlush ? " with the no-flush bit" : "")
                    + " loaded into CR3, but CR4.PCIDE is clear (the TLBs are untagged)");
        }
        if (pcid < 0 || pcid > 0xFFF) {
            throw new IllegalArgumentException("a PCID has 12 bits: 0..4095, not " + pcid);
        }
        cr.tableBase = tableBase & config.paging().addressMask();
        cr.pcid = pcid;
        if (!cr.pcidEnable) {
            forEachTlb(Tlb::flushNonGlobal);
        } else if (!noFlush) {
            forEachTlb(t -> t.flushPcid(pcid));
        }
    }

    /** MOV to CR3 without PCIDs. */
    public void writeCr3(long tableBase) {
        writeCr3(tableBase, 0, false);
    }

    /** INVLPG: drops the translations of {@code vaddr} in the current PCID and its global ones, in every TLB. */
    public void invlpg(long vaddr) {
        invalidateEverywhere(vaddr, cr.pcid);
    }

    private void invalidateEverywhere(long vaddr, int p) {
        itlb.invalidatePage(vaddr, p);
        if (dtlb != itlb) {
            dtlb.invalidatePage(vaddr, p);
        }
        if (l2 != null) {
            l2.invalidatePage(vaddr, p);
        }
    }

    /**
     * INVPCID of the given type: 0 one address in {@code pcid} (globals spared), 1 all of
     * {@code pcid} but globals, 2 everything, 3 everything but globals.
     */
    public void invpcid(int type, int pcid, long vaddr) {
        if (!cr.pcidEnable && (type == 0 || type == 1) && pcid != 0) {
            throw new IllegalArgumentException("INVPCID type " + type + " with PCID " + pcid + " but PCIDs are off");
        }
        switch (type) {
            case 0 -> forEachTlb(t -> t.invalidatePagePcid(vaddr, pcid));
            case 1 -> forEachTlb(t -> t.flushPcid(pcid));
            case 2 -> forEachTlb(Tlb::flushAll);
            case 3 -> forEachTlb(Tlb::flushNonGlobal);
            default -> throw new IllegalArgumentException("INVPCID type " + type + " does not exist (0..3); #GP");
        }
    }

    /** Drops every entry of every TLB, global ones included (as toggling CR4.PGE does). */
    public void flushAll() {
        forEachTlb(Tlb::flushAll);
    }

    private void forEachTlb(java.util.function.Consumer<Tlb> op) {
        op.accept(itlb);
        if (dtlb != itlb) {
            op.accept(dtlb);
        }
        if (l2 != null) {
            op.accept(l2);
        }
    }

    /** First-level hits over both first-level TLBs. */
    public long hits() {
        return dtlb == itlb ? dtlb.hits() : dtlb.hits() + itlb.hits();
    }

    /** First-level misses over both first-level TLBs. */
    public long misses() {
        return dtlb == itlb ? dtlb.misses() : dtlb.misses() + itlb.misses();
    }

    /** First-level misses that the second level satisfied. */
    public long l2Hits() {
        return l2Hits;
    }

    /** Writes through a clean cached entry that walked again to set D. */
    public long dirtyAssists() {
        return dirtyAssists;
    }

    /** Page-table entries read by walks, over all levels. */
    public long walkSteps() {
        return walker.references();
    }
}
