package dev.mkspec.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The 8-byte fingerprint table, its search, and the parent log on disk. */
class FingerprintTableTests {

    @Test
    void theTableHoldsEightBytesPerFingerprintOnceALevelIsCommitted() {
        FingerprintTable t = new FingerprintTable(64);
        Random r = new Random(7);
        Set<Long> added = new HashSet<>();
        for (int level = 0; level < 5; level++) {
            for (int i = 0; i < 20_000; i++) {
                long fp = FingerprintTable.normalize(r.nextLong());
                assertEquals(added.add(fp), t.add(fp));
                // a second add in the same level, before the commit, is refused
                assertFalse(t.add(fp));
            }
            t.commit(0, 2);
            t.commit(1, 2);
            assertEquals(8L * added.size(), t.bytes());
        }
        assertEquals(added.size(), t.size());
        for (long fp : added) {
            assertTrue(t.contains(fp));
            assertFalse(t.add(fp), "a committed fingerprint is not added again");
        }
        for (int i = 0; i < 20_000; i++) {
            long fp = FingerprintTable.normalize(r.nextLong());
            assertEquals(added.contains(fp), t.contains(fp));
        }
    }

    @Test
    void theSearchFindsKeysThatAreNotSpreadEvenly() {
        // clustered keys: interpolation guesses badly, and the binary fallback must still find every one
        long[] a = new long[1000];
        for (int i = 0; i < a.length; i++) {
            a[i] = i < 990 ? i : Long.MAX_VALUE - (a.length - i);
        }
        java.util.Arrays.sort(a);
        for (int i = 0; i < a.length; i++) {
            assertEquals(i, FingerprintTable.indexOf(a, a[i]));
        }
        assertEquals(-1, FingerprintTable.indexOf(a, 5000));
        assertEquals(-1, FingerprintTable.indexOf(a, Long.MIN_VALUE));
        assertEquals(-1, FingerprintTable.indexOf(new long[0], 3));
    }

    @Test
    void theParentLogGivesTheChainBackToAnInitialState() {
        try (ParentLog log = new ParentLog()) {
            log.append(11, FingerprintTable.NO_PARENT);
            log.append(12, FingerprintTable.NO_PARENT);
            // enough records between links that the chain spans several of the log's read blocks
            for (long i = 0; i < 10_000; i++) {
                log.append(1000 + i, 12);
            }
            log.append(21, 11);
            for (long i = 0; i < 10_000; i++) {
                log.append(100_000 + i, 21);
            }
            log.append(31, 21);
            assertEquals(List.of(11L, 21L, 31L), log.chainTo(31));
            assertEquals(List.of(12L), log.chainTo(12));
            assertEquals(16L * 20_004, log.bytes());
        }
    }

    @Test
    void anExplorationReportsEightBytesPerStateInItsTable() {
        ExplorationResult<List<Integer>> r = Explorer.explore(Systems.counters(5, 6, List.of()),
                ExplorerOptions.defaults().withWorkers(2).withTimeout(Duration.ofMinutes(2)).withCheckDeadlock(false));
        assertEquals(7776, r.distinctStates());
        assertEquals(8.0, r.fingerprintBytesPerState());
        assertTrue(r.peakHeapBytes() > 0);
    }
}
