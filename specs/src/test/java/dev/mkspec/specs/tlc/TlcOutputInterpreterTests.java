package dev.mkspec.specs.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.Fixtures;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.trace.Trace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The interpreter on output captured from real TLC 2.18 runs (see fixtures/tlc-output/capture.sh). */
class TlcOutputInterpreterTests {

    private static TlcResult interpret(String capture, String spec, String cfg, int exitCode) {
        return interpret(capture, spec, cfg, exitCode, TlcListener.NONE);
    }

    private static TlcResult interpret(String capture, String spec, String cfg, int exitCode, TlcListener l) {
        Path specPath = Fixtures.fixture("tla/" + spec);
        Path cfgPath = Fixtures.fixture("tla/" + cfg);
        TlcOutputInterpreter interpreter = new TlcOutputInterpreter(specPath, cfgPath, l);
        ToolOutputReader reader = new ToolOutputReader(interpreter);
        Fixtures.read("tlc-output/" + capture + ".out").lines().forEach(reader::accept);
        reader.finish();
        return interpreter.result(exitCode, false, null, Duration.ofSeconds(1), Optional.empty());
    }

    @Test
    void anInvariantViolationNamesTheInvariantAndCarriesTheTrace() {
        TlcResult r = interpret("stale-tlb-bug", "StaleTlb.tla", "StaleTlb_bug.cfg", 12);
        assertEquals(TlcVerdict.INVARIANT_VIOLATED, r.verdict());
        assertEquals(Optional.of("NoStaleTranslation"), r.violated());
        Trace t = r.trace().orElseThrow();
        assertEquals(4, t.length());
        assertEquals(List.of("Init", "KernelMap", "TlbFill", "KernelUnmap"),
                t.steps().stream().map(Trace.Step::action).toList());
        assertEquals(TlaValue.set(TlaValue.model("f1")), t.last().value("free"));
        assertEquals(TlaValue.model("f1"), t.last().value("tlb"));
        assertTrue(t.steps().get(1).location().orElseThrow().contains("of module StaleTlb"));
        assertEquals("TLC 2.18", t.tool());
        assertEquals("TLC2 Version 2.18 of 20 March 2023", r.tlcVersion());
    }

    @Test
    void successReportsCountsDepthCoverageAndCollisionEstimate() {
        List<TlcProgress> progress = new ArrayList<>();
        TlcResult r = interpret("stale-tlb-ok", "StaleTlb.tla", "StaleTlb_ok.cfg", 0, new TlcListener() {
            @Override
            public void progress(TlcProgress p) {
                progress.add(p);
            }
        });
        assertEquals(TlcVerdict.SUCCESS, r.verdict());
        assertEquals(12, r.distinctStates().getAsLong());
        assertEquals(21, r.generatedStates().getAsLong());
        assertEquals(5, r.depth().getAsLong());
        assertEquals(1, r.initialStates().getAsLong());
        assertEquals(0, r.queuedStates().getAsLong());
        assertTrue(r.fingerprintCollisionProbability().isPresent());
        assertTrue(r.trace().isEmpty());
        assertFalse(progress.isEmpty());
        assertEquals(List.of("Init", "KernelMap", "TlbFill", "KernelUnmap"),
                r.coverage().stream().map(CoverageEntry::action).toList());
        assertTrue(r.deadActions().isEmpty());
        assertTrue(r.tlcReportedMillis().isPresent());
    }

    @Test
    void everyValueKindInATraceIsRead() {
        TlcResult r = interpret("all-values", "AllValues.tla", "AllValues.cfg", 12);
        Trace t = r.trace().orElseThrow();
        assertEquals(3, t.length());
        Trace.Step s = t.last();
        assertEquals(TlaValue.integer(-7000000), s.value("int"));
        assertEquals(TlaValue.str("say \"hi\"\\ now!!"), s.value("str"));
        assertEquals(TlaValue.model("c"), s.value("mv"));
        assertEquals(5, ((TlaValue.Seq) s.value("seq")).elements().size());
        assertInstanceOf(TlaValue.Record.class, s.value("rec"));
        assertInstanceOf(TlaValue.Fun.class, s.value("fcn"));
        TlaValue.Seq lazy = (TlaValue.Seq) s.value("lazy");
        assertEquals(TlaValue.set(TlaValue.integer(1), TlaValue.integer(2), TlaValue.integer(3)), lazy.elements().get(0));
        assertEquals(12, t.vars().size(), "all twelve variables are read");
    }

    @Test
    void aLassoTraceLoopsBackToTheStateTlcNames() {
        TlcResult r = interpret("liveness-lasso", "Liveness.tla", "Liveness_lasso.cfg", 13);
        assertEquals(TlcVerdict.TEMPORAL_PROPERTY_VIOLATED, r.verdict());
        Trace t = r.trace().orElseThrow();
        assertEquals(6, t.length());
        Trace.Ending.Loop loop = assertInstanceOf(Trace.Ending.Loop.class, t.ending());
        assertEquals(0, loop.toIndex());
        assertEquals("ThreadYield", loop.action());
    }

    @Test
    void aStutteringTraceEndsByStuttering() {
        TlcResult r = interpret("liveness-stutter", "Liveness.tla", "Liveness_stutter.cfg", 13);
        assertEquals(TlcVerdict.TEMPORAL_PROPERTY_VIOLATED, r.verdict());
        Trace t = r.trace().orElseThrow();
        assertEquals(1, t.length());
        assertInstanceOf(Trace.Ending.Stuttering.class, t.ending());
        assertEquals(0, t.loopIndex().getAsInt());
    }

    @Test
    void anActionPropertyIsToldApartFromATemporalOneDespiteTheSameExitCode() {
        TlcResult r = interpret("liveness-action", "Liveness.tla", "Liveness_action.cfg", 13);
        assertEquals(TlcVerdict.ACTION_PROPERTY_VIOLATED, r.verdict());
        assertEquals(Optional.of("CountGrows"), r.violated());
        assertEquals(4, r.trace().orElseThrow().length());
    }

    @Test
    void deadlockAssertionAndAssumptionAreEachRecognised() {
        TlcResult deadlock = interpret("errors-deadlock", "Errors.tla", "Errors_deadlock.cfg", 11);
        assertEquals(TlcVerdict.DEADLOCK, deadlock.verdict());
        assertEquals(3, deadlock.trace().orElseThrow().length());
        TlcResult assertion = interpret("errors-assert", "Errors.tla", "Errors_assert.cfg", 14);
        assertEquals(TlcVerdict.ASSERTION_FAILED, assertion.verdict());
        assertTrue(assertion.message().contains("counter passed 1"));
        assertTrue(assertion.position().isPresent());
        TlcResult assume = interpret("errors-assume", "Errors.tla", "Errors_assume.cfg", 10);
        assertEquals(TlcVerdict.ASSUMPTION_FALSE, assume.verdict());
        assertEquals(16, assume.position().orElseThrow().line());
    }

    @Test
    void anEvaluationErrorGivesTlcsWordsAndTheInnermostPosition() {
        TlcResult r = interpret("errors-eval", "Errors.tla", "Errors_eval.cfg", 75);
        assertEquals(TlcVerdict.EVALUATION_ERROR, r.verdict());
        assertTrue(r.message().contains("not in the domain"), r.message());
        SourcePosition p = r.position().orElseThrow();
        assertTrue(p.file().endsWith("Errors.tla"));
        assertEquals(30, p.line());
        assertTrue(r.message().startsWith(p.toString()), r.message());
        assertEquals(3, r.trace().orElseThrow().length());
    }

    @Test
    void anInitialStateViolationHasAOneStateTrace() {
        TlcResult r = interpret("errors-initial", "Errors.tla", "Errors_initial.cfg", 12);
        assertEquals(TlcVerdict.INVARIANT_VIOLATED, r.verdict());
        assertEquals(Optional.of("Positive"), r.violated());
        Trace t = r.trace().orElseThrow();
        assertEquals(1, t.length());
        assertEquals(TlaValue.integer(0), t.last().value("n"));
    }

    @Test
    void anUndefinedOperatorInTheCfgPointsAtItsLine() {
        TlcResult r = interpret("errors-undefined", "Errors.tla", "Errors_undefined.cfg", 151);
        assertEquals(TlcVerdict.CONFIG_ERROR, r.verdict());
        SourcePosition p = r.position().orElseThrow();
        assertTrue(p.file().endsWith("Errors_undefined.cfg"));
        assertEquals(4, p.line());
        assertTrue(r.message().contains("NoSuchInvariant"));
    }

    @Test
    void aCfgSyntaxErrorInsideTlcsGeneralErrorIsAConfigError() {
        TlcResult r = interpret("cfg-syntax", "StaleTlb.tla", "Broken.cfg", 255);
        assertEquals(TlcVerdict.CONFIG_ERROR, r.verdict());
        assertEquals(3, r.position().orElseThrow().line());
    }

    @Test
    void aParseErrorSaysItIsTlcsParserAndWhere() {
        TlcResult r = interpret("parse-error", "Syntax.tla", "Syntax.cfg", 150);
        assertEquals(TlcVerdict.PARSE_ERROR, r.verdict());
        SourcePosition p = r.position().orElseThrow();
        assertTrue(p.file().endsWith("Syntax.tla"), p.file());
        assertEquals(6, p.line());
        assertTrue(r.message().contains("Encountered"), r.message());
    }

    @Test
    void aSemanticErrorNamesTheUnknownOperatorAndItsPosition() {
        TlcResult r = interpret("semantic-error", "Semantic.tla", "Syntax.cfg", 150);
        assertEquals(TlcVerdict.PARSE_ERROR, r.verdict());
        SourcePosition p = r.position().orElseThrow();
        assertTrue(p.file().endsWith("Semantic.tla"));
        assertEquals(6, p.line());
        assertEquals(14, p.column());
        assertTrue(r.message().contains("Unknown operator"), r.message());
    }

    @Test
    void simulationFindsTheViolationToo() {
        TlcResult r = interpret("simulation-bug", "StaleTlb.tla", "StaleTlb_bug.cfg", 12);
        assertEquals("simulation", r.mode());
        assertEquals(TlcVerdict.INVARIANT_VIOLATED, r.verdict());
        assertTrue(r.trace().isPresent());
    }

    @Test
    void aTimeoutKeepsTheLastCountsAndAKilledRunWithoutMessagesIsAToolFailure() {
        Path spec = Fixtures.fixture("tla/StaleTlb.tla");
        TlcOutputInterpreter i = new TlcOutputInterpreter(spec, null, TlcListener.NONE);
        ToolOutputReader reader = new ToolOutputReader(i);
        reader.accept("@!@!@STARTMSG 2200:0 @!@!@");
        reader.accept("Progress(9) at 2026-01-01 00:00:00: 1,234 states generated (1 s/min), 1,000 distinct states found (1 ds/min), 77 states left on queue.");
        reader.accept("@!@!@ENDMSG 2200 @!@!@");
        TlcResult t = i.result(-1, true, Duration.ofSeconds(3), Duration.ofSeconds(3), Optional.empty());
        assertEquals(TlcVerdict.TIMEOUT, t.verdict());
        assertEquals(1000, t.distinctStates().getAsLong());
        assertTrue(t.message().contains("3s"));

        TlcOutputInterpreter j = new TlcOutputInterpreter(spec, null, TlcListener.NONE);
        j.plainLine("Error: Could not find or load main class tlc2.TLC");
        TlcResult f = j.result(1, false, null, Duration.ZERO, Optional.empty());
        assertEquals(TlcVerdict.TOOL_FAILURE, f.verdict());
        assertTrue(f.message().contains("Could not find or load main class"));
    }

    @Test
    void anOutOfMemoryErrorInTlcsGeneralMessageIsOutOfMemory() {
        Path spec = Fixtures.fixture("tla/StaleTlb.tla");
        TlcOutputInterpreter i = new TlcOutputInterpreter(spec, null, TlcListener.NONE);
        ToolOutputReader reader = new ToolOutputReader(i);
        for (String line : List.of("@!@!@STARTMSG 1000:1 @!@!@", "TLC threw an unexpected exception.",
                "The exception was a java.lang.OutOfMemoryError", ": GC overhead limit exceeded",
                "@!@!@ENDMSG 1000 @!@!@")) {
            reader.accept(line);
        }
        assertEquals(TlcVerdict.OUT_OF_MEMORY, i.result(255, false, null, Duration.ZERO, Optional.empty()).verdict());
    }

    /** An interpreter fed the given -tool lines. */
    private static TlcOutputInterpreter fed(String... lines) {
        TlcOutputInterpreter interpreter = new TlcOutputInterpreter(Fixtures.fixture("tla/Forever.tla"),
                Fixtures.fixture("tla/Forever.cfg"), TlcListener.NONE);
        ToolOutputReader reader = new ToolOutputReader(interpreter);
        for (String l : lines) {
            l.lines().forEach(reader::accept);
        }
        reader.finish();
        return interpreter;
    }

    private static String msg(int code, String body) {
        return "@!@!@STARTMSG " + code + ":0 @!@!@\n" + body + "\n@!@!@ENDMSG " + code + " @!@!@";
    }

    @Test
    void aSearchStoppedAtItsTimeLimitIsATimeoutButOneThatFinishedIsNot() {
        String completed = msg(2193, "Model checking completed. No error has been found.");
        TlcOutputInterpreter stopped = fed(completed, msg(2199,
                "451641 states generated, 451641 distinct states found, 440350 states left on queue."),
                msg(2186, "Finished in 3443ms at (2026-12-02 02:33:56)"));
        assertTrue(stopped.stoppedEarly(Duration.ofSeconds(3)), "states left on the queue: TLC was stopped");
        TlcOutputInterpreter finished = fed(completed, msg(2199,
                "21 states generated, 12 distinct states found, 0 states left on queue."),
                msg(2186, "Finished in 400ms at (2026-12-02 02:33:56)"));
        assertFalse(finished.stoppedEarly(Duration.ofSeconds(3)), "a search that emptied its queue finished");
        TlcOutputInterpreter slowButDone = fed(completed, msg(2199,
                "21 states generated, 12 distinct states found, 0 states left on queue."),
                msg(2186, "Finished in 5000ms at (2026-12-02 02:33:56)"));
        assertFalse(slowButDone.stoppedEarly(Duration.ofSeconds(3)), "an empty queue is a finished search, however long");
        TlcOutputInterpreter silent = fed(msg(2186, "Finished in 3001ms at (2026-12-02 02:33:56)"));
        assertTrue(silent.stoppedEarly(Duration.ofSeconds(3)), "stopped before it could report anything");
    }

    @Test
    void aSimulationIsATimeoutOnlyWhenTlcRanForTheWholeLimit() {
        String simulating = msg(TlcOutputInterpreter.MODE_SIMULATION, "Running Random Simulation with seed 0");
        TlcOutputInterpreter done = fed(simulating, msg(2186, "Finished in 800ms at (x)"));
        assertFalse(done.stoppedEarly(Duration.ofSeconds(3)), "TLC's own time, not the JVM's start-up, is compared");
        TlcOutputInterpreter stopped = fed(simulating, msg(2186, "Finished in 3010ms at (x)"));
        assertTrue(stopped.stoppedEarly(Duration.ofSeconds(3)));
    }

    /**
     * TLC's distributed server can end a run with a NullPointerException in a server thread that
     * asked for more states after a worker found a violation (seen once in CI, at
     * DistributedTlcTests' StaleTlb run): it is a warning, and the behaviour the server printed is
     * still judged, not an evaluation error of the spec. The same message from single-process TLC,
     * or another general error from the server, still decides the verdict.
     */
    @Test
    void theDistributedServersEndOfRunRaceIsAWarningNotTheVerdict() {
        // TLC prints its general errors with severity 1 (an error).
        String race = "@!@!@STARTMSG 1000:1 @!@!@\nTLC threw an unexpected exception.\n"
                + "The exception was a java.lang.NullPointerException\n"
                + ": Cannot read the array length because \"this.states\" is null\n@!@!@ENDMSG 1000 @!@!@";
        String state = "@!@!@STARTMSG 2217:4 @!@!@\n1: <Initial predicate>\nx = 0\n@!@!@ENDMSG 2217 @!@!@";
        TlcOutputInterpreter server = fed("TLC2 TLC Server Version 2.18 of Day Month 20??", state, race);
        assertTrue(server.traceWithoutVerdict(), "the server's behaviour is still there to be named");
        TlcResult r = server.result(0, false, null, Duration.ZERO, Optional.empty());
        assertTrue(r.warnings().contains(TlcOutputInterpreter.SERVER_THREAD_RACE_WARNING), r.warnings().toString());
        assertFalse(r.verdict() == TlcVerdict.EVALUATION_ERROR, r.message());
        TlcOutputInterpreter single = fed(state, race);
        assertEquals(TlcVerdict.EVALUATION_ERROR, single.result(0, false, null, Duration.ZERO, Optional.empty()).verdict(),
                "single-process TLC's own NullPointerException is not the server's race");
        TlcOutputInterpreter other = fed("TLC2 TLC Server Version 2.18 of Day Month 20??", state,
                "@!@!@STARTMSG 1000:1 @!@!@\nTLC threw an unexpected exception.\nSomething else\n@!@!@ENDMSG 1000 @!@!@");
        assertEquals(TlcVerdict.EVALUATION_ERROR, other.result(0, false, null, Duration.ZERO, Optional.empty()).verdict());
    }

    @Test
    void onlyAnOutOfMemoryErrorIsOutOfMemoryNotASentenceThatMentionsOne() {
        assertEquals("Java heap space", TlcOutputInterpreter.heapExhausted("but it produced the following error:\nJava heap space\n"));
        assertEquals("GC overhead limit exceeded", TlcOutputInterpreter.heapExhausted("  GC overhead limit exceeded"));
        assertEquals(null, TlcOutputInterpreter.heapExhausted("The kernel ran out of Java heap space in this spec"));
        assertEquals(null, TlcOutputInterpreter.heapExhausted("Metaspace usage is fine"));
    }
}
