package dev.mkspec.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.Primitive;
import dev.mkspec.kernel.bench.BenchRow;
import dev.mkspec.kernel.bench.CycleBench;
import dev.mkspec.kernel.bench.WhatIf;
import dev.mkspec.kernel.bench.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The instructions that take more clocks than their class ({@link MultiClock}): declared on the
 * paths read as instruction sequences, priced by the profiles that give their price, and measured
 * by the what-if {@code multiclock=off}.
 */
class MultiClockTests {
    private static final CpuProfile PENTIUM = CpuProfile.load("pentium");

    private static double c(Primitive p) {
        return PENTIUM.cycles(p);
    }

    private static BenchRow getpid(CpuProfile p) {
        return CycleBench.run(KernelConfig.of(p, KernelDesign.MONOLITHIC), Workload.GETPID).get(0);
    }

    /**
     * Linux 2.0's getpid, walked instruction by instruction (docs/cycles/pentium-pairing.md,
     * section 7): what each slow instruction and stall costs beyond its class, written out by hand.
     */
    @Test
    void linuxGetpidOnThePentiumPaysForEachSlowInstructionOfItsPath() {
        double alu = c(Primitive.ALU), load = c(Primitive.LOAD), store = c(Primitive.STORE), branch = c(Primitive.BRANCH);
        double entry = (c(Primitive.CLD) - alu) // cld
                + c(Primitive.PREFIX) // push %fs (push %gs's 0F is hidden behind the cld)
                + (c(Primitive.ALU_RMW) - store) // andl $~CF_MASK,EFLAGS(%esp)
                + (c(Primitive.MOV_DR) - alu) // movl %db6,%edx
                + (c(Primitive.ALU_MEM) - load) // testb $0x20,flags(%ebx)
                + (c(Primitive.BRANCH_INDIRECT) - branch); // call *%eax
        double getpid = c(Primitive.AGI) + (c(Primitive.RET) - branch); // movl pid(%eax) after the load of current; ret
        double exit = 7 * (c(Primitive.ALU_MEM) - load) // the compares with intr_count, bh_active, CS (twice), need_resched, task, signal
                + 3 * c(Primitive.PREFIX) // the two cmpw, and the 0F of movl %ebx,%db7
                + (c(Primitive.STI) - alu) + (c(Primitive.MOV_DR) - alu)
                + 2 * c(Primitive.AGI); // dbgreg7(%eax) after the load of current; the IRET after addl $4,%esp
        double libc = c(Primitive.RET) - branch;
        double expected = entry + getpid + exit + libc;
        assertEquals(47, expected, 1e-9, "the profile's prices, summed by hand");
        BenchRow row = getpid(PENTIUM);
        BenchRow flat = WhatIf.parse("multiclock=off").rerun(row);
        assertEquals(expected, row.report().total() - flat.report().total(), 1e-9,
                "the what-if removes exactly the slow instructions' extra clocks");
        assertEquals(expected, row.report().of(CostCategory.KERNEL) + row.report().of(CostCategory.USER)
                - flat.report().of(CostCategory.KERNEL) - flat.report().of(CostCategory.USER), 1e-9,
                "and they are kernel and user instructions");
        // One price moves the row by its own count: the two debug-register moves.
        BenchRow cheapDr = WhatIf.parse("movDr=" + alu).rerun(row);
        assertEquals(2 * (c(Primitive.MOV_DR) - alu), row.report().total() - cheapDr.report().total(), 1e-9);
    }

    @Test
    void liedtkesPentiumIpcPaysForItsMovzxItsPrefixAndItsMemoryCompare() {
        BenchRow row = CycleBench.run(KernelConfig.of(PENTIUM, KernelDesign.L4_SMALL), Workload.IPC_ONEWAY).get(0);
        BenchRow flat = WhatIf.parse("multiclock=off").rerun(row);
        double expected = (c(Primitive.MOVZX) - c(Primitive.LOAD)) + c(Primitive.PREFIX) + (c(Primitive.ALU_MEM) - c(Primitive.LOAD));
        assertEquals(expected, row.report().total() - flat.report().total(), 1e-9, "one IPC's path, once one way");
    }

    @Test
    void aProfileWithoutThePricesChargesEachInstructionByItsClass() {
        CpuProfile skylake = CpuProfile.load("skylake");
        for (MultiClock k : MultiClock.values()) {
            assertTrue(!skylake.prices(k.primitive()), "skylake prices " + k.primitive().key());
        }
        BenchRow row = getpid(skylake);
        assertEquals(row.report().total(), WhatIf.parse("multiclock=off").rerun(row).report().total(), 1e-9);
        // The 486 prices the instructions but not the P5's prefix clocks or interlocks.
        CpuProfile i486 = CpuProfile.load("i486");
        assertTrue(i486.prices(Primitive.ALU_MEM) && !i486.prices(Primitive.PREFIX) && !i486.prices(Primitive.AGI));
    }

    @Test
    void aPathCannotDeclareMoreSlowInstructionsThanItsClassHolds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Instr.of(3, 1, 0, 0).withMultiClock(MultiClock.ALU_MEM, 2));
        assertTrue(e.getMessage().contains("LOAD"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Instr.of(3, 1, 0, 0).withMultiClock(MultiClock.RET, 1));
        assertThrows(IllegalArgumentException.class, () -> Instr.of(3, 1, 0, 0).withMultiClock(MultiClock.CLD, -1));
        Instr ok = Instr.of(0, 0, 0, 0).withMultiClock(MultiClock.AGI, 3).withMultiClock(MultiClock.AGI, 1);
        assertEquals(4, ok.multiClock(MultiClock.AGI), "a stall needs no instruction of its own; counts add up");
        for (Path p : Path.values()) {
            for (MultiClock k : p.instr().multiClock().keySet()) {
                assertTrue(p.instr().multiClock(k) > 0, p + " declares no " + k + " but names it");
            }
        }
    }

    @Test
    void theSwitchTakesOnlyOff() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WhatIf.parse("multiclock=on"));
        assertTrue(e.getMessage().contains("multiclock=off"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PENTIUM.without(List.of(Primitive.LOAD)));
    }
}
