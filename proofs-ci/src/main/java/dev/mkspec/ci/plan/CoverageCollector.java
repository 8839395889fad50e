package dev.mkspec.ci.plan;

import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.coverage.AreaCoverage;
import dev.mkspec.specs.coverage.TlaSource;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tlc.TlcResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Gathers the coverage of the TLC checks of a plan as they finish (from several threads), and
 * judges it per area once they all have: see {@link PlanCoverage}.
 */
public final class CoverageCollector {
    private final Path root;
    private final Map<String, Manifest> manifests = new TreeMap<>();
    private final Map<String, List<AreaCoverage.Run>> runs = new TreeMap<>();
    private final List<String> missing = new ArrayList<>();
    private final Map<String, Map<String, String>> variants = new TreeMap<>();

    private final Map<String, java.time.Duration> times = new TreeMap<>();
    private final java.util.Set<String> withoutCoverage = new java.util.TreeSet<>();

    private final Optional<java.util.Set<String>> areas;
    private final String scope;
    private final boolean everywhere;

    /** @param root the repository root, to print files relative to it */
    public CoverageCollector(Path root) {
        this(root, Optional.empty(), "", false);
    }

    /**
     * A collector that judges only {@code areas} (those whose fast TLC checks all run, when
     * {@code --only} leaves others out); {@code scope} says so to the reader.
     */
    public CoverageCollector(Path root, Optional<java.util.Set<String>> areas, String scope) {
        this(root, areas, scope, false);
    }

    /**
     * @param everywhere collect coverage on every model that expects success, also those whose
     *     manifest says {@code "coverage": false} ({@code mkspec check --coverage-everywhere}): to
     *     see again which configurations' coverage adds something
     */
    public CoverageCollector(Path root, Optional<java.util.Set<String>> areas, String scope, boolean everywhere) {
        this.root = root.toAbsolutePath().normalize();
        this.areas = areas.map(java.util.Set::copyOf);
        this.scope = scope;
        this.everywhere = everywhere;
    }

    private boolean judges(String area) {
        return areas.map(a -> a.contains(area)).orElse(true);
    }

    /** Whether a model expects success (a bug variant never runs with coverage: see below). */
    static boolean expectsSuccess(Manifest.Model model) {
        return model.expect().result().trim().equalsIgnoreCase("success");
    }

    /**
     * Whether a model's TLC run collects coverage: the success models whose manifest does not say
     * {@code "coverage": false}, or every success model when collecting everywhere.
     */
    boolean collects(Manifest.Model model) {
        return expectsSuccess(model) && (model.coverage() || everywhere);
    }

    /**
     * Records one finished TLC check of {@code manifest}; a success model without coverage is noted
     * as missing. Bug variants run without TLC's coverage, which doubled their cost: a variant only
     * adds the branches of its own switch ({@code IF Bug = "x"}), and those are counted by
     * {@link #recordVariant} when the variant finds the violation its manifest expects.
     */
    synchronized void record(Manifest manifest, Manifest.Model model, String check, Optional<TlcResult> result) {
        manifests.putIfAbsent(manifest.area(), manifest);
        if (!expectsSuccess(model)) {
            return;
        }
        if (!collects(model)) {
            // Its definitions are still judged: a branch only this configuration reaches fails the
            // plan as never reached, until its manifest entry collects coverage again.
            withoutCoverage.add(check);
            try {
                runs.computeIfAbsent(manifest.area(), a -> new ArrayList<>()).add(AreaCoverage.Run.of(check,
                        CfgParser.parse(model.config()), List.of(), List.of()).withoutCoverage());
            } catch (MkspecException e) {
                // A cfg that does not parse fails its own check.
            }
            return;
        }
        if (result.isEmpty() || result.get().coverage().isEmpty()) {
            missing.add(check);
            return;
        }
        try {
            runs.computeIfAbsent(manifest.area(), a -> new ArrayList<>()).add(AreaCoverage.Run.of(check,
                    CfgParser.parse(model.config()), result.get().coverage(), result.get().expressions()));
            times.put(check, result.get().elapsed());
        } catch (MkspecException e) {
            missing.add(check);
        }
    }

    /**
     * Records a bug variant's check that came out as its manifest expects (the violation named,
     * with the counts pinned): the branches of its switch count as taken.
     */
    synchronized void recordVariant(Manifest manifest, Manifest.Model model, String check) {
        manifests.putIfAbsent(manifest.area(), manifest);
        try {
            if (CfgParser.parse(model.config()).constants().get("Bug") instanceof TlaValue.Str bug) {
                variants.computeIfAbsent(manifest.area(), a -> new TreeMap<>()).putIfAbsent(bug.value(), check);
            }
        } catch (MkspecException e) {
            // A cfg that does not parse fails its own check; its switch stays uncounted.
        }
    }

    /** Judges every area's coverage from the runs recorded. */
    public synchronized PlanCoverage judge() {
        List<String> missing = this.missing.stream().filter(c -> judges(CheckPlan.area(c))).toList();
        if (!missing.isEmpty()) {
            return PlanCoverage.notJudged(PlanCoverage.State.NOT_JUDGED, "coverage was not judged: "
                    + String.join(", ", missing) + (missing.size() == 1 ? " gave" : " gave")
                    + " no coverage (it did not run to the end of TLC's search or report)");
        }
        List<AreaCoverage.Result> areas = new ArrayList<>();
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, List<String>> redundant = new TreeMap<>();
        for (Map.Entry<String, List<AreaCoverage.Run>> e : runs.entrySet()) {
            if (!judges(e.getKey())) {
                continue;
            }
            Manifest m = manifests.get(e.getKey());
            List<TlaSource> modules = read(m.folder(), files);
            List<TlaSource> library = new ArrayList<>();
            for (Path lib : m.library()) {
                library.addAll(read(lib, new LinkedHashMap<>()));
            }
            Map<String, String> v = variants.getOrDefault(e.getKey(), Map.of());
            AreaCoverage.Result result = AreaCoverage.compute(e.getKey(), modules, library, e.getValue(), v);
            areas.add(result);
            List<String> r = redundant(result, e.getValue(), run -> AreaCoverage.compute(e.getKey(), modules, library, run, v));
            if (!r.isEmpty()) {
                redundant.put(e.getKey(), r);
            }
        }
        return new PlanCoverage(PlanCoverage.State.JUDGED, scope, areas, files, redundant,
                List.copyOf(withoutCoverage.stream().filter(c -> judges(CheckPlan.area(c))).toList()));
    }

    /**
     * The runs with coverage whose coverage adds nothing to the others': without them every action
     * and branch comes out the same (taken, not taken, or reported only in aggregate). Found by
     * leaving runs out one at a time, the slowest first, and keeping out each that changes nothing,
     * so the runs left still give the whole result.
     */
    private List<String> redundant(AreaCoverage.Result full, List<AreaCoverage.Run> all,
            java.util.function.Function<List<AreaCoverage.Run>, AreaCoverage.Result> compute) {
        List<String> target = outcome(full);
        List<AreaCoverage.Run> kept = new ArrayList<>(all);
        List<AreaCoverage.Run> candidates = all.stream().filter(r -> times.containsKey(r.check()))
                .sorted(java.util.Comparator.comparing((AreaCoverage.Run r) -> times.get(r.check())).reversed()).toList();
        if (candidates.size() < 2) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (AreaCoverage.Run c : candidates) {
            List<AreaCoverage.Run> without = new ArrayList<>(kept);
            without.remove(c);
            // The run stays in as a configuration whose definitions are judged, without its coverage.
            without.add(c.withoutCoverage());
            if (outcome(compute.apply(without)).equals(target)) {
                kept = without;
                out.add(c.check());
            }
        }
        out.sort(null);
        return out;
    }

    /** What a result says of each action and branch, in a form two results compare by. */
    private static List<String> outcome(AreaCoverage.Result r) {
        List<String> out = new ArrayList<>();
        for (AreaCoverage.Action a : r.actions()) {
            out.add(a.name() + "@" + a.location() + "=" + a.taken());
        }
        for (AreaCoverage.BranchCoverage b : r.branches()) {
            out.add(b.branch().position() + "/" + b.branch().kind() + "=" + b.scope() + "," + b.taken() + ","
                    + b.unknown() + "," + b.uncovered());
        }
        out.add("outside=" + r.outsideCoverage());
        out.sort(null);
        return out;
    }

    private List<TlaSource> read(Path folder, Map<String, String> files) {
        List<TlaSource> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".tla")).sorted().toList()) {
                TlaSource src = TlaSource.read(Optional.of(p), Files.readString(p, StandardCharsets.UTF_8));
                out.add(src);
                Path abs = p.toAbsolutePath().normalize();
                files.put(src.module(), abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString());
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // A folder that cannot be read contributes no branches; TLC's checks report the problem.
        }
        return out;
    }
}
