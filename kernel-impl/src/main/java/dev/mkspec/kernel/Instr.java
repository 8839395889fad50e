package dev.mkspec.kernel;

/**
 * An instruction mix: how many instructions of each priced kind a code path executes. The
 * profile prices each kind ({@code alu}, {@code load}, {@code store}, {@code branch}, and
 * {@code segmentLoads}, the MOV or POP to a segment register that loads a descriptor, priced as
 * {@code movSeg}, on x86-32 profiles only: a 64-bit kernel keeps flat segments); the addresses a path really touches are simulated apart, so a load here is
 * priced as a hit and its misses come from the TLB and cache models.
 */
public record Instr(int alu, int load, int store, int branch, int segmentLoads) {
    public Instr {
        if (alu < 0 || load < 0 || store < 0 || branch < 0 || segmentLoads < 0) {
            throw new IllegalArgumentException("instruction counts cannot be negative");
        }
    }

    public static Instr of(int alu, int load, int store, int branch) {
        return new Instr(alu, load, store, branch, 0);
    }

    /** This mix plus {@code n} segment-register loads. */
    public Instr withSegmentLoads(int n) {
        return new Instr(alu, load, store, branch, segmentLoads + n);
    }

    public int total() {
        return alu + load + store + branch + segmentLoads;
    }
}
