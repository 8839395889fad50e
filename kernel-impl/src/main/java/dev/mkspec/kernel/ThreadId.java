package dev.mkspec.kernel;

/**
 * A thread's unique ID: its number (the TCB slot) and the version of that slot. Deleting a
 * thread bumps the version, so an old ID never names the thread created later in the same slot.
 */
public record ThreadId(int number, int version) {
    /** The wildcard of an open receive: any sender. */
    public static final ThreadId ANY = new ThreadId(-1, -1);
    /** No thread. */
    public static final ThreadId NIL = new ThreadId(-2, -2);

    @Override
    public String toString() {
        return this == ANY || equals(ANY) ? "any" : equals(NIL) ? "nil" : "t" + number + "v" + version;
    }
}
