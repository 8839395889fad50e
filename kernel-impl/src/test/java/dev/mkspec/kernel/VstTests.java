package dev.mkspec.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.VstMmu;
import dev.mkspec.kernel.bench.CycleBench;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vst: far calls into a service's segments on the client's thread, the tagged TLB, and revocation. */
class VstTests {
    private static Kernel kernel(KernelBug bug) {
        return new Kernel(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.VST).withBug(bug));
    }

    @Test
    void aFarCallRunsTheServiceOnTheClientsThreadWithoutTheKernel() {
        Kernel k = kernel(KernelBug.NONE);
        CycleBench.Party a = CycleBench.newSpace(k);
        CycleBench.Party svc = CycleBench.vstService(k, a.space());
        CycleBench.parkSigma0(k);
        k.meter().reset();
        assertTrue(k.farCall(a.thread(), CycleBench.CLIENT_CALL));
        assertEquals(svc.space(), k.domainOf(a.thread()), "the service's domain runs, on the client's thread");
        assertEquals(a.thread(), k.current(), "no thread switch");
        assertTrue(k.segmentLoad(a.thread(), CycleBench.SERVICE_DATA), "the service's own selector, in its own Vst");
        k.user(a.thread(), Path.SERVER_GETPID);
        assertTrue(k.segmentAccess(a.thread(), 64, 8, true));
        k.farReturn(a.thread());
        assertEquals(a.space(), k.domainOf(a.thread()));
        assertEquals(0, k.meter().report().of(CostCategory.TRAP), "no kernel entry");
        assertFalse(k.segmentAccess(a.thread(), 64, 8, false), "the far return emptied the data register");
        KernelInvariants.assertHolds(k);
    }

    @Test
    void aSelectorWithoutTheCallRightOrOfAnotherDomainIsAFault() {
        Kernel k = kernel(KernelBug.NONE);
        CycleBench.Party a = CycleBench.newSpace(k);
        CycleBench.vstService(k, a.space());
        CycleBench.parkSigma0(k);
        assertFalse(k.farCall(a.thread(), CycleBench.SERVICE_CODE), "the service's code selector means nothing in the client's Vst");
        assertFalse(k.segmentLoad(a.thread(), CycleBench.CLIENT_CALL), "a call right is no data right");
        assertFalse(k.segmentLoad(a.thread(), CycleBench.SERVICE_DATA), "the client holds no data selector");
        assertEquals(a.space(), k.domainOf(a.thread()));
    }

    @Test
    void theServicesTlbEntriesServeEveryCallerWithoutAWalk() {
        Kernel k = kernel(KernelBug.NONE);
        CycleBench.Party a = CycleBench.newSpace(k);
        CycleBench.Party svc = CycleBench.vstService(k, a.space());
        CycleBench.Party b = CycleBench.newSpace(k);
        k.vstGrant(b.space(), CycleBench.CLIENT_CALL, segmentOf(k, a), VstMmu.CALL);
        CycleBench.parkSigma0(k);
        k.syscall(svc.thread(), new Syscall.Wait(1));
        k.syscall(b.thread(), new Syscall.Wait(1));
        k.farCall(a.thread(), CycleBench.CLIENT_CALL);
        k.segmentLoad(a.thread(), CycleBench.SERVICE_DATA);
        assertTrue(k.segmentAccess(a.thread(), 128, 8, true));
        k.farReturn(a.thread());
        // b runs (a CR3 write to b's space, another PCID) and calls the same service
        must(k, a.thread(), new Syscall.Signal(b.thread(), 1));
        k.syscall(a.thread(), new Syscall.Wait(1));
        assertEquals(b.thread(), k.current());
        long walks = k.cpu(0).mmu().walker().walks();
        assertTrue(k.farCall(b.thread(), CycleBench.CLIENT_CALL));
        assertTrue(k.segmentLoad(b.thread(), CycleBench.SERVICE_DATA));
        assertTrue(k.segmentAccess(b.thread(), 128, 8, false));
        assertEquals(walks, k.cpu(0).mmu().walker().walks(), "the entry a's call filled, tagged by the global index, served b's");
        KernelInvariants.assertHolds(k);
    }

    private static int segmentOf(Kernel k, CycleBench.Party client) {
        return k.vstServices().mmu.entry(k.spaceTable()[client.space().number()].number, CycleBench.CLIENT_CALL)[0];
    }

    private static void must(Kernel k, ThreadId t, Syscall c) {
        SyscallResult r = k.syscall(t, c);
        assertTrue(r != null && r.ok(), () -> c + " gave " + r);
    }

    @Test
    void aRevocationEmptiesTheRegistersLoadedThroughTheEntry() {
        for (KernelBug bug : List.of(KernelBug.NONE, KernelBug.VST_REVOKE_KEEPS_REGISTERS)) {
            Kernel k = kernel(bug);
            CycleBench.Party a = CycleBench.newSpace(k);
            CycleBench.Party svc = CycleBench.vstService(k, a.space());
            CycleBench.parkSigma0(k);
            assertTrue(k.farCall(a.thread(), CycleBench.CLIENT_CALL));
            assertTrue(k.segmentLoad(a.thread(), CycleBench.SERVICE_DATA));
            k.vstRevoke(svc.space(), CycleBench.SERVICE_DATA);
            List<String> v = KernelInvariants.check(k);
            if (bug == KernelBug.NONE) {
                assertFalse(k.segmentAccess(a.thread(), 0, 8, false), "no access after the revocation");
                assertEquals(List.of(), v);
            } else {
                assertTrue(k.segmentAccess(a.thread(), 0, 8, false), "the kept register still reaches the segment");
                assertTrue(v.stream().anyMatch(x -> x.startsWith("K-9")), v::toString);
            }
        }
    }

    @Test
    void deletingTheServiceTakesItsSegmentsAndTheirTlbEntries() {
        Kernel k = kernel(KernelBug.NONE);
        CycleBench.Party a = CycleBench.newSpace(k);
        CycleBench.Party svc = CycleBench.vstService(k, a.space());
        k.syscall(a.thread(), new Syscall.Null());
        assertTrue(k.farCall(a.thread(), CycleBench.CLIENT_CALL));
        k.segmentLoad(a.thread(), CycleBench.SERVICE_DATA);
        assertTrue(k.segmentAccess(a.thread(), 0, 8, true));
        must(k, k.sigma0Thread(), new Syscall.DeleteSpace(svc.space()));
        KernelInvariants.assertHolds(k);
        assertEquals(a.space(), k.domainOf(a.thread()), "thrown out of the deleted domain");
        k.syscall(a.thread(), new Syscall.Null());
        assertFalse(k.farCall(a.thread(), CycleBench.CLIENT_CALL), "the call entry went with the segment");
    }

    @Test
    void vstRefusesWhatItIsNotBuiltFor() {
        assertThrows(IllegalArgumentException.class, () -> KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.VST));
        assertThrows(IllegalArgumentException.class,
                () -> KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.VST).withPcid(false));
        assertThrows(IllegalStateException.class, () -> new Kernel(KernelConfig.of(CpuProfile.load("haswell"),
                KernelDesign.L4)).farCall(ThreadId.NIL, 1));
    }
}
