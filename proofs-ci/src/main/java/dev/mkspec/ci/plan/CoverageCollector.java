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

    private final Optional<java.util.Set<String>> areas;
    private final String scope;

    /** @param root the repository root, to print files relative to it */
    public CoverageCollector(Path root) {
        this(root, Optional.empty(), "");
    }

    /**
     * A collector that judges only {@code areas} (those whose fast TLC checks all run, when
     * {@code --only} leaves others out); {@code scope} says so to the reader.
     */
    public CoverageCollector(Path root, Optional<java.util.Set<String>> areas, String scope) {
        this.root = root.toAbsolutePath().normalize();
        this.areas = areas.map(java.util.Set::copyOf);
        this.scope = scope;
    }

    private boolean judges(String area) {
        return areas.map(a -> a.contains(area)).orElse(true);
    }

    /** Whether a model's TLC run collects coverage: the success models; bug variants do not (see below). */
    static boolean collects(Manifest.Model model) {
        return model.expect().result().equals("success");
    }

    /**
     * Records one finished TLC check of {@code manifest}; a success model without coverage is noted
     * as missing. Bug variants run without TLC's coverage, which doubled their cost: a variant only
     * adds the branches of its own switch ({@code IF Bug = "x"}), and those are counted by
     * {@link #recordVariant} when the variant finds the violation its manifest expects.
     */
    synchronized void record(Manifest manifest, Manifest.Model model, String check, Optional<TlcResult> result) {
        manifests.putIfAbsent(manifest.area(), manifest);
        if (!collects(model)) {
            return;
        }
        if (result.isEmpty() || result.get().coverage().isEmpty()) {
            missing.add(check);
            return;
        }
        try {
            runs.computeIfAbsent(manifest.area(), a -> new ArrayList<>()).add(AreaCoverage.Run.of(check,
                    CfgParser.parse(model.config()), result.get().coverage(), result.get().expressions()));
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
            areas.add(AreaCoverage.compute(e.getKey(), modules, library, e.getValue(),
                    variants.getOrDefault(e.getKey(), Map.of())));
        }
        return new PlanCoverage(PlanCoverage.State.JUDGED, scope, areas, files);
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
