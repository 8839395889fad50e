package dev.mkspec.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.bench.CycleBench;
import org.junit.jupiter.api.Test;

/** The kernel on several CPUs: shootdown (IPI, acknowledge, then return and free), and IPC across CPUs. */
class ShootdownTests {
    static final long DATA = Layout.USER_DATA;

    /** Space A with a thread on CPU 0 and one on CPU 1, both having touched A's first data page. */
    static final class TwoCpus {
        final Kernel k;
        final SpaceId a;
        final ThreadId t0;
        final ThreadId t1;
        /** Space B with a thread on CPU 1, ready to run there. */
        final CycleBench.Party b;

        TwoCpus(KernelBug bug) {
            k = new Kernel(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4).withCpus(2).withBug(bug));
            CycleBench.Party pa = CycleBench.newSpace(k);
            b = CycleBench.newSpace(k);
            k.setProcessor(b.thread(), 1);
            a = pa.space();
            t0 = pa.thread();
            k.sigma0Map(a, DATA, 2, Rights.R | Rights.W);
            CycleBench.parkSigma0(k);
            SyscallResult r = k.syscall(t0, new Syscall.CreateThread(a));
            t1 = r.from();
            k.setProcessor(t1, 1);
            assertEquals(ErrorCode.OK, k.syscall(t1, new Syscall.Null()).error());
            assertEquals(t1, k.current(1));
            assertTrue(k.userAccess(t1, DATA, 8, true));
            assertTrue(k.userAccess(t0, DATA, 8, true));
        }

        boolean cached(int cpu) {
            return !k.tlbEntries(cpu, DATA, k.tagOf(a)).isEmpty();
        }
    }

    @Test
    void aFlushWaitsForTheOtherCpusAcknowledgementBeforeItReturns() {
        TwoCpus m = new TwoCpus(KernelBug.NONE);
        assertEquals(0b11, m.k.cpusCaching(m.a));
        assertNull(m.k.syscall(m.t0, new Syscall.Flush(new Fpage(DATA, 0, Rights.ALL))), "the flush waits");
        assertTrue(m.k.shootdownPending());
        assertFalse(m.cached(0), "the initiator invalidated its own entry");
        assertTrue(m.cached(1), "CPU 1 keeps its entry until it takes the IPI");
        assertTrue(m.k.userAccess(m.t1, DATA, 8, false), "and user code there still reaches the frame meanwhile");
        Kernel.ShootdownView v = m.k.shootdown();
        assertEquals(0, v.initiator());
        assertEquals(0b10, v.waiting());
        assertEquals(1, v.pages().size());
        assertTrue(v.pages().get(0).unmap());
        assertThrows(IllegalStateException.class, () -> m.k.syscall(m.t1, new Syscall.Null()), "the kernel is locked");
        assertThrows(IllegalStateException.class, () -> m.k.userAccess(m.t0, DATA, 8, false), "CPU 0 is in the kernel");
        assertEquals(Kernel.CpuStep.NOTHING, m.k.step(0), "no acknowledgement yet");
        assertEquals(Kernel.CpuStep.ACKNOWLEDGED, m.k.step(1));
        assertFalse(m.cached(1));
        assertFalse(m.k.userAccess(m.t1, DATA, 8, false), "the page is gone on CPU 1 too");
        assertEquals(Kernel.CpuStep.FINISHED, m.k.step(0));
        assertFalse(m.k.shootdownPending());
        assertEquals(ErrorCode.OK, m.k.resultOf(m.t0).error());
        assertTrue(m.k.meter(1).report().of(CostCategory.SHOOTDOWN) > 0, "the target pays for the IPI it takes");
        assertTrue(m.k.meter(0).report().of(CostCategory.SHOOTDOWN) > 0, "the initiator pays for sending and waiting");
        KernelInvariants.assertHolds(m.k);
    }

    /**
     * A map onto a page that already reaches the same frame, with at least the rights it had,
     * shoots nothing down: what another CPU caches grants nothing the new mapping does not
     * (FlushShootdown.tla: the page is not "shrunk"). With fewer rights, it does.
     */
    @Test
    void aMapThatReplacesAMappingOfTheSameFrameShootsDownOnlyIfRightsShrink() {
        int rwx = Rights.R | Rights.W | Rights.X;
        // {rights the page had, rights the map gives}: shot down exactly when some right goes
        for (int[] c : new int[][] {{Rights.R | Rights.W, Rights.R | Rights.W}, {Rights.R | Rights.W, Rights.R},
            {rwx, Rights.R | Rights.W}, {Rights.R | Rights.W, rwx}}) {
            int had = c[0];
            int rights = c[1];
            boolean shrinks = (had & ~rights) != 0;
            Kernel k = new Kernel(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4).withCpus(2));
            CycleBench.Party pa = CycleBench.newSpace(k);
            CycleBench.Party pb = CycleBench.newSpace(k);
            k.setProcessor(pb.thread(), 1);
            long frame = k.sigma0Map(pa.space(), DATA, 1, rwx);
            k.sigma0MapShared(pb.space(), DATA, frame, had);
            CycleBench.parkSigma0(k);
            assertEquals(ErrorCode.OK, k.syscall(pb.thread(), new Syscall.Null()).error());
            assertTrue(k.userAccess(pb.thread(), DATA, 8, false), "B's page is cached on CPU 1");
            assertNull(k.syscall(pb.thread(), new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0,
                    new Fpage(DATA, 0, 0))));
            k.syscall(pa.thread(), new Syscall.Send(pb.thread(), Message.of(1).withItem(new Fpage(DATA, 0, rights), false, 0),
                    Timeout.ZERO));
            assertEquals(pa.space(), k.mappingNode(pb.space(), DATA).parentSpace(), "B's page is now derived from A's");
            assertEquals(shrinks, k.shootdownPending(), "rights " + had + " replaced by " + rights);
            if (k.shootdownPending()) {
                assertEquals(0b10, k.shootdown().waiting());
                assertEquals(Kernel.CpuStep.ACKNOWLEDGED, k.step(1));
                assertEquals(Kernel.CpuStep.FINISHED, k.step(0));
            }
            KernelInvariants.assertHolds(k);
        }
    }

    @Test
    void aFlushThatReturnsEarlyLeavesAnotherCpuReachingTheFrame() {
        TwoCpus m = new TwoCpus(KernelBug.SHOOTDOWN_RETURNS_EARLY);
        assertNotNull(m.k.syscall(m.t0, new Syscall.Flush(new Fpage(DATA, 0, Rights.ALL))));
        assertFalse(m.k.shootdownPending());
        assertTrue(m.cached(1), "the unmapped frame is still reachable from CPU 1 after the flush returned");
    }

    @Test
    void aCpuThatSwitchedAwayStillGetsTheIpiWithPcids() {
        TwoCpus m = new TwoCpus(KernelBug.NONE);
        CycleBench.Party pb = m.b;
        m.k.syscall(pb.thread(), new Syscall.Null());
        assertEquals(pb.space(), m.k.loadedSpace(1));
        assertTrue(m.cached(1), "A's entry survives the switch under its PCID");
        assertEquals(0b11, m.k.cpusCaching(m.a) & 0b11);
        m.k.syscall(m.t0, new Syscall.Flush(new Fpage(DATA, 0, Rights.W)));
        assertTrue(m.k.shootdownPending(), "a downgrade is shot down too");
        assertEquals(Kernel.CpuStep.ACKNOWLEDGED, m.k.step(1));
        assertFalse(m.cached(1));
        assertEquals(Kernel.CpuStep.FINISHED, m.k.step(0));
    }

    @Test
    void theOnlyRunningBugForgetsTheCpuThatSwitchedAway() {
        TwoCpus m = new TwoCpus(KernelBug.SHOOTDOWN_ONLY_RUNNING);
        CycleBench.Party pb = m.b;
        m.k.syscall(pb.thread(), new Syscall.Null());
        assertEquals(ErrorCode.OK, m.k.syscall(m.t0, new Syscall.Flush(new Fpage(DATA, 0, Rights.ALL))).error());
        assertTrue(m.cached(1), "no IPI went to CPU 1, whose TLB keeps A's entry");
    }

    @Test
    void deletingASpaceLoadedOnAnotherCpuMakesItLeaveBeforeTheTablesAreFreed() {
        Kernel k = new Kernel(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4).withCpus(2));
        CycleBench.Party owner = CycleBench.newSpace(k);
        SyscallResult made = k.syscall(owner.thread(), new Syscall.CreateSpace());
        SpaceId child = made.space();
        k.sigma0Map(child, DATA, 1, Rights.R | Rights.W);
        k.setProcessor(made.from(), 1);
        k.syscall(made.from(), new Syscall.Null());
        assertTrue(k.userAccess(made.from(), DATA, 8, true));
        assertEquals(child, k.loadedSpace(1));
        int tag = k.tagOf(child);
        int frames = k.framesInUse();
        assertNull(k.syscall(owner.thread(), new Syscall.DeleteSpace(child)));
        assertEquals(frames, k.framesInUse(), "the page tables stay allocated while CPU 1 may still walk them");
        assertEquals(Kernel.CpuStep.ACKNOWLEDGED, k.step(1));
        assertNull(k.loadedSpace(1), "CPU 1 left the deleted space for the kernel's tables");
        assertNull(k.current(1));
        assertTrue(k.tlbEntries(1, DATA, tag).isEmpty(), "and dropped its PCID");
        assertEquals(frames, k.framesInUse(), "and still until the initiator finishes");
        assertEquals(Kernel.CpuStep.FINISHED, k.step(0));
        assertTrue(k.framesInUse() < frames, "then they go back to the pool");
        assertEquals(ErrorCode.OK, k.resultOf(owner.thread()).error());
        KernelInvariants.assertHolds(k);
    }

    @Test
    void aDeletionThatReturnsEarlyFreesTablesAnotherCpuMayStillWalk() {
        Kernel k = new Kernel(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4).withCpus(2)
                .withBug(KernelBug.SHOOTDOWN_RETURNS_EARLY));
        CycleBench.Party owner = CycleBench.newSpace(k);
        SyscallResult made = k.syscall(owner.thread(), new Syscall.CreateSpace());
        k.setProcessor(made.from(), 1);
        k.syscall(made.from(), new Syscall.Null());
        int frames = k.framesInUse();
        assertNotNull(k.syscall(owner.thread(), new Syscall.DeleteSpace(made.space())));
        assertTrue(k.framesInUse() < frames, "freed at once, while CPU 1's IPI still waits");
        assertEquals(made.space().number(), k.loadedSpace(1).number(), "and CPU 1 still has the deleted space's slot loaded");
    }

    @Test
    void aCallToAThreadOnAnotherCpuWakesItThereAndTheReplyComesBack() {
        Kernel k = new Kernel(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4).withCpus(2));
        CycleBench.Party pa = CycleBench.newSpace(k);
        CycleBench.Party pb = CycleBench.newSpace(k);
        CycleBench.parkSigma0(k);
        k.setProcessor(pb.thread(), 1);
        assertNull(k.syscall(pb.thread(), new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, null)));
        assertNull(k.current(1));
        assertNull(k.syscall(pa.thread(), new Syscall.Call(pb.thread(), Message.of(5), 0, 0, null)));
        assertNull(k.current(0), "the caller blocked, and CPU 0 has nothing else to run");
        assertEquals(ThreadState.READY, k.state(pb.thread()));
        assertArrayEquals(new long[] {5}, k.resultOf(pb.thread()).msg().words());
        assertNull(k.syscall(pb.thread(), new Syscall.ReplyWait(pa.thread(), Message.of(6), 0, 0, null)));
        assertEquals(ThreadState.READY, k.state(pa.thread()));
        assertArrayEquals(new long[] {6}, k.resultOf(pa.thread()).msg().words());
        assertEquals(0, k.processorOf(pa.thread()));
        assertEquals(1, k.processorOf(pb.thread()));
        KernelInvariants.assertHolds(k);
    }

    @Test
    void impossibleConfigurationsAreRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4).withCpus(2));
        assertTrue(e.getMessage().contains("ipiSend"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4).withCpus(0));
        Kernel k = new Kernel(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4).withCpus(2));
        assertThrows(IllegalArgumentException.class, () -> k.step(2));
        assertThrows(IllegalArgumentException.class, () -> k.setProcessor(k.sigma0Thread(), 1), "it runs");
    }
}
