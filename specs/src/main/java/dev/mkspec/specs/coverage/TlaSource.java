package dev.mkspec.specs.coverage;

import dev.mkspec.specs.tlc.ExpressionCoverage.Span;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A light reading of one TLA+ module, enough to judge TLC's coverage: its top-level definitions
 * (with the names each refers to), its variables, and every branch of every {@code IF} and
 * {@code CASE}, each with its source range as TLC prints ranges (1-based, ends inclusive).
 *
 * <p>This is a tokenizer with a small recursive descent, not SANY: it skips comments
 * ({@code \*} and nested {@code (* *)}) and strings, pairs brackets, and ends an expression where
 * TLA+ does: at a closing bracket or comma of the enclosing group, at the {@code THEN},
 * {@code ELSE}, {@code IN}, {@code ->} or {@code []} that belongs to an enclosing construct, and
 * at a line that starts at or left of the bullet of the enclosing {@code /\} or {@code \/} list
 * (or of the enclosing {@code LET} definition, or at column 1, where a new definition starts).
 * A module that SANY rejects may be read wrongly; TLC rejects it first.
 */
public final class TlaSource {

    /** Which branch of which construct. */
    public enum BranchKind {
        THEN("THEN"), ELSE("ELSE"), CASE_ARM("CASE arm"), CASE_OTHER("CASE OTHER");

        private final String label;

        BranchKind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One branch.
     *
     * @param kind THEN, ELSE, a CASE arm or its OTHER arm
     * @param position where the branch starts in the text: the THEN or ELSE keyword, the arm's
     *     guard, or OTHER
     * @param expression the branch's expression: what is evaluated when the branch is taken
     * @param construct the whole IF or CASE
     * @param definition the top-level definition that holds it
     * @param text the branch as written, on one line ({@code ELSE Remove(db, emptied)},
     *     {@code [] x = 1 -> "one"})
     * @param literal whether the expression is a single number or string, which TLC never
     *     reports on its own
     * @param bugHook the bug variant whose switch the branch is: {@code x} for the THEN of
     *     {@code IF Bug = "x"} or the arm {@code Bug = "x" -> ...}; empty for any other branch
     */
    public record Branch(BranchKind kind, Span position, Span expression, Span construct, String definition,
            String text, boolean literal, Optional<String> bugHook) {
    }

    /**
     * A top-level definition.
     *
     * @param name its name
     * @param arity how many parameters it takes (0 for {@code Name == ...})
     * @param span from its name to the end of its body
     * @param references every identifier its body names, including those after {@code !}
     */
    public record Definition(String name, int arity, Span span, Set<String> references) {
    }

    record Token(String text, Kind kind, int line, int column, int endLine, int endColumn, boolean startsLine) {
        boolean is(String s) {
            return kind != Kind.STRING && text.equals(s);
        }
    }

    enum Kind { IDENT, NUMBER, STRING, SYMBOL, SEPARATOR, END }

    private static final Set<String> OPENERS = Set.of("(", "[", "{", "<<");
    private static final Map<String, String> CLOSER_OF = Map.of("(", ")", "[", "]", "{", "}", "<<", ">>");
    private static final Set<String> CLOSERS = Set.of(")", "]", "}", ">>");
    private static final List<String> SYMBOLS = List.of("-+->", "|->", "<=>", "...", "::=", "<<", ">>", "[]", "<>",
            "==", "->", "<-", "=>", "~>", "::", "..", "/\\", "\\/", "/=", "<=", ">=", "=<", "||", "@@", ":=", "=|",
            "|-", "(+)", "(-)", "(.)", "(/)", "(\\X)", "++", "--", "**", "//", "^^", "##", "$$", "??", "%%", "&&");
    private static final Set<String> KEYWORDS = Set.of("IF", "THEN", "ELSE", "CASE", "OTHER", "LET", "IN", "LOCAL",
            "INSTANCE", "WITH", "EXTENDS", "VARIABLE", "VARIABLES", "CONSTANT", "CONSTANTS", "ASSUME", "THEOREM",
            "RECURSIVE", "EXCEPT", "CHOOSE", "DOMAIN", "SUBSET", "UNION", "ENABLED", "UNCHANGED", "LAMBDA", "MODULE");
    private static final Pattern HEADER = Pattern.compile("-{4,}\\s*MODULE\\s+(\\w+)");

    private final String module;
    private final Optional<Path> file;
    private final String text;
    private final List<Token> tokens;
    private final List<Branch> branches = new ArrayList<>();
    private final Map<String, Definition> definitions = new LinkedHashMap<>();
    private final Set<String> variables = new LinkedHashSet<>();
    private final Map<String, List<Span>> letDefinitions = new LinkedHashMap<>();
    private String currentDefinition = "";

    private TlaSource(String module, Optional<Path> file, String text) {
        this.module = module;
        this.file = file;
        this.text = text;
        this.tokens = tokenize(text);
        parseModule();
    }

    /**
     * Reads a module's text.
     *
     * @param file where it was read from, for messages; may be empty
     * @param text the module's text
     */
    public static TlaSource read(Optional<Path> file, String text) {
        Matcher m = HEADER.matcher(text);
        String name = m.find() ? m.group(1)
                : file.map(f -> f.getFileName().toString().replaceFirst("\\.tla$", "")).orElse("?");
        return new TlaSource(name, file, text);
    }

    public String module() {
        return module;
    }

    public Optional<Path> file() {
        return file;
    }

    /** Every branch of every IF and CASE, in the order of the text. */
    public List<Branch> branches() {
        return List.copyOf(branches);
    }

    /** The top-level definitions, by name, in the order of the text. */
    public Map<String, Definition> definitions() {
        return Map.copyOf(definitions);
    }

    public Set<String> variables() {
        return Set.copyOf(variables);
    }

    /**
     * The names written inside {@code span} (of this module) that can refer to a definition, e.g.
     * the operators a call names; names of LET definitions stand for their bodies' names too.
     * Record fields ({@code r.f}, {@code [f |-> e]}, {@code [f : S]}) are left out.
     */
    public Set<String> identifiersIn(Span span) {
        Set<String> out = new LinkedHashSet<>();
        // LET names are not scoped here (two definitions may share a name), so bodies can name
        // each other in a cycle: each body is read once.
        Set<Span> read = new HashSet<>();
        Deque<Span> todo = new ArrayDeque<>(List.of(span));
        while (!todo.isEmpty()) {
            Span s = todo.pop();
            if (!s.module().equals(module) || !read.add(s)) {
                continue;
            }
            for (int k = 0; k < n(); k++) {
                Token t = tok(k);
                if (t.kind() == Kind.IDENT && !isField(k)
                        && s.contains(new Span(module, t.line(), t.column(), t.endLine(), t.endColumn()))) {
                    if (out.add(t.text())) {
                        for (Span body : letDefinitions.getOrDefault(t.text(), List.of())) {
                            if (!body.contains(span)) {
                                todo.push(body);
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The bodies of the LET definitions that the names inside {@code span} call, transitively:
     * where an evaluation of {@code span} may have gone without TLC printing it there.
     */
    public List<Span> letBodiesCalledFrom(Span span) {
        List<Span> out = new ArrayList<>();
        Deque<Span> todo = new ArrayDeque<>(List.of(span));
        while (!todo.isEmpty()) {
            Span s = todo.pop();
            if (!s.module().equals(module)) {
                continue;
            }
            for (int k = 0; k < n(); k++) {
                Token t = tok(k);
                if (t.kind() == Kind.IDENT && !isField(k)
                        && s.contains(new Span(module, t.line(), t.column(), t.endLine(), t.endColumn()))) {
                    for (Span body : letDefinitions.getOrDefault(t.text(), List.of())) {
                        if (!out.contains(body) && !body.contains(s)) {
                            out.add(body);
                            todo.push(body);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Whether the identifier at {@code k} names a record field rather than a definition or variable. */
    private boolean isField(int k) {
        Token prev = k > 0 ? tok(k - 1) : null;
        Token next = tok(k + 1);
        if (prev != null && prev.is(".")) {
            return true;
        }
        return next.is("|->") || next.is(":") && prev != null && (prev.is("[") || prev.is(","));
    }

    // ---------------------------------------------------------------------------------------------
    // Tokens

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        Matcher header = HEADER.matcher(s);
        int i = header.find() ? header.start() : 0;
        int line = 1;
        int lineStart = 0;
        for (int k = 0; k < i; k++) {
            if (s.charAt(k) == '\n') {
                line++;
                lineStart = k + 1;
            }
        }
        int lastTokenLine = -1;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = ++i;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (s.startsWith("\\*", i)) {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (s.startsWith("(*", i)) {
                int depth = 0;
                while (i < n) {
                    if (s.startsWith("(*", i)) {
                        depth++;
                        i += 2;
                    } else if (s.startsWith("*)", i)) {
                        depth--;
                        i += 2;
                        if (depth == 0) {
                            break;
                        }
                    } else {
                        if (s.charAt(i) == '\n') {
                            line++;
                            lineStart = i + 1;
                        }
                        i++;
                    }
                }
                continue;
            }
            int startLine = line;
            int startCol = i - lineStart + 1;
            boolean first = startLine != lastTokenLine;
            int end;
            Kind kind;
            if (c == '"') {
                end = i + 1;
                while (end < n && s.charAt(end) != '"' && s.charAt(end) != '\n') {
                    end += s.charAt(end) == '\\' && end + 1 < n ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                kind = Kind.STRING;
            } else if (s.startsWith("----", i) || s.startsWith("====", i)) {
                end = i;
                while (end < n && s.charAt(end) == c) {
                    end++;
                }
                kind = c == '=' ? Kind.END : Kind.SEPARATOR;
                if (kind == Kind.SEPARATOR) {
                    // The rest of a '---- MODULE M ----' line belongs to the separator.
                    int eol = s.indexOf('\n', end);
                    String rest = s.substring(end, eol < 0 ? n : eol);
                    if (rest.contains("MODULE")) {
                        end = eol < 0 ? n : eol;
                    }
                }
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                end = i;
                while (end < n && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
                    end++;
                }
                String word = s.substring(i, end);
                kind = word.chars().allMatch(Character::isDigit) ? Kind.NUMBER : Kind.IDENT;
            } else if (c == '\\' && i + 1 < n && Character.isLetter(s.charAt(i + 1))) {
                end = i + 1;
                while (end < n && Character.isLetter(s.charAt(end))) {
                    end++;
                }
                kind = Kind.SYMBOL;
            } else {
                end = i + 1;
                for (String sym : SYMBOLS) {
                    if (s.startsWith(sym, i)) {
                        end = i + sym.length();
                        break;
                    }
                }
                kind = Kind.SYMBOL;
            }
            String text = s.substring(i, end);
            int endCol = startCol + text.length() - 1;
            if (kind == Kind.STRING && text.contains("\n")) {
                endCol = startCol;
            }
            out.add(new Token(text, kind, startLine, startCol, startLine, endCol, first));
            lastTokenLine = startLine;
            i = end;
            if (kind == Kind.END) {
                break;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // The module

    private Token tok(int i) {
        return i < tokens.size() ? tokens.get(i) : new Token("", Kind.END, 0, 0, 0, 0, true);
    }

    private int n() {
        return tokens.size();
    }

    private void parseModule() {
        int i = 0;
        while (i < n()) {
            Token t = tok(i);
            if (t.kind() == Kind.END) {
                return;
            }
            if (t.is("VARIABLE") || t.is("VARIABLES")) {
                i++;
                while (tok(i).kind() == Kind.IDENT) {
                    variables.add(tok(i).text());
                    i++;
                    if (!tok(i).is(",")) {
                        break;
                    }
                    i++;
                }
                continue;
            }
            int eq = t.startsLine() && t.column() == 1 ? definitionHead(i) : -1;
            if (eq < 0) {
                i++;
                continue;
            }
            currentDefinition = t.text();
            int arity = arity(i + 1, eq);
            int end = expr(eq + 1, 1, Set.of());
            if (end <= eq + 1) {
                end = eq + 2;
            }
            Set<String> refs = new LinkedHashSet<>();
            for (int k = eq + 1; k < end && k < n(); k++) {
                String word = tok(k).text();
                if (tok(k).kind() == Kind.IDENT && !KEYWORDS.contains(word) && !isField(k)) {
                    refs.add(word);
                    // [][Next]_vars and WF_vars(A) read as one word: the subscript is a reference too.
                    if (word.startsWith("_")) {
                        refs.add(word.substring(1));
                    } else if (word.startsWith("WF_") || word.startsWith("SF_")) {
                        refs.add(word.substring(3));
                    }
                }
            }
            Token last = tok(Math.min(end, n()) - 1);
            definitions.putIfAbsent(t.text(), new Definition(t.text(), arity,
                    new Span(module, t.line(), t.column(), last.endLine(), last.endColumn()), refs));
            i = end;
        }
    }

    /** The index of the {@code ==} of a definition that starts at {@code i}, or -1. */
    private int definitionHead(int i) {
        Token t = tok(i);
        if (t.kind() != Kind.IDENT || KEYWORDS.contains(t.text())) {
            return -1;
        }
        int j = i + 1;
        if (tok(j).is("(") || tok(j).is("[")) {
            j = skipGroup(j);
        }
        return tok(j).is("==") ? j : -1;
    }

    private int arity(int from, int eq) {
        if (from >= eq) {
            return 0;
        }
        int commas = 0;
        int depth = 0;
        for (int k = from; k < eq; k++) {
            if (OPENERS.contains(tok(k).text()) && tok(k).kind() == Kind.SYMBOL) {
                depth++;
            } else if (CLOSERS.contains(tok(k).text()) && tok(k).kind() == Kind.SYMBOL) {
                depth--;
            } else if (depth == 1 && tok(k).is(",")) {
                commas++;
            }
        }
        return commas + 1;
    }

    private int skipGroup(int i) {
        int depth = 0;
        for (int k = i; k < n(); k++) {
            Token t = tok(k);
            if (t.kind() == Kind.SEPARATOR || t.kind() == Kind.END) {
                return k;
            }
            if (t.kind() == Kind.SYMBOL && OPENERS.contains(t.text())) {
                depth++;
            } else if (t.kind() == Kind.SYMBOL && CLOSERS.contains(t.text())) {
                depth--;
                if (depth == 0) {
                    return k + 1;
                }
            }
        }
        return n();
    }

    // ---------------------------------------------------------------------------------------------
    // Expressions: only as far as it takes to find where each branch ends

    private static Set<String> plus(Set<String> stops, String... more) {
        Set<String> s = new HashSet<>(stops);
        s.addAll(List.of(more));
        return s;
    }

    /**
     * Reads one expression from {@code i} and returns the index just past it.
     *
     * @param offside a token that starts a line at this column or left of it ends the expression
     * @param stops keywords that end it because an enclosing construct owns them (and the comma,
     *     inside brackets, where it separates elements; elsewhere it separates quantifier bounds)
     */
    private int expr(int i, int offside, Set<String> stops) {
        int start = i;
        while (i < n()) {
            Token t = tok(i);
            if (t.kind() == Kind.SEPARATOR || t.kind() == Kind.END) {
                return i;
            }
            if (i > start && t.startsLine() && t.column() <= offside) {
                return i;
            }
            if (t.kind() == Kind.SYMBOL && CLOSERS.contains(t.text())) {
                return i;
            }
            if (t.kind() != Kind.STRING && stops.contains(t.text())) {
                return i;
            }
            if (t.kind() == Kind.SYMBOL && OPENERS.contains(t.text())) {
                i = group(i);
            } else if (t.is("IF")) {
                i = ifExpr(i, offside, stops);
            } else if (t.is("CASE")) {
                i = caseExpr(i, offside, stops);
            } else if (t.is("LET")) {
                i = letExpr(i, offside, stops);
            } else if ((t.is("/\\") || t.is("\\/")) && (i == start || t.startsLine()) && t.column() > offside) {
                i = junction(i, stops);
            } else {
                i++;
            }
        }
        return i;
    }

    private int junction(int i, Set<String> stops) {
        Token bullet = tok(i);
        while (true) {
            int j = expr(i + 1, bullet.column(), stops);
            Token next = tok(j);
            if (j < n() && next.is(bullet.text()) && next.column() == bullet.column() && next.startsLine()) {
                i = j;
                continue;
            }
            return j;
        }
    }

    private int group(int i) {
        String close = CLOSER_OF.get(tok(i).text());
        int j = i + 1;
        while (j < n()) {
            j = expr(j, 0, Set.of(","));
            Token t = tok(j);
            if (t.kind() == Kind.SEPARATOR || t.kind() == Kind.END) {
                return j;
            }
            if (t.is(close)) {
                return j + 1;
            }
            if (t.kind() == Kind.SYMBOL && CLOSERS.contains(t.text())) {
                return j + 1; // mismatched: give up on this group
            }
            j++; // a comma, or a keyword no construct owns
        }
        return j;
    }

    private int ifExpr(int i, int offside, Set<String> stops) {
        int thenAt = expr(i + 1, offside, plus(stops, "THEN"));
        if (!tok(thenAt).is("THEN")) {
            return thenAt;
        }
        int elseAt = expr(thenAt + 1, offside, plus(stops, "ELSE"));
        if (!tok(elseAt).is("ELSE")) {
            return elseAt;
        }
        int end = expr(elseAt + 1, offside, stops);
        Span construct = span(i, end);
        branch(BranchKind.THEN, thenAt, thenAt + 1, elseAt, construct, "THEN", bugSwitch(i + 1, thenAt));
        branch(BranchKind.ELSE, elseAt, elseAt + 1, end, construct, "ELSE", Optional.empty());
        return end;
    }

    private int caseExpr(int i, int offside, Set<String> stops) {
        int j = i + 1;
        List<int[]> arms = new ArrayList<>();
        while (j < n()) {
            int armStart = j;
            boolean other = tok(j).is("OTHER");
            int arrow = other ? j + 1 : expr(j, offside, plus(stops, "->", "[]"));
            if (!tok(arrow).is("->")) {
                j = arrow;
                break;
            }
            int end = expr(arrow + 1, offside, plus(stops, "[]"));
            arms.add(new int[] {armStart, arrow, end, other ? 1 : 0});
            j = end;
            if (!tok(j).is("[]")) {
                break;
            }
            j++;
        }
        Span construct = span(i, j);
        boolean firstArm = true;
        for (int[] a : arms) {
            String prefix = a[3] == 1 ? "[] " : firstArm ? "CASE " : "[] ";
            String guard = a[3] == 1 ? "OTHER" : joined(a[0], a[1]);
            branch(a[3] == 1 ? BranchKind.CASE_OTHER : BranchKind.CASE_ARM, a[0], a[1] + 1, a[2], construct,
                    prefix + guard + " ->", a[3] == 1 ? Optional.empty() : bugSwitch(a[0], a[1]));
            firstArm = false;
        }
        return j;
    }

    private int letExpr(int i, int offside, Set<String> stops) {
        int j = i + 1;
        int defColumn = tok(j).column();
        while (j < n() && !tok(j).is("IN")) {
            int h = j;
            while (h < n() && !tok(h).is("==") && !tok(h).is("IN") && tok(h).kind() != Kind.END) {
                h = tok(h).kind() == Kind.SYMBOL && OPENERS.contains(tok(h).text()) ? skipGroup(h) : h + 1;
            }
            if (!tok(h).is("==")) {
                j = h;
                break;
            }
            int end = expr(h + 1, Math.max(offside, defColumn), plus(stops, "IN"));
            if (end == h + 1) {
                end++;
            }
            if (tok(j).kind() == Kind.IDENT) {
                letDefinitions.computeIfAbsent(tok(j).text(), k -> new ArrayList<>()).add(span(h + 1, end));
            }
            j = end;
            if (tok(j).kind() == Kind.SEPARATOR || tok(j).kind() == Kind.END
                    || (tok(j).startsLine() && tok(j).column() < defColumn && !tok(j).is("IN"))) {
                return j;
            }
        }
        if (tok(j).is("IN")) {
            return expr(j + 1, offside, stops);
        }
        return j;
    }

    // ---------------------------------------------------------------------------------------------

    private Span span(int from, int to) {
        Token a = tok(from);
        Token b = tok(Math.max(from, Math.min(to, n()) - 1));
        return new Span(module, a.line(), a.column(), b.endLine(), b.endColumn());
    }

    private String joined(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to && k < n(); k++) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(tok(k).text());
        }
        return sb.toString();
    }

    /**
     * The bug variant named by a condition that is exactly {@code Bug = "x"} (tokens from
     * {@code from} up to {@code to}), the switch by which a spec selects a deliberate bug.
     */
    private Optional<String> bugSwitch(int from, int to) {
        if (to - from == 3 && tok(from).is("Bug") && tok(from + 1).is("=") && tok(from + 2).kind() == Kind.STRING) {
            String quoted = tok(from + 2).text();
            return Optional.of(quoted.substring(1, quoted.length() - 1));
        }
        return Optional.empty();
    }

    private void branch(BranchKind kind, int keyword, int from, int to, Span construct, String prefix,
            Optional<String> bugHook) {
        if (to <= from) {
            return;
        }
        Span expression = span(from, to);
        String body = source(expression).replaceAll("\\s+", " ").trim();
        String shown = prefix + " " + body;
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        boolean literal = to - from == 1 && (tok(from).kind() == Kind.NUMBER || tok(from).kind() == Kind.STRING);
        Token k = tok(keyword);
        branches.add(new Branch(kind, new Span(module, k.line(), k.column(), k.endLine(), k.endColumn()), expression,
                construct, currentDefinition, shown, literal, bugHook));
    }

    /** The text of a span, comments left out of nothing (it is for people). */
    private String source(Span s) {
        String[] lines = text.split("\n", -1);
        StringBuilder sb = new StringBuilder();
        for (int l = s.line(); l <= s.endLine() && l <= lines.length; l++) {
            String line = lines[l - 1];
            int from = l == s.line() ? Math.min(line.length(), s.column() - 1) : 0;
            int to = l == s.endLine() ? Math.min(line.length(), s.endColumn()) : line.length();
            String part = line.substring(from, Math.max(from, to));
            int comment = part.indexOf("\\*");
            sb.append(comment >= 0 ? part.substring(0, comment) : part).append(' ');
        }
        return sb.toString();
    }
}
