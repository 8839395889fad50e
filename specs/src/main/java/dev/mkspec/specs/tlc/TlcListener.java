package dev.mkspec.specs.tlc;

/** Hears about a TLC run while it goes on. Called on the thread that reads TLC's output. */
public interface TlcListener {
    /** TLC reported progress. */
    default void progress(TlcProgress progress) {
    }

    /** A line of raw output, for callers that show it (the {@code --raw} option). */
    default void rawLine(String line) {
    }

    /**
     * Something a person should hear while the run goes on, e.g. that a worker of a distributed run
     * stopped; one line.
     */
    default void notice(String message) {
    }

    /** Listens to nothing. */
    TlcListener NONE = new TlcListener() {
    };
}
