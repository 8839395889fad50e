package dev.mkspec.specs.tla;

import dev.mkspec.specs.InputText;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads TLC configuration files. It accepts what TLC 2.18 accepts: the sections CONSTANT(S),
 * INIT, NEXT, SPECIFICATION, INVARIANT(S), PROPERTY/PROPERTIES, CONSTRAINT(S),
 * ACTION_CONSTRAINT(S), SYMMETRY, VIEW, ALIAS, POSTCONDITION and CHECK_DEADLOCK, with {@code \*}
 * and {@code (* *)} comments. Errors name the file, line and column, as {@code MC.cfg:3:7}; a
 * constant's value may be any TLA+ value that {@link TlaValueParser} reads, integers of any size
 * included.
 */
public final class CfgParser {
    private static final Set<String> KEYWORDS = Set.of("CONSTANT", "CONSTANTS", "INIT", "NEXT",
            "SPECIFICATION", "INVARIANT", "INVARIANTS", "PROPERTY", "PROPERTIES", "CONSTRAINT",
            "CONSTRAINTS", "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS", "SYMMETRY", "VIEW", "ALIAS",
            "POSTCONDITION", "CHECK_DEADLOCK");

    private final Path path;
    private final String text;
    /** The offset at which each line starts, for turning offsets into lines and columns. */
    private final int[] lineStarts;
    private int pos;

    private CfgParser(Path path, String text) {
        this.path = path;
        this.text = stripComments(text);
        this.lineStarts = lineStarts(this.text);
    }

    /**
     * Reads and parses a configuration file.
     *
     * @throws MkspecException {@link Problem#CFG_SYNTAX_ERROR} naming the file, line and column,
     *     also for a file that is not UTF-8 text; {@link Problem#FILE_NOT_FOUND}
     */
    public static CfgFile parse(Path path) {
        String text = InputText.read(path, (where, what) -> Problem.CFG_SYNTAX_ERROR.exception(where + ": " + what));
        return new CfgParser(path, text).file();
    }

    /** Parses configuration text; {@code origin} names it in error messages and may be null. */
    public static CfgFile parse(String text, Path origin) {
        return new CfgParser(origin, text).file();
    }

    private CfgFile file() {
        Map<String, TlaValue> constants = new LinkedHashMap<>();
        Map<String, String> substitutions = new LinkedHashMap<>();
        List<String> invariants = new ArrayList<>();
        List<String> properties = new ArrayList<>();
        List<String> constraints = new ArrayList<>();
        List<String> actionConstraints = new ArrayList<>();
        Map<String, Integer> lines = new HashMap<>();
        String init = null;
        String next = null;
        String spec = null;
        String symmetry = null;
        String view = null;
        String alias = null;
        String post = null;
        Boolean deadlock = null;

        skipSpace();
        while (pos < text.length()) {
            int keywordAt = pos;
            String keyword = word();
            if (!KEYWORDS.contains(keyword)) {
                throw error(keywordAt, "expected a section keyword such as CONSTANTS, SPECIFICATION or "
                        + "INVARIANTS, found '" + keyword + "'");
            }
            switch (keyword) {
                case "CONSTANT", "CONSTANTS" -> {
                    while (atNameNotKeyword()) {
                        int nameAt = pos;
                        String name = word();
                        lines.putIfAbsent(name, lineAt(nameAt));
                        skipSpace();
                        if (text.startsWith("<-", pos)) {
                            pos += 2;
                            skipSpace();
                            if (text.startsWith("[", pos)) {
                                int close = text.indexOf(']', pos);
                                if (close < 0) {
                                    throw error(pos, "'[' in a substitution is not closed");
                                }
                                pos = close + 1;
                                skipSpace();
                            }
                            substitutions.put(name, word());
                        } else if (text.startsWith("=", pos)) {
                            pos++;
                            skipSpace();
                            try {
                                TlaValueParser.Prefix p = TlaValueParser.prefixOrSyntaxError(text, pos);
                                constants.put(name, p.value());
                                pos = p.end();
                            } catch (TlaValueParser.SyntaxError e) {
                                throw error(e.offset, "cannot read the value of " + name + ": " + e.what);
                            }
                        } else {
                            throw error(pos, "expected '=' or '<-' after the constant " + name);
                        }
                        skipSpace();
                    }
                }
                case "INIT" -> init = single(lines);
                case "NEXT" -> next = single(lines);
                case "SPECIFICATION" -> spec = single(lines);
                case "SYMMETRY" -> symmetry = single(lines);
                case "VIEW" -> view = single(lines);
                case "ALIAS" -> alias = single(lines);
                case "POSTCONDITION" -> post = single(lines);
                case "INVARIANT", "INVARIANTS" -> invariants.addAll(names(lines));
                case "PROPERTY", "PROPERTIES" -> properties.addAll(names(lines));
                case "CONSTRAINT", "CONSTRAINTS" -> constraints.addAll(names(lines));
                case "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS" -> actionConstraints.addAll(names(lines));
                case "CHECK_DEADLOCK" -> {
                    int at = pos;
                    String b = word();
                    if (!b.equals("TRUE") && !b.equals("FALSE")) {
                        throw error(at, "CHECK_DEADLOCK takes TRUE or FALSE, not '" + b + "'");
                    }
                    deadlock = b.equals("TRUE");
                }
                default -> throw new AssertionError(keyword);
            }
            skipSpace();
        }
        return new CfgFile(path, constants, substitutions, Optional.ofNullable(init),
                Optional.ofNullable(next), Optional.ofNullable(spec), invariants, properties,
                constraints, actionConstraints, Optional.ofNullable(symmetry), Optional.ofNullable(view),
                Optional.ofNullable(alias), Optional.ofNullable(post), Optional.ofNullable(deadlock), lines);
    }

    private String single(Map<String, Integer> lines) {
        int at = pos;
        String name = word();
        if (KEYWORDS.contains(name)) {
            throw error(at, "expected an operator name, found the keyword " + name);
        }
        lines.putIfAbsent(name, lineAt(at));
        return name;
    }

    private List<String> names(Map<String, Integer> lines) {
        List<String> out = new ArrayList<>();
        while (atNameNotKeyword()) {
            int at = pos;
            String name = word();
            lines.putIfAbsent(name, lineAt(at));
            out.add(name);
            skipSpace();
        }
        if (out.isEmpty()) {
            throw error(pos, "expected at least one operator name");
        }
        return out;
    }

    private boolean atNameNotKeyword() {
        skipSpace();
        if (pos >= text.length() || !isNameChar(text.charAt(pos))) {
            return false;
        }
        int save = pos;
        String w = word();
        pos = save;
        return !KEYWORDS.contains(w);
    }

    private String word() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && isNameChar(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error(pos, pos >= text.length() ? "the file ended where a name was expected"
                    : "expected a name, found '" + text.charAt(pos) + "'");
        }
        return text.substring(start, pos);
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private static int[] lineStarts(String s) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The 1-based line of an offset. */
    private int lineAt(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    private MkspecException error(int offset, String what) {
        int line = lineAt(offset);
        int column = offset - lineStarts[line - 1] + 1;
        String where = (path == null ? "<cfg>" : path.toString()) + ":" + line + ":" + column;
        return Problem.CFG_SYNTAX_ERROR.exception(where + ": " + what);
    }

    /** Blanks out comments, keeping line breaks so that line numbers stay right. */
    private static String stripComments(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (depth == 0 && !inString && c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    sb.append(' ');
                    i++;
                }
                if (i < s.length()) {
                    sb.append('\n');
                }
                continue;
            }
            if (!inString && c == '(' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                depth++;
                sb.append("  ");
                i++;
                continue;
            }
            if (depth > 0 && c == '*' && i + 1 < s.length() && s.charAt(i + 1) == ')') {
                depth--;
                sb.append("  ");
                i++;
                continue;
            }
            if (depth > 0) {
                sb.append(c == '\n' ? '\n' : ' ');
                continue;
            }
            if (inString && c == '\\' && i + 1 < s.length()) {
                sb.append(c).append(s.charAt(i + 1));
                i++;
                continue;
            }
            if (c == '"') {
                inString = !inString;
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
