package dev.mkspec.refinement;

import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tlc.StateGraph;
import java.util.ArrayList;
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
        List<String> diffs = new ArrayList<>();
        first(left.states(), right.states(), GraphComparison::show)
                .ifPresent(s -> diffs.add("state only " + leftName + " has: " + s));
        first(right.states(), left.states(), GraphComparison::show)
                .ifPresent(s -> diffs.add("state only " + rightName + " has: " + s));
        first(left.initial(), right.initial(), GraphComparison::show)
                .ifPresent(s -> diffs.add("initial state only " + leftName + " has: " + s));
        first(right.initial(), left.initial(), GraphComparison::show)
                .ifPresent(s -> diffs.add("initial state only " + rightName + " has: " + s));
        first(left.edges(), right.edges(), GraphComparison::show)
                .ifPresent(e -> diffs.add("edge only " + leftName + " has: " + e));
        first(right.edges(), left.edges(), GraphComparison::show)
                .ifPresent(e -> diffs.add("edge only " + rightName + " has: " + e));
        return new GraphComparison(diffs.isEmpty(), left.states().size(), right.states().size(), left.edges().size(),
                right.edges().size(), diffs);
    }

    /** The smallest element, by its shown form, of {@code a} that {@code b} lacks. */
    private static <T> Optional<String> first(Set<T> a, Set<T> b, java.util.function.Function<T, String> show) {
        String best = null;
        for (T x : a) {
            if (!b.contains(x)) {
                String s = show.apply(x);
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
