package dev.mkspec.kernel;

import java.util.List;

/**
 * Which Mach kernel a design with Mach IPC runs, each priced by paths counted from its own source,
 * so that every published row is compared with the code of the kernel it measured: CMU's Mach 3.0
 * for the 486 figures of Liedtke's papers (1993, 1995), and OSF MK for MkLinux (Härtig et al.
 * 1997). The two differ where it matters: MK83 hands its kernel stack to the receiver without
 * saving a register context, shares one flat segment between user and kernel and has no message
 * trailer, but walks the page tables in software to find the physical address it loads into CR3.
 */
public enum MachKernel {
    /** CMU Mach 3.0 MK83 (repository calmsacibis995/mach30-src at 6d1ef9f): the {@code mach} design. */
    MK83(Path.MK83_ENTRY, Path.MK83_EXIT, Path.MK83_NULL_TRAP, Path.MK83_TRAP_ARGS, Path.MK83_COPYIN,
            Path.MK83_HANDOFF, Path.MK83_COPYOUT, 24, Path.MK83_GENERAL_SEND, Path.MK83_GENERAL_BLOCK,
            Path.MK83_GENERAL_RECEIVE, Path.MK83_SPACE_SWITCH, Path.MK83_COPYIN_REPLY, Path.MK83_COPYOUT_REPLY),
    /** OSF MK 3.0 PMK1.1 (repository slp/osfmk-mklinux): the kernel MkLinux ran on. */
    OSF_MK(Path.MACH_ENTRY, Path.MACH_EXIT, Path.MACH_NULL_TRAP, Path.MACH_TRAP_ARGS, Path.MACH_COPYIN,
            Path.MACH_HANDOFF, Path.MACH_COPYOUT, 32, null, null, null, null, null, null);

    private final Path entry;
    private final Path exit;
    private final Path nullTrap;
    private final Path trapArgs;
    private final Path copyIn;
    private final Path handOff;
    private final Path copyOut;
    private final int headerBytes;
    private final Path generalSend;
    private final Path generalBlock;
    private final Path generalReceive;
    private final Path spaceSwitch;
    private final Path copyInReply;
    private final Path copyOutReply;

    MachKernel(Path entry, Path exit, Path nullTrap, Path trapArgs, Path copyIn, Path handOff, Path copyOut,
            int headerBytes, Path generalSend, Path generalBlock, Path generalReceive, Path spaceSwitch,
            Path copyInReply, Path copyOutReply) {
        this.entry = entry;
        this.exit = exit;
        this.nullTrap = nullTrap;
        this.trapArgs = trapArgs;
        this.copyIn = copyIn;
        this.handOff = handOff;
        this.copyOut = copyOut;
        this.headerBytes = headerBytes;
        this.generalSend = generalSend;
        this.generalBlock = generalBlock;
        this.generalReceive = generalReceive;
        this.spaceSwitch = spaceSwitch;
        this.copyInReply = copyInReply;
        this.copyOutReply = copyOutReply;
    }

    /**
     * The hand-off's address-space part, which the kernel runs only when the receiver is in another
     * space; null where it was counted into {@link #handOff()} (OSF MK's, counted between two tasks).
     */
    public Path spaceSwitch() {
        return spaceSwitch;
    }

    /** The trap's entry, up to the call through the trap table. */
    public Path entry() {
        return entry;
    }

    /** The trap's exit, up to the IRET. */
    public Path exit() {
        return exit;
    }

    /** The body of the simplest trap, {@code mach_task_self}. */
    public Path nullTrap() {
        return nullTrap;
    }

    /** The copy of {@code mach_msg}'s arguments from the user stack. */
    public Path trapArgs() {
        return trapArgs;
    }

    /** The send half of the RPC fast path. */
    public Path copyIn() {
        return copyIn;
    }

    /** The fast path's hand-off to the waiting receiver, less the generic switch the scheduler charges. */
    public Path handOff() {
        return handOff;
    }

    /** The receive half of the RPC fast path. */
    public Path copyOut() {
        return copyOut;
    }

    /** Whether the general message path was counted, so that the fast path can be switched off. */
    public boolean hasGeneralPath() {
        return generalSend != null;
    }

    /** The three parts of a request's way through the kernel: on the fast path, or on the general path. */
    public List<Path> messagePath(boolean fast) {
        return messagePath(fast, false);
    }

    /**
     * The three parts of a message's way through the kernel, on the fast path or the general path,
     * for a request or a reply (the fast path's halves differ for a reply where they were counted
     * apart, MK83's; elsewhere a reply takes the request's).
     */
    public List<Path> messagePath(boolean fast, boolean reply) {
        if (!fast && !hasGeneralPath()) {
            throw new IllegalStateException(this + "'s general message path was not counted");
        }
        if (!fast) {
            return List.of(generalSend, generalBlock, generalReceive);
        }
        return reply && copyInReply != null ? List.of(copyInReply, handOff, copyOutReply) : List.of(copyIn, handOff, copyOut);
    }

    /**
     * Bytes a message carries besides its words, copied in and out with them: MK83's 24-byte
     * header; for OSF MK 32, its 24-byte header and the minimum 8-byte trailer, which OSF MK copies
     * out only (the copy-in here is 8 bytes too long, as it has been since OSF MK was counted).
     */
    public int headerBytes() {
        return headerBytes;
    }
}
