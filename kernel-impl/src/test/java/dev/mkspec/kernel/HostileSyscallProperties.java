package dev.mkspec.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.bench.CycleBench;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Hostile threads in several spaces make random system calls, bad arguments included (stale and
 * invented IDs, unaligned fpages, kernel addresses, rights they lack), and touch random
 * addresses. After every call the kernel's structural invariants (K-1..K-7) must hold; in
 * particular no thread reaches a frame without a derivation from Sigma0 (K-3, K-5). A failure
 * prints the calls that led to it.
 */
class HostileSyscallProperties {
    static final long DATA = Layout.USER_DATA;

    @Property(tries = 150)
    void theKernelNeverCorruptsItsStructuresOnAnUntaggedTlb(@ForAll long seed, @ForAll @IntRange(min = 10, max = 60) int steps) {
        assertEquals(List.of(), run(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4), seed, steps));
    }

    @Property(tries = 100)
    void theKernelNeverCorruptsItsStructuresWithPcids(@ForAll long seed, @ForAll @IntRange(min = 10, max = 60) int steps) {
        assertEquals(List.of(), run(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4), seed, steps));
    }

    @Property(tries = 60)
    void theKernelNeverCorruptsItsStructuresUnderPageTableIsolation(@ForAll long seed,
            @ForAll @IntRange(min = 10, max = 60) int steps) {
        assertEquals(List.of(), run(KernelConfig.of(CpuProfile.load("skylake"), KernelDesign.L4).withMitigations(true), seed,
                steps));
    }

    @Property(tries = 60)
    void theMachPathKeepsTheSameInvariants(@ForAll long seed, @ForAll @IntRange(min = 10, max = 60) int steps) {
        assertEquals(List.of(), run(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.MACH), seed, steps));
    }

    @Property(tries = 100)
    void smallSpacesKeepTheSameInvariants(@ForAll long seed, @ForAll @IntRange(min = 10, max = 60) int steps,
            @ForAll boolean pentium) {
        assertEquals(List.of(), run(KernelConfig.of(CpuProfile.load(pentium ? "pentium" : "i486"), KernelDesign.L4_SMALL),
                seed, steps));
    }

    /**
     * Found by a longer random run on 2026-12-05: a sender blocked with a string item, a thread of
     * its space then unmapped the string's page, and a receive took the queued message; the copy
     * reached the unmapped page (K-3). The delivery is now refused with BAD_ADDRESS.
     */
    @Example
    void aQueuedSendersStringUnmappedSinceIsNotCopied() {
        for (String cpu : List.of("i486", "pentium", "haswell")) {
            assertEquals(List.of(), run(KernelConfig.of(CpuProfile.load(cpu), KernelDesign.L4), 14309633, 60), cpu);
        }
    }

    /**
     * Found by CI on 2026-12-05: a small space's thread deleted the large space whose tables CR3
     * held, and the kernel loaded the running space's own directory, which a small space never runs
     * on (K-7). It now loads Sigma0's and keeps the small space's segments.
     */
    @Example
    void deletingTheLoadedLargeSpaceFromASmallOneLoadsALargeSpacesTables() {
        Kernel k = new Kernel(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.L4_SMALL));
        ThreadId root = k.sigma0Thread();
        SyscallResult a = k.syscall(root, new Syscall.CreateSpace());
        CycleBench.equip(k, a.space(), a.from());
        k.syscall(a.from(), new Syscall.Null()); // the small space runs on Sigma0's tables
        SyscallResult big = k.syscall(a.from(), new Syscall.CreateSpace());
        SyscallResult other = k.syscall(a.from(), new Syscall.CreateSpace());
        CycleBench.equip(k, other.space(), other.from());
        assertTrue(k.small(a.space()) && !k.small(other.space()));
        k.syscall(other.from(), new Syscall.Null()); // CR3 now holds the large space's tables
        k.syscall(a.from(), new Syscall.Null()); // back in the small space: CR3 stays
        SyscallResult r = k.syscall(a.from(), new Syscall.DeleteSpace(other.space()));
        assertTrue(r.ok(), () -> "" + r);
        assertEquals(List.of(), KernelInvariants.check(k));
        assertTrue(big.ok());
    }

    @Example
    void randomCallsCatchLargeSegmentsThatReachTheSmallSpaces() {
        assertCaught(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.L4_SMALL)
                .withBug(KernelBug.LARGE_LIMIT_COVERS_REGION), "K-7");
    }

    @Example
    void randomCallsCatchASmallSwitchThatKeepsTheSegments() {
        assertCaught(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.L4_SMALL)
                .withBug(KernelBug.SMALL_SWITCH_KEEPS_SEGMENTS), "K-7");
    }

    /**
     * Found by CI on 2026-12-04: Sigma0's thread, whose message buffer was never mapped, took a
     * queued call of eight words; the copy of the words beyond the registers reached an unmapped
     * page (K-3). The delivery is now refused with BAD_ADDRESS.
     */
    @Example
    void aLongMessageToAThreadWithoutAMessageBufferIsRefusedNotCopied() {
        assertEquals(List.of(), run(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4), -257766, 15));
    }

    @Example
    void randomCallsCatchAFlushThatForgetsTheTlb() {
        assertCaught(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4).withBug(KernelBug.FLUSH_SKIPS_TLB), "K-5");
    }

    @Example
    void randomCallsCatchAMapThatIgnoresRights() {
        assertCaught(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4).withBug(KernelBug.MAP_IGNORES_RIGHTS), "K-2");
    }

    @Example
    void randomCallsCatchADeletedSpaceWhosePcidKeepsItsEntries() {
        assertCaught(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4).withBug(KernelBug.DELETE_KEEPS_PCID), "K-5");
    }

    @Example
    void randomCallsCatchAFastPathThatForgetsCr3() {
        assertCaught(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.L4).withBug(KernelBug.FASTPATH_SKIPS_SWITCH), "K-7");
    }

    private static void assertCaught(KernelConfig c, String id) {
        for (long seed = 1; seed <= 400; seed++) {
            List<String> v = run(c, seed, 80);
            if (!v.isEmpty()) {
                assertTrue(v.get(0).contains(id), "expected " + id + " but the first violation was " + v.get(0));
                return;
            }
        }
        assertFalse(true, c.bug() + " survived 400 random runs: the check cannot see it");
    }

    /** Runs {@code steps} random actions; returns the first violations (with the trace), or nothing. */
    static List<String> run(KernelConfig c, long seed, int steps) {
        return run(c, seed, steps, null);
    }

    /**
     * As {@link #run(KernelConfig, long, int)}, and with an {@code auditor} the cost audit it makes
     * for the kernel after every call.
     */
    static List<String> run(KernelConfig c, long seed, int steps, java.util.function.Function<Kernel, CostAudit> auditor) {
        Random rnd = new Random(seed);
        Kernel k = new Kernel(c);
        List<String> trace = new ArrayList<>();
        ThreadId root = k.sigma0Thread();
        List<ThreadId> known = new ArrayList<>();
        List<SpaceId> spaces = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SyscallResult r = k.syscall(root, new Syscall.CreateSpace());
            spaces.add(r.space());
            known.add(r.from());
            CycleBench.equip(k, r.space(), r.from());
            k.sigma0Map(r.space(), DATA, 4 + i, Rights.R | Rights.W | (i == 0 ? Rights.X : 0));
        }
        known.add(root);
        CostAudit audit = auditor == null ? null : auditor.apply(k);
        for (int step = 0; step < steps; step++) {
            List<ThreadId> runnable = k.runnableThreads();
            if (runnable.isEmpty()) {
                break;
            }
            ThreadId t = runnable.get(rnd.nextInt(runnable.size()));
            String what;
            try {
                what = act(k, rnd, t, known, spaces, audit);
            } catch (IllegalStateException e) {
                trace.add(t + " ... " + e.getMessage());
                return withTrace(List.of(e.getMessage()), trace);
            }
            trace.add(what);
            List<String> v = KernelInvariants.check(k);
            if (!v.isEmpty()) {
                return withTrace(v, trace);
            }
        }
        return List.of();
    }

    private static List<String> withTrace(List<String> v, List<String> trace) {
        List<String> out = new ArrayList<>(v);
        out.add("after: " + String.join("\n  ", trace));
        return out;
    }

    private static ThreadId anyId(Random rnd, List<ThreadId> known) {
        ThreadId t = known.get(rnd.nextInt(known.size()));
        return switch (rnd.nextInt(6)) {
            case 0 -> new ThreadId(t.number(), t.version() + 1);
            case 1 -> new ThreadId(rnd.nextInt(8), rnd.nextInt(3));
            default -> t;
        };
    }

    private static long anyAddress(Random rnd, Kernel k) {
        return switch (rnd.nextInt(8)) {
            case 0 -> Layout.of(k.profile().paging()).kernelBase() + rnd.nextInt(4) * 4096L;
            case 1 -> DATA + 0x100000;
            default -> DATA + rnd.nextInt(8) * 4096L + (rnd.nextInt(4) == 0 ? rnd.nextInt(4096) : 0);
        };
    }

    private static Fpage anyFpage(Random rnd, Kernel k, long base) {
        int order = rnd.nextInt(3);
        long b = rnd.nextInt(5) == 0 ? anyAddress(rnd, k) : base + ((long) rnd.nextInt(4) << (12 + order));
        return new Fpage(b, order, 1 + rnd.nextInt(7));
    }

    private static Timeout anyTimeout(Random rnd) {
        return rnd.nextBoolean() ? Timeout.ZERO : Timeout.INFINITE;
    }

    private static Message anyMessage(Random rnd, Kernel k) {
        Message m = Message.of(rnd.nextInt(100), rnd.nextInt(100));
        if (rnd.nextInt(4) == 0) {
            m = Message.of(1, 2, 3, 4, 5, 6, 7, 8);
        }
        if (rnd.nextInt(4) == 0) {
            m = m.withString(anyAddress(rnd, k), rnd.nextInt(64));
        }
        if (rnd.nextInt(3) == 0) {
            m = m.withItem(anyFpage(rnd, k, DATA), rnd.nextInt(3) == 0);
        }
        return m;
    }

    private static Fpage anyWindow(Random rnd, Kernel k) {
        return rnd.nextInt(3) == 0 ? null : anyFpage(rnd, k, DATA + 0x20000);
    }

    private static String act(Kernel k, Random rnd, ThreadId t, List<ThreadId> known, List<SpaceId> spaces, CostAudit audit) {
        Syscall call;
        switch (rnd.nextInt(15)) {
            case 0 -> call = new Syscall.Null();
            case 1, 2 -> call = new Syscall.Send(anyId(rnd, known), anyMessage(rnd, k), anyTimeout(rnd));
            case 3, 4 -> call = new Syscall.Receive(rnd.nextBoolean() ? ThreadId.ANY : anyId(rnd, known), anyTimeout(rnd),
                    DATA + 0x1000, rnd.nextInt(128), anyWindow(rnd, k));
            case 5 -> call = new Syscall.Call(anyId(rnd, known), anyMessage(rnd, k), DATA, rnd.nextInt(64), anyWindow(rnd, k));
            case 6 -> call = new Syscall.ReplyWait(anyId(rnd, known), anyMessage(rnd, k), DATA, 32, anyWindow(rnd, k));
            case 7 -> call = new Syscall.Flush(anyFpage(rnd, k, rnd.nextBoolean() ? DATA : DATA + 0x20000));
            case 8 -> call = new Syscall.Unmap(anyFpage(rnd, k, DATA));
            case 9 -> call = new Syscall.CreateThread(spaces.get(rnd.nextInt(spaces.size())));
            case 10 -> call = new Syscall.DeleteThread(anyId(rnd, known));
            case 11 -> call = rnd.nextBoolean() ? new Syscall.CreateSpace() : new Syscall.DeleteSpace(spaces.get(rnd.nextInt(spaces.size())));
            case 12 -> call = new Syscall.Signal(anyId(rnd, known), 1L << rnd.nextInt(3));
            case 13 -> call = new Syscall.Wait(1L << rnd.nextInt(3));
            default -> {
                // a user-level touch of a random address (the kernel must have left no stale translation)
                long a = anyAddress(rnd, k);
                boolean w = rnd.nextBoolean();
                if (!t.equals(k.current())) {
                    syscall(k, t, new Syscall.Null(), audit);
                }
                boolean ok = k.userAccess(t, a, 8, w);
                if (ok) {
                    long[] m = k.mapping(k.spaceOf(t), a);
                    if (m == null || (w && (m[1] & Rights.W) == 0)) {
                        throw new IllegalStateException("K-5: " + t + " " + (w ? "wrote" : "read") + " "
                                + Long.toHexString(a) + " which its space does not map" + (w ? " writable" : ""));
                    }
                }
                return t + " touches " + Long.toHexString(a) + (w ? " (write)" : "") + " -> " + (ok ? "ok" : "fault");
            }
        }
        SyscallResult r = syscall(k, t, call, audit);
        if (r != null && r.ok() && r.from() != null && !r.from().equals(ThreadId.NIL)
                && (call instanceof Syscall.CreateThread || call instanceof Syscall.CreateSpace)) {
            known.add(r.from());
            SpaceId s = r.space() != null ? r.space() : k.spaceOf(r.from());
            if (r.space() != null) {
                spaces.add(r.space());
            }
            CycleBench.equip(k, s, r.from());
        }
        return t + " " + call + " -> " + (r == null ? "blocked" : r.error());
    }

    /** One system call, audited if {@code audit} is not null (a broken rule ends the run as a violation). */
    private static SyscallResult syscall(Kernel k, ThreadId t, Syscall call, CostAudit audit) {
        if (audit == null) {
            return k.syscall(t, call);
        }
        audit.before();
        SyscallResult r = k.syscall(t, call);
        List<String> v = audit.after(t, call, r);
        if (!v.isEmpty()) {
            throw new IllegalStateException(String.join("\n  ", v));
        }
        return r;
    }
}
