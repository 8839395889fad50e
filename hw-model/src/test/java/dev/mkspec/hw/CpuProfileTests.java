package dev.mkspec.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuProfileTests {
    @Test
    void everyBuiltInProfileLoadsAndEveryCostHasASource() {
        for (String name : CpuProfile.BUILT_IN) {
            CpuProfile p = CpuProfile.load(name);
            assertEquals(name, p.name());
            assertTrue(p.prices(p.entry().enter()) && p.prices(p.entry().exit()), name);
            p.costs().values().forEach(c -> assertFalse(c.source().isBlank(), name + " " + c.primitive()));
        }
        CpuProfile i486 = CpuProfile.load("i486");
        assertEquals(107, i486.cycles(Primitive.INT) + i486.cycles(Primitive.IRET), 1e-9, "Liedtke's hardware floor");
        assertEquals(32, i486.mmu().dtlb().entries());
        assertFalse(i486.mmu().tagged());
        assertTrue(CpuProfile.load("skylake").mmu().tagged());
    }

    @Test
    void withChangesOnePrimitiveAndSaysSo() {
        CpuProfile p = CpuProfile.load("pentium").with(Primitive.INT, 50);
        assertEquals(50, p.cycles(Primitive.INT), 1e-9);
        assertTrue(p.costs().get(Primitive.INT).source().contains("changed"));
        assertEquals(27, p.cycles(Primitive.IRET), 1e-9);
    }

    @Test
    void badProfilesAreRejectedNamingTheField() {
        String ok = new String(read());
        assertTrue(message(ok.replace("\"iret\":", "\"ire\":")).contains("primitives.ire"));
        assertTrue(message(ok.replaceFirst("\"source\": \"Intel486 Programmer's Reference Manual, INT n[^\"]*\"", "\"source\": \"\""))
                .contains("source"));
        assertTrue(message(ok.replace("\"int\":  ", "\"total\":")).contains("primitives.total"));
        assertTrue(message("{ not json").contains("not valid JSON"));
        assertTrue(message(ok.replace("\"paging\": \"X86_32\"", "\"paging\": \"X86_48\"")).contains("paging"));
        assertThrows(IllegalArgumentException.class, () -> CpuProfile.load("/no/such/profile.json"));
    }

    @Test
    void aThirtyTwoBitProfileMustPriceSegmentLoadsAndPairingIsAShareOfAtMostAHalf() {
        String ok = new String(read());
        String noSeg = ok.replaceFirst("\\s*\"movSeg\":[^\\n]*\\n", "\n");
        assertFalse(noSeg.contains("movSeg"));
        assertTrue(message(noSeg).contains("primitives.movSeg"), message(noSeg));
        String pairing = ok.replace("\"alu\":", "\"pairing\": {\"value\": 0.6, \"source\": \"test\"},\n    \"alu\":");
        assertTrue(message(pairing).contains("at most 0.5"), message(pairing));
        assertThrows(IllegalArgumentException.class, () -> CpuProfile.load("pentium").with(Primitive.PAIRING, 0.7));
    }

    @Test
    void cacheModelsChangeOnlyTheGeometryOrTheMissPrice() {
        CpuProfile p = CpuProfile.load("pentium");
        CpuProfile full = CacheModel.FULL.apply(p);
        assertEquals(1, full.l1d().sets());
        assertEquals(p.l1d().sizeBytes(), full.l1d().sizeBytes());
        assertEquals(p.l1d().lineBytes(), full.l1d().lineBytes());
        assertEquals(1, full.l1i().sets());
        CpuProfile direct = CacheModel.DIRECT.apply(p);
        assertEquals(1, direct.l1d().ways());
        assertEquals(p.l1d().sizeBytes() / p.l1d().lineBytes(), direct.l1d().sets());
        assertEquals(0, CacheModel.IDEAL.apply(p).cycles(Primitive.CACHE_MISS), 1e-9);
        assertEquals(p.l1d(), CacheModel.IDEAL.apply(p).l1d());
        CpuProfile unified = CacheModel.FULL.apply(CpuProfile.load("i486"));
        assertEquals(null, unified.l1i(), "a unified cache stays unified");
        assertEquals(p.cycles(Primitive.MOV_CR3), full.cycles(Primitive.MOV_CR3), 1e-9);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CacheModel.byKey("huge")).getMessage().contains("full"));
    }

    private static byte[] read() {
        try (var in = CpuProfile.class.getResourceAsStream("/dev/mkspec/hw/profiles/i486.json")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String message(String json) {
        return assertThrows(IllegalArgumentException.class, () -> CpuProfile.parse(json, "test.json")).getMessage();
    }

    @Test
    void theCacheHitsWhatItHoldsAndEvictsTheLeastRecentlyUsed() {
        Cache c = new Cache(new CacheConfig("L1", 128, 2, 16));
        assertFalse(c.access(0));
        assertTrue(c.access(8));
        assertFalse(c.access(64));
        assertTrue(c.access(0));
        assertFalse(c.access(128));
        assertTrue(c.holds(0));
        assertFalse(c.holds(64), "64 was the least recently used line of set 0");
    }
}
