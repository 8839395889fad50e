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
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each L4 design is priced by the code of the L4 measured on its profile (Liedtke's 1997 kernel on the Pentium). */
class L4KernelTests {

    private static List<Path> roles(L4Kernel k) {
        return List.of(k.entry(), k.ipcFast(true), k.ipcFast(false), k.threadSwitch(), k.spaceCheck(), k.exit());
    }

    @Test
    void eachL4DesignRunsTheCodeOfTheL4MeasuredOnItsProfile() {
        for (String profile : List.of("pentium", "i486", "skylake")) {
            for (KernelDesign d : KernelDesign.values()) {
                KernelConfig c;
                try {
                    c = KernelConfig.of(CpuProfile.load(profile), d);
                } catch (IllegalArgumentException cannotRun) {
                    continue; // l4-small on skylake, vst on the 32-bit profiles
                }
                Set<Path> ran = EnumSet.noneOf(Path.class);
                List<String> violations = HostileSyscallProperties.run(c, 5, 300, k -> {
                    k.audit((cpu, kind, path, address, bytes, access, phase) -> {
                        if (path != null) {
                            ran.add(path);
                        }
                    });
                    return null;
                });
                assertEquals(List.of(), violations, profile + "/" + d.key());
                boolean runsAnL4 = Set.of(KernelDesign.L4, KernelDesign.L4_SMALL, KernelDesign.L4LINUX, KernelDesign.L4LINUX_EMU,
                        KernelDesign.BATCHED).contains(d);
                L4Kernel mine = runsAnL4 ? L4Kernel.measuredOn(c.profile()) : L4Kernel.PISTACHIO;
                assertEquals(mine, c.l4Paths(), profile + "/" + d.key());
                for (L4Kernel other : L4Kernel.values()) {
                    if (other != mine) {
                        for (Path p : roles(other)) {
                            assertTrue(!ran.contains(p), profile + "/" + d.key() + " ran " + p + " of " + other);
                        }
                    }
                }
                if (runsAnL4) {
                    for (Path p : List.of(mine.entry(), mine.exit(), mine.threadSwitch())) {
                        assertTrue(ran.contains(p), profile + "/" + d.key() + " never ran " + p + " in 300 random calls");
                    }
                }
            }
        }
        assertEquals(L4Kernel.LIEDTKE_P5, L4Kernel.measuredOn(CpuProfile.load("pentium")),
                "the Pentium figures measured Liedtke's own kernel, found in a version of July 1997");
        assertEquals(L4Kernel.LIEDTKE_486, L4Kernel.measuredOn(CpuProfile.load("i486")), "and the 486 figures his 486 kernel");
    }

    /** A path's instructions on a profile, its declared V-pipe instructions issued free. */
    private static double priced(CpuProfile p, Path path) {
        Instr i = path.instr();
        double notTaken = p.prices(Primitive.BRANCH_NOT_TAKEN) ? p.cycles(Primitive.BRANCH_NOT_TAKEN) : p.cycles(Primitive.BRANCH);
        double simple = i.alu() * p.cycles(Primitive.ALU) + i.load() * p.cycles(Primitive.LOAD)
                + i.store() * p.cycles(Primitive.STORE) + i.takenBranches() * p.cycles(Primitive.BRANCH)
                + (i.branch() - i.takenBranches()) * notTaken;
        double v = i.vPipe() == Instr.UNDECLARED ? 0 : (double) i.vPipe() / i.simple();
        return simple * (1 - v) + (i.segmentLoads() == 0 ? 0 : i.segmentLoads() * p.cycles(Primitive.MOV_SEG))
                + multiClock(p, i);
    }

    /**
     * What a path's multi-clock instructions add on a profile: Liedtke's paths declare only
     * compares that read memory (counted as loads), a MOVZX (a load) and a prefix clock.
     */
    private static double multiClock(CpuProfile p, Instr i) {
        double extra = 0;
        for (MultiClock k : i.multiClock().keySet()) {
            double counted = switch (k) {
                case ALU_MEM, MOVZX -> p.cycles(Primitive.LOAD);
                case PREFIX -> 0;
                default -> throw new AssertionError(k + " is not on Liedtke's paths");
            };
            extra += p.prices(k.primitive()) ? i.multiClock(k) * (p.cycles(k.primitive()) - counted) : 0;
        }
        return extra;
    }

    @Test
    void thePentiumRowsArePricedByLiedtkesPathsOnceEachWay() {
        CpuProfile pentium = CpuProfile.load("pentium");
        double kernel = 0;
        for (Path p : List.of(Path.L4V2_ENTRY, Path.L4V2_IPC, Path.L4V2_THREAD_SWITCH, Path.L4V2_SPACE_CHECK, Path.L4V2_EXIT)) {
            kernel += priced(pentium, p);
        }
        BenchRow small = CycleBench.run(KernelConfig.of(pentium, KernelDesign.L4_SMALL), Workload.IPC_ONEWAY).get(0);
        assertEquals(kernel, small.report().of(CostCategory.KERNEL), 1e-9, "one way: each of the kernel's paths once");
        assertEquals(priced(pentium, Path.SMALL_SWITCH) + 2 * pentium.cycles(Primitive.MOV_SEG),
                small.report().of(CostCategory.AS_SWITCH), 1e-9, "the descriptors rewritten, DS and ES loaded");
        BenchRow large = CycleBench.run(KernelConfig.of(pentium, KernelDesign.L4), Workload.IPC_ONEWAY).get(0);
        assertEquals(kernel, large.report().of(CostCategory.KERNEL), 1e-9);
        assertEquals(pentium.cycles(Primitive.MOV_CR3) + priced(pentium, Path.L4V2_LARGE_SWITCH_FLAT),
                large.report().of(CostCategory.AS_SWITCH), 1e-9, "CR3, and the flat descriptors and DS and ES too");
        // The what-if prices the same row by Pistachio's paths instead.
        BenchRow pistachio = WhatIf.parse("l4=pistachio").rerun(large);
        assertEquals(L4Kernel.PISTACHIO, pistachio.config().l4Paths());
        assertEquals(pentium.cycles(Primitive.MOV_CR3), pistachio.report().of(CostCategory.AS_SWITCH), 1e-9);
    }

    @Test
    void the486RowIsPricedByLiedtkes486PathsACallOneWayAndAReplyTheOther() {
        CpuProfile i486 = CpuProfile.load("i486");
        double roundTrip = priced(i486, Path.L4V1_IPC_CALL) + priced(i486, Path.L4V1_IPC_REPLY);
        for (Path p : List.of(Path.L4V1_ENTRY, Path.L4V1_THREAD_SWITCH, Path.L4V1_SPACE_CHECK, Path.L4V1_EXIT)) {
            roundTrip += 2 * priced(i486, p);
        }
        BenchRow r = CycleBench.run(KernelConfig.of(i486, KernelDesign.L4), Workload.IPC_CALL_REPLY).get(0);
        assertEquals(roundTrip, r.report().of(CostCategory.KERNEL), 1e-9, "the call's path one way, the reply's the other");
        assertEquals(2 * i486.cycles(Primitive.MOV_CR3), r.report().of(CostCategory.AS_SWITCH), 1e-9, "no segments on the 486 kernel");
    }

    @Test
    void liedtkesPentiumKernelDoesItsSpaceStepWithinOneSpaceToo() {
        CpuProfile pentium = CpuProfile.load("pentium");
        BenchRow across = CycleBench.run(KernelConfig.of(pentium, KernelDesign.L4), Workload.IPC_ONEWAY).get(0);
        BenchRow within = CycleBench.run(KernelConfig.of(pentium, KernelDesign.L4), Workload.IPC_SAME_SPACE).get(0);
        assertEquals(across.report().of(CostCategory.KERNEL), within.report().of(CostCategory.KERNEL), 1e-9,
                "no same-space test: the same space step");
        assertEquals(priced(pentium, Path.L4V2_LARGE_KEEP_FLAT), within.report().of(CostCategory.AS_SWITCH), 1e-9,
                "the descriptors rewritten and DS and ES reloaded, no CR3");
        BenchRow small = CycleBench.run(KernelConfig.of(pentium, KernelDesign.L4_SMALL), Workload.IPC_SAME_SPACE).get(0);
        assertEquals(priced(pentium, Path.SMALL_SWITCH) + 2 * pentium.cycles(Primitive.MOV_SEG),
                small.report().of(CostCategory.AS_SWITCH), 1e-9);
    }

    @Test
    void the486ChargesABranchThatFallsThroughAtItsOwnPrice() {
        CpuProfile i486 = CpuProfile.load("i486");
        BenchRow row = CycleBench.run(KernelConfig.of(i486, KernelDesign.L4), Workload.IPC_CALL_REPLY).get(0);
        int fallThrough = 0;
        for (Path p : List.of(Path.L4V1_IPC_CALL, Path.L4V1_IPC_REPLY, Path.L4V1_THREAD_SWITCH, Path.L4V1_THREAD_SWITCH,
                Path.L4V1_SPACE_CHECK, Path.L4V1_SPACE_CHECK)) {
            fallThrough += p.instr().branch() - p.instr().takenBranches();
        }
        assertEquals(28, fallThrough, "9 of the call's 11 branches, all 15 of the reply's, and the switch's and check's");
        BenchRow allTaken = WhatIf.parse("branchNotTaken=" + i486.cycles(Primitive.BRANCH)).rerun(row);
        assertEquals(fallThrough * (i486.cycles(Primitive.BRANCH) - i486.cycles(Primitive.BRANCH_NOT_TAKEN)),
                allTaken.total() - row.total(), 1e-9);
    }

    @Test
    void the486KernelRunsTheCallsPathForACallAndTheReplysForAReplyAndWait() {
        KernelTests.Scene s = new KernelTests.Scene("i486", KernelDesign.L4);
        List<Path> ran = new java.util.ArrayList<>();
        s.k.audit((cpu, kind, path, address, bytes, access, phase) -> {
            if (path == Path.L4V1_IPC_CALL || path == Path.L4V1_IPC_REPLY) {
                ran.add(path);
            }
        });
        s.serverWaits(0, null);
        s.k.syscall(s.client, new Syscall.Call(s.server, Message.of(1, 2), 0, 0, null));
        assertEquals(List.of(Path.L4V1_IPC_CALL), ran, "a call to a server in open wait");
        ran.clear();
        s.k.syscall(s.server, new Syscall.ReplyWait(s.client, Message.of(3), 0, 0, null));
        assertEquals(List.of(Path.L4V1_IPC_REPLY), ran, "a reply to a caller in closed wait, then an open receive");
    }

    @Test
    void liedtkesKernelIsRefusedWhereItCannotRun() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelConfig.of(CpuProfile.load("skylake"), KernelDesign.L4).withL4Kernel(L4Kernel.LIEDTKE_P5));
        assertTrue(e.getMessage().contains("use it on pentium or i486, or l4=pistachio"), e.getMessage());
        // A design that runs no L4 is not refused for the choice: it does not use it.
        KernelConfig.of(CpuProfile.load("skylake"), KernelDesign.MACH).withL4Kernel(L4Kernel.LIEDTKE_P5);
        e = assertThrows(IllegalArgumentException.class, () -> WhatIf.parse("l4=mach"));
        assertTrue(e.getMessage().contains("l4=pistachio, l4=liedtke96 or l4=liedtke97"), e.getMessage());
        // A profile change carries the default along, and an explicit choice with it.
        KernelConfig p = KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.L4);
        assertEquals(L4Kernel.LIEDTKE_486, p.withProfile(CpuProfile.load("i486")).l4Kernel());
        KernelConfig chosen = KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4).withL4Kernel(L4Kernel.LIEDTKE_P5);
        assertEquals(L4Kernel.LIEDTKE_P5, chosen.withProfile(CpuProfile.load("i486").with(Primitive.MOV_CR3, 0)).l4Kernel());
        e = assertThrows(IllegalArgumentException.class,
                () -> KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4).withL4Kernel(L4Kernel.LIEDTKE_486));
        assertTrue(e.getMessage().contains("use it on i486 or pentium"), e.getMessage());
    }
}
