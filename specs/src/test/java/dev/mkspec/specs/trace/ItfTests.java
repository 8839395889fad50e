package dev.mkspec.specs.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tla.TlaValueParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ItfTests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Trace sample() {
        Map<String, TlaValue> s0 = new LinkedHashMap<>();
        s0.put("pt", TlaValueParser.parse("(s1 :> [frame |-> f1, rights |-> {\"r\", \"w\"}])"));
        s0.put("free", TlaValueParser.parse("{}"));
        s0.put("log", TlaValueParser.parse("<<1, \"x\", TRUE>>"));
        s0.put("rel", new TlaValue.Tuple(List.of(TlaValue.model("Node$0"), TlaValue.integer(123456789012345L))));
        s0.put("big", TlaValueParser.parse("{}"));
        Map<String, TlaValue> s1 = new LinkedHashMap<>(s0);
        s1.put("free", TlaValueParser.parse("{f1}"));
        s1.put("big", new TlaValue.Opaque("Nat"));
        return Trace.builder("TLC 2.18", "Spec.tla", "invariant violated: NoStale")
                .vars(List.of("pt", "free", "log", "rel", "big"))
                .step("Init", Optional.empty(), s0)
                .step("Unmap", Optional.of("line 3, col 1 to line 4, col 2 of module Spec"), s1)
                .ending(new Trace.Ending.Loop(0, "Map"))
                .build();
    }

    @Test
    void writesTheEncodingsOfAdr015() throws Exception {
        JsonNode root = JSON.readTree(ItfWriter.toJson(sample()));
        assertEquals("ITF", root.path("#meta").path("format").asText());
        assertEquals(List.of("pt", "free", "log", "rel", "big"),
                JSON.convertValue(root.path("vars"), List.class));
        JsonNode s0 = root.path("states").get(0);
        assertEquals(0, s0.path("#meta").path("index").asInt());
        assertEquals("Init", s0.path("#meta").path("action").asText());
        JsonNode pt = s0.path("pt");
        assertTrue(pt.has("#map"));
        JsonNode entry = pt.get("#map").get(0);
        assertEquals("s1", entry.get(0).asText());
        assertEquals("f1", entry.get(1).path("frame").asText());
        assertTrue(entry.get(1).path("rights").has("#set"));
        assertTrue(s0.path("log").isArray());
        assertEquals("1", s0.path("log").get(0).path("#bigint").asText());
        assertTrue(s0.path("rel").has("#tup"));
        assertEquals("123456789012345", s0.path("rel").get("#tup").get(1).path("#bigint").asText());
        assertEquals("Nat", root.path("states").get(1).path("big").path("#unserializable").asText());
        assertEquals(0, root.path("loop").asInt());
        assertTrue(JSON.convertValue(root.path("#meta").path("modelValues"), List.class).contains("f1"));
    }

    @Test
    void readingWhatWasWrittenGivesTheSameTrace() {
        Trace t = sample();
        Trace back = ItfReader.fromJson(ItfWriter.toJson(t), "test");
        assertEquals(t, back);
    }

    @Test
    void readsApalacheStyleTracesWithPlainNumbers() {
        String json = "{\"vars\":[\"x\",\"s\"],\"states\":[{\"#meta\":{\"index\":0},\"x\":3,\"s\":{\"#set\":[1,2]}},"
                + "{\"x\":{\"#bigint\":\"4\"},\"s\":{\"#set\":[]}}],\"loop\":1}";
        Trace t = ItfReader.fromJson(json, "apalache.itf.json");
        assertEquals(2, t.length());
        assertEquals(TlaValue.integer(4), t.last().value("x"));
        assertInstanceOf(Trace.Ending.Loop.class, t.ending());
        assertEquals("Init", t.steps().get(0).action());
    }

    @Test
    void rejectsJsonThatIsNotATrace() {
        assertThrows(MkspecException.class, () -> ItfReader.fromJson("{\"x\": 1}", "x.json"));
        assertThrows(MkspecException.class, () -> ItfReader.fromJson("not json", "x.json"));
    }

    @Test
    void theTextTableShowsOnlyWhatChangedDownToTheKey() {
        String table = TraceTable.render(sample());
        assertTrue(table.startsWith("invariant violated: NoStale  (TLC 2.18, Spec.tla, 2 states)"), table);
        List<String> lines = table.lines().toList();
        String unmapRow = lines.stream().filter(l -> l.contains("Unmap")).findFirst().orElseThrow();
        assertTrue(unmapRow.contains("free = {f1}   (added f1)"), unmapRow);
        assertFalse(table.contains("pt = (s1") && lines.indexOf(unmapRow) > 0
                && lines.get(lines.indexOf(unmapRow)).contains("pt"), "pt did not change in step 1");
        assertTrue(table.contains("back to state 0 by Map, forever"), table);
    }

    @Test
    void nestedChangesAreShownAtTheKeyThatChanged() {
        Map<String, TlaValue> a = Map.of("pt", TlaValueParser.parse("(s1 :> (v1 :> f1 @@ v2 :> f2))"));
        Map<String, TlaValue> b = Map.of("pt", TlaValueParser.parse("(s1 :> (v1 :> f1 @@ v2 :> f3))"));
        Trace t = Trace.builder("explorer", "m", "").step("Init", Optional.empty(), a)
                .step("Map(s1, v2)", Optional.empty(), b).build();
        assertTrue(TraceTable.render(t).contains("pt[s1][v2] = f3"), TraceTable.render(t));
    }
}
