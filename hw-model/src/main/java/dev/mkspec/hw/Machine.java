package dev.mkspec.hw;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Several CPUs over one physical memory. Each CPU has its own MMU (TLBs and CR3); page tables
 * live in the shared memory. An inter-processor interrupt is a message in the target's inbox,
 * handled when the target reaches a step boundary ({@link #handleIpis}); handling a shootdown
 * request invalidates and acknowledges it.
 *
 * <p>Not thread-safe: a simulation interleaves the CPUs' steps on one thread, in whatever order
 * the test or kernel chooses, and that order is the concurrency.
 */
public final class Machine {
    /** What a shootdown IPI asks the target to invalidate. */
    public enum Invalidation {
        /** One page in one PCID (INVLPG when the target runs that PCID; INVPCID type 0 otherwise). */
        PAGE,
        /** All non-global entries of one PCID (INVPCID type 1). */
        PCID,
        /** All non-global entries (INVPCID type 3; the only choice on untagged TLBs). */
        NON_GLOBAL
    }

    /** An outstanding shootdown: the CPUs that have yet to acknowledge it. */
    public static final class Shootdown {
        private int pending;

        /** Whether every target has acknowledged. */
        public boolean done() {
            return pending == 0;
        }

        public int pending() {
            return pending;
        }
    }

    /**
     * One shootdown request as its target receives it: what to invalidate, in which PCID, the
     * pages (for {@link Invalidation#PAGE}), and the shootdown to acknowledge.
     */
    public record Ipi(Invalidation what, int pcid, long[] vaddrs, Shootdown shootdown) {
        /** The target has done what was asked: one acknowledgement fewer is outstanding. */
        public void acknowledge() {
            if (shootdown.pending == 0) {
                throw new IllegalStateException("a shootdown was acknowledged more often than it was sent");
            }
            shootdown.pending--;
        }
    }

    private final PhysicalMemory memory;
    private final List<Mmu> cpus = new ArrayList<>();
    private final List<ArrayDeque<Ipi>> inboxes = new ArrayList<>();
    private long ipisSent;

    public Machine(PhysicalMemory memory, MmuConfig config, int cpuCount) {
        if (cpuCount < 1) {
            throw new IllegalArgumentException("a machine needs at least one CPU");
        }
        this.memory = memory;
        for (int c = 0; c < cpuCount; c++) {
            cpus.add(new Mmu(config, memory));
            inboxes.add(new ArrayDeque<>());
        }
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public int cpuCount() {
        return cpus.size();
    }

    /** CPU {@code c}'s MMU. */
    public Mmu cpu(int c) {
        return cpus.get(c);
    }

    /**
     * Sends a shootdown IPI to each CPU in {@code targets} (a bit set; the sender's own bit is
     * ignored: it invalidates locally itself).
     *
     * @return the shootdown, done once every target has handled its IPI
     */
    public Shootdown shootdown(int from, long targets, Invalidation what, int pcid, long vaddr) {
        return shootdown(from, targets, what, pcid, new long[] {vaddr});
    }

    /**
     * Sends one shootdown IPI for several pages of one PCID to each CPU in {@code targets} but
     * {@code from}: Linux's flush of a range, one interrupt per target however many pages.
     */
    public Shootdown shootdown(int from, long targets, Invalidation what, int pcid, long[] vaddrs) {
        Shootdown s = new Shootdown();
        for (int c = 0; c < cpus.size(); c++) {
            if (c != from && (targets & (1L << c)) != 0) {
                inboxes.get(c).add(new Ipi(what, pcid, vaddrs.clone(), s));
                s.pending++;
                ipisSent++;
            }
        }
        return s;
    }

    /** Whether CPU {@code c} has IPIs waiting. */
    public boolean hasIpis(int c) {
        return !inboxes.get(c).isEmpty();
    }

    /** CPU {@code c} reaches a step boundary and handles every IPI waiting for it as asked. */
    public void handleIpis(int c) {
        for (Ipi ipi : receive(c)) {
            invalidate(c, ipi.what(), ipi.pcid(), ipi.vaddrs());
            ipi.acknowledge();
        }
    }

    /**
     * CPU {@code c} takes the IPIs waiting for it, without handling them: a kernel's own handler
     * invalidates (with {@link #invalidate}) and acknowledges each.
     */
    public List<Ipi> receive(int c) {
        ArrayDeque<Ipi> inbox = inboxes.get(c);
        List<Ipi> out = new ArrayList<>(inbox);
        inbox.clear();
        return out;
    }

    /** CPU {@code c} invalidates what one shootdown IPI names (INVLPG or INVPCID). */
    public void invalidate(int c, Invalidation what, int pcid, long[] vaddrs) {
        Mmu mmu = cpus.get(c);
        switch (what) {
            case PAGE -> {
                for (long va : vaddrs) {
                    if (!mmu.config().tagged()) {
                        mmu.invlpg(va);
                    } else {
                        mmu.invpcid(0, pcid, va);
                    }
                }
            }
            case PCID -> mmu.invpcid(1, pcid, 0);
            case NON_GLOBAL -> mmu.invpcid(3, 0, 0);
            default -> throw new IllegalStateException();
        }
    }

    /** IPIs sent so far. */
    public long ipisSent() {
        return ipisSent;
    }
}
