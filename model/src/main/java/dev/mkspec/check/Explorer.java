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
 * violation, the same counterexample. (After a violation, the states generated before the search
 * stopped also count those of pieces of the level that were under way, so that one count depends on
 * timing.)
 *
 * <p>The counterexample is the shortest: breadth-first search reaches each state first by a
 * shortest path, and the parent log records that path's last step as the state's parent. The
 * explorer rebuilds the states by replaying the model from the initial state along the recorded
 * fingerprints.
 *
 * <p>Cost: 8 bytes per distinct state in the fingerprint table ({@link FingerprintTable}), 16
 * bytes per state on disk for the parents ({@link ParentLog}), plus the states of two consecutive
 * levels. Those go to disk once the heap in use passes the frontier budget
 * ({@link ExplorerOptions#frontierBudgetBytes}), if the model has a {@link StateCodec}: from then
 * on each chunk of successors goes to the next level's file ({@link LevelFile}) as a whole (the
 * candidates' fingerprints, their parents' and their encodings), and is read back when the level
 * is inserted and when it is expanded, so that the heap holds the table (with the new level's
 * fingerprints in their hash sets), one chunk per worker, and one byte per candidate successor of
 * the level being built (whether the level kept it). Where the states are does not change the search: the same counts, the same first
 * violation, the same counterexample. Time is dominated by the model's {@code successors} and
 * {@code fingerprint}.
 *
 * <p>The explorer keeps no static mutable state; two explorations may run in one JVM at once.
 */
public final class Explorer {
    private static final int SHARDS = 64;
    /** States between the recorded byte offsets of a chunk on disk, so that a level on disk can be shared out in pieces. */
    private static final int BLOCK = 256;

    private Explorer() {
    }

    /**
     * Explores every reachable state of {@code model}, or until the first failure or limit.
     *
     * @throws java.io.UncheckedIOException if the parent log or a frontier file cannot be written
     *     or read (a full or unwritable temporary folder)
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
     * The first failure of a chunk: the state and its fingerprint, and what went wrong; for an
     * action property, also the step that broke it.
     */
    private record Failure<S>(S state, long fp, FailureKind kind, Invariant<S> invariant, ActionProperty<S> property,
            Action action, S next, RuntimeException error) {
    }

    /**
     * A run of one level's states, in frontier order: on the heap, or in the level's file, where a
     * chunk of successors wrote, for all of them (new or not), their fingerprints, their parents'
     * fingerprints and then their encodings; {@code keep} says which the level kept. On disk,
     * {@code blockStarts[b]} is where the encoding of state {@code b * BLOCK} starts (from
     * {@link #statesOffset()}).
     */
    private static final class Segment<S> {
        final int size;
        final long[] fps;
        final List<S> states;
        final LevelFile file;
        final long offset;
        final int statesLength;
        final boolean[] keep;
        final int[] blockStarts;

        private Segment(int size, long[] fps, List<S> states, LevelFile file, long offset,
                int statesLength, boolean[] keep, int[] blockStarts) {
            this.size = size;
            this.fps = fps;
            this.states = states;
            this.file = file;
            this.offset = offset;
            this.statesLength = statesLength;
            this.keep = keep;
            this.blockStarts = blockStarts;
        }

        static <S> Segment<S> onHeap(List<S> states, long[] fps) {
            return new Segment<>(fps.length, fps, states, null, 0, 0, null, null);
        }

        boolean onDisk() {
            return states == null;
        }

        /** Where the encodings start in the file: after the chunk's fingerprints and parents, 16 bytes per candidate. */
        long statesOffset() {
            return offset + 16L * keep.length;
        }

        /** The states of the level in this segment. */
        int size() {
            return size;
        }
    }

    /**
     * One worker's piece of a level: states {@code [from, to)} of a segment on the heap, or of the
     * states encoded in a segment on disk (kept or not; {@code from} a multiple of {@code BLOCK}).
     */
    private record Unit(int segment, int from, int to) {
    }

    /** {@code n} longs from their big-endian bytes. */
    private static long[] longs(byte[] bytes, int n) {
        long[] out = new long[n];
        java.nio.ByteBuffer.wrap(bytes).asLongBuffer().get(out);
        return out;
    }

    /** A byte stream whose array can be written out without a copy. */
    private static final class Bytes extends java.io.ByteArrayOutputStream {
        Bytes() {
            super(1 << 14);
        }

        byte[] array() {
            return buf;
        }
    }

    /**
     * What one chunk of the frontier produced: its new-looking successors, with their fingerprints
     * and their parents'. A chunk that goes to disk ({@link #moveTo}) is encoded once it is
     * complete, outside the model's code, and then holds only its candidates' count and where they
     * are.
     */
    private static final class Chunk<S> {
        final boolean toDisk;
        List<S> states = new ArrayList<>();
        long[] fps = new long[16];
        long[] parents = new long[16];
        boolean[] accepted;
        int size;
        Failure<S> failure;
        LevelFile file;
        long offset;
        int length;
        int[] blockStarts;

        Chunk(boolean toDisk) {
            this.toDisk = toDisk;
        }

        boolean onDisk() {
            return file != null;
        }

        /** The candidates' fingerprints: on the heap, or read back from the level's file. */
        long[] fps() {
            if (fps != null) {
                return fps;
            }
            return longs(file.read(offset, Math.multiplyExact(size, 8)), size);
        }

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

        /**
         * Writes the fingerprints, the parents and the encodings (recording where every
         * {@code BLOCK}th state starts) to the level's file, and lets go of them.
         *
         * @throws IllegalStateException if the codec fails: a bug in the model's codec
         */
        void moveTo(LevelFile f, StateCodec<S> codec) {
            Bytes bytes = new Bytes();
            java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
            blockStarts = new int[(size + BLOCK - 1) / BLOCK];
            for (int k = 0; k < size; k++) {
                if (k % BLOCK == 0) {
                    blockStarts[k / BLOCK] = bytes.size();
                }
                S state = states.get(k);
                try {
                    codec.write(state, out);
                } catch (java.io.IOException | RuntimeException e) {
                    throw new IllegalStateException("the model's StateCodec could not encode a state (" + e
                            + "); the codec has a bug. The state: " + state, e);
                }
            }
            byte[] head = new byte[Math.multiplyExact(size, 16)];
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head);
            for (int k = 0; k < size; k++) {
                b.putLong(fps[k]);
            }
            for (int k = 0; k < size; k++) {
                b.putLong(parents[k]);
            }
            length = bytes.size();
            offset = f.append(head, head.length, bytes.array(), length);
            file = f;
            states = null;
            fps = null;
            parents = null;
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
        private final StateCodec<S> codec;
        private final boolean encodable;
        /** Set when the run ends: no level file may be created after. */
        private boolean closed;
        private final long frontierBudget;
        /** Set once the heap passes the frontier budget: from then on every chunk goes to disk. */
        private volatile boolean spilling;
        /** The file of the level being expanded, and of the level being built. */
        private LevelFile levelFile;
        private volatile LevelFile nextLevelFile;
        private final LongAdder statesOnDisk = new LongAdder();
        /** Wall-clock time in each phase of the levels: expanding (parallel), inserting (parallel by shard), building the next level (one thread). */
        private long expandNanos;
        private long insertNanos;
        private long buildNanos;
        private final LongAdder bytesOnDisk = new LongAdder();
        private int levelsOnDisk;
        private long largestLevelBytes;
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
            // A graph for the observer needs every state on the heap anyway.
            this.encodable = model.codec().isPresent();
            this.codec = observer.wantsGraph() ? null : model.codec().orElse(null);
            this.frontierBudget = options.effectiveFrontierBudget();
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
                stop.compareAndSet(null, ExplorerVerdict.MODEL_ERROR);
                pool.shutdownNow();
                try {
                    // Workers stop at their next state; the model's code does not see interrupts.
                    pool.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                closeLevelFiles();
            }
        }

        private synchronized void closeLevelFiles() {
            closed = true;
            if (levelFile != null) {
                levelFile.close();
                levelFile = null;
            }
            if (nextLevelFile != null) {
                nextLevelFile.close();
                nextLevelFile = null;
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
            List<Segment<S>> level = frontier.isEmpty() ? List.of() : List.of(Segment.onHeap(frontier, fps));

            while (!level.isEmpty()) {
                long t0 = System.nanoTime();
                List<Chunk<S>> chunks = expand(pool, level);
                long t1 = System.nanoTime();
                expandNanos += t1 - t0;
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
                    return failed(failure);
                }
                insert(pool, chunks);
                if (stop.get() != null) {
                    // Interrupted while inserting: the level is not complete.
                    return finish(stop.get(), null, null, null, "stopped while a level was being inserted");
                }
                long t2 = System.nanoTime();
                insertNanos += t2 - t1;
                level = nextLevel(chunks);
                buildNanos += System.nanoTime() - t2;
                if (levelFile != null) {
                    levelFile.close();
                }
                levelFile = nextLevelFile;
                nextLevelFile = null;
                if (levelFile != null) {
                    levelsOnDisk++;
                    largestLevelBytes = Math.max(largestLevelBytes, levelFile.size());
                }
                sampleHeap();
                if (!level.isEmpty()) {
                    depth++;
                }
            }
            return finish(ExplorerVerdict.SUCCESS, null, null, null, String.format(
                    "every reachable state visited; %d invariant%s and %d action propert%s held", invariants.size(),
                    invariants.size() == 1 ? "" : "s", actionProperties.size(), actionProperties.size() == 1 ? "y" : "ies"));
        }

        /**
         * The level the accepted successors make, in frontier order: every chunk on the heap up to
         * the next chunk on disk becomes one segment on the heap, and each chunk on disk a segment
         * of its own, with the mask of the states kept.
         */
        private List<Segment<S>> nextLevel(List<Chunk<S>> chunks) {
            List<Segment<S>> next = new ArrayList<>();
            List<S> heapStates = new ArrayList<>();
            long[] heapFps = new long[16];
            int h = 0;
            for (Chunk<S> c : chunks) {
                if (c.onDisk()) {
                    if (h > 0) {
                        next.add(Segment.onHeap(heapStates, java.util.Arrays.copyOf(heapFps, h)));
                        heapStates = new ArrayList<>();
                        h = 0;
                    }
                    long[] both = longs(c.file.read(c.offset, Math.multiplyExact(c.size, 16)), c.size * 2);
                    int kept = 0;
                    for (int k = 0; k < c.size; k++) {
                        if (c.accepted[k]) {
                            kept++;
                            parents.append(both[k], both[c.size + k]);
                        }
                    }
                    if (kept > 0) {
                        next.add(new Segment<>(kept, null, null, c.file, c.offset, c.length,
                                c.accepted, c.blockStarts));
                    }
                    continue;
                }
                for (int k = 0; k < c.size; k++) {
                    if (c.accepted[k]) {
                        if (h == heapFps.length) {
                            heapFps = java.util.Arrays.copyOf(heapFps, h * 2);
                        }
                        heapFps[h++] = c.fps[k];
                        parents.append(c.fps[k], c.parents[k]);
                        heapStates.add(c.states.get(k));
                        if (observer.wantsGraph()) {
                            observer.state(c.states.get(k), c.fps[k], depth + 1);
                        }
                    }
                }
            }
            if (h > 0) {
                next.add(Segment.onHeap(heapStates, java.util.Arrays.copyOf(heapFps, h)));
            }
            return next;
        }

        /** Phase one: expand the level in chunks, in parallel. */
        private List<Chunk<S>> expand(ExecutorService pool, List<Segment<S>> level) {
            long n = 0;
            for (Segment<S> g : level) {
                n += g.size();
            }
            int chunkSize = (int) Math.max(16, Math.min(4096, n / (options.workers() * 16L) + 1));
            List<Unit> units = new ArrayList<>();
            for (int g = 0; g < level.size(); g++) {
                Segment<S> seg = level.get(g);
                if (seg.onDisk()) {
                    int step = Math.max(1, chunkSize / BLOCK) * BLOCK;
                    for (int from = 0; from < seg.keep.length; from += step) {
                        units.add(new Unit(g, from, Math.min(seg.keep.length, from + step)));
                    }
                } else {
                    for (int from = 0; from < seg.size(); from += chunkSize) {
                        units.add(new Unit(g, from, Math.min(seg.size(), from + chunkSize)));
                    }
                }
            }
            int chunkCount = units.size();
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
                        Chunk<S> chunk = expandChunk(level, units.get(c));
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

        /** Whether this chunk's successors go to disk: once the heap passes the budget, and from then on. */
        private boolean toDisk() {
            if (codec == null) {
                return false;
            }
            if (!spilling && (frontierBudget == 0 || heapAbove(frontierBudget))) {
                spilling = true;
            }
            return spilling;
        }

        private LevelFile nextLevelFile() {
            LevelFile f = nextLevelFile;
            if (f == null) {
                synchronized (this) {
                    f = nextLevelFile;
                    if (f == null) {
                        if (closed) {
                            throw new IllegalStateException("the exploration has ended");
                        }
                        f = new LevelFile(depth + 1);
                        nextLevelFile = f;
                    }
                }
            }
            return f;
        }

        private Chunk<S> expandChunk(List<Segment<S>> level, Unit unit) {
            Chunk<S> chunk = new Chunk<>(toDisk());
            Segment<S> seg = level.get(unit.segment());
            if (!seg.onDisk()) {
                for (int i = unit.from(); i < unit.to(); i++) {
                    if (!expandOne(chunk, seg.states.get(i), seg.fps[i], i)) {
                        break;
                    }
                }
            } else {
                int first = seg.blockStarts[unit.from() / BLOCK];
                int end = unit.to() == seg.keep.length ? seg.statesLength : seg.blockStarts[unit.to() / BLOCK];
                java.io.DataInputStream in = new java.io.DataInputStream(
                        new java.io.ByteArrayInputStream(seg.file.read(seg.statesOffset() + first, end - first)));
                long[] fps = longs(seg.file.read(seg.offset + unit.from() * 8L, (unit.to() - unit.from()) * 8),
                        unit.to() - unit.from());
                int k = 0;
                for (int j = unit.from(); j < unit.to(); j++) {
                    S s = decode(in, j == unit.to() - 1);
                    if (seg.keep[j] && !expandOne(chunk, s, fps[j - unit.from()], k++)) {
                        break;
                    }
                }
            }
            if (chunk.toDisk && chunk.size > 0) {
                chunk.moveTo(nextLevelFile(), codec);
                statesOnDisk.add(chunk.size);
                bytesOnDisk.add(chunk.length + 16L * chunk.size);
            }
            return chunk;
        }

        /**
         * Reads back one state; after the last of a piece, nothing may be left.
         *
         * @throws IllegalStateException if the codec fails or reads more or less than it wrote: a
         *     bug in the model's codec
         */
        private S decode(java.io.DataInputStream in, boolean last) {
            try {
                S s = codec.read(in);
                if (last && in.available() != 0) {
                    throw new java.io.IOException(in.available() + " bytes were left after the last state of a block");
                }
                return s;
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalStateException("the model's StateCodec could not read back the states it wrote (" + e
                        + "); the codec has a bug", e);
            }
        }

        /**
         * Checks one state of the level and adds its successors to the chunk; false when the chunk
         * must stop (a failure, or a limit).
         */
        private boolean expandOne(Chunk<S> chunk, S s, long fp, int i) {
            if ((i & 63) == 0 && limitReached()) {
                return false;
            }
            try {
                for (Invariant<S> inv : invariants) {
                    if (!inv.holds().test(s)) {
                        chunk.failure = new Failure<>(s, fp, FailureKind.INVARIANT, inv, null, null, null, null);
                        return false;
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
                                broken.add(new Failure<>(s, fp, FailureKind.ACTION_PROPERTY, null, p, action, next, null));
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
                    return false;
                }
                if (count[0] == 0 && options.checkDeadlock()) {
                    chunk.failure = new Failure<>(s, fp, FailureKind.DEADLOCK, null, null, null, null, null);
                    return false;
                }
            } catch (RuntimeException e) {
                chunk.failure = new Failure<>(s, fp, FailureKind.MODEL_ERROR, null, null, null, null, e);
                return false;
            }
            expanded.increment();
            return true;
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
                        long[] fps = c.size == 0 ? null : c.fps();
                        for (int k = 0; k < c.size; k++) {
                            long fp = fps[k];
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
            if (heapAbove(memoryLimit)) {
                stop.compareAndSet(null, ExplorerVerdict.OUT_OF_MEMORY);
                return true;
            }
            return false;
        }

        /** Whether the heap in use, and the live heap after the last collection, are both above {@code bytes}; records the peak. */
        private boolean heapAbove(long bytes) {
            Runtime rt = Runtime.getRuntime();
            long used = rt.totalMemory() - rt.freeMemory();
            if (used > peakHeap) {
                peakHeap = used;
            }
            return used > bytes && liveHeap() > bytes;
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
                        stop.compareAndSet(null, ExplorerVerdict.MODEL_ERROR);
                        Throwable cause = e.getCause();
                        if (cause instanceof OutOfMemoryError oom) {
                            throw oom;
                        }
                        if (cause instanceof java.io.UncheckedIOException io) {
                            throw io;
                        }
                        throw new IllegalStateException("an explorer worker failed: " + cause.getMessage(), cause);
                    }
                }
            }
        }

        private ExplorerProgress progress() {
            return new ExplorerProgress(depth, visited.size(), generated.sum(), Math.max(0, levelSize - expanded.sum()),
                    Duration.ofNanos(System.nanoTime() - start));
        }

        private ExplorationResult<S> failed(Failure<S> failure) {
            Counterexample<S> trace = rebuild(failure.fp());
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
                    (double) distinct * (double) gen / Math.pow(2, 64), visited.bytes(), peakHeap,
                    new ExplorationResult.FrontierUse(encodable, statesOnDisk.sum(), bytesOnDisk.sum(), levelsOnDisk,
                            largestLevelBytes),
                    new ExplorationResult.Phases(Duration.ofNanos(expandNanos), Duration.ofNanos(insertNanos),
                            Duration.ofNanos(buildNanos)));
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
