package dev.mkspec.kernel;

/**
 * The kernel designs mkspec compares. They are one kernel with switches, not copies: the same
 * threads, spaces, queues and mapping database, and the same semantics for every system call;
 * what differs is the path a request takes and so what it costs.
 */
public enum KernelDesign {
    /** A system call is served in the caller's address space; protection by the supervisor bit alone. */
    MONOLITHIC("monolithic", Ipc.L4, false, Server.IN_KERNEL, false),
    /** L4: IPC fast path with register messages, direct switch, lazy queueing; CR3 or PCID only when spaces differ. */
    L4("l4", Ipc.L4, true, Server.USER, false),
    /** Mach-like IPC: messages in memory, copied user to kernel to user, port-name lookup, larger paths and working set. */
    MACH("mach", Ipc.MACH, true, Server.USER, false),
    /** L4Linux: a Linux call becomes an L4 call to the Linux server in its own space, and the reply. */
    L4LINUX("l4linux", Ipc.L4, true, Server.USER, false),
    /** L4Linux for unmodified binaries: the trap is reflected to an emulation library, which then makes the call. */
    L4LINUX_EMU("l4linux-emu", Ipc.L4, true, Server.USER, true),
    /** MkLinux with the Linux server co-located in the kernel: a Mach message to an in-kernel server. */
    MKLINUX_INKERNEL("mklinux-inkernel", Ipc.MACH, true, Server.IN_KERNEL, false),
    /** MkLinux with a user-level Linux server: Mach IPC call and reply across spaces. */
    MKLINUX_USER("mklinux-user", Ipc.MACH, true, Server.USER, false),
    /** Requests through a shared ring and one notification each way, on the L4 kernel. */
    BATCHED("batched", Ipc.L4, true, Server.USER, false),
    /**
     * L4 with small address spaces (Liedtke 1995, the Pentium L4): spaces placed in windows of a
     * region every page directory shares, confined by segment base and limit; a switch to a small
     * space reloads segment registers instead of CR3, so no TLB flush happens. x86-32, one CPU.
     */
    L4_SMALL("l4-small", Ipc.L4, true, Server.USER, false),
    /**
     * L4 on a CPU with the virtual-segment-table MMU (specs/tla/Segments): a service exports code
     * and data segments, and a client whose Vst holds a call right reaches it by far call, on its
     * own thread and without entering the kernel, synchronously or by putting requests in a ring in
     * the service's segment for a service thread. 64-bit profiles with a tagged TLB, one CPU.
     */
    VST("vst", Ipc.L4, true, Server.USER, false);

    /** Which IPC path the kernel takes. */
    public enum Ipc {
        L4, MACH
    }

    /** Where a system personality's server runs. */
    public enum Server {
        IN_KERNEL, USER
    }

    private final String key;
    private final Ipc ipc;
    private final boolean fastPath;
    private final Server server;
    private final boolean emulationLibrary;

    KernelDesign(String key, Ipc ipc, boolean fastPath, Server server, boolean emulationLibrary) {
        this.key = key;
        this.ipc = ipc;
        this.fastPath = fastPath;
        this.server = server;
        this.emulationLibrary = emulationLibrary;
    }

    public String key() {
        return key;
    }

    public Ipc ipc() {
        return ipc;
    }

    /**
     * Whether the design's IPC has a fast path, taken by default: L4's register-message path, or
     * Mach's RPC fast path (the {@code fastpath=off} what-if sends Mach's messages on its general
     * path, where that was counted).
     */
    public boolean fastPath() {
        return fastPath;
    }

    public Server server() {
        return server;
    }

    public boolean emulationLibrary() {
        return emulationLibrary;
    }

    /**
     * The Mach kernel whose code a design with Mach IPC runs: CMU's Mach 3.0 for {@link #MACH}, the
     * Mach of the 486 measurements; OSF MK for the two MkLinux designs, which ran on it.
     *
     * @throws IllegalStateException for a design without Mach IPC
     */
    public MachKernel machKernel() {
        return switch (this) {
            case MACH -> MachKernel.MK83;
            case MKLINUX_INKERNEL, MKLINUX_USER -> MachKernel.OSF_MK;
            default -> throw new IllegalStateException(key + " has no Mach IPC");
        };
    }

    /**
     * Whether the design can run on {@code profile}: l4-small needs x86-32 segments and a price for
     * loading them; vst a tagged TLB (its tags are the global segment indexes) and prices for far
     * calls, far returns and segment loads.
     */
    public boolean runsOn(dev.mkspec.hw.CpuProfile profile) {
        if (this == VST) {
            return profile.pcid() && profile.prices(dev.mkspec.hw.Primitive.FAR_CALL)
                    && profile.prices(dev.mkspec.hw.Primitive.FAR_RETURN) && profile.prices(dev.mkspec.hw.Primitive.MOV_SEG);
        }
        return !smallSpaces() || (profile.paging() == dev.mkspec.hw.PagingMode.X86_32
                && profile.prices(dev.mkspec.hw.Primitive.MOV_SEG) && !profile.pcid());
    }

    /** Whether spaces are small where a window is free (the segment-based scheme of {@link #L4_SMALL}). */
    public boolean smallSpaces() {
        return this == L4_SMALL;
    }

    /** The design called {@code key}, or an exception listing the designs. */
    public static KernelDesign byKey(String key) {
        for (KernelDesign d : values()) {
            if (d.key.equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no kernel design '" + key + "'; the designs are " + keys());
    }

    public static String keys() {
        StringBuilder b = new StringBuilder();
        for (KernelDesign d : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(d.key);
        }
        return b.toString();
    }
}
