package dev.mkspec.refinement.tlb;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.Machine;
import dev.mkspec.hw.Mmu;
import dev.mkspec.hw.MmuConfig;
import dev.mkspec.hw.Mode;
import dev.mkspec.hw.PageTables;
import dev.mkspec.hw.PagingMode;
import dev.mkspec.hw.PhysicalMemory;
import dev.mkspec.hw.Pte;
import dev.mkspec.hw.Replacement;
import dev.mkspec.hw.Tlb;
import dev.mkspec.hw.TlbConfig;
import dev.mkspec.hw.Translation;
import dev.mkspec.model.tlb.TlbConstants;
import dev.mkspec.model.tlb.TlbState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A kernel that follows the shootdown and ASID protocol of {@code Tlb.tla} on the simulated
 * hardware: real page tables in physical memory, real TLBs on several CPUs (PCID-tagged on x86-64,
 * untagged on x86-32), IPIs through {@link Machine}. It keeps the same bookkeeping the spec's kernel
 * keeps (frame owners, ASIDs, mayCache, the shootdown in progress), and {@link #abstraction} reads
 * the whole machine as a state of the abstract model.
 *
 * <p>Each public step is one atomic step of the kernel or one memory access; a step that is not
 * enabled (an unmap of an empty page, an ack with no IPI waiting) does nothing and returns false.
 */
final class ProtocolKernel {
    /** A deliberate mistake, to show that the checks notice a missing invalidation. */
    enum Bug {
        NONE,
        /** The CPU that unmaps or downgrades does not invalidate its own TLB. */
        SKIP_LOCAL_INVLPG,
        /** The shootdown IPI goes only to CPUs running the space now. */
        IPI_ONLY_RUNNING
    }

    static final long USER_BASE = 0x0040_0000L;

    final TlbConstants k;
    final Machine machine;
    final Bug bug;
    private final PageTables[] tables;
    private final long[] frameAddress;
    private final int[] owner;
    private final int[] running;
    private final int[] asid;
    private final int[] mayCache;
    private TlbState.Shootdown shootdown;
    private Machine.Shootdown inFlight;

    /**
     * @param k the abstract constants: CPUs, spaces, pages, frames, tagged, ASIDs
     * @param tlbEntries entries of each first-level TLB (small, so that replacement happens)
     * @param replacement the TLBs' policy
     * @param split split instruction and data TLBs with a second level, or one unified TLB
     */
    ProtocolKernel(TlbConstants k, int tlbEntries, Replacement replacement, boolean split, long seed, Bug bug) {
        this.k = k;
        this.bug = bug;
        PagingMode mode = k.tagged() ? PagingMode.X86_64 : PagingMode.X86_32;
        TlbConfig l1 = new TlbConfig("L1", tlbEntries, Math.min(2, tlbEntries), replacement, Set.of(12), k.tagged(), seed);
        MmuConfig cfg = split
                ? new MmuConfig(mode, l1, l1.withSeed(seed + 1),
                        new TlbConfig("L2", 2 * tlbEntries, 2, replacement, Set.of(12), k.tagged(), seed + 2))
                : MmuConfig.unified(mode, l1);
        PhysicalMemory mem = new PhysicalMemory(256);
        this.machine = new Machine(mem, cfg, k.cpuCount());
        this.tables = new PageTables[k.spaceCount()];
        for (int s = 0; s < tables.length; s++) {
            tables[s] = new PageTables(mem, mode);
        }
        this.frameAddress = new long[k.frames()];
        for (int f = 0; f < frameAddress.length; f++) {
            frameAddress[f] = (long) mem.allocateFrame() << PhysicalMemory.FRAME_SHIFT;
        }
        this.owner = new int[k.frames()];
        java.util.Arrays.fill(owner, -1);
        this.running = new int[k.cpuCount()];
        java.util.Arrays.fill(running, -1);
        this.asid = new int[k.spaceCount()];
        this.mayCache = new int[k.spaceCount()];
        for (int c = 0; c < k.cpuCount(); c++) {
            machine.cpu(c).writeCr3(tables[0].root(), 0, false);
        }
    }

    static long vaddr(int v) {
        return USER_BASE + ((long) v << PhysicalMemory.FRAME_SHIFT);
    }

    /** The result of an access by CPU c to page v, through its TLBs, and what a TLB-less walk says. */
    record Outcome(Translation viaTlb, Translation walk) {
        boolean agree() {
            return viaTlb.ok() == walk.ok() && (!walk.ok() ? viaTlb.fault().kind() == walk.fault().kind()
                    : viaTlb.physical() == walk.physical());
        }
    }

    /** CPU c reads, writes or fetches from page v of the space it runs; null if it runs none. */
    Outcome access(int c, int v, Access a) {
        if (running[c] < 0) {
            return null;
        }
        Mmu mmu = machine.cpu(c);
        Translation walk = mmu.walkOnly(vaddr(v), a, Mode.USER);
        Translation via = mmu.translation(vaddr(v), a, Mode.USER);
        return new Outcome(via, walk);
    }

    /** Whether the shootdown in progress covers page v of the space CPU c runs. */
    boolean inShootdownWindow(int c, int v) {
        return shootdown != null && shootdown.space() == running[c] && shootdown.vp() == v;
    }

    boolean map(int s, int v, int f, boolean w) {
        if (shootdown != null || tables[s].lookup(vaddr(v)) != 0 || owner[f] >= 0) {
            return false;
        }
        tables[s].map(vaddr(v), frameAddress[f], 12, Pte.US | (w ? Pte.RW : 0));
        owner[f] = s;
        return true;
    }

    private int tagOf(int s) {
        return k.tagged() ? asid[s] : 0;
    }

    private void startShootdown(int c, int s, int v, long old, boolean unmap) {
        int tag = tagOf(s);
        Mmu mmu = machine.cpu(c);
        if (bug != Bug.SKIP_LOCAL_INVLPG) {
            if (!k.tagged() || mmu.registers().pcid == tag) {
                mmu.invlpg(vaddr(v));
            } else {
                mmu.invpcid(0, tag, vaddr(v));
            }
        }
        int targets = mayCache[s];
        if (bug == Bug.IPI_ONLY_RUNNING) {
            targets = 0;
            for (int d = 0; d < running.length; d++) {
                if (running[d] == s) {
                    targets |= 1 << d;
                }
            }
        }
        targets &= ~(1 << c);
        inFlight = machine.shootdown(c, targets, Machine.Invalidation.PAGE, tag, vaddr(v));
        shootdown = new TlbState.Shootdown(c, s, v, frameOf(old), (old & Pte.RW) != 0, tag, unmap, targets);
    }

    private int frameOf(long pte) {
        long pa = pte & 0x000F_FFFF_FFFF_F000L;
        for (int f = 0; f < frameAddress.length; f++) {
            if (frameAddress[f] == pa) {
                return f;
            }
        }
        throw new IllegalStateException(String.format("a PTE points at %#x, which is no data frame", pa));
    }

    boolean unmap(int c, int s, int v) {
        if (shootdown != null || tables[s].lookup(vaddr(v)) == 0) {
            return false;
        }
        long old = tables[s].unmap(vaddr(v));
        startShootdown(c, s, v, old, true);
        return true;
    }

    boolean downgrade(int c, int s, int v) {
        long old = tables[s].lookup(vaddr(v));
        if (shootdown != null || old == 0 || (old & Pte.RW) == 0) {
            return false;
        }
        tables[s].protect(vaddr(v), Pte.RW);
        startShootdown(c, s, v, old, false);
        return true;
    }

    /** CPU d reaches a step boundary and handles its IPIs. */
    boolean ack(int d) {
        if (shootdown == null || (shootdown.waiting() & (1 << d)) == 0) {
            return false;
        }
        machine.handleIpis(d);
        shootdown = shootdown.withWaiting(shootdown.waiting() & ~(1 << d));
        return true;
    }

    boolean finish() {
        if (shootdown == null || !inFlight.done()) {
            return false;
        }
        if (shootdown.unmap()) {
            owner[shootdown.frame()] = -1;
        }
        shootdown = null;
        inFlight = null;
        return true;
    }

    private int lowestFreeAsid(int[] held) {
        for (int a = 1; a <= k.asids(); a++) {
            boolean used = false;
            for (int h : held) {
                used |= h == a;
            }
            if (!used) {
                return a;
            }
        }
        return 0;
    }

    /** CPU c switches to space s: an ASID, or a rollover, then the CR3 write. */
    boolean switchTo(int c, int s) {
        if (running[c] == s) {
            return false;
        }
        Mmu mmu = machine.cpu(c);
        if (!k.tagged()) {
            if (running[c] >= 0) {
                mayCache[running[c]] &= ~(1 << c);
            }
            mmu.writeCr3(tables[s].root());
            mayCache[s] |= 1 << c;
            running[c] = s;
            return true;
        }
        int a = asid[s] != 0 ? asid[s] : lowestFreeAsid(asid);
        if (a == 0) {
            int[] kept = new int[asid.length];
            for (int d = 0; d < running.length; d++) {
                if (d != c && running[d] >= 0) {
                    kept[running[d]] = asid[running[d]];
                }
            }
            a = lowestFreeAsid(kept);
            if (a == 0) {
                return false;
            }
            // A new generation: the initiator flushes every TLB (a broadcast it waits for).
            for (int d = 0; d < running.length; d++) {
                machine.cpu(d).invpcid(3, 0, 0);
            }
            System.arraycopy(kept, 0, asid, 0, asid.length);
            asid[s] = a;
            running[c] = s;
            java.util.Arrays.fill(mayCache, 0);
            for (int d = 0; d < running.length; d++) {
                if (running[d] >= 0) {
                    mayCache[running[d]] |= 1 << d;
                }
            }
        } else {
            asid[s] = a;
            running[c] = s;
            mayCache[s] |= 1 << c;
        }
        mmu.writeCr3(tables[s].root(), a, true);
        return true;
    }

    /** The abstraction function: the machine read as a state of the abstract TLB model. */
    TlbState abstraction() {
        int pages = k.pages();
        int[] pt = new int[k.spaceCount() * pages];
        for (int s = 0; s < k.spaceCount(); s++) {
            for (int v = 0; v < pages; v++) {
                long e = tables[s].lookup(vaddr(v));
                pt[s * pages + v] = e == 0 ? -1 : frameOf(e) << 1 | ((e & Pte.RW) != 0 ? 1 : 0);
            }
        }
        long[] tlb = new long[k.cpuCount()];
        int[] active = new int[k.cpuCount()];
        for (int c = 0; c < k.cpuCount(); c++) {
            Mmu mmu = machine.cpu(c);
            active[c] = k.tagged() && running[c] >= 0 ? mmu.registers().pcid : 0;
            for (Tlb t : tlbsOf(mmu)) {
                for (int i = 0; i < t.capacity(); i++) {
                    if (t.valid(i)) {
                        int v = (int) ((t.virtualPage(i) - USER_BASE) >> PhysicalMemory.FRAME_SHIFT);
                        tlb[c] |= 1L << k.entryIndex(t.pcid(i), v, frameOf(t.physicalBase(i)), t.writable(i));
                    }
                }
            }
        }
        return TlbState.of(pt, owner, tlb, running, active, asid, mayCache, shootdown);
    }

    private static List<Tlb> tlbsOf(Mmu mmu) {
        List<Tlb> out = new ArrayList<>(List.of(mmu.dtlb()));
        if (mmu.itlb() != mmu.dtlb()) {
            out.add(mmu.itlb());
        }
        if (mmu.l2() != null) {
            out.add(mmu.l2());
        }
        return out;
    }
}
