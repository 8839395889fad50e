package dev.mkspec.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Several CPUs, shared tables, and shootdown by IPI. */
class MachineTests {
    @Test
    void aStaleEntryLivesUntilTheTargetHandlesItsIpi() {
        PhysicalMemory mem = new PhysicalMemory(64);
        PageTables pt = new PageTables(mem, PagingMode.X86_32);
        pt.map(0x1000, 0x8000, 12, Pte.US | Pte.RW);
        Machine m = new Machine(mem, MmuConfig.unified(PagingMode.X86_32, TlbConfig.of("TLB", 16, 4, Replacement.LRU,
                false)), 2);
        m.cpu(0).writeCr3(pt.root());
        m.cpu(1).writeCr3(pt.root());
        assertEquals(0x8000, m.cpu(1).translate(0x1000, Access.READ, Mode.USER));
        pt.unmap(0x1000);
        m.cpu(0).invlpg(0x1000);
        Machine.Shootdown s = m.shootdown(0, 0b11, Machine.Invalidation.PAGE, 0, 0x1000);
        assertEquals(1, s.pending(), "the sender does not interrupt itself");
        assertEquals(0x8000, m.cpu(1).translate(0x1000, Access.READ, Mode.USER), "CPU 1 still has the stale entry");
        assertTrue(m.hasIpis(1));
        m.handleIpis(1);
        assertTrue(s.done());
        assertFalse(m.cpu(1).translation(0x1000, Access.READ, Mode.USER).ok());
        assertEquals(1, m.ipisSent());
    }
}
