package dev.mkspec.specs.tlc;

/** Hears about a TLC run while it goes on. Called on the thread that reads TLC's output. */
public interface TlcListener {
    /** TLC reported progress. */
    default void progress(TlcProgress progress) {
    }

    /** A line of raw output, for callers that show it (the {@code --raw} option). */
    default void rawLine(String line) {
    }

    /** Listens to nothing. */
    TlcListener NONE = new TlcListener() {
    };
}
