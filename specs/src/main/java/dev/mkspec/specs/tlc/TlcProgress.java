package dev.mkspec.specs.tlc;

/**
 * A progress report from a running TLC: TLC prints one when it starts the search and then about
 * once a minute. Counts TLC does not know (as in simulation) are -1.
 *
 * @param depth the current search depth
 * @param generated states generated so far
 * @param distinct distinct states found so far
 * @param queued states left on the queue
 * @param phase what TLC is doing, e.g. "model checking" or "checking temporal properties"
 */
public record TlcProgress(long depth, long generated, long distinct, long queued, String phase) {
}
