package dev.mkspec.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ActionTests {
    @Test
    void aLazyActionRendersItsArgumentsOnceAndOnlyWhenRead() {
        AtomicInteger renders = new AtomicInteger();
        Action a = Action.lazy("Map", () -> {
            renders.incrementAndGet();
            return List.of("s1", "0");
        });
        assertEquals("Map", a.name());
        assertEquals(0, renders.get(), "the name alone renders nothing");
        assertEquals("Map(s1, 0)", a.toString());
        assertEquals(List.of("s1", "0"), a.args());
        assertEquals(1, renders.get());
    }

    @Test
    void actionsAreEqualByNameAndArgumentsHoweverMade() {
        Action eager = new Action("Map", List.of("s1", "0"));
        assertEquals(eager, Action.lazy("Map", () -> List.of("s1", "0")));
        assertEquals(eager, Action.lazyOf("Map", "s1", 0));
        assertEquals(eager, Action.of("Map", "s1", 0));
        assertEquals(eager.hashCode(), Action.lazyOf("Map", "s1", 0).hashCode());
        assertNotEquals(eager, Action.lazyOf("Map", "s1", 1));
        assertNotEquals(eager, Action.lazyOf("Grant", "s1", 0));
    }
}
