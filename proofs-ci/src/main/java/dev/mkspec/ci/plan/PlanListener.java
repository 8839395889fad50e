package dev.mkspec.ci.plan;

import java.util.List;

/** Hears about a plan run: for the live progress line. */
public interface PlanListener {
    /** A task's checks finished. */
    default void finished(List<CheckResult> results, int done, int total) {
    }

    /** Called about once a second while checks run. */
    default void tick(ProgressBoard board) {
    }

    PlanListener NONE = new PlanListener() {
    };
}
