package dev.mkspec.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.Segmentation.Register;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * x86 protected-mode segmentation: descriptors in the GDT and LDT, loads with the checks of MOV to
 * a segment register and their faults, and accesses checked against the hidden limit and type.
 */
class SegmentationTests {
    static final long GDT = 0x1000;
    static final long LDT = 0x2000;
    PhysicalMemory mem;
    Segmentation seg;

    /** GDT: 1 kernel code, 2 kernel data, 3 user code (DPL 3), 4 user data (DPL 3), 5 the LDT, 6 not present, 7 read-only data. */
    @BeforeEach
    void setUp() {
        mem = new PhysicalMemory(8);
        seg = new Segmentation(mem);
        seg.loadGdtr(GDT, 8 * 8 - 1);
        seg.writeDescriptor(GDT, 1, new SegmentDescriptor(0, 0xFFFFF, true, SegmentDescriptor.Kind.CODE, true, 0, true));
        seg.writeDescriptor(GDT, 2, new SegmentDescriptor(0, 0xFFFFF, true, SegmentDescriptor.Kind.DATA, true, 0, true));
        seg.writeDescriptor(GDT, 3, new SegmentDescriptor(0, 0xBFFFF, true, SegmentDescriptor.Kind.CODE, true, 3, true));
        seg.writeDescriptor(GDT, 4, new SegmentDescriptor(0, 0xBFFFF, true, SegmentDescriptor.Kind.DATA, true, 3, true));
        seg.writeDescriptor(GDT, 5, new SegmentDescriptor(LDT, 2 * 8 - 1, false, SegmentDescriptor.Kind.LDT, false, 0, true));
        seg.writeDescriptor(GDT, 6, new SegmentDescriptor(0, 0xFFFF, false, SegmentDescriptor.Kind.DATA, true, 3, false));
        seg.writeDescriptor(GDT, 7, new SegmentDescriptor(0x8000_0000L, 0xFFF, false, SegmentDescriptor.Kind.DATA, false, 3, true));
        // LDT entry 1: a small space's data segment, 8 pages at 3 GiB - 64 MiB.
        seg.writeDescriptor(LDT, 1, new SegmentDescriptor(0xBC00_0000L, 7, true, SegmentDescriptor.Kind.DATA, true, 3, true));
        assertTrue(seg.loadLdtr(5 << 3));
    }

    private void user() {
        seg.setCode((3 << 3) | 3, SegmentDescriptor.decode(mem.read64(GDT + 3 * 8)));
    }

    @Test
    void descriptorsRoundTripThroughTheirEightBytes() {
        SegmentDescriptor d = new SegmentDescriptor(0x1234_5678L, 0xABCDE, true, SegmentDescriptor.Kind.DATA, true, 3, true);
        assertEquals(d, SegmentDescriptor.decode(d.encode()));
        // The flat 4 GiB kernel data segment is the well-known 00CF92000000FFFF.
        assertEquals(0x00CF_9200_0000_FFFFL,
                new SegmentDescriptor(0, 0xFFFFF, true, SegmentDescriptor.Kind.DATA, true, 0, true).encode());
        assertEquals(0xFFFF_FFFFL,
                new SegmentDescriptor(0, 0xFFFFF, true, SegmentDescriptor.Kind.DATA, true, 0, true).effectiveLimit());
    }

    @Test
    void aLoadFillsTheHiddenPartAndAnAccessAddsTheBase() {
        user();
        assertTrue(seg.load(Register.DS, (1 << 3) | 4 | 3));
        assertEquals(0xBC00_0000L, seg.hidden(Register.DS).base());
        assertEquals(0xBC00_0000L + 0x7FFC, seg.linear(Register.DS, 0x7FFC, 4, Access.WRITE));
        assertEquals(1, seg.loads());
    }

    @Test
    void theLimitCheckStopsAnAccessOneByteBeyondTheSegment() {
        user();
        assertTrue(seg.load(Register.DS, (1 << 3) | 4 | 3));
        // 8 pages, page-granular: the last byte is 0x7FFF.
        assertEquals(0xBC00_7FFFL, seg.linear(Register.DS, 0x7FFF, 1, Access.READ));
        assertEquals(-1, seg.linear(Register.DS, 0x8000, 1, Access.READ));
        assertEquals(SegmentFault.Kind.GENERAL_PROTECTION, seg.lastFault().kind());
        assertEquals(0, seg.lastFault().errorCode());
        assertEquals(-1, seg.linear(Register.DS, 0x7FFE, 4, Access.READ), "an access straddling the limit faults too");
    }

    @Test
    void theHiddenPartStaysUntilTheNextLoadEvenIfTheDescriptorChanges() {
        user();
        assertTrue(seg.load(Register.ES, (1 << 3) | 4 | 3));
        seg.writeDescriptor(LDT, 1, new SegmentDescriptor(0, 0, false, SegmentDescriptor.Kind.DATA, true, 3, false));
        assertEquals(0xBC00_0000L, seg.linear(Register.ES, 0, 1, Access.READ), "the descriptor cache is not reread");
        assertFalse(seg.load(Register.ES, (1 << 3) | 4 | 3));
        assertEquals(SegmentFault.Kind.SEGMENT_NOT_PRESENT, seg.lastFault().kind());
    }

    @Test
    void privilegeTypeAndTableChecksRaiseTheManualsFaults() {
        user();
        assertFalse(seg.load(Register.DS, (2 << 3) | 3), "a DPL 0 segment from CPL 3");
        assertEquals(new SegmentFault(SegmentFault.Kind.GENERAL_PROTECTION, 2 << 3, seg.lastFault().why()), seg.lastFault());
        assertFalse(seg.load(Register.DS, 20 << 3), "beyond the GDT's limit");
        assertEquals(20 << 3, seg.lastFault().errorCode());
        assertFalse(seg.load(Register.DS, (6 << 3) | 3));
        assertEquals(SegmentFault.Kind.SEGMENT_NOT_PRESENT, seg.lastFault().kind());
        assertFalse(seg.load(Register.SS, (6 << 3) | 3));
        assertEquals(SegmentFault.Kind.STACK, seg.lastFault().kind());
        assertFalse(seg.load(Register.SS, (7 << 3) | 3), "SS needs a writable segment");
        assertFalse(seg.load(Register.SS, 0), "SS cannot be null");
        assertEquals(0, seg.lastFault().errorCode());
        assertFalse(seg.load(Register.DS, 5 << 3), "an LDT descriptor is no data segment");
        assertThrows(IllegalArgumentException.class, () -> seg.load(Register.CS, 3 << 3));
    }

    @Test
    void lldtIsPrivilegedAndAPageGranularLdtKeepsItsWholeLimit() {
        user();
        assertFalse(seg.loadLdtr(5 << 3));
        assertEquals(0, seg.lastFault().errorCode());
        seg.setCode(1 << 3, SegmentDescriptor.decode(mem.read64(GDT + 8)));
        seg.writeDescriptor(GDT, 5, new SegmentDescriptor(LDT, 0xFFFFF, true, SegmentDescriptor.Kind.LDT, false, 0, true));
        assertTrue(seg.loadLdtr(5 << 3));
        assertTrue(seg.load(Register.DS, (1 << 3) | 4), "an LDT of 4 GiB: no overflow of its limit");
    }

    @Test
    void aDescriptorKindTheModelLeavesOutIsAnErrorNotAFault() {
        user();
        long expandDown = new SegmentDescriptor(0, 0xFFFF, false, SegmentDescriptor.Kind.DATA, true, 3, true).encode()
                | (0b0100L << 40);
        mem.write64(GDT + 6 * 8, expandDown);
        assertThrows(IllegalStateException.class, () -> seg.load(Register.SS, (6 << 3) | 3));
    }

    @Test
    void aNullSelectorLoadsButItsUseFaults() {
        user();
        assertTrue(seg.load(Register.FS, 0));
        assertNull(seg.hidden(Register.FS));
        assertEquals(-1, seg.linear(Register.FS, 0, 1, Access.READ));
        assertEquals(SegmentFault.Kind.GENERAL_PROTECTION, seg.lastFault().kind());
    }

    @Test
    void writesNeedAWritableDataSegment() {
        user();
        assertTrue(seg.load(Register.GS, (7 << 3) | 3));
        assertEquals(0x8000_0010L, seg.linear(Register.GS, 0x10, 4, Access.READ));
        assertEquals(-1, seg.linear(Register.GS, 0x10, 4, Access.WRITE));
        assertTrue(seg.load(Register.SS, (4 << 3) | 3));
        assertEquals(-1, seg.linear(Register.SS, 0xC000_0000L, 4, Access.WRITE), "beyond a 3 GiB stack segment");
        assertEquals(SegmentFault.Kind.STACK, seg.lastFault().kind());
    }

    @Test
    void theCostOfALoadComesFromTheProfile() {
        for (String name : new String[] {"i486", "pentium"}) {
            Cost c = CpuProfile.load(name).costs().get(Primitive.MOV_SEG);
            assertTrue(c != null && c.cycles() > 0, name + " prices a protected-mode segment load");
            assertTrue(c.source().contains("protected mode"), name + " prices the protected-mode load: " + c.source());
        }
        assertEquals(17, CpuProfile.load("pentium").with(Primitive.MOV_SEG, 17).cycles(Primitive.MOV_SEG));
    }
}
