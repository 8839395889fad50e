package dev.mkspec.model.segments;

import java.util.Arrays;

/**
 * One state of the segment-table model, variable for variable as {@code Segments.tla} has it.
 * Immutable; equal states are {@code equals}.
 *
 * <ul>
 *   <li>{@code gstSeg[i - 1]}, {@code gstOwner[i - 1]}: slot i's segment (0: free) and owner (-1: NoDomain);</li>
 *   <li>{@code vstSlot[e]}, {@code vstRights[e]} for entry {@code e = d * sels + s - 1}: its slot (0: free)
 *       and rights mask; {@code parent[e]}: the entry it was granted from (-1: NoRef);
 *       {@code grantor[e]}: the domain that asked (-1: NoDomain);</li>
 *   <li>{@code dom[t]}; {@code reg[t * regs + r]}: a packed register ({@link #pack}; 0 is Null);
 *       {@code stack[t]}: the frames, each {@code 1 + regs} ints, the caller's domain and registers;</li>
 *   <li>{@code tlb[t]}: bit {@code (slot - 1) * segs + seg - 1} for each cached translation;</li>
 *   <li>the revocation in progress: {@code revBy} (-1: none), {@code revGone} (a bit per entry),
 *       {@code revSlot} (0: a revocation, not a deletion), {@code revPending} (a bit per thread);</li>
 *   <li>{@code spent[t]}; {@code mem[d]}: the saved registers, sorted; the ring, {@code issued},
 *       {@code served} (bit i - 1 for request i), {@code flag} and {@code srv} (an index into {@link #SRV}).</li>
 * </ul>
 */
public final class SegmentsState {
    /** The server's states, as the spec names them. */
    static final String[] SRV = {"run", "check", "sleepy", "asleep"};

    final int[] gstSeg;
    final int[] gstOwner;
    final int nextSeg;
    final int[] vstSlot;
    final int[] vstRights;
    final int[] parent;
    final int[] grantor;
    final int[] dom;
    final int[] reg;
    final int[][] stack;
    final long[] tlb;
    final int revBy;
    final long revGone;
    final int revSlot;
    final int revPending;
    final int[] spent;
    final int[][] mem;
    final int[] ring;
    final int issued;
    final int served;
    final boolean flag;
    final int srv;
    private final int hash;

    SegmentsState(Mutable m) {
        gstSeg = m.gstSeg;
        gstOwner = m.gstOwner;
        nextSeg = m.nextSeg;
        vstSlot = m.vstSlot;
        vstRights = m.vstRights;
        parent = m.parent;
        grantor = m.grantor;
        dom = m.dom;
        reg = m.reg;
        stack = m.stack;
        tlb = m.tlb;
        revBy = m.revBy;
        revGone = m.revGone;
        revSlot = m.revSlot;
        revPending = m.revPending;
        spent = m.spent;
        mem = m.mem;
        ring = m.ring;
        issued = m.issued;
        served = m.served;
        flag = m.flag;
        srv = m.srv;
        int h = Arrays.hashCode(gstSeg);
        h = 31 * h + Arrays.hashCode(gstOwner);
        h = 31 * h + nextSeg;
        h = 31 * h + Arrays.hashCode(vstSlot);
        h = 31 * h + Arrays.hashCode(vstRights);
        h = 31 * h + Arrays.hashCode(parent);
        h = 31 * h + Arrays.hashCode(grantor);
        h = 31 * h + Arrays.hashCode(dom);
        h = 31 * h + Arrays.hashCode(reg);
        h = 31 * h + Arrays.deepHashCode(stack);
        h = 31 * h + Arrays.hashCode(tlb);
        h = 31 * h + revBy;
        h = 31 * h + Long.hashCode(revGone);
        h = 31 * h + revSlot;
        h = 31 * h + revPending;
        h = 31 * h + Arrays.hashCode(spent);
        h = 31 * h + Arrays.deepHashCode(mem);
        h = 31 * h + Arrays.hashCode(ring);
        h = 31 * h + issued;
        h = 31 * h + served;
        h = 31 * h + (flag ? 1 : 0);
        hash = 31 * h + srv;
    }

    /** A register: slot (3 bits), data rights (2 bits), origin domain + 1 (4 bits), selector (3 bits). */
    static int pack(int slot, int rights, int from, int sel) {
        return slot | (rights & SegmentsConstants.DATA) << 3 | (from + 1) << 5 | sel << 9;
    }

    static int slotOf(int v) {
        return v & 7;
    }

    static int rightsOf(int v) {
        return (v >> 3) & 3;
    }

    static int fromOf(int v) {
        return ((v >> 5) & 15) - 1;
    }

    static int selOf(int v) {
        return (v >> 9) & 7;
    }

    /** A copy whose arrays may be changed, to build a successor. */
    Mutable edit() {
        return new Mutable(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentsState s && hash == s.hash && nextSeg == s.nextSeg && revBy == s.revBy
                && revGone == s.revGone && revSlot == s.revSlot && revPending == s.revPending && issued == s.issued
                && served == s.served && flag == s.flag && srv == s.srv && Arrays.equals(gstSeg, s.gstSeg)
                && Arrays.equals(gstOwner, s.gstOwner) && Arrays.equals(vstSlot, s.vstSlot)
                && Arrays.equals(vstRights, s.vstRights) && Arrays.equals(parent, s.parent)
                && Arrays.equals(grantor, s.grantor) && Arrays.equals(dom, s.dom) && Arrays.equals(reg, s.reg)
                && Arrays.deepEquals(stack, s.stack) && Arrays.equals(tlb, s.tlb) && Arrays.equals(spent, s.spent)
                && Arrays.deepEquals(mem, s.mem) && Arrays.equals(ring, s.ring);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The same variables, with arrays a successor may change (each copied). */
    static final class Mutable {
        int[] gstSeg;
        int[] gstOwner;
        int nextSeg;
        int[] vstSlot;
        int[] vstRights;
        int[] parent;
        int[] grantor;
        int[] dom;
        int[] reg;
        int[][] stack;
        long[] tlb;
        int revBy;
        long revGone;
        int revSlot;
        int revPending;
        int[] spent;
        int[][] mem;
        int[] ring;
        int issued;
        int served;
        boolean flag;
        int srv;

        Mutable() {
        }

        Mutable(SegmentsState s) {
            gstSeg = s.gstSeg.clone();
            gstOwner = s.gstOwner.clone();
            nextSeg = s.nextSeg;
            vstSlot = s.vstSlot.clone();
            vstRights = s.vstRights.clone();
            parent = s.parent.clone();
            grantor = s.grantor.clone();
            dom = s.dom.clone();
            reg = s.reg.clone();
            stack = s.stack.clone();
            tlb = s.tlb.clone();
            revBy = s.revBy;
            revGone = s.revGone;
            revSlot = s.revSlot;
            revPending = s.revPending;
            spent = s.spent.clone();
            mem = s.mem.clone();
            ring = s.ring;
            issued = s.issued;
            served = s.served;
            flag = s.flag;
            srv = s.srv;
        }

        SegmentsState freeze() {
            return new SegmentsState(this);
        }
    }
}
