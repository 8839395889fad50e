package dev.mkspec.specs.tlc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A class-data-sharing archive of TLC's classes (a static AppCDS archive), so that a TLC child
 * process maps the classes an earlier run loaded instead of loading and verifying them again. A
 * check plan starts TLC some two hundred times, most of them on small models where starting takes
 * as long as checking; the archive saves about 0.2 s of each start (measured in README, "Set up").
 *
 * <p>The first run of an installation lists the classes it loads ({@code -XX:DumpLoadedClassList},
 * into a file of its own). If that TLC came to a verdict (exit 0, or 10 to 14 for a violation), a
 * JVM that runs no TLC code builds the archive from the list ({@code -Xshare:dump}), and the
 * archive is moved into place; later runs map it ({@code -XX:SharedArchiveFile}). A list from a run
 * that did not (a parse error, a broken jar) would leave out classes every real run needs, so no
 * archive is built from it and the next run lists again; a build that fails turns the archive off
 * for the rest of the process. A static archive, not JDK 17's dynamic one
 * ({@code -XX:ArchiveClassesAtExit}): a dynamic archive is written by the running TLC, and JDK 17
 * copies each method's "queued for compilation" flag into it (JDK-8306460, fixed in JDK 21). A
 * method that was queued when that TLC exited is then never compiled in any run that maps the
 * archive: measured, an archive in which TLC's evaluator ({@code Tool.evalImpl}) stayed interpreted
 * made Ipc {@code fast} take 85.9 s against 13.2 s without it, and how often that happens depends
 * on the timing of the run that wrote it.
 *
 * <p>The archive is kept under {@code $MKSPEC_CACHE} (default {@code $XDG_CACHE_HOME/mkspec}, or
 * {@code ~/.cache/mkspec}), named by a digest of the Java executable and the TLC jar (their paths,
 * sizes and times), so a new JDK or jar gets its own. The JDK's messages about sharing are turned
 * off, so that they do not mix with TLC's output. It is left out with {@code MKSPEC_TLC_CDS=off},
 * when the cache folder cannot be written, and while another run of this process writes it. A run
 * whose JVM fails before TLC says anything while mapping an archive is run again without it, and
 * the archive is dropped for the rest of the process: a damaged archive can crash the JVM that maps
 * it. Files a writing process left behind when it was killed ({@code .part}, {@code .classlist})
 * are deleted by the next writer once that process is gone.
 */
final class ClassDataArchive {
    /** The variable that turns the archive off ({@code off}). */
    static final String SWITCH = "MKSPEC_TLC_CDS";
    /** The variable naming the cache folder. */
    static final String CACHE = "MKSPEC_CACHE";
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    /** Archives this mkspec process is writing, so that two concurrent runs do not both write one. */
    private static final Map<Path, Boolean> WRITING = new ConcurrentHashMap<>();

    /** Set when a run with an archive failed: no more archives in this process. */
    private static volatile boolean disabled;

    /** How long building the archive from the class list may take (it takes about 1.5 s). */
    private static final long DUMP_SECONDS = 120;

    private final TlcInstallation installation;
    private final Path archive;
    private final Path partial;
    private final boolean writes;
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

    private ClassDataArchive(TlcInstallation installation, Path archive, Path partial, boolean writes) {
        this.installation = installation;
        this.archive = archive;
        this.partial = partial;
        this.writes = writes;
    }

    /** The archive for a run of {@code installation}, or empty when it is off or cannot be kept. */
    static Optional<ClassDataArchive> of(TlcInstallation installation, Map<String, String> environment) {
        if (disabled || "off".equalsIgnoreCase(environment.getOrDefault(SWITCH, ""))) {
            return Optional.empty();
        }
        try {
            Optional<Path> folder = folder(environment);
            if (folder.isEmpty()) {
                return Optional.empty();
            }
            Files.createDirectories(folder.get());
            if (!Files.isWritable(folder.get())) {
                return Optional.empty();
            }
            // "tlc-static-": archives named "tlc-" are dynamic ones from earlier versions, which
            // may carry the flag that keeps methods from being compiled; they are never mapped.
            Path archive = folder.get().resolve("tlc-static-" + key(installation) + ".jsa");
            if (Files.isRegularFile(archive) && Files.size(archive) > 0) {
                return Optional.of(new ClassDataArchive(installation, archive, null, false));
            }
            if (WRITING.putIfAbsent(archive, Boolean.TRUE) != null) {
                return Optional.empty();
            }
            sweep(folder.get());
            Path partial = folder.get().resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + System.nanoTime() + ".part");
            return Optional.of(new ClassDataArchive(installation, archive, partial, true));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The cache folder, absolute: TLC's JVM runs in a folder of its own, where a relative path
     * would land. None when the home folder is unknown (Java says {@code ?} for a user without one).
     */
    private static Optional<Path> folder(Map<String, String> environment) {
        String explicit = environment.get(CACHE);
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit).toAbsolutePath().normalize());
        }
        String xdg = environment.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Optional.of(Path.of(xdg, "mkspec"));
        }
        String home = System.getProperty("user.home");
        if (home == null || home.isBlank() || !Path.of(home).isAbsolute()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(home, ".cache", "mkspec"));
    }

    /** A partial archive or class list: the archive's name, the writer's pid, a time, {@code .part}. */
    private static final java.util.regex.Pattern PART =
            java.util.regex.Pattern.compile("tlc-.*\\.jsa\\.(\\d+)\\.\\d+\\.part(\\.classlist)?");

    /**
     * Deletes the dynamic archives earlier versions wrote ({@code tlc-} and sixteen hex digits):
     * none is mapped any more, and any of them may be one that keeps TLC's evaluator interpreted.
     * Also deletes the partial files of writers that are no longer running (killed while writing).
     */
    private static void sweep(Path folder) {
        try (var files = Files.list(folder)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                java.util.regex.Matcher m = PART.matcher(name);
                boolean dynamic = name.matches("tlc-[0-9a-f]{16}\\.jsa");
                boolean orphan = m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
                if (dynamic || orphan) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: none of them is ever mapped.
        }
    }

    private static String key(TlcInstallation installation) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Path p : List.of(installation.java(), installation.jar())) {
            Path real = p.toRealPath();
            b.append(real).append('|').append(Files.size(real)).append('|')
                    .append(Files.getLastModifiedTime(real).toMillis()).append('\n');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JVM options of the run: map the archive, or list the classes it loads. */
    List<String> options() {
        String file = writes ? "-XX:DumpLoadedClassList=" + classList() : "-XX:SharedArchiveFile=" + archive;
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(file), QUIET.stream()).toList();
    }

    /** The class list the writing run fills, beside the archive it becomes. */
    private Path classList() {
        return partial.resolveSibling(partial.getFileName() + ".classlist");
    }

    /**
     * After the run, given the JVM's exit code (-1 if it was killed): from the class list of a TLC
     * that came to a verdict (0, or 10 to 14 for a violation), the archive is built and moved into
     * place; a list from any other run is deleted, and the next run lists again. Nothing is built
     * while this thread is interrupted. A build that fails turns archives off for the rest of the
     * process. Only the first call counts.
     */
    void finish(int exitCode) {
        if (!writes || !finished.compareAndSet(false, true)) {
            return;
        }
        try {
            boolean verdict = exitCode == 0 || exitCode >= 10 && exitCode <= 14;
            if (verdict && Files.isRegularFile(classList()) && Files.size(classList()) > 0
                    && !Thread.currentThread().isInterrupted()) {
                if (dump()) {
                    Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else if (!Thread.currentThread().isInterrupted()) {
                    disabled = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            disabled = true;
        } finally {
            deletePartials();
            WRITING.remove(archive);
        }
    }

    private void deletePartials() {
        for (Path p : List.of(partial, classList())) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // Best effort: the next writer sweeps it once this process is gone.
            }
        }
    }

    /** Whether this run writes the class list (rather than mapping the archive). */
    boolean writes() {
        return writes;
    }

    /**
     * Builds the archive from the class list in a JVM of its own, which loads the listed classes
     * and runs none of them. Whether it wrote a non-empty archive in time. If mkspec stops
     * meanwhile, its shutdown hook kills that JVM and deletes the files.
     */
    private boolean dump() throws IOException {
        List<String> command = List.of(installation.java().toString(), "-Xshare:dump",
                "-XX:SharedClassListFile=" + classList(), "-XX:SharedArchiveFile=" + partial,
                "-XX:+UseParallelGC", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-cp", installation.jar().toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread kill = new Thread(() -> {
            p.destroyForcibly();
            try {
                p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deletePartials();
        }, "mkspec-cds-dump-kill");
        try {
            Runtime.getRuntime().addShutdownHook(kill);
        } catch (IllegalStateException shuttingDown) {
            kill.run();
            return false;
        }
        try {
            if (!p.waitFor(DUMP_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                return false;
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(kill);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs (or ran): it kills the dump and deletes the files.
            }
        }
        return p.exitValue() == 0 && Files.isRegularFile(partial) && Files.size(partial) > 0;
    }

    /**
     * A run with this archive failed before TLC said anything: no archive for the rest of the
     * process, and the one it mapped (maybe damaged) is deleted, so the next process writes it anew.
     */
    void discard() {
        disabled = true;
        finish(-1);
        if (!writes) {
            try {
                Files.deleteIfExists(archive);
            } catch (IOException e) {
                // Best effort.
            }
        }
    }

    /** For tests: archives are allowed again in this process. */
    static void enableAgain() {
        disabled = false;
    }
}
