package dev.mkspec.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replacement policies and geometry of one TLB. */
class TlbTests {
    /** Fills pages 0..n-1 of one set of a 1-set, 4-way TLB, and returns which page a fifth fill replaced. */
    private static long replacedAfter(Replacement policy, int... touches) {
        Tlb t = new Tlb(TlbConfig.of("T", 4, 4, policy, false));
        for (int p = 0; p < 4; p++) {
            t.fill(p * 4096L, 12, p * 4096L, true, true, false, false, true, 0);
        }
        for (int p : touches) {
            assertTrue(t.lookup(p * 4096L, 0) >= 0);
        }
        t.fill(9 * 4096L, 12, 0, true, true, false, false, true, 0);
        for (int p = 0; p < 4; p++) {
            if (t.find(p * 4096L, 0) < 0) {
                return p;
            }
        }
        throw new AssertionError("nothing was replaced");
    }

    @Test
    void lruReplacesTheLeastRecentlyUsed() {
        assertEquals(0, replacedAfter(Replacement.LRU));
        assertEquals(1, replacedAfter(Replacement.LRU, 0));
        assertEquals(3, replacedAfter(Replacement.LRU, 2, 1, 0));
    }

    @Test
    void treePseudoLruPointsAwayFromTheRecentHalf() {
        // After touching 0 and then 2, the root points left (away from 2) and the left node away from 0.
        assertEquals(1, replacedAfter(Replacement.PLRU, 0, 2));
        // Touching 3 last: the root points left; the left pair last saw a fill of 1, so 0 goes.
        assertEquals(0, replacedAfter(Replacement.PLRU, 3));
        // Tree-PLRU only approximates LRU. After touching 0, 1, 2 the least recent page is 3, but
        // the root, last sent right by 2, points left, and the left pair points away from 1.
        assertEquals(3, replacedAfter(Replacement.LRU, 0, 1, 2));
        assertEquals(0, replacedAfter(Replacement.PLRU, 0, 1, 2));
        // After 2, 3, 0: LRU evicts 1; the tree points right (away from 0) and then away from 3.
        assertEquals(1, replacedAfter(Replacement.LRU, 2, 3, 0));
        assertEquals(2, replacedAfter(Replacement.PLRU, 2, 3, 0));
    }

    @Test
    void randomReplacementRepeatsWithItsSeedAndSpreads() {
        List<Long> a = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        for (Tlb t : new Tlb[] {new Tlb(TlbConfig.of("T", 8, 8, Replacement.RANDOM, false).withSeed(42)),
                new Tlb(TlbConfig.of("T", 8, 8, Replacement.RANDOM, false).withSeed(42))}) {
            List<Long> out = a.isEmpty() ? a : b;
            for (int p = 0; p < 200; p++) {
                t.fill(p * 4096L, 12, 0, true, true, false, false, true, 0);
            }
            for (int p = 0; p < 200; p++) {
                if (t.find(p * 4096L, 0) >= 0) {
                    out.add((long) p);
                }
            }
        }
        assertEquals(a, b, "the same seed gives the same survivors");
        assertEquals(8, a.size());
        assertTrue(a.get(0) < 192, "random replacement keeps some older pages: " + a);
    }

    @Test
    void setIndexingSplitsPagesAcrossSets() {
        Tlb t = new Tlb(TlbConfig.of("T", 8, 2, Replacement.LRU, false));
        for (int p = 0; p < 8; p++) {
            t.fill(p * 4096L, 12, 0, true, true, false, false, true, 0);
        }
        assertEquals(8, t.occupancy(), "4 sets of 2 ways hold 8 consecutive pages");
        t.fill(8 * 4096L, 12, 0, true, true, false, false, true, 0);
        assertTrue(t.find(0, 0) < 0, "page 8 maps to set 0 and replaces page 0, its LRU");
        assertTrue(t.find(4 * 4096L, 0) >= 0);
        assertEquals(1, t.evictions());
    }

    @Test
    void badGeometryIsRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlbConfig.of("T", 10, 4, Replacement.LRU, false));
        assertTrue(e.getMessage().contains("multiple of ways"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlbConfig.of("T", 12, 3, Replacement.PLRU, false));
        assertThrows(IllegalArgumentException.class, () -> new MmuConfig(PagingMode.X86_32, null,
                TlbConfig.of("T", 8, 2, Replacement.LRU, true), null), "PCIDs need 64-bit paging");
    }
}
