package dev.mkspec.check;

/**
 * How an exploration ended. The {@link #id()}s are the names the manifests and reports use, the
 * same as TLC's where the meaning is the same.
 */
public enum ExplorerVerdict {
    /** Every reachable state was visited and every invariant held. */
    SUCCESS("success"),
    /** A reachable state breaks an invariant; the counterexample leads to it. */
    INVARIANT_VIOLATED("invariant violated"),
    /** A step breaks an action property; the counterexample ends with that step. */
    ACTION_PROPERTY_VIOLATED("action property violated"),
    /** A reachable state has no successor and deadlock checking is on. */
    DEADLOCK("deadlock"),
    /** The model threw an exception while computing a state; the counterexample leads to it. */
    MODEL_ERROR("evaluation error"),
    /** The run reached its time limit. */
    TIMEOUT("timeout"),
    /** The run reached its memory limit, or the JVM ran out of heap. */
    OUT_OF_MEMORY("out of memory");

    private final String id;

    ExplorerVerdict(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Whether the search finished: it visited everything or found what it reports. */
    public boolean isConclusive() {
        return this != TIMEOUT && this != OUT_OF_MEMORY;
    }
}
