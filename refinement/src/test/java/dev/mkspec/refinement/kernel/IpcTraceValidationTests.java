package dev.mkspec.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelBug;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tlc.TlcInstallation;
import dev.mkspec.specs.tlc.TlcRunner;
import dev.mkspec.specs.tlc.TraceValidator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLC judges kernel IPC traces against Ipc.tla (through IpcTrace.tla), finding the ghosts itself:
 * it rejects a mislabelled step and a buggy kernel's run. (That it accepts the kernel's runs is the
 * plan's {@code kernel:Ipc/trace_fast}.)
 */
class IpcTraceValidationTests {
    static final Path SPEC = Path.of("..", "specs", "tla", "Ipc").toAbsolutePath().normalize();
    static final Path LIBRARY = SPEC.resolveSibling("AddressSpaces");
    static final CfgFile FAST = CfgParser.parse(SPEC.resolve("MCIpc_fast.cfg"));

    private final IpcTraceValidation tlc = new IpcTraceValidation(new TlcRunner(TlcInstallation.bundled()), SPEC,
            List.of(LIBRARY));

    private static RandomIpcRuns runs(KernelBug bug) throws Exception {
        return new RandomIpcRuns(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4).withBug(bug),
                IpcRefinementTests.constants("MCIpc_fast.cfg"));
    }

    @Test
    void aStepLabelledWithAnotherCallIsRejected(@TempDir Path dir) throws Exception {
        RandomIpcRuns.Recorded run = runs(KernelBug.NONE).trace(3, 40);
        List<IpcSimulation.Event> events = new ArrayList<>(run.events());
        int i = 1;
        while (events.get(i).view().equals(events.get(i - 1).view())) {
            i++;
        }
        // a state change, claimed to come from a thread's Wait (fast allows none)
        events.set(i, new IpcSimulation.Event("Wait(a)", events.get(i).view()));
        TraceValidator.Verdict v = tlc.check(dir, FAST, run.withEvents(events), Duration.ofMinutes(2));
        assertFalse(v.accepted(), v.message());
    }

    @Test
    void aBuggyKernelsRunIsRejectedByTlcAlone(@TempDir Path dir) throws Exception {
        RandomIpcRuns runs = runs(KernelBug.REPLY_WITHOUT_AUTHORITY);
        for (long seed = 1; seed <= 200; seed++) {
            RandomIpcRuns.Recorded run = runs.trace(seed, 60);
            // The Java model only picks a run where the bug shows; TLC judges it alone.
            if (!runs.judge(run).ok()) {
                TraceValidator.Verdict v = tlc.check(dir, FAST, run, Duration.ofMinutes(2));
                assertFalse(v.accepted(), "TLC accepted the run the forward simulation rejected (seed " + seed + ")");
                assertTrue(v.message().contains("ReplyWait"), v.message());
                return;
            }
        }
        throw new AssertionError("no recorded run of the buggy kernel went wrong");
    }
}
