package dev.mkspec.ci.cli;

import dev.mkspec.check.ExplorationObserver;
import dev.mkspec.check.ExplorationResult;
import dev.mkspec.check.Explorer;
import dev.mkspec.check.ExplorerOptions;
import dev.mkspec.check.ExplorerProgress;
import dev.mkspec.check.ExplorerVerdict;
import dev.mkspec.check.Simulator;
import dev.mkspec.check.StateMachine;
import dev.mkspec.ci.Durations;
import dev.mkspec.ci.report.AtomicFiles;
import dev.mkspec.refinement.CounterexampleTraces;
import dev.mkspec.refinement.ModelBinding;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.trace.ItfWriter;
import dev.mkspec.specs.trace.Trace;
import dev.mkspec.specs.trace.TraceTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mkspec explore}: runs the Java explorer on a model with the constants of a TLC cfg. */
@Command(name = "explore", sortOptions = false,
        description = {"Run the Java explorer on a model, with the constants of the same .cfg that TLC reads.",
            "Prints the verdict, distinct and generated states, depth, states per second, the memory held per state, and any counterexample."})
public final class ExploreCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model, e.g. AddressSpaces.")
    String model;

    @Option(names = "--config", paramLabel = "F.cfg", required = true, description = "The TLC configuration that gives the constants.")
    Path config;

    @Option(names = "--workers", paramLabel = "N", description = "Worker threads (default: one per core).")
    Integer workers;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Stop after this long (e.g. 90s, 10m).")
    String timeout;

    @Option(names = "--memory-limit", paramLabel = "SIZE",
            description = "Stop cleanly when the live heap passes this, e.g. 8g (default: 85%% of the maximum heap).")
    String memoryLimit;

    @Option(names = "--frontier-budget", paramLabel = "SIZE",
            description = "Once the heap in use passes this (e.g. 4g), the states of the level being built go to disk, "
                    + "for models with an encoding; 0 sends every level after the first (default: half the maximum heap).")
    String frontierBudget;

    @Option(names = "--no-deadlock", description = "Do not report deadlocks, whatever the cfg says.")
    boolean noDeadlock;

    @Option(names = "--itf", paramLabel = "OUT.json", description = "Write the counterexample as ITF JSON here.")
    Path itf;

    @Option(names = "--simulate", description = "Random walks instead of exhaustive search: every invariant in every "
            + "state and every action property on every step a walk takes; reproducible from --seed.")
    boolean simulate;

    @Option(names = "--depth", paramLabel = "N", description = "With --simulate: steps per walk (default 100).")
    Integer depth;

    @Option(names = "--traces", paramLabel = "K", description = "With --simulate: walks to take (default 1000).")
    Long traces;

    @Option(names = "--seed", paramLabel = "S", description = "With --simulate: the random seed (default 0).")
    Long seed;

    @Option(names = "--interactive", description = "Open the interactive explorer (./mkspec serve) instead of exploring every state.")
    boolean interactive;

    @Option(names = "--trace", paramLabel = "T.itf.json", description = "With --interactive: an ITF trace to open.")
    Path trace;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0", description = "With --interactive: the port on 127.0.0.1 (default: any free one).")
    int port;

    private final ModelBindings models;

    public ExploreCommand() {
        this(ModelBindings.standard());
    }

    public ExploreCommand(ModelBindings models) {
        this.models = models;
    }

    @Override
    public Integer call() {
        if (interactive) {
            java.util.List<String> ignored = new java.util.ArrayList<>();
            if (itf != null) {
                ignored.add("--itf (save a walk from the page instead)");
            }
            if (timeout != null) {
                ignored.add("--timeout");
            }
            if (workers != null) {
                ignored.add("--workers");
            }
            if (memoryLimit != null) {
                ignored.add("--memory-limit");
            }
            if (frontierBudget != null) {
                ignored.add("--frontier-budget");
            }
            if (noDeadlock) {
                ignored.add("--no-deadlock");
            }
            if (simulate || depth != null || traces != null || seed != null) {
                ignored.add("--simulate and its --depth, --traces and --seed");
            }
            if (!ignored.isEmpty()) {
                throw Problem.INVALID_OPTION.exception("--interactive explores by hand and takes no " + String.join(", ", ignored)
                        + "; run without --interactive to explore every state");
            }
            return ServeCommand.serve(spec, models, model, config, trace, port, null, null);
        }
        if (trace != null || port != 0) {
            throw Problem.INVALID_OPTION.exception((trace != null ? "--trace" : "--port")
                    + " is for the interactive explorer; add --interactive");
        }
        if (!simulate && (depth != null || traces != null || seed != null)) {
            throw Problem.INVALID_OPTION.exception((depth != null ? "--depth" : traces != null ? "--traces" : "--seed")
                    + " applies only to a simulation; add --simulate, or leave it out");
        }
        if (simulate && (workers != null || memoryLimit != null || frontierBudget != null)) {
            throw Problem.INVALID_OPTION.exception((workers != null ? "--workers" : memoryLimit != null ? "--memory-limit"
                    : "--frontier-budget")
                    + " does not apply to --simulate, which walks on one thread and keeps only the states' fingerprints");
        }
        if (simulate && (depth != null && depth < 1 || traces != null && traces < 1)) {
            throw Problem.INVALID_OPTION.exception("--depth and --traces must be at least 1");
        }
        ModelBinding<?> binding = ServeCommand.model(models, model);
        return run(binding);
    }

    private <S> Integer run(ModelBinding<S> binding) {
        PrintWriter w = spec.commandLine().getOut();
        if (itf != null) {
            OutputPaths.file(itf, "--itf", "trace.itf.json", spec.commandLine().getErr());
        }
        if (workers != null && workers < 1) {
            throw Problem.INVALID_OPTION.exception("--workers must be at least 1, not " + workers);
        }
        if (timeout != null) {
            Durations.parse(timeout);
        }
        if (memoryLimit != null) {
            bytes(memoryLimit);
        }
        if (frontierBudget != null) {
            bytes(frontierBudget, "--frontier-budget", true);
        }
        CfgFile cfg = CfgParser.parse(dev.mkspec.specs.InputFiles.readText(config, "the configuration given with --config",
                "a TLC configuration"), config);
        StateMachine<S> machine;
        try {
            machine = binding.configured(cfg);
        } catch (IllegalArgumentException e) {
            throw Problem.CFG_CONSTANT_INVALID.exception(e.getMessage());
        }
        if (simulate) {
            return simulate(machine, cfg, w);
        }
        ExplorerOptions options = ExplorerOptions.defaults().withCheckDeadlock(cfg.checksDeadlock() && !noDeadlock);
        if (workers != null) {
            if (workers < 1) {
                throw Problem.INVALID_OPTION.exception("--workers must be at least 1");
            }
            options = options.withWorkers(workers);
        }
        if (timeout != null) {
            options = options.withTimeout(Durations.parse(timeout));
        }
        if (memoryLimit != null) {
            options = options.withMemoryLimit(bytes(memoryLimit));
        }
        if (frontierBudget != null) {
            options = options.withFrontierBudget(bytes(frontierBudget, "--frontier-budget", true));
        }
        java.util.Set<String> temporal = dev.mkspec.check.Restricted.unchecked(machine, cfg.properties());
        w.printf("explorer: %s with %s, %s, invariants %s, action properties %s%s%n", machine.name(), config,
                workerCount(options.workers()), machine.invariants(), machine.actionProperties(), temporal.isEmpty() ? ""
                        : "; the cfg's temporal properties " + temporal + " stay with TLC");
        w.flush();
        long start = System.nanoTime();
        AtomicReference<ExplorerProgress> last = new AtomicReference<>();
        ExplorationResult<S> r;
        try (LiveLine line = new LiveLine(w, LiveLine.stdoutIsTerminal(), () -> status(start, last.get()), 30)) {
            r = Explorer.explore(machine, options, new ExplorationObserver<>() {
                @Override
                public void progress(ExplorerProgress p) {
                    last.set(p);
                }
            });
        }
        w.println("verdict:  " + r.verdict().id() + r.violatedName().map(v -> " (" + r.violatedId().orElse("") + " " + v + ")").orElse("")
                + (r.verdict() == ExplorerVerdict.TIMEOUT ? " [" + Problem.TIMED_OUT.code() + "]"
                        : r.verdict() == ExplorerVerdict.OUT_OF_MEMORY ? " [" + Problem.OUT_OF_MEMORY.code() + "]" : ""));
        w.println("          " + r.message());
        if (r.verdict() == ExplorerVerdict.TIMEOUT) {
            w.println("hint:     " + Problem.TIMED_OUT.hint());
        } else if (r.verdict() == ExplorerVerdict.OUT_OF_MEMORY) {
            w.println("hint:     " + Problem.OUT_OF_MEMORY.hint());
        }
        w.printf("states:   %,d distinct, %,d generated%n", r.distinctStates(), r.generatedStates());
        w.println("depth:    " + r.depth());
        w.printf("time:     %s, %,.0f states/s, %s%n", Durations.format(r.elapsed()), r.statesPerSecond(),
                workerCount(r.workers()));
        w.println("phases:   " + phases(r.phases()));
        w.printf("fingerprint collision probability: %.1e%n", r.collisionProbability());
        w.printf("memory:   fingerprint table %s (%.1f bytes per distinct state); peak heap in use %s (%,.0f bytes per "
                + "state, garbage included); parents on disk, 16 bytes per state%n", mb(r.fingerprintBytes()),
                r.fingerprintBytesPerState(), mb(r.peakHeapBytes()), r.peakHeapBytesPerState());
        w.println("frontier: " + frontier(r.frontier(), options.effectiveFrontierBudget()));
        return traceAndExit(machine, r, w);
    }

    /** Prints the counterexample (and writes it as ITF with --itf), and gives the exit code of the verdict. */
    private <S> int traceAndExit(StateMachine<S> machine, ExplorationResult<S> r, PrintWriter w) {
        for (Trace t : CounterexampleTraces.of(machine, r).stream().toList()) {
            w.println();
            w.print(TraceTable.render(t));
            if (itf != null) {
                AtomicFiles.write(itf, ItfWriter.toJson(t));
                w.println("ITF trace written to " + itf);
            }
        }
        ExitClass exit = switch (r.verdict()) {
            case SUCCESS -> ExitClass.OK;
            case TIMEOUT -> ExitClass.TIMEOUT;
            case OUT_OF_MEMORY -> ExitClass.OUT_OF_MEMORY;
            default -> ExitClass.UNEXPECTED;
        };
        if (exit != ExitClass.OK) {
            w.printf("Exit %d (%s)%n", exit.code(), exit.description());
        }
        w.flush();
        return r.verdict() == ExplorerVerdict.SUCCESS ? 0 : exit.code();
    }

    private <S> int simulate(StateMachine<S> machine, CfgFile cfg, PrintWriter w) {
        int d = depth == null ? 100 : depth;
        long k = traces == null ? 1000 : traces;
        long s = seed == null ? 0 : seed;
        w.printf("simulation: %s with %s, %,d traces of at most %d steps, seed %d, invariants %s, action properties %s%n",
                machine.name(), config, k, d, s, machine.invariants(), machine.actionProperties());
        w.flush();
        Simulator.Simulation<S> sim = Simulator.simulate(machine, d, k, s, cfg.checksDeadlock() && !noDeadlock,
                timeout == null ? java.util.Optional.empty() : java.util.Optional.of(Durations.parse(timeout)));
        ExplorationResult<S> r = sim.result();
        w.println("verdict:  " + r.verdict().id() + r.violatedName().map(v -> " (" + r.violatedId().orElse("") + " " + v + ")").orElse("")
                + (r.verdict() == ExplorerVerdict.TIMEOUT ? " [" + Problem.TIMED_OUT.code() + "]" : ""));
        w.println("          " + r.message());
        w.printf("traces:   %,d in %s, %,.0f traces/s%n", sim.traces(), Durations.format(r.elapsed()), sim.tracesPerSecond());
        w.printf("states:   %,d distinct seen, %,d visited, the longest walk %d states%n", r.distinctStates(),
                r.generatedStates(), r.depth());
        return traceAndExit(machine, r, w);
    }

    private static String status(long start, ExplorerProgress p) {
        String t = Durations.format(Duration.ofNanos(System.nanoTime() - start));
        return p == null ? "exploring " + t : String.format("exploring %s: depth %d, %,d distinct, %,d generated, %,.0f states/s",
                t, p.depth(), p.distinct(), p.generated(), p.statesPerSecond());
    }

    static long bytes(String size) {
        return bytes(size, "--memory-limit", false);
    }

    /** A size given with {@code option}, e.g. 512m or 8g; 0 only where {@code zeroAllowed}. */
    static long bytes(String size, String option, boolean zeroAllowed) {
        long n = dev.mkspec.specs.ByteSize.parse(size).orElseThrow(() -> Problem.INVALID_OPTION.exception(
                option + " '" + size + "' is not a size; write it like 512m or 8g"));
        if (n == 0 && !zeroAllowed) {
            throw Problem.INVALID_OPTION.exception(option + " '" + size + "' must be positive");
        }
        if (n > (1L << 50)) {
            throw Problem.INVALID_OPTION.exception("'" + size + "' is larger than any machine's memory");
        }
        return n;
    }

    private static String mb(long bytes) {
        if (bytes < (1 << 20)) {
            return String.format("%,d KB", (bytes + 1023) >> 10);
        }
        return bytes < (100L << 20) ? String.format("%.1f MB", bytes / 1048576.0) : String.format("%,d MB", (bytes + (1 << 19)) >> 20);
    }

    /** The search's phases as shares of their sum. */
    static String phases(ExplorationResult.Phases p) {
        double total = p.expanding().toNanos() + p.inserting().toNanos() + p.building().toNanos();
        if (total <= 0) {
            return "none timed";
        }
        return String.format("expanding %.0f%%, inserting %.0f%%, building the next level %.0f%% (one thread) of %s",
                100 * p.expanding().toNanos() / total, 100 * p.inserting().toNanos() / total,
                100 * p.building().toNanos() / total, Durations.format(java.time.Duration.ofNanos((long) total)));
    }

    /** Where the frontier was: all on the heap, or how much of it went to disk. */
    static String frontier(ExplorationResult.FrontierUse f, long budget) {
        if (!f.encodable()) {
            return "on the heap (the model has no encoding of its states to put them on disk)";
        }
        if (f.statesOnDisk() == 0) {
            return "on the heap (it goes to disk once the heap in use passes " + mb(budget) + ", --frontier-budget)";
        }
        return String.format("%,d candidate states (successors not yet known to be new) went to disk in %d level%s, "
                + "%s (%.1f bytes per state, 16 of them fingerprints), the largest level file %s (the heap passed %s, "
                + "--frontier-budget)", f.statesOnDisk(), f.levelsOnDisk(), f.levelsOnDisk() == 1 ? "" : "s",
                mb(f.bytesOnDisk()), f.bytesPerState(), mb(f.largestLevelBytes()), mb(budget));
    }

    private static String workerCount(int n) {
        return n == 1 ? "1 worker" : n + " workers";
    }
}
