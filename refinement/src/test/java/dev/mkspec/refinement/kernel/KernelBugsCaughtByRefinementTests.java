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
            case USER_TABLES_MAP_KERNEL -> "skylake";
            default -> "i486";
        };
        return KernelConfig.of(CpuProfile.load(profile), KernelDesign.L4).withBug(bug)
                .withMitigations(bug == KernelBug.USER_TABLES_MAP_KERNEL);
    }

    /**
     * The bugs the kernel's own invariants see first (K-1, K-4) are caught by refinement too, run
     * without them: the leaking pool runs out (the bounds size it), and user mode reaches kernel
     * frames no mapping-database node gives its space.
     * (Runs of 1,000 calls: the hostile calls free few nodes.)
     */
    @ParameterizedTest
    @EnumSource(value = KernelBug.class, names = {"NODE_SLOT_LEAK", "USER_TABLES_MAP_KERNEL"})
    void refinementAloneCatchesWhatKnSeesFirst(KernelBug bug) {
        RandomKernelRuns runs = new RandomKernelRuns(configFor(bug), KernelRefinementProperties.THREE);
        String want = bug == KernelBug.NODE_SLOT_LEAK ? "the mapping database is full" : "user mode can reach frame";
        int caught = 0;
        for (long seed = 1; seed <= 10; seed++) {
            RandomKernelRuns.Outcome o = runs.run(seed, 1000);
            if (!o.ok()) {
                String m = o.failure().getMessage();
                assertTrue(m.contains(want), () -> bug + " was caught, but not as expected:\n" + m);
                caught++;
            }
        }
        assertTrue(caught > 0, bug + " was never caught");
    }

    @Test
    void theCorrectKernelNeedsNoMoreNodesThanTheBoundsGiveIt() {
        for (KernelDesign d : KernelDesign.values()) {
            CpuProfile i486 = CpuProfile.load("i486");
            RandomKernelRuns runs = new RandomKernelRuns(KernelConfig.of(d.runsOn(i486) ? i486 : CpuProfile.load("haswell"), d),
                    KernelRefinementProperties.THREE);
            for (long seed = 1; seed <= 20; seed++) {
                RandomKernelRuns.Outcome o = runs.run(seed, 200);
                assertTrue(o.ok(), () -> d + ": " + o.failure().getMessage());
            }
        }
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
