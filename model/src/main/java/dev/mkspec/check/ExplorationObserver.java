package dev.mkspec.check;

/**
 * Hears about an exploration while it runs. {@link #state} and {@link #edge} are called from the
 * worker threads, concurrently; an implementation that records them must be thread-safe.
 * {@link #progress} is called from the thread that called {@link Explorer#explore}.
 *
 * @param <S> the state type
 */
public interface ExplorationObserver<S> {
    /** A new distinct state was found at {@code depth} (1 for initial states). */
    default void state(S state, long fingerprint, int depth) {
    }

    /** A transition: {@code from} steps to {@code to} by {@code action}; reported for every edge. */
    default void edge(long fromFingerprint, Action action, long toFingerprint) {
    }

    /** Periodic progress. */
    default void progress(ExplorerProgress progress) {
    }

    /** Whether {@link #state} and {@link #edge} should be called at all; false saves the work. */
    default boolean wantsGraph() {
        return false;
    }

    static <S> ExplorationObserver<S> none() {
        return new ExplorationObserver<>() {
        };
    }
}
