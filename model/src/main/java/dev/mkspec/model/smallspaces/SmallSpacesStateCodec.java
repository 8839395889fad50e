package dev.mkspec.model.smallspaces;

import dev.mkspec.check.StateCodec;
import dev.mkspec.model.smallspaces.SmallSpacesState.Mutable;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The small-space model's states in a few bytes: every variable, the ghost access included, as
 * variable-length ints. The array sizes are the model's, so they are not written; the hash is
 * recomputed by the state's constructor.
 */
final class SmallSpacesStateCodec implements StateCodec<SmallSpacesState> {
    private final int spaces;
    private final int cpus;
    private final int linear;

    SmallSpacesStateCodec(int spaces, int cpus, int linear) {
        this.spaces = spaces;
        this.cpus = cpus;
        this.linear = linear;
    }

    @Override
    public void write(SmallSpacesState s, DataOutput out) throws IOException {
        if (s.mapped.length != spaces || s.cur.length != cpus || s.cr3.length != cpus || s.segBase.length != cpus
                || s.segLimit.length != cpus || s.tlb.length != cpus) {
            throw new IllegalArgumentException("a state of other sizes than the model's");
        }
        for (int m : s.mapped) {
            StateCodec.writeVarInt(out, m);
        }
        for (int c = 0; c < cpus; c++) {
            StateCodec.writeVarInt(out, s.cur[c]);
            StateCodec.writeVarInt(out, s.cr3[c]);
            StateCodec.writeVarInt(out, s.segBase[c]);
            StateCodec.writeVarInt(out, s.segLimit[c]);
            if (s.tlb[c].length != linear) {
                throw new IllegalArgumentException("a TLB of " + s.tlb[c].length + " linear pages, not " + linear);
            }
            for (int f : s.tlb[c]) {
                StateCodec.writeVarInt(out, f);
            }
        }
        StateCodec.writeVarInt(out, s.accCpu);
        StateCodec.writeVarInt(out, s.accSpace);
        StateCodec.writeVarInt(out, s.accPage);
        StateCodec.writeVarInt(out, s.accLin);
        StateCodec.writeVarInt(out, s.accGot);
    }

    @Override
    public SmallSpacesState read(DataInput in) throws IOException {
        Mutable m = new Mutable();
        m.mapped = new int[spaces];
        for (int sp = 0; sp < spaces; sp++) {
            m.mapped[sp] = StateCodec.readVarInt(in);
        }
        m.cur = new int[cpus];
        m.cr3 = new int[cpus];
        m.segBase = new int[cpus];
        m.segLimit = new int[cpus];
        m.tlb = new int[cpus][linear];
        for (int c = 0; c < cpus; c++) {
            m.cur[c] = StateCodec.readVarInt(in);
            m.cr3[c] = StateCodec.readVarInt(in);
            m.segBase[c] = StateCodec.readVarInt(in);
            m.segLimit[c] = StateCodec.readVarInt(in);
            for (int l = 0; l < linear; l++) {
                m.tlb[c][l] = StateCodec.readVarInt(in);
            }
        }
        m.accCpu = StateCodec.readVarInt(in);
        m.accSpace = StateCodec.readVarInt(in);
        m.accPage = StateCodec.readVarInt(in);
        m.accLin = StateCodec.readVarInt(in);
        m.accGot = StateCodec.readVarInt(in);
        return m.freeze();
    }
}
