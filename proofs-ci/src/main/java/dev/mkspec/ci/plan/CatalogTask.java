package dev.mkspec.ci.plan;

import dev.mkspec.ci.catalog.CatalogCheck;
import dev.mkspec.ci.catalog.InvariantCatalog;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.ExitClass;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Checks that the invariant catalog and the specs agree; see {@link CatalogCheck}. */
final class CatalogTask implements PlanTask {
    static final String ID = "plan:catalog";

    private final Path root;
    private final InvariantCatalog catalog;
    private final ModelBindings models;

    CatalogTask(Path root, InvariantCatalog catalog, ModelBindings models) {
        this.root = root;
        this.catalog = catalog;
        this.models = models;
    }

    @Override
    public List<String> ids() {
        return List.of(ID);
    }

    @Override
    public List<CheckResult> run(PlanContext context) {
        long start = System.nanoTime();
        List<String> problems = new CatalogCheck(root, models).problems(catalog);
        String expected = "every reference of specs/invariants.yaml resolves and every property has a bug variant";
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (!problems.isEmpty()) {
            CheckResult e = CheckResult.error(ID, CheckResult.Kind.PLAN, "catalog", "invariants.yaml", "fast",
                    ExitClass.BAD_INPUT, expected, String.join("\n", problems), elapsed);
            return List.of(new CheckResult(e.id(), e.kind(), e.area(), e.name(), e.profile(), e.status(), expected,
                    problems.size() + " problem" + (problems.size() == 1 ? "" : "s"), problems, e.message(),
                    OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty(), elapsed,
                    "mkspec", List.of(), "", Optional.empty(), Optional.empty(), Optional.empty()));
        }
        return List.of(new CheckResult(ID, CheckResult.Kind.PLAN, "catalog", "invariants.yaml", "fast",
                CheckResult.Status.PASSED, expected, catalog.entries().size() + " entries agree with the specs", List.of(),
                "", OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty(), elapsed,
                "mkspec", catalog.entries().stream().map(InvariantCatalog.Entry::id).toList(), "", Optional.empty(),
                Optional.empty(), Optional.empty()));
    }
}
