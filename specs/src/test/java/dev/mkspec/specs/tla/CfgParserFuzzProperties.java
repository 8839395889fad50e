package dev.mkspec.specs.tla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.Fixtures;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.fuzz.Fuzz;
import dev.mkspec.specs.fuzz.Mutant;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The cfg parser on broken input: the repository's own cfgs after random edits, token soup, and
 * binary garbage on disk. Every input parses, or is rejected as {@link Problem#CFG_SYNTAX_ERROR}
 * naming the file, line and column; nothing else escapes and nothing hangs. The examples at the end
 * are inputs that the fuzzing found.
 */
class CfgParserFuzzProperties {
    /** The cfgs of specs/tla (the tests run in the specs module's folder) and of the fixtures. */
    private static final Map<String, byte[]> CORPUS = corpus();

    private static final List<String> VOCABULARY = List.of("CONSTANTS", "CONSTANT", "INIT", "NEXT",
            "SPECIFICATION", "INVARIANTS", "PROPERTIES", "CONSTRAINT", "ACTION_CONSTRAINT", "SYMMETRY", "VIEW",
            "ALIAS", "POSTCONDITION", "CHECK_DEADLOCK", "TRUE", "FALSE", "=", "<-", "[", "]", "{", "}", "<<", ">>",
            "(", ")", ":>", "@@", "|->", "..", "\\X", "SUBSET", "\\*", "(*", "*)", "\"", "NPages", "Spec", "s1", "3",
            "-", ",", "99999999999999999999");

    private static Map<String, byte[]> corpus() {
        Map<String, byte[]> c = new LinkedHashMap<>(Fuzz.corpus(Path.of("tla"), "MC*.cfg"));
        c.putAll(Fuzz.corpus(Fixtures.fixture("tla"), "*.cfg"));
        return c;
    }

    @Provide
    Arbitrary<Mutant> mutants() {
        return Fuzz.mutants(CORPUS, VOCABULARY);
    }

    @Provide
    Arbitrary<String> soup() {
        return Fuzz.tokenSoup(VOCABULARY);
    }

    @Property(tries = 600)
    void aMutatedCfgParsesOrIsRejectedNamingTheFileAndLine(@ForAll("mutants") Mutant m) {
        Throwable t = Fuzz.outcome(m, () -> CfgParser.parse(m.text(), Path.of(m.source())));
        Fuzz.assertAcceptedOrRejectedAt(m, t, Problem.CFG_SYNTAX_ERROR, Fuzz.at(m.source()));
    }

    @Property(tries = 100)
    void aMutatedCfgFileWithAnyBytesParsesOrIsRejectedNamingTheFileAndLine(@ForAll("mutants") Mutant m) {
        Fuzz.onDisk(m.source(), m.bytes(), f -> Fuzz.assertAcceptedOrRejectedAt(m,
                Fuzz.outcome(m, () -> CfgParser.parse(f)), Problem.CFG_SYNTAX_ERROR, Fuzz.at(f.toString())));
    }

    @Property(tries = 400)
    void tokenSoupParsesOrIsRejectedNamingTheLine(@ForAll("soup") String text) {
        Throwable t = Fuzz.outcome(text, () -> CfgParser.parse(text, null));
        Fuzz.assertAcceptedOrRejectedAt(text, t, Problem.CFG_SYNTAX_ERROR, Fuzz.at("<cfg>"));
    }

    @Property(tries = 20)
    void aDeeplyNestedConstantIsRejectedNotOverflowed(@ForAll @IntRange(min = 1, max = 20_000) int depth) {
        String text = "CONSTANTS N = " + Fuzz.nested("{", "1", "}", depth);
        Throwable t = Fuzz.outcome(text, () -> CfgParser.parse(text, Path.of("Deep.cfg")));
        Fuzz.assertAcceptedOrRejectedAt(text, t, Problem.CFG_SYNTAX_ERROR, Fuzz.at("Deep.cfg"));
    }

    // Regressions: inputs the fuzzing found, frozen.

    @Example
    void aConstantPastLongIsReadAsABigInteger() {
        CfgFile cfg = CfgParser.parse("CONSTANTS\n  NPages = 99999999999999999999\n", Path.of("MC.cfg"));
        assertEquals(new TlaValue.Int(new BigInteger("99999999999999999999")), cfg.constant("NPages"));
    }

    @Example
    void aValueCutOffAfterAnOpenBracketIsASyntaxErrorAtItsLineAndColumn() {
        // Was a StringIndexOutOfBoundsException from TlaValueParser.bracket.
        MkspecException e = assertThrows(MkspecException.class,
                () -> CfgParser.parse("CONSTANTS\n  N = [", Path.of("MC.cfg")));
        assertEquals(Problem.CFG_SYNTAX_ERROR, e.problem());
        assertTrue(e.getMessage().contains("MC.cfg:2:8: cannot read the value of N: expected a value"), e.getMessage());
    }

    @Example
    void aValueErrorPointsAtWhereTheValueBreaksNotWhereItStarts() {
        MkspecException e = assertThrows(MkspecException.class,
                () -> CfgParser.parse("CONSTANTS\n  S = {s1, s2\nSPECIFICATION Spec\n", Path.of("MC.cfg")));
        assertTrue(e.getMessage().contains("MC.cfg:3:1: cannot read the value of S: expected '}'"), e.getMessage());
    }

    @Example
    void aDeeplyNestedConstantIsASyntaxErrorNotAStackOverflow() {
        // Was a StackOverflowError.
        String text = "CONSTANTS N = " + Fuzz.nested("{", "1", "}", 20_000);
        MkspecException e = assertThrows(MkspecException.class, () -> CfgParser.parse(text, Path.of("MC.cfg")));
        assertTrue(e.getMessage().contains("MC.cfg:1:"), e.getMessage());
        assertTrue(e.getMessage().contains("values nested more than " + TlaValueParser.MAX_DEPTH + " deep"), e.getMessage());
    }

    @Example
    void aFileThatIsNotUtf8IsASyntaxErrorAtTheBadByte() {
        // Was MK-204 (an I/O error, exit class tool failure) saying only "Input length = 1".
        byte[] bytes = "CONSTANTS\n  N = \u00ff".getBytes(StandardCharsets.ISO_8859_1);
        Fuzz.onDisk("MC.cfg", bytes, f -> {
            MkspecException e = assertThrows(MkspecException.class, () -> CfgParser.parse(f));
            assertEquals(Problem.CFG_SYNTAX_ERROR, e.problem());
            assertTrue(e.getMessage().contains(f + ":2:7: the file is not UTF-8 text (byte 0xff)"), e.getMessage());
        });
    }
}
