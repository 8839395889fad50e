package dev.mkspec.specs.mutate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One TLA+ module cut into its top-level definitions, with bracket matching: the structure the
 * mutant generator needs, and no more. A definition starts at a {@code ==} outside any bracket and
 * any {@code LET}; its body runs to the next definition or top-level keyword.
 */
final class TlaModule {
    private static final Set<String> UNIT_KEYWORDS = Set.of("VARIABLE", "VARIABLES", "CONSTANT", "CONSTANTS",
            "ASSUME", "ASSUMPTION", "AXIOM", "THEOREM", "LEMMA", "PROPOSITION", "COROLLARY", "EXTENDS", "RECURSIVE",
            "LOCAL", "USE", "HIDE", "PROOF", "BY", "QED", "OBVIOUS", "OMITTED");

    /**
     * A top-level definition.
     *
     * @param name the operator's name
     * @param head the index of its first token
     * @param bodyStart the index of the first token after {@code ==}
     * @param bodyEnd the index just past its last token
     */
    record Definition(String name, int head, int bodyStart, int bodyEnd) {
    }

    final String fileName;
    final String name;
    final String text;
    final List<Token> tokens;
    final List<String> extendsNames;
    final Map<String, Definition> definitions;
    /** For each opening bracket its closing one, and for each closing bracket its opening one. */
    final Map<Integer, Integer> match;

    private TlaModule(String fileName, String text) {
        this.fileName = fileName;
        this.text = text;
        this.tokens = Tokenizer.tokenize(text);
        this.match = matchBrackets(tokens);
        String n = fileName.replaceFirst("\\.tla$", "");
        List<String> ext = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).is("MODULE") && i + 1 < tokens.size()) {
                n = tokens.get(i + 1).text();
            }
            if (tokens.get(i).is("EXTENDS") && tokens.get(i).column() == 1) {
                for (int j = i + 1; j < tokens.size(); j += 2) {
                    ext.add(tokens.get(j).text());
                    if (j + 1 >= tokens.size() || !tokens.get(j + 1).is(",")) {
                        break;
                    }
                }
            }
        }
        this.name = n;
        this.extendsNames = List.copyOf(ext);
        this.definitions = findDefinitions();
    }

    static TlaModule parse(String fileName, String text) {
        return new TlaModule(fileName, text);
    }

    private static Map<Integer, Integer> matchBrackets(List<Token> tokens) {
        Map<Integer, Integer> m = new HashMap<>();
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isOpen()) {
                open.push(i);
            } else if (t.isClose() && !open.isEmpty()) {
                int o = open.pop();
                m.put(o, i);
                m.put(i, o);
            }
        }
        return m;
    }

    private Map<String, Definition> findDefinitions() {
        List<int[]> heads = new ArrayList<>(); // {head, eqIndex}
        List<Integer> boundaries = new ArrayList<>();
        int depth = 0;
        int lets = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isOpen()) {
                depth++;
            } else if (t.isClose()) {
                depth = Math.max(0, depth - 1);
            } else if (t.is("LET")) {
                lets++;
            } else if (t.is("IN") && lets > 0) {
                lets--;
            } else if (t.is("==") && depth == 0 && lets == 0) {
                int head = i;
                while (head > 0 && tokens.get(head - 1).line() == t.line()) {
                    head--;
                }
                heads.add(new int[] {head, i});
            } else if (depth == 0 && lets == 0 && (t.kind() == Token.Kind.SEPARATOR || t.kind() == Token.Kind.END_MODULE
                    || (t.isIdent() && UNIT_KEYWORDS.contains(t.text())) || (t.is("INSTANCE") && t.column() == 1))) {
                boundaries.add(i);
            }
        }
        Map<String, Definition> defs = new LinkedHashMap<>();
        for (int k = 0; k < heads.size(); k++) {
            int head = heads.get(k)[0];
            int eq = heads.get(k)[1];
            int end = k + 1 < heads.size() ? heads.get(k + 1)[0] : tokens.size();
            for (int b : boundaries) {
                if (b > eq && b < end) {
                    end = b;
                    break;
                }
            }
            int h = head;
            if (tokens.get(h).is("LOCAL")) {
                h++;
            }
            String defName;
            Token first = tokens.get(h);
            Token second = h + 1 < tokens.size() ? tokens.get(h + 1) : first;
            if (first.isIdent() && (second.is("==") || second.is("(") || second.is("["))) {
                defName = first.text();
            } else {
                // An infix or postfix operator definition: a \prec b == ..., or a prefix one: -a == ...
                defName = first.isIdent() ? second.text() : first.text();
            }
            defs.putIfAbsent(defName, new Definition(defName, head, eq + 1, end));
        }
        return defs;
    }
}
