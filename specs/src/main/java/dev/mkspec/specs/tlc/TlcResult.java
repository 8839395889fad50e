package dev.mkspec.specs.tlc;

import dev.mkspec.specs.trace.Trace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What one TLC run found.
 *
 * @param verdict the verdict
 * @param violated the invariant or property that failed, when TLC named it
 * @param message one paragraph for a person: TLC's own words, with the position where known
 * @param position the file position an error points at, if any
 * @param distinctStates distinct states found (for a timeout: as of the last progress report)
 * @param generatedStates states generated
 * @param queuedStates states left on the queue when TLC stopped
 * @param depth the depth of the search, counted as TLC does (a single initial state is depth 1)
 * @param initialStates the number of distinct initial states
 * @param trace the counterexample, if TLC printed one
 * @param coverage per-action coverage, if the run asked for it
 * @param expressions TLC's expression coverage, in TLC's order, if the run asked for it
 * @param warnings TLC's warnings, other than its advice on garbage collectors
 * @param tlcVersion TLC's version line, e.g. {@code "TLC2 Version 2.18 of 20 March 2023"}
 * @param mode {@code "model checking"} or {@code "simulation"}
 * @param elapsed wall-clock time of the child process, start to exit
 * @param tlcReportedMillis the time TLC itself reported in its last message
 * @param fingerprintCollisionProbability TLC's optimistic estimate, on success
 * @param exitCode the child process's exit code (-1 if it was killed)
 * @param log the raw output, if it was kept
 */
public record TlcResult(
        TlcVerdict verdict,
        Optional<String> violated,
        String message,
        Optional<SourcePosition> position,
        OptionalLong distinctStates,
        OptionalLong generatedStates,
        OptionalLong queuedStates,
        OptionalLong depth,
        OptionalLong initialStates,
        Optional<Trace> trace,
        List<CoverageEntry> coverage,
        List<ExpressionCoverage> expressions,
        List<String> warnings,
        String tlcVersion,
        String mode,
        Duration elapsed,
        OptionalLong tlcReportedMillis,
        OptionalDouble fingerprintCollisionProbability,
        int exitCode,
        Optional<Path> log) {

    public TlcResult {
        coverage = List.copyOf(coverage);
        expressions = List.copyOf(expressions);
        warnings = List.copyOf(warnings);
    }

    /**
     * Whether TLC's distributed server made this result. It counts generated states each time a
     * worker sends a state (again after a lost worker) and its depth one level apart on some models,
     * so only its distinct states compare with single-process TLC's.
     */
    public boolean fromDistributedServer() {
        return tlcVersion.endsWith(TlcOutputInterpreter.DISTRIBUTED_SUFFIX);
    }

    /**
     * This run's counts, times and log with another judgement: the verdict, what it names, the
     * message, the position, the trace and the warnings (for a result the runner completes, e.g.
     * a distributed server's, whose violation single-process TLC named).
     */
    public TlcResult judged(TlcVerdict newVerdict, Optional<String> newViolated, String newMessage,
            Optional<SourcePosition> newPosition, Optional<Trace> newTrace, List<String> newWarnings) {
        return new TlcResult(newVerdict, newViolated, newMessage, newPosition, distinctStates, generatedStates,
                queuedStates, depth, initialStates, newTrace, coverage, expressions, newWarnings, tlcVersion, mode,
                elapsed, tlcReportedMillis, fingerprintCollisionProbability, exitCode, log);
    }

    /** The actions that never fired, by TLC's coverage; empty if coverage was not collected. */
    public List<CoverageEntry> deadActions() {
        return coverage.stream().filter(c -> !c.initial() && c.generated() == 0).toList();
    }

    /** One line: verdict, counts, depth and time. */
    public String summaryLine() {
        StringBuilder sb = new StringBuilder(verdict.id());
        violated.ifPresent(v -> sb.append(": ").append(v));
        distinctStates.ifPresent(d -> sb.append(", ").append(String.format("%,d", d)).append(" distinct"));
        generatedStates.ifPresent(g -> sb.append(", ").append(String.format("%,d", g)).append(" generated"));
        depth.ifPresent(d -> sb.append(", depth ").append(d));
        sb.append(", ").append(String.format("%.1fs", elapsed.toMillis() / 1000.0));
        return sb.toString();
    }
}
