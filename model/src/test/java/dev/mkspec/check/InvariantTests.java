package dev.mkspec.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InvariantTests {
    private static final Invariant<Integer> SMALL_EVEN = Invariant.allOf("X-1", "SmallEven", List.of(
            new Invariant.Conjunct<>("x < 10", x -> x < 10),
            new Invariant.Conjunct<>("x % 2 = 0", x -> x % 2 == 0)));

    @Test
    void anInvariantOfNamedConjunctsHoldsExactlyWhenEveryConjunctDoes() {
        assertTrue(SMALL_EVEN.holds().test(4));
        assertFalse(SMALL_EVEN.holds().test(5));
        assertFalse(SMALL_EVEN.holds().test(12));
        assertFalse(SMALL_EVEN.holds().test(13));
    }

    @Test
    void theFailingConjunctIsTheFirstFalseOneInTheSpecsOrder() {
        assertEquals(Optional.empty(), SMALL_EVEN.failingConjunct(4));
        assertEquals(Optional.of("x % 2 = 0"), SMALL_EVEN.failingConjunct(5));
        assertEquals(Optional.of("x < 10"), SMALL_EVEN.failingConjunct(13));
    }

    @Test
    void anInvariantWithoutConjunctsNamesNone() {
        Invariant<Integer> plain = new Invariant<>("X-2", "Small", x -> x < 10);
        assertEquals(List.of(), plain.conjuncts());
        assertEquals(Optional.empty(), plain.failingConjunct(20));
    }
}
