package dev.mkspec.kernel;

import dev.mkspec.hw.PageTables;
import dev.mkspec.hw.PagingMode;
import dev.mkspec.hw.SegmentDescriptor;
import dev.mkspec.hw.Segmentation;

/**
 * l4-small's small address spaces (Liedtke, SOSP 1995 and GMD TR 933): the region of windows
 * every page directory shares, which window each small space occupies, and the GDT whose user
 * segments confine a space to its window.
 *
 * <p>A small space's page-table entries live only in the region's page tables, at its window's
 * base plus the address the space uses; the top-level entries of the region are copied into every
 * page directory (the kernel's own included), so they are there whatever CR3 holds. User code of
 * a small space runs with segments of base = its window and limit = the window's size; user code
 * of a large space with base 0 and a limit that ends below the region. A switch to a small space
 * therefore loads segment registers and leaves CR3, and the TLB, as they were.
 */
final class SmallSpaces {
    /** GDT indexes: kernel code and data, the large spaces' user code and data, then two per window. */
    static final int KERNEL_CODE = 1;
    static final int KERNEL_DATA = 2;
    static final int LARGE_CODE = 3;
    static final int LARGE_DATA = 4;
    static final int FIRST_WINDOW = 5;
    /** The region's bytes: every window. */
    static final long REGION_BYTES = Layout.SMALL_WINDOWS * Layout.SMALL_WINDOW;

    private final Platform p;
    /** The region's page tables (their top level is never loaded into CR3; every directory copies its entries). */
    final PageTables region;
    /** The GDT's physical address. */
    final long gdt;
    /** The space occupying each window, or null. */
    final Space[] owner = new Space[Layout.SMALL_WINDOWS];
    /** The descriptors written into the GDT, by index. */
    private final SegmentDescriptor[] descriptors = new SegmentDescriptor[FIRST_WINDOW + 2 * Layout.SMALL_WINDOWS];

    SmallSpaces(Platform p) {
        this.p = p;
        if (p.profile.paging() != PagingMode.X86_32) {
            throw new IllegalStateException("small spaces need x86-32 paging");
        }
        this.region = new PageTables(p.memory, p.profile.paging());
        this.gdt = p.memory.allocateFrame() << 12;
        long largeEnd = p.config.bug() == KernelBug.LARGE_LIMIT_COVERS_REGION ? p.layout.userLimit() : Layout.SMALL_REGION;
        write(KERNEL_CODE, new SegmentDescriptor(0, 0xF_FFFF, true, SegmentDescriptor.Kind.CODE, true, 0, true));
        write(KERNEL_DATA, new SegmentDescriptor(0, 0xF_FFFF, true, SegmentDescriptor.Kind.DATA, true, 0, true));
        write(LARGE_CODE, new SegmentDescriptor(0, (int) (largeEnd >>> 12) - 1, true, SegmentDescriptor.Kind.CODE, true, 3, true));
        write(LARGE_DATA, new SegmentDescriptor(0, (int) (largeEnd >>> 12) - 1, true, SegmentDescriptor.Kind.DATA, true, 3, true));
        for (int w = 0; w < Layout.SMALL_WINDOWS; w++) {
            int pages = (int) (Layout.SMALL_WINDOW >>> 12);
            write(FIRST_WINDOW + 2 * w, new SegmentDescriptor(base(w), pages - 1, true, SegmentDescriptor.Kind.CODE, true, 3, true));
            write(FIRST_WINDOW + 2 * w + 1, new SegmentDescriptor(base(w), pages - 1, true, SegmentDescriptor.Kind.DATA, true, 3, true));
        }
        // The kernel's own tables carry the region too: a CPU may run a small space before it ever loads a large one.
        p.template.shareTopLevel(region, Layout.SMALL_REGION, REGION_BYTES);
    }

    private void write(int index, SegmentDescriptor d) {
        descriptors[index] = d;
        p.memory.write64(gdt + 8L * index, d.encode());
    }

    /** The linear base of window {@code w}. */
    static long base(int w) {
        return Layout.SMALL_REGION + w * Layout.SMALL_WINDOW;
    }

    /** A CPU's segmentation at boot: the GDT loaded, kernel CS, and the large spaces' user data segments. */
    Segmentation boot() {
        Segmentation seg = new Segmentation(p.memory);
        seg.loadGdtr(gdt, descriptors.length * 8 - 1);
        seg.setCode(KERNEL_CODE << 3, descriptors[KERNEL_CODE]);
        return seg;
    }

    /** The user data selector (RPL 3) of {@code s}: its window's, or the large spaces'. */
    static int dataSelector(Space s) {
        return ((s != null && s.small() ? FIRST_WINDOW + 2 * s.window + 1 : LARGE_DATA) << 3) | 3;
    }

    /** Loads {@code cpu}'s user segments for {@code s}: its window's, or (null or large) the large spaces'. */
    void loadSegments(Cpu cpu, Space s) {
        cpu.loadUserSegments(dataSelector(s), codeDescriptor(s));
    }

    /** The user code descriptor the return frame names for {@code s} (IRET loads it into CS). */
    SegmentDescriptor codeDescriptor(Space s) {
        return descriptors[s != null && s.small() ? FIRST_WINDOW + 2 * s.window : LARGE_CODE];
    }

    /** Shares the region into {@code s}'s directory, and gives it a free window if {@code small} and there is one. */
    void place(Space s, boolean small) {
        s.tables.shareTopLevel(region, Layout.SMALL_REGION, REGION_BYTES);
        for (int w = 0; small && w < owner.length; w++) {
            if (owner[w] == null) {
                owner[w] = s;
                s.window = w;
                return;
            }
        }
    }

    /** The window of a deleted space is free again. */
    void release(Space s) {
        if (s.small()) {
            owner[s.window] = null;
            s.window = -1;
        }
    }

    /** The linear address of {@code vaddr} of {@code s}. */
    static long linear(Space s, long vaddr) {
        return s.small() ? base(s.window) + vaddr : vaddr;
    }

    /**
     * After the region's tables grew a page table for {@code linear}, copies its top-level entry
     * into every live page directory (one entry write each).
     */
    void grew(long linear) {
        for (Space s : p.spaces.table) {
            if (s.live && s.tables != null) {
                s.tables.shareTopLevel(region, linear, 1);
                p.cpu.physical(s.tables.entryAddressAt(linear, 2));
            }
        }
        p.template.shareTopLevel(region, linear, 1);
    }
}
