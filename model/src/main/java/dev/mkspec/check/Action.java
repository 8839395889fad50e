package dev.mkspec.check;

import java.util.List;
import java.util.Objects;

/**
 * A named step of a state machine with its arguments, as it appears in a trace:
 * {@code Map(s1, v1, s2, v2, {"r"})}. The name is the TLA+ action's name, so that the explorer's
 * labelled graph can be compared with TLC's; the arguments are in TLA+ value syntax.
 *
 * @param name the action's name, e.g. {@code "Map"}
 * @param args the arguments, each already rendered in TLA+ syntax
 */
public record Action(String name, List<String> args) {
    public Action {
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
    }

    /** An action with the given arguments. */
    public static Action of(String name, Object... args) {
        return new Action(name, java.util.Arrays.stream(args).map(String::valueOf).toList());
    }

    /** {@code Name(a, b)}, or {@code Name} without arguments. */
    @Override
    public String toString() {
        return args.isEmpty() ? name : name + "(" + String.join(", ", args) + ")";
    }
}
