package dev.mkspec.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.bench.CycleBench;
import java.util.List;
import org.junit.jupiter.api.Test;

/** l4-small: what the segments confine, what a switch keeps, and what deletion and promotion must clean up. */
class SmallSpacesTests {
    private static Kernel kernel(String profile, KernelBug bug) {
        return new Kernel(KernelConfig.of(CpuProfile.load(profile), KernelDesign.L4_SMALL).withBug(bug));
    }

    /** The client calls the server and the server replies: two switches between small spaces. */
    private static void callAndReply(Kernel k, ThreadId client, ThreadId server) {
        k.syscall(client, new Syscall.Call(server, Message.of(1), 0, 0, null));
        assertEquals(server, k.current(), "the call switched to the server");
        k.syscall(server, new Syscall.ReplyWait(client, Message.of(2), 0, 0, null));
        assertEquals(client, k.current(), "the reply switched back");
    }

    private static ThreadId server(Kernel k) {
        ThreadId s = CycleBench.newSpace(k).thread();
        CycleBench.parkSigma0(k);
        k.syscall(s, new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, null));
        return s;
    }

    @Test
    void theFirstTwoSpacesAreSmallAndTheThirdIsLarge() {
        Kernel k = kernel("pentium", KernelBug.NONE);
        SpaceId a = CycleBench.newSpace(k).space();
        SpaceId b = CycleBench.newSpace(k).space();
        SpaceId c = CycleBench.newSpace(k).space();
        assertTrue(k.small(a) && k.small(b), "two windows, two small spaces");
        assertFalse(k.small(c), "no window left: a large space");
        assertFalse(k.small(k.sigma0Space()), "Sigma0 maps every frame and stays large");
        KernelInvariants.assertHolds(k);
    }

    @Test
    void aSwitchBetweenSmallSpacesLoadsSegmentsAndKeepsCr3AndTheTlb() {
        Kernel k = kernel("pentium", KernelBug.NONE);
        CycleBench.Party a = CycleBench.newSpace(k);
        ThreadId s = server(k);
        k.sigma0Map(a.space(), Layout.USER_DATA, 1, Rights.R | Rights.W);
        long cr3 = k.cpu(0).mmu().registers().tableBase;
        callAndReply(k, a.thread(), s);
        assertTrue(k.userAccess(a.thread(), Layout.USER_DATA, 8, true));
        long hits = k.cpu(0).mmu().hits();
        callAndReply(k, a.thread(), s);
        assertEquals(cr3, k.cpu(0).mmu().registers().tableBase, "no CR3 write between small spaces");
        assertTrue(k.userAccess(a.thread(), Layout.USER_DATA, 8, true));
        assertTrue(k.cpu(0).mmu().hits() > hits, "the client's entry survived two switches");
        KernelInvariants.assertHolds(k);
    }

    @Test
    void aSmallSpaceReachesNothingBeyondItsWindowAndALargeSpaceNothingOfTheRegion() {
        Kernel k = kernel("i486", KernelBug.NONE);
        CycleBench.Party a = CycleBench.newSpace(k);
        CycleBench.Party b = CycleBench.newSpace(k);
        CycleBench.Party large = CycleBench.newSpace(k);
        k.sigma0Map(b.space(), 0, 1, Rights.R | Rights.W); // window 1's first page: where window 0 ends
        CycleBench.parkSigma0(k);
        k.syscall(b.thread(), new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, null));
        k.syscall(large.thread(), new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, null));
        assertEquals(a.thread(), k.current());
        assertFalse(k.userAccess(a.thread(), Layout.SMALL_WINDOW, 8, false), "one byte beyond the window faults");
        assertTrue(k.userAccess(a.thread(), Layout.USER_CODE, 8, false));
        k.syscall(a.thread(), new Syscall.Call(large.thread(), Message.of(1), 0, 0, null));
        assertEquals(large.thread(), k.current());
        assertFalse(k.userAccess(large.thread(), SmallSpaces.base(1), 8, false),
                "the region's entries are in the large space's directory, but its segments end below the region");
        assertTrue(k.userReachable(large.space()).stream().noneMatch(r -> r.vaddr() >= Layout.SMALL_REGION));
        KernelInvariants.assertHolds(k);
    }

    @Test
    void withTheLargeLimitBugALargeSpaceReachesASmallSpacesPage() {
        Kernel k = kernel("i486", KernelBug.LARGE_LIMIT_COVERS_REGION);
        CycleBench.newSpace(k);
        CycleBench.Party b = CycleBench.newSpace(k);
        CycleBench.Party large = CycleBench.newSpace(k);
        k.sigma0Map(b.space(), 0, 1, Rights.R | Rights.W);
        assertTrue(k.userReachable(large.space()).stream().anyMatch(r -> r.vaddr() == SmallSpaces.base(1)));
        assertTrue(KernelInvariants.check(k).stream().noneMatch(v -> v.startsWith("K-3")), "the tables are right");
    }

    @Test
    void aMapBeyondTheWindowMakesTheSpaceLargeAndKeepsItsMappings() {
        Kernel k = kernel("pentium", KernelBug.NONE);
        CycleBench.Party a = CycleBench.newSpace(k);
        k.sigma0Map(a.space(), Layout.USER_DATA, 2, Rights.R | Rights.W);
        long frame = k.mappingNode(a.space(), Layout.USER_DATA).frame();
        CycleBench.parkSigma0(k);
        assertTrue(k.userAccess(a.thread(), Layout.USER_DATA, 8, true));
        k.sigma0Map(a.space(), Layout.SMALL_WINDOW + 0x1000, 1, Rights.R);
        assertFalse(k.small(a.space()), "promoted");
        assertEquals(frame, k.userView(Layout.USER_DATA).frame(), "the same frame at the same address, now through CR3");
        assertTrue(k.userAccess(a.thread(), Layout.SMALL_WINDOW + 0x1000, 8, false));
        KernelInvariants.assertHolds(k);
    }

    @Test
    void aWindowGivenAgainCarriesNoEntryOfItsLastSpace() {
        for (KernelBug bug : List.of(KernelBug.NONE, KernelBug.SMALL_DELETE_KEEPS_TLB)) {
            Kernel k = kernel("pentium", bug);
            CycleBench.Party owner = CycleBench.newSpace(k);
            // the owner's small space creates the client's, so that deleting it needs no large space (no CR3 write)
            SyscallResult made = k.syscall(owner.thread(), new Syscall.CreateSpace());
            assertTrue(made.ok(), () -> "" + made);
            CycleBench.equip(k, made.space(), made.from());
            k.sigma0Map(made.space(), Layout.USER_DATA, 1, Rights.R | Rights.W);
            assertTrue(k.small(made.space()));
            k.syscall(made.from(), new Syscall.Null());
            assertTrue(k.userAccess(made.from(), Layout.USER_DATA, 8, true), "the client caches its page");
            long cr3 = k.cpu(0).mmu().registers().tableBase;
            SyscallResult r = k.syscall(owner.thread(), new Syscall.DeleteSpace(made.space()));
            assertEquals(cr3, k.cpu(0).mmu().registers().tableBase, "no CR3 write flushed the window");
            List<String> v = KernelInvariants.check(k);
            if (bug == KernelBug.NONE) {
                assertTrue(r.ok(), () -> "" + r);
                assertEquals(List.of(), v);
            } else {
                assertTrue(v.stream().anyMatch(x -> x.startsWith("K-5")), v::toString);
            }
        }
    }

    @Test
    void l4SmallRefusesWhatItIsNotBuiltFor() {
        assertThrows(IllegalArgumentException.class, () -> KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4_SMALL));
        assertThrows(IllegalArgumentException.class,
                () -> KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.L4_SMALL).withCpus(2));
    }
}
