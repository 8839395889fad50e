package dev.mkspec.hw;

/**
 * A physically indexed, physically tagged, set-associative cache with LRU replacement and write
 * allocation: the simple model a cost profile needs to turn the addresses a kernel touches into
 * hits and misses. It holds tags only, never data (memory is always current), so it never needs
 * flushing on an address-space switch, just as an x86 L1 does not.
 *
 * <p>Contract: {@link #access} returns whether the line of {@code paddr} was present, and makes it
 * present and most recently used. Cost: one access is O(ways). Allocates nothing after
 * construction. Not thread-safe: one per simulated CPU.
 */
public final class Cache {
    private final CacheConfig config;
    private final int lineShift;
    private final int setMask;
    private final long[] tags;
    private final long[] stamps;
    private long clock;
    private long hits;
    private long misses;

    public Cache(CacheConfig config) {
        this.config = config;
        this.lineShift = Integer.numberOfTrailingZeros(config.lineBytes());
        this.setMask = config.sets() - 1;
        this.tags = new long[config.sets() * config.ways()];
        this.stamps = new long[tags.length];
        java.util.Arrays.fill(tags, -1);
    }

    public CacheConfig config() {
        return config;
    }

    /**
     * Reads or writes the line holding {@code paddr}.
     *
     * @return true on a hit; on a miss the least recently used line of the set is replaced
     */
    public boolean access(long paddr) {
        long line = paddr >>> lineShift;
        int base = (int) (line & setMask) * config.ways();
        clock++;
        int victim = base;
        for (int w = base; w < base + config.ways(); w++) {
            if (tags[w] == line) {
                stamps[w] = clock;
                hits++;
                return true;
            }
            if (stamps[w] < stamps[victim]) {
                victim = w;
            }
        }
        tags[victim] = line;
        stamps[victim] = clock;
        misses++;
        return false;
    }

    /** Whether the line holding {@code paddr} is present, without touching it. */
    public boolean holds(long paddr) {
        long line = paddr >>> lineShift;
        int base = (int) (line & setMask) * config.ways();
        for (int w = base; w < base + config.ways(); w++) {
            if (tags[w] == line) {
                return true;
            }
        }
        return false;
    }

    /** Empties the cache (WBINVD), and keeps the counters. */
    public void invalidateAll() {
        java.util.Arrays.fill(tags, -1);
        java.util.Arrays.fill(stamps, 0);
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }
}
