package dev.mkspec.specs.mutate;

import java.util.ArrayList;
import java.util.List;

/**
 * A light tokenizer of TLA+: enough to find definitions, brackets, operators and identifiers, and
 * to keep mutations out of comments ({@code \*} and nested {@code (* *)}) and strings. It does not
 * parse; SANY still judges every mutant.
 */
final class Tokenizer {
    /** Multi-character operators, longest first so that the longest match wins. */
    private static final String[] OPERATORS = {
        "<=>", "|->", "-+->", "...", "==", "=>", "=<", "<=", ">=", "/=", "/\\", "\\/", "->", "<-", ":>", "@@", "..",
        "::", "[]", "<>", "~>", "||", "++", "--", "**", "//", "^+", "^*", "^#", "#", "=", "<", ">", "'", ":", ",",
        "~", "+", "-", "*", "/", "%", "^", "!", "@", ".", "|", "&", "$", "?", "_", ";"
    };

    private Tokenizer() {
    }

    static List<Token> tokenize(String text) {
        List<Token> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        int line = 1;
        int lineStart = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
                i++;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            int col = i - lineStart + 1;
            if (c == '\\' && i + 1 < n && text.charAt(i + 1) == '*') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '(' && i + 1 < n && text.charAt(i + 1) == '*') {
                int depth = 0;
                while (i < n) {
                    if (text.startsWith("(*", i)) {
                        depth++;
                        i += 2;
                    } else if (text.startsWith("*)", i)) {
                        depth--;
                        i += 2;
                        if (depth == 0) {
                            break;
                        }
                    } else {
                        if (text.charAt(i) == '\n') {
                            line++;
                            lineStart = i + 1;
                        }
                        i++;
                    }
                }
                continue;
            }
            if (c == '"') {
                i++;
                while (i < n && text.charAt(i) != '"' && text.charAt(i) != '\n') {
                    i += text.charAt(i) == '\\' && i + 1 < n ? 2 : 1;
                }
                i = Math.min(n, i + 1);
                out.add(new Token(Token.Kind.STRING, text.substring(start, i), start, i, line, col));
                continue;
            }
            if (c == '-' && text.startsWith("----", i)) {
                while (i < n && text.charAt(i) == '-') {
                    i++;
                }
                out.add(new Token(Token.Kind.SEPARATOR, text.substring(start, i), start, i, line, col));
                continue;
            }
            if (c == '=' && text.startsWith("====", i)) {
                while (i < n && text.charAt(i) == '=') {
                    i++;
                }
                out.add(new Token(Token.Kind.END_MODULE, text.substring(start, i), start, i, line, col));
                // Everything after the end of the module is ignored by SANY.
                break;
            }
            if (Character.isLetterOrDigit(c) || c == '_') {
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                String word = text.substring(start, i);
                boolean number = word.chars().allMatch(Character::isDigit);
                if (word.equals("_")) {
                    out.add(new Token(Token.Kind.OPERATOR, word, start, i, line, col));
                } else {
                    out.add(new Token(number ? Token.Kind.NUMBER : Token.Kind.IDENT, word, start, i, line, col));
                }
                continue;
            }
            if (c == '\\' && i + 1 < n && Character.isLetter(text.charAt(i + 1))) {
                i++;
                while (i < n && Character.isLetter(text.charAt(i))) {
                    i++;
                }
                out.add(new Token(Token.Kind.OPERATOR, text.substring(start, i), start, i, line, col));
                continue;
            }
            if (text.startsWith("<<", i) || c == '(' || c == '[' || c == '{') {
                int len = c == '<' ? 2 : 1;
                // "[]" is the always operator, not an empty bracket pair, when nothing is inside.
                if (c == '[' && i + 1 < n && text.charAt(i + 1) == ']') {
                    out.add(new Token(Token.Kind.OPERATOR, "[]", start, i + 2, line, col));
                    i += 2;
                    continue;
                }
                i += len;
                out.add(new Token(Token.Kind.OPEN, text.substring(start, i), start, i, line, col));
                continue;
            }
            if (text.startsWith(">>", i) || c == ')' || c == ']' || c == '}') {
                int len = c == '>' ? 2 : 1;
                i += len;
                out.add(new Token(Token.Kind.CLOSE, text.substring(start, i), start, i, line, col));
                continue;
            }
            if (text.startsWith("\\/", i) || text.startsWith("/\\", i)) {
                i += 2;
                out.add(new Token(Token.Kind.OPERATOR, text.substring(start, i), start, i, line, col));
                continue;
            }
            if (c == '\\') {
                i++;
                out.add(new Token(Token.Kind.OPERATOR, "\\", start, i, line, col));
                continue;
            }
            String op = null;
            for (String o : OPERATORS) {
                if (text.startsWith(o, i)) {
                    op = o;
                    break;
                }
            }
            if (op == null) {
                op = String.valueOf(c);
            }
            i += op.length();
            out.add(new Token(Token.Kind.OPERATOR, op, start, i, line, col));
        }
        return out;
    }
}
