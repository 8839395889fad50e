package dev.mkspec.specs.trace;

import dev.mkspec.specs.tla.TlaValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A behaviour that a tool found: a counterexample from TLC or the explorer, or an instance from
 * Alloy. It is a list of states, each reached by a named action, and optionally a loop back to an
 * earlier state (a lasso, for liveness) or infinite stuttering at the end.
 *
 * @param tool the tool that found it, with its version, e.g. {@code "TLC 2.18"}
 * @param source what was checked: a spec file, a model name, an Alloy command
 * @param verdict a few words on why the trace exists, e.g. {@code "invariant NoStale violated"}
 * @param vars the variables, in the order the tool gave them
 * @param steps the states, first to last; step {@code i} has index {@code i}
 * @param ending how the behaviour continues after the last state
 */
public record Trace(String tool, String source, String verdict, List<String> vars, List<Step> steps,
        Ending ending) {

    public Trace {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(verdict, "verdict");
        vars = List.copyOf(vars);
        steps = List.copyOf(steps);
        Objects.requireNonNull(ending, "ending");
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).index() != i) {
                throw new IllegalArgumentException("step " + i + " has index " + steps.get(i).index());
            }
        }
        if (ending instanceof Ending.Loop loop && (loop.toIndex() < 0 || loop.toIndex() >= steps.size())) {
            throw new IllegalArgumentException("the loop goes back to state " + loop.toIndex()
                    + " but the trace has " + steps.size() + " states");
        }
    }

    /**
     * One state of a trace.
     *
     * @param index the position in the trace, from 0
     * @param action the action that led here, with its arguments where the tool knows them;
     *     {@code "Init"} for an initial state; empty for Alloy steps, which have no action names
     * @param location where the action is defined, if the tool said (TLC gives a module position)
     * @param values the value of every variable in this state
     */
    public record Step(int index, String action, Optional<String> location, Map<String, TlaValue> values) {
        public Step {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(location, "location");
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        }

        public TlaValue value(String var) {
            TlaValue v = values.get(var);
            if (v == null) {
                throw new IllegalArgumentException("state " + index + " has no variable " + var
                        + "; it has " + values.keySet());
            }
            return v;
        }
    }

    /** How a behaviour continues after its last state. */
    public sealed interface Ending permits Ending.Finite, Ending.Loop, Ending.Stuttering {
        /** The trace ends here: a safety violation, a deadlock, or an Alloy instance without a loop. */
        record Finite() implements Ending {
        }

        /**
         * The last state steps back to the state with index {@code toIndex}, by {@code action} if
         * the tool named it (TLC's "Back to state"; Alloy's loop state).
         */
        record Loop(int toIndex, String action) implements Ending {
        }

        /** The behaviour stutters forever in its last state (TLC's "Stuttering"). */
        record Stuttering() implements Ending {
        }
    }

    public static final Ending FINITE = new Ending.Finite();

    /** The number of states. */
    public int length() {
        return steps.size();
    }

    /** The last state. */
    public Step last() {
        return steps.get(steps.size() - 1);
    }

    /** The loop index for ITF's {@code loop} field, if the behaviour is a lasso. */
    public OptionalInt loopIndex() {
        if (ending instanceof Ending.Loop l) {
            return OptionalInt.of(l.toIndex());
        }
        if (ending instanceof Ending.Stuttering) {
            return OptionalInt.of(steps.size() - 1);
        }
        return OptionalInt.empty();
    }

    /** All model values that occur anywhere in the trace; ITF writes them as strings. */
    public Set<String> modelValues() {
        Set<String> out = new LinkedHashSet<>();
        for (Step s : steps) {
            for (TlaValue v : s.values().values()) {
                collectModelValues(v, out);
            }
        }
        return out;
    }

    private static void collectModelValues(TlaValue v, Set<String> out) {
        if (v instanceof TlaValue.ModelValue m) {
            out.add(m.name());
        } else if (v instanceof TlaValue.SetValue s) {
            s.elements().forEach(e -> collectModelValues(e, out));
        } else if (v instanceof TlaValue.Seq s) {
            s.elements().forEach(e -> collectModelValues(e, out));
        } else if (v instanceof TlaValue.Tuple t) {
            t.elements().forEach(e -> collectModelValues(e, out));
        } else if (v instanceof TlaValue.Record r) {
            r.fields().values().forEach(e -> collectModelValues(e, out));
        } else if (v instanceof TlaValue.Fun f) {
            f.entries().forEach((k, x) -> {
                collectModelValues(k, out);
                collectModelValues(x, out);
            });
        }
    }

    /** A builder that numbers steps as they are added. */
    public static Builder builder(String tool, String source, String verdict) {
        return new Builder(tool, source, verdict);
    }

    /** Collects the states of a trace in order. */
    public static final class Builder {
        private final String tool;
        private final String source;
        private final String verdict;
        private final List<Step> steps = new ArrayList<>();
        private List<String> vars;
        private Ending ending = FINITE;

        private Builder(String tool, String source, String verdict) {
            this.tool = tool;
            this.source = source;
            this.verdict = verdict;
        }

        public Builder vars(List<String> vars) {
            this.vars = List.copyOf(vars);
            return this;
        }

        public Builder step(String action, Optional<String> location, Map<String, TlaValue> values) {
            if (vars == null) {
                vars = List.copyOf(values.keySet());
            }
            steps.add(new Step(steps.size(), action, location, values));
            return this;
        }

        public Builder ending(Ending ending) {
            this.ending = ending;
            return this;
        }

        public int size() {
            return steps.size();
        }

        public Trace build() {
            return new Trace(tool, source, verdict, vars == null ? List.of() : vars, steps, ending);
        }
    }
}
