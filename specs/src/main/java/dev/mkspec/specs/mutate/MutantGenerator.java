package dev.mkspec.specs.mutate;

import dev.mkspec.specs.InputFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Generates mutants of a TLA+ spec: each is the spec with one small change in a definition that
 * the next-state relation reaches (through operator calls in the root module and the local modules
 * it EXTENDS). Invariants, properties, {@code TypeOK}, {@code Init}, ASSUME and every name a
 * configuration mentions are never changed, nor anything inside comments or strings, nor any
 * sub-expression that mentions the constant {@code Bug} (the spec's deliberate bug variants; the
 * branch that only a bug variant takes is skipped too, since changing it changes nothing).
 *
 * <p>The order is deterministic (module, position, operator) and mutants that give the same module
 * text are generated once. Cost: linear in the size of the reachable definitions per operator.
 */
public final class MutantGenerator {
    /** The name of the constant whose branches are the deliberate bug variants. */
    public static final String BUG_CONSTANT = "Bug";

    private static final Set<String> ALWAYS_EXCLUDED = Set.of("TypeOK", "Init", "Spec", "FairSpec", "vars");
    private static final Set<String> BULLET_CONTEXT = Set.of("==", "(", "[", "{", "<<", ",", ":", "THEN", "ELSE",
            "IN", "=>", "|->", "<=>", "->", "/\\", "\\/", "~", "LET");
    private static final Set<String> PREFIX_MAXIMAL = Set.of("IF", "LET", "CHOOSE", "\\E", "\\A", "\\EE", "\\AA",
            "CASE", "LAMBDA");
    /** The prefix operators whose bound variables end at a colon. */
    private static final Set<String> BINDERS = Set.of("CHOOSE", "\\E", "\\A", "\\EE", "\\AA", "LAMBDA");
    private static final Set<String> RELATIONS = Set.of("=", "#", "/=", "<", ">", "<=", "=<", ">=", "\\leq", "\\geq",
            "\\in", "\\notin", "\\subseteq", "\\subset", "\\supseteq", "\\supset", "\\prec", "\\succ", "\\preceq",
            "\\succeq", "\\sqsubseteq");
    private static final Map<String, Integer> PRECEDENCE = precedence();

    private MutantGenerator() {
    }

    private static Map<String, Integer> precedence() {
        Map<String, Integer> p = new HashMap<>();
        p.put("=>", 1);
        for (String s : List.of("<=>", "\\equiv", "~>", "-+->")) {
            p.put(s, 2);
        }
        p.put("/\\", 3);
        p.put("\\/", 3);
        p.put("\\land", 3);
        p.put("\\lor", 3);
        for (String s : RELATIONS) {
            p.put(s, 5);
        }
        p.put("@@", 6);
        p.put(":>", 7);
        for (String s : List.of("\\cup", "\\cap", "\\", "\\union", "\\intersect")) {
            p.put(s, 8);
        }
        p.put("..", 9);
        for (String s : List.of("+", "-", "\\X", "\\times", "\\o", "\\circ")) {
            p.put(s, 10);
        }
        for (String s : List.of("*", "\\div", "%", "/")) {
            p.put(s, 13);
        }
        p.put("^", 14);
        return p;
    }

    /**
     * The mutants of the spec whose root module is {@code rootSpec}: the root and the modules beside
     * it that it EXTENDS, transitively, are read; standard modules are not.
     *
     * @param next the name of the next-state relation, e.g. {@code Next}
     * @param excluded names never to change, e.g. the invariants and properties of the configurations
     * @param operators the operators to apply
     * @param action if present, only changes inside this definition
     * @throws dev.mkspec.specs.MkspecException if a module cannot be read
     */
    public static List<Mutant> generate(Path rootSpec, String next, Set<String> excluded,
            Set<MutationOperator> operators, Optional<String> action) {
        return generate(rootSpec, next, excluded, operators, action.map(Set::of).orElse(Set.of()));
    }

    /**
     * As {@link #generate(Path, String, Set, Set, Optional)}, changing only the definitions named in
     * {@code only} (all that Next reaches when it is empty).
     */
    public static List<Mutant> generate(Path rootSpec, String next, Set<String> excluded,
            Set<MutationOperator> operators, Set<String> only) {
        Map<String, String> modules = new LinkedHashMap<>();
        Deque<Path> todo = new ArrayDeque<>(List.of(rootSpec));
        Path folder = rootSpec.toAbsolutePath().getParent();
        while (!todo.isEmpty()) {
            Path p = todo.pop();
            String file = p.getFileName().toString();
            if (modules.containsKey(file)) {
                continue;
            }
            String text = InputFiles.readText(p, "a module of the spec", "a TLA+ module");
            modules.put(file, text);
            for (String e : TlaModule.parse(file, text).extendsNames) {
                Path q = folder.resolve(e + ".tla");
                if (Files.isRegularFile(q)) {
                    todo.add(q);
                }
            }
        }
        return generate(modules, next, excluded, operators, only);
    }

    /**
     * As {@link #generate(Path, String, Set, Set, Optional)}, on module texts by file name, the root
     * module first.
     */
    public static List<Mutant> generate(Map<String, String> modules, String next, Set<String> excluded,
            Set<MutationOperator> operators, Optional<String> action) {
        return generate(modules, next, excluded, operators, action.map(Set::of).orElse(Set.of()));
    }

    /** As {@link #generate(Map, String, Set, Set, Optional)}, with the definitions to change (all when empty). */
    public static List<Mutant> generate(Map<String, String> modules, String next, Set<String> excluded,
            Set<MutationOperator> operators, Set<String> only) {
        List<TlaModule> parsed = new ArrayList<>();
        modules.forEach((file, text) -> parsed.add(TlaModule.parse(file, text)));
        Map<String, TlaModule> owner = new LinkedHashMap<>();
        for (TlaModule m : parsed) {
            for (String d : m.definitions.keySet()) {
                owner.putIfAbsent(d, m);
            }
        }
        Set<String> never = new HashSet<>(ALWAYS_EXCLUDED);
        never.addAll(excluded);
        never.remove(next);
        // The definitions that Next reaches, in the order they are found.
        Set<String> reachable = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(next));
        while (!todo.isEmpty()) {
            String d = todo.pop();
            if (!owner.containsKey(d) || never.contains(d) || !reachable.add(d)) {
                continue;
            }
            TlaModule m = owner.get(d);
            TlaModule.Definition def = m.definitions.get(d);
            for (int i = def.bodyStart(); i < def.bodyEnd(); i++) {
                Token t = m.tokens.get(i);
                if (t.isIdent() && owner.containsKey(t.text())) {
                    todo.add(t.text());
                }
            }
        }
        Set<String> actions = primedDefinitions(owner);
        List<Candidate> candidates = new ArrayList<>();
        for (int mi = 0; mi < parsed.size(); mi++) {
            TlaModule m = parsed.get(mi);
            for (TlaModule.Definition def : m.definitions.values()) {
                if (!reachable.contains(def.name()) || owner.get(def.name()) != m
                        || (!only.isEmpty() && !only.contains(def.name()))) {
                    continue;
                }
                new BodyMutator(m, mi, def, operators, actions, candidates).run();
            }
        }
        candidates.sort(Comparator.comparingInt(Candidate::moduleIndex).thenComparingInt(Candidate::start)
                .thenComparing(Candidate::operator).thenComparingInt(Candidate::end)
                .thenComparing(Candidate::replacement));
        List<Mutant> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Candidate c : candidates) {
            TlaModule m = parsed.get(c.moduleIndex());
            String mutated = m.text.substring(0, c.start()) + c.replacement() + m.text.substring(c.end());
            if (mutated.equals(m.text) || !seen.add(m.fileName + "\u0000" + mutated)) {
                continue;
            }
            String[] diff = diff(m.text, c);
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < c.start(); i++) {
                if (m.text.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            out.add(new Mutant(String.format("M%03d", out.size() + 1), c.operator(), c.action(), m.fileName, line,
                    c.start() - lineStart + 1, diff[0], diff[1], mutated));
        }
        return out;
    }

    /**
     * The next-state relation of the specification formula {@code specName}: the {@code N} of the
     * first {@code [][N]_v} in its definition or in a definition it uses, e.g. {@code Next} for
     * {@code Spec == Init /\ [][Next]_vars}.
     */
    public static Optional<String> findNext(Path rootSpec, String specName) {
        Map<String, TlaModule> owner = new LinkedHashMap<>();
        Deque<Path> todo = new ArrayDeque<>(List.of(rootSpec));
        Set<String> read = new HashSet<>();
        Path folder = rootSpec.toAbsolutePath().getParent();
        while (!todo.isEmpty()) {
            Path p = todo.pop();
            if (!read.add(p.getFileName().toString())) {
                continue;
            }
            TlaModule m = TlaModule.parse(p.getFileName().toString(),
                    InputFiles.readText(p, "a module of the spec", "a TLA+ module"));
            m.definitions.keySet().forEach(d -> owner.putIfAbsent(d, m));
            for (String e : m.extendsNames) {
                Path q = folder.resolve(e + ".tla");
                if (Files.isRegularFile(q)) {
                    todo.add(q);
                }
            }
        }
        Deque<String> defs = new ArrayDeque<>(List.of(specName));
        Set<String> seen = new HashSet<>();
        while (!defs.isEmpty()) {
            String d = defs.pop();
            if (!owner.containsKey(d) || !seen.add(d)) {
                continue;
            }
            TlaModule m = owner.get(d);
            TlaModule.Definition def = m.definitions.get(d);
            for (int i = def.bodyStart(); i + 3 < def.bodyEnd(); i++) {
                if (m.tokens.get(i).is("[]") && m.tokens.get(i + 1).is("[") && m.tokens.get(i + 2).isIdent()
                        && m.tokens.get(i + 3).is("]")) {
                    return Optional.of(m.tokens.get(i + 2).text());
                }
            }
            for (int i = def.bodyStart(); i < def.bodyEnd(); i++) {
                if (m.tokens.get(i).isIdent()) {
                    defs.add(m.tokens.get(i).text());
                }
            }
        }
        return Optional.empty();
    }

    /** The names of definitions that contain a prime or UNCHANGED, directly or through a call: actions. */
    private static Set<String> primedDefinitions(Map<String, TlaModule> owner) {
        Map<String, Set<String>> calls = new HashMap<>();
        Set<String> primed = new HashSet<>();
        owner.forEach((name, m) -> {
            TlaModule.Definition d = m.definitions.get(name);
            Set<String> c = new HashSet<>();
            for (int i = d.bodyStart(); i < d.bodyEnd(); i++) {
                Token t = m.tokens.get(i);
                if (t.is("'") || t.is("UNCHANGED")) {
                    primed.add(name);
                } else if (t.isIdent() && owner.containsKey(t.text())) {
                    c.add(t.text());
                }
            }
            calls.put(name, c);
        });
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<String, Set<String>> e : calls.entrySet()) {
                if (!primed.contains(e.getKey()) && e.getValue().stream().anyMatch(primed::contains)) {
                    primed.add(e.getKey());
                    changed = true;
                }
            }
        }
        return primed;
    }

    /** The changed line(s) before and after, each collapsed onto one line. */
    private static String[] diff(String text, Candidate c) {
        int from = text.lastIndexOf('\n', Math.max(0, c.start() - 1)) + 1;
        if (c.start() == 0) {
            from = 0;
        }
        int to = text.indexOf('\n', Math.max(c.end(), c.start()));
        if (c.end() > c.start() && text.charAt(c.end() - 1) == '\n') {
            to = c.end() - 1;
        }
        if (to < 0) {
            to = text.length();
        }
        String before = text.substring(from, to);
        String after = text.substring(from, c.start()) + c.replacement() + text.substring(Math.min(c.end(), to), to);
        if (c.end() > to) {
            after = text.substring(from, c.start()) + c.replacement();
        }
        return new String[] {oneLine(before), oneLine(after)};
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\\\\\*[^\\n]*", "").replaceAll("\\s+", " ").trim();
        return t.length() > 240 ? t.substring(0, 237) + "..." : t;
    }

    /** One change: replace the text from {@code start} to {@code end} in a module. */
    record Candidate(int moduleIndex, int start, int end, String replacement, MutationOperator operator, String action) {
    }

    /** Applies every operator to one definition's body. */
    private static final class BodyMutator {
        private final TlaModule m;
        private final int moduleIndex;
        private final TlaModule.Definition def;
        private final Set<MutationOperator> operators;
        private final Set<String> actions;
        private final List<Candidate> out;
        private final List<Token> t;
        /** Tokens in a sub-expression that mentions Bug, or in the branch only a bug variant takes. */
        private final Set<Integer> bugZone = new HashSet<>();
        /** The junction items: bullet index to the index just past the item. */
        private final Map<Integer, Integer> items = new LinkedHashMap<>();

        BodyMutator(TlaModule m, int moduleIndex, TlaModule.Definition def, Set<MutationOperator> operators,
                Set<String> actions, List<Candidate> out) {
            this.m = m;
            this.moduleIndex = moduleIndex;
            this.def = def;
            this.operators = operators;
            this.actions = actions;
            this.out = out;
            this.t = m.tokens;
        }

        void run() {
            findItems();
            findBugZone();
            for (int i = def.bodyStart(); i < def.bodyEnd(); i++) {
                Token k = t.get(i);
                if (operators.contains(MutationOperator.DROP_CONJUNCT) && isAnd(k)) {
                    dropConjunct(i);
                }
                if (operators.contains(MutationOperator.SET_OPERATOR)) {
                    setOperator(i);
                }
                if (operators.contains(MutationOperator.SET_SHRINK)) {
                    setShrink(i);
                }
                if (operators.contains(MutationOperator.NEGATE_GUARD)) {
                    negateGuard(i);
                }
                if (operators.contains(MutationOperator.UNCHANGED)) {
                    unchanged(i);
                }
                if (operators.contains(MutationOperator.SWAP_ARGS)) {
                    swapArgs(i);
                }
                if (operators.contains(MutationOperator.QUANTIFIER_SUBSET)) {
                    quantifierSubset(i);
                }
                if (operators.contains(MutationOperator.IF_SWAP) && k.is("IF")) {
                    ifSwap(i);
                }
                if (operators.contains(MutationOperator.ARITHMETIC)) {
                    arithmetic(i);
                }
            }
        }

        // ---- structure ----------------------------------------------------------------------

        private static boolean isAnd(Token k) {
            return k.is("/\\") || k.is("\\land");
        }

        private boolean isBullet(int i) {
            Token k = t.get(i);
            if (!(k.is("/\\") || k.is("\\/"))) {
                return false;
            }
            if (i == def.bodyStart()) {
                return true;
            }
            Token prev = t.get(i - 1);
            return prev.line() < k.line() || BULLET_CONTEXT.contains(prev.text());
        }

        private void findItems() {
            for (int i = def.bodyStart(); i < def.bodyEnd(); i++) {
                if (!isBullet(i)) {
                    continue;
                }
                Token b = t.get(i);
                int j = i + 1;
                int depth = 0;
                int ifs = 0;
                int lets = 0;
                int binders = 0;
                while (j < def.bodyEnd()) {
                    Token k = t.get(j);
                    if (k.line() > b.line() && k.column() <= b.column()) {
                        break;
                    }
                    if (k.isOpen()) {
                        depth++;
                    } else if (k.isClose()) {
                        if (depth == 0) {
                            break;
                        }
                        depth--;
                    } else if (depth == 0) {
                        if (k.is("IF")) {
                            ifs++;
                        } else if (k.is("ELSE")) {
                            if (ifs == 0) {
                                break;
                            }
                            ifs--;
                        } else if (k.is("THEN")) {
                            if (ifs == 0) {
                                break;
                            }
                        } else if (k.is("LET")) {
                            lets++;
                        } else if (k.is("IN")) {
                            if (lets == 0) {
                                break;
                            }
                            lets--;
                        } else if (BINDERS.contains(k.text())) {
                            binders++;
                        } else if (k.is(":") && binders > 0) {
                            binders--;
                        } else if (k.is(",") && binders > 0) {
                            // a quantifier's bound variables: \E i, j \in S : P
                        } else if (k.is(",") || k.is("==") && lets == 0) {
                            break;
                        }
                    }
                    j++;
                }
                items.put(i, j);
            }
        }

        /** The index just past the innermost junction item that holds token {@code i}, or the body's end. */
        private int itemLimit(int i) {
            int best = -1;
            int limit = def.bodyEnd();
            for (Map.Entry<Integer, Integer> e : items.entrySet()) {
                if (e.getKey() < i && i < e.getValue() && e.getKey() > best) {
                    best = e.getKey();
                    limit = e.getValue();
                }
            }
            return limit;
        }

        private int itemStart(int i) {
            int best = def.bodyStart() - 1;
            for (Map.Entry<Integer, Integer> e : items.entrySet()) {
                if (e.getKey() < i && i < e.getValue() && e.getKey() > best) {
                    best = e.getKey();
                }
            }
            return best + 1;
        }

        private static boolean isOperand(Token k) {
            return k.isIdent() || k.kind() == Token.Kind.NUMBER || k.kind() == Token.Kind.STRING || k.is("@");
        }

        /**
         * The index just past the expression that starts at {@code from} and is the right operand of
         * an operator of precedence {@code prec} (0: as far as the expression goes).
         */
        private int rightEnd(int from, int prec) {
            int limit = Math.min(itemLimit(from), def.bodyEnd());
            boolean maximal = prec == 0;
            int ifs = 0;
            int lets = 0;
            int binders = 0;
            int j = from;
            while (j < limit) {
                Token k = t.get(j);
                if (k.isOpen()) {
                    Integer close = m.match.get(j);
                    if (close == null || close >= limit) {
                        return limit;
                    }
                    j = close + 1;
                    continue;
                }
                if (k.isClose()) {
                    return j;
                }
                String s = k.text();
                if (PREFIX_MAXIMAL.contains(s)) {
                    maximal = true;
                    if (s.equals("IF")) {
                        ifs++;
                    } else if (s.equals("LET")) {
                        lets++;
                    } else if (!s.equals("CASE")) {
                        binders++;
                    }
                } else if (s.equals("THEN") || s.equals("ELSE")) {
                    if (ifs == 0) {
                        return j;
                    }
                    if (s.equals("ELSE")) {
                        ifs--;
                    }
                } else if (s.equals("IN")) {
                    if (lets == 0) {
                        return j;
                    }
                    lets--;
                } else if (s.equals(":")) {
                    if (binders == 0) {
                        return j;
                    }
                    binders--;
                } else if (s.equals("==") && lets > 0 || s.equals(",") && binders > 0) {
                    // a LET's definitions, a quantifier's bound variables (\E i, j \in S : P)
                    j++;
                    continue;
                } else if (s.equals(",") || s.equals("==") || s.equals("|->") || s.equals("<-") || s.equals("::")) {
                    return j;
                } else if (s.equals("->") && !maximal) {
                    return j;
                } else if (j > from && PRECEDENCE.containsKey(s) && !maximal && PRECEDENCE.get(s) <= prec
                        && !isBullet(j)) {
                    return j;
                } else if (j > from && isBullet(j) && t.get(j).line() > t.get(from).line() && !maximal) {
                    return j;
                }
                j++;
            }
            return limit;
        }

        /** The index of the first token of the left operand that ends at {@code to}, of an operator of precedence {@code prec}. */
        private int leftStart(int to, int prec) {
            int lower = itemStart(to);
            int j = to;
            while (j >= lower) {
                Token k = t.get(j);
                if (k.isClose()) {
                    Integer open = m.match.get(j);
                    if (open == null || open < lower) {
                        return j + 1;
                    }
                    j = open - 1;
                    continue;
                }
                if (k.isOpen()) {
                    return j + 1;
                }
                String s = k.text();
                if (isOperand(k) && !isKeyword(s)) {
                    j--;
                    continue;
                }
                if (s.equals("'") || s.equals(".") || s.equals("SUBSET") || s.equals("UNION") || s.equals("DOMAIN")) {
                    j--;
                    continue;
                }
                if (s.equals("!") && j + 1 <= to && t.get(j + 1).isIdent()) {
                    j--;
                    continue;
                }
                if ((s.equals("~") || s.equals("\\lnot") || s.equals("\\neg") || s.equals("UNCHANGED")
                        || s.equals("ENABLED")) && prec < 4) {
                    j--;
                    continue;
                }
                if (PRECEDENCE.containsKey(s) && PRECEDENCE.get(s) > prec && !isBullet(j)) {
                    j--;
                    continue;
                }
                return j + 1;
            }
            return lower;
        }

        private static boolean isKeyword(String s) {
            return Set.of("IF", "THEN", "ELSE", "LET", "IN", "CASE", "OTHER", "CHOOSE", "EXCEPT", "LAMBDA", "WITH",
                    "INSTANCE", "UNCHANGED", "ENABLED", "SUBSET", "UNION", "DOMAIN").contains(s);
        }

        private void findBugZone() {
            for (int i = def.bodyStart(); i < def.bodyEnd(); i++) {
                if (!t.get(i).is(BUG_CONSTANT)) {
                    continue;
                }
                bugZone.add(i);
                int start = i;
                int end = i + 1;
                if (i + 1 < def.bodyEnd() && RELATIONS.contains(t.get(i + 1).text())) {
                    end = rightEnd(i + 2, 5);
                } else if (i > def.bodyStart() && RELATIONS.contains(t.get(i - 1).text())) {
                    start = leftStart(i - 2, 5);
                }
                for (int k = start; k < end; k++) {
                    bugZone.add(k);
                }
                String relation = i + 1 < end ? t.get(i + 1).text() : t.get(i - 1).text();
                boolean bugOn = relation.equals("=") || relation.equals("\\in");
                // Bug = "x" /\ E, Bug = "x" => E and Bug # "x" \/ E: E counts only in the bug variant.
                if (end < def.bodyEnd() && !isBullet(end) && (bugOn ? isAnd(end) || t.get(end).is("=>") : isOr(end))) {
                    int to = rightEnd(end + 1, PRECEDENCE.get(t.get(end).text()));
                    for (int k = end; k < to; k++) {
                        bugZone.add(k);
                    }
                }
                // E /\ Bug = "x" and E \/ Bug # "x": the same, with the switch second.
                if (start - 1 > def.bodyStart() && !isBullet(start - 1) && (bugOn ? isAnd(start - 1) : isOr(start - 1))) {
                    int from = leftStart(start - 2, PRECEDENCE.get(t.get(start - 1).text()));
                    for (int k = from; k < start; k++) {
                        bugZone.add(k);
                    }
                }
                // IF Bug = "x" THEN <bug branch> ELSE <real branch> (and the reverse for #).
                if (start > def.bodyStart() && t.get(start - 1).is("IF") && end < def.bodyEnd()
                        && t.get(end).is("THEN")) {
                    int thenIdx = end;
                    int elseIdx = matchingElse(thenIdx);
                    if (elseIdx < 0) {
                        continue;
                    }
                    bugZone.add(start - 1);
                    bugZone.add(thenIdx);
                    bugZone.add(elseIdx);
                    boolean bugInThen = bugOn;
                    int from = bugInThen ? thenIdx + 1 : elseIdx + 1;
                    int to = bugInThen ? elseIdx : rightEnd(elseIdx + 1, 0);
                    for (int k = from; k < to; k++) {
                        bugZone.add(k);
                    }
                }
            }
        }

        private boolean isAnd(int i) {
            return t.get(i).is("/\\") || t.get(i).is("\\land");
        }

        private boolean isOr(int i) {
            return t.get(i).is("\\/") || t.get(i).is("\\lor");
        }

        private int matchingThen(int ifIdx) {
            return matching(ifIdx, "THEN");
        }

        private int matchingElse(int thenIdx) {
            return matching(thenIdx, "ELSE");
        }

        /**
         * The index of the next {@code word} (THEN or ELSE) of the IF at this bracket depth after
         * {@code from}, skipping nested IFs (each closed by its ELSE), or -1.
         */
        private int matching(int from, String word) {
            int depth = 0;
            int ifs = 0;
            for (int j = from + 1; j < def.bodyEnd(); j++) {
                Token k = t.get(j);
                if (k.isOpen()) {
                    depth++;
                } else if (k.isClose()) {
                    if (depth == 0) {
                        return -1;
                    }
                    depth--;
                } else if (depth == 0 && ifs == 0 && k.is(word)) {
                    return j;
                } else if (depth == 0 && k.is("IF")) {
                    ifs++;
                } else if (depth == 0 && k.is("ELSE")) {
                    ifs--;
                }
            }
            return -1;
        }

        // ---- emitting -----------------------------------------------------------------------

        /** Replaces tokens {@code from} to {@code to} (exclusive) with {@code replacement}, unless they touch the bug zone. */
        private void replaceTokens(int from, int to, String replacement, MutationOperator op) {
            replaceText(from, to, t.get(from).start(), t.get(to - 1).end(), replacement, op);
        }

        private void replaceText(int fromToken, int toToken, int start, int end, String replacement, MutationOperator op) {
            if (fromToken < def.bodyStart() || toToken > def.bodyEnd() || fromToken >= toToken) {
                return;
            }
            for (int k = fromToken; k < toToken; k++) {
                if (bugZone.contains(k)) {
                    return;
                }
            }
            out.add(new Candidate(moduleIndex, start, end, replacement, op, def.name()));
        }

        private String text(int from, int to) {
            return m.text.substring(t.get(from).start(), t.get(to - 1).end());
        }

        // ---- the operators --------------------------------------------------------------------

        private void dropConjunct(int i) {
            if (isBullet(i)) {
                int end = items.get(i);
                Token b = t.get(i);
                // Items of the same list: bullets of the same kind in the same column, one after the other.
                boolean hasSibling = false;
                for (Map.Entry<Integer, Integer> e : items.entrySet()) {
                    Token o = t.get(e.getKey());
                    if (e.getKey() != i && o.text().equals(b.text()) && o.column() == b.column()
                            && (e.getValue().equals(i) || e.getKey() == end)) {
                        hasSibling = true;
                    }
                }
                if (!hasSibling || end <= i + 1) {
                    return;
                }
                int start = b.start();
                int stop = t.get(end - 1).end();
                boolean firstOnLine = i == 0 || t.get(i - 1).line() < b.line();
                boolean lastOnLine = end >= t.size() || t.get(end).line() > t.get(end - 1).line();
                if (firstOnLine && lastOnLine) {
                    start = m.text.lastIndexOf('\n', b.start() - 1) + 1;
                    int nl = m.text.indexOf('\n', stop);
                    stop = nl < 0 ? m.text.length() : nl + 1;
                }
                replaceText(i, end, start, stop, "", MutationOperator.DROP_CONJUNCT);
                return;
            }
            int ls = leftStart(i - 1, 3);
            int re = rightEnd(i + 1, 3);
            if (ls < i && re > i + 1) {
                replaceText(ls, i + 1, t.get(ls).start(), t.get(i + 1).start(), "", MutationOperator.DROP_CONJUNCT);
                replaceText(i, re, t.get(i - 1).end(), t.get(re - 1).end(), "", MutationOperator.DROP_CONJUNCT);
            }
        }

        private void setOperator(int i) {
            String s = t.get(i).text();
            String r = switch (s) {
                case "\\subseteq" -> "=";
                case "\\cup", "\\union" -> "\\";
                case "\\" -> "\\cup";
                case "\\cap", "\\intersect" -> "\\cup";
                default -> null;
            };
            if (r != null) {
                replaceTokens(i, i + 1, r, MutationOperator.SET_OPERATOR);
            }
        }

        private void setShrink(int i) {
            Token k = t.get(i);
            if ((k.is("\\cup") || k.is("\\union") || k.is("\\")) && i + 1 < def.bodyEnd() && t.get(i + 1).is("{")) {
                Integer close = m.match.get(i + 1);
                if (close != null && rightEnd(i + 1, 8) == close + 1 && i > def.bodyStart()) {
                    replaceText(i, close + 1, t.get(i - 1).end(), t.get(close).end(), "", MutationOperator.SET_SHRINK);
                }
            }
            if (k.is("{")) {
                Integer close = m.match.get(i);
                if (close == null) {
                    return;
                }
                List<Integer> commas = new ArrayList<>();
                for (int j = i + 1; j < close; j++) {
                    Token x = t.get(j);
                    if (x.isOpen()) {
                        j = m.match.getOrDefault(j, j);
                    } else if (x.is(":") || x.is("\\in") && j == i + 2) {
                        return; // a comprehension, not an enumeration
                    } else if (x.is(",")) {
                        commas.add(j);
                    }
                }
                if (!commas.isEmpty()) {
                    replaceTokens(i, close + 1, "{" + text(i + 1, commas.get(0)) + "}", MutationOperator.SET_SHRINK);
                }
            }
        }

        private boolean isBinder(int i) {
            // x \in S after \E, \A, CHOOSE, or in [x \in S |-> e], {x \in S : P}, or after a comma in a binder list.
            if (i < 2 || !(t.get(i - 1).isIdent() || t.get(i - 1).is(">>"))) {
                return false;
            }
            int j = i - 2;
            if (t.get(i - 1).is(">>")) {
                Integer open = m.match.get(i - 1);
                if (open == null) {
                    return false;
                }
                j = open - 1;
            }
            while (j >= def.bodyStart() - 1) {
                Token k = t.get(j);
                String s = k.text();
                if (s.equals("\\E") || s.equals("\\A") || s.equals("CHOOSE") || s.equals("[") || s.equals("{")) {
                    return true;
                }
                if (!s.equals(",")) {
                    return false;
                }
                // Another binder before the comma: skip back over "y \in T" or "y".
                int k2 = j - 1;
                int depth = 0;
                while (k2 >= def.bodyStart()) {
                    Token x = t.get(k2);
                    if (x.isClose()) {
                        depth++;
                    } else if (x.isOpen()) {
                        if (depth == 0) {
                            break;
                        }
                        depth--;
                    } else if (depth == 0 && (x.is(",") || x.is("\\E") || x.is("\\A") || x.is("CHOOSE")
                            || x.is(":") || x.is("|->") || isKeyword(x.text()) || x.is("==")
                            || PRECEDENCE.containsKey(x.text()) && !x.is("\\in"))) {
                        break;
                    }
                    k2--;
                }
                j = k2;
            }
            return false;
        }

        private boolean isExceptPath(int eq) {
            int j = eq - 1;
            while (j >= def.bodyStart()) {
                Token k = t.get(j);
                if (k.isClose()) {
                    Integer open = m.match.get(j);
                    if (open == null) {
                        return false;
                    }
                    j = open - 1;
                } else if (k.isIdent() || k.is(".")) {
                    j--;
                } else {
                    return k.is("!");
                }
            }
            return false;
        }

        private void negateGuard(int i) {
            Token k = t.get(i);
            String s = k.text();
            String r = null;
            switch (s) {
                case "=" -> {
                    if (i > 0 && !t.get(i - 1).is("'") && !isExceptPath(i)) {
                        r = "#";
                    }
                }
                case "#", "/=" -> r = "=";
                case "<" -> r = "<=";
                case "<=", "=<", "\\leq" -> r = "<";
                case ">" -> r = ">=";
                case ">=", "\\geq" -> r = ">";
                case "\\in" -> r = isBinder(i) ? null : "\\notin";
                case "\\notin" -> r = "\\in";
                default -> {
                }
            }
            if (r != null) {
                replaceTokens(i, i + 1, r, MutationOperator.NEGATE_GUARD);
            }
            if ((s.equals("~") || s.equals("\\lnot") || s.equals("\\neg")) && i + 1 < def.bodyEnd()) {
                replaceText(i, i + 1, k.start(), t.get(i + 1).start(), "", MutationOperator.NEGATE_GUARD);
            }
            // ~ before a guard: a single-line conjunct that changes no variable.
            if (isAnd(k) && isBullet(i) && items.containsKey(i)) {
                int end = items.get(i);
                if (end <= i + 1 || t.get(end - 1).line() != k.line()) {
                    return;
                }
                for (int j = i + 1; j < end; j++) {
                    Token x = t.get(j);
                    if (x.is("'") || x.is("UNCHANGED") || x.isIdent() && actions.contains(x.text())) {
                        return;
                    }
                }
                replaceTokens(i + 1, end, "~(" + text(i + 1, end) + ")", MutationOperator.NEGATE_GUARD);
            }
        }

        private void unchanged(int i) {
            if (i + 3 >= def.bodyEnd() || !t.get(i).isIdent() || !t.get(i + 1).is("'") || !t.get(i + 2).is("=")) {
                return;
            }
            if (i > def.bodyStart() && (t.get(i - 1).is(".") || t.get(i - 1).is("!"))) {
                return;
            }
            int end = rightEnd(i + 3, 5);
            if (end <= i + 3 || (end == i + 4 && t.get(i + 3).is(t.get(i).text()))) {
                return;
            }
            replaceTokens(i + 3, end, t.get(i).text(), MutationOperator.UNCHANGED);
        }

        private void swapArgs(int i) {
            Token f = t.get(i);
            if (!f.isIdent() || isKeyword(f.text()) || i + 1 >= def.bodyEnd() || !t.get(i + 1).is("(")
                    || f.end() != t.get(i + 1).start()) {
                return;
            }
            Integer close = m.match.get(i + 1);
            if (close == null) {
                return;
            }
            List<int[]> args = new ArrayList<>();
            int start = i + 2;
            for (int j = i + 2; j <= close; j++) {
                Token x = t.get(j);
                if (x.isOpen() && j < close) {
                    j = m.match.getOrDefault(j, j);
                } else if (x.is(",") || j == close) {
                    args.add(new int[] {start, j});
                    start = j + 1;
                }
            }
            for (int a = 0; a + 1 < args.size(); a++) {
                int[] x = args.get(a);
                int[] y = args.get(a + 1);
                if (x[1] - x[0] != 1 || y[1] - y[0] != 1) {
                    continue;
                }
                Token tx = t.get(x[0]);
                Token ty = t.get(y[0]);
                if (tx.kind() != ty.kind() || tx.text().equals(ty.text()) || isKeyword(tx.text())
                        || isKeyword(ty.text())) {
                    continue;
                }
                String between = m.text.substring(tx.end(), ty.start());
                replaceTokens(x[0], y[0] + 1, ty.text() + between + tx.text(), MutationOperator.SWAP_ARGS);
            }
        }

        private void quantifierSubset(int i) {
            Token q = t.get(i);
            if (!(q.is("\\E") || q.is("\\A"))) {
                return;
            }
            int j = i + 1;
            while (j < def.bodyEnd()) {
                // One binder: names, then \in S, up to a comma or the colon.
                while (j < def.bodyEnd() && !t.get(j).is("\\in") && !t.get(j).is(":")) {
                    j++;
                }
                if (j >= def.bodyEnd() || t.get(j).is(":")) {
                    return;
                }
                int setStart = j + 1;
                int k = setStart;
                while (k < def.bodyEnd() && !t.get(k).is(",") && !t.get(k).is(":")) {
                    if (t.get(k).isOpen()) {
                        k = m.match.getOrDefault(k, k);
                    }
                    k++;
                }
                if (k >= def.bodyEnd() || k == setStart) {
                    return;
                }
                String set = text(setStart, k);
                replaceTokens(setStart, k, "(LET mkspecS == " + set + " IN IF mkspecS = {} THEN {} ELSE mkspecS \\ "
                        + "{CHOOSE mkspecX \\in mkspecS : TRUE})", MutationOperator.QUANTIFIER_SUBSET);
                if (t.get(k).is(":")) {
                    return;
                }
                j = k + 1;
            }
        }

        private void ifSwap(int i) {
            int thenIdx = matchingThen(i);
            if (thenIdx <= i + 1) {
                return;
            }
            boolean multiLine = t.get(thenIdx - 1).line() != t.get(i + 1).line();
            for (int j = i + 1; j < thenIdx && multiLine; j++) {
                if (isBullet(j)) {
                    return;
                }
            }
            replaceTokens(i + 1, thenIdx, "~(" + text(i + 1, thenIdx) + ")", MutationOperator.IF_SWAP);
        }

        private void arithmetic(int i) {
            Token k = t.get(i);
            if (!(k.is("+") || k.is("-")) || i + 1 >= def.bodyEnd() || i == def.bodyStart()) {
                return;
            }
            Token prev = t.get(i - 1);
            Token n = t.get(i + 1);
            boolean binary = isOperand(prev) || prev.isClose() || prev.is("'");
            if (!binary || n.kind() != Token.Kind.NUMBER || rightEnd(i + 1, 10) != i + 2) {
                return;
            }
            replaceTokens(i, i + 1, k.is("+") ? "-" : "+", MutationOperator.ARITHMETIC);
            if (k.is("+")) {
                replaceText(i, i + 2, prev.end(), n.end(), "", MutationOperator.ARITHMETIC);
            }
        }
    }
}
