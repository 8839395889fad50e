package dev.mkspec.kernel;

/**
 * An instruction mix: how many instructions of each priced kind a code path executes. The
 * profile prices each kind ({@code alu}, {@code load}, {@code store}, {@code branch}, and
 * {@code segmentLoads}, the MOV or POP to a segment register that loads a descriptor, priced as
 * {@code movSeg}, on x86-32 profiles only: a 64-bit kernel keeps flat segments); the addresses a path really touches are simulated apart, so a load here is
 * priced as a hit and its misses come from the TLB and cache models.
 *
 * <p>{@code vPipe} is, for a path whose instruction sequence is known, how many of its simple
 * instructions a dual-issue CPU (the Pentium's U and V pipes) issues beside the one before them,
 * counted by that CPU's pairing rules from the sequence; {@link #UNDECLARED} for a path counted
 * statement by statement, to which the profile's assumed share ({@code pairing}) applies instead.
 *
 * <p>{@code taken} is, for a path whose instruction sequence is known, how many of its branches
 * are taken on the path counted; a CPU that prices a branch that falls through apart ({@code
 * branchNotTaken}, the 486) charges the others at that price. {@link #UNDECLARED} prices every
 * branch as taken, for the paths counted statement by statement.
 */
public record Instr(int alu, int load, int store, int branch, int segmentLoads, int vPipe, int taken) {
    /** No pair count declared: the profile's pairing share applies. */
    public static final int UNDECLARED = -1;

    public Instr {
        if (alu < 0 || load < 0 || store < 0 || branch < 0 || segmentLoads < 0) {
            throw new IllegalArgumentException("instruction counts cannot be negative");
        }
        if (vPipe < UNDECLARED) {
            throw new IllegalArgumentException("a V-pipe count cannot be negative: " + vPipe);
        }
        if (taken < UNDECLARED || taken > branch) {
            throw new IllegalArgumentException("taken branches are 0 to the " + branch + " branches, not " + taken);
        }
        if (2 * vPipe > alu + load + store + branch) {
            throw new IllegalArgumentException("at most every other simple instruction issues in the V pipe: " + vPipe
                    + " of " + (alu + load + store + branch));
        }
    }

    public static Instr of(int alu, int load, int store, int branch) {
        return new Instr(alu, load, store, branch, 0, UNDECLARED, UNDECLARED);
    }

    /** This mix plus {@code n} segment-register loads. */
    public Instr withSegmentLoads(int n) {
        return new Instr(alu, load, store, branch, segmentLoads + n, vPipe, taken);
    }

    /** This mix with {@code n} of its simple instructions declared to issue in the V pipe. */
    public Instr withVPipe(int n) {
        return new Instr(alu, load, store, branch, segmentLoads, n, taken);
    }

    /** This mix with {@code n} of its branches declared taken on the path counted, the others falling through. */
    public Instr withTaken(int n) {
        return new Instr(alu, load, store, branch, segmentLoads, vPipe, n);
    }

    /** The branches taken: as declared, or all of them where no count is declared. */
    public int takenBranches() {
        return taken == UNDECLARED ? branch : taken;
    }

    /** The instructions priced as simple (all but the segment loads). */
    public int simple() {
        return alu + load + store + branch;
    }

    public int total() {
        return alu + load + store + branch + segmentLoads;
    }
}
