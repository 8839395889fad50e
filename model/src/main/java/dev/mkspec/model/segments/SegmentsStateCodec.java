package dev.mkspec.model.segments;

import dev.mkspec.check.StateCodec;
import dev.mkspec.model.segments.SegmentsState.Mutable;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The segment-table model's states in a few bytes: every variable as variable-length ints (the
 * bit sets of TLBs and revoked entries as variable-length longs), the stacks, saved registers and
 * ring with their lengths. The fixed array sizes are the model's, so they are not written; the
 * hash is recomputed by the state's constructor.
 */
final class SegmentsStateCodec implements StateCodec<SegmentsState> {
    private final int slots;
    private final int entries;
    private final int threads;
    private final int regs;
    private final int domains;

    SegmentsStateCodec(int slots, int entries, int threads, int regs, int domains) {
        this.slots = slots;
        this.entries = entries;
        this.threads = threads;
        this.regs = regs;
        this.domains = domains;
    }

    @Override
    public void write(SegmentsState s, DataOutput out) throws IOException {
        if (s.gstSeg.length != slots || s.gstOwner.length != slots || s.vstSlot.length != entries
                || s.vstRights.length != entries || s.parent.length != entries || s.grantor.length != entries
                || s.dom.length != threads || s.reg.length != threads * regs || s.stack.length != threads
                || s.tlb.length != threads || s.spent.length != threads || s.mem.length != domains) {
            throw new IllegalArgumentException("a state of other sizes than the model's");
        }
        for (int i = 0; i < slots; i++) {
            StateCodec.writeVarInt(out, s.gstSeg[i]);
            StateCodec.writeVarInt(out, s.gstOwner[i]);
        }
        StateCodec.writeVarInt(out, s.nextSeg);
        for (int e = 0; e < entries; e++) {
            StateCodec.writeVarInt(out, s.vstSlot[e]);
            StateCodec.writeVarInt(out, s.vstRights[e]);
            StateCodec.writeVarInt(out, s.parent[e]);
            StateCodec.writeVarInt(out, s.grantor[e]);
        }
        for (int t = 0; t < threads; t++) {
            StateCodec.writeVarInt(out, s.dom[t]);
            StateCodec.writeVarInt(out, s.spent[t]);
            StateCodec.writeVarLong(out, s.tlb[t]);
            for (int r = 0; r < regs; r++) {
                StateCodec.writeVarInt(out, s.reg[t * regs + r]);
            }
            StateCodec.writeVarInts(out, s.stack[t]);
        }
        StateCodec.writeVarInt(out, s.revBy);
        StateCodec.writeVarLong(out, s.revGone);
        StateCodec.writeVarInt(out, s.revSlot);
        StateCodec.writeVarInt(out, s.revPending);
        for (int d = 0; d < domains; d++) {
            StateCodec.writeVarInts(out, s.mem[d]);
        }
        StateCodec.writeVarInts(out, s.ring);
        StateCodec.writeVarInt(out, s.issued);
        StateCodec.writeVarInt(out, s.served);
        out.writeBoolean(s.flag);
        StateCodec.writeVarInt(out, s.srv);
    }

    @Override
    public SegmentsState read(DataInput in) throws IOException {
        Mutable m = new Mutable();
        m.gstSeg = new int[slots];
        m.gstOwner = new int[slots];
        for (int i = 0; i < slots; i++) {
            m.gstSeg[i] = StateCodec.readVarInt(in);
            m.gstOwner[i] = StateCodec.readVarInt(in);
        }
        m.nextSeg = StateCodec.readVarInt(in);
        m.vstSlot = new int[entries];
        m.vstRights = new int[entries];
        m.parent = new int[entries];
        m.grantor = new int[entries];
        for (int e = 0; e < entries; e++) {
            m.vstSlot[e] = StateCodec.readVarInt(in);
            m.vstRights[e] = StateCodec.readVarInt(in);
            m.parent[e] = StateCodec.readVarInt(in);
            m.grantor[e] = StateCodec.readVarInt(in);
        }
        m.dom = new int[threads];
        m.spent = new int[threads];
        m.tlb = new long[threads];
        m.reg = new int[threads * regs];
        m.stack = new int[threads][];
        for (int t = 0; t < threads; t++) {
            m.dom[t] = StateCodec.readVarInt(in);
            m.spent[t] = StateCodec.readVarInt(in);
            m.tlb[t] = StateCodec.readVarLong(in);
            for (int r = 0; r < regs; r++) {
                m.reg[t * regs + r] = StateCodec.readVarInt(in);
            }
            m.stack[t] = StateCodec.readVarInts(in);
        }
        m.revBy = StateCodec.readVarInt(in);
        m.revGone = StateCodec.readVarLong(in);
        m.revSlot = StateCodec.readVarInt(in);
        m.revPending = StateCodec.readVarInt(in);
        m.mem = new int[domains][];
        for (int d = 0; d < domains; d++) {
            m.mem[d] = StateCodec.readVarInts(in);
        }
        m.ring = StateCodec.readVarInts(in);
        m.issued = StateCodec.readVarInt(in);
        m.served = StateCodec.readVarInt(in);
        m.flag = in.readBoolean();
        m.srv = StateCodec.readVarInt(in);
        return m.freeze();
    }
}
