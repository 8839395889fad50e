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
                + c(Primitive.PREFIX) // the first cmpw (the second's, and the DR7 write's 0F, are hidden)
                + (c(Primitive.STI) - alu) + (c(Primitive.MOV_DR) - alu)
                + 2 * c(Primitive.AGI); // dbgreg7(%eax) after the load of current; the IRET after addl $4,%esp
        double libc = c(Primitive.RET) - branch;
        double expected = entry + getpid + exit + libc;
        assertEquals(45, expected, 1e-9, "the profile's prices, summed by hand");
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

    /** The same path on the 486, whose RET and indirect call are dearer than a taken branch, and which prices no prefix or interlock. */
    @Test
    void linuxGetpidOnThe486PaysThe486sPrices() {
        CpuProfile i486 = CpuProfile.load("i486");
        double alu = i486.cycles(Primitive.ALU), load = i486.cycles(Primitive.LOAD), store = i486.cycles(Primitive.STORE);
        double branch = i486.cycles(Primitive.BRANCH);
        double ret = i486.cycles(Primitive.RET) - branch;
        double entry = (i486.cycles(Primitive.CLD) - alu) + (i486.cycles(Primitive.ALU_RMW) - store)
                + (i486.cycles(Primitive.MOV_DR) - alu) + (i486.cycles(Primitive.ALU_MEM) - load)
                + (i486.cycles(Primitive.BRANCH_INDIRECT) - branch) + 4 * (i486.cycles(Primitive.PUSH_SEG) - store);
        double exit = 7 * (i486.cycles(Primitive.ALU_MEM) - load) + (i486.cycles(Primitive.STI) - alu)
                + (i486.cycles(Primitive.MOV_DR) - alu);
        double expected = entry + ret + exit + ret;
        assertEquals(49, expected, 1e-9, "the 486's prices, summed by hand");
        BenchRow row = getpid(i486);
        assertEquals(expected, row.report().total() - WhatIf.parse("multiclock=off").rerun(row).report().total(), 1e-9);
    }

    /**
     * A declared instruction costs its own price, whatever the classes cost: the V-pipe share
     * applies to the other instructions (rule M1: no declared instruction issues in the V pipe).
     */
    @Test
    void aDeclaredInstructionCostsItsPriceWhateverItsClassCosts() {
        CpuProfile dearLoads = PENTIUM.with(Primitive.LOAD, 3);
        Instr without = Instr.of(2, 2, 0, 0).withVPipe(1);
        Instr with = Instr.of(2, 3, 0, 0).withVPipe(1).withMultiClock(MultiClock.ALU_MEM, 1);
        assertEquals(dearLoads.cycles(Primitive.ALU_MEM),
                Cpu.instructionCycles(with, dearLoads) - Cpu.instructionCycles(without, dearLoads), 1e-9);
        // Where the profile gives no price of its own, the instruction costs its class's, unpaired.
        CpuProfile unpriced = dearLoads.without(List.of(Primitive.ALU_MEM));
        assertEquals(3, Cpu.instructionCycles(with, unpriced) - Cpu.instructionCycles(without, unpriced), 1e-9);
        // A PUSHA, counted as its eight stores, costs its own price in their place: on the P5 less than they would.
        assertEquals(PENTIUM.cycles(Primitive.PUSHA),
                Cpu.instructionCycles(Instr.of(0, 0, 8, 0).withMultiClock(MultiClock.PUSHA, 1), PENTIUM), 1e-9);
        assertTrue(PENTIUM.cycles(Primitive.PUSHA) < 8 * PENTIUM.cycles(Primitive.STORE));
        // A stall costs its price and nothing else.
        assertEquals(PENTIUM.cycles(Primitive.AGI),
                Cpu.instructionCycles(without.withMultiClock(MultiClock.AGI, 1), PENTIUM) - Cpu.instructionCycles(without, PENTIUM), 1e-9);
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

    /**
     * The long instructions named in MK83's paths: the DIV of the port hash in the null trap, the
     * entry's PUSHA, PUSHF, segment pushes and XCHG, its compare with the trap count and call
     * through the trap table, the exit's POPA and compare, the argument
     * copy's PUSH from memory and LOOP, the CLD of {@code copyin} and {@code copyout}, the lazy-FPU
     * CR0 read and write of each hand-off and {@code copyout}'s CR3 read. The generic thread switch
     * and space check the Mach designs share with Pistachio declare nothing (their slow forms are
     * Pistachio's own).
     */
    @Test
    void mk83OnThe486PaysForItsLongInstructions() {
        CpuProfile i486 = CpuProfile.load("i486");
        double alu = i486.cycles(Primitive.ALU), load = i486.cycles(Primitive.LOAD), store = i486.cycles(Primitive.STORE);
        double branch = i486.cycles(Primitive.BRANCH);
        double entry = (i486.cycles(Primitive.ALU_MEM) - load) + (i486.cycles(Primitive.BRANCH_INDIRECT) - branch)
                + (i486.cycles(Primitive.PUSHA) - 8 * store) + (i486.cycles(Primitive.PUSHF) - store)
                + 4 * (i486.cycles(Primitive.PUSH_SEG) - store) + (i486.cycles(Primitive.XCHG) - alu);
        double exit = (i486.cycles(Primitive.POPA) - 8 * load) + (i486.cycles(Primitive.ALU_MEM) - load);
        KernelConfig mach = KernelConfig.of(i486, KernelDesign.MACH);
        BenchRow trap = CycleBench.run(mach, Workload.NULL_SYSCALL).get(0);
        assertEquals(entry + i486.cycles(Primitive.DIV) - alu + exit,
                trap.report().total() - WhatIf.parse("multiclock=off").rerun(trap).report().total(), 1e-9,
                "the entry's pushes, exchange, compare and call, the DIV, the exit's POPA and compare");
        double sevenArguments = 7 * (i486.cycles(Primitive.PUSH_MEM) - store) + 7 * (i486.cycles(Primitive.LOOP) - branch);
        double copyin = i486.cycles(Primitive.CLD) - alu;
        double handOff = (i486.cycles(Primitive.MOV_CR0) - alu) + (i486.cycles(Primitive.MOV_FROM_CR) - alu);
        double copyout = (i486.cycles(Primitive.MOV_FROM_CR) - alu) + (i486.cycles(Primitive.CLD) - alu);
        BenchRow ipc = CycleBench.run(mach, Workload.IPC_ONEWAY).get(0);
        assertEquals(entry + sevenArguments + copyin + handOff + copyout + exit,
                ipc.report().total() - WhatIf.parse("multiclock=off").rerun(ipc).report().total(), 1e-9,
                "each way: the entry, the seven arguments, copyin, the hand-off, copyout and the exit");
        // The general path (a send and a receive apart) runs the same long instructions in other
        // paths: copyin's CLD in the send, the CR0 moves in the block, copyout's CR3 read and CLD in
        // the receive.
        BenchRow general = WhatIf.parse("fastpath=off").rerun(ipc);
        BenchRow generalFlat = WhatIf.parse("multiclock=off").rerun(general);
        assertEquals(entry + sevenArguments + copyin + handOff + copyout + exit,
                general.report().total() - generalFlat.report().total(), 1e-9, "the general path's");
        // OSF MK's paths (the MkLinux designs) name the same DIV and CR0 moves.
        assertEquals(1, Path.MACH_NULL_TRAP.instr().multiClock(MultiClock.DIV));
        assertEquals(1, Path.MACH_HANDOFF.instr().multiClock(MultiClock.MOV_CR0));
        assertEquals(1, Path.MACH_HANDOFF.instr().multiClock(MultiClock.MOV_FROM_CR));
    }

    /**
     * OSF MK's locore on the Pentium, for MkLinux's getpid: the client's INT 0x80 takes {@code
     * syscall_int80}'s entry to {@code exception()}, not the LCALL entry of a Mach trap, and the
     * exception message the kernel sends copies no {@code mach_msg} arguments from a user stack;
     * the user-level server's reply is a Mach trap with both. The what-if prices each declared
     * instruction by its class, unpaired, so each term is a price less its class's, written out by
     * hand from the walk of docs/cycles/pentium-pairing.md, section 7.
     */
    @Test
    void mkLinuxOnThePentiumPaysForOsfMksLongInstructions() {
        double alu = c(Primitive.ALU), load = c(Primitive.LOAD), store = c(Primitive.STORE), branch = c(Primitive.BRANCH);
        double prefix = c(Primitive.PREFIX), agi = c(Primitive.AGI);
        assertTrue(!PENTIUM.prices(Primitive.PUSHF), "the P5's PUSHF is unpriced: it costs its class, a store");
        double int80 = (c(Primitive.PUSHA) - 8 * store) + 4 * (c(Primitive.PUSH_SEG) - store) + 4 * prefix
                + (c(Primitive.ALU_MEM) - load) + (c(Primitive.XCHG) - alu) + 6 * agi;
        double trapEntry = (c(Primitive.PUSHA) - 8 * store) + 4 * (c(Primitive.PUSH_SEG) - store) + 4 * prefix
                + 2 * (c(Primitive.ALU_MEM) - load) + (c(Primitive.XCHG) - alu) + (c(Primitive.BRANCH_INDIRECT) - branch) + 7 * agi;
        double nineArguments = 9 * (c(Primitive.PUSH_MEM) - store) + 9 * (c(Primitive.LOOP) - branch) + 9 * prefix + agi;
        double exit = (c(Primitive.POPA) - 8 * load) + 3 * (c(Primitive.ALU_MEM) - load) + 2 * prefix + 5 * agi;
        double exceptionExit = exit - agi; // thread_exception_return stores no result: no interlock on ESP
        double handOff = (c(Primitive.MOV_CR0) - alu) + (c(Primitive.MOV_FROM_CR) - alu);
        double libc = c(Primitive.RET) - branch;
        double lock = c(Primitive.XCHG_MEM) - store; // a cthreads mutex taken or released: a locked XCHG with memory
        assertEquals(10, int80, 1e-9, "the profile's prices, summed by hand");
        assertEquals(13, trapEntry, 1e-9);
        assertEquals(55, nineArguments, 1e-9);
        assertEquals(7, exit, 1e-9);
        BenchRow user = CycleBench.run(KernelConfig.of(PENTIUM, KernelDesign.MKLINUX_USER), Workload.GETPID).get(0);
        double demux = c(Primitive.BRANCH_INDIRECT) - branch; // MIG's exc_server calls its stub through the routine table
        assertEquals(libc + int80 + handOff + exit + 2 * lock + demux + trapEntry + nineArguments + handOff + exceptionExit,
                user.report().total() - WhatIf.parse("multiclock=off").rerun(user).report().total(), 1e-9,
                "the client's INT 0x80 entry, the exception's hand-off to the server, the server's exit, its lock taken "
                        + "and dropped, MIG's call of its stub, its reply's Mach trap entry and nine arguments, the hand-off back and the client's exit");
        // The co-located server calls into the kernel: no trap entry, no arguments copied, no exit of
        // its own; on its activation it takes and releases the antechamber mutex besides its lock.
        BenchRow inKernel = CycleBench.run(KernelConfig.of(PENTIUM, KernelDesign.MKLINUX_INKERNEL), Workload.GETPID).get(0);
        assertEquals(libc + int80 + handOff + 4 * lock + handOff + exceptionExit,
                inKernel.report().total() - WhatIf.parse("multiclock=off").rerun(inKernel).report().total(), 1e-9);
    }

    @Test
    void aPathCannotDeclareMoreSlowInstructionsThanItsClassHolds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Instr.of(3, 1, 0, 0).withMultiClock(MultiClock.ALU_MEM, 2));
        assertTrue(e.getMessage().contains("LOAD"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Instr.of(3, 1, 0, 0).withMultiClock(MultiClock.RET, 1));
        assertThrows(IllegalArgumentException.class, () -> Instr.of(3, 1, 0, 0).withMultiClock(MultiClock.CLD, -1));
        e = assertThrows(IllegalArgumentException.class,
                () -> Instr.of(0, 0, 0, 2).withTaken(0).withMultiClock(MultiClock.RET, 1));
        assertTrue(e.getMessage().contains("taken"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Instr.of(1, 1, 0, 0).withVPipe(1).withMultiClock(MultiClock.ALU_MEM, 1).withMultiClock(MultiClock.CLD, 1));
        assertTrue(e.getMessage().contains("V pipe"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Instr.of(0, 0, 7, 0).withMultiClock(MultiClock.PUSHA, 1));
        assertTrue(e.getMessage().contains("8"), "a PUSHA stands for eight stores: " + e.getMessage());
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
        e = assertThrows(IllegalArgumentException.class, () -> PENTIUM.without(List.of(Primitive.MOV_SEG)));
        assertTrue(e.getMessage().contains("must give"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PENTIUM.without(List.of(Primitive.LOAD)));
    }
}
