package dev.mkspec.hw;

/**
 * The page-table format: 32-bit two-level paging (no PAE), or 64-bit four-level paging.
 */
public enum PagingMode {
    /** Two levels of 1024 four-byte entries: 4 KiB pages, and 4 MiB pages when CR4.PSE is set. */
    X86_32(2, 4, 10, 0xFFFF_F000L),
    /** Four levels of 512 eight-byte entries: 4 KiB, 2 MiB and 1 GiB pages, and NX. */
    X86_64(4, 8, 9, 0x000F_FFFF_FFFF_F000L);

    private final int levels;
    private final int entryBytes;
    private final int bitsPerLevel;
    private final long addressMask;

    PagingMode(int levels, int entryBytes, int bitsPerLevel, long addressMask) {
        this.levels = levels;
        this.entryBytes = entryBytes;
        this.bitsPerLevel = bitsPerLevel;
        this.addressMask = addressMask;
    }

    public int levels() {
        return levels;
    }

    public int entryBytes() {
        return entryBytes;
    }

    public int bitsPerLevel() {
        return bitsPerLevel;
    }

    /** The bits of an entry that hold the next table's or the frame's physical address. */
    public long addressMask() {
        return addressMask;
    }

    /** The shift of the address bits that index the table at {@code level} (1 = page table). */
    public int shiftOf(int level) {
        return 12 + bitsPerLevel * (level - 1);
    }

    /** The index of {@code vaddr} in the table at {@code level}. */
    public int indexOf(long vaddr, int level) {
        return (int) ((vaddr >>> shiftOf(level)) & ((1 << bitsPerLevel) - 1));
    }

    /** Whether a leaf (PS set) is allowed at {@code level}: 4 MiB at 2 for x86-32; 2 MiB at 2, 1 GiB at 3 for x86-64. */
    public boolean largePageAt(int level) {
        return this == X86_32 ? level == 2 : level == 2 || level == 3;
    }
}
