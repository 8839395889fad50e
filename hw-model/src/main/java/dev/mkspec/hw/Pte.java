package dev.mkspec.hw;

/**
 * The bits of an x86 paging-structure entry (PDE, PTE, PDPTE, PML4E). The same low bits serve the
 * 32-bit and the 64-bit formats; NX is bit 63 and exists only in the 64-bit one.
 */
public final class Pte {
    /** Present. */
    public static final long P = 1L;
    /** Read/write: writes allowed when set. */
    public static final long RW = 1L << 1;
    /** User/supervisor: user accesses allowed when set. */
    public static final long US = 1L << 2;
    /** Accessed: set by the walk. */
    public static final long A = 1L << 5;
    /** Dirty: set by the walk on a write (leaf entries only). */
    public static final long D = 1L << 6;
    /** Page size: this PDE or PDPTE maps a large page. */
    public static final long PS = 1L << 7;
    /** Global: the translation survives CR3 writes (with CR4.PGE). */
    public static final long G = 1L << 8;
    /** No-execute (64-bit format, with EFER.NXE). */
    public static final long NX = 1L << 63;

    private Pte() {
    }

    /** Whether every bit of {@code bits} is set in {@code entry}. */
    public static boolean has(long entry, long bits) {
        return (entry & bits) == bits;
    }

    /** A readable form such as {@code 0x1000 P|RW|US|A}. */
    public static String describe(long entry, PagingMode mode) {
        StringBuilder b = new StringBuilder(String.format("%#x", entry & mode.addressMask()));
        String[] names = {"P", "RW", "US", "A", "D", "PS", "G"};
        long[] bits = {P, RW, US, A, D, PS, G};
        String sep = " ";
        for (int i = 0; i < bits.length; i++) {
            if (has(entry, bits[i])) {
                b.append(sep).append(names[i]);
                sep = "|";
            }
        }
        if (entry < 0) {
            b.append(sep).append("NX");
        }
        return b.toString();
    }
}
