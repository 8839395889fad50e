package dev.mkspec.refinement;

import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tlc.StateGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares two labelled state graphs, TLC's and the explorer's: the same states, the same
 * initial states, and the same edges with the same action labels. Where they differ, it names the
 * first state or edge (in a fixed order) that only one of them has.
 *
 * @param equal whether the graphs are the same
 * @param leftStates states in the left graph
 * @param rightStates states in the right graph
 * @param leftEdges edges in the left graph
 * @param rightEdges edges in the right graph
 * @param differences what differs, one line each, at most a few of each kind
 */
public record GraphComparison(boolean equal, int leftStates, int rightStates, int leftEdges, int rightEdges,
        List<String> differences) {

    public GraphComparison {
        differences = List.copyOf(differences);
    }

    /**
     * @param left the first graph, named {@code leftName} in messages (e.g. "TLC")
     * @param right the second, named {@code rightName} (e.g. "the explorer")
     */
    public static GraphComparison compare(StateGraph left, String leftName, StateGraph right, String rightName) {
        // Every state gets one number, found by one deep comparison per state; the edges are then
        // compared as (number, action, number). Comparing the edges' states value by value instead
        // took most of the time on graphs of hundreds of thousands of edges.
        Map<Map<String, TlaValue>, Integer> ids = new HashMap<>();
        Numbered l = Numbered.of(left, ids);
        Numbered r = Numbered.of(right, ids);
        List<String> diffs = new ArrayList<>();
        first(l.states, r.states, l.stateById, GraphComparison::show)
                .ifPresent(s -> diffs.add("state only " + leftName + " has: " + s));
        first(r.states, l.states, r.stateById, GraphComparison::show)
                .ifPresent(s -> diffs.add("state only " + rightName + " has: " + s));
        first(l.initial, r.initial, l.stateById, GraphComparison::show)
                .ifPresent(s -> diffs.add("initial state only " + leftName + " has: " + s));
        first(r.initial, l.initial, r.stateById, GraphComparison::show)
                .ifPresent(s -> diffs.add("initial state only " + rightName + " has: " + s));
        first(l.edges.keySet(), r.edges.keySet(), l.edges, GraphComparison::show)
                .ifPresent(e -> diffs.add("edge only " + leftName + " has: " + e));
        first(r.edges.keySet(), l.edges.keySet(), r.edges, GraphComparison::show)
                .ifPresent(e -> diffs.add("edge only " + rightName + " has: " + e));
        return new GraphComparison(diffs.isEmpty(), left.states().size(), right.states().size(), left.edges().size(),
                right.edges().size(), diffs);
    }

    /** An edge by the numbers of its states. */
    private record EdgeKey(int from, String action, int to) {
    }

    /** One graph with its states numbered (numbers shared by both graphs: equal states, equal numbers). */
    private record Numbered(Set<Integer> states, Set<Integer> initial, Map<Integer, Map<String, TlaValue>> stateById,
            Map<EdgeKey, StateGraph.Edge> edges) {

        static Numbered of(StateGraph g, Map<Map<String, TlaValue>, Integer> ids) {
            // The graph's edges hold the very state objects of its state set, so after one lookup
            // by value per state the edges are numbered by identity.
            Map<Map<String, TlaValue>, Integer> byIdentity = new IdentityHashMap<>();
            Map<Integer, Map<String, TlaValue>> stateById = new HashMap<>();
            java.util.function.Function<Map<String, TlaValue>, Integer> number = s -> {
                Integer id = byIdentity.get(s);
                if (id == null) {
                    id = ids.computeIfAbsent(s, k -> ids.size());
                    byIdentity.put(s, id);
                    stateById.putIfAbsent(id, s);
                }
                return id;
            };
            Set<Integer> states = new HashSet<>();
            g.states().forEach(s -> states.add(number.apply(s)));
            Set<Integer> initial = new HashSet<>();
            g.initial().forEach(s -> initial.add(number.apply(s)));
            Map<EdgeKey, StateGraph.Edge> edges = new HashMap<>();
            for (StateGraph.Edge e : g.edges()) {
                edges.put(new EdgeKey(number.apply(e.from()), e.action(), number.apply(e.to())), e);
            }
            return new Numbered(states, initial, stateById, edges);
        }
    }

    /** The smallest element, by its shown form, of {@code a} that {@code b} lacks. */
    private static <K, T> Optional<String> first(Set<K> a, Set<K> b, Map<K, T> values,
            java.util.function.Function<T, String> show) {
        String best = null;
        for (K x : a) {
            if (!b.contains(x)) {
                String s = show.apply(values.get(x));
                if (best == null || s.compareTo(best) < 0) {
                    best = s;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    static String show(Map<String, TlaValue> state) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(state).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " /\\ ").append(k).append(" = ").append(v.toTla()));
        return sb.toString();
    }

    static String show(StateGraph.Edge e) {
        return "[" + show(e.from()) + "] --" + e.action() + "--> [" + show(e.to()) + "]";
    }

    /** One line: the sizes, and the first difference if any. */
    public String summary() {
        String sizes = String.format("%,d states and %,d edges against %,d states and %,d edges", leftStates,
                leftEdges, rightStates, rightEdges);
        return equal ? "the same graph: " + sizes : sizes + "; " + String.join("; ", differences);
    }
}
