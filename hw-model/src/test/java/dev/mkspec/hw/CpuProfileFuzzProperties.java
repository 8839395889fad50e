package dev.mkspec.hw;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The CPU profile reader on broken input: the built-in profiles after random edits, and JSON token
 * soup. Every input reads, or is rejected with an {@link IllegalArgumentException} whose message
 * names the profile and the field or the line and column at fault (the command line turns it into
 * MK-112); nothing else escapes and nothing hangs. The examples at the end are inputs that the
 * fuzzing found.
 */
class CpuProfileFuzzProperties {
    private static final Duration LIMIT = Duration.ofSeconds(2);
    private static final String WHERE = "fuzz.json";
    /** {@code fuzz.json:3:7: } for syntax, {@code fuzz.json: tlb.dtlb.ways: } for a field (which may hold any character). */
    private static final Pattern POSITION = Pattern.compile("^" + Pattern.quote(WHERE) + "(:\\d+:\\d+: |: [^\\n]+?: )");

    private static final Map<String, String> PROFILES = profiles();

    private static final List<String> VOCABULARY = List.of("{", "}", "[", "]", ":", ",", "\"", "null", "true",
            "\"value\"", "\"source\"", "\"entries\"", "\"ways\"", "\"sizeBytes\"", "\"lineBytes\"", "\"replacement\"",
            "\"plru\"", "\"X86_64\"", "\"pcid\"", "\"int\"", "\"sysenter\"", "0", "-1", "1e99999", "1073741824");

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-input");
        t.setDaemon(true);
        return t;
    });

    private static Map<String, String> profiles() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : CpuProfile.BUILT_IN) {
            try (InputStream in = CpuProfile.class.getResourceAsStream("/dev/mkspec/hw/profiles/" + name + ".json")) {
                out.put(name + ".json", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    @Provide
    Arbitrary<TextMutations.Mutant> mutants() {
        return TextMutations.mutants(PROFILES, VOCABULARY);
    }

    @Provide
    Arbitrary<String> soup() {
        return Arbitraries.oneOf(Arbitraries.of(VOCABULARY), Arbitraries.of(" ", "\n"))
                .list().ofMaxSize(50).map(ts -> String.join("", ts));
    }

    @Property(tries = 500)
    void aMutatedProfileReadsOrIsRejectedNamingTheFieldOrPosition(@ForAll("mutants") TextMutations.Mutant m) {
        assertReadsOrRejected(m, m.text());
    }

    @Property(tries = 300)
    void jsonTokenSoupReadsOrIsRejectedNamingThePosition(@ForAll("soup") String text) {
        assertReadsOrRejected(text, text);
    }

    private static void assertReadsOrRejected(Object input, String json) {
        Future<?> f = POOL.submit(() -> CpuProfile.parse(json, WHERE));
        Throwable thrown;
        try {
            f.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (ExecutionException e) {
            thrown = e.getCause();
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("no answer within " + LIMIT.toSeconds() + " s for " + input);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (!(thrown instanceof IllegalArgumentException)) {
            throw new AssertionError("threw " + thrown + " for " + input + ":\n" + json, thrown);
        }
        String msg = thrown.getMessage();
        assertTrue(POSITION.matcher(msg).find(), () -> "no field or position in: " + msg + "\n  for " + input);
        assertFalse(msg.contains("[Source:") || msg.contains("com.fasterxml"), () -> "Jackson's text in: " + msg);
    }

    // Regressions: inputs the fuzzing found, frozen.

    private static String rejection(String json) {
        return assertThrows(IllegalArgumentException.class, () -> CpuProfile.parse(json, WHERE)).getMessage();
    }

    @Example
    void aHugeCacheLineIsRejectedNamingTheCache() {
        // 2^30-byte lines times 4 ways overflowed an int to 0: an ArithmeticException (/ by zero).
        String json = PROFILES.get("i486.json").replace("\"lineBytes\": 16", "\"lineBytes\": 1073741824");
        assertTrue(rejection(json).startsWith(WHERE + ": caches.l1d: "), rejection(json));
    }

    @Example
    void aProfileWithoutItsOpeningBraceIsASyntaxErrorAtItsPosition() {
        // Jackson read the file as the string "name" and ignored the rest: "a profile is a JSON
        // object", with no position. Text after the value is now an error.
        String json = PROFILES.get("i486.json").substring(1);
        assertTrue(rejection(json).startsWith(WHERE + ":2:9: not valid JSON: Unexpected character (':'"), rejection(json));
    }

    @Example
    void aTruncatedProfileSaysWhereItEndsInPlainWords() {
        // The message quoted Jackson's "[Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 1]".
        String i486 = PROFILES.get("i486.json");
        String msg = rejection(i486.substring(0, i486.indexOf(",\n  \"features\"")));
        assertTrue(msg.startsWith(WHERE + ":5:21: not valid JSON: Unexpected end-of-input"), msg);
        assertTrue(msg.contains("(start marker at line 1, column 1)") && !msg.contains("Source"), msg);
    }

    @Example
    void anInfiniteClockIsRejected() {
        // 1e99999 reads as an infinite double; the profile was accepted with an infinite clock.
        String json = PROFILES.get("i486.json").replace("{\"value\": 50,", "{\"value\": 1e99999,");
        assertTrue(rejection(json).startsWith(WHERE + ": clockMHz.value: must be a finite number"), rejection(json));
    }
}
