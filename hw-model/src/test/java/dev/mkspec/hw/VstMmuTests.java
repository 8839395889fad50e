package dev.mkspec.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The VST MMU: selectors translated through each domain's Vst to global segments, each with its
 * own page tables, and a TLB tagged by the global index that no domain switch flushes.
 */
class VstMmuTests {
    static final int CLIENT = 1;
    static final int SERVICE = 2;
    PhysicalMemory mem;
    VstMmu vst;
    int buffer;
    long frame;

    @BeforeEach
    void setUp() {
        mem = new PhysicalMemory(256);
        Mmu mmu = new Mmu(MmuConfig.unified(PagingMode.X86_64, TlbConfig.of("TLB", 64, 4, Replacement.LRU, true)), mem);
        vst = new VstMmu(mmu, 2);
        PageTables tables = new PageTables(mem, PagingMode.X86_64);
        frame = (long) mem.allocateFrame() << PhysicalMemory.FRAME_SHIFT;
        tables.map(0x3000, frame, 12, Pte.P | Pte.RW | Pte.US);
        buffer = vst.createSegment(tables, CLIENT);
        vst.grant(CLIENT, 5, buffer, VstMmu.R | VstMmu.W);
        vst.grant(SERVICE, 9, buffer, VstMmu.R);
    }

    @Test
    void twoDomainsReachOneSegmentThroughTheirOwnSelectors() {
        assertTrue(vst.load(0, CLIENT, 5));
        assertEquals(frame + 0x10, vst.translate(0, 0x3010, Access.WRITE));
        assertTrue(vst.load(1, SERVICE, 9));
        assertEquals(buffer, vst.index(1));
        assertEquals(frame + 0x10, vst.translate(1, 0x3010, Access.READ));
        assertEquals(-1, vst.translate(1, 0x3010, Access.WRITE), "the service holds the segment read-only");
        assertFalse(vst.load(1, SERVICE, 5), "the client's selector means nothing in the service's Vst");
        assertEquals(2 + 1, vst.loads());
    }

    @Test
    void theTlbEntryFilledForOneDomainServesTheOther() {
        assertTrue(vst.load(0, CLIENT, 5));
        vst.translate(0, 0x3000, Access.READ);
        long walks = vst.mmu().walker().walks();
        long hits = vst.mmu().hits();
        assertTrue(vst.load(1, SERVICE, 9));
        assertEquals(frame, vst.translate(1, 0x3000, Access.READ));
        assertEquals(walks, vst.mmu().walker().walks(), "no walk: the entry is tagged by the global index");
        assertEquals(hits + 1, vst.mmu().hits());
    }

    @Test
    void revocationClearsTheRegistersLoadedThroughTheEntryAndDeletionTheTlb() {
        assertTrue(vst.load(0, CLIENT, 5));
        assertTrue(vst.load(1, SERVICE, 9));
        vst.translate(1, 0x3000, Access.READ);
        vst.revoke(SERVICE, 9);
        assertEquals(0, vst.index(1));
        assertEquals(-1, vst.translate(1, 0x3000, Access.READ));
        assertFalse(vst.load(1, SERVICE, 9));
        assertEquals(buffer, vst.index(0), "the client's register, loaded through its own entry, stays");
        vst.deleteSegment(buffer);
        assertEquals(0, vst.index(0));
        assertTrue(vst.mmu().cached(0x3000, buffer).isEmpty(), "the deleted segment's translations are gone");
    }

    @Test
    void aCallRightIsNoDataRightAndAnUnmappedOffsetPageFaults() {
        vst.grant(SERVICE, 1, buffer, VstMmu.CALL);
        assertFalse(vst.load(0, SERVICE, 1));
        assertTrue(vst.lastFault().contains("call right only"));
        assertTrue(vst.load(0, CLIENT, 5));
        assertEquals(-1, vst.translate(0, 0x9000, Access.READ));
        assertTrue(vst.lastFault().startsWith("#PF"), vst.lastFault());
    }

    @Test
    void anUntaggedTlbCannotCarryTheGlobalIndex() {
        Mmu untagged = new Mmu(MmuConfig.unified(PagingMode.X86_32, TlbConfig.of("TLB", 32, 4, Replacement.LRU, false)), mem);
        assertThrows(IllegalArgumentException.class, () -> new VstMmu(untagged, 1));
    }
}
