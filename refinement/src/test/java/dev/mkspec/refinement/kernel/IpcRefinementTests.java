package dev.mkspec.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelBug;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.kernel.KernelInvariants;
import dev.mkspec.model.ipc.IpcConstants;
import dev.mkspec.refinement.IpcBinding;
import dev.mkspec.specs.tla.CfgParser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernel refines Ipc.tla's model (the plan's {@code kernel:Ipc/*} checks run it at length and
 * on fast's bounds; here: one exhaustive comparison, the forward simulation, the bugs the IPC refinement exists for are caught by a model step, not by the bounds, and
 * the kernel's own invariants K-n miss them on the very run refinement rejects).
 */
class IpcRefinementTests {
    static IpcConstants constants(String cfg) throws Exception {
        return IpcBinding.constants(CfgParser.parse(Path.of("..", "specs", "tla", "Ipc").resolve(cfg)));
    }

    static KernelConfig config(KernelBug bug) {
        return KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4).withBug(bug);
    }

    /** A hundred runs of 60 calls refine the model, and together reach every kind of step the cfg allows. */
    static void refinesReachingEveryKindOfStep(RandomIpcRuns runs) {
        java.util.Set<String> reached = new java.util.TreeSet<>();
        for (long seed = 1; seed <= 100; seed++) {
            RandomIpcRuns.Outcome o = runs.run(seed, 60);
            assertTrue(o.ok(), () -> o.failure().getMessage());
            reached.addAll(o.actions().keySet());
        }
        assertTrue(reached.containsAll(RandomIpcRuns.reaches(runs.constants())), reached::toString);
    }

    @Test
    void theKernelRefinesTheModelWithEveryKindOfStepReached() throws Exception {
        RandomIpcRuns runs = new RandomIpcRuns(config(KernelBug.NONE), constants("MCIpc_fast.cfg"));
        refinesReachingEveryKindOfStep(runs);
    }

    @ParameterizedTest
    @CsvSource({"MCIpc_fast_closed.cfg, haswell, L4", "MCIpc_fast_notify.cfg, skylake, L4", "MCIpc_fast.cfg, pentium, MACH",
        "MCIpc_fast.cfg, i486, L4_SMALL"})
    void theKernelRefinesTheModelOnEveryCfgAndDesign(String cfg, String cpu, KernelDesign design) throws Exception {
        RandomIpcRuns runs = new RandomIpcRuns(KernelConfig.of(CpuProfile.load(cpu), design), constants(cfg));
        for (long seed = 1; seed <= 100; seed++) {
            RandomIpcRuns.Outcome o = runs.run(seed, 60);
            assertTrue(o.ok(), () -> o.failure().getMessage());
        }
    }

    /** The slots' threads spread over two and three CPUs: calls, replies and signals cross CPUs, and still refine. */
    @ParameterizedTest
    @CsvSource({"MCIpc_fast.cfg, 2", "MCIpc_fast_closed.cfg, 2", "MCIpc_fast_closed.cfg, 3", "MCIpc_fast_notify.cfg, 2"})
    void ipcAcrossCpusRefinesTheModel(String cfg, int cpus) throws Exception {
        RandomIpcRuns runs = new RandomIpcRuns(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4).withCpus(cpus),
                constants(cfg), KernelInvariants::check);
        dev.mkspec.kernel.Kernel k = new dev.mkspec.kernel.Kernel(KernelConfig.of(CpuProfile.load("haswell"),
                KernelDesign.L4).withCpus(cpus));
        IpcSimulation sim = runs.setUp(k, new java.util.Random(1), new java.util.ArrayList<>());
        java.util.Set<Integer> used = new java.util.TreeSet<>();
        for (int t = 0; t < runs.constants().threads().size(); t++) {
            used.add(k.processorOf(k.threadView(sim.abstraction().number(t)).id()));
        }
        assertEquals(Math.min(cpus, runs.constants().threads().size()), used.size(), "the threads run on " + used);
        refinesReachingEveryKindOfStep(runs);
    }

    @ParameterizedTest
    @CsvSource({"REPLY_WITHOUT_AUTHORITY, MCIpc_fast.cfg", "SEND_REACHES_CALLER, MCIpc_fast.cfg",
        "DELETE_SKIPS_REPLY_WAITERS, MCIpc_fast.cfg", "SIGNAL_OVERWRITES, MCIpc_fast_notify.cfg"})
    void onlyRefinementCatchesTheIpcBugs(KernelBug bug, String cfg) throws Exception {
        RandomIpcRuns runs = new RandomIpcRuns(config(bug), constants(cfg), KernelInvariants::check);
        int caught = 0;
        for (long seed = 1; seed <= 300 && caught < 5; seed++) {
            RandomIpcRuns.Outcome o = runs.run(seed, 60);
            if (!o.ok()) {
                assertEquals("step", o.failure().check(), () -> bug + " was seen by " + o.failure().getMessage());
                caught++;
            }
        }
        assertTrue(caught > 0, bug + " was never caught");
    }

    @Test
    void theKernelsGraphIsTheModelsAtFastClosedsBounds() throws Exception {
        IpcGraph.Result r = new IpcGraph(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4),
                constants("MCIpc_fast_closed.cfg")).compare(line -> { });
        assertTrue(r.equal(), () -> r.difference().orElseThrow());
        assertEquals(r.modelViews(), r.kernelViews());
        assertEquals(r.modelEdges(), r.kernelEdges());
    }

    @Test
    void constantsTheKernelCannotStandForAreRefusedWithTheReason() throws Exception {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RandomIpcRuns(config(KernelBug.NONE), constants("MCIpc_fast_map.cfg")));
        assertTrue(e.getMessage().contains("map"), e::getMessage);
    }
}
