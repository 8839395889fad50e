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
        // In long: a line of 2^30 bytes times 4 ways overflows an int to 0.
        long setBytes = (long) lineBytes * ways;
        if (ways < 1 || sizeBytes < setBytes || sizeBytes % setBytes != 0) {
            throw new IllegalArgumentException(name + ": " + sizeBytes + " bytes cannot be split into sets of " + ways
                    + " lines of " + lineBytes + " bytes");
        }
        long sets = sizeBytes / setBytes;
        if (Long.bitCount(sets) != 1) {
            throw new IllegalArgumentException(name + ": " + sets + " sets is not a power of two; adjust the size or ways");
        }
    }

    public int sets() {
        return sizeBytes / (lineBytes * ways);
    }
}
