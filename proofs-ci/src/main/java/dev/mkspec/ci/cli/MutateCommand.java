package dev.mkspec.ci.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.ci.Durations;
import dev.mkspec.ci.plan.Manifest;
import dev.mkspec.ci.plan.ManifestReader;
import dev.mkspec.ci.report.AtomicFiles;
import dev.mkspec.ci.report.MutationReportWriter;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.InputFiles;
import dev.mkspec.specs.InputText;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.mutate.Mutant;
import dev.mkspec.specs.mutate.MutantClass;
import dev.mkspec.specs.mutate.MutantGenerator;
import dev.mkspec.specs.mutate.MutationJournal;
import dev.mkspec.specs.mutate.MutationOperator;
import dev.mkspec.specs.mutate.MutationReport;
import dev.mkspec.specs.mutate.MutationRunner;
import dev.mkspec.specs.mutate.MutationRunner.Configuration;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tlc.TlcRunner;
import dev.mkspec.specs.tlc.TlcVerdict;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mkspec mutate}: mutation testing of a TLA+ spec's properties. */
@Command(name = "mutate", sortOptions = false,
        description = {"Inject small bugs into copies of a TLA+ spec's actions, run TLC on each mutant with the "
                + "configurations' properties only, and report the mutants that no property kills.",
            "TARGET is an area folder or name (specs/tla/Tlb, Tlb), a manifest.json (mkspec's or tlaplus/Examples'), "
                    + "or a .tla file with --config. The manifest's fast success models are the first pass; with "
                    + "--profile deep, the survivors then run on the deep success models. Writes mutate-report.json "
                    + "and mutate-report.md. Exits 0 when it ran, survivors or not, unless --min-kill is missed (1)."})
public final class MutateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ToolOptions tools;

    @Parameters(index = "0", paramLabel = "TARGET", description = "An area folder or name, a manifest.json, or a .tla file.")
    String target;

    @Option(names = "--config", paramLabel = "F.cfg", description = "A configuration to run every mutant on (repeatable); "
            + "replaces the manifest's models. Required for a .tla target.")
    List<Path> configs = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "fast|deep", defaultValue = "fast",
            description = "fast: the fast success models only (default); deep: the survivors of fast also run on the deep ones.")
    String profile;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1", description = "Mutants to check at once, each TLC with one worker (default 1).")
    int jobs;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "The time limit of one TLC run of a mutant (default 60s; raised to 3x the original's time "
                    + "+ 10s on a slower configuration).")
    String timeout;

    @Option(names = "--operators", paramLabel = "OP[,OP...]", split = ",",
            description = "Only these operators: drop-conjunct, set-operator, set-shrink, negate-guard, unchanged, "
                    + "swap-args, quantifier-subset, if-swap, arithmetic (default: all).")
    List<String> operators = new ArrayList<>();

    @Option(names = "--action", paramLabel = "NAME[,NAME...]", split = ",",
            description = "Only mutate this definition (e.g. PageUnmap), or these (Send,Call).")
    List<String> actions;

    @Option(names = "--next", paramLabel = "NAME", description = "The next-state relation whose definitions to mutate "
            + "(default: that of the first configuration's SPECIFICATION or NEXT). Configurations that explore another "
            + "relation (a spec of the rules, say) still judge every mutant.")
    String nextOption;

    @Option(names = "--limit", paramLabel = "N", description = "Run only N mutants, spread evenly over the generated ones.")
    Integer limit;

    @Option(names = "--min-kill", paramLabel = "PCT", description = "Exit 1 if the kill ratio is below PCT percent.")
    Double minKill;

    @Option(names = "--resume", description = "Take the results of mutants already judged from the journal in --out "
            + "(mutate-journal.jsonl, written as each mutant is judged) if it was written for the same spec files "
            + "and --timeout and the pass's configurations are the same; judge only the rest.")
    boolean resume;

    @Option(names = "--list", description = "List the mutants and run none.")
    boolean list;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "text (default), or json: one JSON document on stdout, progress on stderr.")
    String format;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the reports (default: target/mkspec-mutate/AREA).")
    Path out;

    /** What the target names: a spec, its configurations and where TLC finds other modules. */
    record Target(String area, Path spec, List<Configuration> configurations, List<Path> library, List<String> notes) {
    }

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!profile.equals("fast") && !profile.equals("deep")) {
            throw Problem.INVALID_OPTION.exception("--profile must be fast or deep, not '" + profile + "'");
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw Problem.INVALID_OPTION.exception("--format must be text or json, not '" + format + "'");
        }
        if (jobs < 1) {
            throw Problem.INVALID_OPTION.exception("--jobs must be at least 1, not " + jobs);
        }
        if (limit != null && limit < 1) {
            throw Problem.INVALID_OPTION.exception("--limit must be at least 1, not " + limit);
        }
        if (minKill != null && (minKill < 0 || minKill > 100)) {
            throw Problem.INVALID_OPTION.exception("--min-kill is a percentage from 0 to 100, not " + minKill);
        }
        Duration mutantTimeout = Durations.parse(timeout);
        Set<MutationOperator> ops = EnumSet.noneOf(MutationOperator.class);
        for (String o : operators) {
            ops.add(MutationOperator.fromId(o).orElseThrow(() -> Problem.INVALID_OPTION.exception("--operators: '" + o
                    + "' is not an operator; use " + String.join(", ",
                            java.util.Arrays.stream(MutationOperator.values()).map(MutationOperator::id).toList()))));
        }
        if (ops.isEmpty()) {
            ops = EnumSet.allOf(MutationOperator.class);
        }
        for (Path c : configs) {
            InputFiles.requireFile(c, "the configuration given with --config", ".cfg", "TLC configuration");
        }
        Target t = resolve();
        List<CfgFile> cfgs = t.configurations().stream().map(c -> CfgParser.parse(c.cfg())).toList();
        Set<String> excluded = new HashSet<>();
        Optional<String> next = Optional.empty();
        for (CfgFile c : cfgs) {
            excluded.addAll(c.invariants());
            excluded.addAll(c.properties());
            excluded.addAll(c.constraints());
            excluded.addAll(c.actionConstraints());
            excluded.addAll(c.constants().keySet());
            excluded.addAll(c.substitutions().keySet());
            c.init().ifPresent(excluded::add);
            c.specification().ifPresent(excluded::add);
            c.symmetry().ifPresent(excluded::add);
            c.view().ifPresent(excluded::add);
            if (next.isEmpty()) {
                next = c.next().isPresent() ? c.next()
                        : c.specification().flatMap(s -> MutantGenerator.findNext(t.spec(), s));
            }
        }
        String nextName = nextOption != null ? nextOption : next.orElse("Next");
        java.util.Set<String> only = new java.util.LinkedHashSet<>();
        if (actions != null && actions.isEmpty()) {
            throw Problem.INVALID_OPTION.exception("--action needs definition names separated by commas, e.g. --action Send,Call");
        }
        for (String a : actions == null ? List.<String>of() : actions) {
            if (a.isBlank()) {
                throw Problem.INVALID_OPTION.exception("--action needs definition names separated by commas, e.g. "
                        + "--action Send,Call; '" + String.join(",", actions) + "' has an empty one");
            }
            only.add(a.trim());
        }
        List<Mutant> all = MutantGenerator.generate(t.spec(), nextName, excluded, ops, only);
        if (nextOption != null && only.isEmpty() && all.isEmpty()) {
            throw Problem.INVALID_OPTION.exception("--next " + nextOption + " gives no mutant: it is not defined in "
                    + t.spec() + " or the modules it extends, or the operators find nothing to change in what it "
                    + "reaches; name the next-state relation of the spec's SPECIFICATION, e.g. --next Next");
        }
        if (!only.isEmpty()) {
            List<String> none = only.stream().filter(a -> all.stream().noneMatch(m -> m.action().equals(a))).toList();
            if (!none.isEmpty()) {
                throw Problem.INVALID_OPTION.exception("--action " + String.join(",", none) + " gives no mutant: "
                        + (none.size() == 1 ? "it is not a definition" : "they are not definitions") + " that " + nextName
                        + " reaches in " + t.spec() + ", or the operators find nothing to change in "
                        + (none.size() == 1 ? "it" : "them"));
            }
        }
        List<Mutant> chosen = spread(all, limit);
        if (list) {
            for (Mutant m : chosen) {
                w.println(m.id() + " " + m.operator().id() + " " + m.action() + " " + m.location());
                w.println("  - " + m.before());
                w.println("  + " + m.after());
            }
            w.println(chosen.size() + " mutant(s) of " + t.spec() + " (next-state relation " + nextName + ")");
            w.flush();
            return ExitClass.OK.code();
        }
        Path outDir = (out != null ? out : Path.of("target", "mkspec-mutate", t.area())).toAbsolutePath().normalize();
        OutputPaths.folder(outDir, "--out", err);

        long fast = t.configurations().stream().filter(c -> c.profile().equals("fast")).count();
        err.printf("mkspec mutate %s: %d mutant(s)%s of %s, next-state relation %s; %d fast and %d deep configuration(s), "
                + "%d at a time, timeout %s%n", target, chosen.size(), chosen.size() < all.size() ? " (of " + all.size()
                + ", --limit)" : "", t.spec().getFileName(), nextName, fast, t.configurations().size() - fast, jobs,
                Durations.format(mutantTimeout));
        t.notes().forEach(n -> err.println("note: " + n));
        err.flush();

        Path journalFile = outDir.resolve("mutate-journal.jsonl");
        MutationJournal journal = MutationJournal.open(journalFile,
                MutationJournal.inputsDigest(t.spec(), t.library(), mutantTimeout), resume, why -> {
                    err.println("mkspec: " + why);
                    err.flush();
                });
        MutationRunner runner = new MutationRunner(new TlcRunner(tools.installation()), t.spec(), t.configurations(),
                t.library(), jobs, mutantTimeout).withJournal(journal);
        String pass[] = {"fast"};
        MutationRunner.Listener listener = new MutationRunner.Listener() {
            @Override
            public void originalDone(Configuration c, MutationReport.RunSummary s) {
                synchronized (err) {
                    err.printf("original %-16s %s, %s distinct, %s generated, depth %s, %s%n", c.name(), s.verdict(),
                            n(s.distinct()), n(s.generated()), n(s.depth()), Durations.format(s.elapsed()));
                    err.flush();
                }
            }

            @Override
            public void passStarted(String p, int mutants) {
                pass[0] = p;
                if (p.equals("deep")) {
                    synchronized (err) {
                        err.printf("deep pass: %d survivor(s) of fast on the deep configurations%n", mutants);
                        err.flush();
                    }
                }
            }

            @Override
            public void resumed(String p, int mutants) {
                synchronized (err) {
                    err.printf("%s pass: %d mutant(s) judged by an earlier run, from %s%n", p, mutants, journalFile);
                    err.flush();
                }
            }

            @Override
            public void mutantDone(MutationReport.MutantResult r, int done, int total, int killed) {
                synchronized (err) {
                    err.printf("[%s %d/%d, %d killed] %s %s %s %s: %s%s%n", pass[0], done, total, killed,
                            r.mutant().id(), r.mutant().operator().id(), r.mutant().action(), r.outcome().id(),
                            r.detail(), r.decidedBy().map(d -> " (" + d + ")").orElse(""));
                    err.flush();
                }
            }
        };
        MutationReport report;
        try (Signals signals = new Signals(sig -> {
            err.println();
            err.println("mkspec: interrupted by " + sig + "; stopping the TLC runs");
            err.flush();
            runner.interrupt();
        })) {
            report = runner.run(chosen, listener);
        } finally {
            journal.close();
        }
        MutationReportWriter.Header header = new MutationReportWriter.Header(commandLine(), t.area(), all.size(),
                minKill == null ? -1 : minKill);
        String json = MutationReportWriter.json(header, report);
        AtomicFiles.write(outDir.resolve("mutate-report.json"), json);
        AtomicFiles.write(outDir.resolve("mutate-report.md"), MutationReportWriter.markdown(header, report));
        if (format.equals("json")) {
            w.print(json);
        } else {
            w.print(MutationReportWriter.text(header, report));
            w.println();
            w.println("Reports: " + outDir.resolve("mutate-report.json") + ", " + outDir.resolve("mutate-report.md")
                    + " (journal for --resume: " + journalFile + ")");
        }
        w.flush();
        if (minKill != null) {
            double ratio = report.killRatio().orElse(1.0) * 100;
            if (ratio < minKill) {
                err.printf(Locale.ROOT, "mkspec: the kill ratio %.1f%% is below --min-kill %.1f%%; %d survivor(s)%n", ratio,
                        minKill, report.counts().get(MutantClass.SURVIVED));
                err.flush();
                return ExitClass.UNEXPECTED.code();
            }
        }
        return ExitClass.OK.code();
    }

    private String commandLine() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        return "./mkspec mutate " + String.join(" ", args.subList(1, args.size()));
    }

    private static String n(java.util.OptionalLong v) {
        return v.isPresent() ? String.format("%,d", v.getAsLong()) : "?";
    }

    /** {@code n} mutants spread evenly over the list (all of them if {@code n} is null or not smaller). */
    static List<Mutant> spread(List<Mutant> all, Integer n) {
        if (n == null || n >= all.size()) {
            return all;
        }
        List<Mutant> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(all.get((int) ((long) k * all.size() / n)));
        }
        return out;
    }

    private Target resolve() {
        Path p = Path.of(target);
        if (!Files.exists(p) && !target.contains("/") && !target.contains("\\")
                && Files.isDirectory(Path.of("specs", "tla", target))) {
            p = Path.of("specs", "tla", target);
        }
        if (Files.isDirectory(p)) {
            Path manifest = p.resolve("manifest.json");
            if (!Files.isRegularFile(manifest)) {
                throw Problem.FILE_NOT_FOUND.exception(manifest + " (an area folder holds a manifest.json; or name a "
                        + ".tla file with --config)");
            }
            return fromManifest(manifest);
        }
        String name = p.getFileName() == null ? target : p.getFileName().toString();
        if (name.endsWith(".tla")) {
            InputFiles.requireFile(p, "the spec", ".tla", "TLA+");
            if (configs.isEmpty()) {
                throw Problem.INVALID_OPTION.exception("a .tla target needs at least one --config F.cfg to run the mutants on");
            }
            return new Target(name.replaceFirst("\\.tla$", ""), p.toAbsolutePath().normalize(), given(Optional.empty(),
                    Optional.empty()), List.of(), List.of());
        }
        if (name.endsWith(".json")) {
            InputFiles.requireFile(p, "the manifest");
            return fromManifest(p);
        }
        if (!Files.exists(p)) {
            throw Problem.FILE_NOT_FOUND.exception(target + " (TARGET is an area folder such as specs/tla/Tlb, an area "
                    + "name under specs/tla, a manifest.json or a .tla file)");
        }
        throw Problem.WRONG_FILE_TYPE.exception(target, "an area folder, a manifest.json or a .tla");
    }

    private List<Configuration> given(Optional<Duration> originalTimeout, Optional<String> heap) {
        return configs.stream().map(c -> new Configuration(c.getFileName().toString(), c.toAbsolutePath().normalize(),
                "fast", originalTimeout, heap)).toList();
    }

    private Target fromManifest(Path manifest) {
        String text = InputText.read(manifest, (where, what) -> Problem.MANIFEST_INVALID.exception(where, what));
        JsonNode root = InputText.tree(JSON, text, manifest.toString(),
                (where, what) -> Problem.MANIFEST_INVALID.exception(where, "it is not valid JSON: " + what));
        if (root != null && root.isObject() && root.has("modules")) {
            return fromExamplesManifest(manifest, root);
        }
        Manifest m = ManifestReader.read(manifest);
        List<String> notes = new ArrayList<>();
        // A simulation model judges nothing exhaustively, so no mutant is judged by it.
        List<Manifest.Model> success = m.models().stream()
                .filter(x -> TlcVerdict.SUCCESS.satisfies(x.expect().result()) && x.simulate().isEmpty()).toList();
        if (success.isEmpty() && configs.isEmpty()) {
            throw Problem.MANIFEST_INVALID.exception(manifest, "no model expects success, so there is nothing to judge "
                    + "mutants by; name configurations with --config");
        }
        Manifest.Model first = success.stream().filter(x -> x.profile().equals("fast")).findFirst()
                .orElse(success.isEmpty() ? m.models().get(0) : success.get(0));
        Path specFile = m.folder().resolve(first.spec()).normalize();
        if (!configs.isEmpty()) {
            return new Target(m.area(), specFile, given(first.timeout(), first.heap()), m.library(), notes);
        }
        List<Configuration> out = new ArrayList<>();
        for (String prof : List.of("fast", "deep")) {
            if (prof.equals("deep") && !profile.equals("deep")) {
                break;
            }
            for (Manifest.Model x : success) {
                if (!x.profile().equals(prof)) {
                    continue;
                }
                if (!m.folder().resolve(x.spec()).normalize().equals(specFile)) {
                    notes.add("model " + x.name() + " checks another spec (" + x.spec() + ") and is left out");
                    continue;
                }
                out.add(new Configuration(x.name(), m.folder().resolve(x.config()).normalize(), prof, x.timeout(), x.heap()));
            }
        }
        if (out.stream().noneMatch(c -> c.profile().equals("fast"))) {
            throw Problem.MANIFEST_INVALID.exception(manifest, "no fast model of " + first.spec() + " expects success; "
                    + "mutants are judged for equivalence on fast models (name some with --config)");
        }
        return new Target(m.area(), specFile, out, m.library(), notes);
    }

    /**
     * A manifest in the shape of the tlaplus/Examples repository: modules with their models, paths relative to
     * the repository root (or to the manifest's folder). Exhaustive-search models that expect success are used;
     * "small" ones are fast, the others deep.
     */
    private Target fromExamplesManifest(Path manifest, JsonNode root) {
        Path folder = manifest.toAbsolutePath().getParent();
        List<String> notes = new ArrayList<>();
        for (JsonNode module : root.path("modules")) {
            List<Configuration> out = new ArrayList<>();
            for (JsonNode model : module.path("models")) {
                String mode = model.path("mode").asText("exhaustive search");
                String result = model.path("result").asText("");
                if (!mode.equals("exhaustive search") || !TlcVerdict.SUCCESS.satisfies(result)) {
                    continue;
                }
                String prof = model.path("size").asText("small").equals("small") ? "fast" : "deep";
                if (prof.equals("deep") && !profile.equals("deep")) {
                    continue;
                }
                Path cfg = locate(folder, model.path("path").asText(""), manifest);
                out.add(new Configuration(cfg.getFileName().toString(), cfg, prof, Optional.empty(), Optional.empty()));
            }
            if (out.isEmpty() && configs.isEmpty()) {
                continue;
            }
            Path specFile = locate(folder, module.path("path").asText(""), manifest);
            String area = root.path("path").asText(folder.getFileName().toString());
            area = Path.of(area).getFileName().toString();
            if (!configs.isEmpty()) {
                return new Target(area, specFile, given(Optional.empty(), Optional.empty()), List.of(), notes);
            }
            if (out.stream().noneMatch(c -> c.profile().equals("fast"))) {
                notes.add(module.path("path").asText() + " has no small success model; its first model is used as fast");
                Configuration c = out.get(0);
                out.set(0, new Configuration(c.name(), c.cfg(), "fast", c.originalTimeout(), c.heap()));
            }
            return new Target(area, specFile, out, List.of(), notes);
        }
        throw Problem.MANIFEST_INVALID.exception(manifest, "no module has an exhaustive-search model that expects "
                + "success; name a .tla file and --config instead");
    }

    private static Path locate(Path folder, String relative, Path manifest) {
        if (relative.isBlank()) {
            throw Problem.MANIFEST_INVALID.exception(manifest, "a module or model has no 'path'");
        }
        for (Path dir = folder; dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(relative).normalize();
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        Path byName = folder.resolve(Path.of(relative).getFileName());
        if (Files.isRegularFile(byName)) {
            return byName;
        }
        throw Problem.MANIFEST_INVALID.exception(manifest, "'" + relative + "' is neither beside the manifest nor "
                + "under any folder above it");
    }
}
