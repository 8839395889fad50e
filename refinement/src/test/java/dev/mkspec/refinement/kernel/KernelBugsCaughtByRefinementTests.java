package dev.mkspec.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelBug;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.kernel.KernelInvariants;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bugs that keep the kernel's structures well formed are caught by refinement alone: the
 * kernel's own invariants (K-1..K-7) stay silent on the very run refinement rejects. (Which check
 * catches every KernelBug is shown by the manifest's {@code bug_*} kernel checks, which the plan
 * runs.)
 */
class KernelBugsCaughtByRefinementTests {
    /** Bugs no K-n sees: the database stays a well-formed forest and the hardware matches it. */
    private static final Set<KernelBug> ONLY_REFINEMENT = EnumSet.of(KernelBug.UNMAP_REVOKES_OWN,
            KernelBug.MAP_WRONG_PARENT, KernelBug.MAP_SOURCE_RIGHTS, KernelBug.MAP_AT_SENDER_ADDRESS,
            KernelBug.REMAP_FLUSHES);

    static KernelConfig configFor(KernelBug bug) {
        String profile = switch (bug) {
            case DELETE_KEEPS_PCID -> "haswell";
            case FASTPATH_SKIPS_SWITCH -> "pentium";
            default -> "i486";
        };
        return KernelConfig.of(CpuProfile.load(profile), KernelDesign.L4).withBug(bug);
    }

    @ParameterizedTest
    @EnumSource(value = KernelBug.class, names = {"UNMAP_REVOKES_OWN", "MAP_WRONG_PARENT", "MAP_SOURCE_RIGHTS",
        "MAP_AT_SENDER_ADDRESS", "REMAP_FLUSHES"})
    void theKernelsOwnInvariantsMissWhatRefinementCatches(KernelBug bug) {
        assertTrue(ONLY_REFINEMENT.contains(bug));
        RandomKernelRuns runs = new RandomKernelRuns(configFor(bug), KernelRefinementProperties.THREE,
                KernelInvariants::check);
        int caught = 0;
        for (long seed = 1; seed <= 200 && caught < 5; seed++) {
            RandomKernelRuns.Outcome o = runs.run(seed, 100);
            if (!o.ok()) {
                assertFalse(o.failure().check().equals("also"), () -> "K-n saw " + bug + " before refinement did:\n"
                        + o.failure().getMessage());
                caught++;
            }
        }
        assertTrue(caught > 0, bug + " was never caught");
    }

    @Test
    void theCallsReachEveryModelAction() {
        Map<String, Integer> reached = new TreeMap<>();
        RandomKernelRuns runs = new RandomKernelRuns(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4),
                KernelRefinementProperties.THREE);
        for (long seed = 1; seed <= 200; seed++) {
            RandomKernelRuns.Outcome o = runs.run(seed, 100);
            assertTrue(o.ok(), () -> o.failure().getMessage());
            o.actions().forEach((a, n) -> reached.merge(a, n, Integer::sum));
        }
        for (String a : new String[] {"SpaceCreate", "SpaceDelete", "SpaceFlush", "SpaceUnmap", "SpaceMap from Sigma0",
            "SpaceMap between user spaces", "SpaceGrant between user spaces"}) {
            assertTrue(reached.getOrDefault(a, 0) > 0, () -> a + " was never taken: " + reached);
        }
    }
}
