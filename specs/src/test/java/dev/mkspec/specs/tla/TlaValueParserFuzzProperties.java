package dev.mkspec.specs.tla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.Fixtures;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.fuzz.Fuzz;
import dev.mkspec.specs.fuzz.Mutant;
import dev.mkspec.specs.tlc.ToolMessage;
import dev.mkspec.specs.tlc.ToolOutputReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The TLA+ value parser on broken input: states and values that TLC printed in the captured runs
 * of fixtures/tlc-output, after random edits, and token soup. Every input parses, or is rejected
 * as {@link Problem#TLA_VALUE_SYNTAX} with the line and column in the text; nothing else escapes
 * and nothing hangs. The examples at the end are inputs that the fuzzing found, and one that a
 * reading of the code found.
 */
class TlaValueParserFuzzProperties {
    private static final Pattern POSITION = Pattern.compile("line \\d+, column \\d+");

    private static final List<String> VOCABULARY = List.of("{", "}", "<<", ">>", "[", "]", "(", ")", ",", "|->",
            ":>", "@@", "->", ":", "..", "\\X", "\\times", "SUBSET", "BOOLEAN", "Nat", "TRUE", "FALSE", "\"s\"",
            "\"", "-", "1", "42", "99999999999999999999", "a", "f1", "Node$0", "/\\", "=", "x", "\\");

    /** The states TLC printed in the captured runs (the bodies of its state messages, headers cut off). */
    private static final Map<String, byte[]> STATES = Fuzz.corpus(states());

    /** Every variable's value in those states as TLC printed it, plus the lazy forms TLC prints. */
    private static final Map<String, byte[]> VALUES = Fuzz.corpus(values());

    private static Map<String, String> states() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String capture : List.of("all-values", "stale-tlb-bug", "liveness-lasso", "errors-initial",
                "simulation-bug")) {
            ToolOutputReader r = new ToolOutputReader(new ToolOutputReader.Sink() {
                @Override
                public void message(ToolMessage m) {
                    if (m.code() == 2217 || m.code() == 2216) {
                        String body = m.body();
                        int nl = body.indexOf('\n');
                        out.put(capture + "#" + out.size(), nl < 0 ? body : body.substring(nl + 1));
                    }
                }

                @Override
                public void plainLine(String line) {
                }
            });
            Fixtures.read("tlc-output/" + capture + ".out").lines().forEach(r::accept);
            r.finish();
        }
        return out;
    }

    private static Map<String, String> values() {
        Map<String, String> out = new LinkedHashMap<>();
        states().forEach((name, state) -> TlaValueParser.parseState(state)
                .forEach((var, v) -> out.put(name + "." + var, v.toTla())));
        List<String> lazy = List.of("1..3", "SUBSET {1, 2}", "[{1, 2} -> {a, b}]", "[a : {1, 2}, b : BOOLEAN]",
                "{1, 2} \\X {3}", "Nat", "(a :> 1 @@ b :> 2)", "-7000000", "<<>>", "[f |-> {}]");
        lazy.forEach(v -> out.put("lazy:" + v, v));
        return out;
    }

    @Provide
    Arbitrary<Mutant> mutatedStates() {
        return Fuzz.mutants(STATES, VOCABULARY);
    }

    @Provide
    Arbitrary<Mutant> mutatedValues() {
        return Fuzz.mutants(VALUES, VOCABULARY);
    }

    @Provide
    Arbitrary<String> soup() {
        return Fuzz.tokenSoup(VOCABULARY);
    }

    @Property(tries = 500)
    void aMutatedValueParsesOrIsRejectedAtALineAndColumn(@ForAll("mutatedValues") Mutant m) {
        Throwable t = Fuzz.outcome(m, () -> TlaValueParser.parse(m.text()));
        Fuzz.assertAcceptedOrRejectedAt(m, t, Problem.TLA_VALUE_SYNTAX, POSITION);
    }

    @Property(tries = 300)
    void aMutatedStateParsesOrIsRejectedAtALineAndColumn(@ForAll("mutatedStates") Mutant m) {
        Throwable t = Fuzz.outcome(m, () -> TlaValueParser.parseState(m.text()));
        Fuzz.assertAcceptedOrRejectedAt(m, t, Problem.TLA_VALUE_SYNTAX, POSITION);
    }

    @Property(tries = 200)
    void aValueReadFromTheMiddleOfATextParsesOrIsRejectedAtALineAndColumn(@ForAll("mutatedValues") Mutant m,
            @ForAll @IntRange(min = 0, max = 1000) int offset) {
        String text = m.text();
        int from = offset % (text.length() + 1);
        Throwable t = Fuzz.outcome(m, () -> TlaValueParser.parsePrefix(text, from));
        Fuzz.assertAcceptedOrRejectedAt(m, t, Problem.TLA_VALUE_SYNTAX, POSITION);
    }

    @Property(tries = 500)
    void tokenSoupParsesOrIsRejectedAtALineAndColumn(@ForAll("soup") String text) {
        Throwable t = Fuzz.outcome(text, () -> TlaValueParser.parse(text));
        Fuzz.assertAcceptedOrRejectedAt(text, t, Problem.TLA_VALUE_SYNTAX, POSITION);
        Throwable s = Fuzz.outcome(text, () -> TlaValueParser.parseState(text));
        Fuzz.assertAcceptedOrRejectedAt(text, s, Problem.TLA_VALUE_SYNTAX, POSITION);
    }

    @Property(tries = 30)
    void deeplyNestedValuesAreReadOrRejectedNotOverflowed(@ForAll @IntRange(min = 1, max = 20_000) int depth,
            @ForAll("brackets") String[] bracket) {
        String text = Fuzz.nested(bracket[0], "1", bracket[1], depth);
        Throwable t = Fuzz.outcome(text, () -> TlaValueParser.parse(text));
        Fuzz.assertAcceptedOrRejectedAt(text, t, Problem.TLA_VALUE_SYNTAX, POSITION);
    }

    @Provide
    Arbitrary<String[]> brackets() {
        return Arbitraries.of(new String[] {"{", "}"}, new String[] {"<<", ">>"}, new String[] {"(", ")"},
                new String[] {"[a |-> ", "]"}, new String[] {"(1 :> ", ")"}, new String[] {"SUBSET ", ""},
                new String[] {"-", ""});
    }

    // Regressions: inputs the fuzzing found, frozen.

    @Example
    void anOpenBracketAtTheEndIsASyntaxError() {
        // Was a StringIndexOutOfBoundsException.
        MkspecException e = assertThrows(MkspecException.class, () -> TlaValueParser.parse("["));
        assertEquals(Problem.TLA_VALUE_SYNTAX, e.problem());
        assertTrue(e.getMessage().contains("expected a value but the text ended at line 1, column 2"), e.getMessage());
        MkspecException s = assertThrows(MkspecException.class, () -> TlaValueParser.parseState("/\\ x = 1\n/\\ rec = ["));
        assertTrue(s.getMessage().contains("at line 2, column 11"), s.getMessage());
    }

    @Example
    void deepNestingIsASyntaxErrorNotAStackOverflow() {
        // Both were StackOverflowErrors.
        for (String text : List.of(Fuzz.nested("{", "1", "}", 20_000), "SUBSET ".repeat(20_000) + "{}")) {
            MkspecException e = assertThrows(MkspecException.class, () -> TlaValueParser.parse(text));
            assertTrue(e.getMessage().contains("values nested more than " + TlaValueParser.MAX_DEPTH + " deep"),
                    e.getMessage());
        }
        assertEquals(1, ((TlaValue.SetValue) TlaValueParser.parse(
                Fuzz.nested("{", "", "}", TlaValueParser.MAX_DEPTH))).size(), "the limit itself is read");
    }

    @Example
    void aShortTextCannotAskForAHugeExpansion() {
        // Found by reading Expansion while fuzzing, not by the fuzzer: SUBSET of sixteen intervals
        // of 100,000 numbers ran for minutes, building and sorting 65,536 sets of sets. Now the
        // expansion computes the size first and keeps the text.
        StringBuilder sb = new StringBuilder("SUBSET {");
        for (int k = 0; k < 16; k++) {
            sb.append(k == 0 ? "" : ", ").append("1..").append(100_000 - k);
        }
        String text = sb.append('}').toString();
        assertNull(Fuzz.outcome(text, () -> TlaValueParser.parse(text)));
        assertInstanceOf(TlaValue.Opaque.class, TlaValueParser.parse(text));
        assertEquals(16, ((TlaValue.SetValue) TlaValueParser.parse("SUBSET {1, 2, 3, 4}")).size());
    }
}
