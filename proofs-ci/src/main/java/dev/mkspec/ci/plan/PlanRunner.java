package dev.mkspec.ci.plan;

import dev.mkspec.ci.RunEnvironment;
import dev.mkspec.ci.report.ReportWriter;
import dev.mkspec.specs.ExitClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link CheckPlan}: its tasks on {@code jobs} threads, writing the reports after every
 * finished check so that they never describe a half-finished state, and again at the end.
 */
public final class PlanRunner {
    private final PlanContext context;
    private final ReportWriter writer;
    private final RunEnvironment environment;
    private final String profile;
    private final int jobs;
    private final PlanListener listener;

    private final Map<String, CheckResult> results = new LinkedHashMap<>();
    private List<String> order = List.of();
    private List<String> notes = List.of();
    private Optional<dev.mkspec.ci.catalog.InvariantCatalog> catalog = Optional.empty();
    private Instant started;
    private volatile boolean interrupted;
    private volatile boolean finished;
    private volatile Optional<String> signal = Optional.empty();
    private Optional<PlanCoverage> coverage = Optional.empty();
    private Optional<PlanCoverage> coverageNote = Optional.empty();

    public PlanRunner(PlanContext context, ReportWriter writer, RunEnvironment environment, String profile, int jobs,
            PlanListener listener) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
        }
        this.context = context;
        this.writer = writer;
        this.environment = environment;
        this.profile = profile;
        this.jobs = jobs;
        this.listener = listener;
    }

    /** Runs every check of the plan and returns the final report. */
    public PlanReport run(CheckPlan plan) {
        started = Instant.now();
        order = plan.ids();
        notes = plan.notes();
        catalog = plan.catalog();
        context.board().total(order.size());
        plan.planningErrors().forEach(this::record);
        writer.write(snapshot(Optional.empty()));
        if (!plan.planningErrors().isEmpty()) {
            listener.finished(plan.planningErrors(), done(), order.size());
        }

        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "mkspec-check");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> futures = new ArrayList<>();
        for (PlanTask task : plan.tasks()) {
            futures.add(pool.submit(() -> runTask(task)));
        }
        pool.shutdown();
        try {
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                listener.tick(context.board());
            }
        } catch (InterruptedException e) {
            interrupted = true;
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        for (Future<?> f : futures) {
            if (!f.isDone()) {
                f.cancel(true);
            }
        }
        finished = true;
        Optional<PlanCoverage> judged = interrupted ? context.coverage().map(c -> PlanCoverage.notJudged(
                PlanCoverage.State.NOT_JUDGED, "coverage was not judged: the run was interrupted"))
                : context.coverage().map(CoverageCollector::judge);
        synchronized (this) {
            coverage = judged.or(() -> coverageNote);
        }
        PlanReport last = snapshot(Optional.of(Instant.now()));
        writer.write(last);
        return last;
    }

    /**
     * Says why coverage is not collected in this run (switched off, a subset, the deep profile), for
     * the reports; used when the context collects none.
     */
    public void coverageNotCollected(PlanCoverage note) {
        this.coverageNote = Optional.of(note);
    }

    /**
     * Marks the run as interrupted and writes the reports as they stand; for a shutdown hook
     * (Ctrl-C). Does nothing once the run has finished.
     */
    public void interrupt() {
        interrupt(Optional.empty());
    }

    /**
     * As {@link #interrupt()}, recording the signal that stopped the run.
     *
     * @param signal e.g. {@code SIGTERM}
     */
    public void interrupt(Optional<String> signal) {
        if (finished) {
            return;
        }
        interrupted = true;
        if (signal.isPresent()) {
            this.signal = signal;
        }
        writer.write(snapshot(Optional.of(Instant.now())));
    }

    private void runTask(PlanTask task) {
        String first = task.ids().get(0);
        context.board().started(first);
        long start = System.nanoTime();
        List<CheckResult> out;
        try {
            out = task.run(context);
        } catch (dev.mkspec.specs.MkspecException e) {
            // Bad input or a tool problem that the task did not turn into a result itself.
            out = new ArrayList<>();
            for (String id : task.ids()) {
                out.add(CheckResult.error(id, kindOf(id), "", id, profile, e.exitClass(), "", e.getMessage(),
                        Duration.ofNanos(System.nanoTime() - start)));
            }
        } catch (RuntimeException | Error e) {
            // A bug in mkspec or a tool crash: every check of the task is recorded, none is lost.
            out = new ArrayList<>();
            for (String id : task.ids()) {
                out.add(CheckResult.error(id, kindOf(id), "", id, profile, ExitClass.TOOL_FAILURE, "",
                        "mkspec failed while running this check: " + e, Duration.ofNanos(System.nanoTime() - start)));
            }
        }
        List<String> missing = new ArrayList<>(task.ids());
        out.forEach(r -> missing.remove(r.id()));
        for (String id : missing) {
            out.add(CheckResult.error(id, kindOf(id), "", id, profile, ExitClass.TOOL_FAILURE, "",
                    "the tool produced no result for this check", Duration.ofNanos(System.nanoTime() - start)));
        }
        synchronized (this) {
            if (interrupted) {
                // Stopped by a signal: a check that ends now was killed with mkspec, and its
                // "result" (a tool failure) would misreport it. It stays among the checks not run.
                return;
            }
            out.forEach(this::record);
            writer.write(snapshot(Optional.empty()));
        }
        context.board().finished(first, out.size());
        listener.finished(out, done(), order.size());
    }

    private static CheckResult.Kind kindOf(String id) {
        for (CheckResult.Kind k : CheckResult.Kind.values()) {
            if (id.startsWith(k.id() + ":")) {
                return k;
            }
        }
        return CheckResult.Kind.PLAN;
    }

    private synchronized void record(CheckResult r) {
        results.put(r.id(), r);
    }

    private synchronized int done() {
        return results.size();
    }

    private synchronized PlanReport snapshot(Optional<Instant> end) {
        List<CheckResult> done = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (String id : order) {
            CheckResult r = results.get(id);
            if (r == null) {
                pending.add(id);
            } else {
                done.add(r);
            }
        }
        Optional<String> tlc = done.stream().filter(r -> r.kind() == CheckResult.Kind.TLC && r.tool().startsWith("TLC"))
                .map(CheckResult::tool).findFirst();
        return new PlanReport(environment, profile, tlc, started, end, interrupted, done, pending, notes, catalog, signal,
                coverage);
    }
}
