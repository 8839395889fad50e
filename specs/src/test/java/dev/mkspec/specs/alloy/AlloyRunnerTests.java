package dev.mkspec.specs.alloy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.Fixtures;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.trace.Trace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlloyRunnerTests {
    private final AlloyRunner runner = new AlloyRunner();

    private static Optional<AlloyCommandResult> named(AlloyFileResult r, String name) {
        return r.commands().stream().filter(c -> c.command().name().equals(name)).findFirst();
    }

    @Test
    void runsSatAndUnsatCommandsAndJudgesThemByTheirComments() {
        AlloyFileResult r = runner.run(Fixtures.fixture("alloy/frames.als"), Optional.empty(), AlloyListener.NONE);
        assertEquals(5, r.commands().size());
        AlloyCommandResult noSharing = named(r, "NoSharing").orElseThrow();
        assertTrue(noSharing.command().check());
        assertEquals(AlloyOutcome.UNSAT, noSharing.outcome());
        assertEquals(Optional.of(AlloyOutcome.UNSAT), noSharing.command().expectation());
        assertTrue(noSharing.asExpected());
        assertTrue(noSharing.instance().isEmpty());

        AlloyCommandResult allOwned = named(r, "AllOwned").orElseThrow();
        assertEquals(AlloyOutcome.SAT, allOwned.outcome());
        assertEquals(Optional.of(AlloyOutcome.SAT), allOwned.command().expectation(), "the comment on the line above");
        Trace counterexample = allOwned.instance().orElseThrow();
        assertEquals("counterexample to AllOwned", counterexample.verdict());
        assertEquals(1, counterexample.length());
        assertInstanceOf(TlaValue.SetValue.class, counterexample.last().value("owner"));

        assertEquals(Optional.of(AlloyOutcome.SAT), named(r, "TwoSpacesShareNothing").orElseThrow()
                .command().expectation(), "a -- comment counts too");
        assertEquals(AlloyOutcome.UNSAT, named(r, "Impossible").orElseThrow().outcome());
        AlloyCommandResult unjudged = named(r, "Unjudged").orElseThrow();
        assertFalse(unjudged.judged());
        assertTrue(unjudged.asExpected());
        assertTrue(r.alloyVersion().startsWith("6.2.0"));
    }

    @Test
    void aRelationIsASetOfTuplesAndASigASetOfAtoms() {
        AlloyFileResult r = runner.run(Fixtures.fixture("alloy/frames.als"), Optional.of("TwoSpacesShareNothing"),
                AlloyListener.NONE);
        Trace t = r.commands().get(0).instance().orElseThrow();
        TlaValue.SetValue spaces = (TlaValue.SetValue) t.last().value("Space");
        assertEquals(2, spaces.size());
        assertInstanceOf(TlaValue.ModelValue.class, spaces.elements().get(0));
        TlaValue.SetValue owner = (TlaValue.SetValue) t.last().value("owner");
        assertEquals(3, owner.size());
        TlaValue.Tuple pair = (TlaValue.Tuple) owner.elements().get(0);
        assertEquals(2, pair.elements().size());
    }

    @Test
    void aTemporalInstanceGivesOneStatePerStepAndItsLoop() {
        AlloyFileResult r = runner.run(Fixtures.fixture("alloy/marking.als"), Optional.empty(), AlloyListener.NONE);
        Trace t = named(r, "TwoFreed").orElseThrow().instance().orElseThrow();
        assertTrue(t.length() >= 3, "two frees take at least three states");
        assertEquals(TlaValue.set(), t.steps().get(0).value("Free"));
        assertEquals(2, ((TlaValue.SetValue) t.last().value("Free")).size());
        assertInstanceOf(Trace.Ending.Loop.class, t.ending());
        assertTrue(r.commands().stream().allMatch(AlloyCommandResult::asExpected));
    }

    @Test
    void typeAndSyntaxErrorsNameTheFileLineAndColumn() {
        MkspecException type = assertThrows(MkspecException.class,
                () -> runner.run(Fixtures.fixture("alloy/typeError.als"), Optional.empty(), AlloyListener.NONE));
        assertEquals(Problem.ALLOY_TYPE_ERROR, type.problem());
        assertTrue(type.getMessage().contains("typeError.als:3:"), type.getMessage());
        MkspecException syntax = assertThrows(MkspecException.class,
                () -> runner.run(Fixtures.fixture("alloy/syntaxError.als"), Optional.empty(), AlloyListener.NONE));
        assertEquals(Problem.ALLOY_SYNTAX_ERROR, syntax.problem());
        assertTrue(syntax.getMessage().contains("syntaxError.als:2:"), syntax.getMessage());
        assertEquals(Problem.FILE_NOT_FOUND, assertThrows(MkspecException.class,
                () -> runner.parse(Path.of("missing.als"))).problem());
        MkspecException noCommand = assertThrows(MkspecException.class, () -> runner.run(
                Fixtures.fixture("alloy/frames.als"), Optional.of("Nope"), AlloyListener.NONE));
        assertEquals(Problem.ALLOY_NO_SUCH_COMMAND, noCommand.problem());
        assertTrue(noCommand.getMessage().contains("NoSharing"), "lists the commands there are");
    }

    @Test
    void inAChildJvmTheResultsAreTheSame() {
        List<String> events = new ArrayList<>();
        AlloyFileResult r = new AlloyProcessRunner(Optional.of(Duration.ofMinutes(2)), Optional.empty())
                .run(Fixtures.fixture("alloy/marking.als"), Optional.empty(), new AlloyListener() {
                    @Override
                    public void started(AlloyCommandInfo c) {
                        events.add("start " + c.name());
                    }

                    @Override
                    public void finished(AlloyCommandResult c) {
                        events.add("done " + c.command().name());
                    }
                });
        assertEquals(List.of("start TwoFreed", "done TwoFreed", "start NeverAllFree", "done NeverAllFree"), events);
        assertTrue(r.commands().stream().allMatch(AlloyCommandResult::asExpected));
        assertTrue(r.commands().get(0).instance().orElseThrow().length() >= 3);
    }

    /**
     * Alloy leaves its unpacked solver libraries ({@code alloy-N}) and empty solver files behind in
     * every JVM: the child's go with the folder of its own. (The tests of this class run one after
     * the other, so no other Alloy run adds files meanwhile.)
     */
    @Test
    void theChildLeavesNothingInTheTemporaryFolder() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> before = mkspecAlloyFolders(tmp);
        new AlloyProcessRunner(Optional.of(Duration.ofMinutes(2)), Optional.empty())
                .run(Fixtures.fixture("alloy/marking.als"), Optional.empty(), new AlloyListener() {
                });
        Set<Path> after = mkspecAlloyFolders(tmp);
        after.removeAll(before);
        assertEquals(Set.of(), after);
    }

    private static Set<Path> mkspecAlloyFolders(Path tmp) throws Exception {
        try (var s = java.nio.file.Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("mkspec-alloy-")
                    || p.getFileName().toString().startsWith("alloy-"))
                    .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
        }
    }

    /**
     * A worker whose parent is gone (its standard input closes, as when the parent is killed by
     * SIGKILL and no shutdown hook stops the worker) stops at once instead of solving on.
     */
    @Test
    void theWorkerStopsWhenItsParentGoes() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process worker = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                AlloyWorker.class.getName(), Fixtures.fixture("alloy/ramsey.als").toString(), "--from", "0")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        worker.getOutputStream().close();
        boolean stopped = worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        if (!stopped) {
            worker.destroyForcibly();
        }
        assertTrue(stopped, "the worker went on after its standard input closed");
        assertEquals(3, worker.exitValue());
    }

    @Test
    void aCommandPastItsTimeLimitIsStoppedAndTheRestStillRun() {
        AlloyFileResult r = new AlloyProcessRunner(Optional.of(Duration.ofMillis(1500)), Optional.empty())
                .run(Fixtures.fixture("alloy/ramsey.als"), Optional.empty(), AlloyListener.NONE);
        assertEquals(List.of(AlloyOutcome.SAT, AlloyOutcome.TIMEOUT, AlloyOutcome.SAT),
                r.commands().stream().map(AlloyCommandResult::outcome).toList());
        assertTrue(r.commands().get(1).message().contains("time limit"));
    }

    @Test
    void aChildJvmReportsParseErrorsAsBadInput() {
        MkspecException e = assertThrows(MkspecException.class, () -> new AlloyProcessRunner(
                Optional.empty(), Optional.empty()).run(Fixtures.fixture("alloy/typeError.als"), Optional.empty(),
                AlloyListener.NONE));
        assertEquals(Problem.ALLOY_TYPE_ERROR, e.problem());
        assertTrue(e.getMessage().contains("typeError.als:3:"), e.getMessage());
    }
}
