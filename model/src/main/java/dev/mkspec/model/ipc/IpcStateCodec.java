package dev.mkspec.model.ipc;

import dev.mkspec.check.StateCodec;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import dev.mkspec.model.ipc.IpcState.Got;
import dev.mkspec.model.ipc.IpcState.Kind;
import dev.mkspec.model.ipc.IpcState.Th;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The IPC model's states in a few bytes: the address spaces by their own codec, then each thread's
 * variables and the batching ring as variable-length ints, with a thread's kind, call flag and
 * registers' presence in one byte. A thread state equal to {@link Th#READY}, {@link Th#DEAD} or
 * {@link Th#WAITING} is read back as that instance; the hash is recomputed by the state's constructor.
 */
final class IpcStateCodec implements StateCodec<IpcState> {
    private static final Kind[] KINDS = Kind.values();
    private static final int FLAG = 1 << 3;
    private static final int CANONICAL = 1 << 4;
    private static final int MR_SHIFT = 5;

    private final StateCodec<AddressSpacesState> spaces;
    private final int n;

    IpcStateCodec(StateCodec<AddressSpacesState> spaces, int threads) {
        this.spaces = spaces;
        this.n = threads;
    }

    /** The shared instance of a thread state of this kind without fields, or null. */
    private static Th canonical(Kind kind) {
        return switch (kind) {
            case READY -> Th.READY;
            case DEAD -> Th.DEAD;
            case WAIT -> Th.WAITING;
            default -> null;
        };
    }

    @Override
    public void write(IpcState s, DataOutput out) throws IOException {
        if (s.st.length != n) {
            throw new IllegalArgumentException("a state of " + s.st.length + " threads, not " + n);
        }
        spaces.write(s.as, out);
        for (int t = 0; t < n; t++) {
            Th th = s.st[t];
            Got g = s.mr[t];
            boolean canonical = th.equals(canonical(th.kind()));
            int header = th.kind().ordinal() | (th.flag() ? FLAG : 0) | (canonical ? CANONICAL : 0)
                    | (g == null ? 0 : g.reply() ? 2 : 1) << MR_SHIFT;
            out.writeByte(header);
            StateCodec.writeVarInt(out, s.home[t]);
            StateCodec.writeVarInt(out, s.ver[t]);
            if (!canonical) {
                StateCodec.writeVarInt(out, th.peer());
                StateCodec.writeVarInt(out, th.msg());
                StateCodec.writeVarInt(out, th.win());
                StateCodec.writeVarInt(out, th.tmo());
            }
            StateCodec.writeVarInts(out, s.queue[t]);
            StateCodec.writeVarLong(out, s.callers[t]);
            if (g != null) {
                StateCodec.writeVarInt(out, g.from());
                StateCodec.writeVarInt(out, g.sender());
                StateCodec.writeVarInt(out, g.to());
                StateCodec.writeVarInt(out, g.word());
                StateCodec.writeVarInt(out, g.item());
                StateCodec.writeVarInt(out, g.asked());
                StateCodec.writeVarInt(out, g.win());
            }
            StateCodec.writeVarInt(out, s.res[t]);
            StateCodec.writeVarInt(out, s.calledOf[t]);
            StateCodec.writeVarInt(out, s.note[t]);
            StateCodec.writeVarInt(out, s.owed[t]);
            StateCodec.writeVarInt(out, s.got[t]);
        }
        StateCodec.writeVarInt(out, s.delivered);
        StateCodec.writeVarLong(out, s.deleted);
        StateCodec.writeVarInts(out, s.ring);
        StateCodec.writeVarInt(out, s.issued);
        StateCodec.writeVarInts(out, s.served);
        StateCodec.writeVarInt(out, s.bell);
    }

    @Override
    public IpcState read(DataInput in) throws IOException {
        AddressSpacesState as = spaces.read(in);
        int[] home = new int[n];
        int[] ver = new int[n];
        Th[] st = new Th[n];
        int[][] queue = new int[n][];
        long[] callers = new long[n];
        Got[] mr = new Got[n];
        int[] res = new int[n];
        int[] calledOf = new int[n];
        int[] note = new int[n];
        int[] owed = new int[n];
        int[] got = new int[n];
        for (int t = 0; t < n; t++) {
            int header = in.readUnsignedByte();
            if ((header & 7) >= KINDS.length || header >> MR_SHIFT > 2) {
                throw new IOException("not a thread's header: " + header);
            }
            Kind kind = KINDS[header & 7];
            home[t] = StateCodec.readVarInt(in);
            ver[t] = StateCodec.readVarInt(in);
            if ((header & CANONICAL) != 0) {
                st[t] = canonical(kind);
                if (st[t] == null) {
                    throw new IOException("no shared thread state of kind " + kind);
                }
            } else {
                int peer = StateCodec.readVarInt(in);
                int msg = StateCodec.readVarInt(in);
                int win = StateCodec.readVarInt(in);
                int tmo = StateCodec.readVarInt(in);
                st[t] = new Th(kind, peer, msg, (header & FLAG) != 0, win, tmo);
            }
            queue[t] = StateCodec.readVarInts(in);
            callers[t] = StateCodec.readVarLong(in);
            int registers = header >> MR_SHIFT;
            if (registers != 0) {
                int from = StateCodec.readVarInt(in);
                int sender = StateCodec.readVarInt(in);
                int to = StateCodec.readVarInt(in);
                int word = StateCodec.readVarInt(in);
                int item = StateCodec.readVarInt(in);
                int asked = StateCodec.readVarInt(in);
                int win = StateCodec.readVarInt(in);
                mr[t] = new Got(from, sender, to, word, item, registers == 2, asked, win);
            }
            res[t] = StateCodec.readVarInt(in);
            calledOf[t] = StateCodec.readVarInt(in);
            note[t] = StateCodec.readVarInt(in);
            owed[t] = StateCodec.readVarInt(in);
            got[t] = StateCodec.readVarInt(in);
        }
        int delivered = StateCodec.readVarInt(in);
        long deleted = StateCodec.readVarLong(in);
        int[] ring = StateCodec.readVarInts(in);
        int issued = StateCodec.readVarInt(in);
        int[] served = StateCodec.readVarInts(in);
        int bell = StateCodec.readVarInt(in);
        return new IpcState(as, home, ver, st, queue, callers, mr, res, delivered, calledOf, deleted, note, owed, got,
                ring, issued, served, bell);
    }
}
