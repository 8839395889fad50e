package dev.mkspec.specs.tlc;

import dev.mkspec.specs.ExitClass;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a TLC run found. The first group are verdicts about the spec; parse and configuration
 * errors are bad input; the rest say that the run did not finish.
 *
 * <p>Each verdict has the name that manifests use ({@link #id()}). Manifests may also use the
 * coarser names of the TLA+ Examples repository ({@code "safety failure"},
 * {@code "liveness failure"}, {@code "deadlock failure"}, {@code "assumption failure"}), which
 * {@link #satisfies(String)} accepts.
 */
public enum TlcVerdict {
    SUCCESS("success", ExitClass.UNEXPECTED),
    INVARIANT_VIOLATED("invariant violated", ExitClass.UNEXPECTED),
    ACTION_PROPERTY_VIOLATED("action property violated", ExitClass.UNEXPECTED),
    TEMPORAL_PROPERTY_VIOLATED("temporal property violated", ExitClass.UNEXPECTED),
    DEADLOCK("deadlock", ExitClass.UNEXPECTED),
    ASSUMPTION_FALSE("assumption false", ExitClass.UNEXPECTED),
    ASSERTION_FAILED("assertion failed", ExitClass.UNEXPECTED),
    EVALUATION_ERROR("evaluation error", ExitClass.UNEXPECTED),
    PARSE_ERROR("parse error", ExitClass.BAD_INPUT),
    CONFIG_ERROR("config error", ExitClass.BAD_INPUT),
    /** SANY accepted the spec but TLC cannot check it as written (e.g. an unsupported formula). */
    UNSUPPORTED("unsupported by TLC", ExitClass.BAD_INPUT),
    TIMEOUT("timeout", ExitClass.TIMEOUT),
    OUT_OF_MEMORY("out of memory", ExitClass.OUT_OF_MEMORY),
    TOOL_FAILURE("tool failure", ExitClass.TOOL_FAILURE);

    private final String id;
    private final ExitClass whenUnexpected;

    TlcVerdict(String id, ExitClass whenUnexpected) {
        this.id = id;
        this.whenUnexpected = whenUnexpected;
    }

    /** The name used in manifests and reports. */
    public String id() {
        return id;
    }

    /** The exit class of a run that ends in this verdict when another was expected. */
    public ExitClass exitClassWhenUnexpected() {
        return whenUnexpected;
    }

    /** Whether the verdict is about the spec (TLC finished its job), rather than about the run. */
    public boolean isSpecVerdict() {
        return ordinal() <= EVALUATION_ERROR.ordinal();
    }

    /** Whether TLC found a behaviour that breaks a property, so that a trace is expected. */
    public boolean isViolation() {
        return this == INVARIANT_VIOLATED || this == ACTION_PROPERTY_VIOLATED
                || this == TEMPORAL_PROPERTY_VIOLATED || this == DEADLOCK || this == ASSERTION_FAILED;
    }

    /**
     * Whether this verdict meets an expected result written in a manifest: one of the
     * {@link #id()}s, or one of the TLA+ Examples' coarse names.
     */
    public boolean satisfies(String expected) {
        String e = expected.trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "safety failure" -> this == INVARIANT_VIOLATED || this == ACTION_PROPERTY_VIOLATED
                    || this == ASSERTION_FAILED;
            case "liveness failure" -> this == TEMPORAL_PROPERTY_VIOLATED || this == ACTION_PROPERTY_VIOLATED;
            case "deadlock failure" -> this == DEADLOCK;
            case "assumption failure" -> this == ASSUMPTION_FALSE;
            default -> id.equals(e);
        };
    }

    /** Every name that a manifest may use for an expected result. */
    public static List<String> acceptedNames() {
        List<String> names = new java.util.ArrayList<>(Arrays.stream(values()).map(TlcVerdict::id).toList());
        names.addAll(List.of("safety failure", "liveness failure", "deadlock failure", "assumption failure"));
        return names;
    }

    /** The verdict with this {@link #id()}, if any. */
    public static Optional<TlcVerdict> fromId(String id) {
        return Arrays.stream(values()).filter(v -> v.id.equalsIgnoreCase(id.trim())).findFirst();
    }
}
