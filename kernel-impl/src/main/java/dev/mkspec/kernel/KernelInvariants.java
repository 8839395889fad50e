package dev.mkspec.kernel;

import dev.mkspec.hw.Mmu;
import dev.mkspec.hw.PageTables;
import dev.mkspec.hw.Pte;
import dev.mkspec.hw.Tlb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's structural invariants, checked against its concrete state: the mapping
 * database, the page tables in simulated memory, the TLBs, and the thread queues. Each has an
 * ID that messages and the README use.
 *
 * <ul>
 *   <li>K-1: the mapping database is a forest whose roots are exactly Sigma0's mappings, with
 *       parent and child links that agree.
 *   <li>K-2: a derived mapping has its parent's frame and no right its parent lacks, and no
 *       mapping has empty rights.
 *   <li>K-3: every present user PTE of every space is exactly a mapping-database node (same
 *       frame, rights), and every node has its PTE: no thread can reach a frame that has no
 *       derivation from Sigma0.
 *   <li>K-4: every space maps the kernel exactly as the kernel's own tables do, supervisor-only.
 *   <li>K-5: no TLB entry of any CPU grants more than the page tables of its space do now,
 *       unless a shootdown in progress will remove it (its IPI still waits on that CPU). In vst an
 *       entry tagged with a global segment index is held against that segment's tables.
 *   <li>K-6: thread states and queues agree: each CPU's ready queue holds exactly the ready
 *       threads of that CPU, once each, and each CPU runs at most one thread, its own; a sending thread is on its partner's send queue and nowhere else; live
 *       threads belong to live spaces.
 *   <li>K-9 (vst): every segment register of every thread holds a segment its domain's Vst still
 *       names, through the entry it was loaded by, with no right that entry lacks: a revocation
 *       leaves no register behind.
 *   <li>K-7: on every CPU, CR3 holds the running thread's space (its kernel tables). In l4-small,
 *       the user segments the CPU holds are the running space's: a small space's window (CR3 then
 *       holds any live large space's tables), or for a large space base 0 and a limit that ends
 *       below the small-space region.
 * </ul>
 */
public final class KernelInvariants {
    private KernelInvariants() {
    }

    /** The IDs of the invariants {@link #check} checks, each the prefix of its violations' messages. */
    public static final List<String> IDS = List.of("K-1", "K-2", "K-3", "K-4", "K-5", "K-6", "K-7", "K-9");

    /** Every violation, each naming its invariant; empty when the kernel is sound. */
    public static List<String> check(Kernel k) {
        List<String> out = new ArrayList<>();
        mappingDb(k, out);
        pageTables(k, out);
        if (k.smallSpaces() != null) {
            unownedWindows(k, out);
        }
        tlbs(k, out);
        threads(k, out);
        if (k.vstServices() != null) {
            segmentRegisters(k, out);
        }
        for (int c = 0; c < k.cpus(); c++) {
            Tcb cur = k.scheduler(c).current;
            Mmu mmu = k.cpu(c).mmu();
            if (cur != null && k.smallSpaces() != null) {
                smallSpaceSegments(k, c, cur, out);
            } else if (cur != null) {
                long expect = k.config().mitigations() ? -1 : cur.space.tables.root();
                long actual = mmu.registers().tableBase;
                boolean ok = expect == -1 ? actual == cur.space.tables.root()
                        || (cur.space.userTables != null && actual == cur.space.userTables.root()) : actual == expect;
                if (!ok) {
                    out.add("K-7: " + where(k, c) + "CR3 holds " + Long.toHexString(actual) + " but the running thread " + cur.id
                            + " is in " + cur.space.id + " (tables at " + Long.toHexString(cur.space.tables.root()) + ")");
                }
            }
        }
        return out;
    }

    /** K-7 in l4-small: the hardware's segments and CR3 against the running thread's space. */
    private static void smallSpaceSegments(Kernel k, int c, Tcb cur, List<String> out) {
        dev.mkspec.hw.SegmentDescriptor ds = k.cpu(c).userData();
        dev.mkspec.hw.SegmentDescriptor cs = k.cpu(c).userCode();
        long base = cur.space.small() ? SmallSpaces.base(cur.space.window) : 0;
        long limit = cur.space.small() ? Layout.SMALL_WINDOW - 1 : Layout.SMALL_REGION - 1;
        for (dev.mkspec.hw.SegmentDescriptor d : new dev.mkspec.hw.SegmentDescriptor[] {ds, cs}) {
            if (d == null || d.base() != base || d.effectiveLimit() != limit) {
                out.add("K-7: " + where(k, c) + "the user segments give " + (d == null ? "nothing" : "base "
                        + Long.toHexString(d.base()) + " limit " + Long.toHexString(d.effectiveLimit())) + " but the running thread "
                        + cur.id + " is in " + (cur.space.small() ? "small" : "large") + " space " + cur.space.id + " (base "
                        + Long.toHexString(base) + " limit " + Long.toHexString(limit) + ")");
                return;
            }
        }
        long cr3 = k.cpu(c).mmu().registers().tableBase;
        boolean ok = false;
        for (Space s : k.spaceTable()) {
            ok |= s.live && s.tables.root() == cr3 && (cur.space.small() ? !s.small() : s == cur.space);
        }
        if (!ok) {
            out.add("K-7: " + where(k, c) + "CR3 holds " + Long.toHexString(cr3) + " but the running thread " + cur.id
                    + " is in " + cur.space.id + (cur.space.small() ? ", which needs any live large space's tables" : ""));
        }
    }

    /** K-9: each loaded segment register against the Vst entry it was loaded through. */
    private static void segmentRegisters(Kernel k, List<String> out) {
        dev.mkspec.hw.VstMmu v = k.vstServices().mmu;
        for (Tcb t : k.tcbs()) {
            for (int reg : new int[] {VstServices.code(t), VstServices.data(t)}) {
                int[] r = v.register(reg);
                if (r == null) {
                    continue;
                }
                int[] e = v.entry(r[2], r[3]);
                boolean rightsOk = e != null && (reg == VstServices.code(t) ? (e[1] & dev.mkspec.hw.VstMmu.CALL) != 0
                        : (r[1] & ~e[1]) == 0);
                if (!t.live() || e == null || e[0] != r[0] || !rightsOk) {
                    out.add("K-9: " + (t.live() ? t.id : "dead slot " + t.id.number()) + "'s " + (reg == VstServices.code(t)
                            ? "code" : "data") + " segment register holds global segment " + r[0] + " loaded through domain "
                            + r[2] + "'s selector " + r[3] + ", which " + (e == null ? "names nothing now" : "names segment "
                            + e[0] + " with rights " + e[1]));
                }
            }
        }
    }

    /** Throws {@link IllegalStateException} listing the violations, if any. */
    public static void assertHolds(Kernel k) {
        List<String> v = check(k);
        if (!v.isEmpty()) {
            throw new IllegalStateException(String.join("\n", v));
        }
    }

    private static void mappingDb(Kernel k, List<String> out) {
        int count = 0;
        for (Iterator<MdbNode> it = k.allNodes(); it.hasNext(); ) {
            MdbNode n = it.next();
            count++;
            if (!k.nodeSlots().get(n.slot)) {
                out.add("K-1: node " + n + " is in its space but its slot is free");
            }
            if (n.parent == null) {
                if (n.space != k.sigma0()) {
                    out.add("K-1: node " + n + " has no parent but is not Sigma0's");
                }
            } else {
                if (!n.parent.children.contains(n)) {
                    out.add("K-1: node " + n + " is not among its parent's children");
                }
                if (!n.parent.space.live || n.parent.space.nodes.get(n.parent.vpage) != n.parent) {
                    out.add("K-1: node " + n + " derives from " + n.parent + ", which is not in the database");
                }
                if (n.parent.frame != n.frame) {
                    out.add("K-2: node " + n + " maps another frame than its parent " + n.parent);
                }
                if (!Rights.within(n.rights, n.parent.rights)) {
                    out.add("K-2: node " + n + " has rights its parent " + n.parent + " lacks");
                }
                int depth = 0;
                for (MdbNode a = n.parent; a != null; a = a.parent) {
                    if (a == n || ++depth > Layout.MAX_NODES) {
                        out.add("K-1: node " + n + " is on a cycle");
                        break;
                    }
                }
            }
            if (n.rights == 0) {
                out.add("K-2: node " + n + " has empty rights");
            }
            for (MdbNode c : n.children) {
                if (c.parent != n) {
                    out.add("K-1: " + c + " is a child of " + n + " but names another parent");
                }
            }
        }
        if (count != k.nodeSlots().cardinality()) {
            out.add("K-1: " + k.nodeSlots().cardinality() + " node slots are in use but " + count + " nodes are reachable");
        }
    }

    private static void pageTables(Kernel k, List<String> out) {
        long mask = k.profile().paging().addressMask();
        for (Space s : k.spaceTable()) {
            if (!s.live) {
                continue;
            }
            List<PageTables> sets = s.userTables == null ? List.of(s.tables) : List.of(s.tables, s.userTables);
            if (s.small()) {
                // a small space's directory holds only the shared region and the kernel; its entries are in its window
                s.tables.forEachLeaf(k.layout().userLimit(), (la, e) -> out.add("K-3: small space " + s.id + " maps "
                        + Long.toHexString(la) + " in its own directory, outside its window"));
                sets = List.of(k.smallSpaces().region);
            }
            for (PageTables pt : sets) {
                Set<Long> seen = new HashSet<>();
                long base = s.small() ? SmallSpaces.base(s.window) : 0;
                pt.forEachLeaf(s.small() ? base + Layout.SMALL_WINDOW : k.layout().userLimit(), (la, e) -> {
                    if (la < base) {
                        return;
                    }
                    long va = la - base;
                    long vpage = va >>> Fpage.PAGE_SHIFT;
                    seen.add(vpage);
                    MdbNode n = s.nodes.get(vpage);
                    if (n == null) {
                        out.add("K-3: " + s.id + " maps " + Long.toHexString(va) + " to frame " + ((e & mask) >>> 12)
                                + " with no mapping-database node: a frame reachable without derivation from Sigma0");
                    } else if ((e & mask) >>> 12 != n.frame || ((e & Pte.RW) != 0) != ((n.rights & Rights.W) != 0)
                            || (e & Pte.US) == 0) {
                        out.add("K-3: " + s.id + "'s PTE for " + Long.toHexString(va) + " (" + Pte.describe(e, k.profile().paging())
                                + ") disagrees with its node " + n);
                    }
                });
                for (MdbNode n : s.nodes.values()) {
                    if (!seen.contains(n.vpage)) {
                        out.add("K-3: node " + n + " has no PTE in " + s.id);
                    }
                }
            }
            for (long probe : new long[] {k.layout().code(), k.layout().tcbs(), k.layout().nodes(), k.layout().data()}) {
                long mine = s.tables.lookup(probe);
                long theirs = k.template().lookup(probe);
                if (mine != theirs || (mine & Pte.US) != 0 || (mine & Pte.P) == 0) {
                    out.add("K-4: " + s.id + " maps kernel address " + Long.toHexString(probe) + " as "
                            + Pte.describe(mine, k.profile().paging()) + ", not as the kernel does");
                }
                if (s.userTables != null && (s.userTables.lookup(probe) & Pte.P) != 0) {
                    out.add("K-4: " + s.id + "'s user-mode tables map kernel address " + Long.toHexString(probe)
                            + " despite page-table isolation");
                }
            }
        }
    }

    /** K-3 in l4-small: the region's entries all lie in windows that a small space occupies. */
    private static void unownedWindows(Kernel k, List<String> out) {
        SmallSpaces small = k.smallSpaces();
        small.region.forEachLeaf(k.layout().userLimit(), (la, e) -> {
            int w = (int) ((la - Layout.SMALL_REGION) / Layout.SMALL_WINDOW);
            if (la < Layout.SMALL_REGION || w >= Layout.SMALL_WINDOWS || small.owner[w] == null) {
                out.add("K-3: the small-space region maps " + Long.toHexString(la) + ", which no small space's window holds");
            }
        });
    }

    /** "CPU c: " on a machine of several CPUs, nothing on one. */
    private static String where(Kernel k, int c) {
        return k.cpus() == 1 ? "" : "CPU " + c + ": ";
    }

    private static void tlbs(Kernel k, List<String> out) {
        for (int c = 0; c < k.cpus(); c++) {
            tlbs(k, c, out);
        }
    }

    /**
     * Whether CPU {@code c}'s entry for {@code va} under {@code pcid} is one the pending shootdown
     * will remove: its IPI still waits there (Tlb.tla's PendingCovers).
     */
    private static boolean awaitsShootdown(Kernel k, int c, int pcid, long va) {
        Shootdowns.Pending d = k.pendingShootdown();
        if (d == null || (k.shootdownWaiting() & (1L << c)) == 0) {
            return false;
        }
        for (Space s : d.spaces) {
            if (covers(k, d, c, s, pcid)) {
                return true;
            }
        }
        for (Shootdowns.Page x : d.pages) {
            if (covers(k, d, c, x.space(), pcid) && (x.vpage() << Fpage.PAGE_SHIFT) == va) {
                return true;
            }
        }
        return false;
    }

    /** Whether CPU {@code c}'s entry tagged {@code pcid} is space {@code s}'s, and {@code c} was sent an IPI for {@code s}. */
    private static boolean covers(Kernel k, Shootdowns.Pending d, int c, Space s, int pcid) {
        boolean sent = (d.targets.getOrDefault(s, 0L) & (1L << c)) != 0;
        boolean mine = k.config().usePcid() ? s.pcid == pcid : k.scheduler(c).loaded == s;
        return sent && mine;
    }

    private static void tlbs(Kernel k, int c, List<String> out) {
        Mmu mmu = k.cpu(c).mmu();
        Map<Integer, PageTables> byPcid = new HashMap<>();
        for (Space s : k.spaceTable()) {
            if (s.live) {
                byPcid.put(s.pcid, s.tables);
                if (s.userTables != null) {
                    byPcid.put(s.pcid + Kernel.USER_PCID_OFFSET, s.userTables);
                }
            }
        }
        boolean tagged = mmu.registers().pcidEnable;
        long current = mmu.registers().tableBase;
        long mask = k.profile().paging().addressMask();
        for (Tlb tlb : new Tlb[] {mmu.itlb(), mmu.dtlb(), mmu.l2()}) {
            if (tlb == null) {
                continue;
            }
            for (int i = 0; i < tlb.capacity(); i++) {
                if (!tlb.valid(i)) {
                    continue;
                }
                long va = tlb.virtualPage(i);
                if (!k.layout().user(va)) {
                    continue;
                }
                PageTables pt;
                if (tagged) {
                    pt = byPcid.get(tlb.pcid(i));
                } else {
                    pt = null;
                    for (Space s : k.spaceTable()) {
                        if (s.live && (s.tables.root() == current || (s.userTables != null && s.userTables.root() == current))) {
                            pt = s.tables.root() == current ? s.tables : s.userTables;
                        }
                    }
                }
                boolean segment = tagged && k.vstServices() != null && tlb.pcid(i) >= VstServices.FIRST_INDEX;
                long e = segment ? k.vstServices().lookup(tlb.pcid(i), va) : pt == null ? 0 : pt.lookup(va);
                boolean ok = (e & Pte.P) != 0 && (e & mask) == (tlb.physicalBase(i) & mask)
                        && (!tlb.writable(i) || (e & Pte.RW) != 0) && (!tlb.user(i) || (e & Pte.US) != 0);
                if (!ok && !awaitsShootdown(k, c, tagged ? tlb.pcid(i) : 0, va)) {
                    out.add("K-5: " + where(k, c) + tlb.config().name() + " entry " + i + " (pcid " + tlb.pcid(i) + ") translates "
                            + Long.toHexString(va) + " to " + Long.toHexString(tlb.physicalBase(i))
                            + (tlb.writable(i) ? " writable" : "") + " but the tables say "
                            + (pt == null && !segment ? "no live space has that PCID" : Pte.describe(e, k.profile().paging())));
                }
            }
        }
    }

    private static void threads(Kernel k, List<String> out) {
        Set<Tcb> queued = new HashSet<>();
        Set<Tcb> running = new HashSet<>();
        for (int c = 0; c < k.cpus(); c++) {
            for (Tcb t : k.scheduler(c).ready) {
                if (!queued.add(t)) {
                    out.add("K-6: " + t + " is on a ready queue twice");
                }
                if (t.state != ThreadState.READY) {
                    out.add("K-6: " + t + " is on the ready queue but " + t.state);
                }
                if (t.cpu != c) {
                    out.add("K-6: " + t + " of CPU " + t.cpu + " is on CPU " + c + "'s ready queue");
                }
            }
            Tcb cur = k.scheduler(c).current;
            if (cur != null) {
                running.add(cur);
                if (cur.state != ThreadState.RUNNING) {
                    out.add("K-6: " + where(k, c) + "the current thread " + cur + " is not running");
                }
                if (cur.cpu != c) {
                    out.add("K-6: " + cur + " of CPU " + cur.cpu + " runs on CPU " + c);
                }
            }
        }
        Map<Tcb, Tcb> senderOf = new HashMap<>();
        for (Tcb t : k.tcbs()) {
            if (!t.live()) {
                continue;
            }
            for (Tcb s : t.sendQueue) {
                if (senderOf.put(s, t) != null) {
                    out.add("K-6: " + s + " is on two send queues");
                }
                if (s.state != ThreadState.SENDING || !s.partner.equals(t.id)) {
                    out.add("K-6: " + s + " is on " + t + "'s send queue but is " + s.state + " to " + s.partner);
                }
            }
        }
        for (Tcb t : k.tcbs()) {
            if (!t.live()) {
                if (queued.contains(t) || senderOf.containsKey(t)) {
                    out.add("K-6: dead slot " + t + " is still queued");
                }
                continue;
            }
            if (t.space == null || !t.space.live) {
                out.add("K-6: " + t + " lives in a dead space");
            }
            if (t.state == ThreadState.READY && !queued.contains(t)) {
                out.add("K-6: " + t + " is ready but not on the ready queue");
            }
            if (t.state == ThreadState.SENDING && !senderOf.containsKey(t)) {
                out.add("K-6: " + t + " is sending but on no send queue");
            }
            if (t.state == ThreadState.RUNNING && !running.contains(t)) {
                out.add("K-6: " + t + " is running but is not the current thread");
            }
        }
    }
}
