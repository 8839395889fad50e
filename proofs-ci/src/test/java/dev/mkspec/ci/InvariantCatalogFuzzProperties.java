package dev.mkspec.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.ci.catalog.InvariantCatalog;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.fuzz.Fuzz;
import dev.mkspec.specs.fuzz.Mutant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The invariant catalog reader on broken input: specs/invariants.yaml after random edits and raw
 * bytes, and YAML token soup. Every input reads, or is rejected as {@link Problem#MANIFEST_INVALID}
 * naming the file, line and column; nothing else escapes and nothing hangs. The examples at the
 * end are inputs that the fuzzing found.
 */
class InvariantCatalogFuzzProperties {
    private static final Map<String, byte[]> CATALOG =
            Fuzz.corpus(Path.of("..", "specs").toAbsolutePath().normalize(), "invariants.yaml");

    private static final List<String> VOCABULARY = List.of("invariants:", "\n  - ", "\n    ", "id: ", "AS-1",
            "kind: ", "invariant", "liveness", "tla: ", "A!B", "java: ", "alloy: ", "checkedBy: ", "failsIn: ", "[",
            "]", "{", "}", ":", ",", "- ", "\"", "'", "&a ", "*a", "!!str ", "? ", "|", ">", "#", "---", "null", "~",
            "\t");

    private static void assertReadsOrRejected(Object input, byte[] bytes) {
        Fuzz.onDisk("invariants.yaml", bytes, f -> Fuzz.assertAcceptedOrRejectedAt(input,
                Fuzz.outcome(input, () -> InvariantCatalog.read(f)), Problem.MANIFEST_INVALID, Fuzz.at(f.toString())));
    }

    @Provide
    Arbitrary<Mutant> mutants() {
        return Fuzz.mutants(CATALOG, VOCABULARY);
    }

    @Provide
    Arbitrary<String> soup() {
        return Fuzz.tokenSoup(VOCABULARY);
    }

    @Property(tries = 300)
    void aMutatedCatalogReadsOrIsRejectedNamingTheFileLineAndColumn(@ForAll("mutants") Mutant m) {
        assertReadsOrRejected(m, m.bytes());
    }

    @Property(tries = 300)
    void yamlTokenSoupReadsOrIsRejectedNamingTheFileLineAndColumn(@ForAll("soup") String text) {
        assertReadsOrRejected(text, text.getBytes(StandardCharsets.UTF_8));
    }

    // Regressions: inputs the fuzzing found, frozen.

    private static void rejected(String yaml, String expected) {
        Fuzz.onDisk("invariants.yaml", yaml.getBytes(StandardCharsets.UTF_8), f -> {
            MkspecException e = assertThrows(MkspecException.class, () -> InvariantCatalog.read(f));
            assertEquals(Problem.MANIFEST_INVALID, e.problem(), e.getMessage());
            assertTrue(e.getMessage().contains(f + expected), e.getMessage());
        });
    }

    @Example
    void anEntryThatIsNotAMappingIsRejectedAtItsLine() {
        rejected("invariants:\n  - AS-1\n", ":2:5: invariants[0] must be an entry");
    }
}
