package dev.mkspec.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mkspec check} judges the fast profile's coverage: a tiny spec (fixtures/tla/Branches.tla)
 * whose Step has an IF branch no behaviour reaches.
 */
class CoverageCheckTests {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An area of one spec NAME.tla with a good cfg NAME_ok.cfg (4 states) and a bug cfg
     * NAME_bug.cfg named {@code bug}, expected to come out as {@code bugExpect} (a JSON object).
     */
    private static void area(Path root, String name, String description, String bug, String bugExpect) {
        Path area = root.resolve("specs/tla/" + name);
        TestFixtures.copy(area, "tla/" + name + ".tla", "tla/" + name + "_ok.cfg", "tla/" + name + "_bug.cfg");
        TestFixtures.write(area.resolve("manifest.json"), """
                { "description": "%1$s",
                  "models": [
                    { "name": "ok", "spec": "%2$s.tla", "config": "%2$s_ok.cfg", "workers": 1,
                      "expect": { "result": "success", "distinctStates": 4 } },
                    { "name": "%3$s", "spec": "%2$s.tla", "config": "%2$s_bug.cfg", "workers": 1,
                      "expect": %4$s }
                  ] }
                """.formatted(description, name, bug, bugExpect));
    }

    private static void repository(Path root) {
        area(root, "Branches", "a counter with an unreachable branch", "bug_skip_odd", "{ \"result\": \"success\" }");
    }

    @Test
    void anUnreachableBranchFailsThePlanWithItsPositionAndNoCoverageOrASubsetDoesNot(@TempDir Path root)
            throws Exception {
        repository(root);
        CheckCommandTests.Run r = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("coverage: Branches has 0 of 2 actions and "), r.out());
        assertTrue(r.out().contains("specs/tla/Branches/Branches.tla:20:30  THEN 0"), r.out());
        assertTrue(r.out().contains("2 checks: 2 passed"), "the checks themselves pass: " + r.out());
        JsonNode report = JSON.readTree(Files.readString(root.resolve("target/mkspec/report.json")));
        JsonNode cov = report.path("coverage");
        assertEquals("judged", cov.path("state").asText());
        assertEquals(false, cov.path("ok").asBoolean());
        JsonNode area = cov.path("areas").get(0);
        assertEquals("Branches", area.path("area").asText());
        assertEquals("specs/tla/Branches/Branches.tla:20:30", area.path("uncoveredBranches").get(0).path("at").asText());
        assertTrue(Files.readString(root.resolve("target/mkspec/summary.md")).contains("## Coverage"));

        CheckCommandTests.Run off = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1",
                "--no-coverage");
        assertEquals(0, off.exit(), off.out() + off.err());
        assertTrue(off.out().contains("coverage was not collected (--no-coverage)"), off.out());

        CheckCommandTests.Run subset = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1",
                "--only", "tlc:Branches/ok");
        assertEquals(0, subset.exit(), subset.out() + subset.err());
        assertTrue(subset.out().contains("coverage was not judged: --only 'tlc:Branches/ok' runs 1 of the 2"),
                subset.out());
    }

    private static void switchRepository(Path root, String violated) {
        area(root, "Switch", "a counter with a bug variant's switch", "bug_jump",
                "{ \"result\": \"invariant violated\", \"violated\": \"" + violated + "\" }");
    }

    @Test
    void aBugVariantRunsWithoutCoverageAndItsViolationCountsItsSwitch(@TempDir Path root) throws Exception {
        switchRepository(root, "Small");
        CheckCommandTests.Run r = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("coverage: every action (1) and branch (1) of Switch is taken by the fast profile"),
                r.out());
        assertTrue(r.out().contains("1 of the branches taken is a bug variant's switch"), r.out());
        // The ELSE, which the good configuration always takes, TLC folds into the IF.
        assertTrue(r.out().contains("not judged, 1 branch TLC reported only in aggregate"), r.out());
        String bugLog = Files.readString(root.resolve("target/mkspec/logs/tlc-Switch-bug_jump.log"));
        assertTrue(!bugLog.contains("coverage statistics"), "the bug variant ran without -coverage");
        assertTrue(Files.readString(root.resolve("target/mkspec/logs/tlc-Switch-ok.log")).contains("coverage statistics"));
    }

    @Test
    void onlyTheAreasWhoseFastChecksAllRunAreJudged(@TempDir Path root) throws Exception {
        repository(root);
        switchRepository(root, "Small");
        // Branches' unreachable branch would fail the plan; with --only on Switch, only Switch is judged.
        CheckCommandTests.Run r = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1",
                "--only", "tlc:Switch/*");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("coverage judged for Switch only (--only runs all of their fast TLC checks); "
                + "not judged: Branches."), r.out());
        assertTrue(r.out().contains("coverage: every action (1) and branch (1) of Switch is taken"), r.out());
        assertTrue(!r.out().contains("coverage: Branches"), r.out());
        JsonNode cov = JSON.readTree(Files.readString(root.resolve("target/mkspec/report.json"))).path("coverage");
        assertEquals("judged", cov.path("state").asText());
        assertEquals(1, cov.path("areas").size());
        assertTrue(cov.path("scope").asText().contains("not judged: Branches"), cov.toString());

        CheckCommandTests.Run both = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1",
                "--only", "tlc:");
        assertEquals(1, both.exit(), "all of both areas: Branches' branch fails: " + both.out());
        assertTrue(!both.out().contains("coverage judged for"), both.out());
    }

    @Test
    void aSwitchWhoseVariantMissesItsViolationIsNotTaken(@TempDir Path root) throws Exception {
        switchRepository(root, "SomethingElse");
        CheckCommandTests.Run r = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("specs/tla/Switch/Switch.tla:16:29  THEN x + 5"), r.out());
        assertTrue(r.out().contains("no fast check of that variant found the violation its manifest expects"), r.out());
    }

    /**
     * An area whose IF's THEN only the cfg {@code high} reaches ({@code low} stops at x = 2), with
     * {@code high} collecting coverage or not. The inner IF makes TLC report the outer one part by
     * part in {@code low} (an IF with one branch always taken would be folded into its line).
     */
    private static void reachRepository(Path root, boolean highCollects) {
        reachRepository(root, highCollects, "IF x >= 3 THEN x + 2 ELSE IF x = 1 THEN x + 1 ELSE x + 1", "Spec");
    }

    private static void reachRepository(Path root, boolean highCollects, String step, String highSpec) {
        Path area = root.resolve("specs/tla/Reach");
        TestFixtures.write(area.resolve("Reach.tla"), """
                ---- MODULE Reach ----
                EXTENDS Naturals
                CONSTANT Limit
                VARIABLE x
                Init == x = 0
                Step == /\\ x < Limit
                        /\\ x' = %s
                Spec == Init /\\ [][Step]_x
                Bounded == x <= Limit + 1
                Jump == /\\ x < Limit
                        /\\ x' = x + 1
                Spec2 == Init /\\ [][Jump]_x
                ====
                """.formatted(step));
        TestFixtures.write(area.resolve("Reach_low.cfg"), "CONSTANT Limit = 2\nSPECIFICATION Spec\nINVARIANT Bounded\nCHECK_DEADLOCK FALSE\n");
        TestFixtures.write(area.resolve("Reach_high.cfg"), "CONSTANT Limit = 5\nSPECIFICATION " + highSpec
                + "\nINVARIANT Bounded\nCHECK_DEADLOCK FALSE\n");
        TestFixtures.write(area.resolve("manifest.json"), """
                { "models": [
                    { "name": "low", "spec": "Reach.tla", "config": "Reach_low.cfg",
                      "expect": { "result": "success", "distinctStates": 3 } },
                    { "name": "high", "spec": "Reach.tla", "config": "Reach_high.cfg", "coverage": %s,
                      "expect": { "result": "success", "distinctStates": 5 } }
                  ] }
                """.formatted(highCollects));
    }

    @Test
    void aCheckWhoseCoverageAddsNothingIsNamedAndOneThatRunsWithoutIsStillJudged(@TempDir Path root) throws Exception {
        reachRepository(root, true);
        CheckCommandTests.Run r = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("the coverage of tlc:Reach/low adds nothing to the other checks'"), r.out());
        JsonNode area = JSON.readTree(Files.readString(root.resolve("target/mkspec/report.json")))
                .path("coverage").path("areas").get(0);
        assertEquals("tlc:Reach/low", area.path("coverageAddsNothing").get(0).asText(), area.toString());

        // high alone takes the THEN: run without its coverage, the branch is not taken, and the plan fails.
        reachRepository(root, false);
        CheckCommandTests.Run off = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1");
        assertEquals(1, off.exit(), off.out() + off.err());
        assertTrue(off.out().contains("specs/tla/Reach/Reach.tla:7:27  THEN x + 2"), off.out());
        assertTrue(off.out().contains("ran without coverage, as their manifests say: tlc:Reach/high"), off.out());
        assertTrue(!Files.readString(root.resolve("target/mkspec/logs/tlc-Reach-high.log")).contains("coverage statistics"));

        CheckCommandTests.Run everywhere = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1",
                "--coverage-everywhere");
        assertEquals(0, everywhere.exit(), everywhere.out() + everywhere.err());
        assertTrue(everywhere.out().contains("the coverage of tlc:Reach/low adds nothing"), everywhere.out());

        CheckCommandTests.Run both = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1",
                "--coverage-everywhere", "--no-coverage");
        assertEquals(2, both.exit(), both.out() + both.err());
        assertTrue(both.err().contains("contradict"), both.err());
    }

    /**
     * Where TLC folds the IF in the checks that collect coverage (an IF whose one branch is always
     * taken), a branch only a check without coverage takes cannot be judged: it is listed as not
     * judged, with a hint. A check without coverage whose behaviour (here another SPECIFICATION) no
     * check with coverage reaches fails the plan: its actions would not be listed.
     */
    @Test
    void aCheckWithoutCoverageCannotHideWhatItAloneExplores(@TempDir Path root) throws Exception {
        reachRepository(root, false, "IF x >= 3 THEN x + 2 ELSE x + 1", "Spec");
        CheckCommandTests.Run folded = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1");
        assertEquals(0, folded.exit(), folded.out() + folded.err());
        assertTrue(folded.out().contains("a check run without coverage may take some that no other does"), folded.out());

        reachRepository(root, false, "IF x >= 3 THEN x + 2 ELSE IF x = 1 THEN x + 1 ELSE x + 1", "Spec2");
        CheckCommandTests.Run other = CheckCommandTests.mkspec("check", "--root", root.toString(), "--jobs", "1");
        assertEquals(1, other.exit(), other.out() + other.err());
        assertTrue(other.out().contains("tlc:Reach/high (Spec2) ran without coverage, and no check with coverage reaches"),
                other.out());
        JsonNode area = JSON.readTree(Files.readString(root.resolve("target/mkspec/report.json")))
                .path("coverage").path("areas").get(0);
        assertEquals("tlc:Reach/high (Spec2)", area.path("outsideCoverage").get(0).asText(), area.toString());
    }
}
