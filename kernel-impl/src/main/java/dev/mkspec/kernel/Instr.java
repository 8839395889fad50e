package dev.mkspec.kernel;

/**
 * An instruction mix: how many instructions of each priced kind a code path executes. The
 * profile prices each kind ({@code alu}, {@code load}, {@code store}, {@code branch}); the
 * addresses a path really touches are simulated apart, so a load here is priced as a hit and
 * its misses come from the TLB and cache models.
 */
public record Instr(int alu, int load, int store, int branch) {
    public Instr {
        if (alu < 0 || load < 0 || store < 0 || branch < 0) {
            throw new IllegalArgumentException("instruction counts cannot be negative");
        }
    }

    public static Instr of(int alu, int load, int store, int branch) {
        return new Instr(alu, load, store, branch);
    }

    public int total() {
        return alu + load + store + branch;
    }
}
