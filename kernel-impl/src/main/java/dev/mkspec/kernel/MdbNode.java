package dev.mkspec.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * One node of the mapping database: the mapping of {@code vpage} in {@code space} to
 * {@code frame} with {@code rights}, derived from {@code parent} (null for Sigma0's roots). Each
 * node lives at a kernel address (a slot of the node pool), which the kernel touches when it
 * reads or writes the node, so that the database's cache footprint is simulated.
 */
final class MdbNode {
    Space space;
    long vpage;
    final long frame;
    int rights;
    MdbNode parent;
    final List<MdbNode> children = new ArrayList<>();
    final int slot;

    MdbNode(Space space, long vpage, long frame, int rights, MdbNode parent, int slot) {
        this.space = space;
        this.vpage = vpage;
        this.frame = frame;
        this.rights = rights;
        this.parent = parent;
        this.slot = slot;
    }

    long vaddr() {
        return vpage << Fpage.PAGE_SHIFT;
    }

    @Override
    public String toString() {
        return space.id + ":" + Long.toHexString(vaddr()) + "->f" + frame + "(" + Rights.show(rights) + ")";
    }
}
