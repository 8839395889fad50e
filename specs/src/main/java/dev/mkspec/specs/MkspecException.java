package dev.mkspec.specs;

/**
 * A problem that mkspec reports to its user: bad input, a tool failure, a timeout. The message
 * says what is wrong; {@link #problem()} says how to fix it and which exit code follows.
 */
public final class MkspecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Problem problem;

    MkspecException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public ExitClass exitClass() {
        return problem.exitClass();
    }
}
