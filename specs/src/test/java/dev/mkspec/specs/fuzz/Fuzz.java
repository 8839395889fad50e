package dev.mkspec.specs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * What the parser fuzz properties share: inputs (mutated real files, token soup, deep nesting,
 * binary garbage), a runner that gives each input a time limit, and the judgement of an outcome.
 *
 * <p>The contract every parser of a user's file keeps: it returns, or it throws a
 * {@link MkspecException} whose message says where (origin and line, and column when known) and
 * whose {@link Problem} says how to fix it. Nothing else escapes: no other exception, no error,
 * no hang.
 */
public final class Fuzz {
    /**
     * How long one input may take before it counts as a hang. Real files parse in milliseconds;
     * the limit is wide because the machine is shared (2 s failed once on an input the size check
     * rejects, while a mutation run kept both cores busy), and a real hang (an expansion the size
     * check missed) runs far longer.
     */
    public static final Duration LIMIT = Duration.ofSeconds(10);

    /** Text that only Jackson's own messages contain; a user should never see it. */
    private static final List<String> LEAKS = List.of("[Source:", "com.fasterxml", "StreamReadConstraints");

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-input");
        t.setDaemon(true);
        return t;
    });

    private Fuzz() {
    }

    // ---------------------------------------------------------------------------------------------
    // Inputs

    /**
     * The files under {@code dir}, at any depth, whose names match {@code glob}, by name; fails if
     * there are none.
     */
    public static Map<String, byte[]> corpus(Path dir, String glob) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        PathMatcher matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted().toList()) {
                if (Files.isRegularFile(f) && matcher.matches(f.getFileName())) {
                    out.put(f.getFileName().toString(), Files.readAllBytes(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertFalse(out.isEmpty(), "no " + glob + " under " + dir.toAbsolutePath());
        return out;
    }

    /** A corpus of texts that a test made rather than read, by name. */
    public static Map<String, byte[]> corpus(Map<String, String> texts) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        texts.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    /**
     * Writes {@code bytes} to a scratch file named {@code name}, runs {@code test} on it and deletes
     * it, for parsers that read files.
     */
    public static void onDisk(String name, byte[] bytes, java.util.function.Consumer<Path> test) {
        try {
            Path dir = Files.createTempDirectory("mkspec-fuzz");
            Path f = dir.resolve(name);
            Files.write(f, bytes);
            try {
                test.accept(f);
            } finally {
                Files.deleteIfExists(f);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A file of the corpus with one to five edits: deletions, duplications, insertions of
     * {@code vocabulary} tokens, quotes, brackets or random characters, truncation, numbers made
     * huge or odd, swapped tokens, and raw bytes.
     */
    public static Arbitrary<Mutant> mutants(Map<String, byte[]> corpus, List<String> vocabulary) {
        List<String> names = new ArrayList<>(corpus.keySet());
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 1_000_000);
        Arbitrary<Integer> length = Arbitraries.integers().between(1, 80);
        Arbitrary<String> insertText = Arbitraries.oneOf(
                Arbitraries.of(vocabulary),
                Arbitraries.of("\"", "'", "{", "}", "[", "]", "(", ")", "<<", ">>", ",", ":", "\n", "\\", "\u0000",
                        "\uFFFD", "\u00e9", "\uD83D\uDE00", "\t"),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(8));
        Arbitrary<String> numbers = Arbitraries.of("99999999999999999999", "-99999999999999999999", "1e99999",
                "1.5", "-1", "0", "2147483648", "-2147483649", "9223372036854775808", "0x1F", "00",
                "9".repeat(1200));
        Arbitrary<Mutation> edit = Arbitraries.oneOf(
                net.jqwik.api.Combinators.combine(at, length).as(Mutation.Delete::new),
                net.jqwik.api.Combinators.combine(at, length).as(Mutation.Duplicate::new),
                net.jqwik.api.Combinators.combine(at, insertText).as(Mutation.Insert::new),
                net.jqwik.api.Combinators.combine(at, Arbitraries.bytes().list().ofMinSize(1).ofMaxSize(6))
                        .as(Mutation.InsertBytes::new),
                at.map(Mutation.Truncate::new),
                net.jqwik.api.Combinators.combine(at, numbers).as(Mutation.ReplaceNumber::new),
                net.jqwik.api.Combinators.combine(at, at).as(Mutation.SwapTokens::new));
        return net.jqwik.api.Combinators.combine(Arbitraries.of(names), edit.list().ofMinSize(1).ofMaxSize(5))
                .as((name, edits) -> new Mutant(name, corpus.get(name), edits));
    }

    /** Random sequences of a format's tokens, with spaces and line breaks between some of them. */
    public static Arbitrary<String> tokenSoup(List<String> vocabulary) {
        return Arbitraries.oneOf(Arbitraries.of(vocabulary), Arbitraries.of(" ", "\n", ""))
                .list().ofMaxSize(60).map(ts -> String.join("", ts));
    }

    /** {@code open} repeated {@code depth} times, then {@code inner}, then {@code close} as often. */
    public static String nested(String open, String inner, String close, int depth) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }

    // ---------------------------------------------------------------------------------------------
    // Running and judging

    /**
     * Runs one parse under {@link #LIMIT}.
     *
     * @return what the parse threw, or null if it returned
     * @throws AssertionError if it did not finish in time
     */
    public static Throwable outcome(Object input, Callable<?> parse) {
        Future<?> f = POOL.submit(parse);
        try {
            f.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("no answer within " + LIMIT.toSeconds() + " s for " + describe(input));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Asserts that {@code thrown} is null (the parse succeeded) or a {@link MkspecException} with
     * {@code problem} whose message matches {@code position}, with no Jackson internals in it.
     */
    public static void assertAcceptedOrRejectedAt(Object input, Throwable thrown, Problem problem, Pattern position) {
        if (thrown == null) {
            return;
        }
        if (!(thrown instanceof MkspecException e)) {
            throw new AssertionError("threw " + thrown + " for " + describe(input), thrown);
        }
        String msg = e.getMessage();
        assertEquals(problem, e.problem(), () -> msg + "\n  for " + describe(input));
        assertTrue(position.matcher(msg).find(), () -> "no position (" + position + ") in: " + msg
                + "\n  for " + describe(input));
        for (String leak : LEAKS) {
            assertFalse(msg.contains(leak), () -> "internal text '" + leak + "' in: " + msg + "\n  for " + describe(input));
        }
    }

    /** {@code origin:line} or {@code origin:line:column}, as compilers print positions. */
    public static Pattern at(String origin) {
        return Pattern.compile(Pattern.quote(origin) + ":\\d+(:\\d+)?\\b");
    }

    /** The input, quoted and cut to a readable length. */
    public static String describe(Object input) {
        String s = input instanceof Mutant m ? m + " = " + quote(m.text()) : quote(String.valueOf(input));
        return s.length() > 600 ? s.substring(0, 600) + "... (" + s.length() + " chars)" : s;
    }

    /** Java string-literal quoting, so that control characters and quotes stay visible. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
