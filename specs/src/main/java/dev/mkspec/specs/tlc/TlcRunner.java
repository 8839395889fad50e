package dev.mkspec.specs.tlc;

import dev.mkspec.specs.Problem;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs TLC as a child process in {@code -tool} mode and reads its verdict.
 *
 * <p>Each run gets its own directory holding TLC's working directory, its {@code -metadir}
 * ({@code states/}) and its {@code java.io.tmpdir} ({@code tmp/}). This TLC build copies the
 * standard modules into the temporary directory, so two runs that shared one could read each
 * other's files. The fingerprint and state files under {@code states/} are deleted after the run;
 * the raw output is kept in {@code tlc.log}.
 *
 * <p>A runner holds no state between runs and may run several requests at once from different
 * threads.
 */
public final class TlcRunner {
    private static final long POLL_MILLIS = 200;
    private static final Duration OUT_OF_MEMORY_GRACE = Duration.ofSeconds(5);

    private final TlcInstallation installation;

    public TlcRunner(TlcInstallation installation) {
        this.installation = installation;
    }

    /** The installation this runner starts. */
    public TlcInstallation installation() {
        return installation;
    }

    /**
     * Runs TLC and waits for it.
     *
     * @throws dev.mkspec.specs.MkspecException for bad input found before TLC starts (a missing spec
     *     or configuration), or if the process cannot be started; everything TLC itself reports,
     *     including parse errors, comes back as a {@link TlcResult}
     */
    public TlcResult run(TlcRequest request, TlcListener listener) {
        Path spec = request.spec().toAbsolutePath().normalize();
        if (!Files.isRegularFile(spec)) {
            throw Problem.FILE_NOT_FOUND.exception(request.spec());
        }
        if (!spec.getFileName().toString().endsWith(".tla")) {
            throw Problem.WRONG_FILE_TYPE.exception(request.spec(), "TLA+ (.tla)");
        }
        Path config = request.effectiveConfig().toAbsolutePath().normalize();
        if (!Files.isRegularFile(config)) {
            if (request.config().isPresent()) {
                throw Problem.FILE_NOT_FOUND.exception(request.config().get());
            }
            throw Problem.FILE_NOT_FOUND.exception(config + " (TLC reads the .cfg beside the spec unless"
                    + " you name one with --config)");
        }

        boolean temporary = request.runDirectory().isEmpty();
        Path runDir;
        try {
            runDir = temporary ? Files.createTempDirectory("mkspec-tlc-")
                    : Files.createDirectories(request.runDirectory().get().toAbsolutePath());
            Files.createDirectories(runDir.resolve("tmp"));
            deleteTree(runDir.resolve("states"));
            if (request.dumpDot().isPresent() && request.dumpDot().get().toAbsolutePath().getParent() != null) {
                Files.createDirectories(request.dumpDot().get().toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot create TLC's run directory: " + e.getMessage());
        }
        Path log = runDir.resolve("tlc.log");

        List<String> command = command(request, spec, config, runDir);
        TlcOutputInterpreter interpreter = new TlcOutputInterpreter(spec, config, listener);
        ToolOutputReader reader = new ToolOutputReader(interpreter);

        long start = System.nanoTime();
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(runDir.toFile()).redirectErrorStream(true);
            process = pb.start();
        } catch (IOException e) {
            throw Problem.TLC_CRASHED.exception(e, "cannot start " + command.get(0) + ": " + e.getMessage());
        }
        Thread killOnExit = new Thread(() -> killTree(process), "mkspec-kill-tlc");
        Runtime.getRuntime().addShutdownHook(killOnExit);

        Thread pump = new Thread(() -> pump(process, reader, listener, log), "mkspec-tlc-output");
        pump.setDaemon(true);
        pump.start();

        boolean timedOut = false;
        boolean killed = false;
        int exitCode;
        long deadline = request.timeout().map(t -> start + t.toNanos()).orElse(Long.MAX_VALUE);
        long outOfMemorySince = 0;
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                if (now - deadline > 0) {
                    timedOut = true;
                    killed = true;
                    killTree(process);
                    break;
                }
                if (interpreter.outOfMemorySeen()) {
                    // TLC may hang after an OutOfMemoryError in a background thread; give it a
                    // moment to finish on its own, then stop it.
                    if (outOfMemorySince == 0) {
                        outOfMemorySince = now;
                    } else if (now - outOfMemorySince > OUT_OF_MEMORY_GRACE.toNanos()) {
                        killed = true;
                        killTree(process);
                        break;
                    }
                }
            }
            process.waitFor(30, TimeUnit.SECONDS);
            pump.join(TimeUnit.SECONDS.toMillis(30));
            exitCode = killed || process.isAlive() ? -1 : process.exitValue();
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            exitCode = -1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting; the hook kills TLC.
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        Optional<Path> keptLog = Optional.empty();
        try {
            if (request.log().isPresent()) {
                Path target = request.log().get().toAbsolutePath();
                if (target.getParent() != null) {
                    Files.createDirectories(target.getParent());
                }
                Files.copy(log, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                keptLog = Optional.of(target);
            } else if (!temporary) {
                keptLog = Optional.of(log);
            }
            deleteTree(runDir.resolve("states"));
            deleteTree(runDir.resolve("tmp"));
            if (temporary) {
                deleteTree(runDir);
            }
        } catch (IOException | UncheckedIOException e) {
            // Cleaning up is best effort: the verdict does not depend on it.
        }
        return interpreter.result(exitCode, timedOut, request.timeout().orElse(null), elapsed, keptLog);
    }

    /** The command line that starts TLC for this request; visible for tests and for --dry-run. */
    public List<String> command(TlcRequest request, Path spec, Path config, Path runDir) {
        List<String> c = new ArrayList<>();
        c.add(installation.java().toString());
        c.add("-XX:+UseParallelGC");
        request.heap().ifPresent(h -> c.add("-Xmx" + h));
        c.add("-Djava.io.tmpdir=" + runDir.resolve("tmp"));
        c.add("-Dfile.encoding=UTF-8");
        if (!request.libraryPaths().isEmpty()) {
            c.add("-DTLA-Library=" + String.join(java.io.File.pathSeparator,
                    request.libraryPaths().stream().map(p -> p.toAbsolutePath().toString()).toList()));
        }
        c.add("-cp");
        c.add(installation.jar().toString());
        c.add("tlc2.TLC");
        c.add("-tool");
        c.add("-metadir");
        c.add(runDir.resolve("states").toString());
        c.add("-workers");
        c.add(request.workers() == 0 ? "auto" : Integer.toString(request.workers()));
        c.add("-config");
        c.add(config.toString());
        if (request.checkDeadlock().isPresent() && !request.checkDeadlock().get()) {
            c.add("-deadlock");
        }
        request.coverageMinutes().ifPresent(m -> {
            c.add("-coverage");
            c.add(Integer.toString(m));
        });
        request.dumpDot().ifPresent(d -> {
            c.add("-dump");
            c.add("dot,actionlabels");
            c.add(d.toAbsolutePath().toString());
        });
        request.simulation().ifPresent(s -> {
            c.add("-simulate");
            s.traces().ifPresent(n -> c.add("num=" + n));
            c.add("-depth");
            c.add(Integer.toString(s.depth()));
            c.add("-seed");
            c.add(Long.toString(s.seed()));
        });
        c.addAll(request.extraArguments());
        c.add(spec.toString());
        return c;
    }

    private static void pump(Process process, ToolOutputReader reader, TlcListener listener, Path log) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                reader.accept(line);
                listener.rawLine(line);
            }
        } catch (IOException e) {
            // The process was killed or its pipe closed; what was read so far stands.
        } finally {
            reader.finish();
        }
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
