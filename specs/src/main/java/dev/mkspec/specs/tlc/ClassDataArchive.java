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
 * A class-data-sharing archive of TLC's classes (JDK 17's dynamic AppCDS), so that a TLC child
 * process maps the classes an earlier run loaded instead of loading and verifying them again. A
 * check plan starts TLC some two hundred times, most of them on small models where starting takes
 * as long as checking; the archive saves about half a second of each start (measured in README,
 * "Set up").
 *
 * <p>The first run of an installation writes the archive when its JVM exits
 * ({@code -XX:ArchiveClassesAtExit}, into a file of its own, moved into place only after the JVM
 * exited normally); later runs map it ({@code -XX:SharedArchiveFile}). The archive is kept under
 * {@code $MKSPEC_CACHE} (default {@code $XDG_CACHE_HOME/mkspec}, or {@code ~/.cache/mkspec}), named
 * by a digest of the Java executable and the TLC jar (their paths, sizes and times), so a new JDK
 * or jar gets its own. The JDK's messages about sharing are turned off, so that they do not mix
 * with TLC's output. It is left out with {@code MKSPEC_TLC_CDS=off}, for a JDK without its own base
 * archive ({@code lib/server/classes.jsa}, which a dynamic archive extends), and when the cache
 * folder cannot be written. A run whose JVM fails before TLC says anything (a tool failure) while
 * writing or mapping an archive is run again without it, and the archive is dropped for the rest of
 * the process: a damaged archive can crash the JVM that maps it.
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

    private final Path archive;
    private final Path partial;
    private final boolean writes;
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

    private ClassDataArchive(Path archive, Path partial, boolean writes) {
        this.archive = archive;
        this.partial = partial;
        this.writes = writes;
    }

    /** The archive for a run of {@code installation}, or empty when it is off or cannot be kept. */
    static Optional<ClassDataArchive> of(TlcInstallation installation, Map<String, String> environment) {
        if (disabled || "off".equalsIgnoreCase(environment.getOrDefault(SWITCH, "")) || !hasBaseArchive(installation)) {
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
            Path archive = folder.get().resolve("tlc-" + key(installation) + ".jsa");
            if (Files.isRegularFile(archive) && Files.size(archive) > 0) {
                return Optional.of(new ClassDataArchive(archive, null, false));
            }
            if (WRITING.putIfAbsent(archive, Boolean.TRUE) != null) {
                return Optional.empty();
            }
            Path partial = folder.get().resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + System.nanoTime() + ".part");
            return Optional.of(new ClassDataArchive(archive, partial, true));
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

    /** Whether the JDK that runs TLC has the base archive a dynamic one extends (else the writing JVM fails to start). */
    private static boolean hasBaseArchive(TlcInstallation installation) {
        try {
            Path home = installation.java().toRealPath().getParent().getParent();
            return Files.isRegularFile(home.resolve("lib").resolve("server").resolve("classes.jsa"));
        } catch (IOException | RuntimeException e) {
            return false;
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

    /** The JVM options of the run: map the archive, or write it at exit. */
    List<String> options() {
        String file = writes ? "-XX:ArchiveClassesAtExit=" + partial : "-XX:SharedArchiveFile=" + archive;
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(file), QUIET.stream()).toList();
    }

    /**
     * After the run, given the JVM's exit code (-1 if it was killed): an archive written by a JVM
     * that exited by itself (a code from 0 to 127; TLC uses several) is moved into place; one from
     * a JVM that was killed or crashed (a signal's code, 128 and up) may be cut short and is deleted.
     * Only the first call counts.
     */
    void finish(int exitCode) {
        if (!writes || !finished.compareAndSet(false, true)) {
            return;
        }
        try {
            if (exitCode >= 0 && exitCode < 128 && Files.isRegularFile(partial) && Files.size(partial) > 0) {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: the next run writes it again.
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // Best effort.
            }
            WRITING.remove(archive);
        }
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
