package dev.mkspec.kernel;

import java.util.EnumMap;
import java.util.Map;

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
 *
 * <p>{@code multiClock} is, for a path whose instruction sequence is known, how many of its
 * instructions take another number of clocks than their class ({@link MultiClock}: a compare that
 * reads memory, a MOVZX, a debug-register move, a PUSHA) and how many prefix-decode clocks and
 * address-generation interlocks lie on it; for a path counted statement by statement, only the
 * long instructions its count names (a DIV, a control-register move), the others priced by class.
 */
public record Instr(int alu, int load, int store, int branch, int segmentLoads, int vPipe, int taken,
        Map<MultiClock, Integer> multiClock) {
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
        EnumMap<MultiClock, Integer> ordered = new EnumMap<>(MultiClock.class);
        ordered.putAll(multiClock);
        multiClock = java.util.Collections.unmodifiableMap(ordered); // in a fixed order, so that sums are reproducible
        Map<MultiClock.Base, Integer> perBase = new EnumMap<>(MultiClock.Base.class);
        for (Map.Entry<MultiClock, Integer> e : multiClock.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("a count of " + e.getKey() + " cannot be negative: " + e.getValue());
            }
            perBase.merge(e.getKey().base(), e.getValue() * e.getKey().width(), Integer::sum);
        }
        for (Map.Entry<MultiClock.Base, Integer> e : perBase.entrySet()) {
            int counted = switch (e.getKey()) {
                case ALU -> alu;
                case LOAD -> load;
                case STORE -> store;
                case BRANCH -> branch;
                case NONE -> Integer.MAX_VALUE;
            };
            if (e.getValue() > counted) {
                throw new IllegalArgumentException(e.getValue() + " multi-clock instructions counted as " + e.getKey()
                        + " in a path of " + counted);
            }
        }
        int takenPriced = multiClock.getOrDefault(MultiClock.RET, 0) + multiClock.getOrDefault(MultiClock.BRANCH_INDIRECT, 0)
                + multiClock.getOrDefault(MultiClock.LOOP, 0);
        if (taken != UNDECLARED && takenPriced > taken) {
            throw new IllegalArgumentException("a RET, an indirect branch or a LOOP is priced apart from the taken ones: " + takenPriced
                    + " of them in a path with " + taken + " taken branches");
        }
        int others = alu + load + store + branch - standsFor(multiClock);
        if (vPipe > others) {
            throw new IllegalArgumentException("a multi-clock instruction does not issue in the V pipe: " + vPipe
                    + " V-pipe instructions but " + others + " others");
        }
        if (2 * vPipe > alu + load + store + branch) {
            throw new IllegalArgumentException("at most every other simple instruction issues in the V pipe: " + vPipe
                    + " of " + (alu + load + store + branch));
        }
    }

    public static Instr of(int alu, int load, int store, int branch) {
        return new Instr(alu, load, store, branch, 0, UNDECLARED, UNDECLARED, Map.of());
    }

    /** This mix plus {@code n} segment-register loads. */
    public Instr withSegmentLoads(int n) {
        return new Instr(alu, load, store, branch, segmentLoads + n, vPipe, taken, multiClock);
    }

    /** This mix with {@code n} of its simple instructions declared to issue in the V pipe. */
    public Instr withVPipe(int n) {
        return new Instr(alu, load, store, branch, segmentLoads, n, taken, multiClock);
    }

    /** This mix with {@code n} of its branches declared taken on the path counted, the others falling through. */
    public Instr withTaken(int n) {
        return new Instr(alu, load, store, branch, segmentLoads, vPipe, n, multiClock);
    }

    /** This mix with {@code n} instructions (or stalls) of {@code kind} declared on it, besides those it has. */
    public Instr withMultiClock(MultiClock kind, int n) {
        Map<MultiClock, Integer> m = new EnumMap<>(MultiClock.class);
        m.putAll(multiClock);
        m.merge(kind, n, Integer::sum);
        return new Instr(alu, load, store, branch, segmentLoads, vPipe, taken, m);
    }

    /** How many of {@code kind} the path declares. */
    public int multiClock(MultiClock kind) {
        return multiClock.getOrDefault(kind, 0);
    }

    /** The branches taken: as declared, or all of them where no count is declared. */
    public int takenBranches() {
        return taken == UNDECLARED ? branch : taken;
    }

    /**
     * How many of the counted instructions the declared multi-clock ones stand for (a PUSHA for its
     * eight stores; the stalls for none).
     */
    public int multiClockInstructions() {
        return standsFor(multiClock);
    }

    /** The counted instructions that the declarations of {@code multiClock} stand for. */
    private static int standsFor(Map<MultiClock, Integer> multiClock) {
        int n = 0;
        for (Map.Entry<MultiClock, Integer> e : multiClock.entrySet()) {
            n += e.getKey().base() == MultiClock.Base.NONE ? 0 : e.getValue() * e.getKey().width();
        }
        return n;
    }

    /** The instructions priced as simple (all but the segment loads). */
    public int simple() {
        return alu + load + store + branch;
    }

    public int total() {
        return alu + load + store + branch + segmentLoads;
    }
}
