package dev.mkspec.specs.tla;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every kind of value TLC prints survives printing and parsing. */
class TlaValueRoundTripProperties {

    @Property(tries = 500)
    void aPrintedValueParsesBackToAnEqualValue(@ForAll("values") TlaValue v) {
        assertEquals(v.normalize(), TlaValueParser.parse(v.toTla()).normalize());
    }

    @Property(tries = 300)
    void normalizingTwiceChangesNothing(@ForAll("values") TlaValue v) {
        assertEquals(v.normalize(), v.normalize().normalize());
    }

    @Provide
    Arbitrary<TlaValue> values() {
        return value(3);
    }

    private Arbitrary<TlaValue> value(int depth) {
        Arbitrary<TlaValue> scalar = Arbitraries.oneOf(
                Arbitraries.integers().between(-1000, 1000).map(i -> (TlaValue) TlaValue.integer(i)),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(20).negate(), BigInteger.TEN.pow(20))
                        .map(i -> (TlaValue) new TlaValue.Int(i)),
                Arbitraries.strings().withChars("ab \"\\\n\t").ofMaxLength(6).map(s -> (TlaValue) TlaValue.str(s)),
                Arbitraries.of(true, false).map(b -> (TlaValue) TlaValue.bool(b)),
                Arbitraries.of("a", "b", "s1", "v_2", "Node$0").map(n -> (TlaValue) TlaValue.model(n)));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<TlaValue> inner = value(depth - 1);
        Arbitrary<List<TlaValue>> lists = inner.list().ofMaxSize(3);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, scalar),
                net.jqwik.api.Tuple.of(1, lists.map(l -> (TlaValue) TlaValue.SetValue.of(l))),
                net.jqwik.api.Tuple.of(1, lists.map(l -> (TlaValue) new TlaValue.Seq(l))),
                net.jqwik.api.Tuple.of(1, lists.map(l -> (TlaValue) new TlaValue.Tuple(l))),
                net.jqwik.api.Tuple.of(1, Arbitraries.maps(Arbitraries.of("frame", "rights", "owner"), inner)
                        .ofMinSize(1).ofMaxSize(3).map(m -> (TlaValue) new TlaValue.Record(m))),
                net.jqwik.api.Tuple.of(1, Arbitraries.maps(scalar, inner).ofMaxSize(3)
                        .map(m -> (TlaValue) new TlaValue.Fun(new LinkedHashMap<>(m)))));
    }

    @Property(tries = 50)
    void aLongSetPrintsSorted(@ForAll List<@net.jqwik.api.constraints.IntRange(min = -50, max = 50) Integer> xs) {
        List<TlaValue> vs = xs.stream().map(i -> (TlaValue) TlaValue.integer(i)).toList();
        TlaValue.SetValue s = TlaValue.SetValue.of(vs);
        for (int i = 1; i < s.size(); i++) {
            assertEquals(-1, Integer.signum(s.elements().get(i - 1).compareTo(s.elements().get(i))));
        }
        assertEquals(s, TlaValueParser.parse(s.toTla()));
        Map<TlaValue, TlaValue> m = new LinkedHashMap<>();
        vs.forEach(v -> m.put(v, v));
        assertEquals(new TlaValue.Fun(m).normalize(), TlaValueParser.parse(new TlaValue.Fun(m).toTla()).normalize());
    }
}
