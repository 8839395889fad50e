package dev.mkspec.hw;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Edits of a text for the CPU profile fuzz properties: a small copy of the specs module's
 * {@code dev.mkspec.specs.fuzz.Mutation}, which hw-model cannot use because it depends on no other
 * mkspec module. Each edit prints with its arguments, so a shrunk failure says how to rebuild the
 * input; positions are taken modulo the text's length.
 */
final class TextMutations {
    private TextMutations() {
    }

    sealed interface Edit {
        String apply(String s);
    }

    record Delete(int at, int length) implements Edit {
        @Override
        public String apply(String s) {
            int from = at % (s.length() + 1);
            return s.substring(0, from) + s.substring(Math.min(s.length(), from + length));
        }
    }

    record Duplicate(int at, int length) implements Edit {
        @Override
        public String apply(String s) {
            int from = at % (s.length() + 1);
            int to = Math.min(s.length(), from + length);
            return s.substring(0, to) + s.substring(from, to) + s.substring(to);
        }
    }

    record Insert(int at, String text) implements Edit {
        @Override
        public String apply(String s) {
            int i = at % (s.length() + 1);
            return s.substring(0, i) + text + s.substring(i);
        }
    }

    record Truncate(int at) implements Edit {
        @Override
        public String apply(String s) {
            return s.substring(0, at % (s.length() + 1));
        }
    }

    /** Replaces the {@code nth} run of digits, counted modulo their number. */
    record ReplaceNumber(int nth, String with) implements Edit {
        @Override
        public String apply(String s) {
            List<int[]> runs = spans(Pattern.compile("[0-9]+"), s);
            if (runs.isEmpty()) {
                return s;
            }
            int[] r = runs.get(nth % runs.size());
            return s.substring(0, r[0]) + with + s.substring(r[1]);
        }
    }

    /** Swaps two tokens (words, numbers, or punctuation marks), counted modulo their number. */
    record SwapTokens(int first, int second) implements Edit {
        @Override
        public String apply(String s) {
            List<int[]> t = spans(Pattern.compile("[A-Za-z0-9_]+|[^A-Za-z0-9_\\s]"), s);
            if (t.size() < 2) {
                return s;
            }
            int[] a = t.get(Math.min(first, second) % t.size());
            int[] b = t.get(Math.max(first, second) % t.size());
            if (a[0] >= b[0]) {
                return s;
            }
            return s.substring(0, a[0]) + s.substring(b[0], b[1]) + s.substring(a[1], b[0]) + s.substring(a[0], a[1])
                    + s.substring(b[1]);
        }
    }

    /** A text of the corpus with its edits, printed as the text's name and the edits. */
    record Mutant(String source, String original, List<Edit> edits) {
        String text() {
            String s = original;
            for (Edit e : edits) {
                s = e.apply(s);
            }
            return s;
        }

        @Override
        public String toString() {
            return source + " " + edits;
        }
    }

    static Arbitrary<Mutant> mutants(Map<String, String> corpus, List<String> vocabulary) {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 1_000_000);
        Arbitrary<Integer> length = Arbitraries.integers().between(1, 80);
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.of(vocabulary),
                Arbitraries.of("\"", "{", "}", "[", "]", ":", ",", "\n", "\\", "\u0000", "\uD83D"),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(8));
        Arbitrary<String> numbers = Arbitraries.of("99999999999999999999", "-1", "0", "1.5", "1e99999", "-1e99999",
                "2147483647", "2147483648", "1073741824", "65536", "NaN", "9".repeat(1200));
        Arbitrary<Edit> edit = Arbitraries.oneOf(
                Combinators.combine(at, length).as(Delete::new),
                Combinators.combine(at, length).as(Duplicate::new),
                Combinators.combine(at, text).as(Insert::new),
                at.map(Truncate::new),
                Combinators.combine(at, numbers).as(ReplaceNumber::new),
                Combinators.combine(at, at).as(SwapTokens::new));
        return Combinators.combine(Arbitraries.of(new ArrayList<>(corpus.keySet())), edit.list().ofMinSize(1).ofMaxSize(5))
                .as((name, edits) -> new Mutant(name, corpus.get(name), edits));
    }

    private static List<int[]> spans(Pattern p, String s) {
        List<int[]> out = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) {
            out.add(new int[] {m.start(), m.end()});
        }
        return out;
    }
}
