package dev.mkspec.specs.tla;

import static dev.mkspec.specs.tla.TlaValue.integer;
import static dev.mkspec.specs.tla.TlaValue.model;
import static dev.mkspec.specs.tla.TlaValue.seq;
import static dev.mkspec.specs.tla.TlaValue.set;
import static dev.mkspec.specs.tla.TlaValue.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlaValueParserTests {

    @Test
    void readsEveryScalarKind() {
        assertEquals(integer(42), TlaValueParser.parse("42"));
        assertEquals(integer(-7), TlaValueParser.parse("-7"));
        assertEquals(new TlaValue.Int(new BigInteger("123456789012345678901234567890")),
                TlaValueParser.parse("123456789012345678901234567890"));
        assertEquals(TlaValue.Bool.TRUE, TlaValueParser.parse("TRUE"));
        assertEquals(TlaValue.Bool.FALSE, TlaValueParser.parse("FALSE"));
        assertEquals(str("say \"hi\"\\ now"), TlaValueParser.parse("\"say \\\"hi\\\"\\\\ now\""));
        assertEquals(str("tab\tnl\n"), TlaValueParser.parse("\"tab\\tnl\\n\""));
        assertEquals(model("f1"), TlaValueParser.parse("f1"));
        assertEquals(model("Node$0"), TlaValueParser.parse("Node$0"));
    }

    @Test
    void readsCollectionsAndSortsSets() {
        assertEquals(set(integer(1), integer(2), integer(3)), TlaValueParser.parse("{3, 1, 2, 1}"));
        assertEquals(set(), TlaValueParser.parse("{}"));
        assertEquals(seq(integer(1), str("two"), model("b")), TlaValueParser.parse("<<1, \"two\", b>>"));
        assertEquals(seq(), TlaValueParser.parse("<<>>"));
        assertEquals(seq(), TlaValueParser.parse("<< >>"));
        TlaValue rec = TlaValueParser.parse("[frame |-> 3, rights |-> {\"w\", \"r\"}]");
        assertInstanceOf(TlaValue.Record.class, rec);
        assertEquals(set(str("r"), str("w")), ((TlaValue.Record) rec).get("rights"));
    }

    @Test
    void readsTlcFunctionsWithColonGreaterAndDoubleAt() {
        TlaValue f = TlaValueParser.parse("(a :> 1 @@ b :> 2)");
        Map<TlaValue, TlaValue> expected = new LinkedHashMap<>();
        expected.put(model("a"), integer(1));
        expected.put(model("b"), integer(2));
        assertEquals(new TlaValue.Fun(expected), f);
        assertEquals(new TlaValue.Fun(Map.of(model("a"), integer(1))), TlaValueParser.parse("(a :> 1)"));
        TlaValue nested = TlaValueParser.parse("(a :> <<<<>>, {c}>> @@ b :> <<<<>>, {}>>)");
        assertEquals(seq(seq(), set(model("c"))), ((TlaValue.Fun) nested).apply(model("a")));
    }

    @Test
    void expandsTheLazySetsTlcPrints() {
        assertEquals(set(integer(1), integer(2), integer(3)), TlaValueParser.parse("1..3"));
        assertEquals(set(), TlaValueParser.parse("3..1"));
        assertEquals(set(set(), set(integer(1)), set(integer(2)), set(integer(1), integer(2))),
                TlaValueParser.parse("SUBSET {1, 2}"));
        TlaValue fs = TlaValueParser.parse("[{a} -> {1, 2}]");
        assertEquals(2, ((TlaValue.SetValue) fs).size());
        TlaValue rs = TlaValueParser.parse("[r : {1, 2}, s : {TRUE}]");
        assertEquals(2, ((TlaValue.SetValue) rs).size());
        assertEquals(4, ((TlaValue.SetValue) TlaValueParser.parse("{1, 2} \\X {a, b}")).size());
        assertEquals(set(TlaValue.Bool.FALSE, TlaValue.Bool.TRUE), TlaValueParser.parse("BOOLEAN"));
        assertEquals(new TlaValue.Opaque("Nat"), TlaValueParser.parse("Nat"));
        assertInstanceOf(TlaValue.Opaque.class, TlaValueParser.parse("1..1000000000"));
    }

    @Test
    void readsMultiLineValuesAsTlcPrettyPrintsThem() {
        String printed = "<< 1..3,\n   {{}, {1}, {2}, {1, 2}},\n   {(a :> 1), (a :> 2)},\n"
                + "   {[r |-> 1], [r |-> 2]},\n   \"tab\\tnl\\n\" >>";
        TlaValue v = TlaValueParser.parse(printed);
        assertEquals(5, ((TlaValue.Seq) v).elements().size());
    }

    @Test
    void readsAStateAsTlcPrintsIt() {
        Map<String, TlaValue> s = TlaValueParser.parseState("/\\ tlb = f1\n/\\ pt = \"none\"\n/\\ free = {f1}\n");
        assertEquals(model("f1"), s.get("tlb"));
        assertEquals(str("none"), s.get("pt"));
        assertEquals(set(model("f1")), s.get("free"));
        assertEquals(java.util.List.of("tlb", "pt", "free"), java.util.List.copyOf(s.keySet()));
        assertEquals(Map.of("x", integer(3)), TlaValueParser.parseState("x = 3"));
    }

    @Test
    void tupleFunctionAndRecordFormsAreEqualByMeaning() {
        TlaValue tuple = TlaValueParser.parse("<<TRUE, FALSE>>");
        TlaValue fn = TlaValueParser.parse("(1 :> TRUE @@ 2 :> FALSE)");
        assertNotEquals(tuple, fn);
        assertEquals(tuple.normalize(), fn.normalize());
        TlaValue rec = TlaValueParser.parse("[a |-> 1]");
        TlaValue strFn = TlaValueParser.parse("(\"a\" :> 1)");
        assertEquals(rec.normalize(), strFn.normalize());
        assertEquals(TlaValueParser.parse("<<>>").normalize(), new TlaValue.Fun(Map.of()).normalize());
        assertEquals(new TlaValue.Tuple(java.util.List.of(integer(1))).normalize(), seq(integer(1)).normalize());
    }

    @Test
    void rejectsMalformedTextWithItsOffset() {
        MkspecException e = assertThrows(MkspecException.class, () -> TlaValueParser.parse("{1, 2"));
        assertEquals(Problem.TLA_VALUE_SYNTAX, e.problem());
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
        assertThrows(MkspecException.class, () -> TlaValueParser.parse("\"open"));
        assertThrows(MkspecException.class, () -> TlaValueParser.parse("[a |-> 1, a |-> 2]"));
        assertThrows(MkspecException.class, () -> TlaValueParser.parse("1 2"));
        assertThrows(MkspecException.class, () -> TlaValueParser.parse(""));
    }
}
