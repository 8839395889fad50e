package dev.mkspec.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One guard of an action in a state: a named condition of the action's enabling code, and whether
 * it holds. The name is a short phrase, as close to the TLA+ action's conjunct as it can be, e.g.
 * {@code src \in live} or {@code some page of the source fpage is mapped}. {@link
 * StateMachine#guards} answers "why is this action not enabled?" with a list of these, the last
 * one false.
 *
 * @param name the condition, in TLA+ where the spec states it so, in English otherwise
 * @param holds whether it holds in the state asked about
 */
public record Guard(String name, boolean holds) {
    public Guard {
        Objects.requireNonNull(name, "name");
    }

    /** {@code name}, or {@code name (false)}. */
    @Override
    public String toString() {
        return holds ? name : name + " (false)";
    }

    /**
     * Where an action's enabling code reports each guard as it evaluates it, so that the successor
     * relation and {@link StateMachine#guards} go through the very same conditions:
     * {@code if (!g.check("src \\in live", s.isLive(src))) return null;}.
     *
     * <p>The successor relation passes {@link #NONE}, which keeps nothing and allocates nothing:
     * give names as string constants, so that the hot path builds no string.
     */
    @FunctionalInterface
    public interface Recorder {
        /** Keeps nothing: what {@link StateMachine#successors} passes. */
        Recorder NONE = (name, holds) -> holds;

        /**
         * Reports that the guard {@code name} evaluated to {@code holds}.
         *
         * @return {@code holds}, so that the caller can branch on it
         */
        boolean check(String name, boolean holds);
    }

    /**
     * A recorder that keeps every guard it is told of, in order: what {@link StateMachine#guards}
     * passes. Not thread-safe; use one per question.
     */
    public static final class Log implements Recorder {
        private final List<Guard> guards = new ArrayList<>();

        @Override
        public boolean check(String name, boolean holds) {
            guards.add(new Guard(name, holds));
            return holds;
        }

        /** The guards reported so far, in the order they were evaluated. */
        public List<Guard> guards() {
            return List.copyOf(guards);
        }
    }
}
