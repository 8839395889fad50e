package dev.mkspec.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.refinement.ModelBindings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code ./mkspec check} on scratch repositories built from the harness fixtures. */
class CheckCommandTests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelBindings MODELS = ModelBindings.of(List.of(StaleTlbModel.BINDING));

    record Run(int exit, String out, String err) {
    }

    static Run mkspec(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), MODELS);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A repository with one spec area (a good configuration and a bug variant) and one Alloy file. */
    static void goodRepository(Path root) {
        Path area = root.resolve("specs/tla/Tlb");
        TestFixtures.copy(area, "tla/StaleTlb.tla", "tla/StaleTlb_ok.cfg", "tla/StaleTlb_bug.cfg");
        TestFixtures.write(area.resolve("manifest.json"), """
                { "description": "a stale TLB entry after unmap",
                  "models": [
                    { "name": "ok", "spec": "StaleTlb.tla", "config": "StaleTlb_ok.cfg",
                      "expect": { "result": "success", "distinctStates": 12, "totalStates": 21, "stateDepth": 5 },
                      "explorer": { "model": "StaleTlb" } },
                    { "name": "bug_no_invalidate", "spec": "StaleTlb.tla", "config": "StaleTlb_bug.cfg",
                      "expect": { "result": "invariant violated", "violated": "NoStaleTranslation", "traceLength": 4 },
                      "explorer": { "model": "StaleTlb" } },
                    { "name": "deep_ok", "profile": "deep", "spec": "StaleTlb.tla", "config": "StaleTlb_ok.cfg",
                      "expect": { "result": "success", "distinctStates": 12 } }
                  ] }
                """);
        TestFixtures.copy(root.resolve("specs/alloy"), "alloy/frames.als");
    }

    static Map<String, JsonNode> checks(JsonNode report) {
        Map<String, JsonNode> m = new HashMap<>();
        report.path("checks").forEach(c -> m.put(c.path("id").asText(), c));
        return m;
    }

    @Test
    void theDeepProfileCanRunTlcDistributed(@TempDir Path root) throws Exception {
        goodRepository(root);
        Run r = mkspec("check", "--root", root.toString(), "--profile", "deep", "--distributed", "2", "--only",
                "tlc:Tlb/*");
        assertEquals(0, r.exit(), r.out() + r.err());
        Map<String, JsonNode> checks = checks(JSON.readTree(Files.readString(root.resolve("target/mkspec/report.json"))));
        JsonNode deep = checks.get("tlc:Tlb/deep_ok");
        assertEquals("passed", deep.path("status").asText(), deep.toString());
        assertTrue(deep.path("actual").asText().contains("distributed TLC, 2 local workers"), deep.toString());
        assertTrue(deep.path("tool").asText().endsWith("(distributed server)"), deep.toString());
        JsonNode bug = checks.get("tlc:Tlb/bug_no_invalidate");
        assertEquals("passed", bug.path("status").asText(), "named, with the whole counterexample: " + bug);
    }

    @Test
    void aPlanWhoseChecksAllComeOutAsExpectedExitsZeroAndWritesThreeReports(@TempDir Path root) throws Exception {
        goodRepository(root);
        Run r = mkspec("check", "--root", root.toString(), "--jobs", "2");
        assertEquals(0, r.exit(), r.out() + r.err());
        Path out = root.resolve("target/mkspec");
        JsonNode report = JSON.readTree(Files.readString(out.resolve("report.json")));
        assertTrue(report.path("complete").asBoolean());
        assertEquals(0, report.path("exitCode").asInt());
        Map<String, JsonNode> checks = checks(report);
        assertEquals(11, checks.size(), checks.keySet().toString());
        assertFalse(checks.containsKey("tlc:Tlb/deep_ok"), "deep configurations are not in the fast profile");
        JsonNode ok = checks.get("tlc:Tlb/ok");
        assertEquals("passed", ok.path("status").asText());
        assertEquals(12, ok.path("distinctStates").asInt());
        assertTrue(ok.path("tool").asText().startsWith("TLC2 Version 2.18"));
        JsonNode explorer = checks.get("explorer:Tlb/ok");
        assertEquals("passed", explorer.path("status").asText(), explorer.toString());
        assertEquals(12, explorer.path("distinctStates").asInt());
        assertEquals(21, explorer.path("generatedStates").asInt());
        JsonNode bug = checks.get("tlc:Tlb/bug_no_invalidate");
        assertEquals("passed", bug.path("status").asText(), "the bug variant fails as expected");
        assertTrue(Files.exists(out.resolve(bug.path("itf").asText())));
        assertTrue(Files.readString(out.resolve(bug.path("trace").asText())).contains("KernelUnmap"));
        JsonNode xbug = checks.get("explorer:Tlb/bug_no_invalidate");
        assertEquals("passed", xbug.path("status").asText(), xbug.toString());
        assertEquals("passed", checks.get("refinement:Tlb/ok").path("status").asText());
        assertTrue(checks.get("refinement:Tlb/ok").path("message").asText().contains("TLC/explorer"));
        assertEquals("passed", checks.get("refinement:Tlb/bug_no_invalidate").path("status").asText());
        assertEquals("not_judged", checks.get("alloy:frames/Unjudged").path("status").asText());
        assertEquals("passed", checks.get("alloy:frames/NoSharing").path("status").asText());
        assertFalse(report.path("environment").path("commit").asText().isEmpty());

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("junit.xml").toFile());
        assertEquals(11, junit.getElementsByTagName("testcase").getLength());
        assertEquals(0, junit.getElementsByTagName("failure").getLength());
        assertEquals(0, junit.getElementsByTagName("error").getLength());
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("All checks came out as expected"), md);
        assertTrue(md.contains("`tlc:Tlb/ok`"));
        assertTrue(r.out().contains("11 checks: 10 passed"), r.out());
        assertTrue(md.contains("TLC and the explorer side by side"), md);
    }

    @Test
    void theDeepProfileRunsEveryConfiguration(@TempDir Path root) throws Exception {
        goodRepository(root);
        Run r = mkspec("check", "--root", root.toString(), "--profile", "deep", "--only", "tlc:*");
        assertEquals(0, r.exit(), r.out() + r.err());
        JsonNode report = JSON.readTree(Files.readString(root.resolve("target/mkspec/report.json")));
        assertTrue(checks(report).containsKey("tlc:Tlb/deep_ok"));
        assertTrue(checks(report).containsKey("refinement:Tlb/ok"), "--only selects whole configurations");
    }

    @Test
    void everyOtherCheckIsRecordedWhenSomeHaveBadInputOrRunOutOfTime(@TempDir Path root) throws Exception {
        goodRepository(root);
        Path broken = root.resolve("specs/tla/Broken");
        TestFixtures.copy(broken, "tla/Errors.tla", "tla/Errors_undefined.cfg", "tla/Syntax.tla", "tla/Syntax.cfg",
                "tla/Forever.tla", "tla/Forever.cfg", "tla/StaleTlb.tla", "tla/StaleTlb_ok.cfg");
        TestFixtures.write(broken.resolve("manifest.json"), """
                { "models": [
                    { "name": "undefined_invariant", "spec": "Errors.tla", "config": "Errors_undefined.cfg",
                      "expect": { "result": "success" } },
                    { "name": "syntax", "spec": "Syntax.tla", "config": "Syntax.cfg", "expect": { "result": "success" } },
                    { "name": "forever", "spec": "Forever.tla", "config": "Forever.cfg", "timeout": "3s",
                      "expect": { "result": "success" } },
                    { "name": "drift", "spec": "StaleTlb.tla", "config": "StaleTlb_ok.cfg",
                      "expect": { "result": "success", "distinctStates": 13 } },
                    { "name": "unknown_model", "spec": "StaleTlb.tla", "config": "StaleTlb_ok.cfg",
                      "expect": { "result": "success" }, "explorer": { "model": "NoSuchModel" } }
                  ] }
                """);
        TestFixtures.write(root.resolve("specs/tla/Malformed/manifest.json"), "{ \"models\": [ { \"name\": 3 } ] }");
        TestFixtures.copy(root.resolve("specs/alloy"), "alloy/typeError.als");
        Run r = mkspec("check", "--root", root.toString());
        assertEquals(3, r.exit(), "bad input outranks the other failures: " + r.out());
        JsonNode report = JSON.readTree(Files.readString(root.resolve("target/mkspec/report.json")));
        assertTrue(report.path("complete").asBoolean());
        Map<String, JsonNode> c = checks(report);
        assertEquals("bad_input", c.get("tlc:Broken/undefined_invariant").path("status").asText());
        assertTrue(c.get("tlc:Broken/undefined_invariant").path("message").asText().contains("Errors_undefined.cfg:4"));
        assertEquals("bad_input", c.get("tlc:Broken/syntax").path("status").asText());
        assertTrue(c.get("tlc:Broken/syntax").path("message").asText().contains("Syntax.tla:6:14"));
        assertEquals("timeout", c.get("tlc:Broken/forever").path("status").asText());
        assertEquals("failed", c.get("tlc:Broken/drift").path("status").asText());
        assertTrue(c.get("tlc:Broken/drift").path("mismatches").get(0).asText().contains("expected 13, got 12"));
        assertEquals("bad_input", c.get("explorer:Broken/unknown_model").path("status").asText());
        assertEquals("bad_input", c.get("plan:Malformed").path("status").asText());
        assertTrue(c.get("plan:Malformed").path("message").asText().contains("manifest.json"));
        assertEquals("bad_input", c.get("alloy:typeError").path("status").asText());
        assertTrue(c.get("alloy:typeError").path("message").asText().contains("typeError.als:3:"));
        assertEquals("passed", c.get("tlc:Tlb/ok").path("status").asText(), "the good checks still ran and passed");
        assertEquals("passed", c.get("alloy:frames/NoSharing").path("status").asText());

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(root.resolve("target/mkspec/junit.xml").toFile());
        assertEquals(c.size(), junit.getElementsByTagName("testcase").getLength());
        assertEquals(1, junit.getElementsByTagName("failure").getLength());
        assertEquals(6, junit.getElementsByTagName("error").getLength());
        String md = Files.readString(root.resolve("target/mkspec/summary.md"));
        assertTrue(md.contains("What did not come out as expected"));
        assertTrue(md.contains("expected 13, got 12"));
    }

    @Test
    void onlyAndListSelectChecksByIdWithoutRunningThem(@TempDir Path root) {
        goodRepository(root);
        Run list = mkspec("check", "--root", root.toString(), "--list", "--only", "Tlb/ok");
        assertEquals(0, list.exit());
        assertEquals(List.of("tlc:Tlb/ok", "explorer:Tlb/ok", "refinement:Tlb/ok"), list.out().lines().toList());
        Run glob = mkspec("check", "--root", root.toString(), "--list", "--only", "alloy:frames/*");
        assertEquals(5, glob.out().lines().count(), glob.out());
        // A glob may leave out the kind: 'Tlb/*' selects the area's TLC, explorer and refinement checks.
        Run areaGlob = mkspec("check", "--root", root.toString(), "--list", "--only", "Tlb/*");
        assertEquals(0, areaGlob.exit(), areaGlob.err());
        assertEquals(List.of("tlc:Tlb/ok", "explorer:Tlb/ok", "refinement:Tlb/ok", "tlc:Tlb/bug_no_invalidate",
                "explorer:Tlb/bug_no_invalidate", "refinement:Tlb/bug_no_invalidate"), areaGlob.out().lines().toList());
        assertFalse(Files.exists(root.resolve("target/mkspec/report.json")));
    }

    @Test
    void aCheckWhoseCompanionIsUnsatIsVacuousAndACheckWithoutOneFails(@TempDir Path root) throws Exception {
        TestFixtures.copy(root.resolve("specs/alloy"), "alloy/vacuity.als");
        Run r = mkspec("check", "--root", root.toString(), "--only", "alloy:*");
        assertEquals(1, r.exit(), r.out() + r.err());
        Map<String, JsonNode> c = checks(JSON.readTree(Files.readString(root.resolve("target/mkspec/report.json"))));
        JsonNode vacuous = c.get("alloy:vacuity/OwnedFreeFrameIsShared");
        assertEquals("failed", vacuous.path("status").asText(), vacuous.toString());
        assertEquals("unsat", vacuous.path("actual").asText(), "the check itself found no counterexample");
        assertTrue(vacuous.path("mismatches").toString().contains(
                "vacuous: its premises cannot happen at this scope"), vacuous.toString());
        assertEquals("failed", c.get("alloy:vacuity/OwnedFreeFrame").path("status").asText());
        JsonNode unpaired = c.get("alloy:vacuity/NoCompanion");
        assertEquals("failed", unpaired.path("status").asText());
        assertTrue(unpaired.path("mismatches").toString().contains("no companion"), unpaired.toString());
        assertEquals("failed", c.get("alloy:vacuity/OtherScope").path("status").asText(), "another scope pairs nothing");
        assertTrue(c.get("alloy:vacuity/OtherScopeWitness").path("mismatches").toString().contains("scope"));
        JsonNode good = c.get("alloy:vacuity/OwnerIsUnique");
        assertEquals("passed", good.path("status").asText(), good.toString());
        assertTrue(good.path("message").asText().contains("not vacuous: SomeFrameOwned"), good.toString());
        assertEquals("passed", c.get("alloy:vacuity/AllOwned").path("status").asText(), "a bug variant is its own witness");
        assertEquals("failed", c.get("alloy:vacuity/SomeFrameOwned").path("status").asText(), "it names no check Nowhere");
        String md = Files.readString(root.resolve("target/mkspec/summary.md"));
        assertTrue(md.contains("vacuous"), md);
    }

    @Test
    void aSelectedCheckRunsWithItsCompanionThoughTheFilterLeavesItOut(@TempDir Path root) throws Exception {
        TestFixtures.copy(root.resolve("specs/alloy"), "alloy/vacuity.als");
        Run r = mkspec("check", "--root", root.toString(), "--only", "alloy:vacuity/OwnedFreeFrameIsShared");
        assertEquals(1, r.exit(), r.out() + r.err());
        Map<String, JsonNode> c = checks(JSON.readTree(Files.readString(root.resolve("target/mkspec/report.json"))));
        assertEquals(List.of("alloy:vacuity/OwnedFreeFrameIsShared"), List.copyOf(c.keySet()));
        assertTrue(c.get("alloy:vacuity/OwnedFreeFrameIsShared").path("mismatches").toString().contains("vacuous"));
    }

    @Test
    void aRootWithoutSpecsAndABadProfileAreReportedClearly(@TempDir Path root) {
        Run none = mkspec("check", "--root", root.toString());
        assertEquals(3, none.exit());
        assertTrue(none.err().contains("specs"), none.err());
        assertTrue(none.err().contains("hint:"), none.err());
        Run profile = mkspec("check", "--root", root.toString(), "--profile", "slow");
        assertEquals(2, profile.exit());
        assertTrue(profile.err().contains("--profile"), profile.err());
    }
}
