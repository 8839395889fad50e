package dev.mkspec.kernel;

import dev.mkspec.hw.PageTables;
import dev.mkspec.hw.Pte;
import java.util.ArrayList;
import java.util.List;

/**
 * The space table: address spaces by number, each with its page tables in simulated memory and
 * its PCID; creating and deleting spaces, and the page-table edits (with their TLB invalidations)
 * that the mapping database drives.
 */
final class Spaces {
    private final Platform p;
    /** The spaces, by number. */
    final Space[] table = new Space[Layout.MAX_SPACES];
    /** Sigma0's space, which owns every user frame at boot. */
    Space sigma0;
    /** The space being deleted, whose TLB entries go all at once. */
    Space dying;

    Spaces(Platform p) {
        this.p = p;
        for (int i = 0; i < table.length; i++) {
            table[i] = new Space(i, p.layout.space(i));
        }
    }

    SyscallResult createSpace(Tcb t, int slot) {
        if (slot < -1 || slot >= table.length) {
            return p.fail(ErrorCode.NO_SUCH_SPACE);
        }
        if (p.threads.freeThreadSlot() < 0 || freeSpaceSlot() < 0 || (slot >= 0 && table[slot].live)) {
            return p.fail(ErrorCode.NO_RESOURCES);
        }
        p.cpu.run(Path.SPACE_ADMIN);
        Space s = newSpace(t.space, slot);
        Tcb n = p.threads.newThread(s);
        return new SyscallResult(ErrorCode.OK, n.id, null, s.number, s.id);
    }

    SyscallResult deleteSpace(Tcb t, SpaceId id) {
        Space s = findSpace(id);
        if (s == null) {
            return p.fail(ErrorCode.NO_SUCH_SPACE);
        }
        if (s.owner != t.space) {
            return p.fail(ErrorCode.NO_PERMISSION);
        }
        p.cpu.run(Path.SPACE_ADMIN);
        destroySpace(s);
        return SyscallResult.done();
    }

    void destroySpace(Space s) {
        for (Space o : table) {
            if (o.live && o.owner == s) {
                destroySpace(o);
            }
        }
        for (Tcb x : p.threads.tcbs) {
            if (x.live() && x.space == s) {
                p.threads.killThread(x);
            }
        }
        // The space's own pages are dropped from the TLB wholesale below (its PCID, or the CR3
        // load that any later switch makes), not page by page; pages derived into other table
        // are invalidated one by one as usual.
        dying = s;
        for (MdbNode n : new ArrayList<>(s.nodes.values())) {
            if (p.mdb.slots.get(n.slot) && n.space == s) {
                // Each node removed is unlinked like a flushed one (removeSubtree prices its children).
                p.cpu.run(Path.FLUSH_NODE);
                p.mdb.removeSubtree(n);
            }
        }
        dying = null;
        if (p.vst != null) {
            p.vst.spaceDeleted(s);
        }
        if (p.small != null) {
            if (p.scheduler.user == s) {
                p.scheduler.user = null; // its thread is gone; the next switch enters the next thread's space
            }
            if (p.scheduler.segments == s) {
                p.scheduler.segments = null;
                p.small.loadSegments(p.cpu, null);
            }
            p.small.release(s);
        }
        if (p.config.usePcid() && p.config.bug() != KernelBug.DELETE_KEEPS_PCID) {
            p.cpu.invalidatePcid(s.pcid);
            if (p.config.mitigations()) {
                p.cpu.invalidatePcid(s.pcid + Kernel.USER_PCID_OFFSET);
            }
        }
        if (p.config.bug() != KernelBug.DELETE_KEEPS_PCID) {
            p.shootdowns.space(s);
        }
        // The tables go back to the frame pool only when no CPU can walk or cache them any more.
        PageTables tables = s.tables;
        PageTables userTables = s.userTables;
        p.shootdowns.afterwards(() -> {
            tables.release();
            if (userTables != null) {
                userTables.release();
            }
        });
        s.live = false;
        s.id = new SpaceId(s.number, s.id.version() + 1);
        s.nodes.clear();
        s.owner = null;
        if (p.scheduler.loaded == s) {
            Space next = p.scheduler.current != null ? p.scheduler.current.space : sigma0;
            if (next.small()) {
                // l4-small: a small space runs on any large space's tables, never on its own directory
                // (which holds only the region and the kernel); its segments stay loaded.
                Space user = p.scheduler.user;
                p.scheduler.loadSpace(sigma0);
                p.scheduler.user = user;
            } else {
                p.scheduler.loadSpace(next);
            }
        }
    }

    int freeSpaceSlot() {
        for (int i = 0; i < table.length; i++) {
            if (!table[i].live) {
                return i;
            }
        }
        return -1;
    }

    Space newSpace(Space owner, int slot) {
        Space s = table[slot >= 0 ? slot : freeSpaceSlot()];
        s.id = new SpaceId(s.number, s.id.version() + 1);
        s.owner = owner;
        s.tables = new PageTables(p.memory, p.profile.paging());
        s.tables.shareTopLevel(p.template, p.layout.kernelBase(), p.layout.kernelBytes());
        s.userTables = p.config.mitigations() ? new PageTables(p.memory, p.profile.paging()) : null;
        if (s.userTables != null && p.config.bug() == KernelBug.USER_TABLES_MAP_KERNEL) {
            s.userTables.shareTopLevel(p.template, p.layout.kernelBase(), p.layout.kernelBytes());
        }
        s.pcid = p.config.usePcid() ? s.number + 1 : 0;
        if (p.small != null) {
            p.small.place(s, owner != null); // Sigma0, which maps every frame, stays large
        }
        // The slot's last space was shot down everywhere before the lock let this call in.
        s.cpus = 0;
        s.live = true;
        return s;
    }

    long pteFlags(int rights) {
        long f = Pte.US | ((rights & Rights.W) != 0 ? Pte.RW : 0);
        if (p.profile.paging() == dev.mkspec.hw.PagingMode.X86_64 && (rights & Rights.X) == 0) {
            f |= Pte.NX;
        }
        return f;
    }

    void writePte(Space s, long vpage, long frame, int rights) {
        if (s.small() && (vpage << Fpage.PAGE_SHIFT) >= Layout.SMALL_WINDOW) {
            promote(s, vpage);
        }
        long va = SmallSpaces.linear(s, vpage << Fpage.PAGE_SHIFT);
        for (PageTables pt : tablesOf(s)) {
            int tables = pt.tableFrames();
            pt.map(va, frame << Fpage.PAGE_SHIFT, 12, pteFlags(rights));
            p.cpu.physical(pt.entryAddressAt(va, 1));
            if (s.small() && pt.tableFrames() != tables) {
                p.small.grew(va);
            }
        }
    }

    /**
     * l4-small: a small space maps beyond its window, so it becomes large (Liedtke's transparent
     * promotion): its entries move from the window to its own page directory, the window's TLB
     * entries are invalidated, and if it runs here it runs on its own tables from now on.
     * {@code writing} is the page whose write made it large.
     */
    void promote(Space s, long writing) {
        p.cpu.run(Path.SPACE_ADMIN);
        for (MdbNode n : s.nodes.values()) {
            long la = SmallSpaces.linear(s, n.vpage << Fpage.PAGE_SHIFT);
            p.cpu.physical(p.small.region.entryAddressAt(la, 1));
            p.small.region.unmap(la);
            invalidate(s, n.vpage << Fpage.PAGE_SHIFT);
        }
        p.small.release(s);
        s.cpus = 0;
        for (MdbNode n : s.nodes.values()) {
            if (n.vpage != writing) { // the entry being written, whose node may be in already, follows
                writePte(s, n.vpage, n.frame, n.rights);
            }
        }
        if (p.scheduler.user == s) {
            p.scheduler.user = null;
            p.scheduler.enter(s);
        }
        if (p.scheduler.segments == s) {
            p.scheduler.segments = null;
        }
    }

    /**
     * Writes {@code s}'s present PTE for {@code vpage} again, to {@code frame} (the frame it maps)
     * with {@code rights}, at least the rights it had: a map or grant that replaces a mapping of
     * the same frame. Only this CPU's entries are invalidated, as for {@link #upgradePte}: what
     * another CPU caches grants nothing the new entry does not.
     */
    void rewritePte(Space s, long vpage, long frame, int rights) {
        long va = SmallSpaces.linear(s, vpage << Fpage.PAGE_SHIFT);
        for (PageTables pt : tablesOf(s)) {
            p.cpu.physical(pt.entryAddressAt(va, 1));
            pt.unmap(va);
            pt.map(va, frame << Fpage.PAGE_SHIFT, 12, pteFlags(rights));
        }
        invalidate(s, vpage << Fpage.PAGE_SHIFT);
    }

    /**
     * Raises the rights of {@code s}'s present PTE for {@code vpage} to {@code rights} (a re-map
     * that extends rights). This CPU's entries for the page are invalidated, so that what it
     * caches is what the tables say; no other CPU is sent an IPI: an entry with fewer rights
     * grants nothing the tables do not, and at worst costs a spurious fault there (Intel SDM
     * vol. 3A, 4.10.4.3).
     */
    void upgradePte(Space s, long vpage, int rights) {
        long va = SmallSpaces.linear(s, vpage << Fpage.PAGE_SHIFT);
        for (PageTables pt : tablesOf(s)) {
            p.cpu.physical(pt.entryAddressAt(va, 1));
            if ((rights & Rights.W) != 0) {
                pt.setBits(va, Pte.RW);
            }
            if (p.profile.paging() == dev.mkspec.hw.PagingMode.X86_64 && (rights & Rights.X) != 0) {
                pt.protect(va, Pte.NX);
            }
        }
        invalidate(s, vpage << Fpage.PAGE_SHIFT);
    }

    void clearPte(Space s, long vpage) {
        long va = SmallSpaces.linear(s, vpage << Fpage.PAGE_SHIFT);
        long old = tablesOf(s).get(0).lookup(va);
        for (PageTables pt : tablesOf(s)) {
            p.cpu.physical(pt.entryAddressAt(va, 1));
            pt.unmap(va);
        }
        invalidate(s, vpage << Fpage.PAGE_SHIFT);
        changed(s, vpage, old, true);
    }

    void protectPte(Space s, long vpage, int rights) {
        long va = SmallSpaces.linear(s, vpage << Fpage.PAGE_SHIFT);
        long old = tablesOf(s).get(0).lookup(va);
        for (PageTables pt : tablesOf(s)) {
            p.cpu.physical(pt.entryAddressAt(va, 1));
            if ((rights & Rights.W) == 0) {
                pt.protect(va, Pte.RW);
            }
            if (p.profile.paging() == dev.mkspec.hw.PagingMode.X86_64 && (rights & Rights.X) == 0) {
                pt.setBits(va, Pte.NX);
            }
        }
        invalidate(s, vpage << Fpage.PAGE_SHIFT);
        changed(s, vpage, old, false);
    }

    /** Tells the shootdown that the translation {@code old} of page {@code vpage} of {@code s} changed. */
    private void changed(Space s, long vpage, long old, boolean unmap) {
        if ((old & Pte.P) != 0 && p.config.bug() != KernelBug.FLUSH_SKIPS_TLB && s != dying) {
            p.shootdowns.page(s, vpage, (old & p.profile.paging().addressMask()) >>> Fpage.PAGE_SHIFT,
                    (old & Pte.RW) != 0, unmap);
        }
    }

    /** Drops {@code s}'s translations of its address {@code va} from this CPU's TLB (the other CPUs' go by IPI). */
    void invalidate(Space s, long va) {
        if (p.config.bug() == KernelBug.FLUSH_SKIPS_TLB || p.config.bug() == KernelBug.SHOOTDOWN_SKIPS_LOCAL) {
            return;
        }
        if (s.small()) {
            // A small space's window entries survive every switch but a CR3 write, its deletion
            // included: they go one by one, while this CPU may hold them.
            if ((s.cpus & (1L << p.cpu.index)) != 0
                    && !(s == dying && p.config.bug() == KernelBug.SMALL_DELETE_KEEPS_TLB)) {
                p.cpu.invalidate(SmallSpaces.linear(s, va), 0);
            }
            return;
        }
        if (s == dying) {
            return;
        }
        if (p.config.usePcid()) {
            p.cpu.invalidate(va, s.pcid);
            if (p.config.mitigations()) {
                p.cpu.invalidate(va, s.pcid + Kernel.USER_PCID_OFFSET);
            }
        } else if (s == p.scheduler.loaded) {
            p.cpu.invalidate(va, 0);
        }
    }

    /** The tables holding {@code s}'s user entries (at {@link SmallSpaces#linear} of its addresses). */
    List<PageTables> tablesOf(Space s) {
        if (s.small()) {
            return List.of(p.small.region);
        }
        return s.userTables == null ? List.of(s.tables) : List.of(s.tables, s.userTables);
    }

    Space findSpace(SpaceId id) {
        if (id == null || id.number() < 0 || id.number() >= table.length) {
            return null;
        }
        Space s = table[id.number()];
        return s.live && s.id.equals(id) ? s : null;
    }
}
