package dev.mkspec.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.ActionSchema.Param;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActionSchemaTests {
    private static final ActionSchema MOVE = ActionSchema.of("Move", new Param("who", List.of("a", "b")),
            new Param("to", List.of("0", "1", "2")));

    @Test
    void theInstancesAreTheCartesianProductWithTheLastParameterFastest() {
        assertEquals(6, MOVE.size());
        assertEquals(List.of(Action.of("Move", "a", "0"), Action.of("Move", "a", "1"), Action.of("Move", "a", "2"),
                Action.of("Move", "b", "0"), Action.of("Move", "b", "1"), Action.of("Move", "b", "2")), MOVE.instances());
        assertEquals(List.of(Action.of("Tick")), ActionSchema.of("Tick").instances(), "no parameters: one instance");
        assertEquals(List.of(), ActionSchema.of("Signal", new Param("b", List.of())).instances(), "an empty domain: none");
    }

    @Test
    void anActionIsDecodedToThePositionsOfItsArguments() {
        assertArrayEquals(new int[] {1, 2}, MOVE.positions(Action.of("Move", "b", "2")));
    }

    @Test
    void aMalformedActionIsRefusedWithWhatWasExpected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MOVE.positions(Action.of("Move", "a")))
                .getMessage().contains("[who, to]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MOVE.positions(Action.of("Move", "c", "0")))
                .getMessage().contains("[a, b]"));
        assertThrows(IllegalArgumentException.class, () -> MOVE.positions(Action.of("Stay", "a", "0")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ActionSchema.named(List.of(MOVE), "Fly"))
                .getMessage().contains("[Move]"));
    }

    @Test
    void aModelThatNamesNoGuardsSaysSoByDefault() {
        StateMachine<List<Integer>> counters = Systems.counters(2, 2, List.of());
        assertEquals(List.of(), counters.actionSchemas());
        assertEquals(Optional.empty(), counters.guards(List.of(0, 0), Action.of("Inc", 0)));
    }

    @Test
    void aLogKeepsTheGuardsInOrder() {
        Guard.Log log = new Guard.Log();
        assertTrue(log.check("x > 0", true));
        assertEquals(false, log.check("y > 0", false));
        assertEquals(List.of(new Guard("x > 0", true), new Guard("y > 0", false)), log.guards());
        assertEquals(false, Guard.Recorder.NONE.check("z", false));
    }
}
