package dev.mkspec.specs.coverage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.Fixtures;
import dev.mkspec.specs.coverage.AreaCoverage.BranchCoverage;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tlc.TlcListener;
import dev.mkspec.specs.tlc.TlcOutputInterpreter;
import dev.mkspec.specs.tlc.TlcResult;
import dev.mkspec.specs.tlc.ToolOutputReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The union of coverage over runs, on TLC 2.18's own output for fixtures/tla/Branches.tla (captured
 * by fixtures/tlc-output/capture.sh: branches-ok.out and branches-bug.out).
 */
class AreaCoverageTests {

    private static AreaCoverage.Run run(String name) {
        Path spec = Fixtures.fixture("tla/Branches.tla");
        Path cfg = Fixtures.fixture("tla/Branches_" + name + ".cfg");
        TlcOutputInterpreter interpreter = new TlcOutputInterpreter(spec, cfg, TlcListener.NONE);
        ToolOutputReader reader = new ToolOutputReader(interpreter);
        Fixtures.read("tlc-output/branches-" + name + ".out").lines().forEach(reader::accept);
        reader.finish();
        TlcResult r = interpreter.result(0, false, null, Duration.ofSeconds(1), Optional.empty());
        return AreaCoverage.Run.of("tlc:Branches/" + name, CfgParser.parse(cfg), r.coverage(), r.expressions());
    }

    private static AreaCoverage.Result coverage(List<AreaCoverage.Run> runs) {
        TlaSource source = TlaSource.read(Optional.empty(), Fixtures.read("tla/Branches.tla"));
        return AreaCoverage.compute("Branches", List.of(source), List.of(), runs);
    }

    private static BranchCoverage branch(AreaCoverage.Result r, String text) {
        return r.branches().stream().filter(b -> b.branch().text().equals(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no branch " + text + " in " + r.branches()));
    }

    @Test
    void theInterpreterReadsTlcsExpressionLinesWithTheirNesting() {
        AreaCoverage.Run ok = run("ok");
        assertEquals(List.of("Step", "Reset"), ok.actions().stream().filter(a -> !a.initial()).map(a -> a.action()).toList());
        var ifLine = ok.expressions().stream().filter(e -> e.span().line() == 20 && e.span().column() == 13).findFirst()
                .orElseThrow();
        assertEquals(1, ifLine.level());
        assertEquals(3, ifLine.count());
        assertTrue(ok.expressions().stream().anyMatch(e -> e.property() && e.owner().startsWith("Small")),
                "the invariant's coverage is read too");
    }

    @Test
    void aBranchNoRunTakesIsUncoveredWithWhereAndWhy() {
        AreaCoverage.Result r = coverage(List.of(run("ok"), run("bug")));
        assertTrue(r.uncoveredActions().isEmpty());
        BranchCoverage never = branch(r, "THEN 0");
        assertTrue(never.uncovered(), never.why());
        assertEquals(20, never.branch().position().line());
        assertEquals(30, never.branch().position().column(), "the THEN keyword");
        assertEquals(35, never.branch().expression().column());
        assertTrue(never.why().startsWith("never taken"), never.why());
        assertFalse(r.complete());
        assertTrue(r.uncoveredBranches().contains(never));
    }

    @Test
    void aBugVariantsSwitchCountsAsTakenOnlyWhenTheVariantFoundItsViolation() {
        String text = "---- MODULE Sw ----\nCONSTANT Bug\nVARIABLE x\nInit == x = 0\n"
                + "Up == x' = IF Bug = \"stuck\" THEN x ELSE x + 1\n"
                + "Down == x' = CASE Bug = \"back\" -> x - 1 [] OTHER -> x + 1\n"
                + "Odd == x' = IF x % 2 = 1 /\\ Bug = \"odd\" THEN 0 ELSE x\n"
                + "Spec == Init /\\ [][Up \\/ Down \\/ Odd]_x\n====\n";
        TlaSource source = TlaSource.read(Optional.empty(), text);
        assertEquals(List.of(Optional.of("stuck"), Optional.empty(), Optional.of("back"), Optional.empty(),
                Optional.empty(), Optional.empty()), source.branches().stream().map(TlaSource.Branch::bugHook).toList(),
                "only a condition that is exactly Bug = \"x\" is a switch");
        // A run with coverage that reports nothing of the switches (as a good configuration's
        // would not take them).
        AreaCoverage.Run good = new AreaCoverage.Run("tlc:Sw/ok", java.util.Set.of("Spec"), java.util.Set.of(),
                List.of(), List.of());
        AreaCoverage.Result without = AreaCoverage.compute("Sw", List.of(source), List.of(), List.of(good));
        BranchCoverage stuck = without.branches().stream().filter(b -> b.branch().text().equals("THEN x")).findFirst()
                .orElseThrow();
        assertTrue(stuck.uncovered(), stuck.why());
        assertTrue(stuck.why().contains("no fast check of that variant"), stuck.why());

        AreaCoverage.Result with = AreaCoverage.compute("Sw", List.of(source), List.of(), List.of(good),
                java.util.Map.of("stuck", "tlc:Sw/bug_stuck"));
        BranchCoverage counted = with.branches().stream().filter(b -> b.branch().text().equals("THEN x")).findFirst()
                .orElseThrow();
        assertTrue(counted.taken());
        assertEquals(Optional.of("tlc:Sw/bug_stuck"), counted.variant());
        assertTrue(counted.why().contains("tlc:Sw/bug_stuck found the violation"), counted.why());
        assertEquals(List.of(counted), with.takenByVariant());
        // The variant "back" found nothing (or has no check): its arm is still uncovered.
        assertTrue(with.uncoveredBranches().stream().anyMatch(b -> b.branch().bugHook().equals(Optional.of("back"))));
    }

    @Test
    void theUnionCountsABranchOnlyTheBugVariantTakes() {
        BranchCoverage skip = branch(coverage(List.of(run("ok"))), "THEN x + 2");
        assertTrue(skip.uncovered(), "the good configuration never steps by two: " + skip.why());
        BranchCoverage union = branch(coverage(List.of(run("ok"), run("bug"))), "THEN x + 2");
        assertTrue(union.taken());
        assertEquals(Optional.of("tlc:Branches/bug"), union.takenBy());
    }

    @Test
    void caseArmsAreTakenByTheirValueAndOtherByItsLine() {
        AreaCoverage.Result r = coverage(List.of(run("ok"), run("bug")));
        assertTrue(branch(r, "[] OTHER -> x - 1").taken());
        BranchCoverage unreachable = branch(r, "[] x = Limit + 7 -> Limit + 1");
        assertFalse(unreachable.taken());
        assertTrue(unreachable.unknown(), "TLC prints the arm as one line, its guard tried once: " + unreachable.why());
        assertFalse(r.uncoveredBranches().contains(unreachable), "a branch TLC folded is listed apart, not failed");
    }

    @Test
    void branchesOfAnInvariantAreListedApartAndNeverFail() {
        AreaCoverage.Result r = coverage(List.of(run("ok")));
        BranchCoverage inv = branch(r, "THEN FALSE");
        assertEquals(AreaCoverage.Scope.PROPERTY_ONLY, inv.scope());
        assertFalse(r.uncoveredBranches().contains(inv));
        assertTrue(r.notJudged().contains(inv));
    }

    /**
     * TLC counts a called operator at its definition, not at the call: a branch that only calls
     * one, whose body the run reports evaluated, is not judged (the run may have taken it, or
     * another call), and one whose callee never ran is uncovered.
     */
    @Test
    void aBranchThatCallsAnOperatorIsJudgedByItsCallee() {
        String text = String.join("\n",
                "---- MODULE Calls ----",
                "VARIABLE x",
                "Fail(r) == x' = r",
                "Never(r) == x' = r + 1",
                "Init == x = 0",
                "Next == IF x = 0 THEN Fail(1) ELSE Never(2)",
                "====");
        TlaSource source = TlaSource.read(Optional.empty(), text);
        var failBody = new dev.mkspec.specs.tlc.ExpressionCoverage.Span("Calls", 3, 12, 3, 17);
        var condition = new dev.mkspec.specs.tlc.ExpressionCoverage.Span("Calls", 6, 12, 6, 16);
        AreaCoverage.Run run = new AreaCoverage.Run("tlc:Calls/ok", java.util.Set.of("Init", "Next"), java.util.Set.of(),
                List.of(), List.of(new dev.mkspec.specs.tlc.ExpressionCoverage("Next", false, 0, condition, 2, 0),
                        new dev.mkspec.specs.tlc.ExpressionCoverage("Next", false, 0, failBody, 1, 0)));
        AreaCoverage.Result r = AreaCoverage.compute("Calls", List.of(source), List.of(), List.of(run));
        BranchCoverage fail = r.branches().stream().filter(b -> b.branch().text().contains("Fail")).findFirst().orElseThrow();
        BranchCoverage never = r.branches().stream().filter(b -> b.branch().text().contains("Never")).findFirst().orElseThrow();
        assertTrue(fail.unknown(), fail.why());
        assertTrue(fail.why().contains("the operator it calls counted at its definition"), fail.why());
        assertTrue(never.uncovered(), never.why());
    }
}
