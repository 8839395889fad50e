package dev.mkspec.hw;

/**
 * The geometry of one cache.
 *
 * @param name for reports, e.g. {@code "L1D"}
 * @param sizeBytes the capacity
 * @param ways the associativity
 * @param lineBytes the line size, a power of two
 */
public record CacheConfig(String name, int sizeBytes, int ways, int lineBytes) {
    public CacheConfig {
        if (lineBytes < 4 || Integer.bitCount(lineBytes) != 1) {
            throw new IllegalArgumentException(name + ": a line of " + lineBytes + " bytes is not a power of two of at least 4");
        }
        if (ways < 1 || sizeBytes < lineBytes * ways || sizeBytes % (lineBytes * ways) != 0) {
            throw new IllegalArgumentException(name + ": " + sizeBytes + " bytes cannot be split into sets of " + ways
                    + " lines of " + lineBytes + " bytes");
        }
        int sets = sizeBytes / (lineBytes * ways);
        if (Integer.bitCount(sets) != 1) {
            throw new IllegalArgumentException(name + ": " + sets + " sets is not a power of two; adjust the size or ways");
        }
    }

    public int sets() {
        return sizeBytes / (lineBytes * ways);
    }
}
