package dev.mkspec.ci;

import dev.mkspec.specs.Problem;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes durations the way people type them: {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 500ms}. */
public final class Durations {
    private static final Duration LONGEST = Duration.ofDays(3650);
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    /**
     * @throws dev.mkspec.specs.MkspecException ({@link Problem#INVALID_OPTION}) if the text is not a duration
     */
    public static Duration parse(String text) {
        String t = text.trim();
        Duration d;
        try {
            d = parseParts(t);
        } catch (NumberFormatException | ArithmeticException e) {
            throw Problem.INVALID_OPTION.exception("'" + text + "' is too long a duration; at most a few years, "
                    + "written like 90s, 5m or 1h30m");
        }
        if (d == null) {
            throw Problem.INVALID_OPTION.exception("'" + text + "' is not a duration; write it like 90s, 5m or 1h30m");
        }
        if (d.compareTo(LONGEST) > 0) {
            throw Problem.INVALID_OPTION.exception("'" + text + "' is too long a duration; at most 10 years");
        }
        if (d.isZero()) {
            throw Problem.INVALID_OPTION.exception("the duration '" + text + "' must be positive; write it like 90s, "
                    + "5m or 1h30m");
        }
        return d;
    }

    /** The duration, or null if the text is not one. */
    private static Duration parseParts(String t) {
        if (t.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        Matcher m = PART.matcher(t);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        return end != t.length() || t.isEmpty() ? null : d;
    }

    /** {@code a / b} as {@code 3.1x}, or {@code -} when {@code b} is too short to divide by. */
    public static String ratio(Duration a, Duration b) {
        return b.toMillis() < 1 ? "-" : String.format(java.util.Locale.ROOT, "%.1fx", (double) a.toMillis() / b.toMillis());
    }

    /** {@code 0.8s}, {@code 12s}, {@code 3m05s}, {@code 1h02m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 10_000) {
            return String.format("%.1fs", ms / 1000.0);
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
