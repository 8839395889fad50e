package dev.mkspec.specs.alloy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code // expect: sat} or {@code // expect: unsat} comment of a command: on the
 * command's own line, or alone on the line above it. {@code --} comments count too.
 */
final class Expectations {
    private static final Pattern EXPECT =
            Pattern.compile("(?://|--)\\s*expect\\s*:\\s*(sat|unsat)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern ONLY_COMMENT =
            Pattern.compile("^\\s*(?://|--)\\s*expect\\s*:\\s*(sat|unsat)\\b.*$", Pattern.CASE_INSENSITIVE);

    private Expectations() {
    }

    /**
     * @param lines the file's lines
     * @param line the command's first 1-based line
     * @param lastLine the command's last line
     */
    static Optional<AlloyOutcome> find(List<String> lines, int line, int lastLine) {
        for (int l = Math.max(1, line); l <= Math.min(lines.size(), Math.max(line, lastLine)); l++) {
            Matcher m = EXPECT.matcher(lines.get(l - 1));
            if (m.find()) {
                return Optional.of(outcome(m.group(1)));
            }
        }
        if (line >= 2 && line - 1 <= lines.size()) {
            Matcher m = ONLY_COMMENT.matcher(lines.get(line - 2));
            if (m.matches()) {
                return Optional.of(outcome(m.group(1)));
            }
        }
        return Optional.empty();
    }

    private static AlloyOutcome outcome(String s) {
        return s.toLowerCase(Locale.ROOT).equals("sat") ? AlloyOutcome.SAT : AlloyOutcome.UNSAT;
    }
}
