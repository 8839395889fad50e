package dev.mkspec.kernel.bench;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.Primitive;
import dev.mkspec.kernel.Fpage;
import dev.mkspec.kernel.Kernel;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.kernel.KernelInvariants;
import dev.mkspec.kernel.Layout;
import dev.mkspec.kernel.Message;
import dev.mkspec.kernel.Path;
import dev.mkspec.kernel.Rights;
import dev.mkspec.kernel.Side;
import dev.mkspec.kernel.SpaceId;
import dev.mkspec.kernel.Syscall;
import dev.mkspec.kernel.SyscallResult;
import dev.mkspec.kernel.ThreadId;
import dev.mkspec.kernel.Timeout;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the workloads on a kernel and reads the meter. Every measurement builds a fresh kernel,
 * sets the scene up through system calls and Sigma0's pager, runs the measured operation
 * {@link #WARMUP} times to warm the simulated TLBs and caches (as the published measurements
 * were taken warm), resets the meter, runs it once more and reports that run. Nothing here
 * prices anything: every cycle comes from the kernel's paths on the simulated CPU.
 */
public final class CycleBench {
    /** Warm-up runs before the measured one. */
    public static final int WARMUP = 2;
    /** The working-set sizes of as-switch. */
    public static final int[] AS_SWITCH_PAGES = {0, 1, 2, 4, 8, 16, 32, 64, 128};
    /** The page counts and chain depths of map-flush. */
    public static final int[] MAP_FLUSH_PAGES = {1, 4, 16, 64};
    public static final int[] MAP_FLUSH_DEPTHS = {1, 2, 3, 4};
    /** Requests in batch-open. */
    public static final int BATCH = 10;
    /** The shootdown workload's CPU counts (CPU 0 flushes; the others cache the pages). */
    public static final int[] SHOOTDOWN_CPUS = {1, 2, 4};
    /** The shootdown workload's page counts. */
    public static final int[] SHOOTDOWN_PAGES = {1, 4, 16, 64};

    private CycleBench() {
    }

    /** Every row of {@code workload} for {@code design} on {@code config}'s profile (none if it does not apply). */
    public static List<BenchRow> run(KernelConfig config, Workload workload) {
        List<BenchRow> rows = new ArrayList<>();
        KernelDesign d = config.design();
        if (!workload.appliesTo(d)) {
            return rows;
        }
        switch (workload) {
            case NULL_SYSCALL -> rows.add(row(config, workload, "", nullSyscall(config)));
            case IPC_ONEWAY, IPC_SAME_SPACE -> rows.add(new BenchRow(config.profile().name(), d.key(), workload.key(), "",
                    config.mitigations(), callReply(config, workload == Workload.IPC_SAME_SPACE).meter().report()
                            .half(), 0, config));
            case IPC_CALL_REPLY -> rows.add(row(config, workload, "", callReply(config, false)));
            case GETPID -> rows.add(row(config, workload, "", d == KernelDesign.VST ? vstGetpid(config) : getpid(config)));
            case AS_SWITCH -> {
                List<KernelConfig> variants = new ArrayList<>();
                if (config.profile().pcid()) {
                    variants.add(config.withPcid(true));
                }
                variants.add(config.withPcid(false).withMitigations(false));
                for (KernelConfig c : variants) {
                    for (int k : AS_SWITCH_PAGES) {
                        rows.add(row(c, workload, "K=" + k + (d.smallSpaces() ? " small" : c.usePcid() ? " tagged" : " untagged"),
                                asSwitch(c, k)));
                    }
                }
            }
            case MAP_FLUSH -> {
                for (int depth : MAP_FLUSH_DEPTHS) {
                    for (int n : MAP_FLUSH_PAGES) {
                        Kernel k = mapFlush(config, n, depth);
                        rows.add(new BenchRow(config.profile().name(), d.key(), workload.key(), "n=" + n + " d=" + depth,
                                config.mitigations(), k.meter().report(), (long) n * depth, config));
                    }
                }
            }
            case BATCH_OPEN -> {
                if (d == KernelDesign.VST) {
                    rows.add(row(config, workload, BATCH + " requests, far calls", vstBatchOpen(config, false)));
                    rows.add(row(config, workload, BATCH + " requests, ring", vstBatchOpen(config, true)));
                } else {
                    rows.add(row(config, workload, BATCH + " requests", batchOpen(config)));
                }
            }
            case SHOOTDOWN -> {
                for (int cpus : SHOOTDOWN_CPUS) {
                    if (cpus > 1 && (config.mitigations() || !config.profile().prices(Primitive.IPI_SEND))) {
                        continue; // one CPU only: no IPI costs in the profile, or page-table isolation on
                    }
                    for (int n : SHOOTDOWN_PAGES) {
                        Kernel k = shootdown(config.withCpus(cpus), n);
                        rows.add(new BenchRow(config.profile().name(), d.key(), workload.key(), "n=" + n + " k=" + cpus,
                                config.mitigations(), k.meter(0).report(), n, config.withCpus(cpus)));
                    }
                }
            }
            default -> throw new IllegalStateException(workload.toString());
        }
        return rows;
    }

    private static BenchRow row(KernelConfig c, Workload w, String variant, Kernel k) {
        return new BenchRow(c.profile().name(), c.design().key(), w.key(), variant, c.mitigations(), k.meter().report(), 0, c);
    }

    // ------------------------------------------------------------------ scene set-up

    /** A space with one thread, its code, stack and message buffer mapped. */
    public record Party(SpaceId space, ThreadId thread) {
    }

    /** Sigma0's thread creates a space; its thread is {@link #equip}ped. */
    public static Party newSpace(Kernel k) {
        SyscallResult r = must(k, k.sigma0Thread(), new Syscall.CreateSpace());
        Party p = new Party(r.space(), r.from());
        equip(k, p.space, p.thread);
        return p;
    }

    static ThreadId newThread(Kernel k, SpaceId space) {
        ThreadId t = must(k, k.sigma0Thread(), new Syscall.CreateThread(space)).from();
        equip(k, space, t);
        return t;
    }

    /**
     * Sigma0's pager gives {@code t} what user code needs: the space's code pages (once per
     * space), the thread's stack page and its message buffer.
     */
    public static void equip(Kernel k, SpaceId space, ThreadId t) {
        if (k.mapping(space, Layout.USER_CODE) == null) {
            k.sigma0Map(space, Layout.USER_CODE, 2, Rights.R | Rights.X);
        }
        k.sigma0Map(space, Layout.stack(t.number()), 1, Rights.R | Rights.W);
        k.sigma0Map(space, Layout.messageBuffer(t.number()), 1, Rights.R | Rights.W);
    }

    /** Parks Sigma0's thread in an open receive so that it never competes for the CPU. */
    public static void parkSigma0(Kernel k) {
        ThreadId root = k.sigma0Thread();
        if (k.mapping(k.sigma0Space(), Layout.messageBuffer(root.number())) == null) {
            k.sigma0Map(k.sigma0Space(), Layout.messageBuffer(root.number()), 1, Rights.R | Rights.W);
        }
        if (k.syscall(root, new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, null)) != null) {
            throw new IllegalStateException("set-up: Sigma0's thread did not block: " + k.resultOf(root));
        }
    }

    static SyscallResult must(Kernel k, ThreadId t, Syscall call) {
        SyscallResult r = k.syscall(t, call);
        if (r == null || !r.ok()) {
            throw new IllegalStateException("set-up: " + t + " " + call + " gave " + (r == null ? "a block" : r.error()));
        }
        return r;
    }

    private static Syscall.Receive openWait() {
        return new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, null);
    }

    private static Kernel kernel(KernelConfig c) {
        return new Kernel(c);
    }

    /** Measures {@code op} after warm-up, then checks the kernel's invariants. */
    private static void measure(Kernel k, Runnable op) {
        for (int i = 0; i < WARMUP; i++) {
            op.run();
        }
        if (k.config().profile().isMeasuredCold()) {
            k.emptyCachesAndTlbs();
        }
        k.meter().reset();
        op.run();
        KernelInvariants.assertHolds(k);
    }

    // ------------------------------------------------------------------ workloads

    private static Kernel nullSyscall(KernelConfig c) {
        Kernel k = kernel(c);
        Party a = newSpace(k);
        parkSigma0(k);
        measure(k, () -> {
            k.meter().phase(Side.CLIENT, "user stub");
            k.user(a.thread, Path.USER_STUB);
            must(k, a.thread, new Syscall.Null());
        });
        return k;
    }

    private static boolean mach(KernelConfig c) {
        return c.design().ipc() == KernelDesign.Ipc.MACH;
    }

    /** The client prepares a request: registers (L4) or a message in memory (Mach). */
    private static void clientStub(Kernel k, KernelConfig c, ThreadId t, String label) {
        k.meter().phase(Side.CLIENT, label);
        if (mach(c)) {
            k.user(t, Path.MACH_STUB);
            k.userAccess(t, Layout.messageBuffer(t.number()), 40, true);
        } else {
            k.user(t, Path.USER_STUB);
        }
    }

    private static void serverStub(Kernel k, KernelConfig c, ThreadId s, String label, Path work) {
        k.meter().phase(Side.SERVER, label);
        if (mach(c)) {
            k.userAccess(s, Layout.messageBuffer(s.number()), 40, false);
        }
        // MkLinux's server runs its own loop and lock around the handler (counted from its source);
        // the other servers a generic dispatch.
        KernelDesign d = c.design();
        boolean mkLinux = d == KernelDesign.MKLINUX_USER || d == KernelDesign.MKLINUX_INKERNEL;
        if (d == KernelDesign.MKLINUX_USER) {
            k.user(s, Path.MKLINUX_UNIPROC_ENTER);
            k.user(s, Path.MKLINUX_SERVER_LOOP);
            k.user(s, Path.MKLINUX_MIG_DEMUX);
        } else if (d == KernelDesign.MKLINUX_INKERNEL) {
            k.user(s, Path.MKLINUX_ACTIVATION);
            k.user(s, Path.MKLINUX_UNIPROC_ENTER);
        } else {
            k.user(s, Path.SERVER_DISPATCH);
        }
        if (work != null) {
            k.user(s, work);
        }
        // On an activation (the in-kernel MkLinux server) the kernel calls the handler itself: no
        // MIG stub, no reply message.
        if (d != KernelDesign.MKLINUX_INKERNEL) {
            if (mach(c)) {
                k.user(s, d == KernelDesign.MKLINUX_USER ? Path.MKLINUX_MIG_STUB : Path.MACH_STUB);
                k.userAccess(s, Layout.messageBuffer(s.number()), 40, true);
            } else {
                k.user(s, Path.USER_STUB);
            }
        }
        if (mkLinux) {
            k.user(s, Path.MKLINUX_UNIPROC_EXIT);
        }
    }

    private static void clientReceives(Kernel k, KernelConfig c, ThreadId t) {
        k.meter().phase(Side.CLIENT, "receive reply");
        if (mach(c)) {
            k.userAccess(t, Layout.messageBuffer(t.number()), 40, false);
        }
    }

    /**
     * A call and its reply, from the client's stub until the client has the reply; the server in
     * a space of its own, or ({@code sameSpace}) a second thread of the client's. One-way rows are
     * half of this warm round trip, as the published one-way figures are defined.
     */
    private static Kernel callReply(KernelConfig c, boolean sameSpace) {
        Kernel k = kernel(c);
        Party a = newSpace(k);
        ThreadId server = sameSpace ? newThread(k, a.space) : newSpace(k).thread;
        k.setSide(server, Side.SERVER);
        parkSigma0(k);
        k.syscall(server, openWait());
        Message msg = Message.of(1, 2);
        measure(k, () -> {
            clientStub(k, c, a.thread, "send (call)");
            if (k.syscall(a.thread, new Syscall.Call(server, msg, 0, 0, null)) != null || !server.equals(k.current())) {
                throw new IllegalStateException("the call did not switch to the server: " + k.resultOf(a.thread));
            }
            serverStub(k, c, server, "server dispatch", null);
            k.syscall(server, new Syscall.ReplyWait(a.thread, Message.of(3), 0, 0, null));
            clientReceives(k, c, a.thread);
        });
        return k;
    }

    /** vst's selectors: the service's own code and data selectors, and the client's call selector. */
    public static final int SERVICE_CODE = 1;
    public static final int SERVICE_DATA = 2;
    public static final int CLIENT_CALL = 7;

    /**
     * vst: a service domain (a space) exporting a code segment and a data segment of its own, and
     * a call right to the code in {@code client}'s Vst. Returns the service's space.
     */
    public static Party vstService(Kernel k, SpaceId client) {
        Party svc = newSpace(k);
        int code = k.vstSegment(svc.space, 1);
        int data = k.vstSegment(svc.space, 2);
        k.vstGrant(svc.space, SERVICE_CODE, code, dev.mkspec.hw.VstMmu.R | dev.mkspec.hw.VstMmu.X);
        k.vstGrant(svc.space, SERVICE_DATA, data, dev.mkspec.hw.VstMmu.R | dev.mkspec.hw.VstMmu.W);
        k.vstGrant(client, CLIENT_CALL, code, dev.mkspec.hw.VstMmu.CALL);
        return svc;
    }

    /** vst: {@code t} far-calls the service, which runs {@code work} touching its data at {@code offset}, and returns. */
    private static void farService(Kernel k, ThreadId t, Path work, long offset, boolean write, String label) {
        k.meter().phase(Side.CLIENT, "far call");
        if (!k.farCall(t, CLIENT_CALL)) {
            throw new IllegalStateException("the far call was refused");
        }
        k.meter().phase(Side.SERVER, label + " (service code on the client's thread)");
        if (!k.segmentLoad(t, SERVICE_DATA)) {
            throw new IllegalStateException("the service could not load its data segment");
        }
        k.user(t, work);
        if (!k.segmentAccess(t, offset, 32, write)) {
            throw new IllegalStateException("the service's data access faulted at " + offset);
        }
        k.meter().phase(Side.CLIENT, "far return");
        k.farReturn(t);
    }

    private static Kernel vstGetpid(KernelConfig c) {
        Kernel k = kernel(c);
        Party a = newSpace(k);
        vstService(k, a.space);
        parkSigma0(k);
        measure(k, () -> {
            k.meter().phase(Side.CLIENT, "getpid stub");
            k.user(a.thread, Path.USER_STUB);
            farService(k, a.thread, Path.SERVER_GETPID, 0, false, "getpid");
        });
        return k;
    }

    /**
     * vst batch-open: 10 far calls that each serve an open on the client's thread; or, with
     * {@code ring}, 10 far calls that each put a request in the ring in the service's segment (and
     * set its wake-up flag), one signal to the service thread, which serves the ring and signals
     * back, and 10 far calls that take the replies.
     */
    private static Kernel vstBatchOpen(KernelConfig c, boolean ring) {
        Kernel k = kernel(c);
        Party a = newSpace(k);
        Party svc = vstService(k, a.space);
        k.setSide(svc.thread, Side.SERVER);
        parkSigma0(k);
        if (ring) {
            k.syscall(svc.thread, new Syscall.Wait(1));
        }
        long replies = 4096;
        measure(k, () -> {
            if (!ring) {
                for (int i = 0; i < BATCH; i++) {
                    k.meter().phase(Side.CLIENT, "open stub");
                    k.user(a.thread, Path.USER_STUB);
                    farService(k, a.thread, Path.SERVER_OPEN, i * 64L, true, "open");
                }
                return;
            }
            for (int i = 0; i < BATCH; i++) {
                farService(k, a.thread, Path.RING_PUT, i * 64L, true, "put a request in the ring");
            }
            k.meter().phase(Side.CLIENT, "wake the service thread, wait");
            k.user(a.thread, Path.USER_STUB);
            must(k, a.thread, new Syscall.Signal(svc.thread, 1));
            k.user(a.thread, Path.USER_STUB);
            k.syscall(a.thread, new Syscall.Wait(2));
            k.meter().phase(Side.SERVER, "serve " + BATCH + " requests from the ring");
            if (!k.segmentLoad(svc.thread, SERVICE_DATA)) {
                throw new IllegalStateException("the service thread could not load its data segment");
            }
            for (int i = 0; i < BATCH; i++) {
                k.user(svc.thread, Path.RING_GET);
                k.segmentAccess(svc.thread, i * 64L, 32, false);
                k.user(svc.thread, Path.SERVER_OPEN);
                k.user(svc.thread, Path.RING_PUT);
                k.segmentAccess(svc.thread, replies + i * 64L, 32, true);
            }
            k.segmentLoad(svc.thread, 0);
            k.user(svc.thread, Path.USER_STUB);
            must(k, svc.thread, new Syscall.Signal(a.thread, 2));
            k.user(svc.thread, Path.USER_STUB);
            k.syscall(svc.thread, new Syscall.Wait(1));
            for (int i = 0; i < BATCH; i++) {
                farService(k, a.thread, Path.RING_GET, replies + i * 64L, false, "take a reply from the ring");
            }
        });
        return k;
    }

    private static Kernel getpid(KernelConfig c) {
        Kernel k = kernel(c);
        Party a = newSpace(k);
        KernelDesign d = c.design();
        boolean exception = d == KernelDesign.MKLINUX_USER || d == KernelDesign.MKLINUX_INKERNEL;
        // MkLinux's server in its own task, or (in-kernel) co-located: a thread in the kernel's half
        // of every space, so that switching to it loads no CR3; a thread of the client's space has
        // exactly that property in this one-client measurement.
        ThreadId server = d.server() == KernelDesign.Server.USER ? newSpace(k).thread
                : d == KernelDesign.MKLINUX_INKERNEL ? newThread(k, a.space) : null;
        if (server != null) {
            k.setSide(server, Side.SERVER);
        }
        parkSigma0(k);
        if (server != null) {
            k.syscall(server, openWait());
        }
        if (exception) {
            k.setExceptionServer(a.space, server);
        }
        if (d == KernelDesign.MKLINUX_INKERNEL) {
            k.setKernelMode(server);
        }
        measure(k, () -> {
            if (exception) {
                // MkLinux: the unmodified binary traps; the kernel turns the trap into an exception
                // message to the Linux server, whose reply writes the thread's state back.
                k.meter().phase(Side.CLIENT, "getpid: libc wrapper and int 0x80");
                k.user(a.thread, Path.LIBC_SYSCALL);
                if (k.syscall(a.thread, new Syscall.GetPid()) != null || !server.equals(k.current())) {
                    throw new IllegalStateException("the exception did not reach the Linux server: " + k.resultOf(a.thread));
                }
                serverStub(k, c, server, "server: EXC_SYSCALL handler", Path.MKLINUX_EXC_HANDLER);
                k.syscall(server, new Syscall.ReplyWait(a.thread, Message.of(new long[31]), 0, 0, null));
                return;
            }
            if (server == null) {
                if (d == KernelDesign.MONOLITHIC) {
                    k.meter().phase(Side.CLIENT, "getpid: libc wrapper and trap");
                    k.user(a.thread, Path.LIBC_SYSCALL);
                } else {
                    clientStub(k, c, a.thread, "getpid trap");
                }
                long pid = must(k, a.thread, new Syscall.GetPid()).value();
                if (pid != a.thread.number()) {
                    throw new IllegalStateException("getpid returned " + pid);
                }
                return;
            }
            if (d.emulationLibrary()) {
                k.meter().phase(Side.CLIENT, "trap (unmodified binary)");
                k.user(a.thread, Path.LIBC_SYSCALL);
                must(k, a.thread, new Syscall.GetPid());
                k.meter().phase(Side.CLIENT, "enter emulation lib");
                k.user(a.thread, Path.EMULATION_LIB);
            }
            clientStub(k, c, a.thread, "send (call)");
            k.syscall(a.thread, new Syscall.Call(server, Message.of(20), 0, 0, null));
            serverStub(k, c, server, "server: getpid", Path.SERVER_GETPID);
            k.syscall(server, new Syscall.ReplyWait(a.thread, Message.of(a.thread.number()), 0, 0, null));
            clientReceives(k, c, a.thread);
        });
        return k;
    }

    private static Kernel asSwitch(KernelConfig c, int pages) {
        Kernel k = kernel(c);
        Party a = newSpace(k);
        Party b = newSpace(k);
        k.setSide(b.thread, Side.SERVER);
        if (pages > 0) {
            k.sigma0Map(a.space, Layout.USER_DATA, pages, Rights.R | Rights.W);
            k.sigma0Map(b.space, Layout.USER_DATA, pages, Rights.R | Rights.W);
        }
        parkSigma0(k);
        k.syscall(b.thread, openWait());
        measure(k, () -> {
            k.meter().phase(Side.CLIENT, "client touches " + pages + " pages");
            touch(k, a.thread, pages);
            k.user(a.thread, Path.USER_STUB);
            k.syscall(a.thread, new Syscall.Call(b.thread, Message.of(1), 0, 0, null));
            k.meter().phase(Side.SERVER, "server touches " + pages + " pages");
            touch(k, b.thread, pages);
            k.user(b.thread, Path.USER_STUB);
            k.syscall(b.thread, new Syscall.ReplyWait(a.thread, Message.of(2), 0, 0, null));
        });
        return k;
    }

    private static void touch(Kernel k, ThreadId t, int pages) {
        for (int i = 0; i < pages; i++) {
            if (!k.userAccess(t, Layout.USER_DATA + (long) i * 4096, 8, false)) {
                throw new IllegalStateException("working-set page " + i + " is not mapped");
            }
        }
    }

    /** map-flush: the meter covers building the chain (map phase) and the flush; returns the kernel. */
    static Kernel mapFlush(KernelConfig c, int pages, int depth) {
        Kernel k = kernel(c);
        List<Party> chain = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            Party p = newSpace(k);
            chain.add(p);
        }
        int order = Integer.numberOfTrailingZeros(pages);
        if (Integer.bitCount(pages) != 1) {
            throw new IllegalArgumentException("map-flush needs a power-of-two page count, not " + pages);
        }
        k.sigma0Map(chain.get(0).space, Layout.USER_DATA, pages, Rights.R | Rights.W);
        parkSigma0(k);
        Fpage fp = new Fpage(Layout.USER_DATA, order, Rights.R | Rights.W);
        Runnable build = () -> {
            k.meter().phase(Side.CLIENT, "map " + pages + " pages down " + depth + " spaces");
            for (int i = 0; i + 1 < depth; i++) {
                ThreadId to = chain.get(i + 1).thread;
                k.syscall(to, new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, fp));
                must(k, chain.get(i).thread, new Syscall.Send(to, Message.of(0).withItem(fp, false), Timeout.ZERO));
            }
        };
        Runnable flush = () -> {
            k.meter().phase(Side.CLIENT, "flush " + pages + " pages x " + depth + " spaces");
            must(k, chain.get(0).thread, new Syscall.Flush(new Fpage(Layout.USER_DATA, order, Rights.W)));
            // the flush took w; the top space keeps r, so its pages survive as read-only roots of nothing
        };
        build.run();
        flush.run();
        // give the top space its rights back for the measured run
        k.syscall(chain.get(0).thread, new Syscall.Flush(new Fpage(Layout.USER_DATA, order, Rights.ALL)));
        k.sigma0Map(chain.get(0).space, Layout.USER_DATA, pages, Rights.R | Rights.W);
        k.meter().reset();
        build.run();
        k.meter().phase(Side.CLIENT, "flush");
        must(k, chain.get(0).thread, new Syscall.Flush(new Fpage(Layout.USER_DATA, order, Rights.ALL)));
        KernelInvariants.assertHolds(k);
        return k;
    }

    private static Kernel batchOpen(KernelConfig c) {
        Kernel k = kernel(c);
        Party a = newSpace(k);
        Party b = newSpace(k);
        k.setSide(b.thread, Side.SERVER);
        long ring = Layout.USER_DATA;
        long shared = k.sigma0Map(a.space, ring, 1, Rights.R | Rights.W);
        k.sigma0MapShared(b.space, ring, shared, Rights.R | Rights.W);
        parkSigma0(k);
        boolean batched = c.design() == KernelDesign.BATCHED;
        if (batched) {
            k.syscall(b.thread, new Syscall.Wait(1));
        } else {
            k.syscall(b.thread, openWait());
        }
        measure(k, () -> {
            if (!batched) {
                for (int i = 0; i < BATCH; i++) {
                    clientStub(k, c, a.thread, "send (call)");
                    k.syscall(a.thread, new Syscall.Call(b.thread, Message.of(5, i), 0, 0, null));
                    serverStub(k, c, b.thread, "server: open", Path.SERVER_OPEN);
                    k.syscall(b.thread, new Syscall.ReplyWait(a.thread, Message.of(i), 0, 0, null));
                    clientReceives(k, c, a.thread);
                }
                return;
            }
            k.meter().phase(Side.CLIENT, "put " + BATCH + " requests in the ring");
            for (int i = 0; i < BATCH; i++) {
                k.user(a.thread, Path.RING_PUT);
                k.userAccess(a.thread, ring + i * 64L, 32, true);
            }
            k.user(a.thread, Path.USER_STUB);
            must(k, a.thread, new Syscall.Signal(b.thread, 1));
            k.user(a.thread, Path.USER_STUB);
            k.syscall(a.thread, new Syscall.Wait(2));
            k.meter().phase(Side.SERVER, "serve " + BATCH + " requests from the ring");
            for (int i = 0; i < BATCH; i++) {
                k.user(b.thread, Path.RING_GET);
                k.userAccess(b.thread, ring + i * 64L, 32, false);
                k.user(b.thread, Path.SERVER_OPEN);
                k.user(b.thread, Path.RING_PUT);
                k.userAccess(b.thread, ring + 2048 + i * 64L, 32, true);
            }
            k.user(b.thread, Path.USER_STUB);
            must(k, b.thread, new Syscall.Signal(a.thread, 2));
            k.user(b.thread, Path.USER_STUB);
            k.syscall(b.thread, new Syscall.Wait(1));
            k.meter().phase(Side.CLIENT, "take " + BATCH + " replies from the ring");
            for (int i = 0; i < BATCH; i++) {
                k.user(a.thread, Path.RING_GET);
                k.userAccess(a.thread, ring + 2048 + i * 64L, 32, false);
            }
        });
        return k;
    }

    /**
     * A thread of one space on each CPU; each has touched the {@code pages} pages, so that every
     * CPU's TLB holds them; CPU 0's thread flushes them, every other CPU takes its IPI, and CPU 0
     * finishes. After warm-up, each CPU's meter holds the measured flush (CPU 0's is the row).
     */
    static Kernel shootdown(KernelConfig c, int pages) {
        if (Integer.bitCount(pages) != 1) {
            throw new IllegalArgumentException("shootdown needs a power-of-two page count, not " + pages);
        }
        Kernel k = kernel(c);
        Party a = newSpace(k);
        List<ThreadId> threads = new ArrayList<>(List.of(a.thread));
        for (int cpu = 1; cpu < c.cpus(); cpu++) {
            ThreadId t = newThread(k, a.space);
            k.setProcessor(t, cpu);
            threads.add(t);
        }
        parkSigma0(k);
        Fpage all = new Fpage(Layout.USER_DATA, Integer.numberOfTrailingZeros(pages), Rights.ALL);
        for (int round = 0; round <= WARMUP; round++) {
            k.sigma0Map(a.space, Layout.USER_DATA, pages, Rights.R | Rights.W);
            for (ThreadId t : threads) {
                must(k, t, new Syscall.Null());
                for (int i = 0; i < pages; i++) {
                    k.userAccess(t, Layout.USER_DATA + (long) i * 4096, 8, true);
                }
            }
            for (int cpu = 0; cpu < c.cpus(); cpu++) {
                k.meter(cpu).reset();
            }
            k.meter(0).phase(Side.CLIENT, "flush " + pages + " pages cached on " + c.cpus() + " CPUs");
            SyscallResult r = k.syscall(a.thread, new Syscall.Flush(all));
            if (c.cpus() > 1) {
                if (r != null) {
                    throw new IllegalStateException("shootdown: the flush returned before its acknowledgements: " + r);
                }
                for (int cpu = 1; cpu < c.cpus(); cpu++) {
                    k.step(cpu);
                }
                if (k.step(0) != Kernel.CpuStep.FINISHED) {
                    throw new IllegalStateException("shootdown: CPU 0 did not finish after every acknowledgement");
                }
                r = k.resultOf(a.thread);
            }
            if (r == null || !r.ok()) {
                throw new IllegalStateException("shootdown: the flush failed: " + r);
            }
        }
        KernelInvariants.assertHolds(k);
        return k;
    }

    /** Every row for the given profiles, designs and workloads. */
    public static List<BenchRow> runAll(List<CpuProfile> profiles, List<KernelDesign> designs, List<Workload> workloads,
            boolean mitigations) {
        return runAll(profiles, designs, workloads, mitigations, c -> c);
    }

    /**
     * Every row for the given profiles, designs and workloads, each kernel built from its
     * configuration changed by {@code whatIf} (the identity for the rows as the profiles give them).
     */
    public static List<BenchRow> runAll(List<CpuProfile> profiles, List<KernelDesign> designs, List<Workload> workloads,
            boolean mitigations, java.util.function.UnaryOperator<KernelConfig> whatIf) {
        List<BenchRow> rows = new ArrayList<>();
        for (CpuProfile p : profiles) {
            for (Workload w : workloads) {
                for (KernelDesign d : designs) {
                    if (!d.runsOn(p)) {
                        continue; // l4-small on a 64-bit profile: no rows, as for a workload that does not apply
                    }
                    KernelConfig c = KernelConfig.of(p, d);
                    if (mitigations) {
                        if (!p.mitigationsAvailable()) {
                            continue;
                        }
                        c = c.withMitigations(true);
                    }
                    rows.addAll(run(whatIf.apply(c), w));
                }
            }
        }
        return rows;
    }
}
