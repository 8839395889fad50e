package dev.mkspec.specs.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.Fixtures;
import dev.mkspec.specs.fuzz.Fuzz;
import dev.mkspec.specs.fuzz.Mutant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The reader and interpreter of TLC's {@code -tool} output on broken streams: the captured runs of
 * fixtures/tlc-output after random edits, marker soup, and lines of garbage. Whatever arrives, the
 * interpreter never throws and never hangs, and {@code result} gives a {@link TlcResult}; a stream
 * with no TLC message in it is a tool failure. The examples at the end are inputs that the fuzzing
 * found.
 */
class TlcOutputFuzzProperties {
    private static final Map<String, byte[]> CAPTURES = Fuzz.corpus(Fixtures.fixture("tlc-output"), "*.out");

    private static final List<String> VOCABULARY = List.of("@!@!@STARTMSG 2217:4 @!@!@",
            "@!@!@ENDMSG 2217 @!@!@", "@!@!@STARTMSG 1000:1 @!@!@", "@!@!@ENDMSG 1000 @!@!@",
            "@!@!@STARTMSG 2200:0 @!@!@", "@!@!@STARTMSG 2193:0 @!@!@", "@!@!@STARTMSG 3002:1 @!@!@",
            "@!@!@STARTMSG 2122:4 @!@!@", "@!@!@STARTMSG 2773:0 @!@!@", "@!@!@STARTMSG 2103:4 @!@!@",
            "@!@!@STARTMSG 99999999999999999999:1 @!@!@", "@!@!@ENDMSG 99999999999999999999 @!@!@",
            "Progress(99999999999999999999) at 2023-01-01 00:00:00: 5 states generated, 3 distinct states found, 0 states left on queue.",
            "calculated (optimistic):  val = 1.2.3E", "calculated (optimistic):  val = -", "Finished in 99999999999999999999s at",
            "2: Back to state: <Next line 1, col 1 to line 2, col 3 of module M>", "99999999999999999999: Back to state",
            "line 99999999999999999999, col 1 to line 1, col 1 of module M", "at line 99999999999999999999",
            "<Next line 1, col 1 to line 1, col 2 of module M>: 99999999999999999999:1",
            "1: <Initial predicate>", "/\\ x = ", "{", "<<", "Semantic errors:", "line 3, col 7",
            "java.lang.OutOfMemoryError", "Error: Invariant Inv is violated.", "\n", " ");

    @Provide
    Arbitrary<Mutant> captures() {
        return Fuzz.mutants(CAPTURES, VOCABULARY);
    }

    @Provide
    Arbitrary<String> soup() {
        return Fuzz.tokenSoup(VOCABULARY);
    }

    @Provide
    Arbitrary<Integer> exitCodes() {
        return Arbitraries.of(-1, 0, 1, 10, 11, 12, 13, 14, 75, 150, 151, 255);
    }

    /** Feeds {@code text} line by line and builds the result; fails if anything throws or hangs. */
    private static TlcResult interpret(Object input, String text, int exitCode, boolean timedOut) {
        AtomicReference<TlcResult> result = new AtomicReference<>();
        Throwable t = Fuzz.outcome(input, () -> {
            TlcOutputInterpreter interpreter = new TlcOutputInterpreter(Fixtures.fixture("tla/StaleTlb.tla"),
                    Fixtures.fixture("tla/Broken.cfg"), TlcListener.NONE);
            ToolOutputReader reader = new ToolOutputReader(interpreter);
            text.lines().forEach(reader::accept);
            reader.finish();
            result.set(interpreter.result(exitCode, timedOut, Duration.ofMinutes(1), Duration.ofSeconds(3),
                    Optional.of(Path.of("tlc.log"))));
            return null;
        });
        if (t != null) {
            throw new AssertionError("threw " + t + " for " + Fuzz.describe(input), t);
        }
        TlcResult r = result.get();
        assertNotNull(r.verdict());
        assertNotNull(r.message());
        r.summaryLine();
        r.trace().ifPresent(tr -> tr.steps().forEach(s -> assertNotNull(s.values())));
        return r;
    }

    @Property(tries = 300)
    void aMutatedCaptureIsInterpretedWithoutThrowing(@ForAll("captures") Mutant m, @ForAll("exitCodes") int exit) {
        interpret(m, m.text(), exit, false);
    }

    @Property(tries = 400)
    void markerSoupIsInterpretedWithoutThrowing(@ForAll("soup") String text, @ForAll("exitCodes") int exit) {
        interpret(text, text, exit, false);
    }

    @Property(tries = 200)
    void garbageWithoutTlcMessagesIsAToolFailure(@ForAll("garbage") String text) {
        TlcResult r = interpret(text, text, 1, false);
        assertEquals(TlcVerdict.TOOL_FAILURE, r.verdict(), r.message());
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.strings().all().ofMaxLength(400).filter(s -> !s.contains("@!@!@") && !s.contains("OutOfMemory"));
    }

    @Property(tries = 10)
    void thousandsOfNestedMessagesFinishInTime(@ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 20_000) int n) {
        String text = "@!@!@STARTMSG 1000:1 @!@!@\nsome text\n".repeat(n);
        interpret(n + " nested messages", text, 255, false);
    }

    // Regressions: inputs the fuzzing found, frozen. Each threw a NumberFormatException.

    @Example
    void aMarkerWithAnImpossibleCodeIsText() {
        TlcResult r = interpret("huge code", "@!@!@STARTMSG 99999999999999999999:1 @!@!@\nboom\n", 255, false);
        assertEquals(TlcVerdict.TOOL_FAILURE, r.verdict());
        assertTrue(r.message().contains("boom"), r.message());
    }

    @Example
    void countsAndPositionsThatDoNotFitAreUnknownRatherThanFatal() {
        TlcResult r = interpret("huge numbers", String.join("\n",
                "@!@!@STARTMSG 2200:0 @!@!@",
                "Progress(99999999999999999999) at 2023-01-01 00:00:00: 5 states generated, 3 distinct states found, 0 states left on queue.",
                "@!@!@ENDMSG 2200 @!@!@",
                "@!@!@STARTMSG 2193:0 @!@!@",
                "Model checking completed. calculated (optimistic):  val = 1.2.3E",
                "@!@!@ENDMSG 2193 @!@!@",
                "@!@!@STARTMSG 2186:0 @!@!@",
                "Finished in 99999999999999999999s at (2023-01-01 00:00:00)",
                "@!@!@ENDMSG 2186 @!@!@"), 0, false);
        assertEquals(TlcVerdict.SUCCESS, r.verdict());
        assertEquals(3, r.distinctStates().getAsLong());
        assertTrue(r.fingerprintCollisionProbability().isEmpty());
        assertTrue(r.tlcReportedMillis().isEmpty());
        TlcResult e = interpret("huge line", String.join("\n",
                "@!@!@STARTMSG 1000:1 @!@!@",
                "Error: line 99999999999999999999, col 1 to line 1, col 1 of module M",
                "@!@!@ENDMSG 1000 @!@!@"), 255, false);
        assertEquals(TlcVerdict.EVALUATION_ERROR, e.verdict());
    }

    @Example
    void twentyThousandNestedMessagesAreReadInLinearTime() {
        // 8,000 took 7 s: every close copied the whole text of the message into the one around it.
        String text = "@!@!@STARTMSG 1000:1 @!@!@\nsome text\n".repeat(20_000);
        long t0 = System.nanoTime();
        interpret("20000 nested messages", text, 255, false);
        assertTrue(System.nanoTime() - t0 < Fuzz.LIMIT.toNanos());
    }
}
