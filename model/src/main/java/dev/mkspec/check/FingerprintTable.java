package dev.mkspec.check;

import java.util.Arrays;

/**
 * The set of visited fingerprints, at 8 bytes per state: each shard keeps its fingerprints in one
 * sorted {@code long} array of exactly its size, and finds one by interpolation search (the
 * fingerprints are hashes, so they are spread evenly and a search takes a few probes, with binary
 * search as the fallback). The parents the counterexamples need are not here: the explorer writes
 * them to a {@link ParentLog} on disk.
 *
 * <p>A search level adds to the table in two steps. While the level is inserted, each shard
 * collects its new fingerprints in a small hash set of that level's alone ({@link #add}); then
 * {@link #commit} sorts them and merges them into the shard's array. The extra memory is the new
 * level's fingerprints and, for a moment, a second copy of the shard each worker is merging (a
 * 64th of the table per worker). Each level copies the shards it adds to, so a search copies
 * about (states x levels) fingerprints in all: cheap next to computing the states, but a model
 * with a long, thin tail of levels pays it at every level.
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

    /** Whether {@code fp} is in the table (committed or added in this level). */
    boolean contains(long fp) {
        Shard s = shards[shardOf(fp)];
        return s.committed(fp) || s.pending != null && s.pending.contains(fp);
    }

    /**
     * Adds {@code fp} if absent, until the next {@link #commit}; only the worker that owns its
     * shard may call this.
     */
    boolean add(long fp) {
        Shard s = shards[shardOf(fp)];
        if (s.committed(fp)) {
            return false;
        }
        if (s.pending == null) {
            s.pending = new PendingSet();
        }
        return s.pending.add(fp);
    }

    /** Merges the fingerprints added since the last commit into the sorted arrays of the shards {@code worker} owns. */
    void commit(int worker, int workers) {
        for (int i = worker; i < shards.length; i += workers) {
            shards[i].commit();
        }
    }

    /**
     * Fingerprints in the table. Progress reports call this while workers commit, so each shard's
     * fields are read once (a commit replaces them, it never leaves them half-changed).
     */
    long size() {
        long n = 0;
        for (Shard s : shards) {
            PendingSet p = s.pending;
            n += s.keys.length + (p == null ? 0 : p.size);
        }
        return n;
    }

    /** Bytes held by the arrays, for the memory report: 8 per committed fingerprint, and the level being added. */
    long bytes() {
        long n = 0;
        for (Shard s : shards) {
            PendingSet p = s.pending;
            n += 8L * s.keys.length + (p == null ? 0 : 8L * p.slots.length);
        }
        return n;
    }

    private static final class Shard {
        long[] keys = new long[0];
        PendingSet pending;

        boolean committed(long fp) {
            return indexOf(keys, fp) >= 0;
        }

        void commit() {
            if (pending == null || pending.size == 0) {
                pending = null;
                return;
            }
            long[] add = pending.toSortedArray();
            long[] merged = new long[keys.length + add.length];
            int i = 0;
            int j = 0;
            int k = 0;
            while (i < keys.length && j < add.length) {
                merged[k++] = keys[i] < add[j] ? keys[i++] : add[j++];
            }
            while (i < keys.length) {
                merged[k++] = keys[i++];
            }
            while (j < add.length) {
                merged[k++] = add[j++];
            }
            keys = merged;
            // only now: a run stopped by an OutOfMemoryError above still counts the level's states
            pending = null;
        }
    }

    /**
     * The index of {@code key} in the sorted array {@code a}, or -1. Interpolation search while it
     * narrows the range quickly (evenly spread keys), binary search after a few probes or once the
     * range is small, so that keys that are not spread evenly cost no more than a binary search.
     */
    static int indexOf(long[] a, long key) {
        int lo = 0;
        int hi = a.length - 1;
        int probes = 0;
        while (lo <= hi) {
            if (key < a[lo] || key > a[hi]) {
                return -1;
            }
            int mid;
            if (probes < 4 && hi - lo > 16 && a[hi] != a[lo]) {
                double f = ((double) key - (double) a[lo]) / ((double) a[hi] - (double) a[lo]);
                mid = lo + (int) (f * (hi - lo));
                mid = Math.max(lo, Math.min(hi, mid));
                probes++;
            } else {
                mid = (lo + hi) >>> 1;
            }
            long v = a[mid];
            if (v == key) {
                return mid;
            }
            if (v < key) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    /** The fingerprints one shard gains in one level: open addressing with linear probing. */
    private static final class PendingSet {
        long[] slots = new long[64];
        int size;

        private int slot(long fp, long[] s) {
            int mask = s.length - 1;
            int i = (int) Fingerprint.mix(fp) & mask;
            while (s[i] != EMPTY && s[i] != fp) {
                i = (i + 1) & mask;
            }
            return i;
        }

        boolean contains(long fp) {
            return slots[slot(fp, slots)] == fp;
        }

        boolean add(long fp) {
            int i = slot(fp, slots);
            if (slots[i] == fp) {
                return false;
            }
            slots[i] = fp;
            if (++size * 10L > slots.length * 6L) {
                long[] bigger = new long[slots.length * 2];
                for (long x : slots) {
                    if (x != EMPTY) {
                        bigger[slot(x, bigger)] = x;
                    }
                }
                slots = bigger;
            }
            return true;
        }

        long[] toSortedArray() {
            long[] out = new long[size];
            int n = 0;
            for (long x : slots) {
                if (x != EMPTY) {
                    out[n++] = x;
                }
            }
            Arrays.sort(out);
            return out;
        }
    }
}
