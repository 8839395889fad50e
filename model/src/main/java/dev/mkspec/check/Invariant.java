package dev.mkspec.check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * @param conjuncts the named conjuncts whose conjunction {@code holds} is, in the TLA+ operator's
 *     order, when the invariant is stated so ({@link #allOf}); empty otherwise
 * @param <S> the state type
 */
public record Invariant<S>(String id, String name, Predicate<S> holds, boolean availability, List<Conjunct<S>> conjuncts) {
    public Invariant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(holds, "holds");
        conjuncts = List.copyOf(conjuncts);
    }

    /** An invariant of the state alone. */
    public Invariant(String id, String name, Predicate<S> holds) {
        this(id, name, holds, false, List.of());
    }

    /** An invariant, perhaps an availability one; see {@link #availability()}. */
    public Invariant(String id, String name, Predicate<S> holds, boolean availability) {
        this(id, name, holds, availability, List.of());
    }

    /** An invariant that states which steps a state enables; see {@link #availability()}. */
    public static <S> Invariant<S> availability(String id, String name, Predicate<S> holds) {
        return new Invariant<>(id, name, holds, true, List.of());
    }

    /**
     * An invariant stated as the conjunction of named parts, as its TLA+ operator's {@code /\}
     * list: it holds when every part does, evaluated in order and stopping at the first false one,
     * so that a counterexample can name the conjunct that failed ({@link #failingConjunct}).
     */
    public static <S> Invariant<S> allOf(String id, String name, List<Conjunct<S>> parts) {
        List<Conjunct<S>> copy = List.copyOf(parts);
        return new Invariant<>(id, name, s -> {
            for (Conjunct<S> c : copy) {
                if (!c.holds().test(s)) {
                    return false;
                }
            }
            return true;
        }, false, copy);
    }

    /** The first conjunct that is false in {@code s}, if the invariant names its conjuncts and one is. */
    public Optional<String> failingConjunct(S s) {
        for (Conjunct<S> c : conjuncts) {
            if (!c.holds().test(s)) {
                return Optional.of(c.name());
            }
        }
        return Optional.empty();
    }

    /**
     * One named conjunct of an invariant.
     *
     * @param name the conjunct as the TLA+ operator writes it, or a few words where it is long
     * @param holds the predicate
     * @param <S> the state type
     */
    public record Conjunct<S>(String name, Predicate<S> holds) {
        public Conjunct {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(holds, "holds");
        }
    }

    @Override
    public String toString() {
        return id + " " + name;
    }
}
