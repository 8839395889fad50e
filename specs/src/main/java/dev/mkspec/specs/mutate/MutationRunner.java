package dev.mkspec.specs.mutate;

import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.mutate.MutationReport.MutantResult;
import dev.mkspec.specs.mutate.MutationReport.RunSummary;
import dev.mkspec.specs.tlc.CoverageEntry;
import dev.mkspec.specs.tlc.ExpressionCoverage;
import dev.mkspec.specs.tlc.GraphSkeleton;
import dev.mkspec.specs.tlc.TlcListener;
import dev.mkspec.specs.tlc.TlcRequest;
import dev.mkspec.specs.tlc.TlcResult;
import dev.mkspec.specs.tlc.TlcRunner;
import dev.mkspec.specs.tlc.TlcVerdict;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs TLC on mutants and classifies them. The unmutated spec runs first on every configuration
 * and must succeed on each (on the fast ones with TLC's coverage). Then each mutant is written,
 * with the other files of the spec's folder copied unchanged, into a temporary folder of its own,
 * and checked on the fast configurations one after the other (TLC with one worker, without
 * coverage), stopping at the first that kills it: first those where the original evaluated the
 * mutated place, then the rest, each group cheapest first. After a run that times out, only the
 * configurations whose original was quicker than that one's still run. Judging uses the configurations'
 * properties only: no pinned counts, no graph comparison. A mutant that every fast configuration
 * passes is looked at again. If it had the original's distinct states and depth everywhere, each
 * configuration runs once more with TLC's state graph written out: if the graph is the
 * original's up to stuttering steps (the same states, initial states and transitions between
 * different states) everywhere, no TLA+ property can tell them apart and the mutant is
 * equivalent. Otherwise each runs once more with TLC's coverage, to tell a mutant that only stops
 * an action from firing. Any other mutant that every fast configuration passes survived,
 * and the deep configurations, if any, then get their turn at it (without coverage).
 *
 * <p>The time limit of a run is the mutant timeout, or three times the original's time on that
 * configuration plus ten seconds if that is longer, so that a slow configuration is not mistaken
 * for a mutant that loops. Mutants run {@code jobs} at a time; {@link #interrupt()} stops the TLC
 * children and returns what was judged. With a {@link MutationJournal}, each result is written
 * down as it is judged and a mutant the journal already has is not judged again.
 */
public final class MutationRunner {
    /**
     * A configuration to run every mutant on.
     *
     * @param name a name for reports (the manifest's model name, or the cfg's file name)
     * @param cfg the cfg file
     * @param profile {@code fast} or {@code deep}
     * @param originalTimeout the original's time limit; empty for none
     * @param heap TLC's heap, if the configuration sets one
     */
    public record Configuration(String name, Path cfg, String profile, Optional<Duration> originalTimeout,
            Optional<String> heap) {
    }

    /** Told of progress, from the worker threads. */
    public interface Listener {
        default void originalDone(Configuration c, RunSummary r) {
        }

        default void mutantDone(MutantResult r, int done, int total, int killed) {
        }

        default void passStarted(String pass, int mutants) {
        }

        /** {@code count} mutants of the pass were judged by an earlier run (the journal). */
        default void resumed(String pass, int count) {
        }
    }

    private final TlcRunner tlc;
    private final Path spec;
    private final List<Configuration> configurations;
    private final List<Path> library;
    private final int jobs;
    private final Duration timeout;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile ExecutorService pool;
    private volatile MutationJournal journal;
    /** The original's state graph per fast configuration, read when a mutant first needs it. */
    private final Map<String, GraphSkeleton> originalGraphs = new java.util.concurrent.ConcurrentHashMap<>();
    /** TLC's fingerprint polynomial for graph runs: the original's and a mutant's must agree. */
    private static final List<String> FIXED_FINGERPRINT = List.of("-fp", "0");

    /**
     * @param spec the root module; its folder's {@code .tla} and {@code .cfg} files are copied for every mutant
     * @param configurations fast ones and deep ones, in the order to run them
     * @param library folders where TLC also looks for modules
     * @param jobs mutants to check at once
     * @param timeout the time limit of one TLC run of a mutant
     */
    public MutationRunner(TlcRunner tlc, Path spec, List<Configuration> configurations, List<Path> library, int jobs,
            Duration timeout) {
        this.tlc = tlc;
        this.spec = spec.toAbsolutePath().normalize();
        this.configurations = List.copyOf(configurations);
        this.library = List.copyOf(library);
        this.jobs = jobs;
        this.timeout = timeout;
        if (configurations.stream().noneMatch(c -> c.profile().equals("fast"))) {
            throw new IllegalArgumentException("at least one fast configuration is needed to judge equivalence");
        }
    }

    /**
     * Records every result in {@code j} as it is judged, and takes a mutant's result from it instead
     * of judging it again when it has one (a resumed run).
     */
    public MutationRunner withJournal(MutationJournal j) {
        this.journal = j;
        return this;
    }

    /** Stops the run: running TLC children are killed, mutants not yet judged are left out. */
    public void interrupt() {
        stopped.set(true);
        ExecutorService p = pool;
        if (p != null) {
            p.shutdownNow();
        }
    }

    /**
     * Runs the original, then the mutants.
     *
     * @throws MkspecException {@link Problem#MUTATE_ORIGINAL_FAILS} if the original does not succeed
     *     on a configuration (or the problem of a parse, configuration or tool error)
     */
    public MutationReport run(List<Mutant> mutants, Listener listener) {
        long start = System.nanoTime();
        Map<String, TlcResult> originals = new HashMap<>();
        List<RunSummary> originalSummaries = new ArrayList<>();
        MutationJournal j = journal;
        for (Configuration c : configurations) {
            boolean deep = c.profile().equals("deep");
            String alone = MutationJournal.configsDigest(List.of(c));
            Optional<RunSummary> journaled = deep && j != null ? j.findOriginal(c.name(), alone) : Optional.empty();
            if (journaled.isPresent()) {
                // A deep original can take as long as many mutants; the journal's inputs digest
                // says that nothing it depends on changed.
                originals.put(c.name(), journaledSuccess(journaled.get()));
                originalSummaries.add(journaled.get());
                listener.originalDone(c, journaled.get());
                continue;
            }
            // The fast originals' coverage tells which configurations reach a mutant and which
            // actions fire; a deep original's would only make it slower.
            TlcRequest request = request(spec, c.cfg(), c, !deep)
                    .withTimeout(c.originalTimeout().orElse(Duration.ofMinutes(30)));
            TlcResult r = tlc.run(request, TlcListener.NONE);
            RunSummary s = summary(c, r);
            if (stopped.get()) {
                return new MutationReport(spec, originalSummaries, List.of(), Duration.ofNanos(System.nanoTime() - start), true);
            }
            if (r.verdict() != TlcVerdict.SUCCESS) {
                throw originalFails(c, r);
            }
            originals.put(c.name(), r);
            originalSummaries.add(s);
            if (deep && j != null) {
                j.recordOriginal(s, alone);
            }
            listener.originalDone(c, s);
        }
        // Cheapest first: most mutants are killed by the first configuration that reaches them.
        Comparator<Configuration> byCost = Comparator.comparing(c -> originals.get(c.name()).elapsed());
        List<Configuration> fast = configurations.stream().filter(c -> c.profile().equals("fast")).sorted(byCost).toList();
        List<Configuration> deep = configurations.stream().filter(c -> c.profile().equals("deep")).sorted(byCost).toList();

        listener.passStarted("fast", mutants.size());
        List<MutantResult> results = runPass(mutants, fast, "fast", originals, listener, null);
        if (!deep.isEmpty() && !stopped.get()) {
            List<Integer> survivors = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) != null && results.get(i).outcome() == MutantClass.SURVIVED) {
                    survivors.add(i);
                }
            }
            List<Mutant> again = survivors.stream().map(i -> mutants.get(i)).toList();
            listener.passStarted("deep", again.size());
            List<MutantResult> deepResults = runPass(again, deep, "deep", originals, listener,
                    survivors.stream().map(results::get).toList());
            for (int k = 0; k < survivors.size(); k++) {
                if (deepResults.get(k) != null) {
                    results.set(survivors.get(k), deepResults.get(k));
                }
            }
        }
        boolean interrupted = stopped.get() || results.stream().anyMatch(Objects::isNull);
        return new MutationReport(spec, originalSummaries, results.stream().filter(Objects::nonNull).toList(),
                Duration.ofNanos(System.nanoTime() - start), interrupted);
    }

    private List<MutantResult> runPass(List<Mutant> mutants, List<Configuration> configs, String pass,
            Map<String, TlcResult> originals, Listener listener, List<MutantResult> before) {
        List<MutantResult> results = new ArrayList<>(java.util.Collections.nCopies(mutants.size(), null));
        if (mutants.isEmpty()) {
            return results;
        }
        ExecutorService p = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "mkspec-mutant");
            t.setDaemon(true);
            return t;
        });
        pool = p;
        if (stopped.get()) {
            p.shutdownNow();
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger killed = new AtomicInteger();
        MutationJournal j = journal;
        String configsDigest = MutationJournal.configsDigest(configs);
        if (j != null) {
            for (int i = 0; i < mutants.size(); i++) {
                MutantResult r = j.find(mutants.get(i), pass, configsDigest).orElse(null);
                results.set(i, r);
                if (r != null) {
                    done.incrementAndGet();
                    if (r.outcome() == MutantClass.KILLED) {
                        killed.incrementAndGet();
                    }
                }
            }
            if (done.get() > 0) {
                listener.resumed(pass, done.get());
            }
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < mutants.size(); i++) {
            int index = i;
            if (results.get(i) != null) {
                continue;
            }
            try {
                futures.add(p.submit(() -> {
                    if (stopped.get()) {
                        return;
                    }
                    MutantResult r = judge(mutants.get(index), configs, pass, originals,
                            before == null ? null : before.get(index));
                    if (stopped.get() || Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    results.set(index, r);
                    if (j != null && r != null && !unsettled(r)) {
                        j.record(pass, configsDigest, r);
                    }
                    if (r.outcome() == MutantClass.KILLED) {
                        killed.incrementAndGet();
                    }
                    listener.mutantDone(r, done.incrementAndGet(), mutants.size(), killed.get());
                }));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                break;
            }
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                interrupt();
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                p.shutdownNow();
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw Problem.INTERNAL_ERROR.exception(cause, String.valueOf(cause));
            } catch (java.util.concurrent.CancellationException e) {
                // Stopped.
            }
        }
        p.shutdownNow();
        return results;
    }

    /** Runs one mutant on the configurations of one pass and classifies it. */
    private MutantResult judge(Mutant m, List<Configuration> configs, String pass, Map<String, TlcResult> originals,
            MutantResult fastResult) {
        Path dir;
        try {
            dir = Files.createTempDirectory("mkspec-mutant-");
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot create a folder for the mutant: " + e.getMessage());
        }
        try {
            Path copy = copySpec(dir, m);
            List<RunSummary> runs = new ArrayList<>(fastResult == null ? List.of() : fastResult.runs());
            boolean sawTimeout = false;
            String timeoutConfig = null;
            boolean sameStates = true;
            Duration blownAt = null;
            for (Configuration c : reachingFirst(m, configs, originals)) {
                Path cfg = cfgIn(dir, c);
                TlcResult original = originals.get(c.name());
                if (blownAt != null && original.elapsed().compareTo(blownAt) >= 0) {
                    continue;
                }
                TlcResult r = tlc.run(request(copy, cfg, c, false).withTimeout(limit(original)), TlcListener.NONE);
                if (Thread.currentThread().isInterrupted() || stopped.get()) {
                    return null;
                }
                RunSummary s = summary(c, r);
                runs.add(s);
                TlcVerdict v = r.verdict();
                if (v.isViolation()) {
                    return new MutantResult(m, MutantClass.KILLED, pass, Optional.of(c.name()),
                            v.id() + r.violated().map(x -> ": " + x).orElse(""), runs);
                }
                if (v == TlcVerdict.TIMEOUT || v == TlcVerdict.OUT_OF_MEMORY) {
                    sawTimeout = true;
                    timeoutConfig = timeoutConfig == null ? c.name() : timeoutConfig;
                    if (fastResult == null) {
                        // A mutant that makes one configuration blow up mostly makes the larger
                        // ones blow up too, each taking its whole limit (a mutant of Ipc's Allowed
                        // took 13 of them, 20 minutes): from here on only the configurations whose
                        // original was quicker than this one's still run.
                        Duration d = original.elapsed();
                        blownAt = blownAt == null || d.compareTo(blownAt) < 0 ? d : blownAt;
                    }
                    continue;
                }
                if (v != TlcVerdict.SUCCESS) {
                    if (fastResult != null) {
                        // A survivor of fast that a deep configuration cannot check stays a survivor.
                        return new MutantResult(m, MutantClass.SURVIVED, "fast", fastResult.decidedBy(),
                                fastResult.detail() + "; deep " + c.name() + ": " + v.id(), runs);
                    }
                    // Name the module as the user knows it, not by its temporary copy.
                    String message = firstLine(r.message()).replace(dir.toString() + java.io.File.separator, "");
                    return new MutantResult(m, MutantClass.INVALID, pass, Optional.of(c.name()),
                            v.id() + ": " + message, runs);
                }
                // Equivalent means: the same states, transitions and depth, judged by their counts.
                // (A mutant that only adds or drops transitions between states reached anyway is
                // not equivalent: an action property could see it.)
                if (!r.distinctStates().equals(original.distinctStates()) || !r.depth().equals(original.depth())) {
                    sameStates = false;
                }
            }
            if (fastResult != null) {
                String note = sawTimeout ? "; deep " + timeoutConfig + ": timeout" : "; deep configurations pass";
                return new MutantResult(m, MutantClass.SURVIVED, "fast", fastResult.decidedBy(),
                        fastResult.detail() + note, runs);
            }
            if (sawTimeout) {
                return new MutantResult(m, MutantClass.TIMEOUT, pass, Optional.of(timeoutConfig), "timeout", runs);
            }
            // Every fast configuration passed. The first runs wrote neither TLC's coverage nor the
            // state graph, which make a run slower and matter only now: compare the state graphs
            // while the counts leave equivalence open, and, unless that settles it, run each
            // configuration again with coverage, to see whether an action no longer fires.
            Second second = secondLook(m, copy, dir, configs, originals, sameStates, runs, pass);
            if (second == null) {
                return null;
            }
            if (second.verdict() != null) {
                return second.verdict();
            }
            if (sameStates) {
                Optional<String> differs = second.graph();
                if (differs.isEmpty()) {
                    return new MutantResult(m, MutantClass.EQUIVALENT, pass, Optional.empty(),
                            "the original's state graph up to stuttering steps on every fast configuration", runs);
                }
                return new MutantResult(m, MutantClass.SURVIVED, pass, Optional.of(differs.get().substring(0,
                        differs.get().indexOf(':'))), "passes with the original's states but other transitions; "
                        + differs.get(), runs);
            }
            RunSummary differs = runs.stream().filter(s -> !sameCounts(s, originals.get(s.config())))
                    .findFirst().orElse(runs.get(0));
            TlcResult o = originals.get(differs.config());
            return new MutantResult(m, MutantClass.SURVIVED, pass, Optional.of(differs.config()),
                    String.format("passes with other counts; %s: %s distinct, %s generated, depth %s (original %s, %s, %s)",
                            differs.config(), count(differs.distinct()), count(differs.generated()),
                            count(differs.depth()), count(o.distinctStates()), count(o.generatedStates()),
                            count(o.depth())), runs);
        } catch (MkspecException e) {
            if (stopped.get()) {
                return null;
            }
            return new MutantResult(m, MutantClass.INVALID, pass, Optional.empty(), firstLine(e.getMessage()),
                    List.of());
        } finally {
            deleteTree(dir);
        }
    }

    /** The cfg a mutant in {@code dir} runs: its copy there if it sits beside the spec, else the cfg itself. */
    private Path cfgIn(Path dir, Configuration c) {
        return Objects.equals(c.cfg().toAbsolutePath().normalize().getParent(), spec.getParent())
                ? dir.resolve(c.cfg().getFileName()) : c.cfg();
    }

    /** The time limit of a mutant's run: the mutant timeout, or three times the original's plus ten seconds. */
    private Duration limit(TlcResult original) {
        Duration scaled = original.elapsed().multipliedBy(3).plusSeconds(10);
        return scaled.compareTo(timeout) > 0 ? scaled : timeout;
    }

    /**
     * What the second look at a mutant that every fast configuration passed found.
     *
     * @param verdict the mutant's class when the second look settles it (an action that no longer
     *     fires, or a run that did not succeed this time); null otherwise
     * @param graph when the state graphs were compared: empty if they agree with the original's on
     *     every configuration, else the first configuration that differs and how
     */
    private record Second(MutantResult verdict, Optional<String> graph) {
    }

    /**
     * Looks again at a mutant that every fast configuration passed. While {@code compareGraphs}
     * (its counts were the original's everywhere), each configuration first runs with the state
     * graph written out, without TLC's coverage, and is compared with the original's up to
     * stuttering steps: if no configuration differs, no TLA+ property can tell the mutant from the
     * original, it is equivalent, and nothing more runs. Otherwise each configuration runs again with
     * TLC's coverage, to see whether an action no longer fires. (Coverage makes a run up to about
     * twice as slow, and equivalent mutants are the ones that run every configuration to the end.)
     * Null if the run was stopped.
     */
    private Second secondLook(Mutant m, Path copy, Path dir, List<Configuration> configs,
            Map<String, TlcResult> originals, boolean compareGraphs, List<RunSummary> runs, String pass) {
        Optional<String> graph = Optional.empty();
        if (compareGraphs) {
            for (Configuration c : configs) {
                TlcResult original = originals.get(c.name());
                // Writing the graph makes a run slower, the more so on a loaded machine.
                Duration limit = limit(original).multipliedBy(2);
                GraphSkeleton originalGraph = originalGraph(c, limit);
                if (stopped.get()) {
                    return null;
                }
                if (originalGraph == null) {
                    // Only the machine can make the original fail here (it passed before): the
                    // mutant is not judged, and a resumed run judges it again.
                    List<RunSummary> all = new ArrayList<>(runs);
                    all.add(new RunSummary(c.name(), c.profile(), TlcVerdict.TIMEOUT.id(), Optional.empty(),
                            java.util.OptionalLong.empty(), java.util.OptionalLong.empty(), java.util.OptionalLong.empty(),
                            limit));
                    return new Second(new MutantResult(m, MutantClass.TIMEOUT, pass, Optional.of(c.name()),
                            "the original's state graph could not be written on " + c.name()
                            + " within " + limit.toSeconds() + " s", all), graph);
                }
                Path dot = dir.resolve("mutant-" + c.name() + ".dot");
                TlcResult r = tlc.run(request(copy, cfgIn(dir, c), c, false).withTimeout(limit).withDumpDot(dot)
                        .withExtraArguments(FIXED_FINGERPRINT), TlcListener.NONE);
                if (Thread.currentThread().isInterrupted() || stopped.get()) {
                    return null;
                }
                if (r.verdict() != TlcVerdict.SUCCESS) {
                    return new Second(rerunVerdict(m, c, r, runs, pass, "with the state graph"), graph);
                }
                GraphSkeleton mutant = Files.isRegularFile(dot) ? GraphSkeleton.readTlcDot(dot) : null;
                deleteTree(dot);
                if (mutant == null) {
                    List<RunSummary> all = new ArrayList<>(runs);
                    all.add(new RunSummary(c.name(), c.profile(), TlcVerdict.TOOL_FAILURE.id(), Optional.empty(),
                            r.distinctStates(), r.generatedStates(), r.depth(), r.elapsed()));
                    return new Second(new MutantResult(m, MutantClass.TIMEOUT, pass, Optional.of(c.name()),
                            "TLC wrote no state graph for the mutant on " + c.name(), all), graph);
                }
                graph = graphDifference(c, originalGraph, mutant);
                if (graph.isPresent()) {
                    break;
                }
            }
            if (graph.isEmpty()) {
                return new Second(null, graph);
            }
        }
        // Where the counts differ first: an action that no longer fires shows there, and is found
        // without running the others (a disabling mutant is judged at its first lost action).
        List<Configuration> order = new ArrayList<>(configs);
        order.sort(Comparator.comparing(c -> runs.stream().noneMatch(s -> s.config().equals(c.name())
                && !sameCounts(s, originals.get(c.name())))));
        for (Configuration c : order) {
            TlcResult original = originals.get(c.name());
            TlcResult r = tlc.run(request(copy, cfgIn(dir, c), c, true).withTimeout(limit(original)), TlcListener.NONE);
            if (Thread.currentThread().isInterrupted() || stopped.get()) {
                return null;
            }
            if (r.verdict() != TlcVerdict.SUCCESS) {
                return new Second(rerunVerdict(m, c, r, runs, pass, "with coverage"), graph);
            }
            Optional<String> lost = lostAction(original, r);
            if (lost.isPresent()) {
                return new Second(new MutantResult(m, MutantClass.DISABLED, pass, Optional.of(c.name()),
                        "an action that fires in the original never fires: " + c.name() + ": " + lost.get(), runs), graph);
            }
        }
        return new Second(null, graph);
    }

    /**
     * The class of a mutant whose second run of a configuration did not succeed, though its first
     * run did: only the machine can make them differ (a timeout under load, say).
     */
    private static MutantResult rerunVerdict(Mutant m, Configuration c, TlcResult r, List<RunSummary> runs,
            String pass, String how) {
        TlcVerdict v = r.verdict();
        MutantClass k = v.isViolation() ? MutantClass.KILLED
                : v == TlcVerdict.TIMEOUT || v == TlcVerdict.OUT_OF_MEMORY ? MutantClass.TIMEOUT
                : MutantClass.INVALID;
        List<RunSummary> all = new ArrayList<>(runs);
        all.add(summary(c, r));
        return new MutantResult(m, k, pass, Optional.of(c.name()), v.id()
                + r.violated().map(x -> ": " + x).orElse("") + " (run again " + how + ")", all);
    }

    private static boolean sameCounts(RunSummary s, TlcResult o) {
        return s.distinct().equals(o.distinctStates()) && s.generated().equals(o.generatedStates())
                && s.depth().equals(o.depth());
    }

    /**
     * How a mutant's state graph differs from the original's on one configuration, up to
     * stuttering steps; empty if it does not.
     */
    private static Optional<String> graphDifference(Configuration c, GraphSkeleton original, GraphSkeleton mutant) {
        if (!original.states().equals(mutant.states()) || !original.initial().equals(mutant.initial())) {
            return Optional.of(c.name() + ": other states");
        }
        if (!original.steps().equals(mutant.steps())) {
            long added = mutant.steps().stream().filter(s -> !original.steps().contains(s)).count();
            long lost = original.steps().stream().filter(s -> !mutant.steps().contains(s)).count();
            return Optional.of(String.format("%s: %,d transitions the original lacks, %,d it has that the mutant lacks",
                    c.name(), added, lost));
        }
        return Optional.empty();
    }

    /**
     * The configurations in the order to try a mutant on: first those whose original run evaluated
     * an expression at the mutated place (TLC's expression coverage), then the others, each group
     * in the given order (cheapest first). The order makes a kill come sooner; a mutant that is
     * neither killed nor timed out runs on every configuration either way. (TLC's coverage can miss
     * a place evaluated only through a folded call, so "others" may reach it too.)
     */
    static List<Configuration> reachingFirst(Mutant m, List<Configuration> configs, Map<String, TlcResult> originals) {
        String module = m.module().endsWith(".tla") ? m.module().substring(0, m.module().length() - 4) : m.module();
        ExpressionCoverage.Span at = new ExpressionCoverage.Span(module, m.line(), m.column(), m.line(), m.column());
        List<Configuration> reaching = new ArrayList<>();
        List<Configuration> others = new ArrayList<>();
        for (Configuration c : configs) {
            TlcResult o = originals.get(c.name());
            boolean reached = o != null && o.expressions().stream().anyMatch(e -> e.evaluated() && e.span().contains(at));
            (reached ? reaching : others).add(c);
        }
        reaching.addAll(others);
        return reaching;
    }

    private GraphSkeleton originalGraph(Configuration c, Duration limit) {
        GraphSkeleton g = originalGraphs.get(c.name());
        if (g != null) {
            return g;
        }
        synchronized (originalGraphs) {
            g = originalGraphs.get(c.name());
            if (g == null) {
                Path dir;
                try {
                    dir = Files.createTempDirectory("mkspec-original-graph-");
                } catch (IOException e) {
                    throw Problem.IO_ERROR.exception(e, "cannot create a folder for the original's graph: " + e.getMessage());
                }
                try {
                    g = graph(spec, c.cfg(), c, dir.resolve("original.dot"), limit);
                } finally {
                    deleteTree(dir);
                }
                if (g != null) {
                    originalGraphs.put(c.name(), g);
                }
            }
            return g;
        }
    }

    /** Runs TLC with the state graph written to {@code dot}, and reads it; null if the run did not succeed. */
    private GraphSkeleton graph(Path root, Path cfg, Configuration c, Path dot, Duration limit) {
        TlcRequest r = TlcRequest.of(root).withConfig(cfg).withWorkers(1).withLibraryPaths(library)
                .withDumpDot(dot).withExtraArguments(FIXED_FINGERPRINT).withTimeout(limit);
        if (c.heap().isPresent()) {
            r = r.withHeap(c.heap().get());
        }
        TlcResult result = tlc.run(r, TlcListener.NONE);
        if (result.verdict() != TlcVerdict.SUCCESS || !Files.isRegularFile(dot)) {
            return null;
        }
        return GraphSkeleton.readTlcDot(dot);
    }

    private static String count(java.util.OptionalLong n) {
        return n.isPresent() ? String.format("%,d", n.getAsLong()) : "?";
    }

    private Path copySpec(Path dir, Mutant m) {
        Path folder = spec.getParent();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.{tla,cfg}")) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            Files.writeString(dir.resolve(m.module()), m.mutatedText());
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot copy the spec for mutant " + m.id() + ": " + e.getMessage());
        }
        return dir.resolve(spec.getFileName());
    }

    /**
     * A sub-action of the next-state relation that generated states in the original run and none
     * in the mutant's, named as TLC names it; matched by name and TLC's location, so an action
     * whose location the mutation moved is not compared.
     */
    static Optional<String> lostAction(TlcResult original, TlcResult mutant) {
        Map<String, Long> fired = new HashMap<>();
        for (CoverageEntry e : mutant.coverage()) {
            if (!e.initial()) {
                fired.merge(e.action() + " " + e.location(), e.generated(), Long::sum);
            }
        }
        for (CoverageEntry e : original.coverage()) {
            String key = e.action() + " " + e.location();
            if (!e.initial() && e.generated() > 0 && fired.containsKey(key) && fired.get(key) == 0) {
                return Optional.of(e.action() + " (" + e.location() + ")");
            }
        }
        return Optional.empty();
    }

    /** A run with one worker; with TLC's coverage at the end if {@code coverage} (which actions fired, and where). */
    private TlcRequest request(Path root, Path cfg, Configuration c, boolean coverage) {
        TlcRequest r = TlcRequest.of(root).withConfig(cfg).withWorkers(1).withLibraryPaths(library);
        if (coverage) {
            r = r.withCoverage(TlcRequest.COVERAGE_AT_END);
        }
        if (c.heap().isPresent()) {
            r = r.withHeap(c.heap().get());
        }
        return r;
    }

    /**
     * Whether a result may owe its class to the machine rather than the mutant: a TLC run that
     * timed out, ran out of memory or ended abnormally (killed by a signal before the stop was
     * seen). Such a result is reported but not journaled, so that a resumed run judges it again.
     */
    static boolean unsettled(MutantResult r) {
        return r.runs().stream().anyMatch(x -> x.verdict().equals(TlcVerdict.TIMEOUT.id())
                || x.verdict().equals(TlcVerdict.OUT_OF_MEMORY.id()) || x.verdict().equals(TlcVerdict.TOOL_FAILURE.id()));
    }

    /** A successful original run as the journal kept it: its counts and time, without TLC's coverage. */
    private static TlcResult journaledSuccess(RunSummary s) {
        return new TlcResult(TlcVerdict.SUCCESS, Optional.empty(), "from the journal", Optional.empty(), s.distinct(),
                s.generated(), java.util.OptionalLong.empty(), s.depth(), java.util.OptionalLong.empty(), Optional.empty(),
                List.of(), List.of(), List.of(), "", "", s.elapsed(), java.util.OptionalLong.empty(),
                java.util.OptionalDouble.empty(), 0, Optional.empty());
    }

    private static RunSummary summary(Configuration c, TlcResult r) {
        return new RunSummary(c.name(), c.profile(), r.verdict().id(), r.violated(), r.distinctStates(),
                r.generatedStates(), r.depth(), r.elapsed());
    }

    private static MkspecException originalFails(Configuration c, TlcResult r) {
        String what = c.name() + " (" + c.cfg() + ")";
        String why = r.verdict().id() + r.violated().map(v -> " of " + v).orElse("") + ": " + firstLine(r.message());
        return switch (r.verdict()) {
            case PARSE_ERROR, UNSUPPORTED -> Problem.TLA_PARSE_ERROR.exception(r.message());
            case CONFIG_ERROR -> Problem.TLC_CONFIG_ERROR.exception(r.message());
            case TIMEOUT -> Problem.TIMED_OUT.exception(c.originalTimeout().map(Duration::toString).orElse("30m")
                    + " on the unmutated spec, " + what);
            case OUT_OF_MEMORY -> Problem.OUT_OF_MEMORY.exception("the unmutated spec, " + what);
            case TOOL_FAILURE -> Problem.TLC_CRASHED.exception(r.message());
            default -> Problem.MUTATE_ORIGINAL_FAILS.exception(what, why);
        };
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        t = nl < 0 ? t : t.substring(0, nl);
        return t.length() > 200 ? t.substring(0, 197) + "..." : t;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // Best effort.
        }
    }
}
