package dev.mkspec.specs.coverage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.coverage.TlaSource.Branch;
import dev.mkspec.specs.coverage.TlaSource.BranchKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The branch finder: where each THEN, ELSE and CASE arm starts and ends, as TLC gives positions. */
class TlaSourceTests {

    private static TlaSource module(String body) {
        return TlaSource.read(Optional.empty(), "---- MODULE M ----\nEXTENDS Naturals\nVARIABLES x, y\n" + body + "\n====\n");
    }

    /** Each branch as {@code kind line:col-endLine:endCol text}, in the order of the text. */
    private static List<String> branches(TlaSource s) {
        return s.branches().stream()
                .sorted(java.util.Comparator.comparingInt((Branch b) -> b.position().line())
                        .thenComparingInt(b -> b.position().column()))
                .map(b -> b.kind() + " " + b.expression().line() + ":" + b.expression().column() + "-"
                        + b.expression().endLine() + ":" + b.expression().endColumn() + " " + b.text())
                .toList();
    }

    @Test
    void nestedIfsInTheThenAndElseBranchesEachGetTheirOwnBranches() {
        TlaSource s = module("F(a, b) == IF a THEN IF b THEN 1 ELSE 2 ELSE IF b THEN 3 ELSE 4 + x");
        assertEquals(List.of(
                "THEN 4:22-4:39 THEN IF b THEN 1 ELSE 2",
                "THEN 4:32-4:32 THEN 1",
                "ELSE 4:39-4:39 ELSE 2",
                "ELSE 4:46-4:67 ELSE IF b THEN 3 ELSE 4 + x",
                "THEN 4:56-4:56 THEN 3",
                "ELSE 4:63-4:67 ELSE 4 + x"), branches(s));
        assertTrue(s.branches().stream().filter(b -> b.text().equals("THEN 1")).findFirst().orElseThrow().literal());
        assertEquals("F", s.branches().get(0).definition());
    }

    @Test
    void anElseEndsAtTheNextBulletOfTheEnclosingListAndAtClosingBrackets() {
        TlaSource s = module("""
                A ==
                    /\\ x' = IF x > 1 THEN 0
                            ELSE x + 1
                    /\\ y' = [i \\in 1..2 |-> IF i = 1 THEN y ELSE i]
                """);
        assertEquals(List.of(
                "THEN 5:27-5:27 THEN 0",
                "ELSE 6:18-6:22 ELSE x + 1",
                "THEN 7:43-7:43 THEN y",
                "ELSE 7:50-7:50 ELSE i"), branches(s));
    }

    @Test
    void aThenBranchThatIsAListEndsAtItsElseEvenLeftOfTheList() {
        TlaSource s = module("""
                B ==
                    /\\ IF x = 0 THEN y' = 1
                       ELSE IF x = 1 THEN
                          /\\ y' = 2
                          /\\ x' = 0
                       ELSE UNCHANGED y
                    /\\ UNCHANGED x
                """);
        List<String> b = branches(s);
        assertEquals("ELSE 6:13-9:23 ELSE IF x = 1 THEN /\\ y' = 2 /\\ x' = 0 ELSE UNCHANGED y", b.get(1));
        assertEquals("THEN 7:11-8:19 THEN /\\ y' = 2 /\\ x' = 0", b.get(2));
        assertEquals("ELSE 9:13-9:23 ELSE UNCHANGED y", b.get(3));
    }

    @Test
    void everyArmOfACaseIsABranchAndOtherIsMarked() {
        TlaSource s = module("""
                C == CASE x = 1 -> "one"
                       [] x = 2 -> IF y THEN 2 ELSE 3
                       [] OTHER -> 0
                """);
        List<Branch> arms = s.branches().stream().filter(b -> b.kind() == BranchKind.CASE_ARM
                || b.kind() == BranchKind.CASE_OTHER).toList();
        assertEquals(3, arms.size());
        assertEquals(List.of("CASE x = 1 -> \"one\"", "[] x = 2 -> IF y THEN 2 ELSE 3", "[] OTHER -> 0"),
                arms.stream().map(Branch::text).toList());
        assertEquals(BranchKind.CASE_OTHER, arms.get(2).kind());
        assertEquals(6, arms.get(2).position().line());
        assertEquals(11, arms.get(2).position().column());
        assertEquals(5, s.branches().size(), "the IF inside the second arm has its own two branches");
    }

    @Test
    void commentsAndStringsHoldNoBranches() {
        TlaSource s = module("""
                \\* IF a THEN b ELSE c
                (* IF a THEN b ELSE c (* nested *) CASE x -> y *)
                S == "IF a THEN b ELSE \\"c\\""
                T == IF x THEN "ELSE" ELSE "THEN" \\* ELSE
                """);
        assertEquals(List.of("THEN 7:16-7:21 THEN \"ELSE\"", "ELSE 7:28-7:33 ELSE \"THEN\""), branches(s));
    }

    @Test
    void letDefinitionsEndWhereTheNextDefinitionOrInStarts() {
        TlaSource s = module("""
                L == LET a == IF x THEN 1 ELSE y
                         b == a + 1
                     IN  IF b > 2 THEN b ELSE a
                """);
        assertEquals(List.of(
                "THEN 4:25-4:25 THEN 1",
                "ELSE 4:32-4:32 ELSE y",
                "THEN 6:24-6:24 THEN b",
                "ELSE 6:31-6:31 ELSE a"), branches(s));
    }

    @Test
    void definitionsKnowTheirArityAndTheNamesTheyUse() {
        TlaSource s = module("""
                Inc(v) == v + 1
                Next == \\E i \\in 1..2, j \\in 1..2 : x' = Inc(x) /\\ UNCHANGED y
                Spec == x = 0 /\\ [][Next]_<<x, y>> /\\ WF_x(Next)
                Rec == [f |-> x, g : y]
                """);
        assertEquals(1, s.definitions().get("Inc").arity());
        assertTrue(s.definitions().get("Next").references().contains("Inc"), "the comma of the bounds does not end Next");
        assertTrue(s.definitions().get("Spec").references().contains("Next"));
        assertEquals(java.util.Set.of("x", "y"), s.variables());
        assertFalse(s.definitions().get("Rec").references().contains("f"), "record fields are not references");
    }
    @Test
    void letNamesThatTwoDefinitionsShareAndThatNameEachOtherEndTheSearch() {
        // LET names are not scoped: F's "to" names "w", G's "w" names "to". Reading the bodies
        // recursively never ended (a StackOverflowError in the coverage pass); each is read once.
        TlaSource s = module("""
                F(d) == LET to == <<d, w + 1>> IN to
                G(e) == LET w == to[2] IN w + x
                H == LET to == y IN to
                """);
        var g = s.definitions().get("G");
        assertTrue(s.identifiersIn(g.span()).containsAll(java.util.Set.of("to", "w", "x", "d", "y")));
    }
}
