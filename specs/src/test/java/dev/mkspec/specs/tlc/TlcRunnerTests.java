package dev.mkspec.specs.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.specs.Fixtures;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.trace.ItfWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real TLC 2.18 as a child process. */
class TlcRunnerTests {
    private final TlcRunner runner = new TlcRunner(TlcInstallation.bundled());

    private static TlcRequest request(String spec, String cfg) {
        return TlcRequest.of(Fixtures.fixture("tla/" + spec)).withConfig(Fixtures.fixture("tla/" + cfg))
                .withWorkers(1).withHeap("256m").withTimeout(Duration.ofMinutes(2));
    }

    @Test
    void aKnownViolationGoesAllTheWayFromTlcToItf() throws Exception {
        TlcResult r = runner.run(request("StaleTlb.tla", "StaleTlb_bug.cfg"), TlcListener.NONE);
        assertEquals(TlcVerdict.INVARIANT_VIOLATED, r.verdict(), r.message());
        assertEquals("NoStaleTranslation", r.violated().orElseThrow());
        assertEquals(12, r.exitCode());
        JsonNode itf = new ObjectMapper().readTree(ItfWriter.toJson(r.trace().orElseThrow()));
        JsonNode states = itf.path("states");
        assertEquals(4, states.size());
        assertEquals("KernelUnmap", states.get(3).path("#meta").path("action").asText());
        JsonNode free = states.get(3).path("free").path("#set");
        assertEquals(1, free.size());
        assertEquals(states.get(3).path("tlb").asText(), free.get(0).asText(),
                "the stale TLB entry points at the freed frame");
    }

    @Test
    void successCountsMatchAnIndependentCount() {
        // StaleTlb with invalidation: pt, tlb and free over two frames. Counted by hand: the
        // reachable states are free = {} with pt/tlb in {none, f1->f1, f2->f2 cached or not}
        // (5), free = {f1} or {f2} with the other frame mapped or not and cached or not (2 x 3),
        // and free = {f1, f2} (1): 12 in all.
        TlcResult r = runner.run(request("StaleTlb.tla", "StaleTlb_ok.cfg").withCoverage(1), TlcListener.NONE);
        assertEquals(TlcVerdict.SUCCESS, r.verdict(), r.message());
        assertEquals(12, r.distinctStates().getAsLong());
        assertEquals(5, r.depth().getAsLong());
        assertFalse(r.coverage().isEmpty());
    }

    @Test
    void aTimeoutStopsTlcAndSaysSo() {
        List<TlcProgress> progress = new CopyOnWriteArrayList<>();
        TlcResult r = runner.run(TlcRequest.of(Fixtures.fixture("tla/Forever.tla"))
                .withConfig(Fixtures.fixture("tla/Forever.cfg")).withWorkers(1)
                .withTimeout(Duration.ofSeconds(4)), new TlcListener() {
                    @Override
                    public void progress(TlcProgress p) {
                        progress.add(p);
                    }
                });
        assertEquals(TlcVerdict.TIMEOUT, r.verdict());
        assertEquals(0, r.exitCode(), "TLC stopped itself at the limit (tlc2.TLC.stopAfter), so it was not killed");
        assertTrue(r.message().contains("time limit of 4s"), r.message());
        assertTrue(r.message().contains("left on the queue"), "the counts are those at the stop: " + r.message());
        assertTrue(r.queuedStates().orElse(0) > 0, r.message());
        assertTrue(r.elapsed().toSeconds() < 40);
    }

    @Test
    void aRunThatStartsWhileMkspecIsStoppingEndsAsInterrupted() throws Exception {
        // A JVM whose shutdown hook starts a TLC run: the runner's own hook cannot be added then.
        // Before, that escaped as an IllegalStateException ("a bug in mkspec" from a stopped
        // mutation run); now TLC is stopped and the run ends interrupted, not as a verdict.
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), RunDuringShutdown.class.getName(),
                Fixtures.fixture("tla/StaleTlb.tla").toString(), Fixtures.fixture("tla/StaleTlb_ok.cfg").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), out);
        assertTrue(out.contains("verdict TOOL_FAILURE, interrupted true"), out);
        assertFalse(out.contains("threw"), out);
    }

    @Test
    void runningOutOfHeapIsReportedAsOutOfMemory() {
        TlcResult r = runner.run(TlcRequest.of(Fixtures.fixture("tla/Forever.tla"))
                .withConfig(Fixtures.fixture("tla/Forever.cfg")).withWorkers(1).withHeap("24m")
                .withTimeout(Duration.ofMinutes(3)), TlcListener.NONE);
        assertEquals(TlcVerdict.OUT_OF_MEMORY, r.verdict(), r.message());
        assertTrue(r.message().contains("--heap"));
    }

    @Test
    void missingFilesAreBadInputBeforeTlcStarts() {
        MkspecException spec = assertThrows(MkspecException.class,
                () -> runner.run(TlcRequest.of(Path.of("no/Such.tla")), TlcListener.NONE));
        assertEquals(Problem.FILE_NOT_FOUND, spec.problem());
        MkspecException cfg = assertThrows(MkspecException.class, () -> runner.run(
                TlcRequest.of(Fixtures.fixture("tla/StaleTlb.tla")), TlcListener.NONE));
        assertEquals(Problem.FILE_NOT_FOUND, cfg.problem());
        assertTrue(cfg.getMessage().contains("StaleTlb.cfg"), cfg.getMessage());
        MkspecException type = assertThrows(MkspecException.class, () -> runner.run(
                TlcRequest.of(Fixtures.fixture("tla/Syntax.cfg")), TlcListener.NONE));
        assertEquals(Problem.WRONG_FILE_TYPE, type.problem());
    }

    @Test
    void aSyntaxErrorIsTlcsParseErrorWithItsPosition() {
        TlcResult r = runner.run(request("Syntax.tla", "Syntax.cfg"), TlcListener.NONE);
        assertEquals(TlcVerdict.PARSE_ERROR, r.verdict());
        assertEquals(150, r.exitCode());
        assertTrue(r.message().contains("Syntax.tla:6:14"), r.message());
    }

    @Test
    void twoRunsSideBySideDoNotCollide(@TempDir Path dir) throws Exception {
        CompletableFuture<TlcResult> a = CompletableFuture.supplyAsync(() -> runner.run(
                request("StaleTlb.tla", "StaleTlb_ok.cfg").withRunDirectory(dir.resolve("a")), TlcListener.NONE));
        CompletableFuture<TlcResult> b = CompletableFuture.supplyAsync(() -> runner.run(
                request("Liveness.tla", "Liveness_lasso.cfg").withRunDirectory(dir.resolve("b")), TlcListener.NONE));
        assertEquals(TlcVerdict.SUCCESS, a.get().verdict(), a.get().message());
        assertEquals(TlcVerdict.TEMPORAL_PROPERTY_VIOLATED, b.get().verdict(), b.get().message());
        assertTrue(Files.exists(dir.resolve("a/tlc.log")));
        assertFalse(Files.exists(dir.resolve("a/states")), "the fingerprint files are cleaned up");
    }

    @Test
    void theGraphDumpIsWritten(@TempDir Path dir) throws Exception {
        Path dot = dir.resolve("g.dot");
        TlcResult r = runner.run(request("StaleTlb.tla", "StaleTlb_ok.cfg").withDumpDot(dot), TlcListener.NONE);
        assertEquals(TlcVerdict.SUCCESS, r.verdict());
        assertTrue(Files.readString(dot).contains("label=\"KernelMap\""));
    }

    @Test
    void aUsersJarComesFromTheOptionOrTheEnvironmentAndIsWhatRuns(@TempDir Path dir) throws Exception {
        Path mine = dir.resolve("tla2tools.jar");
        Files.copy(TlcInstallation.bundled().jar(), mine);
        TlcInstallation fromOption = TlcInstallation.resolve(java.util.Optional.of(mine), java.util.Map.of());
        TlcInstallation fromEnv = TlcInstallation.resolve(java.util.Optional.empty(),
                java.util.Map.of(TlcInstallation.ENVIRONMENT_VARIABLE, mine.toString()));
        assertEquals(mine.toAbsolutePath(), fromOption.jar());
        assertEquals(mine.toAbsolutePath(), fromEnv.jar());
        assertEquals(TlcInstallation.bundled().jar(), TlcInstallation.resolve(java.util.Optional.empty(), java.util.Map.of()).jar());
        List<String> command = new TlcRunner(fromEnv).command(request("StaleTlb.tla", "StaleTlb_ok.cfg"),
                Fixtures.fixture("tla/StaleTlb.tla"), Fixtures.fixture("tla/StaleTlb_ok.cfg"), dir);
        assertEquals(mine.toAbsolutePath().toString(), command.get(command.indexOf("-cp") + 1));
        TlcResult r = new TlcRunner(fromEnv).run(request("StaleTlb.tla", "StaleTlb_ok.cfg"), TlcListener.NONE);
        assertEquals(TlcVerdict.SUCCESS, r.verdict(), r.message());
        MkspecException missing = assertThrows(MkspecException.class, () -> TlcInstallation.resolve(
                java.util.Optional.empty(), java.util.Map.of(TlcInstallation.ENVIRONMENT_VARIABLE, "/no/such.jar")));
        assertEquals(Problem.TOOL_NOT_FOUND, missing.problem());
        assertTrue(missing.getMessage().contains(TlcInstallation.ENVIRONMENT_VARIABLE));
    }

    @Test
    void simulationRunsWithASeed() {
        TlcResult r = runner.run(request("StaleTlb.tla", "StaleTlb_ok.cfg")
                .withSimulation(new TlcRequest.Simulation(10, 7, java.util.Optional.of(20L))), TlcListener.NONE);
        assertEquals("simulation", r.mode());
        assertEquals(TlcVerdict.SUCCESS, r.verdict(), r.message());
    }

    @Test
    void aQuickStartRunCompilesWithC1OnlyAndStillFindsItsViolation(@TempDir Path dir) {
        TlcRequest quick = request("StaleTlb.tla", "StaleTlb_bug.cfg").withQuickStart(true);
        assertTrue(runner.command(quick, Fixtures.fixture("tla/StaleTlb.tla"), Fixtures.fixture("tla/StaleTlb_bug.cfg"), dir)
                .contains("-XX:TieredStopAtLevel=1"));
        assertFalse(runner.command(request("StaleTlb.tla", "StaleTlb_bug.cfg"), Fixtures.fixture("tla/StaleTlb.tla"),
                Fixtures.fixture("tla/StaleTlb_bug.cfg"), dir).contains("-XX:TieredStopAtLevel=1"));
        assertEquals(TlcVerdict.INVARIANT_VIOLATED, runner.run(quick, TlcListener.NONE).verdict());
    }
}
