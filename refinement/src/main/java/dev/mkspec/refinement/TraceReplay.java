package dev.mkspec.refinement;

import dev.mkspec.check.StateMachine;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tlc.StateGraph;
import dev.mkspec.specs.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replays a trace (TLC's counterexample, an ITF file) in a Java model: the first state must be one
 * of the model's initial states, and each later state a successor of the one before, by an action
 * of the same name. States are matched by value, as {@link ExplorerGraph} renders them. A TLC
 * trace that replays shows that the model can take the very steps TLC took; one that does not
 * points at the first step where the two disagree.
 */
public final class TraceReplay {
    private TraceReplay() {
    }

    /**
     * The outcome of a replay.
     *
     * @param replayed whether every step was matched
     * @param steps how many states were matched, from the first
     * @param message what happened, or at which step and why the replay stopped
     * @param states the model's states for the matched steps
     * @param <S> the state type
     */
    public record Result<S>(boolean replayed, int steps, String message, List<S> states) {
        public Result {
            states = List.copyOf(states);
        }
    }

    /** Replays {@code trace} in {@code model}. */
    public static <S> Result<S> replay(StateMachine<S> model, Trace trace) {
        return replay(model, trace, trace.source());
    }

    /**
     * Replays {@code trace} in {@code model}; {@code origin} names the trace (its file) in messages.
     *
     * @throws dev.mkspec.specs.MkspecException ({@link Problem#TRACE_INVALID}) if the trace's states do
     *     not hold the model's variables
     */
    public static <S> Result<S> replay(StateMachine<S> model, Trace trace, String origin) {
        List<S> states = new ArrayList<>();
        if (trace.length() == 0) {
            return new Result<>(false, 0, "the trace has no states", states);
        }
        checkVariables(model, trace, origin);
        Map<String, TlaValue> first = StateGraph.normalized(trace.steps().get(0).values());
        Optional<S> init = model.initialStates().stream()
                .filter(s -> ExplorerGraph.valuesOf(model, s).equals(first)).findFirst();
        if (init.isEmpty()) {
            return new Result<>(false, 0, "state 0 of the trace is not an initial state of " + model.name(), states);
        }
        states.add(init.get());
        for (int i = 1; i < trace.length(); i++) {
            Trace.Step step = trace.steps().get(i);
            Map<String, TlaValue> want = StateGraph.normalized(step.values());
            String action = actionName(step.action());
            S from = states.get(i - 1);
            List<S> found = new ArrayList<>(1);
            List<String> names = new ArrayList<>();
            model.successors(from, (a, next) -> {
                if (found.isEmpty() && (action.isEmpty() || a.name().equals(action))
                        && ExplorerGraph.valuesOf(model, next).equals(want)) {
                    found.add(next);
                }
                if (!names.contains(a.name())) {
                    names.add(a.name());
                }
            });
            if (found.isEmpty()) {
                return new Result<>(false, i, mismatch(model, from, i, step.action(), action, want, names), states);
            }
            states.add(found.get(0));
        }
        if (trace.ending() instanceof Trace.Ending.Loop loop) {
            Map<String, TlaValue> back = StateGraph.normalized(trace.steps().get(loop.toIndex()).values());
            boolean[] closes = new boolean[1];
            model.successors(states.get(states.size() - 1), (a, next) -> closes[0] |= ExplorerGraph.valuesOf(model, next).equals(back));
            if (!closes[0]) {
                return new Result<>(false, trace.length(), "the loop back to state " + loop.toIndex()
                        + " is not a step of " + model.name(), states);
            }
        }
        return new Result<>(true, trace.length(), "all " + trace.length() + " states replay in " + model.name(), states);
    }

    /**
     * Refuses a trace whose states do not hold exactly the model's variables: a trace of another
     * model, or a state with a variable missing (a hand-edited or truncated file). A replay would
     * only say that some step "is not a step", which hides the cause.
     *
     * @throws dev.mkspec.specs.MkspecException ({@link Problem#TRACE_INVALID}) naming the state and variables
     */
    static <S> void checkVariables(StateMachine<S> model, Trace trace, String origin) {
        List<S> initial = model.initialStates();
        if (initial.isEmpty()) {
            return;
        }
        Set<String> vars = new TreeSet<>(ExplorerGraph.valuesOf(model, initial.get(0)).keySet());
        for (int i = 0; i < trace.length(); i++) {
            Set<String> have = new TreeSet<>(trace.steps().get(i).values().keySet());
            if (have.equals(vars)) {
                continue;
            }
            Set<String> missing = new TreeSet<>(vars);
            missing.removeAll(have);
            Set<String> extra = new TreeSet<>(have);
            extra.removeAll(vars);
            if (i == 0 && missing.size() == vars.size()) {
                throw Problem.TRACE_INVALID.exception(origin + ": this is not a trace of " + model.name()
                        + ": its variables are " + have + ", and " + model.name() + "'s are " + vars
                        + "; pass the model the trace came from with --model");
            }
            throw Problem.TRACE_INVALID.exception(origin + ": state " + i + " of the trace "
                    + (missing.isEmpty() ? "" : "lacks the variable" + (missing.size() == 1 ? " " : "s ") + missing)
                    + (missing.isEmpty() || extra.isEmpty() ? "" : " and ")
                    + (extra.isEmpty() ? "" : "has variables " + model.name() + " does not know: " + extra)
                    + "; " + model.name() + "'s variables are " + vars);
        }
    }

    /**
     * Why step {@code i} is not a step of the model, naming what is wrong: an action the model does
     * not have, an action not enabled in the state before, or the variables in which the closest
     * successor by that action differs from the trace's state.
     */
    private static <S> String mismatch(StateMachine<S> model, S from, int i, String label, String action,
            Map<String, TlaValue> want, List<String> names) {
        String head = "step " + i + " (" + label + ") is not a step of " + model.name() + " from state " + (i - 1) + ": ";
        List<String> all = model.actionSchemas().stream().map(dev.mkspec.check.ActionSchema::name).toList();
        if (!action.isEmpty() && !all.isEmpty() && !all.contains(action)) {
            return head + model.name() + " has no action named " + action + " (the field #meta.action); its actions are " + all;
        }
        if (!action.isEmpty() && !names.contains(action)) {
            return head + action + " is not enabled there; the actions enabled there are " + names;
        }
        List<String> closest = null;
        List<S> nexts = new ArrayList<>();
        model.successors(from, (a, next) -> {
            if (action.isEmpty() || a.name().equals(action)) {
                nexts.add(next);
            }
        });
        for (S next : nexts) {
            Map<String, TlaValue> got = ExplorerGraph.valuesOf(model, next);
            List<String> differ = new ArrayList<>();
            for (String var : new TreeSet<>(want.keySet())) {
                if (!java.util.Objects.equals(want.get(var), got.get(var))) {
                    differ.add(var);
                }
            }
            if (closest == null || differ.size() < closest.size()) {
                closest = differ;
            }
        }
        return head + "no " + (action.isEmpty() ? "step" : action + " step") + " leads to the trace's state"
                + (closest == null ? "" : "; the closest differs in the variable" + (closest.size() == 1 ? " " : "s ") + closest)
                + "; the model's actions there are " + names;
    }

    /** {@code SpaceMap(s1, 0, ...)} and {@code SpaceMap} both name the action {@code SpaceMap}. */
    static String actionName(String label) {
        if (label.equals("Init")) {
            return "";
        }
        int paren = label.indexOf('(');
        return paren < 0 ? label : label.substring(0, paren);
    }
}
