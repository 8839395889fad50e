package dev.mkspec.hw;

/**
 * An x86 segment descriptor (Intel SDM Vol. 3A, 3.4.5), in the 8-byte form the GDT and LDT hold.
 * Only what mkspec's kernels use is modelled: expand-up data segments, code segments, and the LDT
 * descriptor of the GDT; not expand-down segments, gates or task-state segments.
 *
 * @param base the segment's linear base address (32 bits)
 * @param limit the 20-bit limit field
 * @param pageGranular G: the limit counts 4 KiB pages rather than bytes
 * @param kind what the segment is
 * @param writableOrReadable W for a data segment, R for a code segment
 * @param dpl the descriptor privilege level, 0 to 3
 * @param present P
 */
public record SegmentDescriptor(long base, int limit, boolean pageGranular, Kind kind, boolean writableOrReadable,
        int dpl, boolean present) {

    /** The kinds of descriptor modelled. */
    public enum Kind {
        /** A data segment (S = 1, type bit 3 clear). */
        DATA,
        /** A non-conforming code segment (S = 1, type bit 3 set, C clear). */
        CODE,
        /** An LDT descriptor (S = 0, type 2), found only in the GDT. */
        LDT
    }

    public SegmentDescriptor {
        if (base < 0 || base > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("a segment base is 32 bits, not " + Long.toHexString(base));
        }
        if (limit < 0 || limit > 0xF_FFFF) {
            throw new IllegalArgumentException("a segment limit field is 20 bits, not " + Integer.toHexString(limit));
        }
        if (dpl < 0 || dpl > 3) {
            throw new IllegalArgumentException("a DPL is 0 to 3, not " + dpl);
        }
    }

    /** A present, byte-granular, writable data segment. */
    public static SegmentDescriptor data(long base, int limit, int dpl) {
        return new SegmentDescriptor(base, limit, false, Kind.DATA, true, dpl, true);
    }

    /** The last byte offset the segment allows: the limit, scaled by G. */
    public long effectiveLimit() {
        return pageGranular ? ((long) limit << 12) | 0xFFF : limit;
    }

    /** The descriptor's 8 bytes as the processor reads them, least significant byte first. */
    public long encode() {
        long low = (limit & 0xFFFFL) | ((base & 0xFFFFL) << 16);
        int type = switch (kind) {
            case DATA -> writableOrReadable ? 0b0010 : 0b0000;
            case CODE -> 0b1000 | (writableOrReadable ? 0b0010 : 0);
            case LDT -> 0b0010;
        };
        long high = ((base >>> 16) & 0xFF) | ((long) type << 8) | ((kind == Kind.LDT ? 0L : 1L) << 12)
                | ((long) dpl << 13) | ((present ? 1L : 0L) << 15) | (((long) limit >>> 16) << 16) | (1L << 22)
                | ((pageGranular ? 1L : 0L) << 23) | (((base >>> 24) & 0xFF) << 24);
        return low | (high << 32);
    }

    /**
     * Reads a descriptor from its 8 bytes.
     *
     * @return the descriptor, or null for a kind mkspec does not model (a gate, a TSS, expand-down
     *     or conforming segments), which a load treats as the wrong type
     */
    public static SegmentDescriptor decode(long raw) {
        long low = raw & 0xFFFF_FFFFL;
        long high = raw >>> 32;
        int limit = (int) ((low & 0xFFFF) | (((high >>> 16) & 0xF) << 16));
        long base = ((low >>> 16) & 0xFFFF) | ((high & 0xFF) << 16) | (((high >>> 24) & 0xFF) << 24);
        int type = (int) ((high >>> 8) & 0xF);
        boolean s = ((high >>> 12) & 1) != 0;
        int dpl = (int) ((high >>> 13) & 3);
        boolean present = ((high >>> 15) & 1) != 0;
        boolean g = ((high >>> 23) & 1) != 0;
        Kind kind;
        boolean wr;
        if (!s) {
            if (type != 0b0010) {
                return null;
            }
            kind = Kind.LDT;
            wr = false;
        } else if ((type & 0b1000) == 0) {
            if ((type & 0b0100) != 0) {
                return null; // expand-down
            }
            kind = Kind.DATA;
            wr = (type & 0b0010) != 0;
        } else {
            if ((type & 0b0100) != 0) {
                return null; // conforming
            }
            kind = Kind.CODE;
            wr = (type & 0b0010) != 0;
        }
        return new SegmentDescriptor(base, limit, g, kind, wr, dpl, present);
    }
}
