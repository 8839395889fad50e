package dev.mkspec.specs.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.Fixtures;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.trace.Trace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TLC's distributed mode on loopback: the real TLC 2.18 server and worker JVMs, started and stopped
 * by the runner. The fixture Counters has exactly (Max + 1)^4 states, whoever counts them.
 */
class DistributedTlcTests {
    private final TlcRunner runner = new TlcRunner(TlcInstallation.bundled());

    private static TlcRequest request(String spec, String cfg, int workers) {
        return TlcRequest.of(Fixtures.fixture("tla/" + spec)).withConfig(Fixtures.fixture("tla/" + cfg))
                .withHeap("256m").withTimeout(Duration.ofMinutes(2))
                .withDistributed(TlcRequest.Distributed.loopback(workers));
    }

    /** TLC JVMs (server or worker) that this test JVM started and that still run. */
    private static List<ProcessHandle> tlcProcesses() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains("tlc2.")).orElse(false)).toList();
    }

    private static List<ProcessHandle> workers() {
        return tlcProcesses().stream().filter(p -> p.info().commandLine().orElse("").contains(TlcRunner.WORKER_CLASS))
                .toList();
    }

    @AfterEach
    void nothingIsLeftRunning() {
        LocalWorkers.noWorkerGrace = Duration.ofSeconds(15);
        assertEquals(List.of(), tlcProcesses().stream().map(p -> p.info().commandLine().orElse("?")).toList(),
                "the runner left TLC's server or a worker running");
    }

    @Test
    void twoLocalWorkersCountWhatOneProcessCounts() {
        // Counters_small says CHECK_DEADLOCK FALSE, which the server ignores (every counter at Max
        // has no successor): the runner passes -deadlock for it, or this would be a deadlock.
        TlcResult distributed = runner.run(request("Counters.tla", "Counters_small.cfg", 2), TlcListener.NONE);
        TlcResult single = runner.run(TlcRequest.of(Fixtures.fixture("tla/Counters.tla"))
                .withConfig(Fixtures.fixture("tla/Counters_small.cfg")).withWorkers(1), TlcListener.NONE);
        assertEquals(TlcVerdict.SUCCESS, distributed.verdict(), distributed.message());
        assertTrue(distributed.fromDistributedServer(), distributed.tlcVersion());
        assertFalse(single.fromDistributedServer());
        assertEquals(10_000, distributed.distinctStates().getAsLong(), "10^4 tuples of four counters in 0..9");
        assertEquals(single.distinctStates(), distributed.distinctStates());
        assertEquals(List.of(), distributed.warnings().stream().filter(w -> w.contains("worker")).toList());
    }

    @Test
    void aBrokenInvariantIsNamedAndItsBehaviourStartsInAnInitialState() {
        TlcResult r = runner.run(request("Counters.tla", "Counters_bug.cfg", 2), TlcListener.NONE);
        assertEquals(TlcVerdict.INVARIANT_VIOLATED, r.verdict(), r.message());
        assertEquals("NotAllThree", r.violated().orElseThrow());
        Trace t = r.trace().orElseThrow();
        // The shortest way to four counters at 3 is twelve raises: 13 states from the initial one.
        assertEquals(13, t.length(), "the whole behaviour, not only the server's last step");
        for (String v : List.of("a", "b", "c", "d")) {
            assertEquals("0", t.steps().get(0).value(v).toTla());
            assertEquals("3", t.steps().get(12).value(v).toTla());
        }
        assertTrue(r.message().contains("named it by checking its last step"), r.message());
    }

    @Test
    void aCounterexampleWithFunctionsAndModelValuesIsNamedFromItsLastStep() {
        // StaleTlb's state holds functions and model values, written as TLC writes them
        // ((f1 :> f1 @@ ...)): the module that checks the last step must read them.
        TlcResult r = runner.run(request("StaleTlb.tla", "StaleTlb_bug.cfg", 2), TlcListener.NONE);
        assertEquals(TlcVerdict.INVARIANT_VIOLATED, r.verdict(), r.message());
        assertEquals("NoStaleTranslation", r.violated().orElseThrow());
        assertTrue(r.message().contains("named it by checking its last step"), r.message());
        assertEquals(4, r.trace().orElseThrow().length(), "as single-process TLC's, from the initial state");
    }

    @Test
    void onlyAWholeBoxActionCountsAsAnActionProperty() {
        List<String> texts = List.of(DistributedProperties.withoutComments(String.join("\n",
                "---- MODULE M ----",
                "Steps == [][x' > x]_x",
                "Tuple ==",
                "    [][x' > x]_<<x, y>>   \\* a comment",
                "Mixed == [][x' > x]_x /\\ <>(x = 3)",
                "Fair == [][Next]_x /\\ WF_x(Next)",
                "Live == <>(x = 3)",
                "(* Hidden == [][x' > x]_x *)",
                "====")));
        assertTrue(DistributedProperties.isActionProperty("Steps", texts));
        assertTrue(DistributedProperties.isActionProperty("Tuple", texts));
        assertFalse(DistributedProperties.isActionProperty("Mixed", texts), "its <> conjunct would be dropped");
        assertFalse(DistributedProperties.isActionProperty("Fair", texts));
        assertFalse(DistributedProperties.isActionProperty("Live", texts));
        assertFalse(DistributedProperties.isActionProperty("Hidden", texts), "a definition in a comment is none");
        assertFalse(DistributedProperties.isActionProperty("Missing", texts), "an unknown one cannot be told");
    }

    @Test
    void aBrokenActionPropertyIsNamedToo() {
        TlcResult r = runner.run(request("Liveness.tla", "Liveness_action.cfg", 2), TlcListener.NONE);
        assertEquals(TlcVerdict.ACTION_PROPERTY_VIOLATED, r.verdict(), r.message());
        assertEquals("CountGrows", r.violated().orElseThrow());
    }

    @Test
    void localRunsListenOnTheLoopbackAddressOnlyAndServedOnesEverywhere() {
        // TLC's RMI listens on every interface; for a run whose workers are all here, mkspec's
        // launcher binds it to 127.0.0.1 (checked by hand with ss -ltnp: every socket of the
        // server and the workers on 127.0.0.1), so no other host can join as a worker.
        TlcRequest local = request("Counters.tla", "Counters_small.cfg", 2);
        List<String> server = runner.command(local, local.spec(), local.effectiveConfig(), Path.of("run"));
        List<String> worker = runner.workerCommand(local, 1, Path.of("run"));
        assertTrue(server.indexOf(LoopbackRmi.class.getName()) == server.indexOf(TlcRunner.SERVER_CLASS) - 1, server.toString());
        assertTrue(worker.indexOf(LoopbackRmi.class.getName()) == worker.indexOf(TlcRunner.WORKER_CLASS) - 1, worker.toString());
        TlcRequest served = local.withDistributed(new TlcRequest.Distributed(0, "192.0.2.1", 10997, 1));
        List<String> open = runner.command(served, served.spec(), served.effectiveConfig(), Path.of("run"));
        assertFalse(open.contains(LoopbackRmi.class.getName()), "remote workers must reach a served run: " + open);
    }

    @Test
    void aLivenessPropertyIsRefusedBecauseTheServerWouldDropIt() {
        MkspecException e = assertThrows(MkspecException.class,
                () -> runner.run(request("Liveness.tla", "Liveness_lasso.cfg", 2), TlcListener.NONE));
        assertEquals(Problem.INVALID_OPTION, e.problem());
        assertTrue(e.getMessage().contains("EventuallyDone"), e.getMessage());
    }

    @Test
    void aLostWorkerIsSaidAndTheOtherFinishesTheSearch() throws Exception {
        List<String> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<TlcResult> run = CompletableFuture.supplyAsync(() -> runner.run(
                request("Counters.tla", "Counters_large.cfg", 2), new TlcListener() {
                    @Override
                    public void notice(String message) {
                        notices.add(message);
                    }
                }));
        killOneWorkerOnceBothRun(2_500);
        TlcResult r = run.get(3, TimeUnit.MINUTES);
        assertEquals(TlcVerdict.SUCCESS, r.verdict(), r.message());
        assertEquals(160_000, r.distinctStates().getAsLong(), "20^4: the lost worker's states were searched again");
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains("exit code 137 (killed)"), notices.get(0));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("stopped with exit code 137")), r.warnings().toString());
    }

    @Test
    void whenEveryWorkerIsLostTheServerIsStoppedAndTheRunFails() throws Exception {
        LocalWorkers.noWorkerGrace = Duration.ofSeconds(2);
        CompletableFuture<TlcResult> run = CompletableFuture.supplyAsync(() -> runner.run(
                request("Forever.tla", "Forever.cfg", 2), TlcListener.NONE));
        List<ProcessHandle> both = waitForWorkers(2);
        Thread.sleep(1_500);
        both.forEach(ProcessHandle::destroyForcibly);
        TlcResult r = run.get(2, TimeUnit.MINUTES);
        assertEquals(TlcVerdict.TOOL_FAILURE, r.verdict(), r.message());
        assertTrue(r.message().startsWith("Every TLC worker stopped before the server finished"), r.message());
        assertTrue(r.elapsed().toSeconds() < 60, "stopped after the grace period, not at the time limit: " + r.elapsed());
    }

    private static List<ProcessHandle> waitForWorkers(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> w = workers();
            if (w.size() >= n) {
                return w;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the runner did not start " + n + " workers");
    }

    private static void killOneWorkerOnceBothRun(long afterMillis) throws InterruptedException {
        List<ProcessHandle> both = waitForWorkers(2);
        Thread.sleep(afterMillis);
        both.get(1).destroyForcibly();
    }
}
