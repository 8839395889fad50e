package dev.mkspec.ci.cli;

import dev.mkspec.ci.Durations;
import dev.mkspec.ci.report.AtomicFiles;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tlc.CoverageEntry;
import dev.mkspec.specs.tlc.TlcListener;
import dev.mkspec.specs.tlc.TlcProgress;
import dev.mkspec.specs.tlc.TlcRequest;
import dev.mkspec.specs.tlc.TlcResult;
import dev.mkspec.specs.tlc.TlcRunner;
import dev.mkspec.specs.tlc.TlcVerdict;
import dev.mkspec.specs.trace.ItfWriter;
import dev.mkspec.specs.trace.TraceTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mkspec tlc}: runs TLC on any spec, as a user would, and prints what it found. */
@Command(name = "tlc", sortOptions = false,
        description = {"Run TLC on a TLA+ spec and print its verdict, state counts, depth and any trace.",
            "Exits 0 if the verdict is the expected one (by default: success)."})
public final class TlcCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ToolOptions tools;

    @Parameters(index = "0", paramLabel = "SPEC.tla", description = "The root module.")
    Path specFile;

    @Option(names = "--config", paramLabel = "F.cfg", description = "The configuration (default: SPEC.cfg beside the spec).")
    Path config;

    @Option(names = "--workers", paramLabel = "N|auto", defaultValue = "auto", description = "TLC worker threads (default: auto, one per core).")
    String workers;

    @Option(names = "--itf", paramLabel = "OUT.json", description = "Write the counterexample as ITF JSON here.")
    Path itf;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Stop TLC after this long (e.g. 90s, 10m).")
    String timeout;

    @Option(names = "--heap", paramLabel = "SIZE", description = "TLC's maximum heap, e.g. 4g (default: Java's).")
    String heap;

    @Option(names = "--simulate", description = "Random simulation instead of exhaustive model checking.")
    boolean simulate;

    @Option(names = "--depth", paramLabel = "N", description = "Simulation: the length of each behaviour (default 100).")
    Integer depth;

    @Option(names = "--seed", paramLabel = "N", description = "Simulation: the random seed (default 0).")
    Long seed;

    @Option(names = "--traces", paramLabel = "N", description = "Simulation: how many behaviours to generate (default: until stopped).")
    Long traces;

    @Option(names = "--coverage", paramLabel = "MINUTES", description = "Collect coverage at this interval and print it, with any action that never fired.")
    Integer coverage;

    @Option(names = "--no-deadlock", description = "Do not report deadlocks (TLC's -deadlock).")
    boolean noDeadlock;

    @Option(names = "--dump-dot", paramLabel = "FILE.dot", description = "Write the state graph with action labels (TLC's -dump dot,actionlabels).")
    Path dumpDot;

    @Option(names = "--expect", paramLabel = "RESULT", defaultValue = "success",
            description = "The verdict to expect, e.g. 'invariant violated' or 'safety failure' (default: success).")
    String expect;

    @Option(names = "--library", paramLabel = "DIR", split = ",",
            description = "Directories to search for modules that are neither beside the spec nor standard, "
                    + "e.g. the TLAPS or Community Modules libraries (TLC's TLA-Library path).")
    java.util.List<Path> library = new java.util.ArrayList<>();

    @Option(names = "--distributed", description = "Run TLC's distributed mode: a server (TLCServer) and workers "
            + "(TLCWorker) over Java RMI. With --local-workers (default: one per core) the workers run on this machine "
            + "and everything listens on 127.0.0.1 only; with --serve only the server starts, on every interface, "
            + "and the command for each remote worker is printed.")
    boolean distributed;

    @Option(names = "--local-workers", paramLabel = "N", description = "Distributed: worker JVMs to start on this "
            + "machine, which reach the server at 127.0.0.1 (default: one per core).")
    Integer localWorkers;

    @Option(names = "--serve", description = "Distributed: start only the server, and print what each worker "
            + "machine runs to join it.")
    boolean serve;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Distributed: the address workers reach the "
            + "server at (default: 127.0.0.1 with local workers, this machine's name with --serve).")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "Distributed: the server's RMI registry port "
            + "(default: a free port with local workers, TLC's 10997 with --serve).")
    Integer port;

    @Option(names = "--worker-threads", paramLabel = "N", description = "Distributed: threads in each local worker "
            + "(default 1).")
    Integer workerThreads;

    @Option(names = "--log", paramLabel = "FILE", description = "Keep TLC's raw output here.")
    Path log;

    @Option(names = "--raw", description = "Also print TLC's raw output as it arrives.")
    boolean raw;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (TlcVerdict.acceptedNames().stream().noneMatch(n -> n.equalsIgnoreCase(expect.trim()))) {
            throw Problem.INVALID_OPTION.exception("--expect '" + expect + "' is not a verdict; use one of "
                    + String.join(", ", TlcVerdict.acceptedNames()));
        }
        PrintWriter err = spec.commandLine().getErr();
        if (!simulate && (depth != null || seed != null || traces != null)) {
            throw Problem.INVALID_OPTION.exception((depth != null ? "--depth" : seed != null ? "--seed" : "--traces")
                    + " applies only to a simulation; add --simulate, or leave it out");
        }
        if (traces != null && traces < 1) {
            throw Problem.INVALID_OPTION.exception("--traces must be at least 1");
        }
        if (coverage != null && coverage < 1) {
            throw Problem.INVALID_OPTION.exception("--coverage is an interval in minutes and must be at least 1, not "
                    + coverage);
        }
        if (dumpDot != null && !java.nio.file.Files.isDirectory(dumpDot)
                && !dumpDot.getFileName().toString().endsWith(".dot")) {
            throw Problem.INVALID_OPTION.exception("--dump-dot " + dumpDot + " must name a .dot file (TLC adds "
                    + ".dot to any other name), e.g. " + dumpDot + ".dot");
        }
        Optional<TlcRequest.Distributed> remote = distributedOptions();
        TlcRunner runner = new TlcRunner(tools.installation());
        TlcRequest request = TlcRequest.of(specFile);
        if (config != null) {
            request = request.withConfig(config);
        }
        if (!workers.equals("auto")) {
            try {
                int n = Integer.parseInt(workers);
                if (n < 1) {
                    throw new NumberFormatException();
                }
                request = request.withWorkers(n);
            } catch (NumberFormatException e) {
                throw Problem.INVALID_OPTION.exception("--workers must be a number of at least 1, or auto");
            }
        }
        if (timeout != null) {
            request = request.withTimeout(Durations.parse(timeout));
        }
        if (heap != null) {
            if (!heap.matches("\\d+[kKmMgG]?")) {
                throw Problem.INVALID_OPTION.exception("--heap must look like 512m or 4g");
            }
            request = request.withHeap(heap);
        }
        if (simulate) {
            int d = depth == null ? 100 : depth;
            if (d < 1) {
                throw Problem.INVALID_OPTION.exception("--depth must be at least 1");
            }
            request = request.withSimulation(new TlcRequest.Simulation(d, seed == null ? 0 : seed,
                    Optional.ofNullable(traces)));
        }
        if (coverage != null) {
            request = request.withCoverage(coverage);
        }
        if (noDeadlock) {
            request = request.withCheckDeadlock(false);
        }
        if (dumpDot != null) {
            request = request.withDumpDot(dumpDot);
        }
        if (log != null) {
            request = request.withLog(log);
        }
        if (!library.isEmpty()) {
            for (Path dir : library) {
                if (java.nio.file.Files.isRegularFile(dir)) {
                    throw Problem.INVALID_OPTION.exception("--library " + dir + " is a file; name the folder that "
                            + "holds the modules");
                }
                if (!java.nio.file.Files.isDirectory(dir)) {
                    throw Problem.FILE_NOT_FOUND.exception(dir + " (given with --library)");
                }
            }
            request = request.withLibraryPaths(library);
        }
        if (remote.isPresent()) {
            request = request.withDistributed(remote.get());
        }
        TlcRunner.checkInputs(request);
        // Output paths last, once nothing else can fail: a missing parent folder is created.
        if (dumpDot != null) {
            OutputPaths.file(dumpDot, "--dump-dot", "states.dot", err);
        }
        if (itf != null) {
            OutputPaths.file(itf, "--itf", "trace.itf.json", err);
        }
        if (log != null) {
            OutputPaths.file(log, "--log", "tlc.log", err);
        }
        if (remote.isEmpty()) {
            w.printf("TLC: %s %s, config %s, %s%n", simulate ? "simulating" : "model checking", specFile,
                    request.effectiveConfig(), workers.equals("auto") ? "one worker per core" : workers + " worker(s)");
        } else if (remote.get().localWorkers() > 0) {
            TlcRequest.Distributed d = remote.get();
            w.printf("TLC, distributed: model checking %s, config %s; a server and %d local worker JVM(s) of %d "
                    + "thread(s) on %s, %s%n", specFile, request.effectiveConfig(), d.localWorkers(),
                    d.threadsPerWorker(), d.host(), d.port() == 0 ? "on a free port" : "port " + d.port());
        } else {
            TlcRequest.Distributed d = remote.get();
            w.printf("TLC, distributed: model checking %s, config %s; the server listens on %s, port %d, and waits "
                    + "for workers.%n", specFile, request.effectiveConfig(), d.host(), d.port());
            w.println("On each worker machine, with the same TLC jar (" + tools.installation().jar().getFileName()
                    + ", TLC 2.18), run:");
            w.println("  " + runner.remoteWorkerCommand(d));
            w.println("Each worker uses every core of its machine unless given -D" + TlcRunner.WORKER_CLASS
                    + ".threadCount=N before -cp.");
            w.println("Network: Java RMI. Workers reach the server's registry on TCP port " + d.port() + " and its "
                    + "objects on ports its JVM picks, and the server calls each worker back on a port that worker's "
                    + "JVM picks, so the machines need TCP to each other on any port, both ways (a private network; "
                    + "a firewall that opens only " + d.port() + " is not enough). A worker with several addresses "
                    + "needs -Djava.rmi.server.hostname=ITS_ADDRESS. RMI is not authenticated: keep these ports off "
                    + "untrusted networks. The run ends when the work is done; with --timeout, mkspec stops the "
                    + "server then.");
        }
        w.flush();

        long start = System.nanoTime();
        AtomicReference<TlcProgress> lastProgress = new AtomicReference<>();
        boolean terminal = LiveLine.stdoutIsTerminal();
        TlcResult r;
        try (LiveLine line = new LiveLine(w, terminal, () -> status(start, lastProgress.get()), 60)) {
            r = runner.run(request, new TlcListener() {
                @Override
                public void progress(TlcProgress p) {
                    lastProgress.set(p);
                    if (!terminal && !raw) {
                        line.println(status(start, p));
                    }
                }

                @Override
                public void rawLine(String l) {
                    if (raw) {
                        line.println(l);
                    }
                }

                @Override
                public void notice(String message) {
                    line.println("warning: " + message);
                }
            });
        }
        print(w, r);
        if (itf != null && r.trace().isPresent()) {
            AtomicFiles.write(itf, ItfWriter.toJson(r.trace().get()));
            w.println("ITF trace written to " + itf);
        } else if (itf != null) {
            w.println("No trace to write to " + itf + ": TLC found no counterexample.");
        }
        ExitClass exit = r.verdict().satisfies(expect) ? ExitClass.OK : r.verdict().exitClassWhenUnexpected();
        if (exit != ExitClass.OK) {
            w.printf("Exit %d (%s): expected %s, TLC says %s.%n", exit.code(), exit.description(), expect, r.verdict().id());
        }
        w.flush();
        return exit.code();
    }

    /** The distributed mode the options ask for, after checking that they fit together. */
    private Optional<TlcRequest.Distributed> distributedOptions() {
        if (!distributed) {
            String stray = localWorkers != null ? "--local-workers" : serve ? "--serve" : host != null ? "--host"
                    : port != null ? "--port" : workerThreads != null ? "--worker-threads" : null;
            if (stray != null) {
                throw Problem.INVALID_OPTION.exception(stray + " applies only to a distributed run; add --distributed, "
                        + "or leave it out");
            }
            return Optional.empty();
        }
        if (simulate) {
            throw Problem.INVALID_OPTION.exception("--distributed and --simulate contradict each other: TLC's "
                    + "distributed server has no simulation mode");
        }
        if (dumpDot != null) {
            throw Problem.INVALID_OPTION.exception("--distributed and --dump-dot contradict each other: TLC's "
                    + "distributed server writes no state graph");
        }
        if (coverage != null) {
            throw Problem.INVALID_OPTION.exception("--distributed and --coverage contradict each other: TLC's "
                    + "distributed server collects no coverage (it says so, and ignores the option)");
        }
        if (!workers.equals("auto")) {
            throw Problem.INVALID_OPTION.exception("--workers sets the threads of single-process TLC; in a distributed "
                    + "run use --local-workers N (worker JVMs) and --worker-threads N (threads in each)");
        }
        if (serve && (localWorkers != null || workerThreads != null)) {
            throw Problem.INVALID_OPTION.exception((localWorkers != null ? "--local-workers" : "--worker-threads")
                    + " and --serve contradict each other: --serve starts only the server, for workers started "
                    + "elsewhere");
        }
        if (localWorkers != null && localWorkers < 1) {
            throw Problem.INVALID_OPTION.exception("--local-workers must be at least 1, not " + localWorkers
                    + " (--serve starts the server with no local worker)");
        }
        if (workerThreads != null && workerThreads < 1) {
            throw Problem.INVALID_OPTION.exception("--worker-threads must be at least 1, not " + workerThreads);
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw Problem.INVALID_OPTION.exception("--port must be a TCP port, 1 to 65535, not " + port);
        }
        if (host != null && host.isBlank()) {
            throw Problem.INVALID_OPTION.exception("--host needs an address or a host name");
        }
        if (serve) {
            String name = host;
            if (name == null) {
                try {
                    name = java.net.InetAddress.getLocalHost().getCanonicalHostName();
                } catch (java.net.UnknownHostException e) {
                    throw Problem.INVALID_OPTION.exception("this machine's name cannot be resolved (" + e.getMessage()
                            + "); give the address the workers reach it at with --host");
                }
            }
            return Optional.of(new TlcRequest.Distributed(0, name, port == null
                    ? TlcRequest.Distributed.TLC_DEFAULT_PORT : port, 1));
        }
        int n = localWorkers != null ? localWorkers : Runtime.getRuntime().availableProcessors();
        return Optional.of(new TlcRequest.Distributed(n, host == null ? "127.0.0.1" : host, port == null ? 0 : port,
                workerThreads == null ? 1 : workerThreads));
    }

    /** The advice for a result that is not about the spec's behaviour. */
    static Optional<String> hint(TlcResult r) {
        if (r.verdict() == TlcVerdict.CONFIG_ERROR && r.message().contains("is not assigned a value")) {
            return Optional.of("Assign every CONSTANT of the spec in the .cfg, under CONSTANTS: 'Name = value', or "
                    + "'Name = Name' for a model value.");
        }
        if (r.verdict() == TlcVerdict.PARSE_ERROR && r.message().contains("Cannot find source file")) {
            return Optional.of("A module that EXTENDS or INSTANCE names must be beside the spec, be a standard module, "
                    + "or be found with --library DIR; if the file is there, check that it can be read.");
        }
        return hint(r.verdict()).map(Problem::hint);
    }

    /** The advice for a verdict that is not about the spec's behaviour. */
    static Optional<Problem> hint(TlcVerdict v) {
        return switch (v) {
            case PARSE_ERROR, UNSUPPORTED -> Optional.of(Problem.TLA_PARSE_ERROR);
            case CONFIG_ERROR -> Optional.of(Problem.TLC_CONFIG_ERROR);
            case TIMEOUT -> Optional.of(Problem.TIMED_OUT);
            case OUT_OF_MEMORY -> Optional.of(Problem.OUT_OF_MEMORY);
            case TOOL_FAILURE -> Optional.of(Problem.TLC_CRASHED);
            default -> Optional.empty();
        };
    }

    private static String status(long start, TlcProgress p) {
        String t = Durations.format(Duration.ofNanos(System.nanoTime() - start));
        if (p == null) {
            return "TLC running " + t;
        }
        return String.format("TLC running %s: %s, %s distinct, %s generated, depth %d", t, p.phase(),
                p.distinct() >= 0 ? String.format("%,d", p.distinct()) : "?",
                p.generated() >= 0 ? String.format("%,d", p.generated()) : "?", p.depth());
    }

    static void print(PrintWriter w, TlcResult r) {
        w.println(r.tlcVersion());
        w.println("verdict:  " + r.verdict().id() + r.violated().map(v -> " (" + v + ")").orElse("")
                + hint(r.verdict()).map(p -> " [" + p.code() + "]").orElse(""));
        if (r.verdict() != TlcVerdict.SUCCESS) {
            w.println("          " + r.message().replace("\n", "\n          "));
            hint(r).ifPresent(h -> w.println("hint:     " + h));
        }
        if (r.distinctStates().isPresent() || r.generatedStates().isPresent()) {
            w.printf("states:   %s distinct, %s generated%s%n",
                    r.distinctStates().isPresent() ? String.format("%,d", r.distinctStates().getAsLong()) : "?",
                    r.generatedStates().isPresent() ? String.format("%,d", r.generatedStates().getAsLong()) : "?",
                    r.queuedStates().isPresent() && r.queuedStates().getAsLong() > 0
                            ? String.format(", %,d left on the queue", r.queuedStates().getAsLong()) : "");
        }
        r.depth().ifPresent(d -> w.println("depth:    " + d));
        w.printf("time:     %s%s%n", Durations.format(r.elapsed()),
                r.tlcReportedMillis().isPresent() ? " (TLC: " + r.tlcReportedMillis().getAsLong() + " ms)" : "");
        if (r.verdict() != TlcVerdict.TIMEOUT && r.verdict() != TlcVerdict.OUT_OF_MEMORY) {
            r.fingerprintCollisionProbability().ifPresent(p -> w.printf("fingerprint collision probability: %.1e%n", p));
        }
        for (String warning : r.warnings()) {
            w.println("warning:  " + warning.replace("\n", "\n          "));
        }
        if (!r.coverage().isEmpty()) {
            w.println("coverage (distinct new states / states generated):");
            for (CoverageEntry c : r.coverage()) {
                w.printf("  %-32s %,12d %,12d%s%n", c.action(), c.distinct(), c.generated(),
                        c.generated() == 0 ? "   never fired" : "");
            }
        }
        r.log().ifPresent(l -> w.println("log:      " + l));
        r.trace().ifPresent(t -> {
            w.println();
            w.print(TraceTable.render(t));
        });
        w.flush();
    }
}
