package dev.mkspec.specs.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.Fixtures;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.fuzz.Fuzz;
import dev.mkspec.specs.fuzz.Mutant;
import dev.mkspec.specs.tlc.TlcListener;
import dev.mkspec.specs.tlc.TlcOutputInterpreter;
import dev.mkspec.specs.tlc.ToolOutputReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The ITF reader on broken input: ITF traces of the captured TLC runs (written by
 * {@link ItfWriter}) and an Apalache-style trace, after random edits, and JSON token soup. Every
 * input reads, or is rejected as {@link Problem#TRACE_INVALID} naming the origin, line and column;
 * nothing else escapes and nothing hangs. The examples at the end are inputs that the fuzzing
 * found.
 */
class ItfReaderFuzzProperties {
    private static final Map<String, byte[]> TRACES = Fuzz.corpus(traces());

    private static final List<String> VOCABULARY = List.of("{", "}", "[", "]", ":", ",", "\"", "\"#meta\"",
            "\"vars\"", "\"states\"", "\"loop\"", "\"#bigint\"", "\"#set\"", "\"#tup\"", "\"#map\"",
            "\"#unserializable\"", "\"modelValues\"", "\"ending\"", "\"stuttering\"", "\"x\"", "\"\"", "\"12x\"",
            "\"99999999999999999999\"", "99999999999999999999", "-1", "1.5", "1e999", "true", "null", "0");

    private static Map<String, String> traces() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] run : List.of(new String[] {"all-values", "AllValues.tla", "AllValues.cfg"},
                new String[] {"stale-tlb-bug", "StaleTlb.tla", "StaleTlb_bug.cfg"},
                new String[] {"liveness-lasso", "Liveness.tla", "Liveness_lasso.cfg"},
                new String[] {"liveness-stutter", "Liveness.tla", "Liveness_stutter.cfg"})) {
            TlcOutputInterpreter interpreter = new TlcOutputInterpreter(Fixtures.fixture("tla/" + run[1]),
                    Fixtures.fixture("tla/" + run[2]), TlcListener.NONE);
            ToolOutputReader reader = new ToolOutputReader(interpreter);
            Fixtures.read("tlc-output/" + run[0] + ".out").lines().forEach(reader::accept);
            reader.finish();
            Trace t = interpreter.result(12, false, null, Duration.ZERO, Optional.empty()).trace().orElseThrow();
            out.put(run[0] + ".itf.json", ItfWriter.toJson(t));
        }
        out.put("apalache.itf.json", "{\"vars\":[\"x\",\"s\"],\"states\":[{\"#meta\":{\"index\":0},\"x\":3,"
                + "\"s\":{\"#set\":[1,2]}},{\"x\":{\"#bigint\":\"4\"},\"s\":{\"#set\":[]}}],\"loop\":1}");
        return out;
    }

    @Provide
    Arbitrary<Mutant> mutants() {
        return Fuzz.mutants(TRACES, VOCABULARY);
    }

    @Provide
    Arbitrary<String> soup() {
        return Fuzz.tokenSoup(VOCABULARY);
    }

    @Property(tries = 500)
    void aMutatedTraceReadsOrIsRejectedNamingTheLineAndColumn(@ForAll("mutants") Mutant m) {
        Throwable t = Fuzz.outcome(m, () -> ItfReader.fromJson(m.text(), m.source()));
        Fuzz.assertAcceptedOrRejectedAt(m, t, Problem.TRACE_INVALID, Fuzz.at(m.source()));
    }

    @Property(tries = 100)
    void aMutatedTraceFileWithAnyBytesReadsOrIsRejectedNamingTheLineAndColumn(@ForAll("mutants") Mutant m) {
        Fuzz.onDisk(m.source(), m.bytes(), f -> Fuzz.assertAcceptedOrRejectedAt(m,
                Fuzz.outcome(m, () -> ItfReader.read(f)), Problem.TRACE_INVALID, Fuzz.at(f.toString())));
    }

    @Property(tries = 400)
    void jsonTokenSoupReadsOrIsRejectedNamingTheLineAndColumn(@ForAll("soup") String text) {
        Throwable t = Fuzz.outcome(text, () -> ItfReader.fromJson(text, "soup.itf.json"));
        Fuzz.assertAcceptedOrRejectedAt(text, t, Problem.TRACE_INVALID, Fuzz.at("soup.itf.json"));
    }

    @Property(tries = 20)
    void aDeeplyNestedValueIsReadOrRejectedNotOverflowed(@ForAll @IntRange(min = 1, max = 5000) int depth) {
        String text = "{\"vars\":[\"x\"],\"states\":[{\"x\":" + Fuzz.nested("{\"#set\":[", "1", "]}", depth) + "}]}";
        Throwable t = Fuzz.outcome(depth, () -> ItfReader.fromJson(text, "deep.itf.json"));
        Fuzz.assertAcceptedOrRejectedAt(text, t, Problem.TRACE_INVALID, Fuzz.at("deep.itf.json"));
    }

    // Regressions: inputs the fuzzing found, frozen.

    private static MkspecException rejected(String json) {
        MkspecException e = assertThrows(MkspecException.class, () -> ItfReader.fromJson(json, "t.itf.json"));
        assertEquals(Problem.TRACE_INVALID, e.problem(), e.getMessage());
        return e;
    }

    @Example
    void aTruncatedFileSaysWhereItEndsAndGivesAnItfHint() {
        // Was MK-106 ("cannot read TLA+ value") with Jackson's own text and a hint on TLA+ syntax.
        String json = new String(TRACES.get("stale-tlb-bug.itf.json"), StandardCharsets.UTF_8);
        String cut = json.substring(0, json.indexOf("\"states\"") + 30);
        MkspecException e = rejected(cut);
        int lines = (int) cut.lines().count();
        assertTrue(e.getMessage().startsWith("MK-113: invalid ITF trace: t.itf.json:" + lines + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("the ITF file is not valid JSON (it ends early: the object that opens at line"),
                e.getMessage());
        assertFalse(e.getMessage().contains("Source"), e.getMessage());
        assertTrue(e.problem().hint().contains("ITF") && !e.problem().hint().contains("TLC prints"), e.problem().hint());
    }

    @Example
    void aStateWithoutAListedVariableIsRejectedNamingTheVariableAndState() {
        // Was read, and failed later, far from the file, when the replay asked for the variable.
        MkspecException e = rejected("{\"vars\": [\"x\", \"y\"],\n \"states\": [{\"x\": 1, \"y\": 2},\n  {\"x\": 2}]}");
        assertTrue(e.getMessage().contains("t.itf.json:3:3: state 1 has no value for the variable y"), e.getMessage());
    }

    @Example
    void aBigintThatIsNotANumberIsRejectedAtItsPosition() {
        // Was a NumberFormatException.
        MkspecException e = rejected("{\"vars\": [\"x\"], \"states\": [{\"x\": {\"#bigint\": \"1e99999\"}}]}");
        assertTrue(e.getMessage().contains("t.itf.json:1:35: #bigint must be"), e.getMessage());
    }

    @Example
    void aLoopOutsideTheTraceIsRejectedAtItsPosition() {
        // Was an IllegalArgumentException from the Trace constructor.
        MkspecException e = rejected("{\"vars\": [\"x\"], \"states\": [{\"x\": 1}], \"loop\": 5}");
        assertTrue(e.getMessage().contains("t.itf.json:1:39: 'loop' must be the index of a state, from 0 to 0, not 5"),
                e.getMessage());
    }

    @Example
    void anEmptyModelValueNameIsRejectedAtItsPosition() {
        // Was an IllegalArgumentException from TlaValue.ModelValue.
        MkspecException e = rejected("{\"#meta\": {\"modelValues\": [\"\"]}, \"vars\": [\"x\"], \"states\": [{\"x\": \"\"}]}");
        assertTrue(e.getMessage().contains("t.itf.json:1:28: #meta.modelValues must hold"), e.getMessage());
    }

    @Example
    void structuresOfTheWrongShapeAreRejectedRatherThanReadAsEmpty() {
        // Each was read without a word: a set of nothing, a trace of no states, a state of no variables.
        assertTrue(rejected("{\"vars\": [\"x\"], \"states\": [{\"x\": {\"#set\": 5}}]}").getMessage()
                .contains("#set must be an array"));
        assertTrue(rejected("{\"vars\": [\"x\"], \"states\": []}").getMessage().contains("the trace has no states"));
        assertTrue(rejected("{\"vars\": [\"x\"], \"states\": [5]}").getMessage().contains("state 0 must be an object"));
    }

    @Example
    void aFileThatIsNotUtf8IsRejectedAtTheBadByte() {
        // Was MK-204 (an I/O error, exit class tool failure) saying only "Input length = 1".
        byte[] bytes = "{\"vars\": [\"\u00ff\"]}".getBytes(StandardCharsets.ISO_8859_1);
        Fuzz.onDisk("t.itf.json", bytes, f -> {
            MkspecException e = assertThrows(MkspecException.class, () -> ItfReader.read(f));
            assertEquals(Problem.TRACE_INVALID, e.problem());
            assertTrue(e.getMessage().contains(f + ":1:12: the file is not UTF-8 text (byte 0xff)"), e.getMessage());
        });
    }
}
