package dev.mkspec.specs.tlc;

import dev.mkspec.specs.InputFiles;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tla.CfgParser;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
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
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final TlcInstallation installation;
    private final java.util.Map<String, String> environment;

    public TlcRunner(TlcInstallation installation) {
        this(installation, System.getenv());
    }

    /** A runner that reads the class-data archive's settings from {@code environment} (tests). */
    TlcRunner(TlcInstallation installation, java.util.Map<String, String> environment) {
        this.installation = installation;
        this.environment = java.util.Map.copyOf(environment);
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
        checkInputs(request);
        // A heap of 32 GB or more turns compressed pointers off, and the JVM then maps no archive
        // made with them (silently): no archive, and no class list from such a run either.
        // The archive is made from, and for, single-process TLC: a distributed server loads other classes.
        Optional<ClassDataArchive> archive = request.heap().filter(TlcRunner::beyondCompressedPointers).isPresent()
                || request.distributed().isPresent() ? Optional.empty() : ClassDataArchive.of(installation, environment);
        int[] exit = {-1};
        TlcResult r;
        try {
            r = runOnce(request, listener, archive, exit);
            if (request.distributed().map(d -> d.port() == 0).orElse(false) && r.verdict() == TlcVerdict.TOOL_FAILURE
                    && r.message().contains("Port already in use") && !Thread.currentThread().isInterrupted()) {
                // The free port found was taken before the server bound it (another run): once more,
                // on another. This run's workers, which may have joined whatever holds the port, were
                // stopped with the run.
                listener.notice("the port chosen for TLC's server was taken before it started; trying another");
                r = runOnce(request, listener, archive, exit);
            }
        } finally {
            // Kept only from a JVM that exited by itself; a killed one may have cut it short.
            archive.ifPresent(a -> a.finish(exit[0]));
        }
        // -1: killed by the runner (or never started); 128 + 9 and 128 + 15: SIGKILL and SIGTERM,
        // what killTree sends, also from mkspec's shutdown hook. A damaged archive makes the JVM
        // abort by itself (SIGABRT, 134), which is not a kill.
        boolean killed = exit[0] < 0 || exit[0] == 128 + 9 || exit[0] == 128 + 15;
        if (archive.isPresent() && !archive.get().writes() && r.verdict() == TlcVerdict.TOOL_FAILURE
                && r.tlcVersion().equals(TlcOutputInterpreter.UNKNOWN_VERSION) && !killed && !Thread.currentThread().isInterrupted()) {
            // A JVM that cannot map the archive (a damaged one) stops by itself before TLC says
            // anything. Drop it for good and run again without. A run that only wrote the class
            // list cannot fail for it, a TLC that printed its version got past the archive, and a
            // TLC that was killed (mkspec stopped by a signal, or interrupted) says nothing about
            // the archive: in each case it stays.
            archive.get().discard();
            return runOnce(request, listener, Optional.empty(), exit);
        }
        return r;
    }

    /** Whether a heap given as for {@code -Xmx} is 32 GB or more. */
    static boolean beyondCompressedPointers(String heap) {
        return dev.mkspec.specs.ByteSize.parse(heap).orElse(0) >= 1L << 35;
    }

    /** One TLC run; {@code exit[0]} gets the JVM's exit code (-1 if it was killed or never started). */
    private TlcResult runOnce(TlcRequest request, TlcListener listener, Optional<ClassDataArchive> archive, int[] exit) {
        if (request.distributed().isPresent() && request.distributed().get().port() == 0) {
            TlcRequest.Distributed d = request.distributed().get();
            request = request.withDistributed(new TlcRequest.Distributed(d.localWorkers(), d.host(), freePort(),
                    d.threadsPerWorker()));
        }
        Path spec = request.spec().toAbsolutePath().normalize();
        Path config = request.effectiveConfig().toAbsolutePath().normalize();

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

        // TLC 2.18 finds a configuration only in the spec's folder or on its library path, so a
        // cfg that lives elsewhere (a user's own, anywhere) is copied under a name that cannot
        // clash with the spec folder's files into a folder of its own on the library path. TLC's
        // messages are translated back to the user's path.
        TlcRequest effective = request;
        Path tlcConfig = config;
        Optional<String[]> rename = Optional.empty();
        if (!Objects.equals(config.getParent(), spec.getParent())) {
            try {
                Path dir = Files.createDirectories(runDir.resolve("config"));
                Path copy = dir.resolve("mkspec-config-" + Long.toHexString(System.nanoTime()) + ".cfg");
                Files.copy(config, copy, StandardCopyOption.REPLACE_EXISTING);
                List<Path> library = new ArrayList<>(request.libraryPaths());
                library.add(dir);
                effective = request.withLibraryPaths(library);
                tlcConfig = Path.of(copy.getFileName().toString());
                rename = Optional.of(new String[] {copy.toString(), copy.getFileName().toString(), config.toString()});
            } catch (IOException e) {
                if (temporary) {
                    try {
                        deleteTree(runDir);
                    } catch (IOException | UncheckedIOException ignored) {
                        // Best effort.
                    }
                }
                throw Problem.IO_ERROR.exception(e, "cannot copy " + config + " into TLC's run directory: " + e.getMessage());
            }
        }

        if (effective.distributed().isPresent()) {
            // TLC's server looks for the root module only in its working directory and on the
            // library path, not at the path it is given.
            List<Path> library = new ArrayList<>(effective.libraryPaths());
            library.add(0, spec.getParent());
            effective = effective.withLibraryPaths(library);
            // It also ignores the cfg's CHECK_DEADLOCK and checks deadlock unless given -deadlock.
            if (effective.checkDeadlock().isEmpty() && !CfgParser.parse(config).checksDeadlock()) {
                effective = effective.withCheckDeadlock(false);
            }
        }
        List<String> command = new ArrayList<>(command(effective, spec, tlcConfig, runDir));
        archive.ifPresent(a -> command.addAll(1, a.options()));
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
        Path dirToRemove = temporary ? runDir : null;
        LocalWorkers workers = new LocalWorkers(this, effective, runDir);
        Thread killOnExit = new Thread(() -> {
            // mkspec itself is being stopped (Ctrl-C, SIGTERM): stop TLC and leave nothing behind.
            killTree(process);
            workers.stopAll();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // The output pump may still be appending to tlc.log, and a dying TLC may still be
            // writing its states: a deletion can meet a file that appeared after it listed the
            // folder. Try again for a few seconds until the folder is gone.
            for (int attempt = 0; dirToRemove != null && Files.exists(dirToRemove) && attempt < 30; attempt++) {
                try {
                    deleteTree(dirToRemove);
                } catch (IOException | UncheckedIOException e) {
                    // Best effort while the JVM exits; tried again below.
                }
                if (Files.exists(dirToRemove)) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "mkspec-kill-tlc");
        try {
            Runtime.getRuntime().addShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // mkspec is being stopped (a signal) and this run started as it was: no hook will stop
            // this TLC, so it is stopped here, and the run ends as one interrupted (below, at once).
            // Before, the exception escaped as "a bug in mkspec" from a mutation run's worker.
            killOnExit.run();
            Thread.currentThread().interrupt();
        }

        Optional<String[]> names = rename;
        Thread pump = new Thread(() -> pump(process, reader, listener, log, names), "mkspec-tlc-output");
        pump.setDaemon(true);
        pump.start();
        try {
            workers.start();
        } catch (RuntimeException e) {
            killTree(process);
            workers.stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The hook stops what was started.
            }
            try {
                if (dirToRemove != null) {
                    deleteTree(dirToRemove);
                }
            } catch (IOException | UncheckedIOException ignored) {
                // A temporary folder; best effort.
            }
            throw e;
        }

        boolean timedOut = false;
        boolean killed = false;
        int exitCode;
        // TLC stops itself at the time limit (tlc2.TLC.stopAfter) and prints its final counts; the
        // runner kills it only if it has not stopped a grace period later.
        long deadline = request.timeout().map(t -> start + t.toNanos() + STOP_GRACE.toNanos()).orElse(Long.MAX_VALUE);
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
                if (workers.check(now, listener)) {
                    // Every local worker has stopped and the server, which waits for workers
                    // forever, has not finished: nothing will.
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
            // Workers leave by themselves when the server says the work is done; any that did not
            // (a server that failed or was stopped) are stopped here, never left running.
            workers.stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting; the hook kills TLC.
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        exit[0] = exitCode;

        Optional<Path> keptLog = Optional.empty();
        workers.appendLogs(log);
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
            deleteTree(runDir.resolve("config"));
            if (temporary) {
                deleteTree(runDir);
            }
        } catch (IOException | UncheckedIOException e) {
            // Cleaning up is best effort: the verdict does not depend on it.
        }
        if (!timedOut && request.timeout().isPresent() && interpreter.stoppedEarly(request.timeout().get())) {
            timedOut = true;
        }
        TlcResult result = workers.judge(interpreter.result(exitCode, timedOut, request.timeout().orElse(null), elapsed,
                keptLog));
        if (request.distributed().isPresent() && !timedOut && interpreter.traceWithoutVerdict()
                && result.verdict() == TlcVerdict.TOOL_FAILURE && result.trace().isPresent()) {
            result = DistributedVerdict.name(this, request, result, listener);
        }
        return result;
    }

    private static final java.util.regex.Pattern MODULE_HEADER =
            java.util.regex.Pattern.compile("-{4,}\\s*MODULE\\s+(\\w+)");

    /**
     * Refuses a file that holds no module header, or one whose module is not named after the file:
     * TLC reports both as a "Module-Table lookup failure" that says nothing about the cause.
     */
    static void checkModuleHeader(Path file, String text) {
        String expected = file.getFileName().toString().replaceFirst("\\.tla$", "");
        java.util.regex.Matcher m = MODULE_HEADER.matcher(text);
        if (!m.find()) {
            throw Problem.TLA_PARSE_ERROR.exception(file + ":1:1: the file holds no module header; a TLA+ file "
                    + expected + ".tla must begin with '---- MODULE " + expected + " ----'");
        }
        if (!m.group(1).equals(expected)) {
            long line = text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
            throw Problem.TLA_PARSE_ERROR.exception(file + ":" + line + ":1: the file holds module " + m.group(1)
                    + ", but TLC requires a file's root module to be named after it: MODULE " + expected
                    + " (or rename the file to " + m.group(1) + ".tla)");
        }
    }

    /**
     * Checks the request's spec and configuration before TLC starts: both must be readable files,
     * the spec a text file holding a module named after it.
     *
     * @throws dev.mkspec.specs.MkspecException naming the file and what is wrong with it
     */
    public static void checkInputs(TlcRequest request) {
        InputFiles.requireFile(request.spec(), "the spec", ".tla", "TLA+");
        checkModuleHeader(request.spec(), InputFiles.readText(request.spec(), "the spec", "a TLA+ module"));
        Path config = request.effectiveConfig();
        if (request.config().isPresent()) {
            InputFiles.requireFile(config, "the configuration given with --config");
        } else if (!Files.exists(config)) {
            throw Problem.FILE_NOT_FOUND.exception(config + " (TLC reads the .cfg beside the spec unless"
                    + " you name one with --config)");
        } else {
            InputFiles.requireFile(config, "the configuration beside the spec");
        }
        if (request.distributed().isPresent()) {
            if (CfgParser.parse(config).postcondition().isPresent()) {
                throw Problem.INVALID_OPTION.exception("TLC's distributed server never evaluates a POSTCONDITION, and "
                        + config + " has one; run it without --distributed, or leave the POSTCONDITION out");
            }
            List<String> skipped = DistributedProperties.notChecked(request);
            if (!skipped.isEmpty()) {
                throw Problem.INVALID_OPTION.exception("TLC's distributed server checks invariants and action "
                        + "properties ([][A]_v) only, and drops any other property without saying so; " + config
                        + " names " + String.join(", ", skipped) + " in PROPERTIES, which "
                        + (skipped.size() == 1 ? "is not" : "are not") + " one [][A]_v and nothing else (or not defined "
                        + "in the spec or a module it EXTENDS). Run it without --distributed, or check it with a .cfg "
                        + "that leaves " + (skipped.size() == 1 ? "it" : "them") + " out");
            }
        }
    }

    /** The command line that starts TLC for this request; visible for tests and for --dry-run. */
    public List<String> command(TlcRequest request, Path spec, Path config, Path runDir) {
        List<String> c = new ArrayList<>();
        c.add(installation.java().toString());
        c.add("-XX:+UseParallelGC");
        if (request.quickStart()) {
            c.add("-XX:TieredStopAtLevel=1");
        }
        request.heap().ifPresent(h -> c.add("-Xmx" + h));
        c.add("-Djava.io.tmpdir=" + runDir.resolve("tmp"));
        c.add("-Dfile.encoding=UTF-8");
        request.timeout().ifPresent(t -> c.add("-Dtlc2.TLC.stopAfter=" + Math.max(1, (t.toMillis() + 999) / 1000)));
        request.distributed().ifPresent(d -> c.addAll(rmiProperties(d)));
        if (!request.libraryPaths().isEmpty()) {
            c.add("-DTLA-Library=" + String.join(java.io.File.pathSeparator,
                    request.libraryPaths().stream().map(p -> p.toAbsolutePath().toString()).toList()));
        }
        classPathAndMain(c, request.distributed(), request.distributed().isPresent() ? SERVER_CLASS : "tlc2.TLC");
        c.add("-tool");
        c.add("-metadir");
        c.add(runDir.resolve("states").toString());
        if (request.distributed().isEmpty()) {
            // The server has no workers of its own (and refuses -workers).
            c.add("-workers");
            c.add(request.workers() == 0 ? "auto" : Integer.toString(request.workers()));
        }
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

    /** TLC's distributed server, in the same jar as TLC. */
    public static final String SERVER_CLASS = "tlc2.tool.distributed.TLCServer";
    /** TLC's distributed worker. */
    public static final String WORKER_CLASS = "tlc2.tool.distributed.TLCWorker";

    /** The system properties that put the server and its workers on one RMI address and port. */
    private static List<String> rmiProperties(TlcRequest.Distributed d) {
        return List.of("-Djava.rmi.server.hostname=" + d.host(), "-D" + SERVER_CLASS + ".port=" + d.port());
    }

    /**
     * The command line of local worker {@code index} (from 1) of a distributed request whose port is
     * set; visible for tests.
     */
    public List<String> workerCommand(TlcRequest request, int index, Path runDir) {
        TlcRequest.Distributed d = request.distributed().orElseThrow(
                () -> new IllegalArgumentException("the request is not distributed"));
        List<String> c = new ArrayList<>();
        c.add(installation.java().toString());
        c.add("-XX:+UseParallelGC");
        request.heap().ifPresent(h -> c.add("-Xmx" + h));
        c.add("-Djava.io.tmpdir=" + runDir.resolve("worker-" + index));
        c.add("-Dfile.encoding=UTF-8");
        c.addAll(rmiProperties(d));
        c.add("-D" + WORKER_CLASS + ".threadCount=" + d.threadsPerWorker());
        classPathAndMain(c, Optional.of(d), WORKER_CLASS);
        c.add(d.host());
        return c;
    }

    /**
     * What a worker on another machine runs to join a server started with {@code d}: the jar's own
     * name stands for wherever that machine keeps it.
     */
    public String remoteWorkerCommand(TlcRequest.Distributed d) {
        return "java -D" + SERVER_CLASS + ".port=" + d.port() + " -cp " + installation.jar().getFileName() + " "
                + WORKER_CLASS + " " + d.host();
    }

    /**
     * {@code -cp} and the main class: TLC's jar and {@code main}, or, for a distributed run that
     * stays on this machine, {@link LoopbackRmi} in front of {@code main} with its own classes on
     * the path.
     */
    private void classPathAndMain(List<String> c, Optional<TlcRequest.Distributed> d, String main) {
        boolean loopback = d.map(TlcRunner::loopbackOnly).orElse(false);
        c.add("-cp");
        c.add(installation.jar() + (loopback ? java.io.File.pathSeparator + launcherPath() : ""));
        if (loopback) {
            c.add(LoopbackRmi.class.getName());
        }
        c.add(main);
    }

    /**
     * Whether every process of a distributed run is on this machine, at the loopback address: then
     * RMI listens on that address only ({@link LoopbackRmi}).
     */
    static boolean loopbackOnly(TlcRequest.Distributed d) {
        try {
            return d.localWorkers() > 0 && InetAddress.getByName(d.host()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Where {@link LoopbackRmi} is loaded from (mkspec's jar, or its classes folder), for a class path. */
    private static String launcherPath() {
        try {
            return Path.of(LoopbackRmi.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where mkspec's classes are: " + e, e);
        }
    }

    /** A TCP port that is free on the loopback address now (the server binds it a moment later). */
    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot find a free port for TLC's server: " + e.getMessage()
                    + "; name one with --port");
        }
    }

    private static void pump(Process process, ToolOutputReader reader, TlcListener listener, Path log,
            Optional<String[]> rename) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                if (rename.isPresent()) {
                    // The copy's full path first, then its bare name, both back to the user's path.
                    line = line.replace(rename.get()[0], rename.get()[2]).replace(rename.get()[1], rename.get()[2]);
                }
                reader.accept(line);
                listener.rawLine(line);
            }
        } catch (IOException e) {
            // The process was killed or its pipe closed; what was read so far stands.
        } finally {
            reader.finish();
        }
    }

    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    static void deleteTree(Path dir) throws IOException {
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
