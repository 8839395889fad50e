package dev.mkspec.ci.plan;

import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.tlc.TlcRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What every check of a plan shares: where results go, which tools run, and the limits.
 *
 * @param out the report directory, e.g. {@code target/mkspec}
 * @param tlc the TLC runner
 * @param models the Java models that explorer checks can name
 * @param timeoutOverride a limit that replaces every configuration's own
 * @param fastTimeout the limit for a fast check that sets none
 * @param deepTimeout the limit for a deep check that sets none
 * @param explorerWorkers worker threads for explorer checks
 * @param board where checks report progress
 * @param coverage where TLC checks leave their coverage, when the plan collects it; empty to run
 *     TLC without {@code -coverage}
 * @param distributedWorkers local worker JVMs for TLC's distributed mode; 0 to run TLC as one process
 */
public record PlanContext(Path out, TlcRunner tlc, ModelBindings models, Optional<Duration> timeoutOverride,
        Duration fastTimeout, Duration deepTimeout, int explorerWorkers, ProgressBoard board,
        Optional<CoverageCollector> coverage, int distributedWorkers) {

    /** A context whose TLC runs as one process. */
    public PlanContext(Path out, TlcRunner tlc, ModelBindings models, Optional<Duration> timeoutOverride,
            Duration fastTimeout, Duration deepTimeout, int explorerWorkers, ProgressBoard board,
            Optional<CoverageCollector> coverage) {
        this(out, tlc, models, timeoutOverride, fastTimeout, deepTimeout, explorerWorkers, board, coverage, 0);
    }

    /** A context that collects no coverage. */
    public PlanContext(Path out, TlcRunner tlc, ModelBindings models, Optional<Duration> timeoutOverride,
            Duration fastTimeout, Duration deepTimeout, int explorerWorkers, ProgressBoard board) {
        this(out, tlc, models, timeoutOverride, fastTimeout, deepTimeout, explorerWorkers, board, Optional.empty());
    }

    /** The limit for a check of this profile, given what its manifest says. */
    public Duration timeout(String profile, Optional<Duration> own) {
        if (timeoutOverride.isPresent()) {
            return timeoutOverride.get();
        }
        return own.orElse(profile.equals("deep") ? deepTimeout : fastTimeout);
    }

    /** A file name made from a check ID: {@code tlc:As/fast} becomes {@code tlc-As-fast}. */
    public static String fileName(String id) {
        return id.replaceAll("[^A-Za-z0-9_.-]+", "-");
    }

    public Path traceFile(String id, String extension) {
        return out.resolve("traces").resolve(fileName(id) + extension);
    }
}
