package dev.mkspec.check;

import java.time.Duration;
import java.util.Optional;

/**
 * How an exploration ended, with its statistics.
 *
 * @param model the model's name
 * @param verdict how it ended
 * @param violated the invariant that failed, if one did
 * @param violatedAction the action property that failed, if one did
 * @param counterexample the shortest behaviour to the failing state, for a violation, a deadlock or
 *     a model error
 * @param message one sentence for a person
 * @param distinctStates distinct states found (for a timeout, so far)
 * @param generatedStates states generated, duplicates included; initial states count, as in TLC
 * @param depth the number of search levels, counted as TLC does: a run with only initial states
 *     has depth 1
 * @param elapsed wall-clock time
 * @param workers worker threads used
 * @param collisionProbability an estimate of the probability that two distinct states shared a
 *     fingerprint, {@code distinct * generated / 2^64} (TLC's optimistic estimate)
 * @param fingerprintBytes bytes the fingerprint table held at the end (8 per distinct state,
 *     and the level being added if the run stopped inside one)
 * @param peakHeapBytes the most heap in use seen at the explorer's samples (every 64 states and
 *     each level's end), garbage included: an upper bound of what the run needed at those points
 * @param frontier how much of the frontier went to disk
 * @param phases the wall-clock time of the search's phases, summed over its levels
 * @param <S> the state type
 */
public record ExplorationResult<S>(
        String model,
        ExplorerVerdict verdict,
        Optional<Invariant<S>> violated,
        Optional<ActionProperty<S>> violatedAction,
        Optional<Counterexample<S>> counterexample,
        String message,
        long distinctStates,
        long generatedStates,
        int depth,
        Duration elapsed,
        int workers,
        double collisionProbability,
        long fingerprintBytes,
        long peakHeapBytes,
        FrontierUse frontier,
        Phases phases) {

    /**
     * Where a search's wall-clock time went, summed over its levels: expanding the levels (every
     * worker), inserting the new fingerprints (every worker, each its own shards, each reading all
     * the level's candidates) and building the next level from them (one thread). The last one,
     * and the part of inserting that every worker repeats, do not shrink with more workers.
     */
    public record Phases(Duration expanding, Duration inserting, Duration building) {
        /** No search phases (a simulation). */
        public static final Phases NONE = new Phases(Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /**
     * How much of the search's frontier went to disk, encoded by the model's {@link StateCodec},
     * once the heap passed the frontier budget.
     *
     * @param encodable whether the model has a codec (without one every level stays on the heap)
     * @param statesOnDisk states written to disk over the run (successors not yet known to be new
     *     included, so more than the levels' sizes)
     * @param bytesOnDisk bytes written to disk over the run
     * @param levelsOnDisk complete levels some of whose states went to disk (a level being built
     *     when the run stopped counts in the states and bytes, not here)
     * @param largestLevelBytes the largest level file; the frontier takes at most two consecutive
     *     level files at once
     */
    public record FrontierUse(boolean encodable, long statesOnDisk, long bytesOnDisk, int levelsOnDisk,
            long largestLevelBytes) {

        /** Nothing went to disk. */
        public static FrontierUse onHeap(boolean encodable) {
            return new FrontierUse(encodable, 0, 0, 0, 0);
        }

        /** Bytes a state took on disk (0 when none went). */
        public double bytesPerState() {
            return statesOnDisk == 0 ? 0 : (double) bytesOnDisk / statesOnDisk;
        }
    }

    /** The TLA+ name of the invariant or action property that failed, if one did. */
    public Optional<String> violatedName() {
        return violated.map(Invariant::name).or(() -> violatedAction.map(ActionProperty::name));
    }

    /** The catalog ID of the invariant or action property that failed, if one did. */
    public Optional<String> violatedId() {
        return violated.map(Invariant::id).or(() -> violatedAction.map(ActionProperty::id));
    }

    /** Distinct states per second. */
    public double statesPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : distinctStates / s;
    }

    /** Bytes of the fingerprint table per distinct state (0 when no state was found). */
    public double fingerprintBytesPerState() {
        return distinctStates == 0 ? 0 : (double) fingerprintBytes / distinctStates;
    }

    /** Peak heap per distinct state (0 when no state was found). */
    public double peakHeapBytesPerState() {
        return distinctStates == 0 ? 0 : (double) peakHeapBytes / distinctStates;
    }

    /** One line: verdict, counts, depth, time and speed. */
    public String summaryLine() {
        StringBuilder sb = new StringBuilder(verdict.id());
        violatedName().ifPresent(v -> sb.append(": ").append(v));
        sb.append(String.format(", %,d distinct, %,d generated, depth %d, %.1fs, %,.0f states/s",
                distinctStates, generatedStates, depth, elapsed.toMillis() / 1000.0, statesPerSecond()));
        return sb.toString();
    }
}
