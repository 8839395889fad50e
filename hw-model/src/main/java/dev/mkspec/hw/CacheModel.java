package dev.mkspec.hw;

import java.util.Locale;

/**
 * A what-if switch over a profile's first-level caches, so that a reviewer can see how much of a
 * simulated total is cache behaviour and how much of that is placement. Only the geometry or the
 * miss price changes; every other primitive stays the profile's.
 */
public enum CacheModel {
    /** The caches the profile declares. */
    AS_PROFILE("as-profile", "the profile's caches"),
    /** The same capacity and lines, fully associative: only cold and capacity misses remain, no conflicts. */
    FULL("full", "fully associative caches of the same size (no conflict misses)"),
    /** The same capacity and lines, direct-mapped: every conflict a placement causes is taken. */
    DIRECT("direct", "direct-mapped caches of the same size"),
    /** Every access hits: a line fill costs nothing, page-walk reads included. */
    IDEAL("ideal", "caches that never miss"),
    /**
     * The profile's caches, emptied with the TLBs before the measured run (after the warm-up):
     * the most a cold start can add, every line and translation the run touches missed once.
     */
    COLD("cold", "the profile's caches and TLBs emptied before the measured run");

    private final String key;
    private final String description;

    CacheModel(String key, String description) {
        this.key = key;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    /** {@code profile} under this model. */
    public CpuProfile apply(CpuProfile profile) {
        return switch (this) {
            case AS_PROFILE -> profile;
            case FULL -> profile.withCaches(c -> c == null ? null
                    : new CacheConfig(c.name(), c.sizeBytes(), c.sizeBytes() / c.lineBytes(), c.lineBytes()));
            case DIRECT -> profile.withCaches(c -> c == null ? null : new CacheConfig(c.name(), c.sizeBytes(), 1, c.lineBytes()));
            case IDEAL -> profile.with(Primitive.CACHE_MISS, 0);
            case COLD -> profile.measuredCold();
        };
    }

    /** The model called {@code key}. @throws IllegalArgumentException listing the keys */
    public static CacheModel byKey(String key) {
        for (CacheModel m : values()) {
            if (m.key.equals(key.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("no cache model '" + key + "'; use as-profile, full, direct, ideal or cold");
    }
}
