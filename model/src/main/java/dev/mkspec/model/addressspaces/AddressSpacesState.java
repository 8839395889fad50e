package dev.mkspec.model.addressspaces;

import java.util.Arrays;

/**
 * One state of the address-space model: which spaces exist, what every page of every space maps,
 * and the mapping database. Immutable; equal states are {@code equals}.
 *
 * <p>Nodes are numbered {@code space * pages + page}, Sigma0 being space 0. A page's entry is -1
 * for NoMapping, or {@code frame << 3 | rights} with rights as bits (r = 1, w = 2, x = 4). The
 * database is a set of {@code <<child, parent>>} pairs, kept as a bit matrix indexed
 * {@code child * nodes + parent}.
 */
public final class AddressSpacesState {
    static final int NONE = -1;

    final int live;
    final int[] map;
    final long[] edges;
    private final int hash;

    AddressSpacesState(int live, int[] map, long[] edges) {
        this.live = live;
        this.map = map;
        this.edges = edges;
        this.hash = 31 * (31 * live + Arrays.hashCode(map)) + Arrays.hashCode(edges);
    }

    /**
     * A state built from outside the model (an abstraction function's image), in the encoding
     * above: {@code live} a bit per space, {@code map[space * pages + page]} -1 or
     * {@code frame << 3 | rights}, {@code edges} the {@code <<child, parent>>} bit matrix. The
     * arrays are copied.
     */
    public static AddressSpacesState of(int live, int[] map, long[] edges) {
        if (edges.length != ((long) map.length * map.length + 63) / 64) {
            throw new IllegalArgumentException("edges must hold " + map.length + "^2 bits, not " + edges.length * 64);
        }
        return new AddressSpacesState(live, map.clone(), edges.clone());
    }

    /** Whether space {@code s} exists (0 is Sigma0). */
    public boolean isLive(int s) {
        return (live & (1 << s)) != 0;
    }

    /** Whether node {@code n} maps a frame. */
    public boolean mapped(int n) {
        return map[n] != NONE;
    }

    /** The frame node {@code n} maps; it must be mapped. */
    public int frame(int n) {
        return map[n] >> 3;
    }

    /** The rights of node {@code n} as bits; it must be mapped. */
    public int rights(int n) {
        return map[n] & 7;
    }

    /** Whether {@code <<child, parent>>} is in the database. */
    public boolean hasEdge(int child, int parent) {
        int i = child * map.length + parent;
        return (edges[i >> 6] & (1L << (i & 63))) != 0;
    }

    /** The number of nodes: spaces times pages. */
    public int nodes() {
        return map.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressSpacesState s && s.hash == hash && s.live == live && Arrays.equals(s.map, map)
                && Arrays.equals(s.edges, edges);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "AddressSpacesState[live=" + Integer.toBinaryString(live) + ", map=" + Arrays.toString(map) + "]";
    }
}
