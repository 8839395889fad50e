package dev.mkspec.check;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A named step of a state machine with its arguments, as it appears in a trace:
 * {@code Map(s1, v1, s2, v2, {"r"})}. The name is the TLA+ action's name, so that the explorer's
 * labelled graph can be compared with TLC's; the arguments are in TLA+ value syntax.
 *
 * <p>The arguments may be rendered lazily ({@link #lazy}): a model labels every successor it
 * generates, but only a counterexample, a recorded graph or a property that reads them needs the
 * text, and rendering it took 16% to 19% of the explorer's time (README, "Where the explorer's
 * time goes"). Two actions are equal when their names and arguments are.
 */
public final class Action {
    private final String name;
    private volatile List<String> args;
    private volatile Supplier<List<String>> render;

    /**
     * @param name the action's name, e.g. {@code "Map"}
     * @param args the arguments, each already rendered in TLA+ syntax
     */
    public Action(String name, List<String> args) {
        this.name = Objects.requireNonNull(name, "name");
        this.args = List.copyOf(args);
    }

    private Action(String name, Supplier<List<String>> render) {
        this.name = Objects.requireNonNull(name, "name");
        this.render = Objects.requireNonNull(render, "render");
    }

    /**
     * An action whose arguments are rendered when first asked for. {@code render} must give the
     * same list each time it is called (it may be called more than once from different threads),
     * so it must not read anything that changes afterwards.
     */
    public static Action lazy(String name, Supplier<List<String>> render) {
        return new Action(name, render);
    }

    /**
     * An action whose arguments, values that never change (strings, numbers), are rendered with
     * {@code String.valueOf} when first asked for.
     */
    public static Action lazyOf(String name, Object... args) {
        if (args.length == 0) {
            return new Action(name, List.of());
        }
        Object[] values = args.clone();
        return new Action(name, () -> java.util.Arrays.stream(values).map(String::valueOf).toList());
    }

    /** An action with the given arguments, rendered now with {@code String.valueOf}. */
    public static Action of(String name, Object... args) {
        return new Action(name, java.util.Arrays.stream(args).map(String::valueOf).toList());
    }

    /** The action's name, e.g. {@code "Map"}. */
    public String name() {
        return name;
    }

    /** The arguments, each in TLA+ syntax. */
    public List<String> args() {
        List<String> a = args;
        if (a == null) {
            Supplier<List<String>> r = render;
            if (r == null) {
                // Another thread rendered them in between; it wrote args before clearing render.
                return args;
            }
            a = List.copyOf(r.get());
            args = a;
            render = null;
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Action other && name.equals(other.name) && args().equals(other.args());
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + args().hashCode();
    }

    /** {@code Name(a, b)}, or {@code Name} without arguments. */
    @Override
    public String toString() {
        List<String> a = args();
        return a.isEmpty() ? name : name + "(" + String.join(", ", a) + ")";
    }
}
