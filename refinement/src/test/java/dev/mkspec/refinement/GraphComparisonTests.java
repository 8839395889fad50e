package dev.mkspec.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tla.TlaValueParser;
import dev.mkspec.specs.tlc.StateGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphComparisonTests {

    /** A state from TLA+ text per variable, built afresh each time (graphs never share state objects). */
    private static Map<String, TlaValue> state(String x, String y) {
        Map<String, TlaValue> s = new LinkedHashMap<>();
        s.put("x", TlaValueParser.parse(x));
        s.put("y", TlaValueParser.parse(y));
        return StateGraph.normalized(s);
    }

    /** s0 --A--> s1 --B--> s2, with states whose values are swapped between the variables. */
    private static StateGraph chain(String lastAction) {
        Map<String, TlaValue> s0 = state("[t1 |-> 1, t2 |-> 2]", "{1, 2}");
        Map<String, TlaValue> s1 = state("[t1 |-> 2, t2 |-> 1]", "{1, 2}");
        Map<String, TlaValue> s2 = state("{1, 2}", "[t1 |-> 1, t2 |-> 2]");
        return new StateGraph(Set.of(s0, s1, s2), Set.of(s0),
                Set.of(new StateGraph.Edge(s0, "A", s1), new StateGraph.Edge(s1, lastAction, s2)));
    }

    @Test
    void graphsBuiltApartFromEqualValuesAreEqual() {
        GraphComparison c = GraphComparison.compare(chain("B"), "TLC", chain("B"), "the explorer");
        assertTrue(c.equal(), c.summary());
        assertEquals(List.of(), c.differences());
        assertEquals(3, c.leftStates());
        assertEquals(2, c.rightEdges());
    }

    @Test
    void anEdgeWithAnotherLabelIsNamedOnBothSides() {
        GraphComparison c = GraphComparison.compare(chain("B"), "TLC", chain("C"), "the explorer");
        assertFalse(c.equal());
        assertEquals(2, c.differences().size(), c.summary());
        assertTrue(c.differences().get(0).startsWith("edge only TLC has: ") && c.differences().get(0).contains("--B-->"),
                c.differences().get(0));
        assertTrue(c.differences().get(1).startsWith("edge only the explorer has: ")
                && c.differences().get(1).contains("--C-->"), c.differences().get(1));
    }

    @Test
    void aMissingStateIsNamedWithItsValues() {
        StateGraph left = chain("B");
        Map<String, TlaValue> s0 = state("[t1 |-> 1, t2 |-> 2]", "{1, 2}");
        StateGraph right = new StateGraph(Set.of(s0), Set.of(s0), Set.of());
        GraphComparison c = GraphComparison.compare(left, "TLC", right, "the explorer");
        assertFalse(c.equal());
        assertEquals("state only TLC has: x = [t1 |-> 2, t2 |-> 1] /\\ y = {1, 2}", c.differences().get(0));
        assertTrue(c.differences().stream().anyMatch(d -> d.startsWith("edge only TLC has: ")), c.summary());
        assertFalse(c.differences().stream().anyMatch(d -> d.contains("only the explorer has")), c.summary());
    }
}
