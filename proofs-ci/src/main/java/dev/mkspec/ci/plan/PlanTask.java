package dev.mkspec.ci.plan;

import java.util.List;

/** A unit of work in a plan; it produces the results of one or more checks. */
interface PlanTask {
    /** The IDs of the checks this task produces, known before it runs. */
    List<String> ids();

    /** Runs the checks. Never throws for a problem of the checked input: that becomes a result. */
    List<CheckResult> run(PlanContext context);
}
