package dev.mkspec.ci.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkspec.check.ExplorationResult;
import dev.mkspec.check.Explorer;
import dev.mkspec.check.ExplorerOptions;
import dev.mkspec.check.ExplorerVerdict;
import dev.mkspec.check.StateMachine;
import dev.mkspec.ci.Durations;
import dev.mkspec.ci.plan.Manifest;
import dev.mkspec.ci.plan.ManifestReader;
import dev.mkspec.refinement.ModelBinding;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tlc.TlcListener;
import dev.mkspec.specs.tlc.TlcRequest;
import dev.mkspec.specs.tlc.TlcResult;
import dev.mkspec.specs.tlc.TlcRunner;
import dev.mkspec.specs.tlc.TlcVerdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mkspec bench tlc-vs-explorer}: TLC and the explorer on the same configurations, like for
 * like, for each worker count, in one run.
 *
 * <p>Like for like means: the cfg's constants, specification, invariants and deadlock setting,
 * and nothing else. Its PROPERTIES (action properties and temporal formulas) are taken out of a
 * copy of the cfg for both tools, since the explorer checks action properties on every step and
 * TLC checks them otherwise; SYMMETRY stays only where the cfg has it, for both. TLC runs without
 * coverage and graph output. The times compared are TLC's own (the time it reports, parsing
 * included, the JVM's start-up not) and the explorer's exploration.
 */
@Command(name = "tlc-vs-explorer", sortOptions = false,
        description = {"Run TLC and the explorer on the same configurations, like for like (the cfg's invariants, no "
                + "action or temporal properties, symmetry only where the cfg has it), one worker each and then two "
                + "each, in one run, and print distinct and generated states, both times and their ratio.",
            "The configurations are the manifests' success models with a Java model: by default the deep profile's. "
                    + "Exits 0 when every pair agreed on the counts, 1 when one did not."})
public final class TlcVsExplorerCommand implements Callable<Integer> {
    /** The keywords that end a PROPERTIES list in a cfg file. */
    private static final Pattern KEYWORD = Pattern.compile(
            "^\\s*(CONSTANTS?|INIT|NEXT|SPECIFICATION|INVARIANTS?|PROPERT(Y|IES)|CONSTRAINTS?|ACTION_CONSTRAINTS?|SYMMETRY|VIEW"
                    + "|ALIAS|POSTCONDITION|CHECK_DEADLOCK)\\b.*");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ToolOptions tools;

    @Option(names = "--only", paramLabel = "PATTERN",
            description = "Only the configurations whose AREA/NAME matches: a glob ('Ipc/deep*') or a substring ('deep').")
    String only;

    @Option(names = "--profile", paramLabel = "fast|deep", defaultValue = "deep",
            description = "The manifests' profile to take the configurations from (default deep).")
    String profile;

    @Option(names = "--workers", paramLabel = "LIST", split = ",", defaultValue = "1,2",
            description = "Worker counts, each tool with the same (default 1,2).")
    List<Integer> workers;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1",
            description = "Untimed explorer runs of each configuration before the measured ones, so that the first "
                    + "worker count does not pay for the JIT's warm-up alone (default 1). TLC starts a new JVM each run, "
                    + "so its times always include its own warm-up.")
    int warmup;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
            description = "A time limit for each run of each tool (default 30m).")
    String timeout;

    @Option(names = "--root", paramLabel = "DIR", description = "The repository root (default: the current directory).")
    Path root;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", description = "Output format.")
    String format;

    private final ModelBindings models;

    public TlcVsExplorerCommand() {
        this(ModelBindings.standard());
    }

    public TlcVsExplorerCommand(ModelBindings models) {
        this.models = models;
    }

    /** One configuration at one worker count: both tools' counts and times. */
    record Row(String check, int workers, long tlcDistinct, long tlcGenerated, double tlcSeconds, long explorerDistinct,
            long explorerGenerated, double explorerSeconds, String problem) {
        boolean agree() {
            return problem.isEmpty() && tlcDistinct == explorerDistinct && tlcGenerated == explorerGenerated;
        }

        double ratio() {
            return explorerSeconds <= 0 ? 0 : tlcSeconds / explorerSeconds;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("table") && !format.equals("json")) {
            throw Problem.INVALID_OPTION.exception("--format must be table or json, not '" + format + "'");
        }
        if (!profile.equals("fast") && !profile.equals("deep")) {
            throw Problem.INVALID_OPTION.exception("--profile must be fast or deep, not '" + profile + "'");
        }
        if (workers.isEmpty() || workers.stream().anyMatch(x -> x < 1)) {
            throw Problem.INVALID_OPTION.exception("every worker count must be at least 1");
        }
        if (warmup < 0) {
            throw Problem.INVALID_OPTION.exception("--warmup must be at least 0, not " + warmup);
        }
        Duration limit = Durations.parse(timeout);
        Path base = (root == null ? Path.of("") : root).toAbsolutePath().normalize();
        Path tla = base.resolve("specs").resolve("tla");
        if (!Files.isDirectory(tla)) {
            throw Problem.FILE_NOT_FOUND.exception(base + " has no specs/tla folder; run from the repository root or "
                    + "give it with --root");
        }
        List<Candidate> chosen = candidates(tla);
        if (chosen.isEmpty()) {
            throw Problem.INVALID_OPTION.exception("no " + profile + " success configuration with a Java model matches "
                    + (only == null ? "" : "'" + only + "'") + "; './mkspec check --list' shows the checks");
        }
        TlcRunner tlc = new TlcRunner(tools.installation());
        List<Row> rows = new ArrayList<>();
        for (Candidate c : chosen) {
            // TLC's run directory is TlcRunner's own (temporary, removed after each run); only the copy is ours
            Path cfgCopy;
            try {
                cfgCopy = Files.createTempFile("mkspec-tlc-vs-explorer-", ".cfg");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a copy of " + c.model().config() + " without its properties", e);
            }
            try {
                strippedConfig(c.model().config(), cfgCopy);
                // the explorer reads the original (its folder holds the module that substitutions name), without properties
                CfgFile o = CfgParser.parse(c.model().config());
                CfgFile cfg = new CfgFile(o.path(), o.constants(), o.substitutions(), o.init(), o.next(), o.specification(),
                        o.invariants(), List.of(), o.constraints(), o.actionConstraints(), o.symmetry(), o.view(), o.alias(),
                        o.postcondition(), o.checkDeadlock(), o.lines());
                ModelBinding<?> binding = models.find(c.model().explorer().orElseThrow().model()).orElseThrow(
                        () -> Problem.CFG_CONSTANT_INVALID.exception("no Java model is named '"
                                + c.model().explorer().get().model() + "'"));
                for (int i = 0; i < warmup; i++) {
                    err.printf("%s: explorer warm-up %d of %d%n", c.id(), i + 1, warmup);
                    err.flush();
                    explore(binding, cfg, workers.get(0), limit);
                }
                for (int w : workers) {
                    err.printf("%s, %d worker%s: TLC ...%n", c.id(), w, w == 1 ? "" : "s");
                    err.flush();
                    rows.add(measure(c, w, cfgCopy, cfg, binding, tlc, limit));
                    Row r = rows.get(rows.size() - 1);
                    err.printf("%s, %d worker%s: TLC %.1fs, explorer %.1fs%s%n", c.id(), w, w == 1 ? "" : "s",
                            r.tlcSeconds(), r.explorerSeconds(), r.agree() ? "" : " (" + problemOf(r) + ")");
                    err.flush();
                }
            } finally {
                try {
                    Files.deleteIfExists(cfgCopy);
                } catch (IOException e) {
                    // a file in the temporary folder; nothing depends on it
                }
            }
        }
        if (format.equals("json")) {
            out.println(json(rows).toPrettyString());
        } else {
            printTable(out, rows);
        }
        out.flush();
        return rows.stream().allMatch(Row::agree) ? 0 : ExitClass.UNEXPECTED.code();
    }

    private record Candidate(String id, Manifest manifest, Manifest.Model model) {
    }

    private List<Candidate> candidates(Path tla) {
        List<Candidate> out = new ArrayList<>();
        PathMatcher glob = only != null && (only.contains("*") || only.contains("?"))
                ? FileSystems.getDefault().getPathMatcher("glob:" + only) : null;
        try (Stream<Path> areas = Files.list(tla)) {
            for (Path folder : areas.sorted().toList()) {
                Path file = folder.resolve("manifest.json");
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                Manifest m = ManifestReader.read(file);
                for (Manifest.Model model : m.models()) {
                    String id = m.area() + "/" + model.name();
                    boolean wanted = only == null || (glob != null ? glob.matches(Path.of(id)) : id.contains(only));
                    if (wanted && model.profile().equals(profile) && model.explorer().isPresent()
                            && model.simulate().isEmpty()
                            && model.expect().result().trim().equalsIgnoreCase("success")) {
                        out.add(new Candidate(id, m, model));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + tla, e);
        }
        out.sort(Comparator.comparing(Candidate::id));
        return out;
    }

    /**
     * A copy of the cfg without its PROPERTY/PROPERTIES lists, checked by parsing it again: the
     * copy must say everything the original says but the properties.
     */
    public static Path strippedConfig(Path original, Path copy) {
        List<String> kept = new ArrayList<>();
        boolean inProperties = false;
        try {
            for (String line : Files.readAllLines(original)) {
                if (KEYWORD.matcher(line).matches()) {
                    inProperties = line.trim().startsWith("PROPERT");
                }
                if (!inProperties) {
                    kept.add(line);
                }
            }
            Files.write(copy, kept);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + original + " without its properties", e);
        }
        CfgFile before = CfgParser.parse(original);
        CfgFile after = CfgParser.parse(copy);
        // everything but the properties (and where each name stands) must be the same
        if (!after.properties().isEmpty() || !before.constants().equals(after.constants())
                || !before.substitutions().equals(after.substitutions()) || !before.init().equals(after.init())
                || !before.next().equals(after.next()) || !before.specification().equals(after.specification())
                || !before.invariants().equals(after.invariants()) || !before.constraints().equals(after.constraints())
                || !before.actionConstraints().equals(after.actionConstraints()) || !before.symmetry().equals(after.symmetry())
                || !before.view().equals(after.view()) || !before.alias().equals(after.alias())
                || !before.postcondition().equals(after.postcondition()) || !before.checkDeadlock().equals(after.checkDeadlock())) {
            throw Problem.CFG_CONSTANT_INVALID.exception(original + ": taking its PROPERTIES out changed what else it "
                    + "says (a keyword this command does not know?); write the cfg with one keyword per line");
        }
        return copy;
    }

    private <S> Row measure(Candidate c, int w, Path cfgCopy, CfgFile cfg, ModelBinding<S> binding, TlcRunner tlc,
            Duration limit) {
        TlcRequest request = TlcRequest.of(c.model().spec()).withConfig(cfgCopy).withWorkers(w).withTimeout(limit)
                .withLibraryPaths(c.manifest().library());
        if (c.model().heap().isPresent()) {
            request = request.withHeap(c.model().heap().get());
        }
        TlcResult t;
        try {
            t = tlc.run(request, new TlcListener() {
            });
        } catch (MkspecException e) {
            return new Row(c.id(), w, -1, -1, 0, -1, -1, 0, "TLC: " + e.getMessage());
        }
        double tlcSeconds = (t.tlcReportedMillis().isPresent() ? t.tlcReportedMillis().getAsLong() : t.elapsed().toMillis())
                / 1000.0;
        if (t.verdict() != TlcVerdict.SUCCESS) {
            return new Row(c.id(), w, t.distinctStates().orElse(-1), t.generatedStates().orElse(-1), tlcSeconds, -1, -1, 0,
                    "TLC: " + t.verdict().id() + " (" + t.message() + ")");
        }
        ExplorationResult<S> e = explore(binding, cfg, w, limit);
        String problem = e.verdict() == ExplorerVerdict.SUCCESS ? "" : "explorer: " + e.summaryLine();
        return new Row(c.id(), w, t.distinctStates().orElse(-1), t.generatedStates().orElse(-1), tlcSeconds,
                e.distinctStates(), e.generatedStates(), e.elapsed().toNanos() / 1e9, problem);
    }

    /** The explorer on the cfg's model with {@code w} workers, deadlock as the cfg says. */
    private static <S> ExplorationResult<S> explore(ModelBinding<S> binding, CfgFile cfg, int w, Duration limit) {
        StateMachine<S> machine;
        try {
            machine = binding.configured(cfg);
        } catch (IllegalArgumentException e) {
            throw Problem.CFG_CONSTANT_INVALID.exception(e.getMessage());
        }
        return Explorer.explore(machine, ExplorerOptions.defaults().withWorkers(w).withCheckDeadlock(cfg.checksDeadlock())
                .withTimeout(limit));
    }

    private static String problemOf(Row r) {
        return !r.problem().isEmpty() ? r.problem()
                : String.format("counts differ: TLC %,d distinct and %,d generated, the explorer %,d and %,d",
                        r.tlcDistinct(), r.tlcGenerated(), r.explorerDistinct(), r.explorerGenerated());
    }

    private void printTable(PrintWriter out, List<Row> rows) {
        out.printf("TLC and the explorer, like for like (invariants only), %d cores, JVM %s, %d explorer warm-up run%s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), warmup,
                warmup == 1 ? "" : "s");
        out.printf("%-30s %7s %12s %14s %10s %10s %8s%n", "configuration", "workers", "distinct", "generated", "TLC",
                "explorer", "ratio");
        for (Row r : rows) {
            out.printf("%-30s %7d %,12d %,14d %9.1fs %9.2fs %7.1fx%s%n", r.check(), r.workers(), r.explorerDistinct(),
                    r.explorerGenerated(), r.tlcSeconds(), r.explorerSeconds(), r.ratio(),
                    r.agree() ? "" : "  " + problemOf(r));
        }
        // the speed-up of a second worker, per tool, for each configuration measured with 1 and 2
        for (String check : rows.stream().map(Row::check).distinct().toList()) {
            Optional<Row> one = rows.stream().filter(r -> r.check().equals(check) && r.workers() == 1).findFirst();
            Optional<Row> two = rows.stream().filter(r -> r.check().equals(check) && r.workers() == 2).findFirst();
            if (one.isPresent() && two.isPresent() && one.get().agree() && two.get().agree()
                    && two.get().tlcSeconds() > 0 && two.get().explorerSeconds() > 0) {
                out.printf("%s: 2 workers against 1: TLC %.2fx, explorer %.2fx%n", check,
                        one.get().tlcSeconds() / two.get().tlcSeconds(),
                        one.get().explorerSeconds() / two.get().explorerSeconds());
            }
        }
        out.println("ratio: TLC's own time (parsing included, JVM start-up not) over the explorer's exploration time");
    }

    private ObjectNode json(List<Row> rows) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("profile", profile);
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("explorerWarmup", warmup);
        ArrayNode arr = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode n = arr.addObject();
            n.put("configuration", r.check());
            n.put("workers", r.workers());
            n.put("agree", r.agree());
            n.put("tlcDistinct", r.tlcDistinct());
            n.put("tlcGenerated", r.tlcGenerated());
            n.put("tlcSeconds", r.tlcSeconds());
            n.put("explorerDistinct", r.explorerDistinct());
            n.put("explorerGenerated", r.explorerGenerated());
            n.put("explorerSeconds", r.explorerSeconds());
            n.put("ratio", Math.round(r.ratio() * 10) / 10.0);
            if (!r.agree()) {
                n.put("problem", problemOf(r));
            }
        }
        return root;
    }
}
