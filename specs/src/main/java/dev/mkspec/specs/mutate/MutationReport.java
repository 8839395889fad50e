package dev.mkspec.specs.mutate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a mutation run found.
 *
 * @param spec the root module
 * @param originals the unmutated spec's run on every configuration, fast ones first
 * @param results one per mutant, in the generator's order
 * @param elapsed wall-clock time of the whole run, originals included
 * @param interrupted whether the run was stopped before every mutant was judged
 */
public record MutationReport(Path spec, List<RunSummary> originals, List<MutantResult> results, Duration elapsed,
        boolean interrupted) {

    public MutationReport {
        originals = List.copyOf(originals);
        results = List.copyOf(results);
    }

    /**
     * One TLC run of a configuration.
     *
     * @param config the configuration's name (the manifest's model name, or the cfg's file name)
     * @param profile {@code fast} or {@code deep}
     * @param verdict TLC's verdict, as in manifests
     * @param violated the property that failed, if any
     * @param distinct distinct states
     * @param generated states generated
     * @param depth search depth
     * @param elapsed wall-clock time
     */
    public record RunSummary(String config, String profile, String verdict, Optional<String> violated,
            OptionalLong distinct, OptionalLong generated, OptionalLong depth, Duration elapsed) {
    }

    /**
     * How one mutant came out.
     *
     * @param mutant the mutant
     * @param outcome its class
     * @param pass {@code fast} or {@code deep}: the pass that decided a kill (a survivor of fast that
     *     a deep configuration kills is "killed by deep")
     * @param decidedBy the configuration that killed it, or that made it invalid or time out
     * @param detail a few words: the verdict and property, or TLC's error
     * @param runs every TLC run of the mutant
     */
    public record MutantResult(Mutant mutant, MutantClass outcome, String pass, Optional<String> decidedBy,
            String detail, List<RunSummary> runs) {
        public MutantResult {
            runs = List.copyOf(runs);
        }
    }

    /** How many mutants fell in each class. */
    public Map<MutantClass, Integer> counts() {
        Map<MutantClass, Integer> c = new EnumMap<>(MutantClass.class);
        for (MutantClass k : MutantClass.values()) {
            c.put(k, 0);
        }
        results.forEach(r -> c.merge(r.outcome(), 1, Integer::sum));
        return c;
    }

    /** Mutants killed only by a deep configuration. */
    public int killedByDeep() {
        return (int) results.stream().filter(r -> r.outcome() == MutantClass.KILLED && r.pass().equals("deep")).count();
    }

    /** (killed + disables an action) / (judged - invalid - equivalent): what the check plan, coverage included, kills. */
    public Optional<Double> planKillRatio() {
        Map<MutantClass, Integer> c = counts();
        int denominator = results.size() - c.get(MutantClass.INVALID) - c.get(MutantClass.EQUIVALENT);
        return denominator <= 0 ? Optional.empty()
                : Optional.of((double) (c.get(MutantClass.KILLED) + c.get(MutantClass.DISABLED)) / denominator);
    }

    /** killed / (judged - invalid - equivalent), or empty when nothing is left to divide by. */
    public Optional<Double> killRatio() {
        Map<MutantClass, Integer> c = counts();
        int denominator = results.size() - c.get(MutantClass.INVALID) - c.get(MutantClass.EQUIVALENT);
        return denominator <= 0 ? Optional.empty()
                : Optional.of((double) c.get(MutantClass.KILLED) / denominator);
    }
}
