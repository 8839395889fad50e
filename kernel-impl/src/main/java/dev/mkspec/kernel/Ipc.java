package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.Mode;
import java.util.List;

/**
 * Synchronous IPC: send, receive, call and replyWait with their argument checks, the L4 fast path,
 * the slow path (or Mach's message path), and the transfer of words, strings and map and grant
 * items; and getpid, which a microkernel serves over IPC.
 */
final class Ipc {
    private final Platform p;

    Ipc(Platform p) {
        this.p = p;
    }

    /** A receive buffer and map window. */
    record Buffer(long vaddr, int bytes, Fpage window) {
    }

    SyscallResult send(Tcb t, ThreadId to, Message msg, Timeout timeout, Buffer thenReceive) {
        Tcb d = p.threads.find(to);
        ErrorCode e = p.threads.partnerError(t, to, d);
        if (e == ErrorCode.OK) {
            e = checkMessage(t, msg);
        }
        if (e == ErrorCode.OK && thenReceive != null) {
            e = checkBuffer(t, thenReceive);
        }
        if (e != ErrorCode.OK) {
            return p.fail(e);
        }
        boolean ready = receiving(d, t);
        if (ready) {
            e = checkDelivery(msg, t, d, d.bufferBytes, d.window);
            if (e != ErrorCode.OK) {
                return p.fail(e);
            }
        } else if (timeout == Timeout.ZERO) {
            return p.fail(ErrorCode.TIMEOUT);
        }
        if (ready && thenReceive != null && fastPathApplies(msg, d)) {
            return fastPath(t, d, msg, d.id, thenReceive);
        }
        ipcPath(t);
        if (!ready) {
            // Blocking send: the sender waits on the receiver's send queue.
            p.cpu.run(Path.SEND_ENQUEUE);
            p.cpu.touch(d.address + Tcb.QUEUE, 16, Access.WRITE, Mode.SUPERVISOR);
            p.cpu.touch(t.address + Tcb.STATE, 16, Access.WRITE, Mode.SUPERVISOR);
            t.state = ThreadState.SENDING;
            t.partner = d.id;
            t.outgoing = msg;
            t.calling = thenReceive != null;
            if (thenReceive != null) {
                t.bufferVaddr = thenReceive.vaddr;
                t.bufferBytes = thenReceive.bytes;
                t.window = thenReceive.window;
            }
            d.sendQueue.addLast(t);
            p.scheduler.scheduleNext();
            return null;
        }
        // MK83's fast path serves only a send that then receives (a call): a plain send goes the general way.
        deliver(t, d, msg, thenReceive != null);
        if (thenReceive == null) {
            // A plain send: the receiver becomes ready, the sender goes on.
            p.scheduler.makeReady(d);
            return SyscallResult.done();
        }
        // A call: the sender waits for the reply from the receiver, which runs at once.
        blockReceiving(t, d.id, thenReceive);
        t.awaitingReply = true;
        handOffPath(t, d, true);
        p.scheduler.handOff(d);
        return null;
    }

    SyscallResult replyWait(Tcb t, ThreadId to, Message msg, Buffer b) {
        Tcb d = p.threads.find(to);
        ErrorCode e = p.threads.partnerError(t, to, d);
        if (e == ErrorCode.OK) {
            e = checkMessage(t, msg);
        }
        if (e == ErrorCode.OK) {
            e = checkBuffer(t, b);
        }
        if (e == ErrorCode.OK && !awaitsReplyFrom(d, t)) {
            // Only a caller whose call t received may be replied to (Ipc.tla's MayReply).
            e = ErrorCode.NO_PERMISSION;
        }
        if (e == ErrorCode.OK) {
            e = checkDelivery(msg, t, d, d.bufferBytes, d.window);
        }
        if (e != ErrorCode.OK) {
            return p.fail(e);
        }
        Tcb pending = firstSender(t, ThreadId.ANY);
        if (pending == null && fastPathApplies(msg, d)) {
            return fastPath(t, d, msg, ThreadId.ANY, b);
        }
        ipcPath(t);
        // MK83's fast path gives up when a request is already queued for the replier (it would not block).
        deliver(t, d, msg, pending == null);
        if (pending != null && checkDelivery(pending.outgoing, pending, t, b.bytes, b.window) == ErrorCode.OK) {
            // A request is already queued: take it and go on; the replied-to thread becomes ready.
            p.scheduler.makeReady(d);
            return take(t, pending, b);
        }
        blockReceiving(t, ThreadId.ANY, b);
        handOffPath(t, d, pending == null);
        p.scheduler.handOff(d);
        return null;
    }

    SyscallResult receive(Tcb t, ThreadId from, Timeout timeout, Buffer b) {
        ErrorCode e = ErrorCode.OK;
        if (!from.equals(ThreadId.ANY)) {
            e = p.threads.partnerError(t, from, p.threads.find(from));
        }
        if (e == ErrorCode.OK) {
            e = checkBuffer(t, b);
        }
        if (e != ErrorCode.OK) {
            return p.fail(e);
        }
        ipcPath(t);
        Tcb s = firstSender(t, from);
        if (s != null) {
            e = checkDelivery(s.outgoing, s, t, b.bytes, b.window);
            if (e != ErrorCode.OK) {
                return SyscallResult.error(e);
            }
            return take(t, s, b);
        }
        if (timeout == Timeout.ZERO) {
            return SyscallResult.error(ErrorCode.TIMEOUT);
        }
        blockReceiving(t, from, b);
        p.scheduler.scheduleNext();
        return null;
    }

    /** The receiver {@code t} takes the message of the queued sender {@code s}. */
    SyscallResult take(Tcb t, Tcb s, Buffer b) {
        t.bufferVaddr = b.vaddr;
        t.bufferBytes = b.bytes;
        t.window = b.window;
        p.cpu.run(Path.SEND_DEQUEUE);
        p.cpu.touch(t.address + Tcb.QUEUE, 16, Access.WRITE, Mode.SUPERVISOR);
        p.cpu.touch(s.address + Tcb.STATE, 16, Access.WRITE, Mode.SUPERVISOR);
        t.sendQueue.remove(s);
        Message m = s.outgoing;
        s.outgoing = null;
        deliverInto(s, t, m, t.bufferVaddr, t.bufferBytes, t.window, false);
        SyscallResult r = SyscallResult.received(s.id, m);
        if (s.calling) {
            s.state = ThreadState.RECEIVING;
            s.partner = t.id;
            s.awaitingReply = true;
        } else {
            s.result = SyscallResult.done();
            p.scheduler.makeReady(s);
        }
        return r;
    }

    void blockReceiving(Tcb t, ThreadId from, Buffer b) {
        p.cpu.touch(t.address + Tcb.STATE, 16, Access.WRITE, Mode.SUPERVISOR);
        t.state = ThreadState.RECEIVING;
        t.partner = from;
        t.bufferVaddr = b.vaddr;
        t.bufferBytes = b.bytes;
        t.window = b.window;
        t.calling = false;
        t.awaitingReply = false;
    }

    /** Whether the fast path serves {@code msg} to {@code d}: registers only, and {@code d} on this CPU. */
    boolean fastPathApplies(Message msg, Tcb d) {
        return d.cpu == p.scheduler.cpu && p.config.fastPath() && p.config.design().ipc() == KernelDesign.Ipc.L4 && msg.registersOnly(p.registerWords);
    }

    /**
     * The L4 fast path: the message stays in registers, the receiver's TCB is found from its ID,
     * the sender blocks receiving, and the CPU switches straight to the receiver without touching
     * the ready queue (lazy queueing); CR3 is loaded only when the receiver's space differs.
     */
    SyscallResult fastPath(Tcb t, Tcb d, Message msg, ThreadId receiveFrom, Buffer b) {
        p.meter.phase(t.side, "IPC fast path");
        // A call receives from its callee only and waits for the reply; a reply then waits for any sender.
        boolean call = !receiveFrom.equals(ThreadId.ANY);
        p.cpu.run(p.config.l4Paths().ipcFast(call));
        if (p.config.capDecode()) {
            // The what-if of seL4's naming.
            p.cpu.run(call ? Path.SEL4_CALL_CAPS : Path.SEL4_REPLY_RECV_CAPS);
        }
        p.cpu.touch(t.address + Tcb.STATE, 16, Access.WRITE, Mode.SUPERVISOR);
        p.cpu.touch(d.address + Tcb.STATE, 16, Access.WRITE, Mode.SUPERVISOR);
        d.result = SyscallResult.received(t.id, msg);
        blockReceiving(t, receiveFrom, b);
        t.awaitingReply = call;
        p.scheduler.handOff(d);
        return null;
    }

    /**
     * What runs before a caller that now waits hands the CPU to the receiver of its message: L4's
     * slow path runs a scheduler pass; Mach hands off directly ({@link MachKernel#handOff()}, or on
     * its general path the blocking receive with the scheduler's choice), and MK83 switches the
     * address space only when {@code to} is in another ({@link MachKernel#spaceSwitch()}). A
     * receiver on another CPU is only made ready there, and this CPU runs a scheduler pass. A plain
     * send, or a receive that takes a queued message, switches to nobody and runs neither. With
     * {@code fastHalves} false (a reply-and-wait that found a request queued but could not take it)
     * MK83 blocks on its general path.
     */
    private void handOffPath(Tcb from, Tcb to, boolean fastHalves) {
        if (p.config.design().ipc() == KernelDesign.Ipc.MACH && to.cpu == p.scheduler.cpu) {
            MachKernel mk = p.config.design().machKernel();
            p.cpu.run(mk.messagePath(machFast(mk, fastHalves)).get(1));
            if (mk.spaceSwitch() != null && from.space != to.space) {
                p.cpu.run(mk.spaceSwitch());
            }
        } else {
            p.cpu.run(Path.SCHEDULE);
        }
    }

    /**
     * Whether a Mach message goes the fast path's way: the fast path is on and MK83 would take it
     * ({@code handsOff}: a send that then receives and blocks, with nothing queued for it), or the
     * kernel's general path was not counted (OSF MK's).
     */
    private boolean machFast(MachKernel mk, boolean handsOff) {
        return p.config.fastPath() && (handsOff || !mk.hasGeneralPath());
    }

    /** The slow path's (or Mach's) set-up work, charged before a transfer or a block. */
    void ipcPath(Tcb t) {
        if (p.config.design().ipc() == KernelDesign.Ipc.MACH) {
            p.meter.phase(t.side, "Mach message path");
            // A co-located server passes its arguments in a call, and the kernel sends an
            // exception message itself: neither copies mach_msg's arguments from a user stack.
            if (!t.kernelMode && !t.inException) {
                p.cpu.run(p.config.design().machKernel().trapArgs());
            }
            long table = p.layout.portTable(t.space.number);
            p.cpu.touch(table, 8, Access.READ, Mode.SUPERVISOR);
            p.cpu.touch(table + 256, 64, Access.READ, Mode.SUPERVISOR);
            p.cpu.touch(table + 640, 64, Access.WRITE, Mode.SUPERVISOR);
        } else {
            p.meter.phase(t.side, "IPC slow path");
            p.cpu.run(Path.IPC_SLOW);
            p.cpu.touch(t.address + Tcb.STATE, 16, Access.READ, Mode.SUPERVISOR);
        }
    }

    /**
     * Delivers {@code msg} from the running sender {@code t} to the waiting receiver {@code d};
     * {@code handsOff}: whether {@code t} then waits and hands its CPU to {@code d} (see {@link #deliverInto}).
     */
    void deliver(Tcb t, Tcb d, Message msg, boolean handsOff) {
        deliverInto(t, d, msg, d.bufferVaddr, d.bufferBytes, d.window, handsOff);
        d.result = SyscallResult.received(t.id, msg);
        if (d.inException) {
            // The exception's reply: the kernel writes the returned state back into the thread.
            d.inException = false;
            d.exceptionReturn = true;
            String label = p.meter.currentLabel();
            Side side = p.meter.currentSide();
            p.meter.phase(d.side, "exception reply: state written back");
            p.cpu.run(Path.MACH_EXC_RETURN);
            p.cpu.touch(d.address + Layout.TCB_BYTES - 124, 64, Access.WRITE, Mode.SUPERVISOR);
            p.meter.phase(side, label);
        }
    }

    /**
     * Moves {@code msg} from {@code from} into {@code to}. On Mach it goes through the kernel in a
     * send and a receive half. MK83 takes its fast path's halves only when {@code handsOff}: a
     * send that then receives ({@code mach_msg.c} L505, the option is send and receive) and will
     * block, with nothing queued for the sender to receive (L991-994), so that it hands off to the
     * receiver. A plain send, a receive that takes a queued message, and a reply-and-wait that finds
     * a request queued take the send and receive halves of MK83's general path
     * ({@link MachKernel#messagePath(boolean)}), as they do with the fast path switched off. Not
     * modelled: MK83 also requires the receiver to have blocked through a send-and-receive (its
     * continuation is {@code mach_msg_continue}); a receiver blocked by a plain receive is served by
     * the fast path here. OSF MK's general path was not counted, so MkLinux takes the fast halves
     * for every message.
     */
    void deliverInto(Tcb from, Tcb to, Message msg, long bufVaddr, int bufBytes, Fpage window, boolean handsOff) {
        boolean mach = p.config.design().ipc() == KernelDesign.Ipc.MACH;
        if (!mach) {
            // Mach's transfer is its send and receive halves below, which move the message through buffers.
            p.cpu.run(Path.IPC_TRANSFER);
        }
        p.cpu.touch(to.address + Tcb.MRS, Math.max(8, msg.wordCount() * 8), Access.WRITE, Mode.SUPERVISOR);
        if (mach) {
            // Mach: the message is in the sender's memory; copy it in to a kernel buffer and out again.
            MachKernel mk = p.config.design().machKernel();
            // A reply goes to a caller that awaits it (the fast path's halves for a reply differ).
            List<Path> way = mk.messagePath(machFast(mk, handsOff), to.awaitingReply);
            int bytes = mk.headerBytes() + msg.wordCount() * p.profile.wordBytes();
            // The hand-off between the halves is charged where the kernel switches (handOffPath).
            p.cpu.run(way.get(0));
            p.userMemory.copyUser(from.space, Layout.messageBuffer(from.id.number()), null, p.layout.kernelMessageBuffer(), bytes);
            p.cpu.touch(p.layout.portTable(to.space.number) + 512, 64, Access.WRITE, Mode.SUPERVISOR);
            p.cpu.run(way.get(2));
            p.userMemory.copyUser(null, p.layout.kernelMessageBuffer(), to.space, Layout.messageBuffer(to.id.number()), bytes);
        } else if (msg.wordCount() > p.registerWords) {
            p.userMemory.copyUser(from.space, Layout.messageBuffer(from.id.number()), to.space,
                    Layout.messageBuffer(to.id.number()), (msg.wordCount() - p.registerWords) * p.profile.wordBytes());
        }
        long at = bufVaddr;
        for (Message.StringItem s : msg.strings()) {
            p.cpu.run(Path.STRING_SETUP);
            p.userMemory.copyUser(from.space, s.vaddr(), to.space, at, s.length());
            at += s.length();
        }
        for (Message.MapItem item : msg.items()) {
            Fpage f = item.fpage();
            // Where the item meets the window (Ipc.tla's Meet): the smaller of the two moves, and it
            // is the part of the larger one that holds the send base's offset.
            long sb = (item.sendBase() >>> Fpage.PAGE_SHIFT);
            long first = f.base() >>> Fpage.PAGE_SHIFT;
            long land = window.base() >>> Fpage.PAGE_SHIFT;
            long pages = Math.min(f.pages(), window.pages());
            if (f.order() <= window.order()) {
                land += sb % window.pages() / f.pages() * f.pages();
            } else {
                first += sb % f.pages() / window.pages() * window.pages();
            }
            for (long i = 0; i < pages; i++) {
                long sv = first + i;
                MdbNode src = from.space.nodes.get(sv);
                if (src == null) {
                    continue;
                }
                p.cpu.run(Path.MAP_PAGE);
                p.cpu.touch(p.layout.node(src.slot), Layout.NODE_BYTES, Access.READ, Mode.SUPERVISOR);
                if (!Rights.within(f.rights(), src.rights) && p.config.bug() != KernelBug.MAP_IGNORES_RIGHTS) {
                    // The send was checked, but a flush took rights from the source while the
                    // message waited in a queue: the page is refused, as AddressSpaces' SpaceMap is.
                    continue;
                }
                long dv = (p.config.bug() == KernelBug.MAP_AT_SENDER_ADDRESS ? first : land) + i;
                int rights = p.config.bug() == KernelBug.MAP_SOURCE_RIGHTS && !item.grant() ? src.rights : f.rights();
                p.mdb.mapPage(src, to.space, dv, rights, item.grant());
            }
        }
    }

    /** Whether {@code d} takes a message from {@code t} now: a receive (not a wait for a reply) from t or any. */
    boolean receiving(Tcb d, Tcb t) {
        return receivingFrom(d, t) && (!d.awaitingReply || p.config.bug() == KernelBug.SEND_REACHES_CALLER);
    }

    /** Whether {@code d} is receiving, from {@code t} or from any thread (a reply wait included). */
    private static boolean receivingFrom(Tcb d, Tcb t) {
        return d.state == ThreadState.RECEIVING && (d.partner.equals(ThreadId.ANY) || d.partner.equals(t.id));
    }

    /** Whether {@code d} waits for the reply to a call that {@code t} received. */
    boolean awaitsReplyFrom(Tcb d, Tcb t) {
        if (p.config.bug() == KernelBug.REPLY_WITHOUT_AUTHORITY) {
            // L4 X.2's rule: a reply is a send, so it reaches anyone receiving from the replier.
            return receivingFrom(d, t);
        }
        return d.state == ThreadState.RECEIVING && d.awaitingReply && d.partner.equals(t.id);
    }

    Tcb firstSender(Tcb t, ThreadId from) {
        for (Tcb s : t.sendQueue) {
            if (from.equals(ThreadId.ANY) || s.id.equals(from)) {
                return s;
            }
        }
        return null;
    }

    ErrorCode checkMessage(Tcb t, Message msg) {
        if (msg.wordCount() > Message.MAX_WORDS) {
            return ErrorCode.MESSAGE_TOO_LONG;
        }
        if (!senderMemoryReadable(t, msg)) {
            return ErrorCode.BAD_ADDRESS;
        }
        for (Message.MapItem item : msg.items()) {
            Fpage f = item.fpage();
            if (!f.aligned()) {
                return ErrorCode.UNALIGNED_FPAGE;
            }
            if (!p.userMemory.userRange(f.base(), f.size()) || f.rights() == 0 || !Rights.within(f.rights(), Rights.ALL)) {
                return ErrorCode.BAD_ADDRESS;
            }
            for (long i = 0; i < f.pages(); i++) {
                MdbNode n = t.space.nodes.get((f.base() >>> Fpage.PAGE_SHIFT) + i);
                if (n != null && !Rights.within(f.rights(), n.rights) && p.config.bug() != KernelBug.MAP_IGNORES_RIGHTS) {
                    return ErrorCode.RIGHTS_ESCALATION;
                }
                if (n != null && item.grant() && (n.space == p.spaces.sigma0
                        || (p.config.bug() == KernelBug.GRANT_REFUSES_DERIVED && !n.children.isEmpty()))) {
                    return ErrorCode.NO_PERMISSION;
                }
            }
        }
        return ErrorCode.OK;
    }

    /**
     * Whether what the transfer will read of sender {@code t}'s memory is mapped readable: its
     * message buffer (the words beyond the registers, or Mach's whole message) and its strings.
     */
    private boolean senderMemoryReadable(Tcb t, Message msg) {
        if (p.config.design().ipc() == KernelDesign.Ipc.MACH || msg.wordCount() > p.registerWords) {
            int bytes = p.config.design().ipc() == KernelDesign.Ipc.MACH
                    ? p.config.design().machKernel().headerBytes() + msg.wordCount() * p.profile.wordBytes()
                    : (msg.wordCount() - p.registerWords) * p.profile.wordBytes();
            if (!p.userMemory.mapped(t.space, Layout.messageBuffer(t.id.number()), bytes, Rights.R)) {
                return false;
            }
        }
        for (Message.StringItem s : msg.strings()) {
            if (s.length() < 0 || !p.userMemory.mapped(t.space, s.vaddr(), s.length(), Rights.R)) {
                return false;
            }
        }
        return true;
    }

    ErrorCode checkBuffer(Tcb t, Buffer b) {
        if (b.bytes < 0 || (b.bytes > 0 && !p.userMemory.mapped(t.space, b.vaddr, b.bytes, Rights.W))) {
            return ErrorCode.BAD_ADDRESS;
        }
        if (b.window != null) {
            if (!b.window.aligned()) {
                return ErrorCode.UNALIGNED_FPAGE;
            }
            if (!p.userMemory.userRange(b.window.base(), b.window.size())) {
                return ErrorCode.BAD_ADDRESS;
            }
            if (t.space == p.spaces.sigma0) {
                return ErrorCode.NO_PERMISSION;
            }
        }
        // The longest Mach message either kernel could copy out (OSF MK's 32 bytes of header and
        // trailer, eight-byte words): an upper bound for both.
        if (p.config.design().ipc() == KernelDesign.Ipc.MACH
                && !p.userMemory.mapped(t.space, Layout.messageBuffer(t.id.number()), 32 + Message.MAX_WORDS * 8, Rights.W)) {
            return ErrorCode.BAD_ADDRESS;
        }
        return ErrorCode.OK;
    }

    /**
     * Whether {@code msg} can be delivered to {@code to}, whose receive buffer and window are
     * given: the strings fit, a map item has a window, and the words beyond the registers have a
     * writable message buffer in the receiver's space (a thread of that space may have unmapped
     * it, or never mapped it; the copy would otherwise reach an unmapped page, K-3). Mach's
     * receiver buffer is checked when the receive starts ({@link #checkBuffer}). The sender
     * {@code from}'s side is checked again as {@link #checkMessage} checked it when it sent: a
     * queued sender's strings and message buffer may have been unmapped since by a thread of its
     * space (found by a random run on 2026-12-05: the copy reached an unmapped page, K-3). The
     * delivery is then refused, as for the receiver's side; the sender stays queued.
     */
    ErrorCode checkDelivery(Message msg, Tcb from, Tcb to, int bufferBytes, Fpage window) {
        if (!senderMemoryReadable(from, msg)) {
            return ErrorCode.BAD_ADDRESS;
        }
        if (p.config.design().ipc() != KernelDesign.Ipc.MACH && msg.wordCount() > p.registerWords
                && !p.userMemory.mapped(to.space, Layout.messageBuffer(to.id.number()),
                        (long) (msg.wordCount() - p.registerWords) * p.profile.wordBytes(), Rights.W)) {
            return ErrorCode.BAD_ADDRESS;
        }
        int total = 0;
        for (Message.StringItem s : msg.strings()) {
            total += s.length();
        }
        if (total > bufferBytes) {
            return ErrorCode.MESSAGE_TOO_LONG;
        }
        for (Message.MapItem item : msg.items()) {
            if (window == null) {
                return ErrorCode.NO_RECEIVE_WINDOW;
            }
        }
        return ErrorCode.OK;
    }

    /** mklinux-user: the words of an exception message, the thread's 31-word state and the call's 7 arguments. */
    static final int EXCEPTION_WORDS = 38;

    /**
     * Whether a Linux system call of {@code t} is no Mach trap but a Mach exception (OSF MK's
     * EXC_SYSCALL to the task's exception port): in the MkLinux designs, from a task that has one.
     */
    static boolean raisesSyscallException(KernelConfig c, Tcb t) {
        return (c.design() == KernelDesign.MKLINUX_USER || c.design() == KernelDesign.MKLINUX_INKERNEL)
                && t.space.exceptionServer != null;
    }

    SyscallResult getpid(Tcb t) {
        if (raisesSyscallException(p.config, t)) {
            // A Linux binary's int 0x80 is no Mach trap: OSF MK raises EXC_SYSCALL, copies the
            // arguments and the thread's state, and sends them to the task's exception port.
            p.meter.phase(t.side, "Mach exception (EXC_SYSCALL)");
            p.cpu.run(Path.MACH_EXCEPTION);
            p.cpu.touch(t.address + Layout.TCB_BYTES - 124, 124, Access.READ, Mode.SUPERVISOR);
            p.cpu.touch(Layout.stackTop(t.id.number(), 28), 28, Access.READ, Mode.SUPERVISOR);
            t.inException = true;
            SyscallResult r = send(t, t.space.exceptionServer, Message.of(new long[EXCEPTION_WORDS]), Timeout.INFINITE,
                    new Buffer(0, 0, null));
            if (r != null) {
                t.inException = false; // refused: no reply will write the state back
            }
            return r;
        }
        if (p.config.design() == KernelDesign.MONOLITHIC) {
            p.cpu.run(Path.KERNEL_GETPID);
            p.cpu.touch(t.address + Tcb.STATE, 8, Access.READ, Mode.SUPERVISOR);
            return SyscallResult.value(t.id.number());
        }
        if (p.config.design() == KernelDesign.MKLINUX_INKERNEL) {
            if (checkBuffer(t, new Buffer(0, 0, null)) != ErrorCode.OK) {
                return p.fail(ErrorCode.BAD_ADDRESS);
            }
            // A Mach message to the co-located server: in the kernel, but through the message path.
            ipcPath(t);
            MachKernel mk = p.config.design().machKernel();
            p.cpu.run(mk.copyIn());
            p.userMemory.copyUser(t.space, Layout.messageBuffer(t.id.number()), null, p.layout.kernelMessageBuffer(),
                    mk.headerBytes());
            p.meter.phase(t.side, "in-kernel server");
            p.cpu.run(Path.COLOCATED_SERVER);
            p.cpu.touch(t.address + Tcb.STATE, 8, Access.READ, Mode.SUPERVISOR);
            p.meter.phase(t.side, "Mach message path (reply)");
            p.cpu.run(mk.copyOut());
            p.userMemory.copyUser(null, p.layout.kernelMessageBuffer(), t.space, Layout.messageBuffer(t.id.number()),
                    mk.headerBytes());
            return SyscallResult.value(t.id.number());
        }
        if (p.config.design().emulationLibrary()) {
            // An unmodified binary's trap: reflected to the emulation library in the caller's space.
            p.cpu.run(Path.REFLECT);
            p.cpu.touch(Layout.stackTop(t.id.number(), 64), 64, Access.WRITE, Mode.SUPERVISOR);
            return SyscallResult.value(-1);
        }
        return SyscallResult.error(ErrorCode.NOT_SUPPORTED);
    }
}
