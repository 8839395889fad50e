package dev.mkspec.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the explorer needs of a model: its initial states, its successor relation with named
 * actions, its invariants, and a 64-bit fingerprint of each state.
 *
 * <p>Contract:
 * <ul>
 *   <li>States are immutable and canonical: two states that mean the same are {@code equals} and
 *       have the same fingerprint.</li>
 *   <li>{@link #successors} is a function of the state: called twice on equal states it reports
 *       the same actions and successors in the same order. The explorer replays it to rebuild
 *       counterexamples.</li>
 *   <li>All methods may be called from several threads at once.</li>
 * </ul>
 *
 * @param <S> the state type
 */
public interface StateMachine<S> {

    /** The model's name, for reports, e.g. {@code "AddressSpaces"}. */
    String name();

    /** The initial states, in a fixed order. */
    List<S> initialStates();

    /** Reports every enabled action of {@code state} and the state it leads to. */
    void successors(S state, Successors<S> out);

    /** The actions enabled in {@code state}, with their arguments: what {@link #successors} reports. */
    default java.util.Set<Action> enabled(S state) {
        java.util.Set<Action> out = new java.util.HashSet<>();
        successors(state, (a, next) -> out.add(a));
        return out;
    }

    /**
     * The actions of {@link #successors} with the whole domain of each argument at the model's
     * constants, one schema per disjunct of the spec's {@code Next}; none by default. Every action
     * the model reports is an instance of one of them.
     */
    default List<ActionSchema> actionSchemas() {
        return List.of();
    }

    /**
     * The guards of {@code action} (a name and arguments, as {@link #successors} reports it) in
     * {@code state}: the conditions its enabling code evaluates, in that order, up to and including
     * the first that is false. {@link #successors} reports the action exactly when they are present
     * and all hold; when it does not, the last one is the guard that is false. Empty if the model
     * does not name the guards of this action (the default).
     *
     * @throws IllegalArgumentException if the model has no such action, or an argument is malformed
     *     or outside its domain in {@link #actionSchemas}
     */
    default Optional<List<Guard>> guards(S state, Action action) {
        return Optional.empty();
    }

    /** The invariants to check in every reachable state. */
    List<Invariant<S>> invariants();

    /** The properties to check on every step; none by default. */
    default List<ActionProperty<S>> actionProperties() {
        return List.of();
    }

    /**
     * The model's compact encoding of its states, if it has one: with it the explorer moves a
     * level's states to disk once the heap passes its frontier budget; without it (the default)
     * every level stays on the heap.
     */
    default java.util.Optional<StateCodec<S>> codec() {
        return java.util.Optional.empty();
    }

    /** A 64-bit fingerprint of the state; see {@link Fingerprint} for a builder. */
    long fingerprint(S state);

    /**
     * TLC's state constraint: a reachable state for which this is false is counted and checked
     * but not expanded. The default bounds nothing.
     */
    default boolean withinBounds(S state) {
        return true;
    }

    /**
     * The state's variables in TLA+ value syntax, in the spec's variable order, so that traces
     * read like TLC's and can be compared with TLC state by state. The default renders the whole
     * state as one variable.
     */
    default Map<String, String> render(S state) {
        return Map.of("state", String.valueOf(state));
    }

    /** Receives the successors of one state. */
    @FunctionalInterface
    interface Successors<S> {
        void add(Action action, S next);
    }
}
