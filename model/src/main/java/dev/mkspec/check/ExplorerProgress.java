package dev.mkspec.check;

import java.time.Duration;

/**
 * A snapshot of a running exploration.
 *
 * @param depth the level being expanded (1 for the initial states)
 * @param distinct distinct states found so far
 * @param generated successor states generated so far, duplicates included
 * @param queued states of the current level not yet expanded, plus the next level found so far
 * @param elapsed time since the start
 */
public record ExplorerProgress(int depth, long distinct, long generated, long queued, Duration elapsed) {
    /** Distinct states per second so far. */
    public double statesPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : distinct / s;
    }
}
