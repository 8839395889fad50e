package dev.mkspec.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.ci.plan.ManifestReader;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.fuzz.Fuzz;
import dev.mkspec.specs.fuzz.Mutant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The manifest reader on broken input: the manifests of specs/tla after random edits and raw bytes,
 * and JSON token soup, each read in a copy of its area's folder (so that the specs and cfgs it names
 * exist). Every input reads, or is rejected as {@link Problem#MANIFEST_INVALID} naming the file,
 * line and column; nothing else escapes and nothing hangs. The examples at the end are inputs that
 * the fuzzing found.
 */
class ManifestReaderFuzzProperties {
    private static final Path AREAS = Path.of("..", "specs", "tla").toAbsolutePath().normalize();
    /** A copy of specs/tla, made once; each try writes its manifest into an area of the copy. */
    private static final Path COPY = copyAreas();
    private static final Map<String, byte[]> MANIFESTS = manifests();

    private static final List<String> VOCABULARY = List.of("{", "}", "[", "]", ":", ",", "\"", "\"models\"",
            "\"name\"", "\"spec\"", "\"config\"", "\"expect\"", "\"result\"", "\"success\"", "\"workers\"", "\"auto\"",
            "\"timeout\"", "\"99999999999999999999s\"", "\"heap\"", "\"coverage\"", "\"library\"", "\"../Nope\"", "\"explorer\"",
            "\"traceLength\"", "\"distinctStates\"", "-1", "1e999", "99999999999999999999", "null", "true",
            "\"\\u0000.tla\"");

    private static Path copyAreas() {
        try {
            Path root = Files.createTempDirectory("mkspec-manifest-fuzz");
            try (Stream<Path> walk = Files.walk(AREAS)) {
                for (Path p : walk.toList()) {
                    Path target = root.resolve(AREAS.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterContainer
    static void removeTheCopy() throws IOException {
        try (Stream<Path> walk = Files.walk(COPY)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Map<String, byte[]> manifests() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> areas = Files.list(AREAS)) {
            for (Path area : areas.sorted().toList()) {
                Path m = area.resolve("manifest.json");
                if (Files.isRegularFile(m)) {
                    out.put(area.getFileName() + "/manifest.json", Files.readAllBytes(m));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Writes {@code bytes} as the manifest of {@code area} in the copy, and reads it. */
    private static void assertReadsOrRejected(Object input, String source, byte[] bytes) {
        Path file = COPY.resolve(source);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Throwable t = Fuzz.outcome(input, () -> ManifestReader.read(file));
        Fuzz.assertAcceptedOrRejectedAt(input, t, Problem.MANIFEST_INVALID, Fuzz.at(file.toString()));
    }

    @Provide
    Arbitrary<Mutant> mutants() {
        return Fuzz.mutants(MANIFESTS, VOCABULARY);
    }

    @Provide
    Arbitrary<String> soup() {
        return Fuzz.tokenSoup(VOCABULARY);
    }

    @Property(tries = 400)
    void aMutatedManifestReadsOrIsRejectedNamingTheFileLineAndColumn(@ForAll("mutants") Mutant m) {
        assertReadsOrRejected(m, m.source(), m.bytes());
    }

    @Property(tries = 300)
    void jsonTokenSoupReadsOrIsRejectedNamingTheFileLineAndColumn(@ForAll("soup") String text) {
        assertReadsOrRejected(text, "Tlb/manifest.json", text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    // Regressions: inputs the fuzzing found, frozen.

    private static MkspecException rejected(String json) {
        Path file = COPY.resolve("Tlb/manifest.json");
        try {
            Files.writeString(file, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MkspecException e = assertThrows(MkspecException.class, () -> ManifestReader.read(file));
        assertEquals(Problem.MANIFEST_INVALID, e.problem(), e.getMessage());
        return e;
    }

    private static final String MODEL = "\"name\": \"fast\", \"spec\": \"MCTlb.tla\", \"config\": \"MCTlb_fast.cfg\"";

    @Example
    void aHugeTimeoutIsRejectedAtItsPosition() {
        // Was a NumberFormatException from Durations.parse.
        MkspecException e = rejected("{\"models\": [{" + MODEL + ",\n  \"timeout\": \"99999999999999999999s\","
                + " \"expect\": {\"result\": \"success\"}}]}");
        assertTrue(e.getMessage().contains("manifest.json:2:3: models[0] ('fast').timeout: "), e.getMessage());
        assertTrue(e.getMessage().contains("too long a duration"), e.getMessage());
    }

    @Example
    void aPathWithANulCharacterIsRejectedAtItsPosition() {
        // Was an InvalidPathException from Path.resolve.
        MkspecException e = rejected("{\"models\": [{\"name\": \"fast\", \"spec\": \"\\u0000.tla\", \"config\": \"MCTlb_fast.cfg\","
                + " \"expect\": {\"result\": \"success\"}}]}");
        assertTrue(e.getMessage().contains("manifest.json:1:30: models[0] ('fast').spec '\u0000.tla' is not a path"),
                e.getMessage());
    }

    @Example
    void aSemanticMistakeNamesItsLineAndColumnAsWellAsItsKey() {
        // Mistakes named the key but no line; a manifest of 300 lines has many 'profile' keys.
        MkspecException e = rejected("{\"models\": [\n  {" + MODEL + ", \"profile\": \"slow\","
                + " \"expect\": {\"result\": \"success\"}}]}");
        assertTrue(e.getMessage().contains("manifest.json:2:" ) && e.getMessage().contains(".profile must be"),
                e.getMessage());
    }

    @Example
    void aKeyTwiceInOneObjectIsRejected() {
        // The second silently won.
        MkspecException e = rejected("{\"models\": [{" + MODEL + ", \"expect\": {\"result\": \"success\"},\n"
                + " \"expect\": {\"result\": \"deadlock\"}}]}");
        assertTrue(e.getMessage().contains("manifest.json:2:") && e.getMessage().contains("Duplicate field 'expect'"),
                e.getMessage());
    }
}
