package dev.mkspec.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The walk and the MMU against the rules of the Intel SDM, volume 3, chapter 4. */
class MmuTests {
    static final long KIB4 = 4096;
    static final long U_RW = Pte.US | Pte.RW;

    static Mmu mmu32(PhysicalMemory mem, PageTables pt) {
        Mmu m = new Mmu(MmuConfig.unified(PagingMode.X86_32, TlbConfig.of("TLB", 32, 4, Replacement.LRU, false)
                .withPageShifts(Set.of(12, 22))), mem);
        m.writeCr3(pt.root());
        return m;
    }

    static Mmu mmu64(PhysicalMemory mem, PageTables pt) {
        Mmu m = new Mmu(MmuConfig.unified(PagingMode.X86_64, TlbConfig.of("TLB", 64, 4, Replacement.LRU, true)
                .withPageShifts(Set.of(12, 21, 30))), mem);
        m.writeCr3(pt.root(), 1, false);
        return m;
    }

    @Test
    void theScanForNonZeroEntriesFindsWhatReadingEveryEntryFinds() {
        java.util.Random random = new java.util.Random(7);
        for (int width : new int[] {4, 8}) {
            int count = PhysicalMemory.FRAME_SIZE / width;
            for (int round = 0; round < 200; round++) {
                PhysicalMemory mem = new PhysicalMemory(4);
                long table = PhysicalMemory.FRAME_SIZE;
                int written = random.nextInt(6);
                for (int k = 0; k < written; k++) {
                    // a value with one byte set, anywhere in the entry, or a whole entry
                    long value = random.nextBoolean() ? 0xFFL << (8 * random.nextInt(width)) : random.nextLong();
                    mem.writeEntry(table + (long) random.nextInt(count) * width, width, width == 4 ? value & 0xFFFF_FFFFL : value);
                }
                int from = random.nextInt(count + 1);
                int expected = count;
                for (int i = from; i < count; i++) {
                    if (mem.readEntry(table + (long) i * width, width) != 0) {
                        expected = i;
                        break;
                    }
                }
                assertEquals(expected, mem.nextNonZeroEntry(table, width, from, count), "width " + width + ", from " + from);
            }
            assertEquals(count, new PhysicalMemory(4).nextNonZeroEntry(0, width, 0, count), "an untouched frame is all zero");
        }
    }

    @Test
    void aReachableLeafWalkIncludesSharedTopLevelEntriesThatTheOwnLeafWalkSkips() {
        PhysicalMemory mem = new PhysicalMemory(64);
        PageTables kernel = new PageTables(mem, PagingMode.X86_32);
        kernel.map(0xC000_0000L, 0x7000, 12, Pte.P | Pte.RW);
        PageTables space = new PageTables(mem, PagingMode.X86_32);
        space.shareTopLevel(kernel, 0xC000_0000L, 1L << 22);
        space.map(0x0040_1000L, 0x5000, 12, U_RW);
        java.util.List<Long> own = new java.util.ArrayList<>();
        space.forEachLeaf(-1L, (va, e) -> own.add(va));
        java.util.List<Long> reachable = new java.util.ArrayList<>();
        space.forEachReachableLeaf((va, e) -> reachable.add(va));
        assertEquals(java.util.List.of(0x0040_1000L), own);
        assertEquals(java.util.List.of(0x0040_1000L, 0xC000_0000L), reachable);
    }

    @Test
    void aUserLeafWalkGivesTheReachableLeavesWithTheUserBitAtEveryLevel() {
        PhysicalMemory mem = new PhysicalMemory(64);
        PageTables kernel = new PageTables(mem, PagingMode.X86_32);
        kernel.map(0xC000_0000L, 0x7000, 12, Pte.P | Pte.RW);
        kernel.map(0xC000_1000L, 0x8000, 12, U_RW);
        PageTables space = new PageTables(mem, PagingMode.X86_32);
        space.shareTopLevel(kernel, 0xC000_0000L, 1L << 22);
        space.map(0x0040_1000L, 0x5000, 12, U_RW);
        space.map(0x0040_2000L, 0x6000, 12, Pte.P | Pte.RW);
        java.util.Map<Long, Long> filtered = new java.util.TreeMap<>();
        space.forEachReachableLeaf((va, e) -> {
            if ((e & Pte.US) != 0) {
                filtered.put(va, e);
            }
        });
        java.util.Map<Long, Long> user = new java.util.TreeMap<>();
        space.forEachUserLeaf(user::put);
        assertEquals(filtered, user);
        assertTrue(user.containsKey(0x0040_1000L));
        assertFalse(user.containsKey(0x0040_2000L), "a supervisor leaf is not user-reachable");
        assertFalse(user.containsKey(0xC000_0000L), "a supervisor leaf of the shared half is not user-reachable");
    }

    @Test
    void x86_32FourKibPageWalksTwoLevelsAndSetsAccessedAndDirty() {
        PhysicalMemory mem = new PhysicalMemory(64);
        PageTables pt = new PageTables(mem, PagingMode.X86_32);
        pt.map(0x0040_1000L, 0x5000, 12, U_RW);
        Mmu m = mmu32(mem, pt);
        assertEquals(0x5123, m.translate(0x0040_1123L, Access.READ, Mode.USER));
        assertEquals(1, m.walker().referencesAt(2));
        assertEquals(1, m.walker().referencesAt(1));
        long leaf = pt.lookup(0x0040_1000L);
        assertTrue(Pte.has(leaf, Pte.A));
        assertFalse(Pte.has(leaf, Pte.D), "a read does not set D");
        m.translate(0x0040_1123L, Access.WRITE, Mode.USER);
        assertTrue(Pte.has(pt.lookup(0x0040_1000L), Pte.D), "a write through a clean entry walks again and sets D");
        assertEquals(1, m.dirtyAssists());
        assertEquals(0x5FFF, m.translate(0x0040_1FFFL, Access.WRITE, Mode.USER));
        assertEquals(1, m.misses());
        assertEquals(2, m.hits());
    }

    @Test
    void x86_32FourMibPageNeedsPse() {
        PhysicalMemory mem = new PhysicalMemory(2048);
        PageTables pt = new PageTables(mem, PagingMode.X86_32);
        pt.map(0x0080_0000L, 0x0040_0000L, 22, U_RW);
        Mmu m = mmu32(mem, pt);
        Translation t = m.translation(0x0083_4567L, Access.READ, Mode.USER);
        assertEquals(0x0043_4567L, t.physical());
        assertEquals(22, t.pageShift());
        assertEquals(0, m.walker().referencesAt(1), "a 4 MiB page ends the walk at the directory");
        m.registers().pageSizeExtensions = false;
        m.flushAll();
        // Without PSE the PDE's PS bit is ignored: the PDE points at a "page table" (frame 0x400) of zeros.
        Translation noPse = m.translation(0x0083_4567L, Access.READ, Mode.USER);
        assertEquals(FaultKind.NOT_PRESENT, noPse.fault().kind());
        assertEquals(1, noPse.fault().level());
    }

    @Test
    void faultsNameTheirKindAndLevel() {
        PhysicalMemory mem = new PhysicalMemory(64);
        PageTables pt = new PageTables(mem, PagingMode.X86_32);
        pt.map(0x1000, 0x6000, 12, Pte.US);
        pt.map(0x2000, 0x7000, 12, Pte.RW);
        Mmu m = mmu32(mem, pt);
        PageFault notMapped = m.translation(0x0800_0000L, Access.READ, Mode.USER).fault();
        assertEquals(FaultKind.NOT_PRESENT, notMapped.kind());
        assertEquals(2, notMapped.level(), "no page table covers that address");
        PageFault inTable = m.translation(0x3000, Access.READ, Mode.USER).fault();
        assertEquals(1, inTable.level(), "the table exists, its entry is not present");
        assertEquals(FaultKind.WRITE_PROTECTED, m.translation(0x1000, Access.WRITE, Mode.USER).fault().kind());
        assertEquals(FaultKind.USER_TO_SUPERVISOR, m.translation(0x2000, Access.READ, Mode.USER).fault().kind());
        assertTrue(m.translation(0x2000, Access.WRITE, Mode.SUPERVISOR).ok());
    }

    @Test
    void cr0WpDecidesWhetherSupervisorWritesHonourReadOnly() {
        PhysicalMemory mem = new PhysicalMemory(64);
        PageTables pt = new PageTables(mem, PagingMode.X86_32);
        pt.map(0x1000, 0x6000, 12, Pte.US);
        Mmu m = mmu32(mem, pt);
        m.registers().writeProtect = true;
        assertEquals(FaultKind.WRITE_PROTECTED, m.translation(0x1000, Access.WRITE, Mode.SUPERVISOR).fault().kind());
        m.registers().writeProtect = false;
        assertTrue(m.translation(0x1000, Access.WRITE, Mode.SUPERVISOR).ok(), "WP clear: the supervisor writes anyway");
        assertEquals(FaultKind.WRITE_PROTECTED, m.translation(0x1000, Access.WRITE, Mode.USER).fault().kind(),
                "WP never lets the user write");
    }

    @Test
    void x86_64WalksFourLevelsAndHoldsEveryPageSize() {
        PhysicalMemory mem = new PhysicalMemory(256);
        PageTables pt = new PageTables(mem, PagingMode.X86_64);
        pt.map(0x7F00_0000_1000L, 0x9000, 12, U_RW);
        pt.map(0x4000_0000L, 0x0020_0000L, 21, U_RW);
        pt.map(0x80_0000_0000L, 0x4000_0000L, 30, U_RW);
        Mmu m = mmu64(mem, pt);
        assertEquals(0x9ABC, m.translate(0x7F00_0000_1ABCL, Access.READ, Mode.USER));
        assertEquals(1, m.walker().referencesAt(4));
        assertEquals(1, m.walker().referencesAt(1));
        assertEquals(0x0021_2345L, m.translate(0x4001_2345L, Access.READ, Mode.USER));
        assertEquals(0x4123_4567L, m.translate(0x80_0123_4567L, Access.READ, Mode.USER));
        assertEquals(3, m.misses());
        assertEquals(1, m.walker().referencesAt(1), "large pages stop above the page table");
        assertEquals(3, m.walker().referencesAt(3), "every walk reads the PDPT; the 1 GiB walk stops there");
        assertEquals(2, m.walker().referencesAt(2));
    }

    @Test
    void x86_64NoExecuteNonCanonicalAndReservedBits() {
        PhysicalMemory mem = new PhysicalMemory(256);
        PageTables pt = new PageTables(mem, PagingMode.X86_64);
        pt.map(0x1000, 0x9000, 12, U_RW | Pte.NX);
        Mmu m = mmu64(mem, pt);
        assertEquals(FaultKind.NO_EXECUTE, m.translation(0x1000, Access.EXECUTE, Mode.USER).fault().kind());
        assertTrue(m.translation(0x1000, Access.READ, Mode.USER).ok());
        assertEquals(FaultKind.NON_CANONICAL, m.translation(0x0000_8000_0000_0000L, Access.READ, Mode.USER).fault().kind());
        m.registers().noExecuteEnable = false;
        m.flushAll();
        assertEquals(FaultKind.RESERVED_BIT, m.translation(0x1000, Access.READ, Mode.USER).fault().kind(),
                "bit 63 is reserved when EFER.NXE is clear");
        long pml4e = pt.entryAddressAt(0x1000, 4);
        mem.write64(pml4e, mem.read64(pml4e) | Pte.PS);
        m.registers().noExecuteEnable = true;
        PageFault f = m.translation(0x1000, Access.READ, Mode.USER).fault();
        assertEquals(FaultKind.RESERVED_BIT, f.kind());
        assertEquals(4, f.level());
    }

    @Test
    void pcidTagsEntriesAndCr3NoFlushKeepsThem() {
        PhysicalMemory mem = new PhysicalMemory(256);
        PageTables a = new PageTables(mem, PagingMode.X86_64);
        PageTables b = new PageTables(mem, PagingMode.X86_64);
        a.map(0x1000, 0xA000, 12, U_RW);
        b.map(0x1000, 0xB000, 12, U_RW);
        Mmu m = mmu64(mem, a);
        assertEquals(0xA000, m.translate(0x1000, Access.READ, Mode.USER));
        m.writeCr3(b.root(), 2, true);
        assertEquals(0xB000, m.translate(0x1000, Access.READ, Mode.USER), "PCID 2 does not see PCID 1's entry");
        m.writeCr3(a.root(), 1, true);
        long misses = m.misses();
        assertEquals(0xA000, m.translate(0x1000, Access.READ, Mode.USER));
        assertEquals(misses, m.misses(), "no-flush CR3 write: PCID 1's entry survived");
        m.writeCr3(a.root(), 1, false);
        m.translate(0x1000, Access.READ, Mode.USER);
        assertEquals(misses + 1, m.misses(), "CR3 write with bit 63 clear flushes the new PCID");
    }

    @Test
    void globalEntriesSurviveCr3WritesButNotInvlpgOrInvpcidType2() {
        PhysicalMemory mem = new PhysicalMemory(64);
        PageTables pt = new PageTables(mem, PagingMode.X86_32);
        pt.map(0xC000_0000L, 0x3000, 12, Pte.RW | Pte.G);
        pt.map(0x1000, 0x4000, 12, U_RW);
        Mmu m = mmu32(mem, pt);
        m.translate(0xC000_0000L, Access.READ, Mode.SUPERVISOR);
        m.translate(0x1000, Access.READ, Mode.USER);
        assertEquals(2, m.dtlb().occupancy());
        m.writeCr3(pt.root());
        assertEquals(1, m.dtlb().occupancy(), "a CR3 write without PCIDs drops the non-global entry only");
        m.invlpg(0xC000_0000L);
        assertEquals(0, m.dtlb().occupancy(), "INVLPG drops global entries too");
        m.translate(0xC000_0000L, Access.READ, Mode.SUPERVISOR);
        m.invpcid(3, 0, 0);
        assertEquals(1, m.dtlb().occupancy(), "type 3 spares globals");
        m.invpcid(2, 0, 0);
        assertEquals(0, m.dtlb().occupancy(), "type 2 takes everything");
        assertThrows(IllegalArgumentException.class, () -> m.invpcid(4, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> m.writeCr3(pt.root(), 3, false),
                "no PCIDs on an untagged TLB");
    }

    @Test
    void invpcidTypeZeroAndOneActOnOnePcid() {
        PhysicalMemory mem = new PhysicalMemory(256);
        PageTables pt = new PageTables(mem, PagingMode.X86_64);
        pt.map(0x1000, 0xA000, 12, U_RW);
        pt.map(0x2000, 0xB000, 12, U_RW);
        Mmu m = mmu64(mem, pt);
        m.translate(0x1000, Access.READ, Mode.USER);
        m.translate(0x2000, Access.READ, Mode.USER);
        m.writeCr3(pt.root(), 2, true);
        m.translate(0x1000, Access.READ, Mode.USER);
        assertEquals(3, m.dtlb().occupancy());
        m.invpcid(0, 1, 0x1000);
        assertEquals(2, m.dtlb().occupancy());
        assertTrue(m.dtlb().find(0x1000, 2) >= 0, "PCID 2's entry for the page stays");
        m.invpcid(1, 1, 0);
        assertEquals(1, m.dtlb().occupancy());
    }

    @Test
    void splitTlbsAndASecondLevel() {
        PhysicalMemory mem = new PhysicalMemory(64);
        PageTables pt = new PageTables(mem, PagingMode.X86_32);
        pt.map(0x1000, 0x4000, 12, U_RW);
        MmuConfig cfg = new MmuConfig(PagingMode.X86_32, TlbConfig.of("ITLB", 8, 2, Replacement.LRU, false),
                TlbConfig.of("DTLB", 8, 2, Replacement.LRU, false), TlbConfig.of("STLB", 64, 4, Replacement.LRU, false));
        Mmu m = new Mmu(cfg, mem);
        m.writeCr3(pt.root());
        m.translate(0x1000, Access.READ, Mode.USER);
        assertEquals(1, m.dtlb().occupancy());
        assertEquals(0, m.itlb().occupancy());
        assertEquals(1, m.l2().occupancy());
        long walks = m.walker().walks();
        m.translate(0x1000, Access.EXECUTE, Mode.USER);
        assertEquals(walks, m.walker().walks(), "the fetch missed the ITLB but hit the second level");
        assertEquals(1, m.l2Hits());
        assertEquals(1, m.itlb().occupancy());
        m.invlpg(0x1000);
        assertEquals(0, m.itlb().occupancy() + m.dtlb().occupancy() + m.l2().occupancy(), "INVLPG reaches every level");
    }

    @Test
    void aTlbThatLacksAPageSizeWalksEveryTime() {
        PhysicalMemory mem = new PhysicalMemory(64);
        PageTables pt = new PageTables(mem, PagingMode.X86_32);
        pt.map(0x0040_0000L, 0x0040_0000L, 22, U_RW);
        Mmu m = new Mmu(MmuConfig.unified(PagingMode.X86_32, TlbConfig.of("TLB", 8, 2, Replacement.LRU, false)), mem);
        m.writeCr3(pt.root());
        m.translate(0x0040_0000L, Access.READ, Mode.USER);
        m.translate(0x0040_0000L, Access.READ, Mode.USER);
        assertEquals(2, m.walker().walks());
        assertEquals(0, m.dtlb().occupancy());
    }

    @Test
    void theHitPathAllocatesNothing() {
        PhysicalMemory mem = new PhysicalMemory(64);
        PageTables pt = new PageTables(mem, PagingMode.X86_32);
        for (int i = 0; i < 8; i++) {
            pt.map(0x1000L * (i + 1), 0x10000L + 0x1000L * i, 12, U_RW | Pte.D);
        }
        Mmu m = mmu32(mem, pt);
        for (int i = 0; i < 8; i++) {
            m.translate(0x1000L * (i + 1), Access.WRITE, Mode.USER);
        }
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long sum = 0;
        for (int warm = 0; warm < 200_000; warm++) {
            sum += m.translate(0x1000L * (warm % 8 + 1) + 8, warm % 2 == 0 ? Access.WRITE : Access.READ, Mode.USER);
        }
        bean.getThreadAllocatedBytes(tid);
        int hits = 1_000_000;
        long before = bean.getThreadAllocatedBytes(tid);
        for (int i = 0; i < hits; i++) {
            sum += m.translate(0x1000L * (i % 8 + 1) + 8, Access.READ, Mode.USER);
        }
        long allocated = bean.getThreadAllocatedBytes(tid) - before;
        assertTrue(sum > 0);
        // The smallest Java object is 16 bytes, so one allocation per hit would show as 16 MB
        // here. A few kilobytes come from the JIT recompiling the loop on some machines and are
        // not the hit path's; the bound is one byte per hit, sixteen times below one object.
        assertTrue(allocated < hits, hits + " TLB hits allocated " + allocated + " bytes");
    }
}
