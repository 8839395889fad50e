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
 */
public record PlanReport(RunEnvironment environment, String profile, Optional<String> tlcVersion, Instant started,
        Optional<Instant> finished, boolean interrupted, List<CheckResult> results, List<String> pending,
        List<String> notes, Optional<dev.mkspec.ci.catalog.InvariantCatalog> catalog) {

    public PlanReport {
        results = List.copyOf(results);
        pending = List.copyOf(pending);
        notes = List.copyOf(notes);
    }

    /** Whether every planned check ran. */
    public boolean complete() {
        return finished.isPresent() && !interrupted && pending.isEmpty();
    }

    /** The exit class: the worst result, or a tool failure if the run did not complete. */
    public dev.mkspec.specs.ExitClass exitClass() {
        dev.mkspec.specs.ExitClass e = CheckPlan.exitClass(results);
        return complete() ? e : e.worst(dev.mkspec.specs.ExitClass.TOOL_FAILURE);
    }

    public long count(CheckResult.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
