package dev.mkspec.ci;

import static dev.mkspec.ci.CheckCommandTests.mkspec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.ci.CheckCommandTests.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ad-hoc commands, as a user types them, and their exit codes. */
class CommandLineTests {
    private static String fixture(String relative) {
        return TestFixtures.fixtures().resolve(relative).toString();
    }

    @Test
    void tlcPrintsTheVerdictCountsAndTraceAndWritesItf(@TempDir Path dir) throws Exception {
        Path itf = dir.resolve("cx.itf.json");
        Run r = mkspec("tlc", fixture("tla/StaleTlb.tla"), "--config", fixture("tla/StaleTlb_bug.cfg"),
                "--workers", "1", "--itf", itf.toString());
        assertEquals(1, r.exit(), "a violation is an unexpected verdict by default");
        assertTrue(r.out().contains("verdict:  invariant violated (NoStaleTranslation)"), r.out());
        assertTrue(r.out().contains("KernelUnmap"), r.out());
        assertTrue(r.out().contains("expected success, TLC says invariant violated"), r.out());
        JsonNode trace = new ObjectMapper().readTree(Files.readString(itf));
        assertEquals(4, trace.path("states").size());
    }

    @Test
    void tlcExitsZeroWhenTheVerdictIsTheOneExpected() {
        Run r = mkspec("tlc", fixture("tla/StaleTlb.tla"), "--config", fixture("tla/StaleTlb_bug.cfg"),
                "--expect", "safety failure");
        assertEquals(0, r.exit(), r.out());
        Run ok = mkspec("tlc", fixture("tla/StaleTlb.tla"), "--config", fixture("tla/StaleTlb_ok.cfg"), "--coverage", "1");
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().contains("states:   12 distinct, 21 generated"), ok.out());
        assertTrue(ok.out().contains("coverage"), ok.out());
    }

    @Test
    void eachKindOfBadInputHasItsMessageAndExitCode() {
        Run missing = mkspec("tlc", "no/Such.tla");
        assertEquals(3, missing.exit());
        assertTrue(missing.err().contains("MK-101: file not found: no/Such.tla"), missing.err());
        assertTrue(missing.err().contains("hint:"));

        Run syntax = mkspec("tlc", fixture("tla/Syntax.tla"));
        assertEquals(3, syntax.exit());
        assertTrue(syntax.out().contains("verdict:  parse error"), syntax.out());
        assertTrue(syntax.out().contains("Syntax.tla:6:14"), syntax.out());

        Run undefined = mkspec("tlc", fixture("tla/Errors.tla"), "--config", fixture("tla/Errors_undefined.cfg"));
        assertEquals(3, undefined.exit());
        assertTrue(undefined.out().contains("Errors_undefined.cfg:4"), undefined.out());
        assertTrue(undefined.out().contains("NoSuchInvariant"), undefined.out());

        Run alloy = mkspec("alloy", fixture("alloy/typeError.als"));
        assertEquals(3, alloy.exit());
        assertTrue(alloy.err().contains("typeError.als:3:"), alloy.err());

        Run usage = mkspec("tlc", "--no-such-option", "x.tla");
        assertEquals(2, usage.exit(), usage.err());
        assertTrue(usage.err().contains("Unknown option"), usage.err());
        Run badDuration = mkspec("tlc", fixture("tla/StaleTlb.tla"), "--timeout", "soon");
        assertEquals(2, badDuration.exit(), badDuration.out() + badDuration.err());
        assertTrue(badDuration.err().contains("90s"), badDuration.err());
        Run badJar = mkspec("tlc", fixture("tla/StaleTlb.tla"), "--tla2tools", "/no/tla2tools.jar");
        assertEquals(4, badJar.exit());
        assertTrue(badJar.err().contains("/no/tla2tools.jar"), badJar.err());
    }

    @Test
    void aUsersOwnTla2toolsJarRunsInsteadOfTheBundledOne(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("my-tla2tools.jar");
        Files.copy(dev.mkspec.specs.tlc.TlcInstallation.bundled().jar(), jar);
        Path log = dir.resolve("tlc.log");
        Run r = mkspec("tlc", fixture("tla/StaleTlb.tla"), "--config", fixture("tla/StaleTlb_ok.cfg"),
                "--tla2tools", jar.toString(), "--log", log.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(Files.readString(log).contains("TLC2 Version"), "TLC ran from " + jar);
    }

    @Test
    void aTlcRunStoppedByItsTimeLimitExitsFive() {
        Run r = mkspec("tlc", fixture("tla/Forever.tla"), "--timeout", "3s", "--workers", "1");
        assertEquals(5, r.exit(), r.out());
        assertTrue(r.out().contains("verdict:  timeout"), r.out());
    }

    @Test
    void aTlcRunOutOfHeapExitsSix() {
        Run r = mkspec("tlc", fixture("tla/Forever.tla"), "--heap", "24m", "--workers", "1", "--timeout", "3m");
        assertEquals(6, r.exit(), r.out());
        assertTrue(r.out().contains("out of memory"), r.out());
    }

    @Test
    void alloyPrintsEachCommandAndItsInstances(@TempDir Path dir) {
        Run r = mkspec("alloy", fixture("alloy/frames.als"), "--itf-dir", dir.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("Check NoSharing for 3"), r.out());
        assertTrue(r.out().contains("counterexample to AllOwned"), r.out());
        assertTrue(r.out().contains("not judged"), r.out());
        assertTrue(Files.exists(dir.resolve("AllOwned.itf.json")), r.out() + r.err());
        Run one = mkspec("alloy", fixture("alloy/frames.als"), "--command", "Impossible");
        assertEquals(0, one.exit());
        assertEquals(1, one.out().lines().filter(l -> l.matches("\\d+ +(Run|Check) .*")).count(), one.out());
        assertTrue(one.out().contains("Run Impossible for 3"), one.out());
        Run timeout = mkspec("alloy", fixture("alloy/ramsey.als"), "--command", "Hard", "--timeout", "1s");
        assertEquals(5, timeout.exit(), timeout.out());
    }

    @Test
    void exploreRunsANamedModelOnACfgAndRejectsUnknownModels() {
        Run r = mkspec("explore", "StaleTlb", "--config", fixture("tla/StaleTlb_bug.cfg"), "--workers", "2");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("invariant violated"), r.out());
        assertTrue(r.out().contains("NoStaleTranslation"), r.out());
        assertTrue(r.out().contains("KernelUnmap"), r.out());
        Run ok = mkspec("explore", "StaleTlb", "--config", fixture("tla/StaleTlb_ok.cfg"));
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().contains("12 distinct, 21 generated"), ok.out());
        Run unknown = mkspec("explore", "Nope", "--config", fixture("tla/StaleTlb_ok.cfg"));
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("StaleTlb"), "lists the models there are: " + unknown.err());
    }

    @Test
    void replayTakesATlcCounterexampleThroughTheJavaModel(@TempDir Path dir) {
        Path itf = dir.resolve("cx.itf.json");
        Run tlc = mkspec("tlc", fixture("tla/StaleTlb.tla"), "--config", fixture("tla/StaleTlb_bug.cfg"),
                "--itf", itf.toString(), "--expect", "invariant violated");
        assertEquals(0, tlc.exit(), tlc.out());
        Run same = mkspec("replay", itf.toString(), "--model", "StaleTlb", "--config", fixture("tla/StaleTlb_bug.cfg"));
        assertEquals(0, same.exit(), same.out() + same.err());
        assertTrue(same.out().contains("replayed: all 4 states"), same.out());
        Run fixed = mkspec("replay", itf.toString(), "--model", "StaleTlb", "--config", fixture("tla/StaleTlb_ok.cfg"));
        assertEquals(1, fixed.exit(), fixed.out());
        assertTrue(fixed.out().contains("step 3 (KernelUnmap)"), fixed.out());
        Run missing = mkspec("replay", dir.resolve("none.itf.json").toString(), "--model", "StaleTlb", "--config",
                fixture("tla/StaleTlb_ok.cfg"));
        assertEquals(3, missing.exit());
    }

    @Test
    void validateHasTlcMatchATraceToTheSpec(@TempDir Path dir) throws Exception {
        Path itf = dir.resolve("cx.itf.json");
        Run tlc = mkspec("tlc", fixture("tla/StaleTlb.tla"), "--config", fixture("tla/StaleTlb_bug.cfg"),
                "--itf", itf.toString(), "--expect", "invariant violated");
        assertEquals(0, tlc.exit(), tlc.out());
        Run ok = mkspec("validate", itf.toString(), "--spec", fixture("tla/StaleTlb.tla"), "--config",
                fixture("tla/StaleTlb_bug.cfg"), "--out", dir.resolve("v").toString(), "--format", "json");
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        JsonNode json = new ObjectMapper().readTree(ok.out());
        assertTrue(json.path("accepted").asBoolean(), ok.out());
        assertEquals(4, json.path("matched").asInt());
        // the fixed spec has no such behaviour: TLC says how far it got
        Run fixed = mkspec("validate", itf.toString(), "--spec", fixture("tla/StaleTlb.tla"), "--config",
                fixture("tla/StaleTlb_ok.cfg"), "--out", dir.resolve("w").toString());
        assertEquals(1, fixed.exit(), fixed.out() + fixed.err());
        assertTrue(fixed.out().startsWith("rejected: "), fixed.out());
        Run missing = mkspec("validate", dir.resolve("none.itf.json").toString(), "--spec", fixture("tla/StaleTlb.tla"));
        assertEquals(3, missing.exit());
    }

    @Test
    void benchReportsStatesPerSecondForEachWorkerCount() throws Exception {
        Run r = mkspec("bench", "explorer", "--counters", "4", "--range", "6", "--warmup", "0", "--iterations", "1",
                "--format", "json");
        assertEquals(0, r.exit(), r.out() + r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(1296, json.path("states").asInt());
        assertEquals(2, json.path("results").size());
        assertTrue(json.path("results").get(0).path("meanStatesPerSecond").asLong() > 0);
    }
}
