package dev.mkspec.check;

import java.util.List;
import java.util.Optional;

/**
 * The shortest behaviour from an initial state to the state that broke the run: the first state
 * is initial (its action is empty), each later state is reached by its action.
 *
 * @param steps the states, first to last
 * @param <S> the state type
 */
public record Counterexample<S>(List<Step<S>> steps) {
    public Counterexample {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a counterexample has at least one state");
        }
    }

    /**
     * One state of the behaviour.
     *
     * @param action the action that led here; empty for the initial state
     * @param state the state
     */
    public record Step<S>(Optional<Action> action, S state) {
    }

    /** The number of states. */
    public int length() {
        return steps.size();
    }

    /** The state where the run broke. */
    public S last() {
        return steps.get(steps.size() - 1).state();
    }
}
