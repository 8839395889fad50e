package dev.mkspec.specs.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MutantGeneratorTests {
    private static String module(String body) {
        return "---- MODULE M ----\nEXTENDS Naturals\nCONSTANTS Bug\nVARIABLES x, S\n" + body + "\n====\n";
    }

    private static List<Mutant> mutants(String body, MutationOperator... ops) {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("M.tla", module(body));
        return MutantGenerator.generate(modules, "Next", Set.of("Inv"),
                ops.length == 0 ? EnumSet.allOf(MutationOperator.class) : EnumSet.of(ops[0], ops), Optional.empty());
    }

    private static List<String> afters(String body, MutationOperator... ops) {
        return mutants(body, ops).stream().map(Mutant::after).toList();
    }

    @Test
    void dropsEachConjunctOfABulletedList() {
        List<Mutant> ms = mutants("Next == /\\ x < 3\n        /\\ x' = x + 1", MutationOperator.DROP_CONJUNCT);
        assertEquals(2, ms.size());
        assertEquals("Next == /\\ x < 3", ms.get(0).before());
        assertFalse(ms.get(0).mutatedText().contains("x < 3"));
        assertFalse(ms.get(1).mutatedText().contains("x' = x + 1"));
        assertEquals("Next", ms.get(0).action());
        assertEquals("M.tla:5:9", ms.get(0).location());
    }

    @Test
    void dropsEitherSideOfAnInfixConjunction() {
        assertEquals(List.of("Next == x' = x + 1", "Next == x < 3"),
                afters("Next == x < 3 /\\ x' = x + 1", MutationOperator.DROP_CONJUNCT));
    }

    @Test
    void replacesSetOperators() {
        assertEquals(List.of("Next == S' = (S \\ {x}) \\cap (S \\ {1})",
                "Next == S' = (S \\cup {x}) \\cup (S \\ {1})",
                "Next == S' = (S \\cup {x}) \\cap (S \\cup {1})"),
                afters("Next == S' = (S \\cup {x}) \\cap (S \\ {1})", MutationOperator.SET_OPERATOR));
        assertEquals(List.of("Next == x = S /\\ S' = S"),
                afters("Next == x \\subseteq S /\\ S' = S", MutationOperator.SET_OPERATOR));
    }

    @Test
    void shrinksSets() {
        List<String> a = afters("Next == S' = S \\cup {x} /\\ x' = {1, 2, 3}", MutationOperator.SET_SHRINK);
        assertTrue(a.contains("Next == S' = S /\\ x' = {1, 2, 3}"), a.toString());
        assertTrue(a.contains("Next == S' = S \\cup {x} /\\ x' = {1}"), a.toString());
        assertTrue(afters("Next == S' = S \\ {x} /\\ x' = x", MutationOperator.SET_SHRINK)
                .contains("Next == S' = S /\\ x' = x"));
    }

    @Test
    void negatesGuardsButNotAssignmentsOrBinders() {
        List<String> a = afters("Next == /\\ x < 3\n        /\\ x \\in S\n        /\\ \\E i \\in S : x' = i",
                MutationOperator.NEGATE_GUARD);
        assertTrue(a.contains("Next == /\\ x <= 3"), a.toString());
        assertTrue(a.contains("Next == /\\ ~(x < 3)"), a.toString());
        assertTrue(a.contains("/\\ x \\notin S"), a.toString());
        assertFalse(a.stream().anyMatch(s -> s.contains("\\E i \\notin")), a.toString());
        assertFalse(a.stream().anyMatch(s -> s.contains("x' #")), a.toString());
        assertTrue(afters("Next == ~(x = 1) /\\ x' = x", MutationOperator.NEGATE_GUARD)
                .containsAll(List.of("Next == (x = 1) /\\ x' = x", "Next == ~(x # 1) /\\ x' = x")));
        assertTrue(afters("Next == x >= 1 /\\ x' = x", MutationOperator.NEGATE_GUARD).contains("Next == x > 1 /\\ x' = x"));
    }

    @Test
    void keepsAPrimedVariablesOldValue() {
        assertEquals(List.of("Next == /\\ x' = x", "/\\ S' = S"),
                afters("Next == /\\ x' = x + 1\n        /\\ S' = [S EXCEPT ![1] = 2]", MutationOperator.UNCHANGED));
    }

    @Test
    void swapsSimpleArgumentsOfTheSameKind() {
        List<String> a = afters("F(a, b, c) == a' = b + c\nNext == F(x, S, 1)", MutationOperator.SWAP_ARGS);
        assertEquals(List.of("Next == F(S, x, 1)"), a);
    }

    @Test
    void quantifiesOverASubset() {
        List<String> a = afters("Next == \\E i \\in S, j \\in 1..3 : x' = i + j", MutationOperator.QUANTIFIER_SUBSET);
        assertEquals(2, a.size());
        assertTrue(a.get(0).startsWith("Next == \\E i \\in (LET mkspecS == S IN"), a.get(0));
        assertTrue(a.get(1).contains("LET mkspecS == 1..3 IN"), a.get(1));
    }

    @Test
    void swapsIfBranchesByNegatingTheCondition() {
        assertEquals(List.of("Next == x' = IF ~(x < 3) THEN x + 1 ELSE 0"),
                afters("Next == x' = IF x < 3 THEN x + 1 ELSE 0", MutationOperator.IF_SWAP));
    }

    @Test
    void shiftsArithmeticByOne() {
        assertEquals(List.of("Next == S' = [S EXCEPT ![1] = @]", "Next == S' = [S EXCEPT ![1] = @ - 1]"),
                afters("Next == S' = [S EXCEPT ![1] = @ + 1]", MutationOperator.ARITHMETIC));
        assertEquals(List.of("Next == x' = x + 2"), afters("Next == x' = x - 2", MutationOperator.ARITHMETIC));
    }

    @Test
    void leavesCommentsAndStringsAlone() {
        String body = "Next == /\\ x' = x + 1 \\* x < 3 \\cup {y}\n        (* y # z /\\ w *)\n        /\\ S' = {\"a = b\", \"c\"}";
        List<Mutant> ms = mutants(body);
        assertFalse(ms.isEmpty());
        for (Mutant m : ms) {
            assertTrue(m.mutatedText().contains("\\* x < 3 \\cup {y}"), m.diff());
            assertTrue(m.mutatedText().contains("(* y # z /\\ w *)"), m.diff());
            assertTrue(m.mutatedText().contains("\"a = b\"") || m.operator() == MutationOperator.DROP_CONJUNCT
                    || m.operator() == MutationOperator.UNCHANGED,
                    m.diff());
        }
    }

    @Test
    void skipsWhatMentionsBugAndTheBranchOnlyABugTakes() {
        String body = "Next == /\\ x' = IF Bug = \"stuck\" THEN x ELSE x + 1\n        /\\ S' = IF Bug # \"grow\" THEN S ELSE S \\cup {x}";
        List<Mutant> ms = mutants(body);
        assertFalse(ms.isEmpty());
        for (Mutant m : ms) {
            assertTrue(m.mutatedText().contains("IF Bug = \"stuck\" THEN x ELSE"), m.diff());
            assertTrue(m.mutatedText().contains("IF Bug # \"grow\" THEN"), m.diff());
            assertTrue(m.mutatedText().contains("ELSE S \\cup {x}"), m.diff());
        }
        // The real branch of the first IF is mutated.
        assertTrue(ms.stream().anyMatch(m -> m.after().contains("ELSE x - 1")));
    }

    @Test
    void skipsWhatOnlyABugVariantSeesBehindAnInfixGuard() {
        // FlushShootdown's Shrunk had "\\/ (Bug = \"shoot_grown\" /\\ new # old)": mutating "new # old" gave two
        // mutants that only the bug variant could tell apart, judged equivalent every time.
        String body = "Next == /\\ x' = x + 1\n        /\\ S' = {n \\in S : n > x \\/ (Bug = \"grow\" /\\ n # x)}\n"
                + "        /\\ Bug = \"keep\" => x > 2\n        /\\ Bug # \"drop\" /\\ x < 9";
        List<Mutant> ms = mutants(body);
        for (Mutant m : ms) {
            assertTrue(m.mutatedText().contains("(Bug = \"grow\" /\\ n # x)"), m.diff());
            assertTrue(m.mutatedText().contains("Bug = \"keep\" => x > 2"), m.diff());
        }
        // What counts when the bug is off is still mutated: the guard outside the switch, and the
        // conjunct after Bug # "drop".
        assertTrue(ms.stream().anyMatch(m -> m.after().contains("n <= x") || m.after().contains("n >= x")), ms.toString());
        assertTrue(ms.stream().anyMatch(m -> m.after().contains("x <= 9")), ms.toString());
    }

    @Test
    void aQuantifierOverSeveralVariablesIsOneOperand() {
        // Ipc's ItemOk "/\\ ~\\E i, j \\in is : P" gave "~(~\\E i), j \\in is : P" and a dropped "~\\E i": parse errors.
        String body = "Next == /\\ x' = x + 1\n        /\\ ~\\E i, j \\in S : i + j = x\n        /\\ x < 3";
        List<Mutant> ms = mutants(body);
        assertTrue(ms.stream().anyMatch(m -> m.after().contains("/\\ \\E i, j \\in S : i + j = x")
                || m.after().contains("~(~\\E i, j \\in S : i + j = x)")), ms.toString());
        for (Mutant m : ms) {
            assertFalse(m.after().contains("~\\E i)") || m.after().strip().startsWith(", j") || m.after().contains("/\\ , j"),
                    m.diff());
        }
    }

    @Test
    void skipsWhatOnlyABugVariantSeesBeforeAnInfixGuard() {
        // Ipc's ItemOk had "(item.kind = \"map\" /\\ Bug = \"map_item_unchecked\") \\/ <rights check>": the two
        // mutants of item.kind = "map" were judged equivalent every time.
        String body = "Next == /\\ x' = x + 1\n        /\\ (x = 1 /\\ Bug = \"one\") \\/ x > 2\n"
                + "        /\\ x < 7 \\/ Bug # \"seven\"\n        /\\ Bug # \"nine\" \\/ x < 9";
        List<Mutant> ms = mutants(body);
        for (Mutant m : ms) {
            // Each switch with its bug-only operand is left whole, or dropped with its conjunct.
            String text = m.mutatedText();
            assertTrue(!text.contains("\"one\"") || text.contains("(x = 1 /\\ Bug = \"one\")"), m.diff());
            assertTrue(!text.contains("\"seven\"") || text.contains("x < 7 \\/ Bug # \"seven\""), m.diff());
            assertTrue(!text.contains("\"nine\"") || text.contains("Bug # \"nine\" \\/ x < 9"), m.diff());
        }
        // The real guard beside the switch is still mutated.
        assertTrue(ms.stream().anyMatch(m -> m.after().contains("Bug = \"one\") \\/ x") && !m.after().contains("x > 2")),
                ms.toString());
    }

    @Test
    void mutatesOnlyWhatNextReachesAndNeverInvariants() {
        String body = "TypeOK == x \\in Nat\nInit == x = 0\nHelper(n) == n + 1\nUnused == x' = x + 5\n"
                + "Inv == x < 10\nNext == x' = Helper(x) /\\ Inv";
        Set<String> actions = new HashSet<>();
        mutants(body).forEach(m -> actions.add(m.action()));
        assertEquals(Set.of("Next", "Helper"), actions);
    }

    @Test
    void followsExtendsOfLocalModulesAndIsDeterministicWithoutDuplicates() {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("MCM.tla", "---- MODULE MCM ----\nEXTENDS M, TLC\nLimit == 3\n====\n");
        modules.put("M.tla", module("Next == /\\ x < 3\n        /\\ x' = x + 1"));
        List<Mutant> a = MutantGenerator.generate(modules, "Next", Set.of(), EnumSet.allOf(MutationOperator.class),
                Optional.empty());
        List<Mutant> b = MutantGenerator.generate(modules, "Next", Set.of(), EnumSet.allOf(MutationOperator.class),
                Optional.empty());
        assertFalse(a.isEmpty());
        assertEquals(a, b);
        assertTrue(a.stream().allMatch(m -> m.module().equals("M.tla")));
        assertEquals(a.size(), a.stream().map(Mutant::mutatedText).distinct().count());
    }
}
