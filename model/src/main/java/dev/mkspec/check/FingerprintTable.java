package dev.mkspec.check;

/**
 * The set of visited fingerprints, each with the fingerprint of the state it was first reached
 * from. Open addressing with linear probing over two parallel {@code long} arrays: 16 bytes per
 * state and no objects.
 *
 * <p>The table is split into shards by fingerprint. During a search level, shards are read by
 * every worker and written by none; then each shard is written by exactly one worker. That
 * discipline, not locking, makes it safe; the explorer's level barrier publishes the writes.
 */
final class FingerprintTable {
    /** The key that marks an empty slot; fingerprints are remapped so that none equals it. */
    static final long EMPTY = 0L;
    /** The parent of an initial state. */
    static final long NO_PARENT = 0L;

    private final Shard[] shards;
    private final int shardMask;

    FingerprintTable(int shardCount) {
        if (Integer.bitCount(shardCount) != 1) {
            throw new IllegalArgumentException("the shard count must be a power of two");
        }
        shards = new Shard[shardCount];
        for (int i = 0; i < shardCount; i++) {
            shards[i] = new Shard();
        }
        shardMask = shardCount - 1;
    }

    /** A fingerprint as the table stores it: never {@link #EMPTY}. */
    static long normalize(long fp) {
        return fp == EMPTY ? 0x5DEECE66DL : fp;
    }

    int shardOf(long fp) {
        return (int) (Fingerprint.mix(fp) >>> 40) & shardMask;
    }

    int shardCount() {
        return shards.length;
    }

    boolean contains(long fp) {
        return shards[shardOf(fp)].contains(fp);
    }

    /** Adds {@code fp} if absent; only the worker that owns its shard may call this. */
    boolean insert(long fp, long parent) {
        return shards[shardOf(fp)].insert(fp, parent);
    }

    /** The parent recorded for {@code fp}; {@link #NO_PARENT} for an initial state. */
    long parentOf(long fp) {
        return shards[shardOf(fp)].parentOf(fp);
    }

    long size() {
        long n = 0;
        for (Shard s : shards) {
            n += s.size;
        }
        return n;
    }

    /** Bytes held by the arrays, for the memory report. */
    long bytes() {
        long n = 0;
        for (Shard s : shards) {
            n += 16L * s.keys.length;
        }
        return n;
    }

    private static final class Shard {
        long[] keys = new long[1024];
        long[] parents = new long[1024];
        int size;

        private int slot(long fp, long[] k) {
            int mask = k.length - 1;
            int i = (int) Fingerprint.mix(fp) & mask;
            while (k[i] != EMPTY && k[i] != fp) {
                i = (i + 1) & mask;
            }
            return i;
        }

        boolean contains(long fp) {
            return keys[slot(fp, keys)] == fp;
        }

        long parentOf(long fp) {
            int i = slot(fp, keys);
            if (keys[i] != fp) {
                throw new IllegalStateException("fingerprint " + fp + " was never visited");
            }
            return parents[i];
        }

        boolean insert(long fp, long parent) {
            int i = slot(fp, keys);
            if (keys[i] == fp) {
                return false;
            }
            keys[i] = fp;
            parents[i] = parent;
            size++;
            if (size * 10L > keys.length * 6L) {
                grow();
            }
            return true;
        }

        private void grow() {
            long[] k = new long[keys.length * 2];
            long[] p = new long[keys.length * 2];
            for (int j = 0; j < keys.length; j++) {
                if (keys[j] != EMPTY) {
                    int i = slot(keys[j], k);
                    k[i] = keys[j];
                    p[i] = parents[j];
                }
            }
            keys = k;
            parents = p;
        }
    }
}
