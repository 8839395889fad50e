package dev.mkspec.specs.tla;

import dev.mkspec.specs.Problem;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads TLA+ values in the syntax TLC prints them in: integers, strings, {@code TRUE} and
 * {@code FALSE}, model values, sets, sequences and tuples, records, and functions in TLC's
 * {@code (a :> 1 @@ b :> 2)} form. Whitespace and line breaks between tokens are ignored, so
 * TLC's pretty-printed multi-line values read the same as one-line ones.
 *
 * <p>TLC sometimes prints a set lazily rather than element by element. The parser expands the
 * finite forms it can: {@code m..n}, {@code SUBSET S}, {@code [S -> T]}, {@code [f : S]},
 * {@code S \X T} and {@code BOOLEAN}, up to {@link #EXPANSION_LIMIT} elements and
 * {@link #EXPANSION_BUDGET} nodes in all. Anything else it cannot enumerate ({@code Nat},
 * {@code Int}, {@code STRING}, or a set over a limit) becomes an {@link TlaValue.Opaque} holding
 * the text.
 *
 * <p>Errors give the line and column in the text. Values nested deeper than {@link #MAX_DEPTH}
 * are rejected rather than read, so that no text can exhaust the stack.
 *
 * <p>Instances are cheap and not thread-safe; use one per string.
 */
public final class TlaValueParser {
    /** The largest lazily printed set that the parser expands into its elements. */
    public static final int EXPANSION_LIMIT = 100_000;

    /** The deepest nesting of sets, sequences, records and functions that the parser reads. */
    public static final int MAX_DEPTH = 500;

    /**
     * The most nodes (scalars, and sets, sequences, records and functions) that the expansions of
     * one parse may build, so that a short text cannot ask for a huge value.
     */
    public static final long EXPANSION_BUDGET = 2_000_000;

    private final String text;
    private final Expansion.Budget budget = new Expansion.Budget(EXPANSION_BUDGET);
    private int pos;
    private int depth;

    /**
     * A syntax error at an offset of the text. The public entry points turn it into a
     * {@link Problem#TLA_VALUE_SYNTAX}; {@link CfgParser} turns it into a position in its file.
     */
    static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final int offset;
        final String what;

        SyntaxError(int offset, String what) {
            super(what, null, false, false);
            this.offset = offset;
            this.what = what;
        }
    }

    private TlaValueParser(String text) {
        this.text = text;
    }

    /**
     * Parses one value that makes up the whole of {@code text}.
     *
     * @throws dev.mkspec.specs.MkspecException with {@link Problem#TLA_VALUE_SYNTAX} if the text is
     *     not a value; the message says what was expected, and the line, column and offset
     */
    public static TlaValue parse(String text) {
        TlaValueParser p = new TlaValueParser(text);
        try {
            TlaValue v = p.value();
            p.skipSpace();
            if (p.pos != text.length()) {
                throw p.error("unexpected text after the value");
            }
            return v;
        } catch (SyntaxError e) {
            throw p.problem(e);
        }
    }

    /** A value read from the front of a longer text, and where it ended. */
    public record Prefix(TlaValue value, int end) {
    }

    /**
     * Parses one value that starts at {@code offset} in {@code text} and may be followed by more
     * text, as in a configuration file.
     */
    public static Prefix parsePrefix(String text, int offset) {
        TlaValueParser p = new TlaValueParser(text);
        try {
            return p.prefix(offset);
        } catch (SyntaxError e) {
            throw p.problem(e);
        }
    }

    /** {@link #parsePrefix} for {@link CfgParser}, which reports a {@link SyntaxError} itself. */
    static Prefix prefixOrSyntaxError(String text, int offset) {
        return new TlaValueParser(text).prefix(offset);
    }

    private Prefix prefix(int offset) {
        if (offset < 0 || offset > text.length()) {
            throw new IllegalArgumentException("offset " + offset + " is outside the text (length " + text.length() + ")");
        }
        pos = offset;
        TlaValue v = value();
        return new Prefix(v, pos);
    }

    /**
     * Parses the state of a TLC trace: lines of the form {@code /\ var = value}, where a value may
     * span several lines. A state with a single variable may also be printed without the leading
     * {@code /\}.
     *
     * @return the variables in the order TLC printed them
     */
    public static Map<String, TlaValue> parseState(String text) {
        TlaValueParser p = new TlaValueParser(text);
        try {
            return p.state();
        } catch (SyntaxError e) {
            throw p.problem(e);
        }
    }

    private Map<String, TlaValue> state() {
        Map<String, TlaValue> out = new LinkedHashMap<>();
        skipSpace();
        if (pos == text.length()) {
            return out;
        }
        boolean conjunctList = lookingAt("/\\");
        while (true) {
            skipSpace();
            if (pos == text.length()) {
                break;
            }
            if (conjunctList) {
                expect("/\\");
            }
            String var = identifier();
            expect("=");
            out.put(var, value());
            if (!conjunctList) {
                skipSpace();
                if (pos != text.length()) {
                    throw error("expected the end of the state");
                }
                break;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // Grammar: value := product ('..' product)?   product := primary ('\X' primary)*

    private TlaValue value() {
        TlaValue left = product();
        skipSpace();
        if (lookingAt("..")) {
            pos += 2;
            TlaValue right = product();
            return interval(left, right);
        }
        return left;
    }

    private TlaValue product() {
        int start = pos;
        TlaValue first = primary();
        List<TlaValue> factors = null;
        while (true) {
            skipSpace();
            if (lookingAt("\\X") || lookingAt("\\times")) {
                pos += lookingAt("\\X") ? 2 : 6;
                if (factors == null) {
                    factors = new ArrayList<>();
                    factors.add(first);
                }
                factors.add(primary());
            } else {
                break;
            }
        }
        if (factors == null) {
            return first;
        }
        return Expansion.product(factors, text.substring(start, pos).trim(), budget);
    }

    /** Every nested value passes through here, so this is where the depth is counted. */
    private TlaValue primary() {
        if (++depth > MAX_DEPTH) {
            throw error("values nested more than " + MAX_DEPTH + " deep");
        }
        TlaValue v = unnestedPrimary();
        depth--;
        return v;
    }

    private TlaValue unnestedPrimary() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("expected a value but the text ended");
        }
        char c = text.charAt(pos);
        if (c == '"') {
            return string();
        }
        if (c == '-' || Character.isDigit(c)) {
            return integer();
        }
        if (c == '{') {
            pos++;
            List<TlaValue> elems = list("}");
            return TlaValue.SetValue.of(elems);
        }
        if (lookingAt("<<")) {
            pos += 2;
            return new TlaValue.Seq(list(">>"));
        }
        if (c == '[') {
            return bracket();
        }
        if (c == '(') {
            return parenthesised();
        }
        if (isIdentifierStart(c)) {
            int start = pos;
            String id = identifier();
            switch (id) {
                case "TRUE":
                    return TlaValue.Bool.TRUE;
                case "FALSE":
                    return TlaValue.Bool.FALSE;
                case "BOOLEAN":
                    return TlaValue.set(TlaValue.Bool.FALSE, TlaValue.Bool.TRUE);
                case "SUBSET": {
                    TlaValue base = primary();
                    return Expansion.powerset(base, text.substring(start, pos), budget);
                }
                case "Nat":
                case "Int":
                case "Real":
                case "STRING":
                    return new TlaValue.Opaque(id);
                default:
                    return new TlaValue.ModelValue(id);
            }
        }
        throw error("expected a value");
    }

    /** After '[': a record, a set of records, or a set of functions. */
    private TlaValue bracket() {
        int start = pos;
        pos++;
        skipSpace();
        if (lookingAt("]")) {
            throw error("an empty [] is not a value");
        }
        int save = pos;
        if (pos < text.length() && isIdentifierStart(text.charAt(pos))) {
            identifier();
            skipSpace();
            if (lookingAt("|->")) {
                pos = save;
                return record();
            }
            if (lookingAt(":") && !lookingAt(":>")) {
                pos = save;
                return setOfRecords(start);
            }
        }
        pos = save;
        TlaValue domain = value();
        expect("->");
        TlaValue range = value();
        expect("]");
        return Expansion.functionSet(domain, range, text.substring(start, pos), budget);
    }

    private TlaValue record() {
        Map<String, TlaValue> fields = new LinkedHashMap<>();
        while (true) {
            String field = identifier();
            expect("|->");
            if (fields.put(field, value()) != null) {
                throw error("the field " + field + " occurs twice in one record");
            }
            skipSpace();
            if (lookingAt(",")) {
                pos++;
                continue;
            }
            expect("]");
            return new TlaValue.Record(fields);
        }
    }

    private TlaValue setOfRecords(int start) {
        Map<String, TlaValue> fields = new LinkedHashMap<>();
        while (true) {
            String field = identifier();
            expect(":");
            fields.put(field, value());
            skipSpace();
            if (lookingAt(",")) {
                pos++;
                continue;
            }
            expect("]");
            return Expansion.recordSet(fields, text.substring(start, pos), budget);
        }
    }

    /** After '(': a TLC function {@code (k :> v @@ ...)} or a parenthesised value. */
    private TlaValue parenthesised() {
        pos++;
        TlaValue first = value();
        skipSpace();
        if (lookingAt(")")) {
            pos++;
            return first;
        }
        Map<TlaValue, TlaValue> entries = new LinkedHashMap<>();
        TlaValue key = first;
        while (true) {
            expect(":>");
            TlaValue val = value();
            if (entries.put(key, val) != null) {
                throw error("the key " + key.toTla() + " occurs twice in one function");
            }
            skipSpace();
            if (lookingAt("@@")) {
                pos += 2;
                key = value();
                continue;
            }
            expect(")");
            return new TlaValue.Fun(entries);
        }
    }

    private List<TlaValue> list(String close) {
        List<TlaValue> out = new ArrayList<>();
        skipSpace();
        if (lookingAt(close)) {
            pos += close.length();
            return out;
        }
        while (true) {
            out.add(value());
            skipSpace();
            if (lookingAt(",")) {
                pos++;
                continue;
            }
            expect(close);
            return out;
        }
    }

    private TlaValue interval(TlaValue lo, TlaValue hi) {
        if (!(lo instanceof TlaValue.Int a) || !(hi instanceof TlaValue.Int b)) {
            throw error("both ends of m..n must be integers");
        }
        return Expansion.interval(a.value(), b.value(), budget);
    }

    private TlaValue string() {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return new TlaValue.Str(sb.toString());
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    break;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'f' -> sb.append('\f');
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    default -> sb.append('\\').append(e);
                }
            } else {
                sb.append(c);
            }
        }
        pos = start;
        throw error("a string is not closed");
    }

    private TlaValue integer() {
        int start = pos;
        if (text.charAt(pos) == '-') {
            pos++;
            skipSpace();
        }
        int digits = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (digits == pos) {
            pos = start;
            throw error("expected digits");
        }
        String s = text.substring(start, pos).replaceAll("\\s", "");
        return new TlaValue.Int(new BigInteger(s));
    }

    private String identifier() {
        skipSpace();
        int start = pos;
        if (pos >= text.length() || !isIdentifierStart(text.charAt(pos))) {
            throw error("expected a name");
        }
        while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        // '$' appears in Alloy atoms (Node$0), which traces carry as model values.
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private void expect(String token) {
        skipSpace();
        if (!lookingAt(token)) {
            throw error("expected '" + token + "'");
        }
        pos += token.length();
    }

    private boolean lookingAt(String token) {
        return text.startsWith(token, pos);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private SyntaxError error(String what) {
        return new SyntaxError(pos, what);
    }

    /** The problem for a syntax error: what, the line and column, and the text around it. */
    private RuntimeException problem(SyntaxError e) {
        int at = e.offset;
        int from = Math.max(0, at - 20);
        int to = Math.min(text.length(), at + 20);
        String context = text.substring(from, to).replace('\n', ' ');
        return Problem.TLA_VALUE_SYNTAX.exception(e.what + " at " + lineAndColumn(text, at) + " (offset " + at
                + ") near '" + context + "'");
    }

    /** {@code line L, column C} of an offset, both counted from 1. */
    static String lineAndColumn(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (offset - lineStart + 1);
    }
}
