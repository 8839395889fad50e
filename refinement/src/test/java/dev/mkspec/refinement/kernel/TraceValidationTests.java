package dev.mkspec.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.Action;
import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelBug;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tlc.TlcInstallation;
import dev.mkspec.specs.tlc.TraceValidator;
import dev.mkspec.specs.tlc.TlcRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLC judges kernel traces against AddressSpaces.tla, with no help from the Java model. */
class TraceValidationTests {
    static final AddressSpacesConstants GRANT = AddressSpacesConstants.of(List.of("s1", "s2", "s3"), 1, List.of("r", "w"), 0);
    static final Path SPEC = Path.of("..", "specs", "tla", "AddressSpaces").toAbsolutePath().normalize();

    static final CfgFile CFG = CfgParser.parse(SPEC.resolve("MCAddressSpaces_fast_grant.cfg"));
    static final KernelBounds BOUNDS = KernelBounds.of(GRANT);

    private final TraceValidation tlc = new TraceValidation(new TlcRunner(TlcInstallation.bundled()), SPEC);

    private static RandomKernelRuns runs(KernelBug bug) {
        return new RandomKernelRuns(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4).withBug(bug),
                KernelBounds.of(GRANT));
    }

    /** The first run from seed 1 on with at least ten calls that change the mappings. */
    private static RandomKernelRuns.Recorded longTrace() {
        for (long seed = 1; ; seed++) {
            RandomKernelRuns.Recorded t = runs(KernelBug.NONE).trace(seed, 100);
            if (t.calls().size() >= 10) {
                return t;
            }
        }
    }

    @Test
    void aKernelRunIsABehaviourOfTheSpec(@TempDir Path dir) {
        TraceValidator.Verdict v = tlc.check(dir, BOUNDS, CFG, longTrace(), Duration.ofMinutes(2));
        assertTrue(v.accepted(), v.message());
    }

    @Test
    void aCallLabelledWithAnotherOperationIsRejected(@TempDir Path dir) {
        RandomKernelRuns.Recorded t = longTrace();
        List<ForwardSimulation.Call> calls = new ArrayList<>(t.calls());
        int i = calls.size() - 1;
        ForwardSimulation.Call last = calls.get(i);
        // the same state, claimed to come from an operation that cannot have produced it
        calls.set(i, new ForwardSimulation.Call(List.of(new Action("SpaceCreate", List.of("s1"))), last.state()));
        TraceValidator.Verdict v = tlc.check(dir, BOUNDS, CFG, new RandomKernelRuns.Recorded(t.start(), calls),
                Duration.ofMinutes(2));
        assertFalse(v.accepted(), "a state change that SpaceCreate(s1) cannot make should be rejected");
        assertEquals(v.states() - 1, v.matched(), v.message());
    }

    @Test
    void aBuggyKernelsRunIsRejectedByTlcAlone(@TempDir Path dir) {
        for (long seed = 1; seed <= 400; seed++) {
            if (!runs(KernelBug.MAP_WRONG_PARENT).run(seed, 100).ok()) {
                TraceValidator.Verdict v = tlc.check(dir, BOUNDS, CFG, runs(KernelBug.MAP_WRONG_PARENT).trace(seed, 100),
                        Duration.ofMinutes(2));
                assertFalse(v.accepted(), "TLC accepted the run the forward simulation rejected (seed " + seed + ")");
                return;
            }
        }
        throw new AssertionError("no run of the buggy kernel went wrong");
    }
}
