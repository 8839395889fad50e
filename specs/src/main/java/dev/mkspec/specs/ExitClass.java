package dev.mkspec.specs;

/**
 * How a run ended, as the command line reports it in its exit code. The codes are stable and
 * documented in the README; scripts may rely on them.
 */
public enum ExitClass {
    /** Every check came out as expected. */
    OK(0, "as expected"),
    /** A tool gave a verdict other than the expected one (a violation, a state-count drift). */
    UNEXPECTED(1, "unexpected verdict"),
    /** The command line itself was wrong: an unknown option, a missing argument. */
    USAGE(2, "usage error"),
    /** An input file is missing or malformed: a .tla, .cfg, .als or manifest. */
    BAD_INPUT(3, "bad input"),
    /** A tool crashed or behaved in a way mkspec could not interpret. */
    TOOL_FAILURE(4, "tool failure"),
    /** A run was stopped by its time limit. */
    TIMEOUT(5, "timeout"),
    /** A run exhausted its memory: the JVM heap, or the explorer's memory limit. */
    OUT_OF_MEMORY(6, "out of memory");

    private final int code;
    private final String description;

    ExitClass(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The process exit code. */
    public int code() {
        return code;
    }

    /** A few words for reports and help text. */
    public String description() {
        return description;
    }

    /**
     * Which of two outcomes decides the exit code of a run that had both. Input and tool problems
     * come first because they hide what the checks would have said.
     *
     * @return the more severe of {@code this} and {@code other}
     */
    public ExitClass worst(ExitClass other) {
        return severity() >= other.severity() ? this : other;
    }

    private int severity() {
        return switch (this) {
            case OK -> 0;
            case UNEXPECTED -> 1;
            case TIMEOUT -> 2;
            case OUT_OF_MEMORY -> 3;
            case TOOL_FAILURE -> 4;
            case BAD_INPUT -> 5;
            case USAGE -> 6;
        };
    }
}
