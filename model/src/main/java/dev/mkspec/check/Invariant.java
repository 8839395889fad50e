package dev.mkspec.check;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A named state predicate that must hold in every reachable state.
 *
 * @param id the catalog ID it carries, e.g. {@code "AS-3"}, as listed in {@code specs/invariants.yaml}
 * @param name the name of the TLA+ operator that defines the same property, e.g. {@code "RightsMonotone"}
 * @param holds the predicate
 * @param availability whether the predicate states which steps the state enables (TLA+'s
 *     {@code ENABLED}), so that evaluating it enumerates the state's successors: an exhaustive check
 *     pays that once per state, a random walk once per step
 * @param <S> the state type
 */
public record Invariant<S>(String id, String name, Predicate<S> holds, boolean availability) {
    public Invariant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(holds, "holds");
    }

    /** An invariant of the state alone. */
    public Invariant(String id, String name, Predicate<S> holds) {
        this(id, name, holds, false);
    }

    /** An invariant that states which steps a state enables; see {@link #availability()}. */
    public static <S> Invariant<S> availability(String id, String name, Predicate<S> holds) {
        return new Invariant<>(id, name, holds, true);
    }

    @Override
    public String toString() {
        return id + " " + name;
    }
}
