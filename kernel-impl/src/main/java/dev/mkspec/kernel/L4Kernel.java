package dev.mkspec.kernel;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.PagingMode;
import dev.mkspec.hw.Primitive;

/**
 * Which L4 kernel's code an L4 design is priced by, so that a published row is compared with the
 * code of the nearest version found of the kernel it measured: Liedtke's own Pentium kernel, in a
 * version of July 1997, for the Pentium figures (the 121-cycle IPC of May 1997 and L4Linux ran on
 * that kernel), his 486 kernel of July 1996 for the 486 figures (the L3 and L4 of 1993 and 1995
 * were earlier versions), and L4Ka::Pistachio's x86-32 fast path elsewhere (no 64-bit L4 of the
 * time was counted; the Skylake rows compare with seL4). The kernels
 * differ in their code, not in what an IPC does: the same roles (entry, IPC fast path, thread
 * switch, space check, exit) run in both, each priced by its own kernel's count.
 */
public enum L4Kernel {
    /** L4Ka::Pistachio's x86-32 IPC fast path (repository l4ka/pistachio at 8be66aa). */
    PISTACHIO("pistachio", Path.ENTRY, Path.IPC_FAST, Path.IPC_FAST, Path.THREAD_SWITCH, Path.SPACE_CHECK, Path.EXIT, null,
            null, null, null, null),
    /**
     * Liedtke's 486 L4 of 1996, the successor of the L3 and L4 of the 486 figures (Liedtke 1993,
     * 1995): {@code l4-x86/l4-4test/kernel/ipcman4.asm} in repository l4ka/hazelnut at f5943fe. It
     * has no small spaces: a switch between tasks is a CR3 write.
     */
    LIEDTKE_486("liedtke96", Path.L4V1_ENTRY, Path.L4V1_IPC_CALL, Path.L4V1_IPC_REPLY, Path.L4V1_THREAD_SWITCH,
            Path.L4V1_SPACE_CHECK, Path.L4V1_EXIT, null, null, Path.L4V1_SAME_TASK_CHECK, null, null),
    /**
     * Liedtke's Pentium L4 in a version of July 1997, the kernel of the 121-cycle IPC and of
     * L4Linux (Härtig et al. 1997): {@code l4-x86/l4-4test/kernel/ipcman5.as5} in repository
     * l4ka/hazelnut at f5943fe. It rewrites the user descriptors in the GDT and reloads DS and ES on
     * every IPC, small target or large, and within one space too.
     */
    LIEDTKE_P5("liedtke97", Path.L4V2_ENTRY, Path.L4V2_IPC, Path.L4V2_IPC, Path.L4V2_THREAD_SWITCH, Path.L4V2_SPACE_CHECK,
            Path.L4V2_EXIT, Path.L4V2_LARGE_SWITCH, Path.L4V2_LARGE_SWITCH_FLAT, Path.L4V2_SPACE_CHECK, Path.L4V2_LARGE_KEEP,
            Path.L4V2_LARGE_KEEP_FLAT);

    private final String key;
    private final Path entry;
    private final Path ipcFast;
    private final Path ipcFastReply;
    private final Path threadSwitch;
    private final Path spaceCheck;
    private final Path exit;
    private final Path largeSwitch;
    private final Path largeSwitchFlat;
    private final Path sameSpaceCheck;
    private final Path largeKeep;
    private final Path largeKeepFlat;

    L4Kernel(String key, Path entry, Path ipcFast, Path ipcFastReply, Path threadSwitch, Path spaceCheck, Path exit,
            Path largeSwitch, Path largeSwitchFlat, Path sameSpaceCheck, Path largeKeep, Path largeKeepFlat) {
        this.key = key;
        this.entry = entry;
        this.ipcFast = ipcFast;
        this.ipcFastReply = ipcFastReply;
        this.threadSwitch = threadSwitch;
        this.spaceCheck = spaceCheck;
        this.exit = exit;
        this.largeSwitch = largeSwitch;
        this.largeSwitchFlat = largeSwitchFlat;
        this.sameSpaceCheck = sameSpaceCheck;
        this.largeKeep = largeKeep;
        this.largeKeepFlat = largeKeepFlat;
    }

    /**
     * The L4 nearest to the one whose figures were measured on {@code profile}: Liedtke's 1997
     * kernel on the pentium profile, his 1996 486 kernel on the i486 profile, Pistachio's paths on
     * every other. A profile changed by a what-if keeps its name, and with it this choice.
     */
    public static L4Kernel measuredOn(CpuProfile profile) {
        return switch (profile.name()) {
            case "pentium" -> LIEDTKE_P5;
            case "i486" -> LIEDTKE_486;
            default -> PISTACHIO;
        };
    }

    /** The kernel named {@code key} (as the what-if {@code l4=KEY} names it). */
    public static L4Kernel byKey(String key) {
        for (L4Kernel k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no L4 kernel '" + key + "': l4=pistachio, l4=liedtke96 or l4=liedtke97");
    }

    /** Why this kernel cannot run on {@code profile}, or null if it can. */
    String refusal(CpuProfile profile) {
        if (this == LIEDTKE_486 && (profile.paging() != PagingMode.X86_32 || profile.prices(Primitive.SYSCALL)
                || profile.prices(Primitive.SYSENTER))) {
            return "Liedtke's 1996 L4 (l4=liedtke96) is an x86-32 kernel entered by INT; the " + profile.name()
                    + " profile " + (profile.paging() != PagingMode.X86_32 ? "runs " + profile.paging() + " paging"
                            : "prices SYSCALL or SYSENTER") + ": use it on i486 or pentium, or l4=pistachio";
        }
        if (this == LIEDTKE_P5 && (profile.paging() != PagingMode.X86_32 || !profile.prices(Primitive.MOV_SEG)
                || profile.prices(Primitive.SYSCALL) || profile.prices(Primitive.SYSENTER))) {
            return "Liedtke's 1997 L4 (l4=liedtke97) is an x86-32 kernel entered by INT that loads segment registers; the "
                    + profile.name() + " profile " + (profile.paging() != PagingMode.X86_32 ? "runs " + profile.paging() + " paging"
                            : !profile.prices(Primitive.MOV_SEG) ? "has no cost for movSeg" : "prices SYSCALL or SYSENTER")
                    + ": use it on pentium or i486, or l4=pistachio";
        }
        return null;
    }

    public String key() {
        return key;
    }

    /** The entry every system call runs after the trap. */
    public Path entry() {
        return entry;
    }

    /** The IPC fast path of a call (for Liedtke's 486 kernel: to a partner in open wait, then a closed receive). */
    public Path ipcFast() {
        return ipcFast;
    }

    /**
     * The IPC fast path of {@code call} or, if false, of a reply-and-wait (for Liedtke's 486
     * kernel: to a caller in closed wait, then an open receive; the others run one path for both).
     */
    public Path ipcFast(boolean call) {
        return call ? ipcFast : ipcFastReply;
    }

    /** Every path the IPC fast path may run as. */
    public java.util.List<Path> ipcFastPaths() {
        return ipcFast == ipcFastReply ? java.util.List.of(ipcFast) : java.util.List.of(ipcFast, ipcFastReply);
    }

    /** The switch from one thread to another (stacks, and what the kernel keeps per running thread). */
    public Path threadSwitch() {
        return threadSwitch;
    }

    /** The step that finds the next thread's space when it differs from the loaded one. */
    public Path spaceCheck() {
        return spaceCheck;
    }

    /** The exit every system call runs before the trap's return. */
    public Path exit() {
        return exit;
    }

    /**
     * The instructions of a switch to a large space beside the CR3 write, with its segment loads
     * priced in when {@code flat} (a design without user segments), or null where the space check
     * holds them (Pistachio's).
     */
    public Path largeSwitch(boolean flat) {
        return flat ? largeSwitchFlat : largeSwitch;
    }

    /**
     * What the kernel runs for the space when the next thread's is the one it already runs in:
     * null for a kernel with a same-space test that skips it all (Pistachio's); Liedtke's kernels
     * have none, and run their space step anyway (the 486 one its task compare, the Pentium one
     * its descriptor step, followed by the small or large part: {@link #largeKeep}).
     */
    public Path sameSpaceCheck() {
        return sameSpaceCheck;
    }

    /**
     * The Pentium kernel's large-space part when the directory is already loaded (the descriptors
     * rewritten and, when {@code flat}, DS and ES reloaded, no CR3), or null for the others.
     */
    public Path largeKeep(boolean flat) {
        return flat ? largeKeepFlat : largeKeep;
    }
}
