package dev.mkspec.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The explorer on systems whose state counts are known independently: by formula, or from TLC
 * on the equivalent spec.
 */
class ExplorerTests {

    private static ExplorerOptions options(int workers) {
        return ExplorerOptions.defaults().withWorkers(workers).withTimeout(Duration.ofMinutes(2));
    }

    @Test
    void countersReachKToTheNStatesAtDepthNTimesKMinusOnePlusOne() {
        // 5 counters over 0..5: 6^5 = 7776 states; the deepest state (5,5,5,5,5) is 25 steps away.
        // Each state enables one Inc per counter below 5, so the states generated are
        // 1 + 5 * 5 * 6^4 = 32,401 (initial state included, as TLC counts).
        ExplorationResult<List<Integer>> r = Explorer.explore(Systems.counters(5, 6, List.of()),
                options(2).withCheckDeadlock(false));
        assertEquals(ExplorerVerdict.SUCCESS, r.verdict());
        assertEquals(7776, r.distinctStates());
        assertEquals(26, r.depth());
        assertEquals(32_401, r.generatedStates());
        ExplorationResult.Phases p = r.phases();
        assertTrue(p.expanding().toNanos() > 0 && p.inserting().toNanos() > 0 && p.building().toNanos() > 0, p.toString());
        assertTrue(p.expanding().plus(p.inserting()).plus(p.building()).compareTo(r.elapsed()) <= 0, p + " within " + r.elapsed());
    }

    @Test
    void adjacentSwapsReachEveryPermutation() {
        // 7! = 5040 permutations; the reversal needs 7*6/2 = 21 swaps, so the depth is 22.
        ExplorationResult<List<Integer>> r = Explorer.explore(Systems.permutations(7), options(2));
        assertEquals(5040, r.distinctStates());
        assertEquals(22, r.depth());
        assertEquals(1 + 5040 * 6, r.generatedStates());
    }

    @Test
    void hanoiHasThreeToTheNStatesAndDiameterTwoToTheNMinusOne() {
        ExplorationResult<int[]> r = Explorer.explore(Systems.hanoi(8), options(2));
        assertEquals(6561, r.distinctStates());
        assertEquals(256, r.depth());
    }

    @Test
    void theJugsReachSixteenStatesAsTlcCountsForTheSameSpec() {
        ExplorationResult<int[]> r = Explorer.explore(Systems.jugs(s -> true), options(2));
        assertEquals(16, r.distinctStates());
    }

    @Test
    void anInvariantViolationComesWithTheShortestCounterexample() {
        // Four litres in the big jug takes six steps at the least (seven states), as in TLC's trace
        // for the DieHard puzzle.
        ExplorationResult<int[]> r = Explorer.explore(Systems.jugs(s -> s[0] != 4), options(2));
        assertEquals(ExplorerVerdict.INVARIANT_VIOLATED, r.verdict());
        assertEquals("TEST-1", r.violated().orElseThrow().id());
        Counterexample<int[]> cx = r.counterexample().orElseThrow();
        assertEquals(7, cx.length());
        assertEquals(4, cx.last()[0]);
        assertTrue(cx.steps().get(0).action().isEmpty());
        assertTrue(cx.steps().get(1).action().isPresent());
        assertEquals(7, r.depth());
    }

    @Test
    void theResultIsTheSameForOneWorkerAndForTwo() {
        for (int limit : List.of(7, 11, 14)) {
            Invariant<List<Integer>> sumBelow = new Invariant<>("TEST-2", "SumBelow",
                    s -> s.stream().mapToInt(Integer::intValue).sum() < limit);
            ExplorationResult<List<Integer>> one = Explorer.explore(Systems.counters(4, 5, List.of(sumBelow)), options(1));
            ExplorationResult<List<Integer>> two = Explorer.explore(Systems.counters(4, 5, List.of(sumBelow)), options(2));
            assertEquals(ExplorerVerdict.INVARIANT_VIOLATED, one.verdict());
            assertEquals(limit + 1, one.counterexample().orElseThrow().length());
            assertEquals(one.counterexample().orElseThrow().steps().stream().map(s -> s.action() + "" + s.state()).toList(),
                    two.counterexample().orElseThrow().steps().stream().map(s -> s.action() + "" + s.state()).toList());
            assertEquals(one.distinctStates(), two.distinctStates());
            assertEquals(one.generatedStates(), two.generatedStates());
        }
    }

    @Test
    void anActionPropertyViolationEndsWithTheStepThatBrokeIt() {
        // "Pouring never empties the big jug": false for the step BigToSmall from (3, 0), reached
        // at the earliest by FillSmall, SmallToBig, FillSmall, SmallToBig... the explorer must find
        // the shortest such behaviour and end it with the offending step.
        StateMachine<int[]> jugs = Systems.jugs(s -> true);
        StateMachine<int[]> withProperty = new Delegating<>(jugs) {
            @Override
            public List<ActionProperty<int[]>> actionProperties() {
                return List.of(new ActionProperty<>("TEST-3", "PouringKeepsBigJug",
                        (from, action, to) -> !action.name().equals("BigToSmall") || from[0] == 0 || to[0] > 0));
            }
        };
        ExplorationResult<int[]> r = Explorer.explore(withProperty, options(2));
        assertEquals(ExplorerVerdict.ACTION_PROPERTY_VIOLATED, r.verdict());
        assertEquals(Optional.of("PouringKeepsBigJug"), r.violatedName());
        assertEquals(Optional.of("TEST-3"), r.violatedId());
        Counterexample<int[]> cx = r.counterexample().orElseThrow();
        assertEquals("BigToSmall", cx.steps().get(cx.length() - 1).action().orElseThrow().name());
        assertEquals(0, cx.last()[0]);
        // The shortest: FillSmall (0,3), SmallToBig (3,0), BigToSmall (0,3): three steps, four states.
        assertEquals(4, cx.length());
        ExplorationResult<int[]> one = Explorer.explore(withProperty, options(1));
        assertEquals(cx.steps().stream().map(s -> s.action().toString()).toList(),
                one.counterexample().orElseThrow().steps().stream().map(s -> s.action().toString()).toList());
    }

    @Test
    void aStateWithoutSuccessorsIsADeadlockUnlessSwitchedOff() {
        ExplorationResult<List<Integer>> r = Explorer.explore(Systems.counters(2, 3, List.of()), options(2));
        // The counters stop at (2, 2): with deadlock checking on, that is a deadlock 5 states deep.
        ExplorationResult<List<Integer>> checked = Explorer.explore(Systems.counters(2, 3, List.of()),
                options(2).withCheckDeadlock(true));
        assertEquals(ExplorerVerdict.DEADLOCK, checked.verdict());
        assertEquals(List.of(2, 2), checked.counterexample().orElseThrow().last());
        assertEquals(5, checked.counterexample().orElseThrow().length());
        ExplorationResult<List<Integer>> off = Explorer.explore(Systems.counters(2, 3, List.of()),
                options(2).withCheckDeadlock(false));
        assertEquals(ExplorerVerdict.SUCCESS, off.verdict());
        assertEquals(9, off.distinctStates());
        assertEquals(r.verdict(), checked.verdict(), "deadlock checking is on by default");
    }

    @Test
    void aModelThatThrowsGivesAnErrorWithTheTraceToTheState() {
        StateMachine<List<Integer>> base = Systems.counters(2, 4, List.of());
        StateMachine<List<Integer>> throwing = new Delegating<>(base) {
            @Override
            public void successors(List<Integer> s, Successors<List<Integer>> out) {
                if (s.equals(List.of(2, 1))) {
                    throw new IllegalStateException("AS-4 broken: the mapping database has a cycle");
                }
                base.successors(s, out);
            }
        };
        ExplorationResult<List<Integer>> r = Explorer.explore(throwing, options(2).withCheckDeadlock(false));
        assertEquals(ExplorerVerdict.MODEL_ERROR, r.verdict());
        assertTrue(r.message().contains("AS-4 broken"), r.message());
        assertEquals(List.of(2, 1), r.counterexample().orElseThrow().last());
        assertEquals(4, r.counterexample().orElseThrow().length());
    }

    @Test
    void aTimeLimitEndsTheRunWithATimeoutVerdict() {
        ExplorationResult<long[]> r = Explorer.explore(Systems.unbounded(0),
                ExplorerOptions.defaults().withWorkers(2).withTimeout(Duration.ofMillis(700)));
        assertEquals(ExplorerVerdict.TIMEOUT, r.verdict());
        assertTrue(r.distinctStates() > 1000);
        assertTrue(r.elapsed().toMillis() < 20_000, "stopped promptly: " + r.elapsed());
    }

    @Test
    void aMemoryLimitEndsTheRunCleanly() {
        // Each state carries 2 KiB; a 64 MiB limit is reached after some tens of thousands of states.
        ExplorationResult<long[]> r = Explorer.explore(Systems.unbounded(256),
                ExplorerOptions.defaults().withWorkers(2).withTimeout(Duration.ofMinutes(2))
                        .withMemoryLimit(64L << 20));
        assertEquals(ExplorerVerdict.OUT_OF_MEMORY, r.verdict());
        assertTrue(r.message().contains("memory limit"), r.message());
    }

    @Test
    void twoExplorationsRunSideBySideInOneJvm() throws Exception {
        CompletableFuture<ExplorationResult<List<Integer>>> a = CompletableFuture.supplyAsync(
                () -> Explorer.explore(Systems.permutations(7), options(2)));
        CompletableFuture<ExplorationResult<int[]>> b = CompletableFuture.supplyAsync(
                () -> Explorer.explore(Systems.hanoi(8), options(2)));
        assertEquals(5040, a.get().distinctStates());
        assertEquals(6561, b.get().distinctStates());
    }

    @Test
    void theObserverSeesEveryStateAndEveryEdge() {
        ConcurrentHashMap<Long, Integer> states = new ConcurrentHashMap<>();
        AtomicLong edges = new AtomicLong();
        ExplorationResult<List<Integer>> r = Explorer.explore(Systems.counters(3, 4, List.of()),
                options(2).withCheckDeadlock(false), new ExplorationObserver<>() {
                    @Override
                    public boolean wantsGraph() {
                        return true;
                    }

                    @Override
                    public void state(List<Integer> s, long fp, int depth) {
                        states.put(fp, depth);
                    }

                    @Override
                    public void edge(long from, Action a, long to) {
                        edges.incrementAndGet();
                    }
                });
        assertEquals(64, states.size());
        assertEquals(r.generatedStates() - 1, edges.get());
        assertEquals(Optional.of(10), states.values().stream().max(Integer::compare));
    }

    @Test
    void progressIsReportedDuringALongLevel() {
        java.util.List<ExplorerProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Explorer.explore(Systems.unbounded(0), ExplorerOptions.defaults().withWorkers(2)
                .withTimeout(Duration.ofMillis(1500)).withProgressInterval(Duration.ofMillis(100)),
                new ExplorationObserver<>() {
                    @Override
                    public void progress(ExplorerProgress p) {
                        seen.add(p);
                    }
                });
        assertTrue(seen.size() >= 3, "progress reports: " + seen.size());
        assertTrue(seen.get(seen.size() - 1).distinct() >= seen.get(0).distinct());
    }

    @Test
    void aFrontierOnDiskGivesTheSameSearch() {
        // Budget 0: every level after the first goes to disk. Counts, depth, verdict and the
        // counterexample must be those of the search on the heap, for one worker and for two.
        List<StateMachine<List<Integer>>> systems = List.of(Systems.counters(5, 6, List.of()), Systems.permutations(7),
                Systems.counters(4, 5, List.of(new Invariant<>("TEST-3", "SumBelow",
                        s -> s.stream().mapToInt(Integer::intValue).sum() < 11))));
        for (StateMachine<List<Integer>> base : systems) {
            for (int workers : List.of(1, 2)) {
                ExplorerOptions o = options(workers).withCheckDeadlock(false);
                ExplorationResult<List<Integer>> heap = Explorer.explore(encoded(base), o.withFrontierBudget(Long.MAX_VALUE));
                ExplorationResult<List<Integer>> disk = Explorer.explore(encoded(base), o.withFrontierBudget(0));
                assertEquals(0, heap.frontier().statesOnDisk());
                assertTrue(disk.frontier().statesOnDisk() > 0);
                assertTrue(disk.frontier().bytesOnDisk() > 0);
                assertEquals(heap.verdict(), disk.verdict());
                assertEquals(heap.distinctStates(), disk.distinctStates());
                if (heap.verdict() == ExplorerVerdict.SUCCESS) {
                    assertEquals(heap.generatedStates(), disk.generatedStates());
                }
                assertEquals(heap.depth(), disk.depth());
                // Every level after the first is on disk (a violation is found in the last level built).
                assertEquals(heap.depth() - 1, disk.frontier().levelsOnDisk());
                assertEquals(heap.counterexample().map(ExplorerTests::statesOf),
                        disk.counterexample().map(ExplorerTests::statesOf));
            }
        }
    }

    @Test
    void aModelWithoutACodecKeepsItsFrontierOnTheHeap() {
        ExplorationResult<List<Integer>> r = Explorer.explore(Systems.counters(3, 4, List.of()),
                options(2).withCheckDeadlock(false).withFrontierBudget(0));
        assertEquals(ExplorerVerdict.SUCCESS, r.verdict());
        assertEquals(64, r.distinctStates());
        assertEquals(ExplorationResult.FrontierUse.onHeap(false), r.frontier());
    }

    @Test
    void theFrontierFilesAreGoneWhenTheRunEnds() throws Exception {
        java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
        java.util.Set<String> before = levelFiles(tmp);
        Explorer.explore(encoded(Systems.counters(5, 6, List.of())), options(2).withCheckDeadlock(false).withFrontierBudget(0));
        Explorer.explore(encoded(Systems.counters(4, 5, List.of(new Invariant<>("TEST-3", "SumBelow",
                s -> s.stream().mapToInt(Integer::intValue).sum() < 11)))), options(2).withFrontierBudget(0));
        ExplorationResult<List<Integer>> stopped = Explorer.explore(encoded(Systems.counters(9, 9, List.of())),
                options(2).withTimeout(Duration.ofMillis(700)).withFrontierBudget(0));
        assertEquals(ExplorerVerdict.TIMEOUT, stopped.verdict());
        // Compared with the files before, so that another JVM's run in the same folder does not count.
        java.util.Set<String> left = levelFiles(tmp);
        left.removeAll(before);
        assertEquals(java.util.Set.of(), left);
    }

    @Test
    void aCodecThatReadsBackWrongIsReportedAsTheCodecsBug() {
        // The codec writes one int too many: the explorer must notice the bytes left over rather
        // than explore states under the wrong fingerprints.
        StateMachine<List<Integer>> base = encoded(Systems.counters(3, 4, List.of()));
        StateCodec<List<Integer>> good = base.codec().orElseThrow();
        StateMachine<List<Integer>> sloppy = new Delegating<>(base) {
            @Override
            public Optional<StateCodec<List<Integer>>> codec() {
                return Optional.of(new StateCodec<>() {
                    @Override
                    public void write(List<Integer> s, java.io.DataOutput out) throws java.io.IOException {
                        good.write(s, out);
                        out.writeInt(7);
                    }

                    @Override
                    public List<Integer> read(java.io.DataInput in) throws java.io.IOException {
                        return good.read(in);
                    }
                });
            }
        };
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Explorer.explore(sloppy, options(2).withCheckDeadlock(false).withFrontierBudget(0)));
        assertTrue(e.getMessage().contains("StateCodec could not read back"), e.getMessage());
    }

    private static java.util.Set<String> levelFiles(java.nio.file.Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("mkspec-explorer-level"))
                    .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
        }
    }

    private static <S> List<S> statesOf(Counterexample<S> cx) {
        return cx.steps().stream().map(Counterexample.Step::state).toList();
    }

    /** A system of integer lists with a codec: the list's length, then its elements. */
    private static StateMachine<List<Integer>> encoded(StateMachine<List<Integer>> base) {
        StateCodec<List<Integer>> codec = new StateCodec<>() {
            @Override
            public void write(List<Integer> s, java.io.DataOutput out) throws java.io.IOException {
                out.writeInt(s.size());
                for (int x : s) {
                    out.writeInt(x);
                }
            }

            @Override
            public List<Integer> read(java.io.DataInput in) throws java.io.IOException {
                Integer[] a = new Integer[in.readInt()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readInt();
                }
                return List.of(a);
            }
        };
        return new Delegating<>(base) {
            @Override
            public Optional<StateCodec<List<Integer>>> codec() {
                return Optional.of(codec);
            }
        };
    }

    /** Forwards everything to another machine; tests override one method. */
    private static class Delegating<S> extends ForwardingStateMachine<S> {
        Delegating(StateMachine<S> base) {
            super(base);
        }
    }
}
