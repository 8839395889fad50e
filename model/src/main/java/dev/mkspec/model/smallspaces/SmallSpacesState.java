package dev.mkspec.model.smallspaces;

import java.util.Arrays;

/**
 * A state of {@code SmallSpaces.tla}. Spaces, CPUs and pages are numbers (see
 * {@link SmallSpacesConstants}); a frame {@code <<s, p>>} is {@code s * NPages + p}.
 *
 * <p>{@code mapped[s]} has bit {@code p} set when space {@code s} maps page {@code p};
 * {@code tlb[c][l]} is the frame CPU {@code c}'s TLB caches for linear page {@code l}, or -1 (an
 * untagged TLB never holds two entries for one linear page: it fills only on a miss). The ghost
 * {@code acc} is the access the last step made: {@code accCpu} is -1 when it made none, and
 * {@code accLin} and {@code accGot} are -1 for a limit fault and for no frame.
 */
public final class SmallSpacesState {
    final int[] mapped;
    final int[] cur;
    final int[] cr3;
    final int[] segBase;
    final int[] segLimit;
    final int[][] tlb;
    final int accCpu;
    final int accSpace;
    final int accPage;
    final int accLin;
    final int accGot;
    private final int hash;

    SmallSpacesState(int[] mapped, int[] cur, int[] cr3, int[] segBase, int[] segLimit, int[][] tlb, int accCpu,
            int accSpace, int accPage, int accLin, int accGot) {
        this.mapped = mapped;
        this.cur = cur;
        this.cr3 = cr3;
        this.segBase = segBase;
        this.segLimit = segLimit;
        this.tlb = tlb;
        this.accCpu = accCpu;
        this.accSpace = accSpace;
        this.accPage = accPage;
        this.accLin = accLin;
        this.accGot = accGot;
        this.hash = Arrays.hashCode(new int[] {Arrays.hashCode(mapped), Arrays.hashCode(cur), Arrays.hashCode(cr3),
            Arrays.hashCode(segBase), Arrays.hashCode(segLimit), Arrays.deepHashCode(tlb), accCpu, accSpace, accPage,
            accLin, accGot});
    }

    /** A copy to change: the arrays are copied, the ghost is cleared (every step but an access clears it). */
    Mutable edit() {
        Mutable m = new Mutable();
        m.mapped = mapped.clone();
        m.cur = cur.clone();
        m.cr3 = cr3.clone();
        m.segBase = segBase.clone();
        m.segLimit = segLimit.clone();
        m.tlb = new int[tlb.length][];
        for (int c = 0; c < tlb.length; c++) {
            m.tlb[c] = tlb[c].clone();
        }
        m.accCpu = -1;
        m.accSpace = -1;
        m.accPage = -1;
        m.accLin = -1;
        m.accGot = -1;
        return m;
    }

    static final class Mutable {
        int[] mapped;
        int[] cur;
        int[] cr3;
        int[] segBase;
        int[] segLimit;
        int[][] tlb;
        int accCpu;
        int accSpace;
        int accPage;
        int accLin;
        int accGot;

        SmallSpacesState freeze() {
            return new SmallSpacesState(mapped, cur, cr3, segBase, segLimit, tlb, accCpu, accSpace, accPage, accLin, accGot);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmallSpacesState s && hash == s.hash && accCpu == s.accCpu && accSpace == s.accSpace
                && accPage == s.accPage && accLin == s.accLin && accGot == s.accGot && Arrays.equals(mapped, s.mapped)
                && Arrays.equals(cur, s.cur) && Arrays.equals(cr3, s.cr3) && Arrays.equals(segBase, s.segBase)
                && Arrays.equals(segLimit, s.segLimit) && Arrays.deepEquals(tlb, s.tlb);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
