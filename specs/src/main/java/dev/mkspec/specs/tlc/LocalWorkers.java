package dev.mkspec.specs.tlc;

import dev.mkspec.specs.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The worker JVMs of a distributed TLC run that the runner starts on this machine, and what became
 * of them. TLC's server waits for workers without limit: when one is lost it puts the lost
 * worker's states back on its queue and goes on with the others, and when none is left it waits for
 * a new one. So this class says when a worker stops before the work is done, gives the server up
 * once no worker has been left for a while, and stops every worker when the run ends.
 *
 * <p>A worker that the server dismissed at the end says "work completed" and exits with code 0.
 * Any other end is a lost worker: another exit code, or code 0 after "Failed to start worker"
 * (TLC's worker catches its own failure to start). Once one worker has been dismissed the server
 * is finishing (its last fingerprint check and summary can take a while on a large run), so no
 * limit applies to it any more but the run's own.
 */
final class LocalWorkers {
    /** How long the server may go on without any worker before the run is given up. */
    static volatile Duration noWorkerGrace = Duration.ofSeconds(15);

    private final TlcRunner runner;
    private final TlcRequest request;
    private final Path runDir;
    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> noted = new ArrayList<>();
    private final List<String> lost = new ArrayList<>();
    private long start;
    private long noneSince;
    private boolean gaveUp;
    private boolean dismissed;
    private boolean closed;

    LocalWorkers(TlcRunner runner, TlcRequest request, Path runDir) {
        this.runner = runner;
        this.request = request;
        this.runDir = runDir;
    }

    private int count() {
        return request.distributed().map(TlcRequest.Distributed::localWorkers).orElse(0);
    }

    /** Starts the workers, if the request has any; they find the server by themselves when it is up. */
    synchronized void start() {
        start = System.nanoTime();
        for (int i = 1; i <= count(); i++) {
            if (closed || Thread.currentThread().isInterrupted()) {
                // mkspec is stopping (the shutdown hook ran first): start nothing more.
                return;
            }
            try {
                Files.createDirectories(runDir.resolve("worker-" + i));
                ProcessBuilder pb = new ProcessBuilder(runner.workerCommand(request, i, runDir))
                        .directory(runDir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log(i).toFile());
                processes.add(pb.start());
            } catch (IOException e) {
                throw Problem.TLC_CRASHED.exception(e, "cannot start TLC worker " + i + " of " + count() + ": "
                        + e.getMessage());
            }
        }
    }

    private Path log(int i) {
        return runDir.resolve("worker-" + i + ".log");
    }

    /**
     * Notes the workers that stopped since the last call, telling {@code listener} of each lost one.
     * Called while the server runs.
     *
     * @return whether no worker has been left for {@link #noWorkerGrace}: the server should be stopped
     */
    synchronized boolean check(long now, TlcListener listener) {
        if (processes.isEmpty()) {
            return false;
        }
        int alive = 0;
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            if (p.isAlive()) {
                alive++;
            } else if (!noted.contains(i)) {
                noted.add(i);
                int code = p.exitValue();
                String output = output(i + 1);
                if (code == 0 && output.contains("work completed")) {
                    dismissed = true;
                } else {
                    String line = String.format("TLC worker %d of %d (pid %d) stopped with exit code %d%s %.0f s into"
                            + " the run, before the server finished", i + 1, processes.size(), p.pid(), code,
                            code == 128 + 9 ? " (killed)" : output.contains("Failed to start worker")
                                    ? " (it failed to start: see its output in TLC's log)" : "", (now - start) / 1e9);
                    lost.add(line);
                    listener.notice(line + (processes.size() - noted.size() > 0
                            ? "; TLC's server puts its states back on the queue for the other workers" : ""));
                }
            }
        }
        if (alive > 0 || dismissed) {
            noneSince = 0;
            return false;
        }
        if (noneSince == 0) {
            noneSince = now;
        }
        if (now - noneSince > noWorkerGrace.toNanos()) {
            gaveUp = true;
            return true;
        }
        return false;
    }

    /** A worker's output so far ("" if it cannot be read). */
    private String output(int i) {
        try {
            return Files.exists(log(i)) ? Files.readString(log(i), StandardCharsets.UTF_8) : "";
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    /** Stops every worker still running, with anything it started, and starts no more. */
    synchronized void stopAll() {
        closed = true;
        for (Process p : processes) {
            if (p.isAlive()) {
                TlcRunner.killTree(p);
            }
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Appends each worker's output to the server's log (where a reader looks for it) and removes the
     * workers' own files.
     */
    synchronized void appendLogs(Path serverLog) {
        for (int i = 1; i <= processes.size(); i++) {
            Process p = processes.get(i - 1);
            try {
                String exit = p.isAlive() ? "still running" : "exit code " + p.exitValue();
                String text = Files.exists(log(i)) ? Files.readString(log(i), StandardCharsets.UTF_8) : "";
                Files.writeString(serverLog, "\n---- mkspec: output of TLC worker " + i + " of " + processes.size()
                        + " (" + exit + ") ----\n" + text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                Files.deleteIfExists(log(i));
                TlcRunner.deleteTree(runDir.resolve("worker-" + i));
            } catch (IOException | java.io.UncheckedIOException e) {
                // The workers' output is kept on a best-effort basis: the verdict is the server's.
            }
        }
    }

    /**
     * The server's result as the run's: a run whose workers were all lost is a tool failure, and
     * each lost worker is a warning.
     */
    synchronized TlcResult judge(TlcResult r) {
        if (processes.isEmpty()) {
            return r;
        }
        List<String> warnings = new ArrayList<>(r.warnings());
        warnings.addAll(lost);
        TlcVerdict verdict = r.verdict();
        String message = r.message();
        if (gaveUp) {
            verdict = TlcVerdict.TOOL_FAILURE;
            message = "Every TLC worker stopped before the server finished"
                    + (lost.isEmpty() ? "" : " (" + String.join("; ", lost) + ")")
                    + r.distinctStates().stream().mapToObj(d -> String.format(", with %,d distinct states found", d))
                            .findFirst().orElse("")
                    + ". TLC's server waits for new workers without limit, so mkspec stopped it after "
                    + noWorkerGrace.toSeconds() + " s without one. Each worker's output is at the end of TLC's log "
                    + "(keep it with --log FILE).";
        } else if (lost.isEmpty()) {
            return r;
        }
        return r.judged(verdict, r.violated(), message, r.position(), r.trace(), warnings);
    }
}
