package dev.mkspec.specs.alloy;

import dev.mkspec.specs.ExitClass;
import java.util.Locale;
import java.util.Optional;

/** What the solver said about one command, or why it said nothing. */
public enum AlloyOutcome {
    /** An instance exists: for a run, an example; for a check, a counterexample. */
    SAT("sat", ExitClass.UNEXPECTED),
    /** No instance within the scope: for a check, the assertion holds within the bounds. */
    UNSAT("unsat", ExitClass.UNEXPECTED),
    TIMEOUT("timeout", ExitClass.TIMEOUT),
    OUT_OF_MEMORY("out of memory", ExitClass.OUT_OF_MEMORY),
    /** The solver or translator failed on this command. */
    ERROR("error", ExitClass.TOOL_FAILURE);

    private final String id;
    private final ExitClass whenUnexpected;

    AlloyOutcome(String id, ExitClass whenUnexpected) {
        this.id = id;
        this.whenUnexpected = whenUnexpected;
    }

    public String id() {
        return id;
    }

    public ExitClass exitClassWhenUnexpected() {
        return whenUnexpected;
    }

    public static Optional<AlloyOutcome> fromId(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        for (AlloyOutcome o : values()) {
            if (o.id.equals(s)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
