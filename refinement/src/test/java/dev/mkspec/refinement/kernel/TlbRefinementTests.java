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

    @Test
    void spaceDeletionOnSeveralCpusRefinesTheModel() {
        for (String cpu : List.of("haswell", "skylake")) {
            Map<String, Integer> seen = new java.util.TreeMap<>();
            for (long seed = 0; seed < 60; seed++) {
                TlbRefinement.Result r = TlbRefinement.run(DELETIONS, CpuProfile.load(cpu), KernelBug.NONE, seed, 200);
                assertNull(r.failure(), () -> r.failure().getMessage());
                r.counts().forEach((a, n) -> seen.merge(a, n, Integer::sum));
            }
            for (String a : TlbRefinement.reaches(DELETIONS)) {
                assertTrue(seen.getOrDefault(a, 0) > 0, a + " never reached on " + cpu + ": " + seen);
            }
        }
    }

    @Test
    void aDeletionThatKeepsThePcidIsCaughtByTheTlbRefinement() {
        RefinementFailure caught = null;
        for (long seed = 0; seed < 200 && caught == null; seed++) {
            caught = TlbRefinement.run(DELETIONS, CpuProfile.load("haswell"), KernelBug.DELETE_KEEPS_PCID, seed, 200).failure();
        }
        assertNotNull(caught, "DELETE_KEEPS_PCID was not caught");
        assertEquals("step", caught.check(), caught.getMessage());
    }

    @Test
    void theKernelRefinesTheModelOnTwoAndThreeCpus() {
        for (TlbConstants k : List.of(TWO, THREE, UNTAGGED)) {
            for (String cpu : List.of("haswell", "skylake")) {
                Map<String, Integer> seen = new java.util.TreeMap<>();
                for (long seed = 0; seed < 40; seed++) {
                    TlbRefinement.Result r = TlbRefinement.run(k, CpuProfile.load(cpu), KernelBug.NONE, seed, 200);
                    assertNull(r.failure(), () -> r.failure().getMessage());
                    r.counts().forEach((a, n) -> seen.merge(a, n, Integer::sum));
                }
                for (String a : TlbRefinement.reaches(k)) {
                    assertTrue(seen.getOrDefault(a, 0) > 0, a + " never reached on " + cpu + ": " + seen);
                }
            }
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
                RefinementFailure caught = null;
                for (long seed = 0; seed < 400 && caught == null; seed++) {
                    caught = TlbRefinement.run(k, CpuProfile.load("haswell"), bug, seed, 200).failure();
                }
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
