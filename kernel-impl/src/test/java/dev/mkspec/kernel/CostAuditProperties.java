package dev.mkspec.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.CpuProfile;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cost audit ({@link CostAudit}) after every call of the hostile random runs of {@link
 * HostileSyscallProperties}: on an untagged TLB, with PCIDs, under page-table isolation, without
 * the fast path and on the Mach path. Its bug variants: for each rule, a kernel that forgot the
 * charge the rule asks for (the audit does not see it) or charged it to the wrong phase, which
 * the same random runs must catch with that rule.
 */
class CostAuditProperties {
    static KernelConfig l4(String cpu) {
        return KernelConfig.of(CpuProfile.load(cpu), KernelDesign.L4);
    }

    static KernelConfig mach() {
        return KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.MACH);
    }

    static KernelConfig slowPath() {
        return l4("pentium").withFastPath(false);
    }

    @Property(tries = 100)
    void everyOperationIsChargedOnAnUntaggedTlb(@ForAll long seed, @ForAll @IntRange(min = 10, max = 60) int steps) {
        assertEquals(List.of(), HostileSyscallProperties.run(l4("i486"), seed, steps, CostAudit::new));
    }

    @Property(tries = 60)
    void everyOperationIsChargedWithPcids(@ForAll long seed, @ForAll @IntRange(min = 10, max = 60) int steps) {
        assertEquals(List.of(), HostileSyscallProperties.run(l4("haswell"), seed, steps, CostAudit::new));
    }

    @Property(tries = 40)
    void everyOperationIsChargedUnderPageTableIsolation(@ForAll long seed, @ForAll @IntRange(min = 10, max = 60) int steps) {
        assertEquals(List.of(), HostileSyscallProperties.run(l4("skylake").withMitigations(true), seed, steps, CostAudit::new));
    }

    @Property(tries = 40)
    void everyOperationIsChargedOnLiedtkesPentiumKernel(@ForAll long seed, @ForAll @IntRange(min = 10, max = 60) int steps) {
        assertEquals(List.of(), HostileSyscallProperties.run(l4("pentium"), seed, steps, CostAudit::new));
    }

    @Property(tries = 40)
    void everyOperationIsChargedOnLiedtkesPentiumKernelWithSmallSpaces(@ForAll long seed,
            @ForAll @IntRange(min = 10, max = 60) int steps) {
        assertEquals(List.of(), HostileSyscallProperties.run(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.L4_SMALL),
                seed, steps, CostAudit::new));
    }

    @Property(tries = 60)
    void everyOperationIsChargedOnTheMachPath(@ForAll long seed, @ForAll @IntRange(min = 10, max = 60) int steps) {
        assertEquals(List.of(), HostileSyscallProperties.run(mach(), seed, steps, CostAudit::new));
    }

    @Property(tries = 30)
    void everyOperationIsChargedOnMachsGeneralPath(@ForAll long seed, @ForAll @IntRange(min = 10, max = 60) int steps) {
        assertEquals(List.of(), HostileSyscallProperties.run(mach().withFastPath(false), seed, steps, CostAudit::new));
    }

    @Property(tries = 40)
    void everyOperationIsChargedWithoutTheFastPath(@ForAll long seed, @ForAll @IntRange(min = 10, max = 60) int steps) {
        assertEquals(List.of(), HostileSyscallProperties.run(slowPath(), seed, steps, CostAudit::new));
    }

    static UnaryOperator<CostAudit.Charged> without(Path path) {
        return c -> c.kind() == Cpu.Charge.RUN && c.path() == path ? null : c;
    }

    static UnaryOperator<CostAudit.Charged> without(Cpu.Charge kind) {
        return c -> c.kind() == kind ? null : c;
    }

    /** Without the write touches of the TCB field at {@code offset}. */
    static UnaryOperator<CostAudit.Charged> withoutTcbWrite(KernelConfig k, int offset) {
        Layout l = Layout.of(k.profile().paging());
        return c -> c.kind() == Cpu.Charge.TOUCH && c.access() == Access.WRITE && c.address() >= l.tcbs()
                && c.address() < l.nodes() && (c.address() - l.tcbs()) % Layout.TCB_BYTES == offset ? null : c;
    }

    /** Without any touch of the TCBs (their region starts 1 MB into the kernel's). */
    static UnaryOperator<CostAudit.Charged> withoutTcbTouches(KernelConfig c) {
        Layout l = Layout.of(c.profile().paging());
        return x -> x.kind() == Cpu.Charge.TOUCH && x.address() >= l.tcbs() && x.address() < l.nodes() ? null : x;
    }

    static UnaryOperator<CostAudit.Charged> withoutNodeWrites(KernelConfig c) {
        Layout l = Layout.of(c.profile().paging());
        return x -> x.kind() == Cpu.Charge.TOUCH && x.address() >= l.nodes() && x.address() < l.data() ? null : x;
    }

    /** Charged to {@code phase} where the kernel charges to {@code label} (a phase that was never started). */
    static UnaryOperator<CostAudit.Charged> relabelled(java.util.function.Predicate<String> label, String phase) {
        return relabelled(label, x -> phase);
    }

    static UnaryOperator<CostAudit.Charged> relabelled(java.util.function.Predicate<String> label, UnaryOperator<String> phase) {
        return c -> label.test(c.phase())
                ? new CostAudit.Charged(c.cpu(), c.kind(), c.path(), c.address(), c.bytes(), c.access(), phase.apply(c.phase())) : c;
    }

    /** Every other charge of {@code kind} (under isolation: one of the two tables' entries). */
    static UnaryOperator<CostAudit.Charged> withoutEveryOther(Cpu.Charge kind) {
        int[] n = {0};
        return c -> c.kind() == kind && n[0]++ % 2 == 1 ? null : c;
    }

    /**
     * A kernel that never starts the "IPC slow path" phase: what it charges there goes to the
     * phase before (the call's "OP: kernel").
     */
    static UnaryOperator<CostAudit.Charged> slowPathPhaseNeverStarted() {
        String[] last = {""};
        return c -> {
            if (!c.phase().equals("IPC slow path")) {
                last[0] = c.phase();
                return c;
            }
            return new CostAudit.Charged(c.cpu(), c.kind(), c.path(), c.address(), c.bytes(), c.access(), last[0]);
        };
    }

    static Stream<Arguments> omissions() {
        return Stream.of(
                Arguments.of("the slow path's transfer", slowPath(), without(Path.IPC_TRANSFER), "runs the transfer once"),
                Arguments.of("the fast path", l4("skylake"), without(Path.IPC_FAST), "runs the transfer once"),
                Arguments.of("the 486 kernel's fast path of a call", l4("i486"), without(Path.L4V1_IPC_CALL), "runs the transfer once"),
                Arguments.of("Mach's copy-in", mach(), without(KernelDesign.MACH.machKernel().copyIn()), "copied in once"),
                Arguments.of("Mach's hand-off", mach(), without(KernelDesign.MACH.machKernel().handOff()), "handed off once"),
                Arguments.of("Mach's copy-out", mach(), without(KernelDesign.MACH.machKernel().copyOut()), "copied out once"),
                Arguments.of("MK83's address-space switch", mach(), without(Path.MK83_SPACE_SWITCH), "switches the address space once"),
                Arguments.of("a string's set-up", slowPath(), without(Path.STRING_SETUP), "string item is set up once"),
                Arguments.of("the send enqueue", l4("i486"), without(Path.SEND_ENQUEUE), "is enqueued once"),
                Arguments.of("the send dequeue", l4("i486"), without(Path.SEND_DEQUEUE), "is dequeued once"),
                Arguments.of("the map path", l4("i486"), without(Path.MAP_PAGE), "runs the map path"),
                Arguments.of("the flush of a node", l4("i486"), without(Path.FLUSH_NODE), "runs the flush path"),
                Arguments.of("the ready enqueue", l4("i486"), without(Path.READY_ENQUEUE), "runs the ready enqueue"),
                Arguments.of("the thread switch", l4("skylake"), without(Path.THREAD_SWITCH), "runs the switch"),
                Arguments.of("the 486 kernel's thread switch", l4("i486"), without(Path.L4V1_THREAD_SWITCH), "runs the switch"),
                Arguments.of("the space check", l4("skylake"), without(Path.SPACE_CHECK), "runs the space check"),
                Arguments.of("the 486 kernel's space check", l4("i486"), without(Path.L4V1_SPACE_CHECK), "runs the space check"),
                Arguments.of("the 486 kernel's same-task check", l4("i486"), without(Path.L4V1_SAME_TASK_CHECK), "Liedtke's space step"),
                Arguments.of("Liedtke's fast path", l4("pentium"), without(Path.L4V2_IPC), "runs the transfer once"),
                Arguments.of("Liedtke's thread switch", l4("pentium"), without(Path.L4V2_THREAD_SWITCH), "runs the switch"),
                Arguments.of("Liedtke's space check", l4("pentium"), without(Path.L4V2_SPACE_CHECK), "runs the space check"),
                Arguments.of("Liedtke's large-space switch", l4("pentium"), without(Path.L4V2_LARGE_SWITCH_FLAT),
                        "Liedtke's large-space switch"),
                Arguments.of("Liedtke's entry path", l4("pentium"), without(Path.L4V2_ENTRY), "entry path once"),
                Arguments.of("Liedtke's exit path", l4("pentium"), without(Path.L4V2_EXIT), "exit path once"),
                Arguments.of("the CR3 write", l4("i486"), without(Cpu.Charge.CR3), "writes CR3"),
                Arguments.of("the slow path", slowPath(), without(Path.IPC_SLOW), "an IPC call runs"),
                Arguments.of("the signal path", l4("i486"), without(Path.SIGNAL), "a signal runs"),
                Arguments.of("the wait path", l4("i486"), without(Path.WAIT), "a wait runs"),
                Arguments.of("thread administration", l4("i486"), without(Path.THREAD_ADMIN), "runs the thread administration"),
                Arguments.of("space administration", l4("i486"), without(Path.SPACE_ADMIN), "runs the space administration"),
                Arguments.of("the flush set-up", l4("i486"), without(Path.FLUSH_SETUP), "runs its set-up once"),
                Arguments.of("the null call", l4("i486"), without(Path.NULL_CALL), "a null call runs"),
                Arguments.of("the trap", l4("i486"), without(Cpu.Charge.ENTER), "enters the kernel once"),
                Arguments.of("the entry path", l4("skylake"), without(Path.ENTRY), "entry path once"),
                Arguments.of("the 486 kernel's entry path", l4("i486"), without(Path.L4V1_ENTRY), "entry path once"),
                Arguments.of("Mach's entry path", mach(), without(KernelDesign.MACH.machKernel().entry()), "entry path once"),
                Arguments.of("the return to user", l4("i486"), without(Cpu.Charge.EXIT), "leaves the kernel once"),
                Arguments.of("the exit path", l4("skylake"), without(Path.EXIT), "exit path once"),
                Arguments.of("the 486 kernel's exit path", l4("i486"), without(Path.L4V1_EXIT), "exit path once"),
                Arguments.of("the queue write", l4("i486"), withoutTcbWrite(l4("i486"), Tcb.QUEUE), "the send queue of"),
                Arguments.of("the notification write", l4("i486"), withoutTcbWrite(l4("i486"), Tcb.NOTIFY), "notification word"),
                Arguments.of("the message-register write", l4("i486"), withoutTcbWrite(l4("i486"), Tcb.MRS), "message registers"),
                Arguments.of("every TCB touch", l4("i486"), withoutTcbTouches(l4("i486")), "TCB was not touched"),
                Arguments.of("the node writes", l4("i486"), withoutNodeWrites(l4("i486")), "but its line was not written"),
                Arguments.of("the page-table accesses", l4("i486"), without(Cpu.Charge.PHYSICAL), "was not accessed"),
                Arguments.of("the page-table accesses with PCIDs", l4("haswell"), without(Cpu.Charge.PHYSICAL), "was not accessed"),
                Arguments.of("the user tables' accesses", l4("skylake").withMitigations(true), withoutEveryOther(Cpu.Charge.PHYSICAL),
                        "was not accessed"),
                Arguments.of("the copies", slowPath(), without(Cpu.Charge.COPY), "is charged a copy"),
                Arguments.of("Mach's copies", mach(), without(Cpu.Charge.COPY), "is charged a copy"),
                Arguments.of("the entry's phase", l4("i486"), relabelled(p -> p.endsWith(": trap and entry"), "preemption"),
                        "the entry ("),
                Arguments.of("the kernel's phase", slowPath(), relabelled(p -> p.endsWith(": kernel"), p -> p.replace(": kernel", ": trap and entry")),
                        "charged to the entry's phase"),
                Arguments.of("the exit's phase", l4("i486"), relabelled(p -> p.equals("exit to user"), "IPC slow path"),
                        "the exit ("),
                Arguments.of("the fast path's phase", l4("i486"), relabelled(p -> p.equals("IPC fast path"), "call: kernel"),
                        "the fast path was charged"),
                Arguments.of("the slow path's phase", slowPath(), relabelled(p -> p.equals("IPC slow path"), "preemption"),
                        "the slow path was charged"),
                Arguments.of("the slow path's own phase", slowPath(), (Supplier<UnaryOperator<CostAudit.Charged>>) CostAuditProperties::slowPathPhaseNeverStarted,
                        "the slow path was charged"),
                Arguments.of("Mach's phase", mach(), relabelled(p -> p.equals("Mach message path"), "send: kernel"),
                        "port lookup was charged"),
                Arguments.of("the state write of a thread that blocks", l4("i486"), withoutTcbWrite(l4("i486"), Tcb.STATE),
                        "the line of its state field was not written"),
                Arguments.of("the read of a derived node's parent", l4("i486"), withoutNodeReads(l4("i486")), "which was not read"),
                Arguments.of("the scheduler of a caller that blocks", l4("i486"), without(Path.SCHEDULE), "runs the scheduler"),
                Arguments.of("Mach's port queue write", mach(), withoutPortWrites(mach()), "queued on a port"));
    }

    static UnaryOperator<CostAudit.Charged> withoutNodeReads(KernelConfig c) {
        Layout l = Layout.of(c.profile().paging());
        return x -> x.kind() == Cpu.Charge.TOUCH && x.access() == Access.READ && x.address() >= l.nodes() && x.address() < l.data()
                ? null : x;
    }

    static UnaryOperator<CostAudit.Charged> withoutPortWrites(KernelConfig c) {
        Layout l = Layout.of(c.profile().paging());
        return x -> x.kind() == Cpu.Charge.TOUCH && x.access() == Access.WRITE && x.address() >= l.portTable(0)
                && x.address() < l.portTable(0) + 8 * 1024 ? null : x;
    }

    /** Three getpid calls of a thread in a new space, each audited, on a Pentium. */
    static List<String> getpid(KernelDesign d, UnaryOperator<CostAudit.Charged> seen) {
        CpuProfile pentium = CpuProfile.load("pentium");
        Kernel k = new Kernel(KernelConfig.of(d.runsOn(pentium) ? pentium : CpuProfile.load("haswell"), d));
        SyscallResult r = k.syscall(k.sigma0Thread(), new Syscall.CreateSpace());
        dev.mkspec.kernel.bench.CycleBench.equip(k, r.space(), r.from());
        CostAudit audit = new CostAudit(k, seen);
        List<String> v = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            audit.before();
            SyscallResult g = k.syscall(r.from(), new Syscall.GetPid());
            v.addAll(audit.after(r.from(), new Syscall.GetPid(), g));
        }
        return v;
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(KernelDesign.class)
    void getpidIsChargedTheServicePathOfItsDesign(KernelDesign d) {
        assertEquals(List.of(), getpid(d, c -> c));
    }

    static Stream<Arguments> getpidOmissions() {
        return Stream.of(
                Arguments.of(KernelDesign.MONOLITHIC, without(Path.KERNEL_GETPID), "runs its getpid path once"),
                Arguments.of(KernelDesign.MONOLITHIC, withoutTcbReads(), "did not read the caller's TCB"),
                Arguments.of(KernelDesign.MKLINUX_INKERNEL, without(Path.MACH_TRAP_ARGS), "argument copy once"),
                Arguments.of(KernelDesign.MKLINUX_INKERNEL, without(Path.MACH_COPYIN), "copied in once"),
                Arguments.of(KernelDesign.MKLINUX_INKERNEL, without(Path.MACH_COPYOUT), "copied out once"),
                Arguments.of(KernelDesign.MKLINUX_INKERNEL, without(Path.COLOCATED_SERVER), "co-located server runs once"),
                Arguments.of(KernelDesign.MKLINUX_INKERNEL, without(Cpu.Charge.COPY), "are copies"),
                Arguments.of(KernelDesign.MKLINUX_INKERNEL, withoutTcbReads(), "did not read the caller's TCB"),
                Arguments.of(KernelDesign.MKLINUX_INKERNEL, relabelled(p -> p.equals("in-kernel server"), "getPid: kernel"),
                        "co-located server was charged"),
                Arguments.of(KernelDesign.MKLINUX_INKERNEL, relabelled(p -> p.equals("Mach message path (reply)"), "in-kernel server"),
                        "copy-out was charged"),
                Arguments.of(KernelDesign.L4LINUX_EMU, without(Path.REFLECT), "reflected once"),
                Arguments.of(KernelDesign.L4LINUX_EMU, withoutUserStackWrites(), "no frame on the caller's stack"));
    }

    static UnaryOperator<CostAudit.Charged> withoutTcbReads() {
        Layout l = Layout.of(CpuProfile.load("pentium").paging());
        return x -> x.kind() == Cpu.Charge.TOUCH && x.access() == Access.READ && x.address() >= l.tcbs() && x.address() < l.nodes()
                ? null : x;
    }

    static UnaryOperator<CostAudit.Charged> withoutUserStackWrites() {
        return x -> x.kind() == Cpu.Charge.TOUCH && x.access() == Access.WRITE && x.address() >= Layout.stack(0)
                && x.address() < Layout.stack(Layout.MAX_THREADS) ? null : x;
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("getpidOmissions")
    void theAuditCatchesAGetpidThatForgets(KernelDesign d, UnaryOperator<CostAudit.Charged> seen, String rule) {
        List<String> v = getpid(d, seen);
        assertTrue(!v.isEmpty() && v.get(0).contains(rule), d + ": expected the rule \"" + rule + "\" but found " + v);
    }

    /** Each rule catches, in the same random runs, a kernel that forgot what it asks for. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("omissions")
    @SuppressWarnings("unchecked")
    void theAuditCatchesAKernelThatForgets(String what, KernelConfig c, Object seen, String rule) {
        Supplier<UnaryOperator<CostAudit.Charged>> fresh = seen instanceof Supplier<?> s
                ? (Supplier<UnaryOperator<CostAudit.Charged>>) s : () -> (UnaryOperator<CostAudit.Charged>) seen;
        for (long seed = 1; seed <= 300; seed++) {
            List<String> v = HostileSyscallProperties.run(c, seed, 60, k -> new CostAudit(k, fresh.get()));
            if (!v.isEmpty()) {
                assertTrue(v.get(0).contains(rule), "forgetting " + what + ": expected the rule \"" + rule
                        + "\" but the first finding was " + v.get(0));
                return;
            }
        }
        fail("forgetting " + what + " went unnoticed in 300 random runs: the rule \"" + rule + "\" is never exercised");
    }
}
