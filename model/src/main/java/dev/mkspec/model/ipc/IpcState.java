package dev.mkspec.model.ipc;

import dev.mkspec.model.addressspaces.AddressSpacesState;
import java.util.Arrays;

/**
 * A state of the IPC model, variable for variable as in {@code Ipc.tla}. Immutable: the arrays
 * are never changed after construction (successors are built with {@link Edit}).
 *
 * <p>Encodings: a thread ID is {@code slot * versions + version}; {@link #ANY} is the open
 * receive's {@code Any} and {@link #NONE} a missing ID, window or message. A message is
 * {@code wordIndex * items + itemIndex}, item 0 being {@code NoItem}. Timeouts are 0 (zero),
 * 1 (finite) and 2 (inf). Results are the indices of {@link #RESULTS}.
 */
public final class IpcState {
    public static final int NONE = -1;
    public static final int ANY = -2;
    public static final String[] RESULTS = {"none", "ok", "timeout", "nopartner", "aborted"};
    public static final int R_NONE = 0;
    public static final int R_OK = 1;
    public static final int R_TIMEOUT = 2;
    public static final int R_NOPARTNER = 3;
    public static final int R_ABORTED = 4;
    public static final String[] BELL = {"idle", "rung", "done"};

    /** A thread's state: its kind and, as the kind has them, the fields of the spec's record. */
    public record Th(Kind kind, int peer, int msg, boolean flag, int win, int tmo) {
        static final Th READY = new Th(Kind.READY, NONE, NONE, false, NONE, NONE);
        static final Th DEAD = new Th(Kind.DEAD, NONE, NONE, false, NONE, NONE);
        static final Th WAITING = new Th(Kind.WAIT, NONE, NONE, false, NONE, NONE);

        /** Blocked sending msg to the ID peer; flag: it is a call. */
        static Th sending(int to, int msg, boolean call, int win, int tmo) {
            return new Th(Kind.SEND, to, msg, call, win, tmo);
        }

        /** Blocked receiving from peer (or {@link #ANY}); flag: it waits for a call's reply. */
        static Th receiving(int from, boolean reply, int win, int tmo) {
            return new Th(Kind.RECV, from, NONE, reply, win, tmo);
        }
    }

    /** The kinds of thread state, with the spec's names. */
    public enum Kind {
        DEAD("dead"), READY("ready"), SEND("send"), RECV("recv"), WAIT("wait");

        final String tla;

        Kind(String tla) {
            this.tla = tla;
        }
    }

    /**
     * What a receive wrote into a thread's registers; sender and to are ghosts, and so are the
     * receiver's request: the partner it asked for ({@link #ANY} for an open receive) and the
     * window it opened ({@link #NONE} for none), as an index into the model's fpages; and the
     * sender's request for the pages, whatever became of it: 0 when it sent no item or the receiver
     * opened no window, else the item's index among the model's items (its kind, fpage, send base
     * and rights).
     */
    public record Got(int from, int sender, int to, int word, int item, boolean reply, int asked, int win) {
    }

    final AddressSpacesState as;
    final int[] home;
    final int[] ver;
    final Th[] st;
    final int[][] queue;
    final long[] callers;
    final Got[] mr;
    final int[] res;
    final int delivered;
    final int[] calledOf;
    /** Ghost: one bit per thread ID ({@code slot * versions + version}) for every thread deleted so far. */
    final long deleted;
    final int[] note;
    final int[] owed;
    final int[] got;
    final int[] ring;
    final int issued;
    final int[] served;
    final int bell;
    private final int hash;

    IpcState(AddressSpacesState as, int[] home, int[] ver, Th[] st, int[][] queue, long[] callers, Got[] mr,
            int[] res, int delivered, int[] calledOf, long deleted, int[] note, int[] owed, int[] got, int[] ring, int issued, int[] served,
            int bell) {
        this.as = as;
        this.home = home;
        this.ver = ver;
        this.st = st;
        this.queue = queue;
        this.callers = callers;
        this.mr = mr;
        this.res = res;
        this.delivered = delivered;
        this.calledOf = calledOf;
        this.deleted = deleted;
        this.note = note;
        this.owed = owed;
        this.got = got;
        this.ring = ring;
        this.issued = issued;
        this.served = served;
        this.bell = bell;
        int h = as.hashCode();
        h = 31 * h + Arrays.hashCode(home);
        h = 31 * h + Arrays.hashCode(ver);
        h = 31 * h + Arrays.hashCode(st);
        h = 31 * h + Arrays.deepHashCode(queue);
        h = 31 * h + Arrays.hashCode(callers);
        h = 31 * h + Arrays.hashCode(mr);
        h = 31 * h + Arrays.hashCode(res);
        h = 31 * h + delivered;
        h = 31 * h + Arrays.hashCode(calledOf);
        h = 31 * h + Long.hashCode(deleted);
        h = 31 * h + Arrays.hashCode(note);
        h = 31 * h + Arrays.hashCode(owed);
        h = 31 * h + Arrays.hashCode(got);
        h = 31 * h + Arrays.hashCode(ring);
        h = 31 * h + issued;
        h = 31 * h + Arrays.hashCode(served);
        this.hash = 31 * h + bell;
    }

    /** The address spaces. */
    public AddressSpacesState spaces() {
        return as;
    }

    /** The state of slot t's thread. */
    public Th thread(int t) {
        return st[t];
    }

    /** The version of slot t. */
    public int version(int t) {
        return ver[t];
    }

    /** The space index slot t lives in. */
    public int home(int t) {
        return home[t];
    }

    /** The slots queued to send to t, oldest first. */
    public int[] queue(int t) {
        return queue[t].clone();
    }

    /** Whether the ID is in t's callers. */
    public boolean isCaller(int t, int id) {
        return (callers[t] & (1L << id)) != 0;
    }

    /** t's message registers, or null. */
    public Got registers(int t) {
        return mr[t];
    }

    /** The result of t's last system call, one of {@link #RESULTS}. */
    public String result(int t) {
        return RESULTS[res[t]];
    }

    /** t's notification word as a bit mask over the indices of the constants' bits. */
    public int notification(int t) {
        return note[t];
    }

    /** The bits thread t's last completed Wait returned. */
    public int got(int t) {
        return got[t];
    }

    /** Whether the thread with this ID ({@code slot * versions + version}) has been deleted. */
    public boolean wasDeleted(int id) {
        return (deleted & (1L << id)) != 0;
    }

    /** The requests in the ring, oldest first. */
    public int[] ring() {
        return ring.clone();
    }

    /** The requests served, in order. */
    public int[] served() {
        return served.clone();
    }

    /** The number of requests put into the ring so far. */
    public int issued() {
        return issued;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof IpcState s) || s.hash != hash) {
            return false;
        }
        return as.equals(s.as) && Arrays.equals(home, s.home) && Arrays.equals(ver, s.ver) && Arrays.equals(st, s.st)
                && Arrays.deepEquals(queue, s.queue) && Arrays.equals(callers, s.callers) && Arrays.equals(mr, s.mr)
                && Arrays.equals(res, s.res) && delivered == s.delivered && Arrays.equals(calledOf, s.calledOf) && deleted == s.deleted
                && Arrays.equals(note, s.note) && Arrays.equals(owed, s.owed) && Arrays.equals(got, s.got) && Arrays.equals(ring, s.ring)
                && issued == s.issued && Arrays.equals(served, s.served) && bell == s.bell;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    Edit edit() {
        return new Edit(this);
    }

    /** A copy of a state being changed into a successor; each array is copied on first write. */
    static final class Edit {
        AddressSpacesState as;
        int[] home;
        int[] ver;
        Th[] st;
        int[][] queue;
        long[] callers;
        Got[] mr;
        int[] res;
        int delivered;
        int[] calledOf;
        long deleted;
        int[] note;
        int[] owed;
        int[] got;
        int[] ring;
        int issued;
        int[] served;
        int bell;

        Edit(IpcState s) {
            as = s.as;
            home = s.home;
            ver = s.ver.clone();
            st = s.st.clone();
            queue = s.queue.clone();
            callers = s.callers.clone();
            mr = s.mr.clone();
            res = s.res.clone();
            delivered = s.delivered;
            calledOf = s.calledOf.clone();
            deleted = s.deleted;
            note = s.note.clone();
            owed = s.owed.clone();
            got = s.got.clone();
            ring = s.ring;
            issued = s.issued;
            served = s.served;
            bell = s.bell;
        }

        void setDelivered(int t, boolean d) {
            delivered = d ? delivered | (1 << t) : delivered & ~(1 << t);
        }

        IpcState done() {
            return new IpcState(as, home, ver, st, queue, callers, mr, res, delivered, calledOf, deleted, note, owed, got,
                    ring, issued, served, bell);
        }
    }
}
