package dev.mkspec.model.tlb;

import java.util.Arrays;
import java.util.Objects;

/**
 * One state of the TLB model, variable for variable as {@code Tlb.tla} has it. Immutable; equal
 * states are {@code equals}.
 *
 * <ul>
 *   <li>{@code pt[s * pages + v]}: -1 for NoEntry, or {@code frame << 1 | w};</li>
 *   <li>{@code owner[f]}: -1 for Free, or the owning space;</li>
 *   <li>{@code tlb[c]}: the entries cached by CPU c, as a bit set of entry indices
 *       ({@link TlbConstants#entryIndex});</li>
 *   <li>{@code running[c]}: -1 for Idle, or a space; {@code active[c]}: the CPU's ASID tag;</li>
 *   <li>{@code asid[s]}: the space's ASID, or 0; {@code mayCache[s]}: a bit set of CPUs;</li>
 *   <li>{@code shootdown}: the shootdown in progress, or null.</li>
 * </ul>
 */
public final class TlbState {
    /** NoEntry, Free, Idle: the encoding of "none" in every array. */
    public static final int NONE = -1;

    final int[] pt;
    final int[] owner;
    final long[] tlb;
    final int[] running;
    final int[] active;
    final int[] asid;
    final int[] mayCache;
    final Shootdown shootdown;
    private final int hash;

    /**
     * A shootdown in progress: the pages of {@code space} that CPU {@code initiator} unmapped or
     * downgraded (a bit set of pages), the entry each had ({@code old.get(v)}, encoded as {@code pt};
     * {@link #NONE} for the pages not shot down), the tag their entries carry, and the CPUs whose
     * acknowledgement is awaited. {@code unmap}: the frames are freed at the finish (an unmap or a
     * deletion); {@code delete}: the space is being deleted (its whole ASID goes, the CPUs running it
     * leave it, and the finish releases its ASID).
     */
    public record Shootdown(int initiator, int space, int pages, java.util.List<Integer> old, int asid, boolean unmap,
            boolean delete, int waiting) {
        public Shootdown {
            old = java.util.List.copyOf(old);
        }

        public Shootdown withWaiting(int mask) {
            return new Shootdown(initiator, space, pages, old, asid, unmap, delete, mask);
        }

        /** Whether page {@code v} is one of those shot down. */
        public boolean covers(int v) {
            return (pages & (1 << v)) != 0;
        }

        /** The entry page {@code v} had, encoded as {@code pt}; {@link #NONE} if it is not shot down. */
        public int old(int v) {
            return old.get(v);
        }
    }

    TlbState(int[] pt, int[] owner, long[] tlb, int[] running, int[] active, int[] asid, int[] mayCache,
            Shootdown shootdown) {
        this.pt = pt;
        this.owner = owner;
        this.tlb = tlb;
        this.running = running;
        this.active = active;
        this.asid = asid;
        this.mayCache = mayCache;
        this.shootdown = shootdown;
        int h = Arrays.hashCode(pt);
        h = 31 * h + Arrays.hashCode(owner);
        h = 31 * h + Arrays.hashCode(tlb);
        h = 31 * h + Arrays.hashCode(running);
        h = 31 * h + Arrays.hashCode(active);
        h = 31 * h + Arrays.hashCode(asid);
        h = 31 * h + Arrays.hashCode(mayCache);
        this.hash = 31 * h + Objects.hashCode(shootdown);
    }

    /**
     * A state from its variables, for abstraction functions that read a concrete machine; the
     * arrays are copied. Encodings as in the class comment; {@code shootdown} may be null.
     */
    public static TlbState of(int[] pt, int[] owner, long[] tlb, int[] running, int[] active, int[] asid,
            int[] mayCache, Shootdown shootdown) {
        return new TlbState(pt.clone(), owner.clone(), tlb.clone(), running.clone(), active.clone(), asid.clone(),
                mayCache.clone(), shootdown);
    }

    /** This state with every CPU's TLB replaced by {@code tlbs}. */
    public TlbState withTlbs(long[] tlbs) {
        Mutable m = edit();
        System.arraycopy(tlbs, 0, m.tlb, 0, m.tlb.length);
        return m.freeze();
    }

    /** Every CPU's TLB, as bit sets of entry indices. */
    public long[] tlbs() {
        return tlb.clone();
    }

    /** A copy whose arrays may be changed, to build a successor. */
    Mutable edit() {
        return new Mutable(this);
    }

    /** The shootdown in progress, or null. */
    public Shootdown shootdown() {
        return shootdown;
    }

    /** CPU c's TLB as a bit set of entry indices. */
    public long tlb(int c) {
        return tlb[c];
    }

    /** The entry that page-table slot {@code i} (space * pages + page) holds, encoded as frame * 2 + writable; {@link #NONE} for none. */
    public int pte(int i) {
        return pt[i];
    }

    /** The CPUs the kernel records as caching space {@code s}'s entries, a bit each. */
    public int mayCache(int s) {
        return mayCache[s];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlbState t && t.hash == hash && Arrays.equals(t.pt, pt) && Arrays.equals(t.owner, owner)
                && Arrays.equals(t.tlb, tlb) && Arrays.equals(t.running, running) && Arrays.equals(t.active, active)
                && Arrays.equals(t.asid, asid) && Arrays.equals(t.mayCache, mayCache)
                && Objects.equals(t.shootdown, shootdown);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "TlbState[pt=" + Arrays.toString(pt) + ", owner=" + Arrays.toString(owner) + ", running="
                + Arrays.toString(running) + ", shootdown=" + shootdown + "]";
    }

    /** Copies of a state's arrays, changed in place and frozen into a new state. */
    static final class Mutable {
        final int[] pt;
        final int[] owner;
        final long[] tlb;
        final int[] running;
        final int[] active;
        final int[] asid;
        final int[] mayCache;
        Shootdown shootdown;

        private Mutable(TlbState s) {
            pt = s.pt.clone();
            owner = s.owner.clone();
            tlb = s.tlb.clone();
            running = s.running.clone();
            active = s.active.clone();
            asid = s.asid.clone();
            mayCache = s.mayCache.clone();
            shootdown = s.shootdown;
        }

        TlbState freeze() {
            return new TlbState(pt, owner, tlb, running, active, asid, mayCache, shootdown);
        }
    }
}
