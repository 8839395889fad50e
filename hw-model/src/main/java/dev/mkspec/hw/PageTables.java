package dev.mkspec.hw;

/**
 * One address space's page tables in physical memory, in the format of a {@link PagingMode}: what
 * a kernel writes and the walk reads. Intermediate tables are allocated on demand and made
 * present, writable and user-accessible, so that the rights of a mapping are those of its leaf.
 *
 * <p>Contract: {@link #map} refuses to overwrite a present leaf, or to put a large page where a
 * table already is; {@link #unmap} and {@link #protect} change only the leaf and return what it
 * was. Changing a table does not touch any TLB: invalidation is the kernel's job.
 */
public final class PageTables {
    private final PhysicalMemory memory;
    private final PagingMode mode;
    private final int rootFrame;
    private int tableFrames = 1;
    private final java.util.List<Integer> ownFrames = new java.util.ArrayList<>();
    private final java.util.Set<Integer> sharedTop = new java.util.HashSet<>();
    private boolean released;

    public PageTables(PhysicalMemory memory, PagingMode mode) {
        this.memory = memory;
        this.mode = mode;
        this.rootFrame = memory.allocateFrame();
    }

    /** The top-level table's physical address: what CR3 holds. */
    public long root() {
        return (long) rootFrame << PhysicalMemory.FRAME_SHIFT;
    }

    public PagingMode mode() {
        return mode;
    }

    /**
     * Makes this space's top-level entries covering {@code [vaddr, vaddr + bytes)} point at the
     * same lower-level tables as {@code from}'s, as kernels share their own mappings between
     * address spaces. Those tables stay {@code from}'s: {@link #release} does not free them, and
     * later changes through {@code from} show in every sharer.
     *
     * @throws IllegalArgumentException if the formats differ or this space already uses an entry
     */
    public void shareTopLevel(PageTables from, long vaddr, long bytes) {
        if (from.mode != mode) {
            throw new IllegalArgumentException("cannot share tables between " + from.mode + " and " + mode);
        }
        int top = mode.levels();
        long step = 1L << mode.shiftOf(top);
        for (long off = 0; off < bytes; off += step) {
            long a = (vaddr & -step) + off;
            int i = mode.indexOf(a, top);
            long mine = root() + (long) i * mode.entryBytes();
            if ((memory.readEntry(mine, mode.entryBytes()) & Pte.P) != 0 && !sharedTop.contains(i)) {
                throw new IllegalArgumentException(String.format("top-level entry %d (%#x) is already in use", i, a));
            }
            long theirs = from.root() + (long) i * mode.entryBytes();
            memory.writeEntry(mine, mode.entryBytes(), memory.readEntry(theirs, mode.entryBytes()));
            sharedTop.add(i);
        }
    }

    /**
     * Frees every table frame this space allocated, the root included (shared tables are not
     * its own and stay). The object must not be used afterwards.
     */
    public void release() {
        if (released) {
            throw new IllegalStateException("these page tables were released already");
        }
        released = true;
        for (int f : ownFrames) {
            memory.freeFrame(f);
        }
        memory.freeFrame(rootFrame);
    }

    /**
     * Calls {@code visitor} with {@code (vaddr, leafEntry)} for every present leaf below
     * {@code limit} (an unsigned bound), in address order, skipping shared top-level entries.
     */
    public void forEachLeaf(long limit, java.util.function.BiConsumer<Long, Long> visitor) {
        visit(root(), mode.levels(), 0, limit, false, -1L, false, visitor);
    }

    /**
     * Calls {@code visitor} with {@code (vaddr, leafEntry)} for every present leaf a walk from this
     * root can reach, in address order, the shared top-level entries included: everything the CPU
     * translates while this root is loaded. The entry's user bit is cleared unless every level of
     * the walk allows user access (x86 checks U/S at each level).
     */
    public void forEachReachableLeaf(java.util.function.BiConsumer<Long, Long> visitor) {
        visit(root(), mode.levels(), 0, -1L, true, Pte.US, false, visitor);
    }

    /**
     * The leaves of {@link #forEachReachableLeaf} that user mode can use: those with the user bit
     * set at every level of the walk. A table entry without it hides everything below, which is
     * not walked (the kernel's half, shared by every space, is most of the tables).
     */
    public void forEachUserLeaf(java.util.function.BiConsumer<Long, Long> visitor) {
        visit(root(), mode.levels(), 0, -1L, true, Pte.US, true, visitor);
    }

    /**
     * {@code user}: {@link Pte#US} while every level above allowed user access, else 0 ({@code -1}:
     * leave the bit alone); {@code userOnly}: skip every entry without the user bit.
     */
    private void visit(long table, int level, long prefix, long limit, boolean shared, long user, boolean userOnly,
            java.util.function.BiConsumer<Long, Long> visitor) {
        int n = 1 << mode.bitsPerLevel();
        int width = mode.entryBytes();
        // a zero entry is not present, so it is skipped without being read
        for (int i = memory.nextNonZeroEntry(table, width, 0, n); i < n; i = memory.nextNonZeroEntry(table, width, i + 1, n)) {
            long va = prefix | ((long) i << mode.shiftOf(level));
            if (mode == PagingMode.X86_64 && level == 4 && i >= 256) {
                va |= 0xFFFF_0000_0000_0000L;
            }
            if (Long.compareUnsigned(va, limit) >= 0) {
                return;
            }
            if (!shared && level == mode.levels() && sharedTop.contains(i)) {
                continue;
            }
            long e = memory.readEntry(table + (long) i * mode.entryBytes(), mode.entryBytes());
            if ((e & Pte.P) == 0 || userOnly && (e & Pte.US) == 0) {
                continue;
            }
            if (level == 1 || ((e & Pte.PS) != 0 && mode.largePageAt(level))) {
                visitor.accept(va, user == -1L ? e : e & ~(Pte.US & ~(user & e)));
            } else {
                visit(e & mode.addressMask(), level - 1, va, limit, shared, user == -1L ? -1L : user & e & Pte.US, userOnly,
                        visitor);
            }
        }
    }

    /** The frames this space's tables occupy, the root included. */
    public int tableFrames() {
        return tableFrames;
    }

    private static int levelOfShift(PagingMode mode, int pageShift) {
        for (int level = 1; level <= mode.levels(); level++) {
            if (mode.shiftOf(level) == pageShift) {
                if (level > 1 && !mode.largePageAt(level)) {
                    break;
                }
                return level;
            }
        }
        throw new IllegalArgumentException("a " + (1L << pageShift) / 1024 + " KiB page does not exist in " + mode);
    }

    /**
     * Maps the page of size {@code 1 << pageShift} at {@code vaddr} to {@code paddr} with
     * {@code flags} (P is added; PS is added for large pages).
     *
     * @throws IllegalArgumentException if an address is not aligned to the page size, the page size
     *     does not exist in this format, or something is already mapped there
     */
    public void map(long vaddr, long paddr, int pageShift, long flags) {
        int leafLevel = levelOfShift(mode, pageShift);
        long align = (1L << pageShift) - 1;
        if ((vaddr & align) != 0 || (paddr & align) != 0) {
            throw new IllegalArgumentException(String.format("%#x -> %#x is not aligned to a %d KiB page", vaddr, paddr,
                    (1L << pageShift) / 1024));
        }
        long entryAddress = entryAddress(vaddr, leafLevel, true);
        long old = memory.readEntry(entryAddress, mode.entryBytes());
        if ((old & Pte.P) != 0) {
            throw new IllegalArgumentException(String.format("%#x is already mapped (%s)", vaddr, Pte.describe(old, mode)));
        }
        long entry = paddr | flags | Pte.P | (leafLevel > 1 ? Pte.PS : 0);
        memory.writeEntry(entryAddress, mode.entryBytes(), entry);
    }

    /**
     * The physical address of the entry for {@code vaddr} at {@code level}, walking from the root;
     * with {@code create}, missing tables are allocated, else -1 is returned when one is missing.
     */
    private long entryAddress(long vaddr, int level, boolean create) {
        long table = root();
        for (int l = mode.levels(); l > level; l--) {
            long a = table + (long) mode.indexOf(vaddr, l) * mode.entryBytes();
            long e = memory.readEntry(a, mode.entryBytes());
            if ((e & Pte.P) == 0) {
                if (!create) {
                    return -1;
                }
                if (l == mode.levels() && sharedTop.contains(mode.indexOf(vaddr, l))) {
                    throw new IllegalStateException("top-level entry " + mode.indexOf(vaddr, l) + " is shared");
                }
                int f = memory.allocateFrame();
                ownFrames.add(f);
                tableFrames++;
                e = ((long) f << PhysicalMemory.FRAME_SHIFT) | Pte.P | Pte.RW | Pte.US;
                memory.writeEntry(a, mode.entryBytes(), e);
            } else if ((e & Pte.PS) != 0 && mode.largePageAt(l)) {
                if (!create) {
                    return -1;
                }
                throw new IllegalArgumentException(String.format("%#x lies in a large page mapped at level %d", vaddr, l));
            }
            table = e & mode.addressMask();
        }
        return table + (long) mode.indexOf(vaddr, level) * mode.entryBytes();
    }

    /** The leaf entry that maps {@code vaddr} and its level, as {@code long[]{entry, entryAddress, level}}, or null. */
    private long[] leaf(long vaddr) {
        return leaf(memory, mode, root(), vaddr);
    }

    /**
     * The leaf entry mapping {@code vaddr} in the tables whose top level is at {@code root}, or 0
     * if nothing does; reads memory and sets no accessed or dirty bit (unlike a walk). For checks
     * that look at what the hardware would use without changing it.
     */
    public static long lookup(PhysicalMemory memory, PagingMode mode, long root, long vaddr) {
        long[] l = leaf(memory, mode, root, vaddr);
        return l == null ? 0 : l[0];
    }

    private static long[] leaf(PhysicalMemory memory, PagingMode mode, long root, long vaddr) {
        long table = root;
        for (int l = mode.levels(); l >= 1; l--) {
            long a = table + (long) mode.indexOf(vaddr, l) * mode.entryBytes();
            long e = memory.readEntry(a, mode.entryBytes());
            if ((e & Pte.P) == 0) {
                return null;
            }
            if (l == 1 || ((e & Pte.PS) != 0 && mode.largePageAt(l))) {
                return new long[] {e, a, l};
            }
            table = e & mode.addressMask();
        }
        return null;
    }

    /** The leaf entry mapping {@code vaddr}, or 0 if nothing does. */
    public long lookup(long vaddr) {
        long[] l = leaf(vaddr);
        return l == null ? 0 : l[0];
    }

    /** Clears the leaf mapping {@code vaddr}; returns the old entry, or 0 if nothing was mapped. */
    public long unmap(long vaddr) {
        long[] l = leaf(vaddr);
        if (l == null) {
            return 0;
        }
        memory.writeEntry(l[1], mode.entryBytes(), 0);
        return l[0];
    }

    /** Clears {@code bits} (e.g. RW) in the leaf mapping {@code vaddr}; returns the old entry, or 0. */
    public long protect(long vaddr, long bits) {
        long[] l = leaf(vaddr);
        if (l == null) {
            return 0;
        }
        memory.writeEntry(l[1], mode.entryBytes(), l[0] & ~bits);
        return l[0];
    }

    /** Sets {@code bits} in the leaf mapping {@code vaddr} (e.g. NX, or RW for an upgrade); returns the old entry, or 0. */
    public long setBits(long vaddr, long bits) {
        long[] l = leaf(vaddr);
        if (l == null) {
            return 0;
        }
        memory.writeEntry(l[1], mode.entryBytes(), l[0] | bits);
        return l[0];
    }

    /** The physical address of a table entry at {@code level} for {@code vaddr}, or -1; for tests that corrupt tables. */
    public long entryAddressAt(long vaddr, int level) {
        return entryAddress(vaddr, level, false);
    }
}
