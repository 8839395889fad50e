package dev.mkspec.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.bench.CycleBench;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The system calls' semantics and error contract, one scene each. */
class KernelTests {
    static final long DATA = Layout.USER_DATA;

    /** Two spaces with a thread each; the client runs, the server waits (open receive with a window). */
    static final class Scene {
        final Kernel k;
        final SpaceId a;
        final ThreadId client;
        final SpaceId b;
        final ThreadId server;

        Scene(String profile, KernelDesign design) {
            this(KernelConfig.of(CpuProfile.load(profile), design));
        }

        Scene(KernelConfig c) {
            k = new Kernel(c);
            CycleBench.Party pa = CycleBench.newSpace(k);
            CycleBench.Party pb = CycleBench.newSpace(k);
            a = pa.space();
            client = pa.thread();
            b = pb.space();
            server = pb.thread();
            k.sigma0Map(a, DATA, 4, Rights.R | Rights.W);
            k.sigma0Map(b, DATA, 4, Rights.R | Rights.W);
            CycleBench.parkSigma0(k);
        }

        void serverWaits(int bufferBytes, Fpage window) {
            assertNull(k.syscall(server, new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, DATA, bufferBytes, window)));
        }

        SyscallResult clientSends(Message m) {
            return k.syscall(client, new Syscall.Send(server, m, Timeout.ZERO));
        }
    }

    @Test
    void aCallDeliversTheWordsAndTheReplyComesBack() {
        Scene s = new Scene("pentium", KernelDesign.L4);
        s.serverWaits(0, null);
        assertNull(s.k.syscall(s.client, new Syscall.Call(s.server, Message.of(7, 8), 0, 0, null)));
        assertEquals(s.server, s.k.current());
        SyscallResult got = s.k.resultOf(s.server);
        assertEquals(s.client, got.from());
        assertArrayEquals(new long[] {7, 8}, got.msg().words());
        assertNull(s.k.syscall(s.server, new Syscall.ReplyWait(s.client, Message.of(9), 0, 0, null)));
        assertEquals(s.client, s.k.current());
        assertArrayEquals(new long[] {9}, s.k.resultOf(s.client).msg().words());
        assertEquals(ThreadState.RECEIVING, s.k.state(s.server));
        KernelInvariants.assertHolds(s.k);
    }

    @Test
    void theMachDesignGivesTheSameResultsThroughItsOwnPath() {
        Scene s = new Scene("i486", KernelDesign.MACH);
        s.serverWaits(0, null);
        s.k.syscall(s.client, new Syscall.Call(s.server, Message.of(1, 2, 3, 4), 0, 0, null));
        assertArrayEquals(new long[] {1, 2, 3, 4}, s.k.resultOf(s.server).msg().words());
        KernelInvariants.assertHolds(s.k);
    }

    @Test
    void aStringArrivesInTheReceiversBuffer() {
        Scene s = new Scene("i486", KernelDesign.L4);
        s.k.poke(s.a, DATA + 100, "hello, kernel".getBytes());
        s.serverWaits(64, null);
        assertTrue(s.clientSends(Message.of(1).withString(DATA + 100, 13)).ok());
        assertEquals("hello, kernel", new String(s.k.peek(s.b, DATA, 13)));
        KernelInvariants.assertHolds(s.k);
    }

    @Test
    void aMapItemDerivesTheReceiversMappingAndFlushTakesItBack() {
        Scene s = new Scene("haswell", KernelDesign.L4);
        Fpage window = new Fpage(DATA + 0x10000, 1, Rights.ALL);
        s.serverWaits(0, window);
        assertTrue(s.clientSends(Message.of(0).withItem(new Fpage(DATA, 1, Rights.R), false)).ok());
        long[] theirs = s.k.mapping(s.b, DATA + 0x10000);
        assertNotNull(theirs);
        assertEquals(s.k.mapping(s.a, DATA)[0], theirs[0]);
        assertEquals(Rights.R, theirs[1]);
        KernelInvariants.assertHolds(s.k);
        assertTrue(s.k.syscall(s.client, new Syscall.Unmap(new Fpage(DATA, 1, Rights.ALL))).ok());
        assertNull(s.k.mapping(s.b, DATA + 0x10000));
        assertNotNull(s.k.mapping(s.a, DATA), "unmap spares the caller's own mapping");
        KernelInvariants.assertHolds(s.k);
    }

    /**
     * L4's send-base rule (Ipc.tla's Meet, IPC-18): a one-page item into a four-page window lands on
     * the window page the send base names; a four-page item into a one-page window moves only the
     * page the send base names; a two-page item into a four-page window lands on the aligned half
     * that holds the send base's offset. Only the send base's offset within the larger fpage counts.
     */
    @Test
    void anItemAndAWindowOfDifferentSizesMeetAtTheSendBase() {
        Scene s = new Scene("i486", KernelDesign.L4);
        long win = DATA + 0x10000;
        s.serverWaits(0, new Fpage(win, 2, Rights.ALL));
        assertTrue(s.clientSends(Message.of(0).withItem(new Fpage(DATA + 4096, 0, Rights.R), false, 0x40000 + 2 * 4096)).ok());
        for (int i = 0; i < 4; i++) {
            long[] m = s.k.mapping(s.b, win + i * 4096L);
            if (i == 2) {
                assertNotNull(m, "the window page the send base names");
                assertEquals(s.k.mapping(s.a, DATA + 4096)[0], m[0]);
                assertEquals(Rights.R, m[1]);
            } else {
                assertNull(m, "window page " + i + " is not the one the send base names");
            }
        }
        KernelInvariants.assertHolds(s.k);

        long small = DATA + 0x20000;
        s.serverWaits(0, new Fpage(small, 0, Rights.ALL));
        assertTrue(s.clientSends(Message.of(0).withItem(new Fpage(DATA, 2, Rights.R), false, 3 * 4096)).ok());
        assertEquals(s.k.mapping(s.a, DATA + 3 * 4096)[0], s.k.mapping(s.b, small)[0],
                "a four-page item into a one-page window moves the page the send base names");
        assertNull(s.k.mapping(s.b, small + 4096), "nothing lands outside the window");
        KernelInvariants.assertHolds(s.k);

        // A two-page item into a four-page window, send base at offset 3: the item lands on the
        // two-page half that holds offset 3 (offsets 2 and 3), page for page.
        long big = DATA + 0x30000;
        s.serverWaits(0, new Fpage(big, 2, Rights.ALL));
        assertTrue(s.clientSends(Message.of(0).withItem(new Fpage(DATA, 1, Rights.R), false, 3 * 4096)).ok());
        assertNull(s.k.mapping(s.b, big));
        assertNull(s.k.mapping(s.b, big + 4096));
        assertEquals(s.k.mapping(s.a, DATA)[0], s.k.mapping(s.b, big + 2 * 4096)[0]);
        assertEquals(s.k.mapping(s.a, DATA + 4096)[0], s.k.mapping(s.b, big + 3 * 4096)[0]);
        KernelInvariants.assertHolds(s.k);
    }

    @Test
    void aGrantMovesTheMapping() {
        Scene s = new Scene("i486", KernelDesign.L4);
        s.serverWaits(0, new Fpage(DATA + 0x10000, 0, Rights.ALL));
        long frame = s.k.mapping(s.a, DATA)[0];
        assertTrue(s.clientSends(Message.of(0).withItem(new Fpage(DATA, 0, Rights.R | Rights.W), true)).ok());
        assertNull(s.k.mapping(s.a, DATA));
        assertEquals(frame, s.k.mapping(s.b, DATA + 0x10000)[0]);
        KernelInvariants.assertHolds(s.k);
    }

    @Test
    void notificationsWakeTheWaiterWithTheBitsItWaitedFor() {
        Scene s = new Scene("i486", KernelDesign.BATCHED);
        assertNull(s.k.syscall(s.server, new Syscall.Wait(0b110)));
        assertTrue(s.k.syscall(s.client, new Syscall.Signal(s.server, 0b001)).ok());
        assertEquals(ThreadState.WAITING, s.k.state(s.server));
        assertTrue(s.k.syscall(s.client, new Syscall.Signal(s.server, 0b100)).ok());
        assertEquals(ThreadState.READY, s.k.state(s.server));
        assertEquals(0b100, s.k.resultOf(s.server).value());
        KernelInvariants.assertHolds(s.k);
    }

    @Test
    void deletingAThreadAbortsItsWaitingSendersAndStalesItsId() {
        Scene s = new Scene("i486", KernelDesign.L4);
        ThreadId helper = s.k.syscall(s.client, new Syscall.CreateThread(s.a)).from();
        s.k.sigma0Map(s.a, Layout.stack(helper.number()), 1, Rights.R | Rights.W);
        assertNull(s.k.syscall(helper, new Syscall.Send(s.client, Message.of(1), Timeout.INFINITE)));
        assertEquals(ThreadState.SENDING, s.k.state(helper));
        SyscallResult r = s.k.syscall(s.client, new Syscall.DeleteThread(s.server));
        assertEquals(ErrorCode.NO_PERMISSION, r.error(), "the client may not delete a thread of a space it did not create");
        assertTrue(s.k.syscall(s.client, new Syscall.DeleteThread(helper)).ok());
        assertEquals(ErrorCode.NO_SUCH_THREAD,
                s.k.syscall(s.client, new Syscall.Send(helper, Message.of(1), Timeout.ZERO)).error());
        KernelInvariants.assertHolds(s.k);
    }

    /** Each bad argument is answered with its code, and the kernel's state is exactly what it was. */
    @Test
    void badArgumentsGetTheirErrorCodeAndChangeNothing() {
        check(ErrorCode.TIMEOUT, s -> { }, s -> s.clientSends(Message.of(1)));
        check(ErrorCode.NO_SUCH_THREAD, s -> { },
                s -> s.k.syscall(s.client, new Syscall.Send(new ThreadId(99, 1), Message.of(1), Timeout.ZERO)));
        check(ErrorCode.STALE_THREAD_ID, s -> { }, s -> s.k.syscall(s.client,
                new Syscall.Send(new ThreadId(s.server.number(), s.server.version() + 7), Message.of(1), Timeout.ZERO)));
        check(ErrorCode.BAD_ADDRESS, s -> s.serverWaits(64, null),
                s -> s.clientSends(Message.of(1).withString(DATA + 0x100000, 8)));
        check(ErrorCode.BAD_ADDRESS, s -> s.serverWaits(64, null),
                s -> s.clientSends(Message.of(1).withString(kernelBase(s), 8)));
        check(ErrorCode.MESSAGE_TOO_LONG, s -> s.serverWaits(4, null),
                s -> s.clientSends(Message.of(1).withString(DATA, 8)));
        check(ErrorCode.UNALIGNED_FPAGE, s -> s.serverWaits(0, new Fpage(DATA + 0x10000, 2, Rights.ALL)),
                s -> s.clientSends(Message.of(0).withItem(new Fpage(DATA + 4096, 1, Rights.R), false)));
        check(ErrorCode.RIGHTS_ESCALATION, s -> s.serverWaits(0, new Fpage(DATA + 0x10000, 2, Rights.ALL)),
                s -> s.clientSends(Message.of(0).withItem(new Fpage(DATA, 0, Rights.R | Rights.X), false)));
        check(ErrorCode.NO_RECEIVE_WINDOW, s -> s.serverWaits(0, null),
                s -> s.clientSends(Message.of(0).withItem(new Fpage(DATA, 0, Rights.R), false)));
        check(ErrorCode.UNALIGNED_FPAGE, s -> { },
                s -> s.k.syscall(s.client, new Syscall.Flush(new Fpage(DATA + 4096, 1, Rights.W))));
        check(ErrorCode.BAD_ADDRESS, s -> { },
                s -> s.k.syscall(s.client, new Syscall.Flush(new Fpage(kernelBase(s), 0, Rights.W))));
        check(ErrorCode.NO_SUCH_SPACE, s -> { }, s -> s.k.syscall(s.client, new Syscall.CreateThread(new SpaceId(9, 1))));
        check(ErrorCode.NO_PERMISSION, s -> { }, s -> s.k.syscall(s.client, new Syscall.DeleteSpace(s.b)));
        // A reply to a thread that made no call to the replier: no reply authority (Ipc.tla's MayReply).
        check(ErrorCode.NO_PERMISSION, s -> s.k.syscall(s.server, new Syscall.Null()),
                s -> s.k.syscall(s.server, new Syscall.ReplyWait(s.client, Message.of(1), 0, 0, null)));
    }

    private static long kernelBase(Scene s) {
        return Layout.of(s.k.profile().paging()).kernelBase();
    }

    private static void check(ErrorCode expected, java.util.function.Consumer<Scene> setup,
            Function<Scene, SyscallResult> call) {
        for (String profile : new String[] {"i486", "haswell"}) {
            Scene s = new Scene(profile, KernelDesign.L4);
            setup.accept(s);
            String before = s.k.stateDigest();
            SyscallResult r = call.apply(s);
            assertNotNull(r, expected + ": the call blocked instead of failing");
            assertEquals(expected, r.error(), profile);
            assertEquals(before, s.k.stateDigest(), expected + " on " + profile + " changed the kernel's state");
            KernelInvariants.assertHolds(s.k);
        }
    }

    /** The check that catches STALE_ID_ACCEPTED: an old ID must not reach the slot's new thread. */
    static boolean staleIdsAreRejected(KernelBug bug) {
        Scene s = new Scene(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4).withBug(bug));
        ThreadId old = s.k.syscall(s.client, new Syscall.CreateThread(s.a)).from();
        s.k.syscall(s.client, new Syscall.DeleteThread(old));
        ThreadId fresh = s.k.syscall(s.client, new Syscall.CreateThread(s.a)).from();
        assertEquals(old.number(), fresh.number(), "the slot is reused");
        s.k.sigma0Map(s.a, Layout.stack(fresh.number()), 1, Rights.R | Rights.W);
        s.k.syscall(fresh, new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, null));
        SyscallResult r = s.k.syscall(s.client, new Syscall.Send(old, Message.of(1), Timeout.ZERO));
        return r.error() == ErrorCode.STALE_THREAD_ID && s.k.state(fresh) == ThreadState.RECEIVING;
    }

    @Test
    void aStaleIdNeverReachesTheSlotsNewThread() {
        assertTrue(staleIdsAreRejected(KernelBug.NONE));
    }

    @Test
    void theStaleIdCheckCatchesAKernelThatIgnoresVersions() {
        assertTrue(!staleIdsAreRejected(KernelBug.STALE_ID_ACCEPTED));
    }

    @Test
    void getpidIsServedAsEachDesignServesIt() {
        for (KernelDesign d : KernelDesign.values()) {
            CpuProfile pentium = CpuProfile.load("pentium");
            Kernel k = new Kernel(KernelConfig.of(d.runsOn(pentium) ? pentium : CpuProfile.load("haswell"), d));
            CycleBench.Party a = CycleBench.newSpace(k);
            SyscallResult r = k.syscall(a.thread(), new Syscall.GetPid());
            switch (d) {
                case MONOLITHIC, MKLINUX_INKERNEL -> assertEquals(a.thread().number(), r.value(), d.key());
                case L4LINUX_EMU -> assertEquals(-1, r.value(), d.key() + ": reflected to the emulation library");
                default -> assertEquals(ErrorCode.NOT_SUPPORTED, r.error(), d.key() + ": served by a server over IPC");
            }
            assertEquals(d == KernelDesign.MONOLITHIC || d == KernelDesign.MKLINUX_INKERNEL || d == KernelDesign.L4LINUX_EMU,
                    r.ok(), d.key());
            KernelInvariants.assertHolds(k);
        }
    }

    @Test
    void theInKernelServerNeedsTheCallersMessageBuffer() {
        Kernel k = new Kernel(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.MKLINUX_INKERNEL));
        SyscallResult made = k.syscall(k.sigma0Thread(), new Syscall.CreateSpace());
        SyscallResult r = k.syscall(made.from(), new Syscall.GetPid());
        assertEquals(ErrorCode.BAD_ADDRESS, r.error(), "no message buffer is mapped");
    }

    @Test
    void wordsBeyondTheRegistersTravelThroughTheMessageBuffers() {
        Scene s = new Scene("i486", KernelDesign.L4);
        byte[] words = new byte[64];
        for (int i = 0; i < words.length; i++) {
            words[i] = (byte) (i + 1);
        }
        s.k.poke(s.a, Layout.messageBuffer(s.client.number()), words);
        s.serverWaits(0, null);
        assertEquals(ErrorCode.OK, s.clientSends(Message.of(1, 2, 3, 4, 5, 6, 7, 8)).error());
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 7, 8}, s.k.resultOf(s.server).msg().words());
        int beyond = (8 - 3) * 4;
        assertArrayEquals(java.util.Arrays.copyOf(words, beyond), s.k.peek(s.b, Layout.messageBuffer(s.server.number()), beyond),
                "the five words beyond i486's three registers were copied from buffer to buffer");
        assertEquals(0, s.k.peek(s.b, Layout.messageBuffer(s.server.number()) + beyond, 1)[0], "and nothing more");
        KernelInvariants.assertHolds(s.k);
    }

    @Test
    void aMachMessageIsCopiedInAndOutWithItsHeader() {
        // MK83's 24-byte header; OSF MK's header with the minimum trailer, 32.
        for (var d : java.util.Map.of(KernelDesign.MACH, 24, KernelDesign.MKLINUX_USER, 32).entrySet()) {
            Scene s = new Scene("i486", d.getKey());
            byte[] body = new byte[64];
            java.util.Arrays.fill(body, (byte) 7);
            s.k.poke(s.a, Layout.messageBuffer(s.client.number()), body);
            s.serverWaits(0, null);
            assertEquals(ErrorCode.OK, s.clientSends(Message.of(1, 2, 3, 4)).error());
            int bytes = d.getValue() + 4 * 4;
            assertEquals(bytes, d.getKey().machKernel().headerBytes() + 4 * 4);
            assertArrayEquals(java.util.Arrays.copyOf(body, bytes), s.k.peek(s.b, Layout.messageBuffer(s.server.number()), bytes),
                    d.getKey().key() + ": header and four words");
            assertEquals(0, s.k.peek(s.b, Layout.messageBuffer(s.server.number()) + bytes, 1)[0], d.getKey().key());
        }
    }

    @Test
    void tooLongAMessageIsRefusedAndChangesNothing() {
        Scene s = new Scene("i486", KernelDesign.L4);
        s.serverWaits(0, null);
        String before = s.k.stateDigest();
        long[] words = new long[Message.MAX_WORDS + 1];
        assertEquals(ErrorCode.MESSAGE_TOO_LONG, s.clientSends(Message.of(words)).error());
        assertEquals(before, s.k.stateDigest());
        long[] most = new long[Message.MAX_WORDS];
        assertEquals(ErrorCode.OK, s.clientSends(Message.of(most)).error(), "the longest message goes");
    }

    @Test
    void messagesAndBuffersTheKernelCannotReachAreRefused() {
        Kernel k = new Kernel(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4));
        CycleBench.Party a = CycleBench.newSpace(k);
        SyscallResult bare = k.syscall(k.sigma0Thread(), new Syscall.CreateSpace());
        ThreadId nobuffer = bare.from();
        int nodes = k.nodeCount();
        assertEquals(ErrorCode.BAD_ADDRESS, k.syscall(nobuffer, new Syscall.Send(a.thread(), Message.of(1, 2, 3, 4, 5),
                Timeout.ZERO)).error(), "words beyond the registers, and no message buffer to hold them");
        assertEquals(ErrorCode.BAD_ADDRESS, k.syscall(a.thread(), new Syscall.Send(nobuffer, Message.of(1).withString(DATA, -1),
                Timeout.ZERO)).error(), "a string of negative length");
        assertEquals(ErrorCode.BAD_ADDRESS, k.syscall(a.thread(), new Syscall.Send(nobuffer, Message.of(1).withString(DATA, 8),
                Timeout.ZERO)).error(), "a string from memory the sender has not mapped");
        assertEquals(ErrorCode.BAD_ADDRESS, k.syscall(a.thread(), new Syscall.Receive(ThreadId.ANY, Timeout.ZERO, DATA, -1, null))
                .error(), "a buffer of negative length");
        assertEquals(ErrorCode.UNALIGNED_FPAGE, k.syscall(a.thread(), new Syscall.Receive(ThreadId.ANY, Timeout.ZERO, 0, 0,
                new Fpage(DATA + 4096, 1, Rights.ALL))).error(), "a window not aligned to its size");
        assertEquals(ErrorCode.BAD_ADDRESS, k.syscall(a.thread(), new Syscall.Receive(ThreadId.ANY, Timeout.ZERO, 0, 0,
                new Fpage(0xFFFF_F000L, 0, Rights.ALL))).error(), "a window outside user memory");
        assertEquals(ErrorCode.NO_PERMISSION, k.syscall(k.sigma0Thread(), new Syscall.Receive(ThreadId.ANY, Timeout.ZERO, 0, 0,
                new Fpage(DATA, 0, Rights.ALL))).error(), "Sigma0 owns every frame already; it opens no window");
        assertEquals(ErrorCode.NO_PERMISSION, k.syscall(k.sigma0Thread(), new Syscall.Send(a.thread(),
                Message.of(0).withItem(new Fpage(k.sigma0Address(0), 0, Rights.R), true), Timeout.ZERO)).error(),
                "Sigma0 maps its frames and never grants them away");
        assertEquals(nodes, k.nodeCount(), "and no mapping was made");
        assertEquals(ThreadState.READY, k.state(nobuffer), "nobody blocked");
        Kernel mach = new Kernel(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.MACH));
        ThreadId machBare = mach.syscall(mach.sigma0Thread(), new Syscall.CreateSpace()).from();
        assertEquals(ErrorCode.BAD_ADDRESS, mach.syscall(machBare, new Syscall.Receive(ThreadId.ANY, Timeout.ZERO, 0, 0, null))
                .error(), "a Mach receiver needs a message buffer to copy out to");
    }

    @Test
    void aReplyWaitWithARequestQueuedTakesItAtOnce() {
        Kernel k = new Kernel(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.L4));
        ThreadId client = CycleBench.newSpace(k).thread();
        ThreadId server = CycleBench.newSpace(k).thread();
        ThreadId other = CycleBench.newSpace(k).thread();
        CycleBench.parkSigma0(k);
        assertNull(k.syscall(server, new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, null)));
        assertNull(k.syscall(client, new Syscall.Call(server, Message.of(1), 0, 0, null)));
        assertNull(k.syscall(other, new Syscall.Call(server, Message.of(2), 0, 0, null)));
        assertEquals(ThreadState.SENDING, k.state(other), "the server is busy: the second caller queues");
        SyscallResult r = k.syscall(server, new Syscall.ReplyWait(client, Message.of(9), 0, 0, null));
        assertNotNull(r, "the queued request is taken at once; the server does not block");
        assertEquals(other, r.from());
        assertArrayEquals(new long[] {2}, r.msg().words());
        assertEquals(ThreadState.READY, k.state(client));
        assertArrayEquals(new long[] {9}, k.resultOf(client).msg().words());
        assertEquals(ThreadState.RECEIVING, k.state(other), "the second caller now waits for its reply");
        KernelInvariants.assertHolds(k);
    }

    @Test
    void aGrantWithFewerRightsNarrowsWhatWasDerivedAndRemovesWhatIsLeftWithNone() {
        Kernel k = new Kernel(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4));
        CycleBench.Party a = CycleBench.newSpace(k);
        CycleBench.Party b = CycleBench.newSpace(k);
        CycleBench.Party c = CycleBench.newSpace(k);
        CycleBench.Party d = CycleBench.newSpace(k);
        k.sigma0Map(a.space(), DATA, 1, Rights.R | Rights.W);
        CycleBench.parkSigma0(k);
        Fpage window = new Fpage(DATA, 0, Rights.ALL);
        for (var to : java.util.List.of(java.util.Map.entry(b, Rights.R | Rights.W), java.util.Map.entry(d, Rights.W))) {
            k.syscall(to.getKey().thread(), new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, window));
            assertEquals(ErrorCode.OK, k.syscall(a.thread(), new Syscall.Send(to.getKey().thread(),
                    Message.of(0).withItem(new Fpage(DATA, 0, to.getValue()), false), Timeout.ZERO)).error());
        }
        assertEquals(Rights.R | Rights.W, k.mapping(b.space(), DATA)[1]);
        assertEquals(Rights.W, k.mapping(d.space(), DATA)[1]);
        k.syscall(c.thread(), new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, window));
        assertEquals(ErrorCode.OK, k.syscall(a.thread(), new Syscall.Send(c.thread(),
                Message.of(0).withItem(new Fpage(DATA, 0, Rights.R), true), Timeout.ZERO)).error());
        assertNull(k.mapping(a.space(), DATA), "the granter gave the page away");
        assertEquals(Rights.R, k.mapping(c.space(), DATA)[1]);
        assertEquals(Rights.R, k.mapping(b.space(), DATA)[1], "b's mapping keeps only what the grant kept");
        assertEquals(0, k.ptes(b.space(), DATA)[0] & dev.mkspec.hw.Pte.RW, "and its page table says so");
        assertNull(k.mapping(d.space(), DATA), "d had only w, which the grant took: its mapping is gone");
        KernelInvariants.assertHolds(k);
    }
    private record Remap(Kernel k, SpaceId b, SpaceId c) { }

    /** a maps its page to b read-only, b maps it on to c; then a maps it to b again with w. */
    private static Remap remapScene(KernelBug bug) {
        Kernel k = new Kernel(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4).withBug(bug));
        CycleBench.Party a = CycleBench.newSpace(k);
        CycleBench.Party b = CycleBench.newSpace(k);
        CycleBench.Party c = CycleBench.newSpace(k);
        k.sigma0Map(a.space(), DATA, 1, Rights.R | Rights.W);
        CycleBench.parkSigma0(k);
        Fpage window = new Fpage(DATA, 0, Rights.ALL);
        k.syscall(b.thread(), new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, window));
        assertEquals(ErrorCode.OK, k.syscall(a.thread(), new Syscall.Send(b.thread(),
                Message.of(0).withItem(new Fpage(DATA, 0, Rights.R), false), Timeout.ZERO)).error());
        k.syscall(c.thread(), new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, window));
        assertEquals(ErrorCode.OK, k.syscall(b.thread(), new Syscall.Send(c.thread(),
                Message.of(0).withItem(new Fpage(DATA, 0, Rights.R), false), Timeout.ZERO)).error());
        k.syscall(b.thread(), new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, window));
        assertEquals(ErrorCode.OK, k.syscall(a.thread(), new Syscall.Send(b.thread(),
                Message.of(0).withItem(new Fpage(DATA, 0, Rights.R | Rights.W), false), Timeout.ZERO)).error());
        return new Remap(k, b.space(), c.space());
    }

    @Test
    void aRemapOfAPageAlreadyDerivedFromTheSourceExtendsItsRightsAndKeepsWhatWasDerived() {
        Remap r = remapScene(KernelBug.NONE);
        Kernel k = r.k();
        SpaceId b = r.b();
        SpaceId c = r.c();
        assertEquals(Rights.R | Rights.W, k.mapping(b, DATA)[1], "b's page gained w");
        assertTrue((k.ptes(b, DATA)[0] & dev.mkspec.hw.Pte.RW) != 0, "and its page table says so");
        assertNotNull(k.mapping(c, DATA), "c's mapping, derived from b's page, stays");
        assertEquals(Rights.R, k.mapping(c, DATA)[1]);
        KernelInvariants.assertHolds(k);
    }

    @Test
    void aKernelThatFlushesOnRemapLosesWhatWasDerivedWhileItsOwnInvariantsHold() {
        Remap r = remapScene(KernelBug.REMAP_FLUSHES);
        Kernel k = r.k();
        SpaceId b = r.b();
        SpaceId c = r.c();
        assertEquals(Rights.R | Rights.W, k.mapping(b, DATA)[1]);
        assertNull(k.mapping(c, DATA), "the flush took c's mapping with it");
        KernelInvariants.assertHolds(k);   // no K-n sees it: only refinement (AS-16) does
    }
}
