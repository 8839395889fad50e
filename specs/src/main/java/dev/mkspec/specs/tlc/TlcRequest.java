package dev.mkspec.specs.tlc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One TLC run to make. Build it with {@link #of(Path)} and the {@code with...} methods; every
 * instance is immutable.
 *
 * @param spec the root module
 * @param config the configuration; empty means TLC's default, the {@code .cfg} beside the spec
 * @param workers TLC worker threads; 0 means one per core ({@code -workers auto})
 * @param checkDeadlock empty to follow the configuration; false adds {@code -deadlock}
 * @param simulation run TLC's random simulation instead of exhaustive model checking
 * @param timeout stop the run after this long; empty for no limit
 * @param heap the child JVM's maximum heap, as for {@code -Xmx} (e.g. "2g"); empty for Java's default
 * @param coverageMinutes collect coverage at this interval; empty for none
 * @param dumpDot write the state graph with action labels to this file ({@code -dump dot,actionlabels})
 * @param runDirectory where to put TLC's working, metadata and temporary directories; empty for a
 *     fresh temporary directory that is deleted afterwards
 * @param log where to keep TLC's raw output; empty to keep it only in the run directory
 * @param extraArguments further TLC options, passed before the spec
 * @param libraryPaths directories where TLC looks for modules that are neither beside the spec nor
 *     standard (TLC's {@code TLA-Library} path), e.g. the TLAPS or Community Modules libraries
 * @param quickStart the run is expected to be short (a bug variant that stops at its first
 *     violation): TLC's JVM compiles with C1 only ({@code -XX:TieredStopAtLevel=1}), which saves
 *     the optimizing compiler's work on a run too short to profit from it (README, "Set up")
 * @param distributed run TLC's distributed server (and local workers) instead of one process
 */
public record TlcRequest(
        Path spec,
        Optional<Path> config,
        int workers,
        Optional<Boolean> checkDeadlock,
        Optional<Simulation> simulation,
        Optional<Duration> timeout,
        Optional<String> heap,
        OptionalInt coverageMinutes,
        Optional<Path> dumpDot,
        Optional<Path> runDirectory,
        Optional<Path> log,
        List<String> extraArguments,
        List<Path> libraryPaths,
        boolean quickStart,
        Optional<Distributed> distributed) {

    /**
     * TLC's distributed mode: a server ({@code tlc2.tool.distributed.TLCServer}) that holds the
     * fingerprint set and the queue, and workers ({@code tlc2.tool.distributed.TLCWorker}) that
     * compute successors, talking over Java RMI. The server checks invariants and action properties
     * ({@code [][A]_v}) only: it ignores any other temporal property and any POSTCONDITION, writes
     * no state graph, collects no coverage and has no simulation mode.
     *
     * @param localWorkers worker JVMs the runner starts on this machine (loopback); 0 to start only
     *     the server and wait for workers started elsewhere
     * @param host the address the server gives RMI for itself ({@code java.rmi.server.hostname}), and
     *     the one local workers contact
     * @param port the RMI registry's port ({@code tlc2.tool.distributed.TLCServer.port}); 0 for a
     *     free port chosen when the run starts
     * @param threadsPerWorker threads in each local worker
     *     ({@code tlc2.tool.distributed.TLCWorker.threadCount})
     */
    public record Distributed(int localWorkers, String host, int port, int threadsPerWorker) {
        /** TLC's own default port for the server's RMI registry. */
        public static final int TLC_DEFAULT_PORT = 10997;

        public Distributed {
            Objects.requireNonNull(host, "host");
            if (localWorkers < 0) {
                throw new IllegalArgumentException("local workers must be 0 or more, not " + localWorkers);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("the port must be 0 (any free one) to 65535, not " + port);
            }
            if (threadsPerWorker < 1) {
                throw new IllegalArgumentException("threads per worker must be at least 1, not " + threadsPerWorker);
            }
        }

        /** N workers of one thread each on this machine, on a free port of the loopback address. */
        public static Distributed loopback(int workers) {
            return new Distributed(workers, "127.0.0.1", 0, 1);
        }
    }

    /**
     * TLC's simulation mode.
     *
     * @param depth the length of each behaviour ({@code -depth})
     * @param seed the random seed ({@code -seed})
     * @param traces how many behaviours to generate; empty for no limit ({@code -simulate num=N})
     */
    public record Simulation(int depth, long seed, Optional<Long> traces) {
        public Simulation {
            if (depth < 1) {
                throw new IllegalArgumentException("the simulation depth must be at least 1, not " + depth);
            }
        }
    }

    /**
     * A coverage interval, in minutes, so long (about three weeks) that TLC reports coverage only
     * once, when it stops: TLC takes {@code -coverage 0} as "report at every progress report".
     * The value times 60,000 must still fit TLC's int of milliseconds.
     */
    public static final int COVERAGE_AT_END = 30_000;

    public TlcRequest {
        Objects.requireNonNull(spec, "spec");
        if (workers < 0) {
            throw new IllegalArgumentException("workers must be 0 (one per core) or more, not " + workers);
        }
        timeout.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("the timeout must be positive, not " + t);
            }
        });
        heap.ifPresent(h -> {
            if (!h.matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("the heap size must look like 512m or 4g, not " + h);
            }
        });
        extraArguments = List.copyOf(extraArguments);
        libraryPaths = List.copyOf(libraryPaths);
        Objects.requireNonNull(distributed, "distributed");
        if (distributed.isPresent() && simulation.isPresent()) {
            throw new IllegalArgumentException("distributed TLC has no simulation mode");
        }
        if (distributed.isPresent() && dumpDot.isPresent()) {
            throw new IllegalArgumentException("distributed TLC writes no state graph");
        }
        if (distributed.isPresent() && coverageMinutes.isPresent()) {
            throw new IllegalArgumentException("distributed TLC collects no coverage");
        }
    }

    /** A request to model-check {@code spec} with its default configuration and one worker per core. */
    public static TlcRequest of(Path spec) {
        return new TlcRequest(spec, Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), false,
                Optional.empty());
    }

    public TlcRequest withConfig(Path cfg) {
        return new TlcRequest(spec, Optional.of(cfg), workers, checkDeadlock, simulation, timeout, heap,
                coverageMinutes, dumpDot, runDirectory, log, extraArguments, libraryPaths, quickStart, distributed);
    }

    public TlcRequest withWorkers(int n) {
        return new TlcRequest(spec, config, n, checkDeadlock, simulation, timeout, heap, coverageMinutes,
                dumpDot, runDirectory, log, extraArguments, libraryPaths, quickStart, distributed);
    }

    public TlcRequest withCheckDeadlock(boolean check) {
        return new TlcRequest(spec, config, workers, Optional.of(check), simulation, timeout, heap,
                coverageMinutes, dumpDot, runDirectory, log, extraArguments, libraryPaths, quickStart, distributed);
    }

    public TlcRequest withSimulation(Simulation s) {
        return new TlcRequest(spec, config, workers, checkDeadlock, Optional.of(s), timeout, heap,
                coverageMinutes, dumpDot, runDirectory, log, extraArguments, libraryPaths, quickStart, distributed);
    }

    public TlcRequest withTimeout(Duration t) {
        return new TlcRequest(spec, config, workers, checkDeadlock, simulation, Optional.of(t), heap,
                coverageMinutes, dumpDot, runDirectory, log, extraArguments, libraryPaths, quickStart, distributed);
    }

    public TlcRequest withHeap(String h) {
        return new TlcRequest(spec, config, workers, checkDeadlock, simulation, timeout, Optional.of(h),
                coverageMinutes, dumpDot, runDirectory, log, extraArguments, libraryPaths, quickStart, distributed);
    }

    public TlcRequest withCoverage(int minutes) {
        return new TlcRequest(spec, config, workers, checkDeadlock, simulation, timeout, heap,
                OptionalInt.of(minutes), dumpDot, runDirectory, log, extraArguments, libraryPaths, quickStart, distributed);
    }

    public TlcRequest withDumpDot(Path file) {
        return new TlcRequest(spec, config, workers, checkDeadlock, simulation, timeout, heap, coverageMinutes,
                Optional.of(file), runDirectory, log, extraArguments, libraryPaths, quickStart, distributed);
    }

    public TlcRequest withRunDirectory(Path dir) {
        return new TlcRequest(spec, config, workers, checkDeadlock, simulation, timeout, heap, coverageMinutes,
                dumpDot, Optional.of(dir), log, extraArguments, libraryPaths, quickStart, distributed);
    }

    public TlcRequest withLog(Path file) {
        return new TlcRequest(spec, config, workers, checkDeadlock, simulation, timeout, heap, coverageMinutes,
                dumpDot, runDirectory, Optional.of(file), extraArguments, libraryPaths, quickStart, distributed);
    }

    public TlcRequest withExtraArguments(List<String> args) {
        return new TlcRequest(spec, config, workers, checkDeadlock, simulation, timeout, heap, coverageMinutes,
                dumpDot, runDirectory, log, args, libraryPaths, quickStart, distributed);
    }

    public TlcRequest withLibraryPaths(List<Path> paths) {
        return new TlcRequest(spec, config, workers, checkDeadlock, simulation, timeout, heap, coverageMinutes,
                dumpDot, runDirectory, log, extraArguments, paths, quickStart, distributed);
    }

    public TlcRequest withQuickStart(boolean quick) {
        return new TlcRequest(spec, config, workers, checkDeadlock, simulation, timeout, heap, coverageMinutes,
                dumpDot, runDirectory, log, extraArguments, libraryPaths, quick, distributed);
    }

    public TlcRequest withDistributed(Distributed d) {
        return new TlcRequest(spec, config, workers, checkDeadlock, simulation, timeout, heap, coverageMinutes,
                dumpDot, runDirectory, log, extraArguments, libraryPaths, quickStart, Optional.of(d));
    }

    /** The configuration file TLC will read: the explicit one, or {@code Spec.cfg} beside the spec. */
    public Path effectiveConfig() {
        if (config.isPresent()) {
            return config.get();
        }
        String name = spec.getFileName().toString().replaceFirst("\\.tla$", "") + ".cfg";
        Path parent = spec.getParent();
        return parent == null ? Path.of(name) : parent.resolve(name);
    }
}
