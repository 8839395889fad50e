package dev.mkspec.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelBug;
import dev.mkspec.model.tlb.TlbConstants;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernel's TLBs and shootdowns on several CPUs refine Tlb.tla's model; its shootdown bugs do not. */
class TlbRefinementTests {
    static final TlbConstants TWO = TlbConstants.of(2, 2, 2, 2, true, 2);
    static final TlbConstants THREE = TlbConstants.of(3, 2, 1, 2, true, 2);
    static final TlbConstants UNTAGGED = TlbConstants.of(2, 2, 2, 2, false, 0);
    static final TlbConstants DELETIONS = TWO.withDeletions(true);

    /** Runs of 200 steps from seeds 0..seeds-1 on Haswell and Skylake pass, and together reach every kind of step. */
    private static void refinesAndReachesEveryStep(TlbConstants k, int seeds) {
        for (String cpu : List.of("haswell", "skylake")) {
            Map<String, Integer> seen = new java.util.TreeMap<>();
            for (long seed = 0; seed < seeds; seed++) {
                TlbRefinement.Result r = TlbRefinement.run(k, CpuProfile.load(cpu), KernelBug.NONE, seed, 200);
                assertNull(r.failure(), () -> r.failure().getMessage());
                r.counts().forEach((a, n) -> seen.merge(a, n, Integer::sum));
            }
            for (String a : TlbRefinement.reaches(k)) {
                assertTrue(seen.getOrDefault(a, 0) > 0, a + " never reached on " + cpu + ": " + seen);
            }
        }
    }

    /** The first failure of the kernel with {@code bug} on Haswell in runs of 200 steps from seeds 0..seeds-1, or null. */
    private static RefinementFailure firstFailure(TlbConstants k, KernelBug bug, int seeds) {
        RefinementFailure caught = null;
        for (long seed = 0; seed < seeds && caught == null; seed++) {
            caught = TlbRefinement.run(k, CpuProfile.load("haswell"), bug, seed, 200).failure();
        }
        return caught;
    }

    @Test
    void spaceDeletionOnSeveralCpusRefinesTheModel() {
        refinesAndReachesEveryStep(DELETIONS, 60);
    }

    @Test
    void aDeletionThatKeepsThePcidIsCaughtByTheTlbRefinement() {
        RefinementFailure caught = firstFailure(DELETIONS, KernelBug.DELETE_KEEPS_PCID, 200);
        assertNotNull(caught, "DELETE_KEEPS_PCID was not caught");
        assertEquals("step", caught.check(), caught.getMessage());
    }

    @Test
    void theKernelRefinesTheModelOnTwoAndThreeCpus() {
        for (TlbConstants k : List.of(TWO, THREE, UNTAGGED)) {
            refinesAndReachesEveryStep(k, 40);
        }
    }

    @Test
    void twoPagesReachShootdownsOfSeveralPages() {
        assertTrue(TlbRefinement.reaches(TWO).contains("PageUnmap of several pages"));
        assertEquals(TlbRefinement.REACHES, TlbRefinement.reaches(THREE));
    }

    @Test
    void everyShootdownBugIsCaughtByRefinementAlone() {
        for (KernelBug bug : List.of(KernelBug.SHOOTDOWN_RETURNS_EARLY, KernelBug.SHOOTDOWN_ONLY_RUNNING,
                KernelBug.SHOOTDOWN_SKIPS_LOCAL, KernelBug.SHOOTDOWN_WRONG_PAGE, KernelBug.FLUSH_SKIPS_TLB,
                KernelBug.SHOOTDOWN_FIRST_PAGE_ONLY)) {
            for (TlbConstants k : List.of(TWO, UNTAGGED)) {
                if (bug == KernelBug.SHOOTDOWN_ONLY_RUNNING && !k.tagged()) {
                    continue; // without PCIDs a CPU that switched away has nothing left to shoot down
                }
                RefinementFailure caught = firstFailure(k, bug, 400);
                assertNotNull(caught, bug + " was not caught" + (k.tagged() ? "" : " untagged"));
                assertEquals("step", caught.check(), caught.getMessage());
            }
        }
    }

    @Test
    void constantsTheKernelCannotRealiseAreRefusedWithTheReason() {
        assertNotNull(TlbRefinement.unrealisable(TlbConstants.of(2, 2, 1, 2, true, 1)));
        assertNull(TlbRefinement.unrealisable(UNTAGGED));
        assertNull(TlbRefinement.unrealisable(DELETIONS));
        assertNotNull(TlbRefinement.unrealisable(UNTAGGED.withDeletions(true)));
        assertThrows(IllegalArgumentException.class,
                () -> new TlbRefinement(TlbConstants.of(2, 2, 1, 2, true, 1), CpuProfile.load("haswell"), KernelBug.NONE));
    }
}
