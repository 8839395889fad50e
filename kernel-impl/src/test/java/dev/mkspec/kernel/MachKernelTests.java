package dev.mkspec.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.Primitive;
import dev.mkspec.kernel.bench.BenchRow;
import dev.mkspec.kernel.bench.CycleBench;
import dev.mkspec.kernel.bench.WhatIf;
import dev.mkspec.kernel.bench.Workload;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each Mach design runs the paths counted from the kernel its published figures measured. */
class MachKernelTests {

    private static List<Path> paths(MachKernel m) {
        List<Path> all = new java.util.ArrayList<>(
                List.of(m.entry(), m.exit(), m.nullTrap(), m.trapArgs(), m.copyIn(), m.handOff(), m.copyOut()));
        all.addAll(m.messagePath(true, true));
        if (m.hasGeneralPath()) {
            all.addAll(m.messagePath(false));
        }
        if (m.spaceSwitch() != null) {
            all.add(m.spaceSwitch());
        }
        return all;
    }

    /**
     * MkLinux's server around its exception handler, counted from its source: the user-level
     * server's loop ({@code ux_server_loop}, with libmach's {@code mach_msg}), its lock taken and
     * dropped ({@code uniproc_enter} and {@code uniproc_exit}), MIG's demultiplexer and stub; the
     * in-kernel server, which the kernel calls on an activation, the antechamber mutex and the
     * same lock, and no MIG code. Instructions of the handler's phase, written out by hand: the
     * lock 49 and 25, the loop 60, the activation 12, the demultiplexer 30, the handler 286 and
     * MIG's stub 43.
     */
    @Test
    void mkLinuxsServersRunTheirOwnLoopAndLockAroundTheHandler() {
        CpuProfile pentium = CpuProfile.load("pentium");
        assertEquals(49 + 60 + 30 + 286 + 43 + 25, handlerInstructions(pentium, KernelDesign.MKLINUX_USER));
        assertEquals(12 + 49 + 286 + 25, handlerInstructions(pentium, KernelDesign.MKLINUX_INKERNEL));
    }

    private static long handlerInstructions(CpuProfile profile, KernelDesign design) {
        BenchRow row = CycleBench.run(KernelConfig.of(profile, design), Workload.GETPID).get(0);
        return row.report().phases().stream().filter(p -> p.label().equals("server: EXC_SYSCALL handler"))
                .mapToLong(CycleReport.Phase::instructions).sum();
    }

    /**
     * MK83's trap entry and argument copy, read as instruction sequences, declare which branches
     * they take: for a {@code mach_msg} the entry's emulation test and call, while the range checks
     * and the JECXZ fall through, as does the copy's address check, each 1 clock on the 486 against
     * a taken branch's 3. A round trip enters and copies twice, and the generic space check it
     * shares with Pistachio falls through twice each way.
     */
    @Test
    void mk83sEntryChargesTheBranchesThatFallThroughAtTheirOwnPrice() {
        CpuProfile i486 = CpuProfile.load("i486");
        BenchRow row = CycleBench.run(KernelConfig.of(i486, KernelDesign.MACH),
                Workload.IPC_CALL_REPLY).get(0);
        int fallThrough = 0;
        for (Path p : List.of(Path.MK83_ENTRY, Path.MK83_ENTRY, Path.MK83_TRAP_ARGS, Path.MK83_TRAP_ARGS, Path.THREAD_SWITCH,
                Path.THREAD_SWITCH, Path.SPACE_CHECK, Path.SPACE_CHECK)) {
            fallThrough += p.instr().branch() - p.instr().takenBranches();
        }
        assertEquals(12, fallThrough,
                "3 of each entry's 5 branches, each argument copy's address check, none of the switch's, both of the space check's");
        double taken = i486.cycles(Primitive.BRANCH);
        BenchRow allTaken = WhatIf.parse("branchNotTaken=" + taken).rerun(row);
        assertEquals(fallThrough * (taken - i486.cycles(Primitive.BRANCH_NOT_TAKEN)), allTaken.total() - row.total(), 1e-9);
    }

    @Test
    void mk83sFastPathTakesTheReplyHalvesForAReplyAndTheRequestHalvesForARequest() {
        KernelTests.Scene s = new KernelTests.Scene("i486", KernelDesign.MACH);
        List<Path> ran = new java.util.ArrayList<>();
        s.k.audit((cpu, kind, path, address, bytes, access, phase) -> {
            if (path != null && path.name().startsWith("MK83_COPY")) {
                ran.add(path);
            }
        });
        s.serverWaits(0, null);
        s.k.syscall(s.client, new Syscall.Call(s.server, Message.of(1, 2), 0, 0, null));
        assertEquals(List.of(Path.MK83_COPYIN, Path.MK83_COPYOUT), ran, "the call is a request");
        ran.clear();
        s.k.syscall(s.server, new Syscall.ReplyWait(s.client, Message.of(3, 4), 0, 0, null));
        assertEquals(List.of(Path.MK83_COPYIN_REPLY, Path.MK83_COPYOUT_REPLY), ran, "the reply to the caller");
        assertArrayEquals(new long[] {3, 4}, s.k.resultOf(s.client).msg().words());
        // OSF MK's reply was not counted apart: MkLinux takes the request's halves both ways.
        assertEquals(MachKernel.OSF_MK.messagePath(true, false), MachKernel.OSF_MK.messagePath(true, true));
    }

    @Test
    void mk83TakesItsGeneralPathForAPlainSendAndForAReplyThatFindsARequestQueued() {
        Kernel k = new Kernel(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.MACH));
        ThreadId client = CycleBench.newSpace(k).thread();
        ThreadId other = CycleBench.newSpace(k).thread();
        ThreadId server = CycleBench.newSpace(k).thread();
        CycleBench.parkSigma0(k);
        List<Path> ran = new java.util.ArrayList<>();
        k.audit((cpu, kind, path, address, bytes, access, phase) -> {
            if (path != null && (path.name().startsWith("MK83_COPY") || path.name().startsWith("MK83_GENERAL"))) {
                ran.add(path);
            }
        });
        Syscall.Receive open = new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, null);
        // A plain send to a waiting receiver: mach_msg with the send option only is not the fast path.
        assertNull(k.syscall(server, open));
        assertTrue(k.syscall(client, new Syscall.Send(server, Message.of(1, 2), Timeout.ZERO)).ok());
        assertEquals(List.of(Path.MK83_GENERAL_SEND, Path.MK83_GENERAL_RECEIVE), ran, "a plain send");
        assertArrayEquals(new long[] {1, 2}, k.resultOf(server).msg().words());
        // A call that waits and hands off is the fast path's request.
        assertNull(k.syscall(server, open));
        ran.clear();
        assertNull(k.syscall(client, new Syscall.Call(server, Message.of(3, 4), 0, 0, null)));
        assertEquals(List.of(Path.MK83_COPYIN, Path.MK83_COPYOUT), ran, "a call to a waiting server");
        // A second client's call queues while the server runs; the server's reply-and-wait then finds
        // it, so the fast path (which would block) gives up: the reply and the take go the general way.
        assertNull(k.syscall(other, new Syscall.Call(server, Message.of(5, 6), 0, 0, null)));
        ran.clear();
        SyscallResult taken = k.syscall(server, new Syscall.ReplyWait(client, Message.of(7, 8), 0, 0, null));
        assertEquals(List.of(Path.MK83_GENERAL_SEND, Path.MK83_GENERAL_RECEIVE, Path.MK83_GENERAL_SEND, Path.MK83_GENERAL_RECEIVE),
                ran, "the reply, then the queued request");
        assertArrayEquals(new long[] {7, 8}, k.resultOf(client).msg().words());
        assertArrayEquals(new long[] {5, 6}, taken.msg().words());
    }

    @Test
    void eachMachDesignRunsOnlyTheCodeOfItsOwnKernel() {
        assertEquals(MachKernel.MK83, KernelDesign.MACH.machKernel(), "the 486 figures measured CMU's Mach 3.0");
        assertEquals(MachKernel.OSF_MK, KernelDesign.MKLINUX_USER.machKernel(), "MkLinux ran on OSF MK");
        assertEquals(MachKernel.OSF_MK, KernelDesign.MKLINUX_INKERNEL.machKernel());
        for (KernelDesign d : KernelDesign.values()) {
            if (d.ipc() != KernelDesign.Ipc.MACH) {
                assertThrows(IllegalStateException.class, d::machKernel, d.key());
                continue;
            }
            Set<Path> ran = EnumSet.noneOf(Path.class);
            List<String> violations = HostileSyscallProperties.run(KernelConfig.of(CpuProfile.load("pentium"), d), 11, 400, k -> {
                k.audit((cpu, kind, path, address, bytes, access, phase) -> {
                    if (path != null) {
                        ran.add(path);
                    }
                });
                return null;
            });
            assertEquals(List.of(), violations, d.key());
            MachKernel mine = d.machKernel();
            for (MachKernel other : MachKernel.values()) {
                for (Path p : paths(other)) {
                    if (other != mine) {
                        assertTrue(!ran.contains(p), d.key() + " ran " + p + " of " + other);
                    }
                }
            }
            // Random calls seldom meet MK83's fast path (a call to a receiver that waits for it), so
            // their messages go its general path; the scripted tests above take the fast path.
            List<Path> way = mine.messagePath(!mine.hasGeneralPath());
            for (Path p : List.of(mine.entry(), mine.exit(), mine.nullTrap(), mine.trapArgs(), way.get(0), way.get(2))) {
                assertTrue(ran.contains(p), d.key() + " never ran " + p + " in 400 random calls");
            }
        }
    }
}
