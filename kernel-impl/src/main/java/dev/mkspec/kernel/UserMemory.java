package dev.mkspec.kernel;


/**
 * User memory as the kernel reaches it: whether a range is mapped with the rights needed, copies
 * between spaces that really move bytes in simulated memory (charged as the hardware would), and
 * the set-up reads and writes of tests.
 */
final class UserMemory {
    private final Platform p;

    UserMemory(Platform p) {
        this.p = p;
    }

    /**
     * Copies {@code bytes} from ({@code fromSpace}, {@code src}) to ({@code toSpace}, {@code dst});
     * a null space means a kernel virtual address. User pages are reached through their page
     * tables (one temporary-mapping walk per page is charged as a TLB refill), and the bytes
     * really move in simulated memory.
     */
    void copyUser(Space fromSpace, long src, Space toSpace, long dst, int bytes) {
        if (bytes <= 0) {
            return;
        }
        p.cpu.copy((bytes + p.profile.wordBytes() - 1) / p.profile.wordBytes());
        int line = p.cpu.dcache().config().lineBytes();
        // the temporary mapping of each page a copy crosses costs one walk
        double walk = p.profile.paging().levels() * p.profile.cycles(dev.mkspec.hw.Primitive.WALK_STEP);
        long lastPageS = -1;
        long lastPageD = -1;
        for (int off = 0; off < bytes; off += 1) {
            long s = src + off;
            long d = dst + off;
            long ps = physicalOf(fromSpace, s);
            long pd = physicalOf(toSpace, d);
            if ((s >>> 12) != lastPageS && fromSpace != null) {
                lastPageS = s >>> 12;
                p.meter.charge(CostCategory.TLB, walk);
            }
            if ((d >>> 12) != lastPageD && toSpace != null) {
                lastPageD = d >>> 12;
                p.meter.charge(CostCategory.TLB, walk);
            }
            if (off == 0 || (ps & (line - 1)) == 0) {
                p.cpu.physical(ps);
            }
            if (off == 0 || (pd & (line - 1)) == 0) {
                p.cpu.physical(pd);
            }
            p.memory.writeByte(pd, p.memory.readByte(ps));
        }
    }

    long physicalOf(Space s, long vaddr) {
        if (s == null) {
            long e = p.template.lookup(vaddr);
            return (e & p.profile.paging().addressMask()) | (vaddr & 4095);
        }
        MdbNode n = s.nodes.get(vaddr >>> Fpage.PAGE_SHIFT);
        if (n == null) {
            throw new IllegalStateException("K-3: a checked user address " + Long.toHexString(vaddr) + " of " + s.id
                    + " has no mapping during a copy");
        }
        return (n.frame << Fpage.PAGE_SHIFT) | (vaddr & 4095);
    }

    boolean userRange(long base, long bytes) {
        return bytes >= 0 && base >= 0 && p.layout.user(base) && (bytes == 0 || p.layout.user(base + bytes - 1))
                && base + bytes >= base;
    }

    boolean mapped(Space s, long vaddr, long bytes, int rights) {
        if (!userRange(vaddr, bytes)) {
            return false;
        }
        for (long p = vaddr >>> 12; bytes > 0 && p <= (vaddr + bytes - 1) >>> 12; p++) {
            MdbNode n = s.nodes.get(p);
            if (n == null || !Rights.within(rights, n.rights)) {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code data} into {@code space}'s memory at {@code vaddr} (set-up; not charged). */
    public void poke(SpaceId space, long vaddr, byte[] data) {
        Space s = p.spaces.findSpace(space);
        for (int i = 0; i < data.length; i++) {
            p.memory.writeByte(physicalOf(s, vaddr + i), data[i] & 0xFF);
        }
    }

    /** Reads {@code n} bytes of {@code space}'s memory at {@code vaddr} (not charged). */
    public byte[] peek(SpaceId space, long vaddr, int n) {
        Space s = p.spaces.findSpace(space);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) p.memory.readByte(physicalOf(s, vaddr + i));
        }
        return out;
    }
}
