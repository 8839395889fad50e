package dev.mkspec.check;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Explicit-state breadth-first search over a {@link StateMachine}.
 *
 * <p>The search runs level by level. In each level the workers expand the frontier in chunks:
 * they check every invariant of a state, then generate its successors and keep those whose
 * fingerprints are not yet visited. Then each worker inserts the candidates of the fingerprint
 * shards it owns, in frontier order. Because insertion follows frontier order and not thread
 * timing, the result is the same for any number of workers: the same counts, the same first
 * violation, the same counterexample.
 *
 * <p>The counterexample is the shortest: breadth-first search reaches each state first by a
 * shortest path, and the parent log records that path's last step as the state's parent. The
 * explorer rebuilds the states by replaying the model from the initial state along the recorded
 * fingerprints.
 *
 * <p>Cost: 8 bytes per distinct state in the fingerprint table ({@link FingerprintTable}), 16
 * bytes per state on disk for the parents ({@link ParentLog}), plus the states of two consecutive
 * levels. Time is dominated by the model's {@code successors} and {@code fingerprint}.
 *
 * <p>The explorer keeps no static mutable state; two explorations may run in one JVM at once.
 */
public final class Explorer {
    private static final int SHARDS = 64;

    private Explorer() {
    }

    /**
     * Explores every reachable state of {@code model}, or until the first failure or limit.
     *
     * @throws java.io.UncheckedIOException if the parent log cannot be written or read (a full or
     *     unwritable temporary folder)
     */
    public static <S> ExplorationResult<S> explore(StateMachine<S> model, ExplorerOptions options) {
        return explore(model, options, ExplorationObserver.none());
    }

    /** As {@link #explore(StateMachine, ExplorerOptions)}, telling {@code observer} as it goes. */
    public static <S> ExplorationResult<S> explore(StateMachine<S> model, ExplorerOptions options,
            ExplorationObserver<S> observer) {
        return new Run<>(model, options, observer).run();
    }

    private enum FailureKind { INVARIANT, ACTION_PROPERTY, DEADLOCK, MODEL_ERROR }

    /**
     * The first failure of a chunk: the frontier index of the state, and what went wrong; for an
     * action property, also the step that broke it.
     */
    private record Failure<S>(int index, FailureKind kind, Invariant<S> invariant, ActionProperty<S> property,
            Action action, S next, RuntimeException error) {
    }

    /** What one chunk of the frontier produced. */
    private static final class Chunk<S> {
        final List<S> states = new ArrayList<>();
        long[] fps = new long[16];
        long[] parents = new long[16];
        boolean[] accepted;
        int size;
        Failure<S> failure;

        void add(long fp, S state, long parent) {
            if (size == fps.length) {
                fps = java.util.Arrays.copyOf(fps, size * 2);
                parents = java.util.Arrays.copyOf(parents, size * 2);
            }
            fps[size] = fp;
            parents[size] = parent;
            states.add(state);
            size++;
        }
    }

    private static final class Run<S> {
        private final StateMachine<S> model;
        private final ExplorerOptions options;
        private final ExplorationObserver<S> observer;
        private final List<Invariant<S>> invariants;
        private final List<ActionProperty<S>> actionProperties;
        private final FingerprintTable visited = new FingerprintTable(SHARDS);
        private final LongAdder generated = new LongAdder();
        private final AtomicReference<ExplorerVerdict> stop = new AtomicReference<>();
        private final long start = System.nanoTime();
        private final long deadline;
        private final long memoryLimit;
        private volatile int depth;
        private final LongAdder expanded = new LongAdder();
        private volatile long levelSize;
        private ParentLog parents;
        /** The most heap in use (garbage included) seen at a sample: every 64 states and at each level's end. */
        private volatile long peakHeap;

        Run(StateMachine<S> model, ExplorerOptions options, ExplorationObserver<S> observer) {
            this.model = model;
            this.options = options;
            this.observer = observer;
            this.invariants = List.copyOf(model.invariants());
            this.actionProperties = List.copyOf(model.actionProperties());
            this.deadline = options.timeout().map(t -> start + t.toNanos()).orElse(Long.MAX_VALUE);
            this.memoryLimit = options.effectiveMemoryLimit();
        }

        ExplorationResult<S> run() {
            ExecutorService pool = Executors.newFixedThreadPool(options.workers(), r -> {
                Thread t = new Thread(r, "mkspec-explorer-" + model.name());
                t.setDaemon(true);
                return t;
            });
            try (ParentLog log = new ParentLog()) {
                parents = log;
                return search(pool);
            } catch (OutOfMemoryError e) {
                return finish(ExplorerVerdict.OUT_OF_MEMORY, null, null, null,
                        "the JVM ran out of heap (" + e.getMessage() + "); give it more with -Xmx, or lower the bounds");
            } finally {
                pool.shutdownNow();
            }
        }

        private ExplorationResult<S> search(ExecutorService pool) {
            List<S> frontier = new ArrayList<>();
            long[] fps;
            List<S> initial;
            try {
                initial = model.initialStates();
            } catch (RuntimeException e) {
                return finish(ExplorerVerdict.MODEL_ERROR, null, null, null,
                        "computing the initial states threw " + e);
            }
            List<Long> initFps = new ArrayList<>();
            for (S s : initial) {
                generated.increment();
                if (!model.withinBounds(s)) {
                    continue;
                }
                long fp = FingerprintTable.normalize(model.fingerprint(s));
                if (visited.add(fp)) {
                    parents.append(fp, FingerprintTable.NO_PARENT);
                    frontier.add(s);
                    initFps.add(fp);
                    if (observer.wantsGraph()) {
                        observer.state(s, fp, 1);
                    }
                }
            }
            visited.commit(0, 1);
            fps = initFps.stream().mapToLong(Long::longValue).toArray();
            depth = frontier.isEmpty() ? 0 : 1;

            while (!frontier.isEmpty()) {
                List<Chunk<S>> chunks = expand(pool, frontier, fps);
                if (stop.get() != null) {
                    ExplorerVerdict v = stop.get();
                    return finish(v, null, null, null, v == ExplorerVerdict.TIMEOUT
                            ? "stopped after the time limit of " + options.timeout().map(Explorer::human).orElse("?")
                            : String.format("stopped at the memory limit of %,d MB", memoryLimit >> 20));
                }
                Failure<S> failure = null;
                for (Chunk<S> c : chunks) {
                    if (c != null && c.failure != null) {
                        failure = c.failure;
                        break;
                    }
                }
                if (failure != null) {
                    return failed(failure, frontier.get(failure.index()), fps[failure.index()]);
                }
                insert(pool, chunks);
                List<S> next = new ArrayList<>();
                long[] nextFps = new long[16];
                int n = 0;
                for (Chunk<S> c : chunks) {
                    for (int k = 0; k < c.size; k++) {
                        if (c.accepted[k]) {
                            if (n == nextFps.length) {
                                nextFps = java.util.Arrays.copyOf(nextFps, n * 2);
                            }
                            nextFps[n++] = c.fps[k];
                            parents.append(c.fps[k], c.parents[k]);
                            next.add(c.states.get(k));
                            if (observer.wantsGraph()) {
                                observer.state(c.states.get(k), c.fps[k], depth + 1);
                            }
                        }
                    }
                }
                frontier = next;
                fps = java.util.Arrays.copyOf(nextFps, n);
                sampleHeap();
                if (!frontier.isEmpty()) {
                    depth++;
                }
            }
            return finish(ExplorerVerdict.SUCCESS, null, null, null, String.format(
                    "every reachable state visited; %d invariant%s and %d action propert%s held", invariants.size(),
                    invariants.size() == 1 ? "" : "s", actionProperties.size(), actionProperties.size() == 1 ? "y" : "ies"));
        }

        /** Phase one: expand the frontier in chunks, in parallel. */
        private List<Chunk<S>> expand(ExecutorService pool, List<S> frontier, long[] fps) {
            int n = frontier.size();
            int chunkSize = Math.max(16, Math.min(4096, n / (options.workers() * 16) + 1));
            int chunkCount = (n + chunkSize - 1) / chunkSize;
            List<Chunk<S>> chunks = new ArrayList<>(Collections.nCopies(chunkCount, null));
            AtomicInteger nextChunk = new AtomicInteger();
            AtomicInteger firstFailingChunk = new AtomicInteger(Integer.MAX_VALUE);
            levelSize = n;
            expanded.reset();
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < options.workers(); w++) {
                futures.add(pool.submit(() -> {
                    while (stop.get() == null) {
                        int c = nextChunk.getAndIncrement();
                        if (c >= chunkCount || c > firstFailingChunk.get()) {
                            return;
                        }
                        Chunk<S> chunk = expandChunk(frontier, fps, c * chunkSize, Math.min(n, (c + 1) * chunkSize));
                        chunks.set(c, chunk);
                        if (chunk.failure != null) {
                            firstFailingChunk.accumulateAndGet(c, Math::min);
                        }
                    }
                }));
            }
            await(futures);
            return chunks;
        }

        private Chunk<S> expandChunk(List<S> frontier, long[] fps, int from, int to) {
            Chunk<S> chunk = new Chunk<>();
            for (int i = from; i < to; i++) {
                if ((i & 63) == 0 && limitReached()) {
                    return chunk;
                }
                S s = frontier.get(i);
                long fp = fps[i];
                final int index = i;
                try {
                    for (Invariant<S> inv : invariants) {
                        if (!inv.holds().test(s)) {
                            chunk.failure = new Failure<>(index, FailureKind.INVARIANT, inv, null, null, null, null);
                            return chunk;
                        }
                    }
                    int[] count = new int[1];
                    List<Failure<S>> broken = new ArrayList<>(1);
                    model.successors(s, (action, next) -> {
                        count[0]++;
                        generated.increment();
                        if (broken.isEmpty()) {
                            for (ActionProperty<S> p : actionProperties) {
                                if (!p.holds().test(s, action, next)) {
                                    broken.add(new Failure<>(index, FailureKind.ACTION_PROPERTY, null, p, action, next, null));
                                    break;
                                }
                            }
                        }
                        if (!model.withinBounds(next)) {
                            return;
                        }
                        long nfp = FingerprintTable.normalize(model.fingerprint(next));
                        if (observer.wantsGraph()) {
                            observer.edge(fp, action, nfp);
                        }
                        if (!visited.contains(nfp)) {
                            chunk.add(nfp, next, fp);
                        }
                    });
                    if (!broken.isEmpty()) {
                        chunk.failure = broken.get(0);
                        return chunk;
                    }
                    if (count[0] == 0 && options.checkDeadlock()) {
                        chunk.failure = new Failure<>(index, FailureKind.DEADLOCK, null, null, null, null, null);
                        return chunk;
                    }
                } catch (RuntimeException e) {
                    chunk.failure = new Failure<>(index, FailureKind.MODEL_ERROR, null, null, null, null, e);
                    return chunk;
                }
                expanded.increment();
            }
            return chunk;
        }

        /**
         * Phase two: each worker inserts the candidates of the shards it owns, in frontier order,
         * and then merges them into those shards' sorted arrays.
         */
        private void insert(ExecutorService pool, List<Chunk<S>> chunks) {
            for (Chunk<S> c : chunks) {
                c.accepted = new boolean[c.size];
            }
            int workers = options.workers();
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                final int worker = w;
                futures.add(pool.submit(() -> {
                    for (Chunk<S> c : chunks) {
                        for (int k = 0; k < c.size; k++) {
                            long fp = c.fps[k];
                            if (visited.shardOf(fp) % workers == worker) {
                                c.accepted[k] = visited.add(fp);
                            }
                        }
                    }
                    visited.commit(worker, workers);
                }));
            }
            await(futures);
        }

        private boolean limitReached() {
            if (stop.get() != null) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                stop.compareAndSet(null, ExplorerVerdict.TIMEOUT);
                return true;
            }
            Runtime rt = Runtime.getRuntime();
            long used = rt.totalMemory() - rt.freeMemory();
            if (used > peakHeap) {
                peakHeap = used;
            }
            if (used > memoryLimit && liveHeap() > memoryLimit) {
                stop.compareAndSet(null, ExplorerVerdict.OUT_OF_MEMORY);
                return true;
            }
            return false;
        }

        private void sampleHeap() {
            Runtime rt = Runtime.getRuntime();
            peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
        }

        /** The heap still in use after the last collection of each pool: the live data. */
        private static long liveHeap() {
            long live = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                        && pool.getCollectionUsage() != null) {
                    live += pool.getCollectionUsage().getUsed();
                }
            }
            return live;
        }

        private void await(List<Future<?>> futures) {
            long interval = options.progressInterval().toNanos();
            long lastReport = System.nanoTime();
            for (Future<?> f : futures) {
                while (true) {
                    try {
                        f.get(Math.max(1, interval - (System.nanoTime() - lastReport)), TimeUnit.NANOSECONDS);
                        break;
                    } catch (TimeoutException e) {
                        lastReport = System.nanoTime();
                        observer.progress(progress());
                        if (System.nanoTime() - deadline > 0) {
                            stop.compareAndSet(null, ExplorerVerdict.TIMEOUT);
                        }
                    } catch (InterruptedException e) {
                        stop.compareAndSet(null, ExplorerVerdict.TIMEOUT);
                        Thread.currentThread().interrupt();
                        return;
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        if (cause instanceof OutOfMemoryError oom) {
                            throw oom;
                        }
                        throw new IllegalStateException("an explorer worker failed", cause);
                    }
                }
            }
        }

        private ExplorerProgress progress() {
            return new ExplorerProgress(depth, visited.size(), generated.sum(), Math.max(0, levelSize - expanded.sum()),
                    Duration.ofNanos(System.nanoTime() - start));
        }

        private ExplorationResult<S> failed(Failure<S> failure, S state, long fp) {
            Counterexample<S> trace = rebuild(fp);
            return switch (failure.kind()) {
                case INVARIANT -> finish(ExplorerVerdict.INVARIANT_VIOLATED, failure.invariant(), null, trace,
                        "invariant " + failure.invariant().id() + " (" + failure.invariant().name()
                                + ") is violated in a state at depth " + trace.length());
                case ACTION_PROPERTY -> {
                    List<Counterexample.Step<S>> steps = new ArrayList<>(trace.steps());
                    steps.add(new Counterexample.Step<>(Optional.of(failure.action()), failure.next()));
                    Counterexample<S> withStep = new Counterexample<>(steps);
                    yield finish(ExplorerVerdict.ACTION_PROPERTY_VIOLATED, null, failure.property(), withStep,
                            "action property " + failure.property().id() + " (" + failure.property().name()
                                    + ") is violated by the step " + failure.action() + " from a state at depth "
                                    + trace.length());
                }
                case DEADLOCK -> finish(ExplorerVerdict.DEADLOCK, null, null, trace,
                        "a state at depth " + trace.length() + " has no successor (deadlock)");
                case MODEL_ERROR -> finish(ExplorerVerdict.MODEL_ERROR, null, null, trace,
                        "the model threw " + failure.error() + " on a state at depth " + trace.length());
            };
        }

        /** Rebuilds the shortest behaviour to {@code fp} by replaying the model along parent links. */
        private Counterexample<S> rebuild(long fp) {
            List<Long> chain = parents.chainTo(fp);
            List<Counterexample.Step<S>> steps = new ArrayList<>();
            S current = null;
            for (S s : model.initialStates()) {
                if (FingerprintTable.normalize(model.fingerprint(s)) == chain.get(0)) {
                    current = s;
                    break;
                }
            }
            if (current == null) {
                throw new IllegalStateException(model.name() + ": the initial states changed between calls; "
                        + "initialStates() must return the same states every time");
            }
            steps.add(new Counterexample.Step<>(Optional.empty(), current));
            for (int i = 1; i < chain.size(); i++) {
                long want = chain.get(i);
                List<Counterexample.Step<S>> found = new ArrayList<>(1);
                model.successors(current, (action, next) -> {
                    if (found.isEmpty() && FingerprintTable.normalize(model.fingerprint(next)) == want) {
                        found.add(new Counterexample.Step<>(Optional.of(action), next));
                    }
                });
                if (found.isEmpty()) {
                    throw new IllegalStateException(model.name() + ": replaying the counterexample found no "
                            + "successor with the recorded fingerprint; successors() must be a function of the state");
                }
                steps.add(found.get(0));
                current = found.get(0).state();
            }
            return new Counterexample<>(steps);
        }

        private ExplorationResult<S> finish(ExplorerVerdict verdict, Invariant<S> violated, ActionProperty<S> property,
                Counterexample<S> trace, String message) {
            long distinct = visited.size();
            long gen = generated.sum();
            sampleHeap();
            return new ExplorationResult<>(model.name(), verdict, Optional.ofNullable(violated),
                    Optional.ofNullable(property), Optional.ofNullable(trace), message, distinct, gen, depth,
                    Duration.ofNanos(System.nanoTime() - start), options.workers(),
                    (double) distinct * (double) gen / Math.pow(2, 64), visited.bytes(), peakHeap);
        }
    }

    /** A duration as a person writes it: {@code 500ms}, {@code 5s}, {@code 2m30s}, {@code 1h05m}. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return ms % 1000 == 0 ? s + "s" : String.format("%.1fs", ms / 1000.0);
        }
        if (s < 3600) {
            return s % 60 == 0 ? s / 60 + "m" : String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
