package dev.mkspec.check;

import java.util.Objects;

/**
 * A named property of every step: a predicate on a state, the action taken, and the state it
 * leads to. It is the explorer's counterpart of a TLA+ action property {@code [][P]_vars}, such as
 * "after a flush, nothing derived from the flushed page holds the revoked rights".
 *
 * @param id the catalog ID, e.g. {@code "AS-7"}
 * @param name the name of the TLA+ operator that states it
 * @param holds the predicate
 * @param <S> the state type
 */
public record ActionProperty<S>(String id, String name, Step<S> holds) {
    public ActionProperty {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(holds, "holds");
    }

    /** The predicate on one step. */
    @FunctionalInterface
    public interface Step<S> {
        boolean test(S from, Action action, S to);
    }

    @Override
    public String toString() {
        return id + " " + name;
    }
}
