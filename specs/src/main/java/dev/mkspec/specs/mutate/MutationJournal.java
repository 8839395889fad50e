package dev.mkspec.specs.mutate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.mutate.MutationReport.MutantResult;
import dev.mkspec.specs.mutate.MutationReport.RunSummary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The results of a mutation run, one line per judged mutant, appended as each is judged, so that
 * a run stopped by Ctrl-C, a timeout of the session or a crash can go on where it stopped
 * ({@code mutate --resume}). A full run of a large spec takes hours; without this, every stop
 * loses all of it.
 *
 * <p>The file is JSON Lines. The first line names the format and a digest of the files that
 * decide a mutant's class: the text of every {@code .tla} and {@code .cfg} file of the spec's
 * folder and of the library folders, and the mutant time limit. A journal written for other files
 * is not reused. Each later line is one mutant's result in one pass ({@code fast} or
 * {@code deep}) on configurations of a given digest, found again by the changed module's name and a
 * digest of its mutated text, not by the mutant's ID; or the unmutated spec's successful run of a
 * deep configuration, which is not run again. So a run that adds {@code --profile deep} takes the
 * fast results of one without it. A last line cut short by a kill is ignored.
 */
public final class MutationJournal implements AutoCloseable {
    /** Bump when what a line means changes, so that old journals are not reused. */
    static final int FORMAT = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final Map<String, MutantResultLine> entries;
    private final Map<String, RunSummary> originals;
    private final BufferedWriter out;

    /** A line read back: the result without its mutant, which the caller has. */
    private record MutantResultLine(MutantClass outcome, String pass, Optional<String> decidedBy, String detail,
            List<RunSummary> runs) {
    }

    private final java.nio.channels.FileChannel lockChannel;

    private MutationJournal(Path file, Map<String, MutantResultLine> entries, Map<String, RunSummary> originals,
            BufferedWriter out, java.nio.channels.FileChannel lockChannel) {
        this.file = file;
        this.entries = entries;
        this.originals = originals;
        this.out = out;
        this.lockChannel = lockChannel;
    }

    /** Locks {@code file}'s lock file, so that two runs cannot write one journal. */
    private static java.nio.channels.FileChannel lock(Path file) throws IOException {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        java.nio.channels.FileLock l;
        try {
            l = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw Problem.INVALID_OPTION.exception("another mkspec mutate is writing " + file + "; give this run another --out");
        }
        return ch;
    }

    /**
     * Opens the journal at {@code file}, locked against another run. With {@code resume}, the
     * results of an earlier run with the same inputs are kept and new ones appended; otherwise, or
     * if the journal was written for other inputs (then {@code warn} is told why), it starts empty,
     * and an earlier journal is moved to {@code FILE.bak}.
     */
    public static MutationJournal open(Path file, String inputsDigest, boolean resume, Consumer<String> warn) {
        java.nio.channels.FileChannel lock;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            lock = lock(file);
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot write the mutation journal " + file + ": " + e.getMessage());
        }
        Map<String, MutantResultLine> entries = new HashMap<>();
        Map<String, RunSummary> originals = new HashMap<>();
        boolean keep = false;
        if (resume && Files.isRegularFile(file)) {
            keep = read(file, inputsDigest, entries, originals, warn);
        } else if (resume) {
            warn.accept("no journal at " + file + " to resume from; judging every mutant");
        }
        try {
            if (!keep && Files.exists(file)) {
                // Hours of results: kept beside, not overwritten.
                Path bak = file.resolveSibling(file.getFileName() + ".bak");
                Files.move(file, bak, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                warn.accept("the earlier journal is kept as " + bak);
            }
            BufferedWriter out;
            if (keep) {
                boolean endsWithNewline;
                try (var ch = Files.newByteChannel(file)) {
                    java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
                    endsWithNewline = ch.size() == 0 || ch.position(ch.size() - 1).read(last) == 1 && last.get(0) == '\n';
                }
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                if (!endsWithNewline) {
                    // End the line a kill cut short, so that the next result starts a line of its own.
                    out.newLine();
                }
            } else {
                entries.clear();
                originals.clear();
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                ObjectNode header = MAPPER.createObjectNode();
                header.put("mkspecMutateJournal", FORMAT);
                header.put("inputs", inputsDigest);
                out.write(MAPPER.writeValueAsString(header));
                out.newLine();
                out.flush();
            }
            return new MutationJournal(file, entries, originals, out, lock);
        } catch (IOException e) {
            try {
                lock.close();
            } catch (IOException ignored) {
                // the IO error is the one to report
            }
            throw Problem.IO_ERROR.exception(e, "cannot write the mutation journal " + file + ": " + e.getMessage());
        }
    }

    /** Reads a journal; true if it was written for these inputs (its entries are then in {@code entries}). */
    private static boolean read(Path file, String inputsDigest, Map<String, MutantResultLine> entries,
            Map<String, RunSummary> originals, Consumer<String> warn) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            warn.accept("cannot read the journal " + file + " (" + e.getMessage() + "); judging every mutant");
            return false;
        }
        JsonNode header = lines.isEmpty() ? null : parse(lines.get(0));
        if (header == null || header.path("mkspecMutateJournal").asInt(-1) != FORMAT) {
            warn.accept(file + " is not a journal of this version of mkspec mutate; judging every mutant");
            return false;
        }
        if (!header.path("inputs").asText().equals(inputsDigest)) {
            warn.accept("the journal " + file + " was written for other inputs (a .tla or .cfg file or --timeout "
                    + "changed since); judging every mutant");
            return false;
        }
        for (int i = 1; i < lines.size(); i++) {
            JsonNode n = parse(lines.get(i));
            if (n != null && n.path("original").isTextual() && n.path("run").isObject()) {
                originals.put(n.path("original").asText() + " " + n.path("configs").asText(), run(n.path("run")));
                continue;
            }
            Optional<MutantResultLine> r = n == null ? Optional.empty() : entry(n);
            if (r.isEmpty()) {
                // A line cut short when the run was killed: judge that mutant again.
                warn.accept(file + ":" + (i + 1) + " is not a complete result; that mutant is judged again");
                continue;
            }
            entries.put(n.path("pass").asText() + " " + n.path("configs").asText() + " " + n.path("key").asText(), r.get());
        }
        return true;
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode n = MAPPER.readTree(line);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Optional<MutantResultLine> entry(JsonNode n) {
        Optional<MutantClass> outcome = Arrays.stream(MutantClass.values())
                .filter(c -> c.id().equals(n.path("class").asText())).findFirst();
        if (outcome.isEmpty() || !n.path("key").isTextual() || !n.path("runs").isArray()) {
            return Optional.empty();
        }
        List<RunSummary> runs = new java.util.ArrayList<>();
        for (JsonNode r : n.path("runs")) {
            runs.add(run(r));
        }
        return Optional.of(new MutantResultLine(outcome.get(), n.path("resultPass").asText(),
                text(n.path("decidedBy")), n.path("detail").asText(), runs));
    }

    private static RunSummary run(JsonNode r) {
        return new RunSummary(r.path("config").asText(), r.path("profile").asText(), r.path("verdict").asText(),
                text(r.path("violated")), number(r.path("distinctStates")), number(r.path("totalStates")),
                number(r.path("stateDepth")), Duration.ofNanos(r.path("nanos").asLong()));
    }

    private static Optional<String> text(JsonNode n) {
        return n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
    }

    private static OptionalLong number(JsonNode n) {
        return n.isIntegralNumber() ? OptionalLong.of(n.asLong()) : OptionalLong.empty();
    }

    /** How many results the journal held when it was opened. */
    public int size() {
        return entries.size();
    }

    /** The journal's file. */
    public Path file() {
        return file;
    }

    /**
     * The result of {@code m} in {@code pass} from an earlier run whose configurations of that
     * pass had the digest {@code configs} ({@link #configsDigest}), if the journal has one.
     */
    public Optional<MutantResult> find(Mutant m, String pass, String configs) {
        MutantResultLine l = entries.get(pass + " " + configs + " " + key(m));
        return l == null ? Optional.empty()
                : Optional.of(new MutantResult(m, l.outcome(), l.pass(), l.decidedBy(), l.detail(), l.runs()));
    }

    /** Appends the result of one mutant in one pass on configurations of digest {@code configs}, and flushes it. */
    public synchronized void record(String pass, String configs, MutantResult r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("pass", pass);
        n.put("configs", configs);
        n.put("key", key(r.mutant()));
        n.put("id", r.mutant().id());
        n.put("class", r.outcome().id());
        n.put("resultPass", r.pass());
        r.decidedBy().ifPresent(d -> n.put("decidedBy", d));
        n.put("detail", r.detail());
        ArrayNode runs = n.putArray("runs");
        for (RunSummary s : r.runs()) {
            put(runs.addObject(), s);
        }
        write(n);
    }

    /**
     * The unmutated spec's successful run of a configuration (of digest {@code configs}, the
     * configuration alone) from an earlier run, if the journal has one: deep configurations are
     * written down, since they can take as long as many mutants.
     */
    public Optional<RunSummary> findOriginal(String config, String configs) {
        return Optional.ofNullable(originals.get(config + " " + configs));
    }

    /** Appends the unmutated spec's successful run of a configuration of digest {@code configs}. */
    public synchronized void recordOriginal(RunSummary s, String configs) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("original", s.config());
        n.put("configs", configs);
        put(n.putObject("run"), s);
        write(n);
    }

    private static void put(ObjectNode o, RunSummary s) {
        o.put("config", s.config());
        o.put("profile", s.profile());
        o.put("verdict", s.verdict());
        s.violated().ifPresent(v -> o.put("violated", v));
        s.distinct().ifPresent(v -> o.put("distinctStates", v));
        s.generated().ifPresent(v -> o.put("totalStates", v));
        s.depth().ifPresent(v -> o.put("stateDepth", v));
        o.put("nanos", s.elapsed().toNanos());
    }

    private void write(ObjectNode n) {
        try {
            out.write(MAPPER.writeValueAsString(n));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot write the mutation journal " + file + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            // The lines are flushed one by one; nothing is lost.
        }
        try {
            lockChannel.close();
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".lock"));
        } catch (IOException e) {
            // A stale lock file holds no lock.
        }
    }

    /** The changed module and a digest of its text: what finds a mutant again, whatever its ID. */
    static String key(Mutant m) {
        return m.module() + " " + sha256(m.mutatedText());
    }

    /**
     * A digest of the files that decide a mutant's class, whatever the configurations: the root
     * module's name, the spec folder's and the library folders' {@code .tla} and {@code .cfg}
     * files, and the time limit.
     */
    public static String inputsDigest(Path spec, List<Path> library, Duration timeout) {
        StringBuilder b = new StringBuilder("format " + FORMAT + "\ntimeout " + timeout + "\nroot " + spec.getFileName() + "\n");
        List<Path> folders = new java.util.ArrayList<>();
        folders.add(spec.toAbsolutePath().getParent());
        library.forEach(l -> folders.add(l.toAbsolutePath()));
        for (Path folder : folders) {
            try (var files = Files.list(folder)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".tla") || p.toString().endsWith(".cfg"))
                        .sorted().toList()) {
                    b.append("file ").append(f.getFileName()).append(' ').append(sha256(readOrEmpty(f))).append('\n');
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                b.append("folder ").append(folder).append(" unreadable\n");
            }
        }
        return sha256(b.toString());
    }

    /**
     * A digest of the configurations of one pass (each one's name, profile, time limit, heap and
     * text), in any order: a result stands for these, so a run that adds the deep pass still takes
     * the fast results of a run without it.
     */
    public static String configsDigest(List<MutationRunner.Configuration> configurations) {
        StringBuilder b = new StringBuilder();
        // by name: a pass runs its configurations cheapest first, and the times vary from run to run
        for (MutationRunner.Configuration c : configurations.stream()
                .sorted(java.util.Comparator.comparing(MutationRunner.Configuration::name)).toList()) {
            b.append("config ").append(c.name()).append(' ').append(c.profile()).append(' ')
                    .append(c.originalTimeout()).append(' ').append(c.heap()).append(' ')
                    .append(sha256(readOrEmpty(c.cfg()))).append('\n');
        }
        return sha256(b.toString()).substring(0, 16);
    }

    private static String readOrEmpty(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
