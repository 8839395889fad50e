package dev.mkspec.specs.alloy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pairs each {@code check} of an Alloy file with its companion {@code run}s: the runs that show
 * the check's premises and operation can happen at its scope, so that the check is not vacuous.
 *
 * <p>The convention: a run is the companion of check {@code C} when a comment on the run's own
 * lines, or in the block of comment lines directly above it, says {@code witness-of: C}. One run
 * may witness several checks with the same premises ({@code witness-of: A, B, C}); the list may
 * go on in further {@code witness-of:} comments; a {@code ;} or {@code (} ends the list, so that a
 * note can follow it. A companion must have the check's scope.
 *
 * <p>A check expected to be sat (a bug variant) needs no companion: its counterexample is itself
 * an instance of its premises. Every other check needs at least one.
 */
public final class Companions {
    private static final Pattern MARKER = Pattern.compile("(?://|--)[^\\n]*?\\bwitness-of\\s*:\\s*([^\\n]*)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_'\"$]*");
    private static final Pattern COMMENT_LINE = Pattern.compile("^\\s*(?://|--).*$");

    private final Map<String, List<AlloyCommandInfo>> companions;
    private final List<String> problems;

    private Companions(Map<String, List<AlloyCommandInfo>> companions, List<String> problems) {
        this.companions = companions;
        this.problems = List.copyOf(problems);
    }

    /**
     * The check names that the {@code witness-of:} comments of a command name.
     *
     * @param lines the file's lines
     * @param line the command's first 1-based line
     * @param lastLine its last line
     */
    static List<String> markers(List<String> lines, int line, int lastLine) {
        Set<String> names = new LinkedHashSet<>();
        int first = Math.max(1, line);
        while (first >= 2 && first - 1 <= lines.size() && COMMENT_LINE.matcher(lines.get(first - 2)).matches()) {
            first--;
        }
        for (int l = first; l <= Math.min(lines.size(), Math.max(line, lastLine)); l++) {
            Matcher m = MARKER.matcher(lines.get(l - 1));
            while (m.find()) {
                // The list ends where another comment keyword ("expect:") begins.
                String list = m.group(1).replaceFirst("(?://|--).*$", "").replaceFirst("\\bexpect\\s*:.*$", "")
                        .replaceFirst("[;(].*$", "");
                Matcher n = NAME.matcher(list);
                while (n.find()) {
                    names.add(n.group());
                }
            }
        }
        return List.copyOf(names);
    }

    /** Pairs the commands of one file. */
    public static Companions of(List<AlloyCommandInfo> commands) {
        Map<String, AlloyCommandInfo> checks = new LinkedHashMap<>();
        for (AlloyCommandInfo c : commands) {
            if (c.check()) {
                checks.put(c.name(), c);
            }
        }
        Map<String, List<AlloyCommandInfo>> pairs = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (AlloyCommandInfo c : commands) {
            for (String target : c.witnessOf()) {
                if (c.check()) {
                    problems.add(c.name() + " is a check and cannot be a witness (of " + target
                            + "); make it a run");
                    continue;
                }
                AlloyCommandInfo check = checks.get(target);
                if (check == null) {
                    problems.add(c.name() + " says witness-of: " + target + ", but the file has no check "
                            + target);
                    continue;
                }
                if (!scope(check).equals(scope(c))) {
                    problems.add(c.name() + " runs " + scope(c) + " but its check " + target + " runs "
                            + scope(check) + "; a companion must have its check's scope");
                    continue;
                }
                pairs.computeIfAbsent(target, k -> new ArrayList<>()).add(c);
            }
        }
        return new Companions(pairs, problems);
    }

    /** The companions of the named check, in file order; empty if it has none. */
    public List<AlloyCommandInfo> of(String check) {
        return companions.getOrDefault(check, List.of());
    }

    /** Whether the check needs a companion: every check except one expected to be sat. */
    public static boolean needsCompanion(AlloyCommandInfo c) {
        return c.check() && !c.expectation().equals(Optional.of(AlloyOutcome.SAT));
    }

    /** Markers that pair nothing: on a check, naming no check, or with another scope. */
    public List<String> problems() {
        return problems;
    }

    /** The problems that concern the named command (as the witness). */
    public List<String> problemsOf(String command) {
        return problems.stream().filter(p -> p.startsWith(command + " ")).toList();
    }

    /**
     * A command's scope, as written after its name ({@code for 5 but 7 Node, 2 State}), with the
     * {@code but} list in a canonical order and without {@code expect}.
     */
    public static String scope(AlloyCommandInfo c) {
        String s = c.text().replaceFirst("^\\S+ \\S+\\s*", "").replaceFirst("\\s*expect\\s+\\d+\\s*$", "").trim();
        int but = s.indexOf(" but ");
        if (but < 0) {
            return s;
        }
        List<String> parts = new ArrayList<>();
        for (String p : s.substring(but + 5).split(",")) {
            parts.add(p.trim());
        }
        parts.sort(String::compareTo);
        return s.substring(0, but) + " but " + String.join(", ", parts);
    }
}
