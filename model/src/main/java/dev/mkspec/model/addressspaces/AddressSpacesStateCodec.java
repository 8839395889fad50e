package dev.mkspec.model.addressspaces;

import dev.mkspec.check.StateCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The address-space model's states in a few bytes: the live spaces and every node's mapping as
 * variable-length ints, and the mapping database as the gaps between its set bits. The array sizes
 * are the model's, so they are not written; the hash is recomputed by the state's constructor.
 */
final class AddressSpacesStateCodec implements StateCodec<AddressSpacesState> {
    private final int nodes;
    private final int words;

    AddressSpacesStateCodec(int nodes) {
        this.nodes = nodes;
        this.words = (nodes * nodes + 63) / 64;
    }

    @Override
    public void write(AddressSpacesState s, DataOutput out) throws IOException {
        if (s.map.length != nodes || s.edges.length != words) {
            throw new IllegalArgumentException("a state of " + s.map.length + " nodes, not " + nodes);
        }
        StateCodec.writeVarInt(out, s.live);
        for (int m : s.map) {
            StateCodec.writeVarInt(out, m);
        }
        int count = 0;
        for (long w : s.edges) {
            count += Long.bitCount(w);
        }
        StateCodec.writeVarInt(out, count);
        int previous = -1;
        for (int i = 0; i < s.edges.length; i++) {
            for (long w = s.edges[i]; w != 0; w &= w - 1) {
                int bit = i * 64 + Long.numberOfTrailingZeros(w);
                StateCodec.writeVarInt(out, bit - previous - 1);
                previous = bit;
            }
        }
    }

    @Override
    public AddressSpacesState read(DataInput in) throws IOException {
        int live = StateCodec.readVarInt(in);
        int[] map = new int[nodes];
        for (int n = 0; n < nodes; n++) {
            map[n] = StateCodec.readVarInt(in);
        }
        long[] edges = new long[words];
        int count = StateCodec.readVarInt(in);
        int bit = -1;
        for (int e = 0; e < count; e++) {
            bit += StateCodec.readVarInt(in) + 1;
            if (bit < 0 || bit >= words * 64) {
                throw new IOException("an edge outside the " + nodes + "-node database: bit " + bit);
            }
            edges[bit >> 6] |= 1L << (bit & 63);
        }
        return new AddressSpacesState(live, map, edges);
    }
}
