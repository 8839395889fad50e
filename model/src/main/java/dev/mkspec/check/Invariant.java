package dev.mkspec.check;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A named state predicate that must hold in every reachable state.
 *
 * @param id the catalog ID it carries, e.g. {@code "AS-3"}, as listed in {@code specs/invariants.yaml}
 * @param name the name of the TLA+ operator that defines the same property, e.g. {@code "RightsMonotone"}
 * @param holds the predicate
 * @param <S> the state type
 */
public record Invariant<S>(String id, String name, Predicate<S> holds) {
    public Invariant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(holds, "holds");
    }

    @Override
    public String toString() {
        return id + " " + name;
    }
}
