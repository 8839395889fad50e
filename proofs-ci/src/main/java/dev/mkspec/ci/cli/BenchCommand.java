package dev.mkspec.ci.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkspec.check.ExplorationResult;
import dev.mkspec.check.Explorer;
import dev.mkspec.check.ExplorerOptions;
import dev.mkspec.check.ExplorerVerdict;
import dev.mkspec.ci.bench.SyntheticCounters;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.Problem;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkspec bench}: benchmarks of mkspec's own machinery. */
@Command(name = "bench", description = "Benchmarks: the explorer's own speed, TLC against the explorer, and simulated "
        + "kernel cycles.",
        subcommands = {BenchCommand.ExplorerBench.class, TlcVsExplorerCommand.class, CyclesCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: " + Problem.INVALID_OPTION.format("name a benchmark: explorer, tlc-vs-explorer or cycles"));
        err.println("hint:  './mkspec bench cycles --compare' simulates the kernel's paths; 'mkspec help bench cycles' "
                + "tells more.");
        spec.commandLine().usage(err);
        err.flush();
        return ExitClass.USAGE.code();
    }

    /** {@code mkspec bench explorer}: the explorer's states per second on a synthetic system. */
    @Command(name = "explorer", sortOptions = false,
            description = {"Measure the explorer's states per second on a synthetic system of N counters modulo K "
                    + "(K^N states, 2N-1 successors each), for each worker count, in one run.",
                "Each exploration is a full run to completion; the first runs of each worker count warm the JIT up "
                        + "and are not counted. Compare worker counts by the ratio printed, measured in the same run."})
    public static final class ExplorerBench implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--counters", paramLabel = "N", defaultValue = "7", description = "Counters (default 7).")
        int counters;

        @Option(names = "--range", paramLabel = "K", defaultValue = "7", description = "Values per counter (default 7: 823,543 states).")
        int range;

        @Option(names = "--workers", paramLabel = "LIST", split = ",", defaultValue = "1,2",
                description = "Worker counts to compare (default 1,2).")
        List<Integer> workers;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Warm-up runs per worker count (default 2).")
        int warmup;

        @Option(names = "--iterations", paramLabel = "N", defaultValue = "5", description = "Measured runs per worker count (default 5).")
        int iterations;

        @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", description = "Output format.")
        String format;

        @Option(names = "--frontier-budget", paramLabel = "SIZE", description = "Send the frontier to disk once the "
                + "heap in use passes this, e.g. 2g; 0 sends every level after the first (default: half the maximum heap).")
        String frontierBudget;

        @Override
        public Integer call() {
            PrintWriter w = spec.commandLine().getOut();
            ExplorerOptions base0 = ExplorerOptions.defaults().withCheckDeadlock(false);
            ExplorerOptions options = frontierBudget == null ? base0
                    : base0.withFrontierBudget(ExploreCommand.bytes(frontierBudget, "--frontier-budget", true));
            if (iterations < 1 || warmup < 0 || workers.isEmpty() || workers.stream().anyMatch(x -> x < 1)) {
                throw Problem.INVALID_OPTION.exception("--iterations must be at least 1, --warmup at least 0, "
                        + "and every worker count at least 1");
            }
            if (!format.equals("table") && !format.equals("json")) {
                throw Problem.INVALID_OPTION.exception("--format must be table or json, not '" + format + "'");
            }
            if (counters < 1 || range < 2) {
                throw Problem.INVALID_OPTION.exception("--counters must be at least 1 and --range at least 2, not "
                        + counters + " and " + range);
            }
            long states = SyntheticCounters.states(counters, range);
            long heap = Runtime.getRuntime().maxMemory();
            // The explorer's fingerprint table alone takes 8 bytes per state (sorted arrays of exactly the states).
            long needed = states < 0 || states > Long.MAX_VALUE / 32 ? -1 : states * 8;
            if (needed < 0 || needed > heap) {
                throw Problem.INVALID_OPTION.exception(String.format("%d counters modulo %d is %s states, whose "
                        + "fingerprints alone need %s; this JVM has %,d MB of heap. Choose fewer counters or a "
                        + "smaller range (the default, 7 modulo 7, is 823,543 states), or give the JVM more heap with "
                        + "MKSPEC_JAVA_OPTS=-Xmx..", counters, range,
                        states < 0 ? "more than 2^63" : String.format("%,d", states),
                        needed < 0 ? "more memory than any machine has" : String.format("%,d MB", needed >> 20),
                        heap >> 20));
            }
            SyntheticCounters system = new SyntheticCounters(counters, range);
            boolean table = format.equals("table");
            if (table) {
                w.printf("explorer benchmark: %s, %,d states, %d warm-up and %d measured runs per worker count%n",
                        system.name(), system.expectedStates(), warmup, iterations);
                w.printf("JVM %s %s, %d cores, max heap %,d MB%n", System.getProperty("java.vm.name"),
                        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().maxMemory() >> 20);
                w.flush();
            }
            List<double[]> rates = new ArrayList<>();
            ExplorationResult<int[]> last = null;
            for (int wk : workers) {
                double[] r = new double[iterations];
                for (int i = 0; i < warmup + iterations; i++) {
                    ExplorationResult<int[]> res = Explorer.explore(system, options.withWorkers(wk));
                    if (res.verdict() == ExplorerVerdict.OUT_OF_MEMORY) {
                        throw Problem.OUT_OF_MEMORY.exception("the explorer stopped at its memory limit after "
                                + String.format("%,d of %,d states", res.distinctStates(), system.expectedStates()));
                    }
                    if (res.verdict() != ExplorerVerdict.SUCCESS || res.distinctStates() != system.expectedStates()) {
                        throw Problem.INTERNAL_ERROR.exception("the benchmark system gave " + res.summaryLine()
                                + " instead of " + system.expectedStates() + " states");
                    }
                    if (i >= warmup) {
                        r[i - warmup] = res.statesPerSecond();
                    }
                    last = res;
                }
                rates.add(r);
            }
            double base = mean(rates.get(0));
            if (table) {
                w.printf("%8s %14s %12s %14s %14s %10s%n", "workers", "states/s mean", "stddev", "min", "max",
                        "vs " + workers.get(0));
                for (int i = 0; i < workers.size(); i++) {
                    double[] r = rates.get(i);
                    w.printf("%8d %,14.0f %,12.0f %,14.0f %,14.0f %9.2fx%n", workers.get(i), mean(r), stddev(r), min(r),
                            max(r), mean(r) / base);
                }
                w.printf("memory (last run): fingerprint table %,d bytes, %.1f per state; peak heap in use %,d MB, %.1f bytes "
                        + "per state (garbage included)%n", last.fingerprintBytes(), last.fingerprintBytesPerState(),
                        last.peakHeapBytes() >> 20, last.peakHeapBytesPerState());
                w.println("frontier (last run): " + ExploreCommand.frontier(last.frontier(), options.effectiveFrontierBudget()));
            } else {
                ObjectMapper json = new ObjectMapper();
                ObjectNode root = json.createObjectNode();
                root.put("system", system.name());
                root.put("states", system.expectedStates());
                root.put("warmup", warmup);
                root.put("iterations", iterations);
                root.put("cores", Runtime.getRuntime().availableProcessors());
                root.put("fingerprintBytesPerState", last.fingerprintBytesPerState());
                root.put("peakHeapBytes", last.peakHeapBytes());
                root.put("frontierStatesOnDisk", last.frontier().statesOnDisk());
                root.put("frontierBytesOnDisk", last.frontier().bytesOnDisk());
                root.put("frontierLargestLevelBytes", last.frontier().largestLevelBytes());
                ArrayNode arr = root.putArray("results");
                for (int i = 0; i < workers.size(); i++) {
                    ObjectNode n = arr.addObject();
                    double[] r = rates.get(i);
                    n.put("workers", workers.get(i));
                    n.put("meanStatesPerSecond", Math.round(mean(r)));
                    n.put("stddev", Math.round(stddev(r)));
                    n.put("min", Math.round(min(r)));
                    n.put("max", Math.round(max(r)));
                    n.put("ratioToFirst", Math.round(mean(r) / base * 100) / 100.0);
                }
                w.println(root.toPrettyString());
            }
            w.flush();
            return 0;
        }

        private static double mean(double[] r) {
            double s = 0;
            for (double x : r) {
                s += x;
            }
            return s / r.length;
        }

        private static double stddev(double[] r) {
            double m = mean(r);
            double s = 0;
            for (double x : r) {
                s += (x - m) * (x - m);
            }
            return r.length < 2 ? 0 : Math.sqrt(s / (r.length - 1));
        }

        private static double min(double[] r) {
            double m = Double.MAX_VALUE;
            for (double x : r) {
                m = Math.min(m, x);
            }
            return m;
        }

        private static double max(double[] r) {
            double m = 0;
            for (double x : r) {
                m = Math.max(m, x);
            }
            return m;
        }
    }
}
