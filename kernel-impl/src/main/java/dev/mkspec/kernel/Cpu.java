package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.Cache;
import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.Mmu;
import dev.mkspec.hw.Mode;
import dev.mkspec.hw.PageWalker;
import dev.mkspec.hw.Primitive;
import dev.mkspec.hw.SegmentDescriptor;
import dev.mkspec.hw.Segmentation;

/**
 * One simulated CPU as the kernel sees it: the profile's MMU and TLBs, a first-level cache
 * model, and the meter every step is charged to. Each operation here is one hardware action and
 * charges exactly its own cost: {@link #run} prices a path's instructions and fetches its code
 * through the ITLB and instruction cache; {@link #read} and {@link #write} go through the DTLB
 * and data cache; a TLB miss charges each page-walk read (through the data cache, as x86 walks
 * do) or a second-level TLB hit. Package-private: the kernel's machine interface.
 */
final class Cpu {
    /** The CPU's number on the machine (0 is the boot CPU). */
    final int index;
    private final CpuProfile profile;
    private final Mmu mmu;
    private final PageWalker walker;
    private final Cache icache;
    private final Cache dcache;
    private final CycleMeter meter;
    private final long kernelCode;
    private final long userCode;
    private final int lineBytes;
    private final double walkStep;
    private final double cacheMiss;
    private final double stlbHit;
    /** Sees every charge this CPU makes, for the cost audit of the tests; null otherwise. */
    Audit audit;
    /**
     * l4-small: the CPU's segmentation, through which every user-mode access goes before paging;
     * null in the other designs, whose flat segments change no address.
     */
    Segmentation segmentation;
    /** l4-small: the user code segment the last return frame named (IRET loads it into CS). */
    private SegmentDescriptor userSegment;
    /** The reason of the last user access that failed its segment check, or null. */
    private String segmentFault;

    /**
     * What a cost audit sees of a CPU: each hardware action charged through this class, in order,
     * with the phase of the meter it is charged to. These are all the kernel's charges but the
     * walks of {@link UserMemory#copyUser}'s temporary mappings, which it charges to the meter
     * itself, once per page a copy crosses.
     */
    interface Audit {
        /** One charged action: {@code kind} names it; {@code path}, {@code address} and {@code bytes} say what it touched, where they apply. */
        void charged(Cpu cpu, Charge kind, Path path, long address, int bytes, Access access, String phase);
    }

    /** The kinds of charged action. */
    enum Charge {
        RUN, TOUCH, PHYSICAL, ENTER, EXIT, CR3, INVALIDATE, IPI_SEND, IPI_RECEIVE, SHOOTDOWN_INVALIDATE, SPIN, COPY, SEGMENTS
    }

    private void audit(Charge kind, Path path, long address, int bytes, Access access) {
        if (audit != null) {
            audit.charged(this, kind, path, address, bytes, access, meter.currentLabel());
        }
    }

    /** CPU {@code index} of a machine, over {@code mmu} (its TLBs and control registers). */
    Cpu(int index, CpuProfile profile, Mmu mmu, CycleMeter meter, long kernelCode, long userCode) {
        this.index = index;
        this.profile = profile;
        this.mmu = mmu;
        this.walker = mmu.walker();
        this.dcache = new Cache(profile.l1d());
        this.icache = profile.l1i() == null ? dcache : new Cache(profile.l1i());
        this.meter = meter;
        this.kernelCode = kernelCode;
        this.userCode = userCode;
        this.lineBytes = icache.config().lineBytes();
        this.walkStep = profile.cycles(Primitive.WALK_STEP);
        this.cacheMiss = profile.cycles(Primitive.CACHE_MISS);
        this.stlbHit = profile.prices(Primitive.STLB_HIT) ? profile.cycles(Primitive.STLB_HIT) : 0;
    }

    Mmu mmu() {
        return mmu;
    }

    CpuProfile profile() {
        return profile;
    }

    CycleMeter meter() {
        return meter;
    }

    Cache dcache() {
        return dcache;
    }

    Cache icache() {
        return icache;
    }

    /**
     * Executes {@code path}: prices its instruction mix and fetches every line of its code. Its
     * instructions are kernel or user instructions, but for those of the paths that switch segments
     * between spaces ({@link Path#addressSpaceSwitch()}), which are the address-space switch (as
     * the CR3 write is).
     */
    void run(Path path) {
        audit(Charge.RUN, path, 0, 0, null);
        Mode mode = path.kernel() ? Mode.SUPERVISOR : Mode.USER;
        long base = (path.kernel() ? kernelCode : userCode) + path.codeOffset();
        long end = base + path.codeBytes();
        for (long a = base & -lineBytes; a < end; a += lineBytes) {
            long pa = translate(a, Access.EXECUTE, mode);
            if (!icache.access(pa)) {
                miss();
            }
        }
        priceInstructions(path, path.addressSpaceSwitch() ? CostCategory.AS_SWITCH
                : path.kernel() ? CostCategory.KERNEL : CostCategory.USER);
    }

    /** A data read of {@code vaddr}: the DTLB, then the data cache. */
    void read(long vaddr, Mode mode) {
        data(vaddr, Access.READ, mode);
    }

    /** A data write of {@code vaddr}. */
    void write(long vaddr, Mode mode) {
        data(vaddr, Access.WRITE, mode);
    }

    /** Touches {@code bytes} bytes from {@code vaddr}, one access per cache line. */
    void touch(long vaddr, int bytes, Access access, Mode mode) {
        audit(Charge.TOUCH, null, vaddr, bytes, access);
        long end = vaddr + Math.max(bytes, 1);
        for (long a = vaddr & -(long) dcache.config().lineBytes(); a < end; a += dcache.config().lineBytes()) {
            data(a, access, mode);
        }
    }

    private void data(long vaddr, Access access, Mode mode) {
        long pa = translate(vaddr, access, mode);
        if (!dcache.access(pa)) {
            miss();
        }
    }

    /** A user-mode access that may fault: false (and no cache access) if it does. */
    boolean userAccess(long vaddr, Access access) {
        long pa = translateOrFault(vaddr, access, Mode.USER);
        if (pa == Mmu.FAULT) {
            return false;
        }
        if (!dcache.access(pa)) {
            miss();
        }
        return true;
    }

    /**
     * A kernel access to a physical address through its physical-memory window (page-table
     * entries, mapping-database frames). The window is assumed to be covered by large, global
     * TLB entries that stay resident, so only the cache is simulated.
     */
    void physical(long paddr) {
        audit(Charge.PHYSICAL, null, paddr, 8, null);
        if (!dcache.access(paddr)) {
            miss();
        }
    }

    private void miss() {
        meter.charge(CostCategory.CACHE, cacheMiss);
        meter.countCacheMiss();
    }

    private long translate(long vaddr, Access access, Mode mode) {
        long pa = translateOrFault(vaddr, access, mode);
        if (pa == Mmu.FAULT) {
            throw new IllegalStateException("K-8 (every address a kernel path or a measured user path touches is mapped): "
                    + (segmentFault != null ? segmentFault : mmu.lastFault()) + " at " + Long.toHexString(vaddr));
        }
        return pa;
    }

    /**
     * The linear address of a user-mode access to {@code offset}: through CS for a fetch, DS
     * otherwise, with the hidden limit and type checks; -1 (reason in {@link #segmentFault}) if
     * they fail. The offset itself without segmentation.
     */
    long linear(long offset, Access access) {
        segmentFault = null;
        if (segmentation == null) {
            return offset;
        }
        if (access == Access.EXECUTE) {
            if (offset < 0 || offset > userSegment.effectiveLimit()) {
                segmentFault = "#GP(0): a fetch at " + Long.toHexString(offset) + " beyond CS's limit "
                        + Long.toHexString(userSegment.effectiveLimit());
                return -1;
            }
            return userSegment.base() + offset;
        }
        long l = segmentation.linear(Segmentation.Register.DS, offset, 1, access);
        if (l < 0) {
            segmentFault = segmentation.lastFault().toString();
        }
        return l;
    }

    /** What user mode's DS holds now (its hidden part), or null without segmentation. */
    SegmentDescriptor userData() {
        return segmentation == null ? null : segmentation.hidden(Segmentation.Register.DS);
    }

    /** What user mode's CS will be (the return frame's code segment), or null without segmentation. */
    SegmentDescriptor userCode() {
        return userSegment;
    }

    /**
     * l4-small: loads DS and ES with {@code dataSelector} (two MOV to a segment register, each
     * reading the GDT) and names {@code code} as the return frame's CS (IRET loads it, and SS,
     * within the exit's own cost).
     */
    void loadUserSegments(int dataSelector, SegmentDescriptor code) {
        audit(Charge.SEGMENTS, null, dataSelector, 0, null);
        for (Segmentation.Register r : new Segmentation.Register[] {Segmentation.Register.DS, Segmentation.Register.ES}) {
            if (!segmentation.load(r, dataSelector)) {
                throw new IllegalStateException("the kernel's own segment load faulted: " + segmentation.lastFault());
            }
            meter.charge(CostCategory.AS_SWITCH, profile.cycles(Primitive.MOV_SEG));
        }
        userSegment = code;
    }

    /**
     * vst: a user access to {@code offset} through the VST MMU's register {@code reg}, with its TLB
     * and walk charged as {@link #translateOrFault} charges them (the TLB tag is the global segment
     * index). The walk base the access set is put back: CR3 still holds the space's tables.
     *
     * @return the physical address, or {@link Mmu#FAULT} with the reason in {@code v.lastFault()}
     */
    long vstTranslate(dev.mkspec.hw.VstMmu v, int reg, long offset, Access access) {
        long base = mmu.registers().tableBase;
        int pcid = mmu.registers().pcid;
        long walks = walker.walks();
        long l2 = mmu.l2Hits();
        long pa = v.translate(reg, offset, access);
        account(walks, l2);
        mmu.writeCr3(base, pcid, true);
        return pa < 0 ? Mmu.FAULT : pa;
    }

    /** vst: runs the user path {@code path} with its code fetched through the VST code segment in {@code reg}. */
    void runInSegment(dev.mkspec.hw.VstMmu v, int reg, Path path) {
        audit(Charge.RUN, path, 0, 0, null);
        long base = path.codeOffset();
        long end = base + path.codeBytes();
        for (long a = base & -lineBytes; a < end; a += lineBytes) {
            long pa = vstTranslate(v, reg, a, Access.EXECUTE);
            if (pa == Mmu.FAULT) {
                throw new IllegalStateException("K-8 (every address a measured user path touches is mapped): " + v.lastFault()
                        + " fetching " + path + " at offset " + Long.toHexString(a));
            }
            if (!icache.access(pa)) {
                miss();
            }
        }
        priceInstructions(path, CostCategory.USER);
    }

    /** Charges {@code path}'s instruction mix, priced by the profile, to {@code category}. */
    private void priceInstructions(Path path, CostCategory category) {
        Instr i = path.instr();
        double seg = 0;
        // Segment loads are what a 32-bit kernel's entry and exit do; a 64-bit kernel keeps flat
        // segments across SYSCALL and SYSRET (only GS is swapped), so they cost nothing there.
        if (i.segmentLoads() > 0 && profile.paging() == dev.mkspec.hw.PagingMode.X86_32) {
            if (!profile.prices(Primitive.MOV_SEG)) {
                throw new IllegalStateException(path + " loads segment registers, and the " + profile.name()
                        + " profile has no cost for " + Primitive.MOV_SEG.key() + "; add it under \"primitives\" with its source");
            }
            seg = i.segmentLoads() * profile.cycles(Primitive.MOV_SEG);
        }
        meter.charge(category, instructionCycles(i, profile) + seg);
        meter.countInstructions(i.total());
    }

    /**
     * A path's instructions but its segment loads, priced by {@code profile}. Each declared
     * multi-clock instruction costs its own price where the profile gives one (else its class's)
     * and each stall its price (else nothing); the other simple instructions cost their class's,
     * less the share that issues in the V pipe beside another on a dual-issue CPU (the path's
     * declared count, which by rule M1 of docs/cycles/pentium-pairing.md holds no multi-clock
     * instruction, or else the profile's assumed share).
     */
    static double instructionCycles(Instr i, CpuProfile profile) {
        double alu = profile.cycles(Primitive.ALU);
        double load = profile.cycles(Primitive.LOAD);
        double store = profile.cycles(Primitive.STORE);
        double branch = profile.cycles(Primitive.BRANCH);
        double notTaken = profile.prices(Primitive.BRANCH_NOT_TAKEN) ? profile.cycles(Primitive.BRANCH_NOT_TAKEN) : branch;
        double simple = i.alu() * alu + i.load() * load + i.store() * store + i.takenBranches() * branch
                + (i.branch() - i.takenBranches()) * notTaken;
        double slow = 0;
        for (java.util.Map.Entry<MultiClock, Integer> e : i.multiClock().entrySet()) {
            double classPrice = switch (e.getKey().base()) {
                case ALU -> alu;
                case LOAD -> load;
                case STORE -> store;
                case BRANCH -> branch; // a RET, an indirect branch or a LOOP is among the taken ones (Instr checks it)
                case NONE -> 0;
            };
            simple -= e.getValue() * e.getKey().width() * classPrice;
            Primitive own = e.getKey().primitive();
            slow += e.getValue() * (profile.prices(own) ? profile.cycles(own) : e.getKey().width() * classPrice);
        }
        int paired = i.simple() - i.multiClockInstructions();
        boolean dualIssue = profile.prices(Primitive.PAIRING);
        double share = !dualIssue ? 0 : i.vPipe() != Instr.UNDECLARED ? (paired > 0 ? (double) i.vPipe() / paired : 0)
                : profile.cycles(Primitive.PAIRING);
        return simple * (1 - share) + slow;
    }

    /** vst: a user data access of {@code bytes} at {@code offset} through register {@code reg}; false if it faults. */
    boolean segmentAccess(dev.mkspec.hw.VstMmu v, int reg, long offset, int bytes, Access access) {
        audit(Charge.TOUCH, null, offset, bytes, access);
        long end = offset + Math.max(bytes, 1);
        for (long a = offset & -(long) dcache.config().lineBytes(); a < end; a += dcache.config().lineBytes()) {
            long pa = vstTranslate(v, reg, a, access);
            if (pa == Mmu.FAULT) {
                return false;
            }
            if (!dcache.access(pa)) {
                miss();
            }
        }
        return true;
    }

    /** vst: a far call or far return, or a user segment load: the primitive, charged to {@code category}. */
    void segmentPrimitive(Primitive primitive, CostCategory category) {
        audit(Charge.SEGMENTS, null, 0, 0, null);
        meter.charge(category, profile.cycles(primitive));
    }

    private void account(long walks, long l2) {
        if (walker.walks() != walks) {
            meter.countWalk();
            int n = walker.lastWalkLength();
            double c = n * walkStep;
            for (int i = 0; i < n; i++) {
                if (!dcache.access(walker.lastWalkAddress(i))) {
                    c += cacheMiss;
                }
            }
            meter.charge(CostCategory.TLB, c);
        } else if (mmu.l2Hits() != l2) {
            meter.charge(CostCategory.TLB, stlbHit);
        }
    }

    private long translateOrFault(long vaddr, Access access, Mode mode) {
        if (mode == Mode.USER && segmentation != null) {
            long l = linear(vaddr, access);
            if (l < 0) {
                return Mmu.FAULT;
            }
            vaddr = l;
        }
        long walks = walker.walks();
        long l2 = mmu.l2Hits();
        long pa = mmu.translate(vaddr, access, mode);
        account(walks, l2);
        return pa;
    }

    /** The hardware's kernel entry. */
    void enter() {
        audit(Charge.ENTER, null, 0, 0, null);
        meter.charge(CostCategory.TRAP, profile.cycles(profile.entry().enter()));
    }

    /** The hardware's return to user mode. */
    void exit() {
        audit(Charge.EXIT, null, 0, 0, null);
        meter.charge(CostCategory.TRAP, profile.cycles(profile.entry().exit()));
    }

    /** MOV to CR3, charged to {@code category}; with PCIDs, {@code noFlush} keeps the new PCID's entries. */
    void writeCr3(long root, int pcid, boolean noFlush, CostCategory category) {
        audit(Charge.CR3, null, root, 0, null);
        meter.charge(category, profile.cycles(Primitive.MOV_CR3));
        if (mmu.registers().pcidEnable) {
            mmu.writeCr3(root, pcid, noFlush);
        } else {
            mmu.writeCr3(root);
        }
    }

    /** Drops the translation of {@code vaddr} in {@code pcid} (INVLPG, or INVPCID for another PCID). */
    void invalidate(long vaddr, int pcid) {
        audit(Charge.INVALIDATE, null, vaddr, 0, null);
        meter.charge(CostCategory.AS_SWITCH, profile.cycles(Primitive.INVLPG));
        if (!mmu.registers().pcidEnable) {
            mmu.invlpg(vaddr);
        } else if (mmu.registers().pcid == pcid) {
            mmu.invlpg(vaddr);
        } else {
            mmu.invpcid(0, pcid, vaddr);
        }
    }

    /** Drops every non-global entry of {@code pcid} (INVPCID type 1), priced like one INVLPG. */
    void invalidatePcid(int pcid) {
        audit(Charge.INVALIDATE, null, -1, 0, null);
        meter.charge(CostCategory.AS_SWITCH, profile.cycles(Primitive.INVLPG));
        mmu.invpcid(1, pcid, 0);
    }

    /** Sends one IPI (the write of the local APIC's interrupt command register). */
    void sendIpi() {
        audit(Charge.IPI_SEND, null, 0, 0, null);
        meter.charge(CostCategory.SHOOTDOWN, profile.cycles(Primitive.IPI_SEND));
    }

    /** Takes one IPI: delivery, interrupt gate, end of interrupt and IRET. */
    void receiveIpi() {
        audit(Charge.IPI_RECEIVE, null, 0, 0, null);
        meter.charge(CostCategory.SHOOTDOWN, profile.cycles(Primitive.IPI_RECEIVE));
    }

    /** One INVLPG (or INVPCID) that a shootdown's target executes. */
    void invalidateForShootdown() {
        audit(Charge.SHOOTDOWN_INVALIDATE, null, 0, 0, null);
        meter.charge(CostCategory.SHOOTDOWN, profile.cycles(Primitive.INVLPG));
    }

    /** The initiator spins for {@code cycles} until the last acknowledgement arrives. */
    void spin(double cycles) {
        audit(Charge.SPIN, null, 0, 0, null);
        meter.charge(CostCategory.SHOOTDOWN, cycles);
    }

    /** A string copy of {@code words} machine words (its memory accesses are touched by the caller). */
    void copy(long words) {
        audit(Charge.COPY, null, 0, (int) Math.min(Integer.MAX_VALUE, words), null);
        meter.charge(CostCategory.COPY, profile.cycles(Primitive.COPY_STARTUP) + words * profile.cycles(Primitive.COPY_PER_WORD));
    }
}
