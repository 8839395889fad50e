package dev.mkspec.specs.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.Fixtures;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tlc.TlcInstallation;
import dev.mkspec.specs.tlc.TlcRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real TLC on mutants of a counter. */
class MutationRunnerTests {
    private static final Path SPEC = Fixtures.fixture("mutate/Counter.tla");
    private static final MutationRunner.Configuration CFG = new MutationRunner.Configuration("counter",
            Fixtures.fixture("mutate/Counter.cfg"), "fast", Optional.empty(), Optional.of("256m"));

    private static Mutant pick(List<Mutant> all, Predicate<Mutant> p) {
        return all.stream().filter(p).findFirst().orElseThrow(() -> new AssertionError("no such mutant in " + all));
    }

    @Test
    void classifiesKilledEquivalentAndSurvivedMutants() {
        List<Mutant> all = MutantGenerator.generate(SPEC, "Next", Set.of("Bounded"),
                EnumSet.allOf(MutationOperator.class), Optional.empty());
        // Inc lets the counter overshoot: Bounded fails.
        Mutant overshoot = pick(all, m -> m.action().equals("Inc") && m.after().equals("Inc == /\\ x <= Max"));
        // Inc's second guard is redundant: dropping it changes no state.
        Mutant redundant = pick(all, m -> m.action().equals("Inc") && m.operator() == MutationOperator.DROP_CONJUNCT
                && m.before().equals("/\\ x <= Max"));
        // Reset fires at any count: more transitions, and no property notices.
        Mutant early = pick(all, m -> m.action().equals("Reset") && m.operator() == MutationOperator.DROP_CONJUNCT
                && m.before().equals("Reset == /\\ x = Max"));
        // Look at any count: more steps, all of them stuttering; the state graph is the same up to stuttering.
        Mutant lookAnywhere = pick(all, m -> m.action().equals("Look") && m.operator() == MutationOperator.DROP_CONJUNCT
                && m.before().equals("Look == /\\ x = 0"));
        MutationRunner runner = new MutationRunner(new TlcRunner(TlcInstallation.bundled()), SPEC, List.of(CFG),
                List.of(), 2, Duration.ofSeconds(60));
        MutationReport r = runner.run(List.of(overshoot, redundant, early, lookAnywhere), MutationRunner.Listener.class.cast(
                new MutationRunner.Listener() {
                }));
        Map<String, MutantClass> byId = r.results().stream()
                .collect(Collectors.toMap(x -> x.mutant().id(), MutationReport.MutantResult::outcome));
        assertEquals(MutantClass.KILLED, byId.get(overshoot.id()), r.results().toString());
        assertEquals(MutantClass.EQUIVALENT, byId.get(redundant.id()), r.results().toString());
        assertEquals(MutantClass.SURVIVED, byId.get(early.id()), r.results().toString());
        assertEquals(MutantClass.EQUIVALENT, byId.get(lookAnywhere.id()), r.results().toString());
        MutationReport.MutantResult earlyResult = r.results().stream().filter(x -> x.mutant().id().equals(early.id()))
                .findFirst().orElseThrow();
        assertTrue(earlyResult.detail().contains("other transitions"), earlyResult.detail());
        assertTrue(r.results().stream().filter(x -> x.outcome() == MutantClass.KILLED)
                .allMatch(x -> x.detail().contains("Bounded")));
        assertEquals(Optional.of(0.5), r.killRatio());
        assertTrue(all.stream().noneMatch(m -> m.mutatedText().contains("THEN 0 ELSE")
                || !m.mutatedText().contains("IF Bug = \"no_reset\" THEN x ELSE")), "the bug branch is never touched");
    }

    /**
     * With deadlock unchecked, a mutant whose Inc can never fire (and so Reset neither) breaks no
     * property: TLC's coverage shows the action that no longer fires.
     */
    @Test
    void aMutantThatOnlyDisablesAnActionIsToldApart(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("Counter_nodeadlock.cfg");
        Files.writeString(cfg, Files.readString(CFG.cfg()) + "CHECK_DEADLOCK FALSE\n");
        List<Mutant> all = MutantGenerator.generate(SPEC, "Next", Set.of("Bounded"),
                EnumSet.allOf(MutationOperator.class), Optional.empty());
        Mutant stuck = pick(all, m -> m.action().equals("Inc") && m.operator() == MutationOperator.NEGATE_GUARD
                && m.after().equals("/\\ ~(x <= Max)"));
        MutationRunner runner = new MutationRunner(new TlcRunner(TlcInstallation.bundled()), SPEC, List.of(
                new MutationRunner.Configuration("counter", cfg, "fast", Optional.empty(), Optional.empty())),
                List.of(), 1, Duration.ofSeconds(60));
        MutationReport r = runner.run(List.of(stuck), new MutationRunner.Listener() {
        });
        assertEquals(MutantClass.DISABLED, r.results().get(0).outcome(), r.results().toString());
        assertTrue(r.results().get(0).detail().contains("never fires: counter: Inc"), r.results().get(0).detail());
        assertEquals(Optional.of(0.0), r.killRatio());
        assertEquals(Optional.of(1.0), r.planKillRatio());
    }

    /**
     * A resumed run takes a deep configuration's original from the journal (it can take hours) and
     * the mutants it judged; the fast originals run again, since a mutant's class needs their coverage.
     */
    @Test
    void aResumedRunTakesTheDeepOriginalAndTheJudgedMutantsFromTheJournal(@TempDir Path dir) {
        MutationRunner.Configuration deep = new MutationRunner.Configuration("counter-deep", CFG.cfg(), "deep",
                Optional.empty(), Optional.of("256m"));
        List<MutationRunner.Configuration> configs = List.of(CFG, deep);
        List<Mutant> all = MutantGenerator.generate(SPEC, "Next", Set.of("Bounded"),
                EnumSet.allOf(MutationOperator.class), Optional.empty());
        Mutant overshoot = pick(all, m -> m.action().equals("Inc") && m.after().equals("Inc == /\\ x <= Max"));
        String digest = MutationJournal.inputsDigest(SPEC, List.of(), Duration.ofSeconds(60));
        Path file = dir.resolve("journal.jsonl");
        MutationReport first;
        try (MutationJournal j = MutationJournal.open(file, digest, false, w -> { })) {
            first = new MutationRunner(new TlcRunner(TlcInstallation.bundled()), SPEC, configs, List.of(), 1,
                    Duration.ofSeconds(60)).withJournal(j).run(List.of(overshoot), new MutationRunner.Listener() {
                    });
        }
        assertEquals(MutantClass.KILLED, first.results().get(0).outcome());
        java.util.List<String> resumed = new java.util.ArrayList<>();
        MutationReport again;
        try (MutationJournal j = MutationJournal.open(file, digest, true, w -> { })) {
            assertTrue(j.findOriginal("counter-deep", MutationJournal.configsDigest(List.of(deep))).isPresent());
            again = new MutationRunner(new TlcRunner(TlcInstallation.bundled()), SPEC, configs, List.of(), 1,
                    Duration.ofSeconds(60)).withJournal(j).run(List.of(overshoot), new MutationRunner.Listener() {
                        @Override
                        public void resumed(String pass, int count) {
                            resumed.add(pass + " " + count);
                        }
                    });
        }
        assertEquals(List.of("fast 1"), resumed);
        assertEquals(first.results(), again.results());
        MutationReport.RunSummary deepBefore = first.originals().get(1);
        MutationReport.RunSummary deepAgain = again.originals().get(1);
        assertEquals(deepBefore, deepAgain, "the deep original is the journal's, to the millisecond");
    }

    /** A run that adds the deep pass takes the fast results of one without it. */
    @Test
    void addingTheDeepPassKeepsTheFastResults(@TempDir Path dir) {
        MutationRunner.Configuration deep = new MutationRunner.Configuration("counter-deep", CFG.cfg(), "deep",
                Optional.empty(), Optional.of("256m"));
        List<Mutant> all = MutantGenerator.generate(SPEC, "Next", Set.of("Bounded"),
                EnumSet.allOf(MutationOperator.class), Optional.empty());
        Mutant overshoot = pick(all, m -> m.action().equals("Inc") && m.after().equals("Inc == /\\ x <= Max"));
        String digest = MutationJournal.inputsDigest(SPEC, List.of(), Duration.ofSeconds(60));
        Path file = dir.resolve("journal.jsonl");
        try (MutationJournal j = MutationJournal.open(file, digest, false, w -> { })) {
            new MutationRunner(new TlcRunner(TlcInstallation.bundled()), SPEC, List.of(CFG), List.of(), 1,
                    Duration.ofSeconds(60)).withJournal(j).run(List.of(overshoot), new MutationRunner.Listener() {
                    });
        }
        java.util.List<String> resumed = new java.util.ArrayList<>();
        try (MutationJournal j = MutationJournal.open(file, digest, true, w -> { })) {
            new MutationRunner(new TlcRunner(TlcInstallation.bundled()), SPEC, List.of(CFG, deep), List.of(), 1,
                    Duration.ofSeconds(60)).withJournal(j).run(List.of(overshoot), new MutationRunner.Listener() {
                        @Override
                        public void resumed(String pass, int count) {
                            resumed.add(pass + " " + count);
                        }
                    });
        }
        assertEquals(List.of("fast 1"), resumed);
    }

    @Test
    void refusesASpecThatDoesNotPassItsOwnConfiguration(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Counter.tla"), Files.readString(SPEC).replace("Bounded == x <= Max",
                "Bounded == x < Max"));
        Files.copy(CFG.cfg(), dir.resolve("Counter.cfg"));
        MutationRunner runner = new MutationRunner(new TlcRunner(TlcInstallation.bundled()), dir.resolve("Counter.tla"),
                List.of(new MutationRunner.Configuration("counter", dir.resolve("Counter.cfg"), "fast", Optional.empty(),
                        Optional.empty())), List.of(), 1, Duration.ofSeconds(60));
        MkspecException e = assertThrows(MkspecException.class, () -> runner.run(List.of(), new MutationRunner.Listener() {
        }));
        assertEquals(Problem.MUTATE_ORIGINAL_FAILS, e.problem());
        assertTrue(e.getMessage().contains("Bounded"), e.getMessage());
    }

    /**
     * A mutant is tried first on the configurations whose original run evaluated the mutated
     * place: with Max = 0, Inc's first guard is false in every state, so TLC never evaluates its
     * update, and a mutant of the update goes to the configuration with Max = 3 first.
     */
    @Test
    void aMutantIsTriedFirstWhereTheOriginalEvaluatedTheMutatedPlace(@TempDir Path dir) throws Exception {
        Path zero = dir.resolve("Counter_zero.cfg");
        Files.writeString(zero, Files.readString(CFG.cfg()).replace("Max = 3", "Max = 0"));
        MutationRunner.Configuration zeroCfg = new MutationRunner.Configuration("zero", zero, "fast", Optional.empty(),
                Optional.empty());
        TlcRunner tlc = new TlcRunner(TlcInstallation.bundled());
        Map<String, dev.mkspec.specs.tlc.TlcResult> originals = Map.of(
                "zero", tlc.run(dev.mkspec.specs.tlc.TlcRequest.of(SPEC).withConfig(zero).withWorkers(1)
                        .withCoverage(dev.mkspec.specs.tlc.TlcRequest.COVERAGE_AT_END), dev.mkspec.specs.tlc.TlcListener.NONE),
                "counter", tlc.run(dev.mkspec.specs.tlc.TlcRequest.of(SPEC).withConfig(CFG.cfg()).withWorkers(1)
                        .withCoverage(dev.mkspec.specs.tlc.TlcRequest.COVERAGE_AT_END), dev.mkspec.specs.tlc.TlcListener.NONE));
        List<Mutant> all = MutantGenerator.generate(SPEC, "Next", Set.of("Bounded"),
                EnumSet.allOf(MutationOperator.class), Optional.empty());
        List<String> lines = Files.readAllLines(SPEC);
        int updateLine = lines.indexOf("       /\\ x' = x + 1") + 1;
        int guardLine = lines.indexOf("Inc == /\\ x < Max") + 1;
        Mutant update = pick(all, m -> m.operator() == MutationOperator.UNCHANGED && m.line() == updateLine);
        Mutant guard = pick(all, m -> m.operator() == MutationOperator.NEGATE_GUARD && m.line() == guardLine);
        List<MutationRunner.Configuration> cheapestFirst = List.of(zeroCfg, CFG);
        assertEquals(List.of("counter", "zero"), MutationRunner.reachingFirst(update, cheapestFirst, originals).stream()
                .map(MutationRunner.Configuration::name).toList());
        assertEquals(List.of("zero", "counter"), MutationRunner.reachingFirst(guard, cheapestFirst, originals).stream()
                .map(MutationRunner.Configuration::name).toList());
    }
}
