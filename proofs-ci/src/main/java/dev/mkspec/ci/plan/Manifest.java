package dev.mkspec.ci.plan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A spec folder's {@code manifest.json}: the configurations to check and what each must give.
 * Read with {@link ManifestReader}, which validates every field and names the file and key of
 * any mistake.
 *
 * @param file the manifest file
 * @param area the area's name (the folder's, unless the manifest says otherwise)
 * @param description one line on what the specs cover
 * @param models the configurations
 * @param library folders (absolute) where TLC also looks for modules, such as another area's spec
 *     that this area's specs {@code INSTANCE}
 */
public record Manifest(Path file, String area, String description, List<Model> models, List<Path> library,
        List<KernelRun> kernel) {

    public Manifest {
        models = List.copyOf(models);
        library = List.copyOf(library);
        kernel = List.copyOf(kernel);
    }

    /** A manifest without kernel checks. */
    public Manifest(Path file, String area, String description, List<Model> models, List<Path> library) {
        this(file, area, description, models, library, List.of());
    }

    /**
     * A refinement check of the cycle-costed kernel against this area's model, at the bounds of
     * one of the area's cfgs (check ID {@code kernel:AREA/NAME}).
     *
     * @param name unique among the area's kernel checks
     * @param check {@code forward}: random hostile system calls, each checked against the model
     *     step it stands for; {@code graph}: the kernel explored exhaustively at the bounds, its
     *     abstract graph compared with the model's; {@code trace}: random runs written as traces
     *     of the TLA+ spec and validated by TLC, the Java model playing no part; {@code invariants}:
     *     random hostile calls judged by the kernel's own invariants K-1..K-8 alone
     * @param config the cfg whose constants are the bounds, relative to the folder
     * @param cpu a built-in CPU profile
     * @param design the kernel design (L4, MACH, ...)
     * @param mitigations page-table isolation on
     * @param bug a deliberate kernel bug, or NONE
     * @param runs forward and trace: how many random runs (seeds 1..runs)
     * @param steps forward and trace: calls per run
     * @param profile {@code fast} or {@code deep}
     * @param expect {@code refines} or {@code caught} (a bug variant)
     * @param violates {@code invariants} only: the kernel invariant a bug variant must break first
     *     ({@code K-5})
     */
    public record KernelRun(String name, String check, Path config, String cpu, String design, boolean mitigations,
            String bug, int runs, int steps, String profile, String expect, Optional<String> violates, int cpus) {
    }

    /** The folder that holds the manifest and its specs. */
    public Path folder() {
        return file.toAbsolutePath().getParent();
    }

    /**
     * One configuration of a spec.
     *
     * @param name unique within the area, e.g. {@code "fast"} or {@code "bug_flush_shallow"}
     * @param spec the root module, relative to the folder
     * @param config the cfg, relative to the folder
     * @param profile {@code fast} (runs in {@code mvn verify} and by default) or {@code deep}
     * @param workers TLC workers; empty means one per core
     * @param timeout the limit for this configuration, if it sets one
     * @param heap the TLC JVM's heap, if it sets one
     * @param expect what TLC must report
     * @param explorer the Java model to check on the same cfg, if any
     * @param coverage whether the fast profile runs TLC with {@code -coverage} on it (a model that
     *     expects success; coverage makes TLC up to three times slower, so a configuration whose
     *     coverage adds nothing to the others' says {@code false}; its definitions are still judged)
     */
    public record Model(String name, Path spec, Path config, String profile, OptionalInt workers,
            Optional<Duration> timeout, Optional<String> heap, Expect expect, Optional<Explorer> explorer,
            boolean coverage, Optional<Simulate> simulate) {
    }

    /**
     * Random simulation instead of exhaustive search, for bounds that search cannot finish: TLC's
     * {@code -simulate} and the explorer's seeded walks, each checking every invariant and action
     * property at every step. Only the verdict is judged: the states each tool happens to visit
     * differ.
     *
     * @param depth steps per walk
     * @param traces walks to take
     * @param seed the random seed of both tools
     */
    public record Simulate(int depth, long traces, long seed) {
    }

    /**
     * The expected result. Counts are judged only when given.
     *
     * @param result a verdict name: {@code success}, {@code invariant violated}, ... or one of the
     *     TLA+ Examples' coarse names such as {@code safety failure}
     * @param violated the invariant or property that must fail
     * @param distinctStates the exact number of distinct states
     * @param totalStates the exact number of states generated
     * @param stateDepth the exact search depth
     * @param traceLength the exact number of states in the counterexample
     */
    public record Expect(String result, Optional<String> violated, OptionalLong distinctStates,
            OptionalLong totalStates, OptionalLong stateDepth, OptionalInt traceLength) {
    }

    /**
     * A Java model checked on the same configuration.
     *
     * @param model the model's name in {@link dev.mkspec.refinement.ModelBindings}
     * @param compare {@code counts}: the explorer must reach the counts in {@link Expect}; {@code graph}:
     *     also the same labelled state graph as TLC's
     */
    public record Explorer(String model, String compare) {
    }
}
