package dev.mkspec.ci.plan;

import dev.mkspec.ci.RunEnvironment;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state of a plan run, as the reports show it: finished results, and the checks not yet run.
 *
 * @param environment versions and commit
 * @param profile the profile run
 * @param tlcVersion TLC's version line, once a TLC check has run
 * @param started when the run began
 * @param finished when it ended; empty while it runs
 * @param interrupted whether it was stopped before the end
 * @param results the finished checks, in plan order
 * @param pending the checks not run (yet)
 * @param notes remarks that are not failures
 * @param catalog the invariant catalog, to list each invariant with the checks that verified it
 * @param signal the signal that stopped the run ({@code SIGTERM}, {@code SIGINT}), if one did
 * @param coverage the fast profile's coverage, once the run has ended (empty while it runs)
 */
public record PlanReport(RunEnvironment environment, String profile, Optional<String> tlcVersion, Instant started,
        Optional<Instant> finished, boolean interrupted, List<CheckResult> results, List<String> pending,
        List<String> notes, Optional<dev.mkspec.ci.catalog.InvariantCatalog> catalog, Optional<String> signal,
        Optional<PlanCoverage> coverage) {

    /** A report without coverage. */
    public PlanReport(RunEnvironment environment, String profile, Optional<String> tlcVersion, Instant started,
            Optional<Instant> finished, boolean interrupted, List<CheckResult> results, List<String> pending,
            List<String> notes, Optional<dev.mkspec.ci.catalog.InvariantCatalog> catalog, Optional<String> signal) {
        this(environment, profile, tlcVersion, started, finished, interrupted, results, pending, notes, catalog, signal,
                Optional.empty());
    }

    public PlanReport {
        results = List.copyOf(results);
        pending = List.copyOf(pending);
        notes = List.copyOf(notes);
    }

    /** Whether every planned check ran. */
    public boolean complete() {
        return finished.isPresent() && !interrupted && pending.isEmpty();
    }

    /**
     * The exit class: the worst result, an unexpected verdict if the coverage was judged and
     * something is not covered, or a tool failure if the run did not complete.
     */
    public dev.mkspec.specs.ExitClass exitClass() {
        dev.mkspec.specs.ExitClass e = CheckPlan.exitClass(results);
        if (coverage.map(PlanCoverage::fails).orElse(false)) {
            e = e.worst(dev.mkspec.specs.ExitClass.UNEXPECTED);
        }
        return complete() ? e : e.worst(dev.mkspec.specs.ExitClass.TOOL_FAILURE);
    }

    /**
     * The process's exit status: the exit class's code, or, for a run stopped by a signal, the
     * shell's convention 128 + the signal's number (143 for SIGTERM, 130 for SIGINT).
     */
    public int exitStatus() {
        return signal.map(PlanReport::signalStatus).orElse(exitClass().code());
    }

    /** A few words on how the run ended, for the reports. */
    public String exitDescription() {
        return signal.map(s -> "interrupted by " + s).orElse(exitClass().description());
    }

    /** 128 + the number of a signal named like {@code SIGTERM}. */
    public static int signalStatus(String signal) {
        return 128 + switch (signal) {
            case "SIGHUP" -> 1;
            case "SIGINT" -> 2;
            case "SIGQUIT" -> 3;
            case "SIGTERM" -> 15;
            default -> 15;
        };
    }

    /** The run's wall-clock time so far, from its start to its end (or to {@code now}). */
    public java.time.Duration wallTime(Instant now) {
        return java.time.Duration.between(started, finished.orElse(now));
    }

    public long count(CheckResult.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
