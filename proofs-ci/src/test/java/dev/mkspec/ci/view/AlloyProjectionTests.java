package dev.mkspec.ci.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.tla.TlaValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlloyProjectionTests {
    private static TlaValue tup(String... atoms) {
        return new TlaValue.Tuple(java.util.Arrays.stream(atoms).map(a -> (TlaValue) TlaValue.str(a)).toList());
    }

    @Test
    void eachStateAtomGetsAFrameWithItsTuplesWithoutTheStateColumn() {
        Map<String, TlaValue> v = new LinkedHashMap<>();
        v.put("State", TlaValue.set(TlaValue.str("State$0"), TlaValue.str("State$1")));
        v.put("Entry", TlaValue.set(TlaValue.str("Entry$0")));
        v.put("owner", TlaValue.SetValue.of(List.of(tup("State$0", "Entry$0", "Domain$0"), tup("State$1", "Entry$0", "Domain$1"))));
        v.put("live", TlaValue.SetValue.of(List.of(tup("State$1", "Entry$0"))));
        v.put("holder", TlaValue.SetValue.of(List.of(tup("Entry$0", "Domain$0"))));
        v.put("$Witness_s", TlaValue.set(TlaValue.str("State$1")));
        Map<String, Map<String, TlaValue>> frames = AlloyProjection.overState(v).orElseThrow();
        assertEquals(List.of("State$0", "State$1"), List.copyOf(frames.keySet()));
        assertEquals(TlaValue.SetValue.of(List.of(tup("Entry$0", "Domain$0"))), frames.get("State$0").get("owner"));
        assertEquals(TlaValue.SetValue.of(List.of()), frames.get("State$0").get("live"));
        assertEquals(TlaValue.set(TlaValue.str("Entry$0")), frames.get("State$1").get("live"));
        assertEquals(v.get("holder"), frames.get("State$1").get("holder"), "a relation of other signatures is in every frame");
        assertTrue(!frames.get("State$1").containsKey("State") && !frames.get("State$1").containsKey("$Witness_s"));
        assertEquals(List.of("$Witness_s"), AlloyProjection.namesOf(v, "State$1"));
    }

    @Test
    void anInstanceWithoutAStateSignatureIsNotProjected() {
        Map<String, TlaValue> v = new LinkedHashMap<>();
        v.put("holder", TlaValue.SetValue.of(List.of(tup("Entry$0", "Domain$0"))));
        assertTrue(AlloyProjection.overState(v).isEmpty());
    }
}
