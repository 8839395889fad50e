package dev.mkspec.check;

/**
 * Builds a 64-bit fingerprint from a sequence of values: the explorer's stand-in for a state.
 *
 * <p>The hash is order-sensitive: feed the parts of a state in a fixed order, and the elements of
 * a set in their canonical (sorted) order, or combine element fingerprints with
 * {@link #addUnordered}. Each step mixes with the finaliser of SplitMix64, whose output passes
 * standard avalanche tests; a collision between two distinct states of a run of {@code n} states
 * has probability about {@code n^2 / 2^65}.
 *
 * <p>Not thread-safe; use one per state.
 */
public final class Fingerprint {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long h = 0x6A09E667F3BCC909L;

    /** Adds a long. */
    public Fingerprint add(long x) {
        h = Long.rotateLeft(h ^ mix(x + GOLDEN), 29) * GOLDEN + 0x632BE59BD9B4E019L;
        return this;
    }

    /** Adds an int. */
    public Fingerprint add(int x) {
        return add((long) x);
    }

    /** Adds a boolean. */
    public Fingerprint add(boolean b) {
        return add(b ? 0x5bd1e995L : 0x1b873593L);
    }

    /** Adds a string, with its length so that "ab"+"c" differs from "a"+"bc". */
    public Fingerprint add(String s) {
        add(s.length());
        for (int i = 0; i < s.length(); i++) {
            add((long) s.charAt(i));
        }
        return this;
    }

    /**
     * Adds a set of elements given by their fingerprints, in any order: the result does not depend
     * on the order. The count is added too.
     */
    public Fingerprint addUnordered(long[] elementFingerprints) {
        long sum = 0;
        long xor = 0;
        for (long e : elementFingerprints) {
            long m = mix(e);
            sum += m;
            xor ^= Long.rotateLeft(m, 17);
        }
        return add(elementFingerprints.length).add(sum).add(xor);
    }

    /** A separator between the parts of a structure, so that nesting changes the fingerprint. */
    public Fingerprint mark(int tag) {
        return add(0x7FEB352DL * (tag + 1));
    }

    /** The fingerprint. */
    public long value() {
        return mix(h);
    }

    /** SplitMix64's finaliser. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
