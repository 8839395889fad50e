package dev.mkspec.refinement;

import dev.mkspec.check.Action;
import dev.mkspec.check.ExplorationObserver;
import dev.mkspec.check.ExplorationResult;
import dev.mkspec.check.Explorer;
import dev.mkspec.check.ExplorerOptions;
import dev.mkspec.check.StateMachine;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tla.TlaValueParser;
import dev.mkspec.specs.tlc.StateGraph;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Explores a Java model and records its labelled state graph, with every state rendered in TLA+
 * syntax and parsed as TLC's output is, so that it compares with TLC's graph value by value.
 * Edges are labelled with the action's name only, as TLC labels them.
 *
 * @param <S> the model's state type
 */
public final class ExplorerGraph<S> {
    private final StateMachine<S> model;
    private final Map<Long, S> states = new ConcurrentHashMap<>();
    private final Set<Long> initial = ConcurrentHashMap.newKeySet();
    private final Set<RawEdge> edges = ConcurrentHashMap.newKeySet();

    private record RawEdge(long from, String action, long to) {
    }

    private ExplorerGraph(StateMachine<S> model) {
        this.model = model;
    }

    /** The result of exploring with the graph recorded. */
    public record Recorded<S>(ExplorationResult<S> result, StateGraph graph) {
    }

    /** Explores {@code model} to the end and returns its result and its graph. */
    public static <S> Recorded<S> explore(StateMachine<S> model, ExplorerOptions options) {
        ExplorerGraph<S> g = new ExplorerGraph<>(model);
        ExplorationResult<S> r = Explorer.explore(model, options, new ExplorationObserver<>() {
            @Override
            public boolean wantsGraph() {
                return true;
            }

            @Override
            public void state(S state, long fingerprint, int depth) {
                g.states.put(fingerprint, state);
                if (depth == 1) {
                    g.initial.add(fingerprint);
                }
            }

            @Override
            public void edge(long from, Action action, long to) {
                g.edges.add(new RawEdge(from, action.name(), to));
            }
        });
        return new Recorded<>(r, g.toGraph());
    }

    private StateGraph toGraph() {
        Map<Long, Map<String, TlaValue>> values = new LinkedHashMap<>();
        states.forEach((fp, s) -> values.put(fp, valuesOf(model, s)));
        Set<Map<String, TlaValue>> init = new HashSet<>();
        initial.forEach(fp -> init.add(values.get(fp)));
        Set<StateGraph.Edge> out = new HashSet<>();
        for (RawEdge e : edges) {
            Map<String, TlaValue> from = values.get(e.from());
            Map<String, TlaValue> to = values.get(e.to());
            if (from != null && to != null) {
                out.add(new StateGraph.Edge(from, e.action(), to));
            }
        }
        return new StateGraph(new HashSet<>(values.values()), init, out);
    }

    /** A model state as TLC would print it, parsed and normalized. */
    public static <S> Map<String, TlaValue> valuesOf(StateMachine<S> model, S state) {
        Map<String, TlaValue> out = new LinkedHashMap<>();
        model.render(state).forEach((k, v) -> out.put(k, TlaValueParser.parse(v)));
        return StateGraph.normalized(out);
    }
}
