package dev.mkspec.specs.alloy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.trace.ItfReader;
import dev.mkspec.specs.trace.Trace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs an Alloy file in a child JVM ({@link AlloyWorker}), one command after another, with a time
 * limit per command. A command that runs past its limit, runs out of memory or crashes the JVM is
 * recorded as such, and the remaining commands run in a fresh child.
 *
 * <p>A runner holds no state between runs; several may run at once.
 */
public final class AlloyProcessRunner {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Optional<Duration> timeoutPerCommand;
    private final Optional<String> heap;

    /**
     * @param timeoutPerCommand the limit for each command; empty for none
     * @param heap the child JVM's maximum heap (e.g. "2g"); empty for Java's default
     */
    public AlloyProcessRunner(Optional<Duration> timeoutPerCommand, Optional<String> heap) {
        this.timeoutPerCommand = timeoutPerCommand;
        this.heap = heap;
    }

    /**
     * Runs every command of the file, or only the one named.
     *
     * @throws MkspecException if the file is missing, does not parse or type-check, or names no such
     *     command; or if the child JVM cannot be started
     */
    public AlloyFileResult run(Path file, Optional<String> command, AlloyListener listener) {
        return run(file, command.map(List::of).orElse(List.of()), listener);
    }

    /**
     * Runs the named commands of the file, in file order, or every command if none is named.
     *
     * @throws MkspecException as {@link #run(Path, Optional, AlloyListener)} does
     */
    public AlloyFileResult run(Path file, List<String> command, AlloyListener listener) {
        AlloyRunner.checkInput(file);
        Map<Integer, AlloyCommandResult> results = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        List<AlloyCommandInfo> commands = null;
        String version = "unknown";
        int from = 0;
        while (true) {
            Attempt a = attempt(file, command, from, commands == null, listener);
            if (a.error != null) {
                throw a.error;
            }
            if (commands == null) {
                commands = a.commands;
                version = a.version;
                warnings.addAll(a.warnings);
                if (commands == null) {
                    throw Problem.ALLOY_CRASHED.exception("the Alloy worker ended before it parsed " + file
                            + (a.stderrTail.isEmpty() ? "" : ": " + a.stderrTail));
                }
            }
            results.putAll(a.results);
            if (a.unfinished == null) {
                break;
            }
            results.put(a.unfinished.command().index(), a.unfinished);
            listener.finished(a.unfinished);
            from = a.unfinished.command().index() + 1;
            final int next = from;
            if (commands.stream().noneMatch(c -> c.index() >= next)) {
                break;
            }
        }
        List<AlloyCommandResult> ordered = new ArrayList<>();
        for (AlloyCommandInfo c : commands) {
            AlloyCommandResult r = results.get(c.index());
            if (r == null) {
                r = new AlloyCommandResult(c, AlloyOutcome.ERROR, Duration.ZERO, Optional.empty(),
                        "the Alloy worker ended without running this command");
            }
            ordered.add(r);
        }
        return new AlloyFileResult(file, version, ordered, warnings);
    }

    /** What one child JVM did before it exited or was stopped. */
    private static final class Attempt {
        MkspecException error;
        List<AlloyCommandInfo> commands;
        String version;
        final List<String> warnings = new ArrayList<>();
        final List<String> otherOutput = new ArrayList<>();
        final Map<Integer, AlloyCommandResult> results = new TreeMap<>();
        AlloyCommandResult unfinished;
        String stderrTail = "";
    }

    private Attempt attempt(Path file, List<String> command, int from, boolean announce, AlloyListener listener) {
        List<String> cmd = new ArrayList<>();
        cmd.add(dev.mkspec.specs.tlc.TlcInstallation.currentJava().toString());
        heap.ifPresent(h -> cmd.add("-Xmx" + h));
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        // Alloy unpacks its SAT solvers' native libraries into a new folder under java.io.tmpdir in
        // every JVM and never removes it (nor the solvers' empty .cnf files): give the child a
        // folder of its own, removed when it exits.
        Path tmp;
        try {
            tmp = Files.createTempDirectory("mkspec-alloy-");
        } catch (IOException e) {
            throw Problem.ALLOY_CRASHED.exception(e, "cannot create a temporary folder for the Alloy worker: " + e.getMessage());
        }
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(AlloyWorker.class.getName());
        cmd.add(file.toAbsolutePath().toString());
        for (String c : command) {
            cmd.add("--command");
            cmd.add(c);
        }
        cmd.add("--from");
        cmd.add(Integer.toString(from));

        Attempt a = new Attempt();
        Process process;
        try {
            Path errLog = tmp.resolve("worker.err");
            process = new ProcessBuilder(cmd).redirectError(errLog.toFile()).start();
            a.stderrTail = "";
            Process child = process;
            Thread killOnExit = new Thread(() -> {
                // Stopped by a signal: the finally below may not run, so the folder goes here.
                child.destroyForcibly();
                try {
                    child.waitFor(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                deleteTree(tmp);
            }, "mkspec-kill-alloy");
            Runtime.getRuntime().addShutdownHook(killOnExit);
            try {
                readEvents(process, a, announce, listener);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(killOnExit);
                } catch (IllegalStateException shuttingDown) {
                    // The hook will stop the child.
                }
                if (a.unfinished != null || a.error != null || a.commands == null) {
                    List<String> lines = Files.readAllLines(errLog, StandardCharsets.UTF_8);
                    lines = new ArrayList<>(lines);
                    lines.addAll(a.otherOutput);
                    a.stderrTail = String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size())).trim();
                }
            }
        } catch (IOException e) {
            throw Problem.ALLOY_CRASHED.exception(e, "cannot start the Alloy worker: " + e.getMessage());
        } finally {
            deleteTree(tmp);
        }
        if (a.unfinished != null && a.unfinished.outcome() == AlloyOutcome.ERROR && !a.stderrTail.isEmpty()) {
            AlloyCommandResult u = a.unfinished;
            a.unfinished = new AlloyCommandResult(u.command(), stderrOutcome(a.stderrTail), u.elapsed(),
                    Optional.empty(), u.message() + ": " + a.stderrTail);
        }
        return a;
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // Best effort: a file the child still holds open on some systems.
        }
    }

    private static AlloyOutcome stderrOutcome(String stderr) {
        return stderr.contains("OutOfMemoryError") ? AlloyOutcome.OUT_OF_MEMORY : AlloyOutcome.ERROR;
    }

    private void readEvents(Process process, Attempt a, boolean announce, AlloyListener listener) throws IOException {
        AtomicLong commandStart = new AtomicLong(-1);
        AlloyCommandInfo[] running = new AlloyCommandInfo[1];
        boolean[] timedOut = new boolean[1];
        Thread watchdog = null;
        if (timeoutPerCommand.isPresent()) {
            long limit = timeoutPerCommand.get().toNanos();
            watchdog = new Thread(() -> {
                while (process.isAlive()) {
                    long s = commandStart.get();
                    if (s >= 0 && System.nanoTime() - s > limit) {
                        timedOut[0] = true;
                        process.destroyForcibly();
                        return;
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "mkspec-alloy-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith(AlloyWorker.PREFIX)) {
                    // The JVM's own complaints (it could not start, say) arrive here.
                    if (a.otherOutput.size() < 8 && !line.isBlank()) {
                        a.otherOutput.add(line);
                    }
                    continue;
                }
                JsonNode e = MAPPER.readTree(line.substring(AlloyWorker.PREFIX.length()));
                switch (e.path("event").asText()) {
                    case "error" -> {
                        Problem p = Problem.valueOf(e.path("problem").asText("ALLOY_CRASHED"));
                        a.error = p.withFormattedMessage(e.path("message").asText());
                    }
                    case "parsed" -> {
                        a.version = e.path("version").asText();
                        e.path("warnings").forEach(w -> a.warnings.add(w.asText()));
                        a.commands = new ArrayList<>();
                        for (JsonNode c : e.path("commands")) {
                            a.commands.add(new AlloyCommandInfo(c.path("index").asInt(), c.path("name").asText(),
                                    c.path("check").asBoolean(), c.path("line").asInt(), c.path("text").asText(),
                                    c.has("expect") ? AlloyOutcome.fromId(c.get("expect").asText()) : Optional.empty(),
                                    names(c.path("witnessOf"))));
                        }
                        if (announce) {
                            listener.parsed(a.commands);
                        }
                    }
                    case "start" -> {
                        running[0] = find(a.commands, e.path("index").asInt());
                        commandStart.set(System.nanoTime());
                        listener.started(running[0]);
                    }
                    case "result" -> {
                        AlloyCommandInfo info = find(a.commands, e.path("index").asInt());
                        Optional<Trace> instance = e.has("instance")
                                ? Optional.of(ItfReader.fromJson(e.get("instance").toString(), info.name()))
                                : Optional.empty();
                        AlloyOutcome outcome = AlloyOutcome.fromId(e.path("outcome").asText()).orElse(AlloyOutcome.ERROR);
                        AlloyCommandResult r = new AlloyCommandResult(info, outcome,
                                Duration.ofNanos(e.path("nanos").asLong()), instance, e.path("message").asText(""));
                        commandStart.set(-1);
                        running[0] = null;
                        if (outcome == AlloyOutcome.OUT_OF_MEMORY) {
                            a.unfinished = r;
                        } else {
                            a.results.put(info.index(), r);
                            listener.finished(r);
                        }
                    }
                    default -> {
                        // An event this version does not know; ignore it.
                    }
                }
            }
        }
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
        if (running[0] != null && a.unfinished == null) {
            long s = commandStart.get();
            Duration elapsed = s < 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - s);
            if (timedOut[0]) {
                a.unfinished = new AlloyCommandResult(running[0], AlloyOutcome.TIMEOUT, elapsed, Optional.empty(),
                        "stopped after the time limit of " + timeoutPerCommand.get().toSeconds() + "s");
            } else {
                a.unfinished = new AlloyCommandResult(running[0], AlloyOutcome.ERROR, elapsed, Optional.empty(),
                        "the Alloy worker exited with code " + (process.isAlive() ? "?" : process.exitValue())
                                + " while running this command");
            }
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static AlloyCommandInfo find(List<AlloyCommandInfo> commands, int index) {
        for (AlloyCommandInfo c : commands) {
            if (c.index() == index) {
                return c;
            }
        }
        throw new IllegalStateException("the Alloy worker reported an unknown command " + index);
    }

    /** The jars (or class directories) the worker needs: ours, Alloy's and Jackson's. */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : List.of(AlloyWorker.class, edu.mit.csail.sdg.alloy4.A4Reporter.class,
                ObjectMapper.class, com.fasterxml.jackson.core.JsonFactory.class,
                com.fasterxml.jackson.annotation.JsonProperty.class)) {
            try {
                entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException | NullPointerException e) {
                throw Problem.TOOL_NOT_FOUND.exception(e, "the class path entry of " + c.getName());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
