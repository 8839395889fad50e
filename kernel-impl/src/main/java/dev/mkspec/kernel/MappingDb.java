package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.Mode;
import java.util.ArrayList;
import java.util.BitSet;

/**
 * The mapping database: a node per mapping, derived from the node it was mapped from, rooted in
 * Sigma0's mappings; map, grant (which moves a node and narrows what was derived from it), flush
 * and unmap (which revoke rights from what was derived), each editing the page tables through
 * {@link Spaces}.
 */
final class MappingDb {
    private final Platform p;
    /** The node pool's slots in use. */
    final BitSet slots = new BitSet(Layout.MAX_NODES);

    MappingDb(Platform p) {
        this.p = p;
    }

    MdbNode newNode(Space s, long vpage, long frame, int rights, MdbNode parent) {
        int slot = slots.nextClearBit(0);
        if (slot >= p.config.nodePool()) {
            throw new IllegalStateException("the mapping database is full (" + p.config.nodePool() + " nodes)");
        }
        slots.set(slot);
        MdbNode n = new MdbNode(s, vpage, frame, rights, parent, slot);
        if (parent != null) {
            parent.children.add(n);
        }
        return n;
    }

    /**
     * Maps (or grants) {@code src}'s page to {@code dst} at {@code dvpage} with {@code rights}.
     * A map onto a page already derived from {@code src} only adds the rights (its node, and what
     * was derived from it, stay; only this CPU's entry is invalidated, with no IPI: an entry with
     * fewer rights elsewhere at worst costs a spurious fault, Intel SDM vol. 3A 4.10.4.3). Any other
     * occupied target is flushed
     * first with everything derived from it; mapping a page onto itself or onto a page its source
     * derives from is skipped (the flush would destroy the source).
     */
    void mapPage(MdbNode src, Space dst, long dvpage, int rights, boolean grant) {
        if (rights == 0) {
            return;
        }
        MdbNode old = dst.nodes.get(dvpage);
        boolean kept = false;
        if (!grant && old != null && old.parent == src && p.config.bug() != KernelBug.REMAP_FLUSHES) {
            old.rights |= rights;
            p.spaces.upgradePte(dst, dvpage, old.rights);
            p.cpu.touch(p.layout.node(old.slot), Layout.NODE_BYTES, Access.WRITE, Mode.SUPERVISOR);
            return;
        }
        if (old != null) {
            for (MdbNode a = src; a != null; a = a.parent) {
                if (a == old) {
                    return;
                }
            }
            // The target's PTE is written again below; if it will reach the same frame with at
            // least the rights it had, what a TLB caches for it grants nothing the new mapping
            // does not, so it is rewritten, not cleared and shot down (what was derived from it
            // still goes), and only this CPU's entry is invalidated (Spaces.rewritePte).
            kept = old.frame == src.frame && (old.rights & ~rights) == 0;
            p.cpu.run(Path.FLUSH_NODE);
            removeSubtree(old, kept);
        }
        if (grant) {
            unlink(src);
            src.space = dst;
            src.vpage = dvpage;
            src.rights = rights;
            narrow(src, rights);
            dst.nodes.put(dvpage, src);
            if (kept) {
                p.spaces.rewritePte(dst, dvpage, src.frame, rights);
            } else {
                p.spaces.writePte(dst, dvpage, src.frame, rights);
            }
            p.cpu.touch(p.layout.node(src.slot), Layout.NODE_BYTES, Access.WRITE, Mode.SUPERVISOR);
            return;
        }
        MdbNode parent = src;
        if (p.config.bug() == KernelBug.MAP_WRONG_PARENT) {
            while (parent.parent != null) {
                parent = parent.parent;
            }
        }
        MdbNode n = newNode(dst, dvpage, src.frame, rights, parent);
        p.cpu.touch(p.layout.node(n.slot), Layout.NODE_BYTES, Access.WRITE, Mode.SUPERVISOR);
        dst.nodes.put(dvpage, n);
        if (kept) {
            p.spaces.rewritePte(dst, dvpage, src.frame, rights);
        } else {
            p.spaces.writePte(dst, dvpage, src.frame, rights);
        }
    }

    /** Grant: the granted node leaves its old place (its PTE and TLB entries go). */
    void unlink(MdbNode n) {
        n.space.nodes.remove(n.vpage);
        if (p.config.bug() != KernelBug.GRANT_KEEPS_PTE) {
            p.spaces.clearPte(n.space, n.vpage);
        }
    }

    void narrow(MdbNode n, int rights) {
        for (MdbNode c : new ArrayList<>(n.children)) {
            int r = c.rights & rights;
            if (r == c.rights) {
                continue;
            }
            // A node narrowed or removed is visited as a flush visits it.
            p.cpu.run(Path.FLUSH_NODE);
            if (r == 0) {
                removeSubtree(c);
            } else {
                p.cpu.touch(p.layout.node(c.slot), Layout.NODE_BYTES, Access.WRITE, Mode.SUPERVISOR);
                c.rights = r;
                p.spaces.protectPte(c.space, c.vpage, r);
                narrow(c, r);
            }
        }
    }

    SyscallResult flush(Tcb t, Fpage f, boolean includeSelf) {
        if (!f.aligned()) {
            return p.fail(ErrorCode.UNALIGNED_FPAGE);
        }
        if (!p.userMemory.userRange(f.base(), f.size()) || !Rights.within(f.rights(), Rights.ALL)) {
            return p.fail(ErrorCode.BAD_ADDRESS);
        }
        p.cpu.run(Path.FLUSH_SETUP);
        for (long i = 0; i < f.pages(); i++) {
            MdbNode n = t.space.nodes.get((f.base() >>> Fpage.PAGE_SHIFT) + i);
            if (n == null || f.rights() == 0) {
                continue;
            }
            revoke(n, f.rights(), includeSelf && n.space != p.spaces.sigma0);
        }
        return SyscallResult.done();
    }

    /** Revokes {@code rights} from {@code n}'s descendants (and from {@code n} if {@code self}). */
    void revoke(MdbNode n, int rights, boolean self) {
        p.cpu.run(Path.FLUSH_NODE);
        p.cpu.touch(p.layout.node(n.slot), Layout.NODE_BYTES, Access.WRITE, Mode.SUPERVISOR);
        if (self) {
            int r = n.rights & ~rights;
            if (r == 0) {
                removeSubtree(n);
                return;
            }
            if (r != n.rights) {
                n.rights = r;
                p.spaces.protectPte(n.space, n.vpage, r);
            }
        }
        for (MdbNode c : new ArrayList<>(n.children)) {
            revoke(c, rights, true);
        }
    }

    /** Removes {@code n} and everything derived from it, with their PTEs. */
    void removeSubtree(MdbNode n) {
        removeSubtree(n, false);
    }

    /** Removes {@code n} and what was derived from it; {@code n}'s own PTE stays if {@code keepPte}. */
    private void removeSubtree(MdbNode n, boolean keepPte) {
        for (MdbNode c : new ArrayList<>(n.children)) {
            p.cpu.run(Path.FLUSH_NODE);
            removeSubtree(c, false);
        }
        p.cpu.touch(p.layout.node(n.slot), Layout.NODE_BYTES, Access.WRITE, Mode.SUPERVISOR);
        if (n.parent != null) {
            n.parent.children.remove(n);
        }
        n.space.nodes.remove(n.vpage);
        if (!keepPte) {
            p.spaces.clearPte(n.space, n.vpage);
        }
        if (p.config.bug() != KernelBug.NODE_SLOT_LEAK) {
            slots.clear(n.slot);
        }
    }
}
