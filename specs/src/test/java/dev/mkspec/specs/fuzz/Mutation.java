package dev.mkspec.specs.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One edit of a file's bytes, described by its arguments so that a shrunk failure prints as the
 * edits that broke the parser. Positions are taken modulo the length of the input, so every edit
 * applies to every input.
 *
 * <p>Token-level edits (numbers, swaps) read the bytes as ISO-8859-1, which maps each byte to one
 * char and back, so they never disturb the bytes they do not touch.
 */
public sealed interface Mutation {
    byte[] apply(byte[] in);

    /** Removes {@code length} bytes at {@code at}. */
    record Delete(int at, int length) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            int from = at % (in.length + 1);
            int to = Math.min(in.length, from + length);
            return splice(in, from, to, new byte[0]);
        }
    }

    /** Repeats the {@code length} bytes at {@code at}. */
    record Duplicate(int at, int length) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            int from = at % (in.length + 1);
            int to = Math.min(in.length, from + length);
            byte[] span = java.util.Arrays.copyOfRange(in, from, to);
            return splice(in, to, to, span);
        }
    }

    /** Inserts {@code text}, encoded as UTF-8, at {@code at}. */
    record Insert(int at, String text) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            int i = at % (in.length + 1);
            return splice(in, i, i, text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Insert[at=" + at + ", text=" + Fuzz.quote(text) + "]";
        }
    }

    /** Inserts raw bytes, which need not be UTF-8: binary garbage. */
    record InsertBytes(int at, List<Byte> bytes) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            int i = at % (in.length + 1);
            byte[] b = new byte[bytes.size()];
            for (int k = 0; k < b.length; k++) {
                b[k] = bytes.get(k);
            }
            return splice(in, i, i, b);
        }
    }

    /** Keeps only the first bytes, as a file cut short by a full disk or a killed writer. */
    record Truncate(int at) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            return java.util.Arrays.copyOf(in, at % (in.length + 1));
        }
    }

    /** Replaces the {@code nth} run of digits (counted modulo the number of runs) with {@code with}. */
    record ReplaceNumber(int nth, String with) implements Mutation {
        private static final Pattern DIGITS = Pattern.compile("[0-9]+");

        @Override
        public byte[] apply(byte[] in) {
            String s = latin1(in);
            List<int[]> runs = spans(DIGITS, s);
            if (runs.isEmpty()) {
                return in;
            }
            int[] r = runs.get(nth % runs.size());
            return splice(in, r[0], r[1], with.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Swaps two tokens (words, numbers, or single punctuation marks), counted modulo their number. */
    record SwapTokens(int first, int second) implements Mutation {
        private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_#$]+|[^A-Za-z0-9_#$\\s]");

        @Override
        public byte[] apply(byte[] in) {
            String s = latin1(in);
            List<int[]> t = spans(TOKEN, s);
            if (t.size() < 2) {
                return in;
            }
            int[] a = t.get(first % t.size());
            int[] b = t.get(second % t.size());
            if (a[0] > b[0]) {
                int[] x = a;
                a = b;
                b = x;
            }
            if (a == b || a[0] == b[0]) {
                return in;
            }
            String out = s.substring(0, a[0]) + s.substring(b[0], b[1]) + s.substring(a[1], b[0])
                    + s.substring(a[0], a[1]) + s.substring(b[1]);
            return out.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static List<int[]> spans(Pattern p, String s) {
        List<int[]> out = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) {
            out.add(new int[] {m.start(), m.end()});
        }
        return out;
    }

    private static byte[] splice(byte[] in, int from, int to, byte[] with) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + with.length);
        out.write(in, 0, from);
        out.write(with, 0, with.length);
        out.write(in, to, in.length - to);
        return out.toByteArray();
    }
}
