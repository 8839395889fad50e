package dev.mkspec.model.tlb;

import dev.mkspec.check.StateCodec;
import dev.mkspec.model.tlb.TlbState.Shootdown;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The TLB model's states in a few bytes: every array as variable-length ints (the TLBs as
 * variable-length bit sets), then the shootdown in progress, if any, with its two flags in one
 * byte. The array sizes are the model's, so they are not written; the hash is recomputed by the
 * state's constructor.
 */
final class TlbStateCodec implements StateCodec<TlbState> {
    private final int cpus;
    private final int spaces;
    private final int pages;
    private final int frames;

    TlbStateCodec(int cpus, int spaces, int pages, int frames) {
        this.cpus = cpus;
        this.spaces = spaces;
        this.pages = pages;
        this.frames = frames;
    }

    @Override
    public void write(TlbState s, DataOutput out) throws IOException {
        if (s.pt.length != spaces * pages || s.owner.length != frames || s.tlb.length != cpus
                || s.running.length != cpus || s.active.length != cpus || s.asid.length != spaces
                || s.mayCache.length != spaces) {
            throw new IllegalArgumentException("a state of other sizes than the model's: " + s);
        }
        writeAll(out, s.pt);
        writeAll(out, s.owner);
        for (int c = 0; c < cpus; c++) {
            StateCodec.writeVarLong(out, s.tlb[c]);
            StateCodec.writeVarInt(out, s.running[c]);
            StateCodec.writeVarInt(out, s.active[c]);
        }
        for (int sp = 0; sp < spaces; sp++) {
            StateCodec.writeVarInt(out, s.asid[sp]);
            StateCodec.writeVarInt(out, s.mayCache[sp]);
        }
        Shootdown sd = s.shootdown;
        if (sd == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(1 | (sd.unmap() ? 2 : 0) | (sd.delete() ? 4 : 0));
        StateCodec.writeVarInt(out, sd.initiator());
        StateCodec.writeVarInt(out, sd.space());
        StateCodec.writeVarInt(out, sd.pages());
        StateCodec.writeVarInt(out, sd.old().size());
        for (int o : sd.old()) {
            StateCodec.writeVarInt(out, o);
        }
        StateCodec.writeVarInt(out, sd.asid());
        StateCodec.writeVarInt(out, sd.waiting());
    }

    @Override
    public TlbState read(DataInput in) throws IOException {
        int[] pt = readAll(in, spaces * pages);
        int[] owner = readAll(in, frames);
        long[] tlb = new long[cpus];
        int[] running = new int[cpus];
        int[] active = new int[cpus];
        for (int c = 0; c < cpus; c++) {
            tlb[c] = StateCodec.readVarLong(in);
            running[c] = StateCodec.readVarInt(in);
            active[c] = StateCodec.readVarInt(in);
        }
        int[] asid = new int[spaces];
        int[] mayCache = new int[spaces];
        for (int sp = 0; sp < spaces; sp++) {
            asid[sp] = StateCodec.readVarInt(in);
            mayCache[sp] = StateCodec.readVarInt(in);
        }
        int tag = in.readUnsignedByte();
        Shootdown sd = null;
        if (tag > 7 || (tag != 0 && (tag & 1) == 0)) {
            throw new IOException("not a shootdown's tag: " + tag);
        }
        if (tag != 0) {
            int initiator = StateCodec.readVarInt(in);
            int space = StateCodec.readVarInt(in);
            int pageSet = StateCodec.readVarInt(in);
            int size = StateCodec.readVarInt(in);
            if (size < 0) {
                throw new IOException("a negative length: " + size);
            }
            List<Integer> old = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                old.add(StateCodec.readVarInt(in));
            }
            int tagAsid = StateCodec.readVarInt(in);
            int waiting = StateCodec.readVarInt(in);
            sd = new Shootdown(initiator, space, pageSet, old, tagAsid, (tag & 2) != 0, (tag & 4) != 0, waiting);
        }
        return new TlbState(pt, owner, tlb, running, active, asid, mayCache, sd);
    }

    private static void writeAll(DataOutput out, int[] a) throws IOException {
        for (int x : a) {
            StateCodec.writeVarInt(out, x);
        }
    }

    private static int[] readAll(DataInput in, int length) throws IOException {
        int[] a = new int[length];
        for (int i = 0; i < length; i++) {
            a[i] = StateCodec.readVarInt(in);
        }
        return a;
    }
}
