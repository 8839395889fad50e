package dev.mkspec.refinement;

import dev.mkspec.check.Action;
import dev.mkspec.check.ActionProperty;
import dev.mkspec.check.Invariant;
import dev.mkspec.check.StateMachine;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tlc.StateGraph;
import dev.mkspec.specs.trace.Trace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A trace replayed in a Java model, with every invariant of the model evaluated at every state and
 * every action property at every step: where a property first became false, which the report and
 * the interactive explorer show. A TLC counterexample of an invariant ends at the first state that
 * breaks it, but a lasso, an Alloy-style trace or a hand-built one need not, and a reader wants to
 * see the property's value along the way, not only at the end.
 *
 * <p>Cost: one replay (each step enumerates the successors of the state before it) plus one
 * evaluation of each property per state.
 */
public final class TraceEvaluation {
    private TraceEvaluation() {
    }

    /**
     * The evaluation.
     *
     * @param replay the replay in the model; the values below cover its matched states only
     * @param invariants per matched state, each invariant's TLA+ name and whether it holds
     * @param actions per matched state, the model's action that led there (empty for state 0, and
     *     where several lead there and the trace's label does not say which)
     * @param actionProperties per matched state, each action property's name and whether the step
     *     into it satisfies it (empty for state 0)
     */
    public record Result(TraceReplay.Result<?> replay, List<Map<String, Boolean>> invariants, List<Optional<Action>> actions,
            List<Map<String, Boolean>> actionProperties) {
        public Result {
            invariants = List.copyOf(invariants);
            actions = List.copyOf(actions);
            actionProperties = List.copyOf(actionProperties);
        }

        /** The first state at which the property named {@code name} (invariant or action property) is false. */
        public OptionalInt firstFalse(String name) {
            for (int i = 0; i < invariants.size(); i++) {
                if (Boolean.FALSE.equals(invariants.get(i).get(name)) || Boolean.FALSE.equals(actionProperties.get(i).get(name))) {
                    return OptionalInt.of(i);
                }
            }
            return OptionalInt.empty();
        }
    }

    /** Replays {@code trace} in {@code model} and evaluates the model's properties along it. */
    public static <S> Result evaluate(StateMachine<S> model, Trace trace, String origin) {
        TraceReplay.Result<S> replay = TraceReplay.replay(model, trace, origin);
        List<Map<String, Boolean>> inv = new ArrayList<>();
        List<Optional<Action>> actions = new ArrayList<>();
        List<Map<String, Boolean>> props = new ArrayList<>();
        List<S> states = replay.states();
        for (int i = 0; i < states.size(); i++) {
            S s = states.get(i);
            inv.add(invariants(model, s));
            if (i == 0) {
                actions.add(Optional.empty());
                props.add(Map.of());
                continue;
            }
            S from = states.get(i - 1);
            List<Action> candidates = actionsBetween(model, from, s, trace.steps().get(i).action());
            Optional<Action> a = candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
            actions.add(a);
            props.add(actionProperties(model, from, candidates, s));
        }
        return new Result(replay, inv, actions, props);
    }

    /**
     * Each invariant of {@code model} in {@code s}, by TLA+ name, in the model's order; null for one
     * whose evaluation fails in {@code s} (an availability invariant enumerates the state's
     * successors, which a bug variant's ill-formed state can break), so that the others still show.
     */
    public static <S> Map<String, Boolean> invariants(StateMachine<S> model, S s) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Invariant<S> i : model.invariants()) {
            Boolean v;
            try {
                v = i.holds().test(s);
            } catch (RuntimeException e) {
                v = null;
            }
            out.put(i.name(), v);
        }
        return out;
    }

    /** Each action property of {@code model} on the step {@code from -a-> to}, by TLA+ name. */
    public static <S> Map<String, Boolean> actionProperties(StateMachine<S> model, S from, Action a, S to) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (ActionProperty<S> p : model.actionProperties()) {
            Boolean v;
            try {
                v = p.holds().test(from, a, to);
            } catch (RuntimeException e) {
                v = null;
            }
            out.put(p.name(), v);
        }
        return out;
    }

    /**
     * The actions (with arguments) by which {@code model} steps from {@code from} to {@code to}: the
     * one the trace's label names when it gives arguments (an explorer's or a walk's trace), else
     * every one of that name that leads there. Several can (a map asking for fewer rights than it
     * could, in a bug variant that ignores them).
     */
    private static <S> List<Action> actionsBetween(StateMachine<S> model, S from, S to, String label) {
        String name = TraceReplay.actionName(label);
        Map<String, TlaValue> want = ExplorerGraph.valuesOf(model, to);
        List<Action> found = new ArrayList<>();
        model.successors(from, (a, next) -> {
            if ((name.isEmpty() || a.name().equals(name))
                    && (next.equals(to) || StateGraph.normalized(ExplorerGraph.valuesOf(model, next)).equals(want))) {
                found.add(a);
            }
        });
        List<Action> exact = found.stream().filter(a -> a.toString().equals(label)).limit(1).toList();
        return exact.isEmpty() ? found : exact;
    }

    /**
     * Each action property on the step, judged for every action that may have made it: its value
     * where they all agree, null where they do not (the trace does not say which was taken) or
     * where none is known.
     */
    private static <S> Map<String, Boolean> actionProperties(StateMachine<S> model, S from, List<Action> candidates, S to) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (int k = 0; k < candidates.size(); k++) {
            Map<String, Boolean> one = actionProperties(model, from, candidates.get(k), to);
            if (k == 0) {
                out.putAll(one);
            } else {
                one.forEach((name, v) -> {
                    if (!java.util.Objects.equals(out.get(name), v)) {
                        out.put(name, null);
                    }
                });
            }
        }
        return out;
    }
}
