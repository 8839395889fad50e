package dev.mkspec.specs.mutate;

/** How a mutant came out. */
public enum MutantClass {
    /** A configuration reports a violated invariant, action or temporal property, an assertion or a deadlock it checks. */
    KILLED("killed"),
    /**
     * Every fast configuration succeeds with the original's state graph up to stuttering steps: the
     * same states, initial states and transitions between different states (TLC's {@code -dump dot}
     * of both, with one fingerprint polynomial). No TLA+ property can tell such a mutant apart.
     */
    EQUIVALENT("equivalent"),
    /**
     * Every configuration succeeds, but an action of the next-state relation that fires in the
     * original fires in none of the mutant's runs of some configuration: no property notices,
     * and the fast profile's coverage check (every action taken) fails on it. Safety properties
     * cannot kill a mutant that only removes behaviour; this class names those the plan still
     * catches.
     */
    DISABLED("disabled"),
    /**
     * Every configuration succeeds, with other states or other transitions between states: a change
     * that no property notices.
     */
    SURVIVED("survived"),
    /** TLC cannot check the mutant: a parse, semantic or evaluation error (e.g. a type error). */
    INVALID("invalid"),
    /** A configuration ran out of time (or memory) and none killed the mutant. */
    TIMEOUT("timeout");

    private final String id;

    MutantClass(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
