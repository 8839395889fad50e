package dev.mkspec.ci.plan;

import dev.mkspec.ci.catalog.InvariantCatalog;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.alloy.AlloyCommandInfo;
import dev.mkspec.specs.alloy.AlloyRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checks to run: every configuration in every {@code specs/tla/*}{@code /manifest.json} of the
 * chosen profile, the explorer and refinement checks those manifests name, and every command of
 * every {@code specs/alloy/*.als}. Adding a check takes nothing but a spec folder with a manifest.
 * The TLC, explorer and refinement checks of one configuration run together, as one task: a
 * filter that selects one of them selects all three.
 *
 * <p>Problems found while planning (a malformed manifest, an Alloy file that does not parse) do
 * not stop the plan: each becomes a failed check in the report, and the rest still run.
 */
public final class CheckPlan {
    private final List<PlanTask> tasks;
    private final List<CheckResult> planningErrors;
    private final List<String> notes;
    private final Optional<InvariantCatalog> catalog;

    private CheckPlan(List<PlanTask> tasks, List<CheckResult> planningErrors, List<String> notes,
            Optional<InvariantCatalog> catalog) {
        this.tasks = List.copyOf(tasks);
        this.planningErrors = List.copyOf(planningErrors);
        this.notes = List.copyOf(notes);
        this.catalog = catalog;
    }

    /** The invariant catalog, if the root has one and it reads. */
    public Optional<InvariantCatalog> catalog() {
        return catalog;
    }

    /**
     * Finds the checks under {@code root}.
     *
     * @param profile {@code fast} for the fast configurations, {@code deep} for all of them
     * @param only a filter on check IDs: a glob if it holds {@code *} or {@code ?}, else a substring
     * @throws MkspecException if {@code root} has no {@code specs/} directory
     */
    public static CheckPlan discover(Path root, String profile, Optional<String> only, ModelBindings models) {
        Path specs = root.resolve("specs");
        if (!Files.isDirectory(specs)) {
            throw Problem.FILE_NOT_FOUND.exception(specs + " (run ./mkspec check from the repository root, or pass --root)");
        }
        Predicate filter = new Predicate(only);
        List<PlanTask> tasks = new ArrayList<>();
        List<CheckResult> errors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Optional<InvariantCatalog> catalog = Optional.empty();
        if (filter.test(CatalogTask.ID)) {
            try {
                catalog = InvariantCatalog.find(root);
                catalog.ifPresent(c -> tasks.add(new CatalogTask(root, c, models)));
            } catch (MkspecException e) {
                errors.add(CheckResult.error(CatalogTask.ID, CheckResult.Kind.PLAN, "catalog", "invariants.yaml",
                        profile, e.exitClass(), "a valid catalog", e.getMessage(), Duration.ZERO));
            }
        } else {
            try {
                catalog = InvariantCatalog.find(root);
            } catch (MkspecException e) {
                catalog = Optional.empty();
            }
        }

        for (Path folder : list(specs.resolve("tla"), Files::isDirectory)) {
            Path manifestFile = folder.resolve("manifest.json");
            if (!Files.isRegularFile(manifestFile)) {
                notes.add(root.relativize(folder) + " has no manifest.json, so nothing in it is checked");
                continue;
            }
            Manifest manifest;
            try {
                manifest = ManifestReader.read(manifestFile);
            } catch (MkspecException e) {
                String id = "plan:" + folder.getFileName();
                if (filter.test(id) || filter.matchesArea(folder.getFileName().toString())) {
                    errors.add(CheckResult.error(id, CheckResult.Kind.PLAN, folder.getFileName().toString(),
                            "manifest.json", profile, e.exitClass(), "a valid manifest", e.getMessage(), Duration.ZERO));
                }
                continue;
            }
            for (Manifest.Model m : manifest.models()) {
                if (profile.equals("fast") && !m.profile().equals("fast")) {
                    continue;
                }
                ModelCheck check = new ModelCheck(manifest, m);
                if (check.ids().stream().anyMatch(filter::test)) {
                    tasks.add(check);
                }
            }
            for (Manifest.KernelRun k : manifest.kernel()) {
                if (profile.equals("fast") && !k.profile().equals("fast")) {
                    continue;
                }
                KernelCheck check = new KernelCheck(manifest, k);
                if (check.ids().stream().anyMatch(filter::test)) {
                    tasks.add(check);
                }
            }
        }

        AlloyRunner alloy = new AlloyRunner();
        for (Path file : list(specs.resolve("alloy"), p -> p.getFileName().toString().endsWith(".als"))) {
            String area = file.getFileName().toString().replaceFirst("\\.als$", "");
            try {
                List<AlloyCommandInfo> all = alloy.parse(file).commands();
                if (all.isEmpty()) {
                    notes.add(root.relativize(file) + " defines no command, so nothing in it is checked on its own");
                }
                List<AlloyCommandInfo> commands = all.stream()
                        .filter(c -> filter.test(AlloyFileCheck.id(area, c))).toList();
                if (!commands.isEmpty()) {
                    tasks.add(new AlloyFileCheck(file, all, commands));
                }
            } catch (MkspecException e) {
                String id = "alloy:" + area;
                if (filter.test(id) || filter.matchesArea(area)) {
                    errors.add(CheckResult.error(id, CheckResult.Kind.ALLOY, area, file.getFileName().toString(),
                            "fast", e.exitClass(), "a model that parses", e.getMessage(), Duration.ZERO));
                }
            }
        }
        return new CheckPlan(tasks, errors, notes, catalog);
    }

    /** The IDs of every check, planning errors first. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        planningErrors.forEach(e -> ids.add(e.id()));
        tasks.forEach(t -> ids.addAll(t.ids()));
        return ids;
    }

    /** The IDs of the TLC checks. */
    /** The area of a check ID such as {@code tlc:Tlb/fast} ({@code Tlb}). */
    public static String area(String id) {
        String rest = id.substring(id.indexOf(':') + 1);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    public List<String> tlcIds() {
        return ids().stream().filter(id -> id.startsWith("tlc:")).toList();
    }

    List<PlanTask> tasks() {
        return tasks;
    }

    public List<CheckResult> planningErrors() {
        return planningErrors;
    }

    /** Things a user should know that are not failures, e.g. a spec folder without a manifest. */
    public List<String> notes() {
        return notes;
    }

    private static List<Path> list(Path dir, java.util.function.Predicate<Path> keep) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(keep).sorted().toList();
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot list " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Whether {@code only} (an {@code --only} pattern) selects the check {@code id}: a glob (it holds
     * {@code *} or {@code ?}) matches the whole ID or the ID after its kind ({@code Tlb/*} selects
     * {@code tlc:Tlb/fast}); anything else is a substring.
     *
     * @param ignoreCase compare without regard to case (for suggestions after a typo)
     */
    public static boolean selects(String only, String id, boolean ignoreCase) {
        return new Predicate(Optional.of(only), ignoreCase).test(id);
    }

    /** The --only filter. */
    private static final class Predicate {
        private final Optional<Pattern> glob;
        private final Optional<String> substring;
        private final boolean ignoreCase;

        Predicate(Optional<String> only) {
            this(only, false);
        }

        Predicate(Optional<String> only, boolean ignoreCase) {
            this.ignoreCase = ignoreCase;
            if (only.isEmpty() || only.get().isBlank()) {
                glob = Optional.empty();
                substring = Optional.empty();
            } else if (only.get().contains("*") || only.get().contains("?")) {
                StringBuilder re = new StringBuilder();
                for (char c : only.get().toCharArray()) {
                    re.append(switch (c) {
                        case '*' -> ".*";
                        case '?' -> ".";
                        default -> Pattern.quote(String.valueOf(c));
                    });
                }
                glob = Optional.of(Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
                substring = Optional.empty();
            } else {
                glob = Optional.empty();
                substring = only.map(o -> ignoreCase ? o.toLowerCase(java.util.Locale.ROOT) : o);
            }
        }

        boolean test(String id) {
            if (glob.isPresent()) {
                return glob.get().matcher(id).matches() || glob.get().matcher(id.substring(id.indexOf(':') + 1)).matches();
            }
            String in = ignoreCase ? id.toLowerCase(java.util.Locale.ROOT) : id;
            return substring.map(in::contains).orElse(true);
        }

        boolean matchesArea(String area) {
            return substring.map(area::contains).orElse(glob.isEmpty());
        }
    }

    /** The exit class of a set of results: the worst of them. */
    public static ExitClass exitClass(List<CheckResult> results) {
        ExitClass worst = ExitClass.OK;
        for (CheckResult r : results) {
            worst = worst.worst(r.status().exitClass());
        }
        return worst;
    }
}
