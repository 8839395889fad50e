package dev.mkspec.kernel;

/**
 * Every code path of the kernel and of the user-level code around it, with the instructions it
 * executes. This table is the reviewable source of every "kernel instructions" and "user
 * instructions" cycle: a path's cost is its mix priced by the profile, plus the TLB and cache
 * misses its code fetches and data touches really take in the simulation.
 *
 * <p>Where a path's Javadoc names a source (Linux 2.0.40's {@code entry.S}, glibc 2.0.6,
 * L4Ka::Pistachio's fast path, OSF MK's locore and {@code mach_msg}, MkLinux's server), its count
 * was read from that code, instruction by instruction for assembler and statement by statement
 * for C; the others are declarations for an x86 implementation written the way each design is
 * described, reviewed like code. No count is fitted to a published total.
 *
 * <p>Where the path's instruction sequence was read (Pistachio's and Linux's assembler, glibc's
 * wrapper), {@link Instr#vPipe} declares how many of its instructions the Pentium issues in the V
 * pipe beside the one before them, from walking the sequence, warm, through the P5 pairing rules
 * (the rules and the sources they were read in are in {@code docs/cycles/pentium-pairing.md},
 * with the walk instruction by instruction): loads, stores, pushes, pops and branches pair as well
 * as ALU operations; an instruction with both a displacement and an immediate, a prefixed one in
 * the V pipe, {@code cld}, {@code sti}, segment loads and debug-register moves do not. Each path
 * is walked on its own (two pairs that cross from one of Pistachio's groups into the next are not
 * counted). Two declarations reach further than the code walked: {@link #THREAD_SWITCH} and
 * {@link #SPACE_CHECK} also serve Mach's hand-off ({@link #MACH_HANDOFF} and {@link
 * #MK83_HANDOFF} count OSF MK's switch and MK83's hand-off without them), and {@link
 * #KERNEL_GETPID}'s three instructions are the ones gcc would emit for {@code sys_getpid}, not
 * disassembled (each depends on the one before, so none pairs). The other paths, counted
 * statement by statement, take the profile's assumed {@code pairing} share.
 *
 * <p>Code is laid out in the order of this enum, at an average of {@link #BYTES_PER_INSTRUCTION}
 * bytes per instruction, kernel paths in the kernel's code pages and user paths in each space's
 * code page, so that a larger path really occupies more cache lines.
 */
public enum Path {
    // ---- kernel entry and exit ----
    /**
     * L4 entry: the kernel stack fixed up and the user's stack pointer, instruction pointer and
     * timeout saved, as in L4Ka::Pistachio's x86-32 IPC fast path ({@code
     * kernel/src/glue/v4-x86/x32/trap.S}, {@code exc_user_sysipc}, repository l4ka/pistachio at
     * 8be66aa), counted instruction by instruction, lines 74-82: 1 simple, 1 load, 3 stores. (That
     * kernel enters by SYSENTER; the 486 and Pentium kernels by INT, whose frame the hardware
     * pushes, priced as the trap.) The store through ESP right after the SUB that set it waits a
     * clock for its address ({@link MultiClock#AGI}).
     */
    ENTRY(true, Instr.of(1, 1, 3, 0).withVPipe(1).withMultiClock(MultiClock.AGI, 1)),
    /**
     * L4 exit, the same source, lines 312-320: three message registers loaded from the UTCB, the
     * user's stack and instruction pointers, STI: 1 simple, 5 loads (the SYSEXIT, line 321, is
     * priced as the trap). The STI is slower than its class ({@link MultiClock#STI}).
     */
    EXIT(true, Instr.of(1, 5, 0, 0).withVPipe(2).withMultiClock(MultiClock.STI, 1)),
    /**
     * Mach trap entry of the MkLinux designs ({@link MachKernel#OSF_MK}; the {@code mach} design runs
     * {@link #MK83_ENTRY}), counted from OSF MK 3.0 PMK1.1 (MkLinux DR3's kernel, repository
     * slp/osfmk-mklinux, uniprocessor production build, where every lock compiles to nothing)
     * {@code i386/locore.S}, from {@code syscall} to the call through the trap table: 11 simple
     * instructions, 16 loads, 18 stores (PUSHA counted as its eight), 8 branches, 3 segment loads;
     * among them the check of the thread's Mach-syscall exception port on every trap. (Mach enters
     * by LCALL through a call gate; the entry is priced as the profile's INT.) Five of the branches
     * are taken: the tests of a kernel-loaded task (none), of an emulation vector (none), of {@code
     * kern_invalid} and of the exception port (the host's, so the call goes to the kernel), and the
     * call; the range checks and {@code mach_msg}'s JECXZ (it has arguments) fall through. Slower
     * (or faster) than their class ({@link MultiClock}; {@code docs/cycles/pentium-pairing.md} §7):
     * PUSHF, PUSHA (counted as its eight stores), the four segment-register pushes (the 0F of PUSH FS
     * and GS a prefix clock each on the P5), the XCHG with ESP, the compares with {@code
     * active_kloaded} and {@code mach_trap_count} in memory, the call through the trap table, the two
     * GS overrides of the active-thread loads (their prefix clock covers the interlock on EDX, rule
     * M5), and on the P5 seven interlocks (the thread's activation, task and emulation vector, and
     * its activation, exception port and the host's name, each loaded through the register the
     * instruction before set, and the trap table indexed by the EAX just shifted).
     */
    MACH_ENTRY(true, Instr.of(11, 16, 18, 8).withSegmentLoads(3).withTaken(5).withMultiClock(MultiClock.PUSHF, 1)
            .withMultiClock(MultiClock.PUSHA, 1).withMultiClock(MultiClock.PUSH_SEG, 4).withMultiClock(MultiClock.PREFIX, 4)
            .withMultiClock(MultiClock.ALU_MEM, 2).withMultiClock(MultiClock.XCHG, 1)
            .withMultiClock(MultiClock.BRANCH_INDIRECT, 1).withMultiClock(MultiClock.AGI, 7)),
    /**
     * Mach trap exit, counted from the same {@code locore.S} up to the IRET (priced as the trap):
     * the AST check and the frame restored, 4 simple, 14 loads (POPA as its eight), 1 store, 4
     * branches (the jump to {@code return_from_trap} and the AST test taken, the kernel-loaded and
     * kernel-loading tests not), 4 segment loads. Slower than their class: POPA, the compares with
     * {@code need_ast}, {@code active_kloaded} and the activation's {@code kloading} in memory, on
     * the P5 the GS override of the active-thread load (covering its interlock) and the 0F of POP GS
     * (POP FS's is hidden behind POP GS), and five interlocks (the PCB stack pointer loaded through
     * the ECX just computed, the store through the ESP just loaded, the activation and its flag
     * each through the register the load before set, the IRET after {@code addl $8,%esp}). A
     * thread whose exception was answered (MkLinux's client) leaves through {@link
     * #MACH_EXCEPTION_EXIT} instead.
     */
    MACH_EXIT(true, Instr.of(4, 14, 1, 4).withSegmentLoads(4).withTaken(2).withMultiClock(MultiClock.POPA, 1)
            .withMultiClock(MultiClock.ALU_MEM, 3).withMultiClock(MultiClock.PREFIX, 2).withMultiClock(MultiClock.AGI, 5)),
    /**
     * Monolithic entry, counted from Linux 2.0.40's {@code arch/i386/kernel/entry.S}
     * ({@code ENTRY(system_call)} and {@code SAVE_ALL}) up to the call of the handler: 15 stores
     * (orig_eax, gs, fs, es, ds and seven general registers pushed, -ENOSYS and the debug status
     * stored, the carry flag cleared in the saved EFLAGS), 6 simple instructions (cld, two selector
     * moves, the bound check and the null-handler test, and the read of DR6), 3 loads (the table
     * entry, {@code current}, its flags), 4 branches (three not taken, the indirect call) and 3
     * segment loads (DS and ES with the kernel's selector, FS with the user's). Slower than their
     * class ({@link MultiClock}; the walk is section 7 of docs/cycles/pentium-pairing.md): the cld,
     * the 0F prefix of {@code push %fs}, the four segment-register pushes (1 clock on the P5, 3 on
     * the 486), the read-modify-write of the saved EFLAGS, the DR6 read, the test of the flags in
     * memory and the indirect call.
     */
    MONO_ENTRY(true, Instr.of(6, 3, 15, 4).withSegmentLoads(3).withVPipe(6).withMultiClock(MultiClock.CLD, 1)
            .withMultiClock(MultiClock.PREFIX, 1).withMultiClock(MultiClock.ALU_RMW, 1).withMultiClock(MultiClock.MOV_DR, 1)
            .withMultiClock(MultiClock.ALU_MEM, 1).withMultiClock(MultiClock.BRANCH_INDIRECT, 1)
            .withMultiClock(MultiClock.PUSH_SEG, 4)),
    /**
     * Monolithic exit, counted from the same file: the return value stored, {@code
     * ret_from_sys_call}'s checks (interrupt count, pending bottom halves, VM86 and kernel-mode
     * returns, need_resched, signals) and {@code RESTORE_ALL} up to the IRET (priced as the trap):
     * 2 stores, 8 simple instructions (the DR7 write among them), 20 loads (13 reads and the seven
     * general registers popped), 9 branches (eight not taken and the jump to the checks) and 4
     * segment loads (ds, es, fs, gs popped). Slower than their class: seven of the reads are
     * compares or ALU operations on memory, the first {@code cmpw}'s operand-size prefix (the
     * second's, and the DR7 write's 0F, decode while the instruction before them still runs), the
     * sti, the DR7 write, and two address-generation interlocks (the load through {@code current}
     * right after it, and the IRET after {@code addl $4,%esp}).
     */
    MONO_EXIT(true, Instr.of(8, 20, 2, 9).withSegmentLoads(4).withVPipe(8).withMultiClock(MultiClock.ALU_MEM, 7)
            .withMultiClock(MultiClock.PREFIX, 1).withMultiClock(MultiClock.STI, 1).withMultiClock(MultiClock.MOV_DR, 1)
            .withMultiClock(MultiClock.AGI, 2)),
    /** An empty system call's body: dispatch and return a value. */
    NULL_CALL(true, Instr.of(3, 1, 0, 2)),
    /**
     * Mach has no empty kernel call; its simplest trap's body, {@code mach_task_self}, for the
     * MkLinux designs ({@link MachKernel#OSF_MK}; the {@code mach} design runs {@link
     * #MK83_NULL_TRAP}), counted
     * (statement by statement, not compiled) from OSF MK 3.0 PMK1.1 (MkLinux DR3's kernel,
     * repository slp/osfmk-mklinux, uniprocessor production build, where every lock compiles to
     * nothing): a send right made for the task's port and its name found in the space's hash table,
     * 51 simple instructions (one a DIV, priced as one: {@link MultiClock#DIV}), 47 loads, 49
     * stores, 36 branches.
     */
    MACH_NULL_TRAP(true, Instr.of(51, 47, 49, 36).withMultiClock(MultiClock.DIV, 1)),
    // ---- L4 IPC ----
    /**
     * L4 IPC fast path, the same source, lines 92-173 and 299-305: the tag and timeout checks, the
     * destination's TCB derived from its thread ID, its ID, state and partner checked, the caller
     * set waiting for the reply, MR0 stored, the resource check, and after the switch the current
     * TCB, the state set running and the partner loaded: 16 simple, 8 loads, 5 stores, 9
     * branches. Slower than their class ({@link MultiClock}, section 7 of
     * docs/cycles/pentium-pairing.md): four compares with memory, the operand-size prefix of {@code
     * or %cx,%bx}, and three address-generation interlocks (the compare through the TCB pointer
     * just computed, the store through the UTCB pointer just loaded, the resource check through the
     * current TCB just computed).
     */
    IPC_FAST(true, Instr.of(16, 8, 5, 9).withVPipe(9).withTaken(2).withMultiClock(MultiClock.ALU_MEM, 4)
            .withMultiClock(MultiClock.PREFIX, 1).withMultiClock(MultiClock.AGI, 3)),
    /** L4 IPC slow path: decode the message descriptor and timeouts, validate the partner. */
    IPC_SLOW(true, Instr.of(30, 15, 5, 12)),
    /** Transfer of one message on the slow path: registers, typed-item loop set-up. */
    IPC_TRANSFER(true, Instr.of(20, 10, 10, 6)),
    /** Queue a blocked sender on the receiver's send queue. */
    SEND_ENQUEUE(true, Instr.of(6, 3, 4, 2)),
    /** Take the first matching sender off a send queue. */
    SEND_DEQUEUE(true, Instr.of(8, 4, 4, 3)),
    /** Set up a string copy: check both ranges, set up the temporary mapping of the receiver's buffer. */
    STRING_SETUP(true, Instr.of(20, 8, 4, 6)),
    /** One page of a map or grant item: check rights, look up the mapping node, insert the new node, write the PTE. */
    MAP_PAGE(true, Instr.of(25, 10, 8, 8)),
    // ---- scheduling and switching ----
    /** Put a thread on the ready queue. */
    READY_ENQUEUE(true, Instr.of(4, 2, 3, 1)),
    /** A scheduler pass: scan the ready queue, dequeue the chosen thread. */
    SCHEDULE(true, Instr.of(15, 8, 5, 6)),
    /**
     * Switch kernel stacks between two threads, as in Pistachio's fast path (lines 180-193 and the
     * jump at 287): the TSS's kernel stack pointer set, the continuation pushed, the stack switched:
     * 2 simple, 4 loads, 4 stores, 1 branch. The designs without an L4 (Mach's) take this step and
     * {@link #SPACE_CHECK} as their generic switch (their own paths count the rest), so the slow
     * forms of Pistachio's own code here (the GS prefix of the store to {@code %gs:0}, the POP right
     * after ESP was loaded, the indirect jump: {@link MultiClock}) are not declared: they would be
     * charged to kernels that do not run them.
     */
    THREAD_SWITCH(true, Instr.of(2, 4, 4, 1).withVPipe(4).withTaken(1)),
    /**
     * Compare the address spaces and load the new CR3 value when they differ, as in Pistachio's
     * fast path (lines 196-210): the kernel-thread check, CR3 read and compared; 2 simple (the CR3
     * read counted as one), 1 load, 2 branches. The CR3 write is priced apart. As {@link
     * #THREAD_SWITCH}, a generic step of the Mach designs too, so the compare with memory and the
     * CR3 read (MK83 writes CR3 without reading it) are not declared.
     */
    SPACE_CHECK(true, Instr.of(2, 1, 0, 2).withVPipe(1).withTaken(0)),
    // ---- address spaces ----
    /** Flush or unmap: decode the fpage, find the first mapping. */
    FLUSH_SETUP(true, Instr.of(10, 4, 1, 3)),
    /** Flush: one mapping node visited, its rights cut or the node removed with its PTE. */
    FLUSH_NODE(true, Instr.of(15, 6, 4, 5)),
    /** Create or delete a thread: TCB initialisation or tear-down. */
    THREAD_ADMIN(true, Instr.of(40, 15, 30, 8)),
    /** Create or delete an address space: table set-up or tear-down. */
    SPACE_ADMIN(true, Instr.of(60, 20, 40, 12)),
    // ---- notification ----
    /** Signal: OR the bits into the target's word, wake it if it waits for them. */
    SIGNAL(true, Instr.of(8, 3, 2, 3)),
    /** Wait: test the word against the mask, block if nothing is pending. */
    WAIT(true, Instr.of(6, 3, 2, 2)),
    // ---- in-kernel services ----
    /**
     * Monolithic getpid, Linux 2.0's {@code sys_getpid}: load {@code current}, load its pid (an
     * address-generation interlock between the two), return (a RET).
     */
    KERNEL_GETPID(true, Instr.of(0, 2, 0, 1).withVPipe(0).withMultiClock(MultiClock.AGI, 1).withMultiClock(MultiClock.RET, 1)),
    /** Reflect a trap to the user-level emulation library (the trampoline variant of L4Linux). */
    REFLECT(true, Instr.of(20, 10, 12, 4)),
    // ---- Mach IPC ----
    /**
     * Mach: locore copies {@code mach_msg_overwrite_trap}'s nine arguments from the user stack
     * (counted from OSF MK 3.0 PMK1.1 (MkLinux DR3's kernel, repository slp/osfmk-mklinux,
     * uniprocessor production build, where every lock compiles to nothing) {@code locore.S}: 10
     * fixed instructions and 3 per argument, one segment load). Slower than their class: per
     * argument the {@code pushl %fs:(%esi)} ({@link MultiClock#PUSH_MEM}, its FS override a prefix
     * clock on the P5 that covers the interlock on the ESI just decremented, rule M5) and the LOOP;
     * and on the P5 the interlock of the {@code lea} after the load of ESI. The test of a
     * kernel-loaded task branches and the LOOPs are counted as taken (a LOOP is priced as itself
     * either way); the address check ({@code ja mach_call_addr}) falls through.
     */
    MACH_TRAP_ARGS(true, Instr.of(14, 2, 9, 11).withSegmentLoads(1).withTaken(10).withMultiClock(MultiClock.PUSH_MEM, 9)
            .withMultiClock(MultiClock.LOOP, 9).withMultiClock(MultiClock.PREFIX, 9).withMultiClock(MultiClock.AGI, 1)),
    /**
     * Mach: the send half of {@code mach_msg}'s RPC hot path ({@code ipc/mach_msg.c} of OSF MK 3.0
     * PMK1.1 (MkLinux DR3's kernel, repository slp/osfmk-mklinux, uniprocessor production build,
     * where every lock compiles to nothing), counted statement by statement, not compiled), from
     * the trap's prologue to the hand-off: the header copied in and checked, both names looked up
     * in the space's table, rights and reference counts updated, a kernel message taken from the
     * cache, the waiting receiver found on the port: 91 simple, 78 loads, 61 stores, 62 branches, 2
     * segment loads. The message bytes themselves are copied apart.
     */
    MACH_COPYIN(true, Instr.of(91, 78, 61, 62).withSegmentLoads(2)),
    /**
     * Mach: the receive half of the hot path, on the receiver after the hand-off (same source and
     * method): the header's names and rights translated into the receiver's space, the message
     * copied out, the kernel message put back in the cache: 58 simple, 44 loads, 22 stores, 29
     * branches, 2 segment loads.
     */
    MACH_COPYOUT(true, Instr.of(58, 44, 22, 29).withSegmentLoads(2)),
    /**
     * Mach: the hand-off to the waiting receiver, OSF MK's {@code switch_context} and the
     * receiver's return through {@code thread_dispatch} (same source and method: 31 simple, 48
     * loads, 34 stores, 32 branches) less what the kernel's generic {@link #THREAD_SWITCH} and
     * {@link #SPACE_CHECK} already charge; the LLDT it executes on every switch priced as a segment
     * load, and its read and write of CR0 (lazy FPU) counted as two simple instructions and priced
     * as control-register moves ({@link MultiClock#MOV_FROM_CR}, {@link MultiClock#MOV_CR0}).
     */
    MACH_HANDOFF(true, Instr.of(31 - 2 - 2 + 2, 48 - 4 - 1, 34 - 4 - 0, 32 - 1 - 2).withSegmentLoads(1)
            .withMultiClock(MultiClock.MOV_FROM_CR, 1).withMultiClock(MultiClock.MOV_CR0, 1)),
    /**
     * mklinux-user: a Linux system call raised as a Mach exception, counted (statement by
     * statement, not compiled) from OSF MK 3.0 PMK1.1 (MkLinux DR3's kernel, repository
     * slp/osfmk-mklinux): {@code exception()}'s own code for EXC_SYSCALL (28 simple, 12 loads, 31
     * stores, 18 branches), the copy-in of the call's seven arguments from the user stack (11, 10,
     * 2, 3 and 2 segment loads) and {@code thread_getstatus} reading the 31-word state (16, 23, 19,
     * 14). The trap's own entry and exit are the Mach ones; the kernel's request leg takes the
     * message path as the hot path does (OSF MK sends it through its slower from-kernel RPC, not
     * counted, so this undercounts).
     */
    MACH_EXCEPTION(true, Instr.of(28 + 11 + 16, 12 + 10 + 23, 31 + 2 + 19, 18 + 3 + 14).withSegmentLoads(2)),
    /**
     * mklinux-user: the exception's reply, {@code thread_setstatus} writing the returned state
     * back into the thread (same source and method: 19 simple, 28 loads, 29 stores, 19 branches).
     */
    MACH_EXC_RETURN(true, Instr.of(19, 28, 29, 19)),
    /** Co-located server's work in the kernel (MkLinux in-kernel getpid). */
    COLOCATED_SERVER(true, Instr.of(10, 6, 2, 3)),
    // ---- TLB shootdown on several CPUs (after the other kernel paths, so that their layout stays) ----
    /** Shootdown: build the request (pages, PCID), pick the targets from the space's CPU set, one ICR write each (priced apart). */
    SHOOTDOWN_SEND(true, Instr.of(12, 6, 6, 4)),
    /** The target's IPI handler: read the request, loop over its pages (each INVLPG priced apart), acknowledge with an atomic decrement. */
    SHOOTDOWN_HANDLER(true, Instr.of(10, 6, 2, 4)),
    /** The initiator after the last acknowledgement: release the request, free what waited for it. */
    SHOOTDOWN_FINISH(true, Instr.of(6, 3, 2, 2)),
    // ---- small spaces (l4-small; after the others so that their layout stays) ----
    /**
     * Switch to a small space, counted from a July 1997 version of the L4 whose small spaces were
     * measured, Liedtke's Pentium kernel ({@code l4-x86/l4-4test/kernel/ipcman5.as5}, "L4.IPCMAN.5, 25,07,97",
     * in repository l4ka/hazelnut at f5943fe, {@code ipc_sc} L678-791), the instructions its IPC path
     * runs only because the target space is small: the sign of the space's descriptor word tested
     * (small spaces lie above 3 GB) and the branch to the large-space switch not taken (1 simple, 1
     * branch), the high words of the user data and code descriptors written into the GDT with the
     * code type made from the data type between them (1 simple, 2 stores), and the user data
     * selector put in a register (1 simple); the DS and ES loads that follow are priced apart, and
     * the IRET that ends every call reloads CS and SS through the rewritten descriptors within its
     * own cost. The space's descriptor word is read by the space check, as a large space's
     * directory is. Three of the six issue in the V pipe, by the pairing rules of
     * docs/cycles/pentium-pairing.md, walked through Liedtke's interleaved sequence (the branch
     * after the test, the add after the first store, the selector after the TSS store of the
     * thread switch). This kernel gives each window its own descriptors instead of rewriting two,
     * which changes which selector is loaded, not the count.
     */
    SMALL_SWITCH(true, Instr.of(3, 0, 2, 1).withVPipe(3).withTaken(0)),
    // ---- seL4's capability-based naming (the capDecode what-if; after the others so that their layout stays) ----
    /**
     * What seL4's IPC fast path does to name the partner by capability that this kernel's L4, which
     * names it by thread ID, does not: counted statement by statement (not compiled, as the Mach
     * paths are) from seL4's {@code src/fastpath/fastpath.c}, {@code fastpath_call} (lines 19-233),
     * in its non-MCS configuration (the one sel4bench's published call and reply-receive figures
     * use), and {@code include/fastpath/fastpath.h}, {@code lookup_fp} (line 65), read in repository
     * seL4/seL4 at 1326364b (2026; the figures compared are of 2024), for x86-64 (a capability is two
     * 64-bit words; a field is a shift and a mask, a pointer field two more for its sign). The
     * CSpace is one CNode whose guard makes up the rest of the word, as sel4utils builds a
     * process's ({@code sel4utils_configure_process_custom}: a guard of {@code seL4_WordBits -
     * one_level_cspace_size_bits}), so the lookup loop runs once.
     * <ul>
     *   <li>the caller's CSpace root read from its TCB: 1 simple, 2 loads;
     *   <li>{@code lookup_fp}: the CNode type check, then one iteration (guard size, radix, guard
     *       and slot fields; the guard compared; the slot's two words read; the depth tested twice):
     *       27 simple, 2 loads, 5 branches;
     *   <li>the endpoint capability's type and send right, its pointer: 5 simple, 2 branches;
     *   <li>the endpoint's queue head and state: 2 simple, 2 loads, 1 branch;
     *   <li>the grant or grant-reply right: 2 simple, 2 branches;
     *   <li>the receiver dequeued from the endpoint: 1 simple, 1 load, 2 stores, 1 branch;
     *   <li>the badge: 2 simple;
     *   <li>the reply capability made in the receiver's caller slot and linked into the mapping
     *       database after the caller's reply slot: 11 simple, 2 loads, 4 stores.
     * </ul>
     * 51 simple, 9 loads, 6 stores, 11 branches. What L4 does in their place stays in {@link
     * #IPC_FAST}: the thread ID decoded and checked, the partner stored and checked, the sender's ID
     * delivered (about 5 to 8 instructions each way, L4's counterparts of the lookup, the reply
     * capability, the endpoint's state and the badge), so the switch overstates the difference by
     * about that much. It leaves out that seL4 also reaches the partner's address space through a
     * capability (the VTable capability's two words read and checked, about 10 instructions each
     * way), which understates it. The CNode slot and the endpoint are priced as loads and stores but
     * not simulated as addresses: in a warm loop they stay in the L1.
     */
    SEL4_CALL_CAPS(true, Instr.of(51, 9, 6, 11)),
    /**
     * The same for seL4's {@code fastpath_reply_recv} (lines 240-551; non-MCS, x86-64, one-level
     * CSpace; the reply check is {@code include/arch/x86/arch/fastpath/fastpath.h} line 12), which
     * replies through the reply capability in the server's caller slot and then waits on the
     * endpoint:
     * <ul>
     *   <li>the CSpace root and {@code lookup_fp} as in {@link #SEL4_CALL_CAPS}: 28 simple, 4
     *       loads, 5 branches;
     *   <li>the endpoint capability's type and receive right: 3 simple, 2 branches;
     *   <li>the bound notification tested (none bound): 1 simple, 1 load, 1 branch;
     *   <li>the endpoint's pointer and state: 4 simple, 1 load, 1 branch;
     *   <li>the caller slot's reply capability read and its type checked, the caller taken from
     *       it: 5 simple, 2 loads, 1 branch;
     *   <li>the blocking object (the endpoint) and the grant right folded into the thread state: 5
     *       simple, 1 load, 1 store;
     *   <li>the server appended to the endpoint's queue (empty): 2 simple, 1 load, 4 stores, 1
     *       branch;
     *   <li>the reply capability deleted: its database link cut, the slot and its node cleared: 5
     *       simple, 2 loads, 5 stores.
     * </ul>
     * 53 simple, 12 loads, 10 stores, 11 branches.
     */
    SEL4_REPLY_RECV_CAPS(true, Instr.of(53, 12, 10, 11)),
    // ---- CMU Mach 3.0 (the mach design; after the others so that their layout stays) ----
    /**
     * Mach trap entry of CMU Mach 3.0 MK83 (repository calmsacibis995/mach30-src at 6d1ef9f;
     * i386 AT386, one CPU, the standard options without {@code debug}: every simple lock compiles
     * to nothing, STAT_TIME leaves the timing hooks empty), {@code kernel/i386/locore.s} lines
     * 1089-1171, from {@code syscall} (reached by LCALL through the LDT's call gate; priced as the
     * profile's INT) to the call through the trap table, counted instruction by instruction: 5
     * simple, 9 loads, 18 stores (PUSHA as its eight), 5 branches, 2 segment loads (DS and ES).
     * Unlike OSF MK's {@link #MACH_ENTRY} it loads no per-CPU GS, tests no kernel-loaded task and
     * checks no Mach-syscall exception port. Slower (or faster) than their class ({@link
     * MultiClock}): PUSHA (counted as its eight stores), PUSHF, the four segment-register pushes
     * (the 0F of PUSH FS and GS a prefix clock each on the P5), the XCHG with ESP, the compare with
     * {@code _mach_trap_count} in memory, the call through the trap table, and on the P5 three
     * address-generation interlocks (the thread's task and its emulation vector each loaded through
     * the register the load before set, and the trap table indexed by the EAX just shifted). Two of
     * the branches are taken, the test of an emulation vector (none) and the call; the two range
     * checks and {@code mach_msg}'s JECXZ fall through (the null trap's JECXZ, which has no arguments
     * to copy, is taken: 2 cycles more on the 486 than this count charges it).
     */
    MK83_ENTRY(true, Instr.of(5, 9, 18, 5).withSegmentLoads(2).withTaken(2).withMultiClock(MultiClock.ALU_MEM, 1)
            .withMultiClock(MultiClock.BRANCH_INDIRECT, 1).withMultiClock(MultiClock.PUSHA, 1)
            .withMultiClock(MultiClock.PUSHF, 1).withMultiClock(MultiClock.PUSH_SEG, 4).withMultiClock(MultiClock.XCHG, 1)
            .withMultiClock(MultiClock.PREFIX, 2).withMultiClock(MultiClock.AGI, 3)),
    /**
     * MK83's trap exit, the same file (the trap's return, lines 1173-1177, and lines 646-676, the
     * AST check not taken), up to the IRET (priced as the trap): 3 simple, 10 loads (POPA as its
     * eight), 1 store, 2 branches, 4 segment loads. (A message's receiver leaves through {@code thread_syscall_return}, lines 735-741, one
     * load more; not charged apart.) Slower (or faster) than their class: POPA (counted as its
     * eight loads), the compare with {@code _need_ast} in memory, and on the P5 three interlocks
     * (the PCB stack pointer loaded through the ECX just computed, the store through the ESP just
     * loaded, the IRET after {@code addl $8,%esp}).
     */
    MK83_EXIT(true, Instr.of(3, 10, 1, 2).withSegmentLoads(4).withMultiClock(MultiClock.POPA, 1)
            .withMultiClock(MultiClock.ALU_MEM, 1).withMultiClock(MultiClock.AGI, 3)),
    /**
     * MK83's {@code mach_task_self} ({@code kern/ipc_tt.c}), counted statement by statement (not
     * compiled; the same rule as the OSF MK paths): the task's send right made and its name found
     * by the space's reverse hash on the first probe; the code is the same as OSF MK's ({@link
     * #MACH_NULL_TRAP}) but for the trap function's {@code current_task()}, one load shorter, and
     * {@code ipc_hash_lookup}'s {@code a || b}: 52 simple (one a DIV: {@link MultiClock#DIV}), 46 loads,
     * 49 stores, 37 branches. ({@code mach_thread_self} counts the same.)
     */
    MK83_NULL_TRAP(true, Instr.of(52, 46, 49, 37).withMultiClock(MultiClock.DIV, 1)),
    /**
     * MK83's copy of {@code mach_msg_trap}'s seven arguments ({@code kern/syscall_sw.c} line 289)
     * from the user stack, {@code locore.s} lines 1158-1168: 3 simple, 1 load and 1 branch fixed,
     * and per argument a subtraction, a push of the user's word and a LOOP; no segment load (user
     * and kernel share one flat data segment): 10 simple, 1 load, 7 stores, 8 branches. Each push
     * reads its word from memory and each LOOP is a multi-clock branch ({@link MultiClock#PUSH_MEM},
     * {@link MultiClock#LOOP}); on the P5 each push also waits a clock for the ESI the SUB before it
     * set, and the LEA for the ESI just loaded (eight interlocks). The address check ({@code ja
     * mach_call_addr}) falls through; the LOOPs count as taken (each priced as itself).
     */
    MK83_TRAP_ARGS(true, Instr.of(10, 1, 7, 8).withTaken(7).withMultiClock(MultiClock.PUSH_MEM, 7).withMultiClock(MultiClock.LOOP, 7)
            .withMultiClock(MultiClock.AGI, 8)),
    /**
     * The send half of MK83's {@code mach_msg_trap} RPC fast path ({@code kernel/ipc/mach_msg.c}
     * lines 491-1011), counted statement by statement (not compiled) for a request to a server
     * already waiting, with the {@code copyin} routine counted instruction by instruction: the
     * message (the 24-byte header and the words; the copy priced apart) copied in and checked, the reply and destination names looked
     * up in the space's table, four rights and reference counts raised, the kernel message taken
     * from the one-slot cache inline, the waiting receiver found on the port: 41 simple, 34 loads,
     * 26 stores, 27 branches. OSF MK's counterpart ({@link #MACH_COPYIN}) also runs its
     * THREAD_SWAPPER block with an {@code splsched}/{@code splx} pair here and writes a trailer.
     */
    MK83_COPYIN(true, Instr.of(41, 34, 26, 27).withMultiClock(MultiClock.CLD, 1)),
    /**
     * MK83's hand-off, {@code thread_handoff} ({@code kern/ipc_sched.c} lines 272-372) and {@code
     * stack_handoff} ({@code i386/pcb.c} lines 296-342) with what they call (the spl pair, {@code
     * switch_ktss}, and {@code kvtophys} and {@code pmap_pte}, which walk the page tables in
     * software for the physical address loaded into CR3), counted statement by statement: 44
     * simple, 56 loads, 34 stores, 37 branches between two tasks, of which {@link
     * #MK83_SPACE_SWITCH} is charged apart because MK83 skips it between threads of one task: 25
     * simple, 41 loads, 27 stores, 28 branches here. The running kernel stack is handed to the
     * receiver, so no register context is saved or restored. Less what the kernel's generic {@link
     * #THREAD_SWITCH} already charges (its {@link #SPACE_CHECK}, charged only between spaces, comes
     * off {@link #MK83_SPACE_SWITCH}); the LLDT it executes on every hand-off priced as a segment
     * load, and its read and write of CR0 (lazy FPU) as two simple instructions, priced as
     * control-register moves as in {@link #MACH_HANDOFF}.
     */
    MK83_HANDOFF(true, Instr.of(25 - 2 + 2, 41 - 4, 27 - 4, 28 - 1).withSegmentLoads(1)
            .withMultiClock(MultiClock.MOV_FROM_CR, 1).withMultiClock(MultiClock.MOV_CR0, 1)),
    /**
     * The receive half of MK83's fast path on the receiver after the hand-off ({@code mach_msg.c}
     * lines 1098-1379, with {@code copyout} counted instruction by instruction): the sender queued
     * for the reply and the receiver taken off the port (work OSF MK does before its switch), the
     * reply right's name made in the receiver's space, the header rewritten, the message copied out
     * after {@code copyout}'s software check that the page is writable (its CR3 read counted as one
     * simple instruction and priced as {@link MultiClock#MOV_FROM_CR}), the kernel message put back
     * in the cache: 45 simple, 29 loads, 23
     * stores, 29 branches. A reply takes {@link #MK83_COPYIN_REPLY} and {@link
     * #MK83_COPYOUT_REPLY} instead.
     */
    MK83_COPYOUT(true, Instr.of(44 + 1, 29, 23, 29).withMultiClock(MultiClock.MOV_FROM_CR, 1).withMultiClock(MultiClock.CLD, 1)),
    /**
     * MK83's general message path, which a message takes when the RPC fast path does not apply (a
     * send and a receive made in separate calls, as {@code mach_msg_send} and {@code
     * mach_msg_receive} make them, or a combined call the fast path refuses; the {@code
     * fastpath=off} what-if): the send, {@code mach_msg_trap}'s send branch ({@code
     * ipc/mach_msg.c} lines 1705-1730) through {@code ipc_kmsg_get}, {@code ipc_kmsg_copyin} and
     * its header, and {@code ipc_mqueue_send}, which hands the message to the waiting receiver and
     * makes it runnable ({@code thread_go}, {@code thread_setrun}: at equal priority it does not
     * preempt the sender), counted statement by statement like the fast path: 86 simple, 94 loads,
     * 75 stores, 76 branches. What was counted is a send and a receive made in separate calls;
     * the kernel here makes them one call, so the what-if leaves out the second trap's entry,
     * argument copy and exit (about 85 instructions and the LCALL and IRET): an undercount. The
     * fall-offs from a combined call that the fast path refuses were not counted.
     */
    MK83_GENERAL_SEND(true, Instr.of(86, 94, 75, 76).withMultiClock(MultiClock.CLD, 1)),
    /**
     * MK83's general path, the sender's receive that blocks: {@code mach_msg_trap}'s receive branch
     * (lines 1731-1761), {@code ipc_mqueue_copyin}, {@code ipc_entry_lookup}, {@code
     * ipc_mqueue_receive} finding no message, {@code thread_block}, {@code thread_select} taking
     * the receiver off a run queue holding only it, and {@code thread_invoke}'s stack hand-off (the
     * fast path's {@code stack_handoff}): 99 simple, 116 loads, 99 stores, 89 branches between two
     * tasks, less its address-space part ({@link #MK83_SPACE_SWITCH}, charged apart), less what the
     * generic {@link #THREAD_SWITCH} charges, with the LLDT as a segment load and the CR0 read and
     * write as two control-register moves, as in {@link #MK83_HANDOFF}.
     */
    MK83_GENERAL_BLOCK(true, Instr.of(99 - 19 - 2 + 2, 116 - 15 - 4, 99 - 7 - 4, 89 - 9 - 1).withSegmentLoads(1)
            .withMultiClock(MultiClock.MOV_FROM_CR, 1).withMultiClock(MultiClock.MOV_CR0, 1)),
    /**
     * MK83's general path, the receiver's completion: {@code mach_msg_continue} through {@code
     * ipc_kmsg_copyout} (the reply right's name made in the receiver's space) and {@code
     * ipc_kmsg_put} ({@code copyout}, with its CR3 read counted as one simple instruction, priced as
     * {@link MultiClock#MOV_FROM_CR}), the
     * kernel message put back in its cache: 71 simple, 68 loads, 57 stores, 48 branches. The three
     * general-path paths come to 977 instructions a message against the fast path's 424 (both
     * without the trap's entry and exit); a send and a receive in separate calls also take a
     * second trap, entry and exit per message, which this what-if does not charge. The reply
     * direction was not counted apart (the notes estimate it within 10 instructions); it is
     * charged as the request.
     */
    MK83_GENERAL_RECEIVE(true, Instr.of(70 + 1, 68, 57, 48).withMultiClock(MultiClock.MOV_FROM_CR, 1)
            .withMultiClock(MultiClock.CLD, 1)),
    /**
     * The address-space part of MK83's stack hand-off, run only when the receiver is in another
     * task ({@code i386/pcb.c} line 314): {@code PMAP_DEACTIVATE_USER} and {@code
     * PMAP_ACTIVATE_USER} ({@code intel/pmap.h} lines 444-456), which find the new page
     * directory's physical address by walking the page tables in software ({@code kvtophys}, {@code
     * i386/phys.c} lines 130-139, and {@code pmap_pte}, {@code intel/pmap.c} lines 647-666) before
     * the CR3 write (priced apart): 19 simple, 15 loads, 7 stores, 9 branches, counted statement by
     * statement (the hand-off between threads of one task is 121 instructions instead of 171), less
     * the generic {@link #SPACE_CHECK} the scheduler charges with it.
     */
    MK83_SPACE_SWITCH(true, Instr.of(19 - 2, 15 - 1, 7, 9 - 2)),
    /**
     * The send half of MK83's fast path for a reply ({@code mach_msg.c} lines 775-926 in place of
     * the request's 606-757, and the reply case of the header switch): the reply's destination is
     * the send-once right the request carried, looked up and its entry freed inline ({@code
     * ipc_entry_dealloc}), then the server's receive name checked: 44 simple, 32 loads, 25 stores,
     * 29 branches, counted statement by statement like {@link #MK83_COPYIN}.
     */
    MK83_COPYIN_REPLY(true, Instr.of(44, 32, 25, 29).withMultiClock(MultiClock.CLD, 1)),
    /**
     * The receive half of MK83's fast path for a reply, on the client ({@code mach_msg.c} lines
     * 1276-1306 in place of the request's right-making): the reply carries no right to make, so
     * the header is rewritten with the name of the client's own reply port and the send-once right
     * released: 36 simple ({@code copyout}'s CR3 read counted as one, priced as {@link
     * MultiClock#MOV_FROM_CR}), 23 loads, 19 stores, 25
     * branches. With {@link #MK83_COPYIN_REPLY} a reply is 475 instructions with the trap, against
     * the request's 496. Both reply halves run the request's code but for their case bodies, so
     * they share its code lines (see {@link #codeOffset()}).
     */
    MK83_COPYOUT_REPLY(true, Instr.of(35 + 1, 23, 19, 25).withMultiClock(MultiClock.MOV_FROM_CR, 1)
            .withMultiClock(MultiClock.CLD, 1)),
    // ---- user level ----
    /** A system-call stub: arguments into registers, trap. */
    USER_STUB(false, Instr.of(4, 1, 0, 1)),
    /**
     * The C library's wrapper of a Linux system call without arguments, glibc 2.0.6's
     * {@code getpid} ({@code sysdeps/unix/sysv/linux/i386/sysdep.h}, PSEUDO and DO_CALL): the
     * caller's call, the call number into EAX, the trap (priced apart), the error check
     * ({@code cmpl $-4095}, a branch not taken) and the return (a RET).
     */
    LIBC_SYSCALL(false, Instr.of(2, 0, 0, 3).withVPipe(1).withMultiClock(MultiClock.RET, 1)),
    /** The emulation library: decode the Linux call, marshal it as an IPC. */
    EMULATION_LIB(false, Instr.of(12, 6, 4, 4)),
    /** A MIG-style stub: build a message header and body in memory. */
    MACH_STUB(false, Instr.of(20, 8, 12, 4)),
    /** A server's dispatch loop: decode the request, jump to its handler. */
    SERVER_DISPATCH(false, Instr.of(8, 4, 2, 3)),
    /**
     * A Linux server's getpid (L4Linux, MkLinux's server, vst's Linux service): the system call
     * served as Linux 2.0's {@code entry.S} serves it, without the trap frame (the 1997 L4Linux
     * server's source was not found; this is the analogue, counted from Linux 2.0.40): find the
     * client's task from the sender and make it {@code current} (2 simple, 2 loads, 1 store), the
     * bound check and dispatch through {@code sys_call_table} (2 simple, 1 load, 3 branches),
     * {@code sys_getpid} (2 loads, the return), the result stored in the reply (1 store), and
     * {@code ret_from_sys_call}'s checks of interrupt count, bottom halves, need_resched and
     * signals (8 loads, 2 simple, 7 branches).
     */
    SERVER_GETPID(false, Instr.of(6, 13, 2, 11)),
    /**
     * MkLinux's Linux server handling an EXC_SYSCALL for getpid, {@code catch_exception_raise_state}
     * in MkLinux's {@code trap.c} and the {@code syscall_wrapper} of its {@code entry.S}, counted
     * statement by statement (not compiled): the task found and made current, the Linux frame built
     * from the Mach state and back, {@code sys_getpid}, the return checks, and 24 state fields
     * copied to the reply: 39 simple, 126 loads, 85 stores, 36 branches. The code around it, the
     * server's loop, lock and MIG code, is {@link #MKLINUX_SERVER_LOOP}, {@link
     * #MKLINUX_UNIPROC_ENTER}, {@link #MKLINUX_UNIPROC_EXIT}, {@link #MKLINUX_ACTIVATION}, {@link
     * #MKLINUX_MIG_DEMUX} and {@link #MKLINUX_MIG_STUB}.
     */
    MKLINUX_EXC_HANDLER(false, Instr.of(39, 126, 85, 36)),
    /** A server's open: path lookup in the dentry cache, file allocation. */
    SERVER_OPEN(false, Instr.of(80, 40, 20, 20)),
    /** Put a request or a reply into a shared ring. */
    RING_PUT(false, Instr.of(6, 2, 4, 1)),
    /** Take a request or a reply out of a shared ring. */
    RING_GET(false, Instr.of(6, 4, 2, 1)),
    // ---- Liedtke's 1997 Pentium L4 (L4Kernel.LIEDTKE_P5; after the others so that their layout stays) ----
    /**
     * The IPC entry of Liedtke's Pentium L4 in its version of July 1997, the kernel whose IPC the
     * Pentium figures measured ({@link L4Kernel#LIEDTKE_P5}): {@code l4-x86/l4-4test/kernel/ipcman5.as5}
     * ("L4.IPCMAN.5, 25,07,97", for the Pentium), in repository l4ka/hazelnut at f5943fe,
     * {@code ipc_sc}, counted instruction by instruction with its macros expanded: the caller's EBP
     * and EDX saved and its TCB found from the stack pointer (2 simple, 2 stores). The INT 30h that
     * enters it, and the IRETD that ends it, are priced as the trap. The pairs are Liedtke's own
     * (the source is laid out in them) and follow the rules of docs/cycles/pentium-pairing.md: 2 of
     * the 4 issue in the V pipe. These paths take every system call this kernel's model makes, not
     * only IPC; only the IPC path was counted.
     */
    L4V2_ENTRY(true, Instr.of(2, 0, 2, 0).withVPipe(2)),
    /**
     * The IPC of the same kernel, {@code ipc_sc} from the send-only test through {@code
     * ipc_post}'s resource check (a short message sent to a partner that waits for it, then a
     * closed or open receive): the destination's TCB from its thread number, the control word,
     * receive descriptor and state stored, the destination's ID and its clan's chief checked, its
     * state checked against the sender, the message type tested for a register-only message, the
     * user's FS and GS required to be null, the destination's state set, the resource bits tested,
     * a register restored: 11 simple (two MOV from a segment register among them), 7 loads, 4
     * stores, 5 branches, none taken. Slower than their class ({@link MultiClock}): the MOVZX
     * (and its 0F prefix) and the XOR with the destination's ID in memory that issues in the U
     * pipe (its twin in the V pipe finishes with it). 12 issue
     * in the V pipe; 10 if the assembler put a segment-override prefix on the two loads addressed
     * as {@code ss:[edi+ebp+...]} (taken as EBP-based, as Liedtke's pairing needs).
     */
    L4V2_IPC(true, Instr.of(11, 7, 4, 5).withVPipe(12).withTaken(0).withMultiClock(MultiClock.MOVZX, 1)
            .withMultiClock(MultiClock.PREFIX, 1).withMultiClock(MultiClock.ALU_MEM, 1)),
    /**
     * The thread switch of the same path: the sender's stack pointer saved and the receiver's
     * loaded, the resource check's branch, and the receiver's kernel-stack top written to the TSS
     * ({@code cpu_esp0}): 2 simple, 2 loads, 2 stores, 1 branch; 3 in the V pipe.
     */
    L4V2_THREAD_SWITCH(true, Instr.of(2, 2, 2, 1).withVPipe(3).withTaken(0)),
    /**
     * The same path's address-space step: the receiver's space descriptor word ({@code
     * thread_proot}) loaded and the GDT addressed: 1 simple, 1 load; 1 in the V pipe. What follows
     * depends on whether the space is small ({@link #SMALL_SWITCH}) or large ({@link
     * #L4V2_LARGE_SWITCH}). The kernel has no same-space test: on an IPC within one space it runs
     * this step, the descriptor writes ({@link #SMALL_SWITCH}, or {@link #L4V2_LARGE_KEEP}) and the
     * DS and ES loads too, and so does the model ({@link L4Kernel#sameSpaceCheck()}). Not modelled:
     * the model's other switches (a preemption, a space promoted to large) take this IPC path's
     * steps, as they take each kernel's.
     */
    L4V2_SPACE_CHECK(true, Instr.of(1, 1, 0, 0).withVPipe(1)),
    /**
     * The same kernel's switch to a large space whose page directory is not loaded ({@code
     * switch_to_large_address_space}, out of line, and the common tail): the descriptor word's sign
     * tested and the branch taken, the loaded CR3 compared, the new one and the TLB's state
     * recorded, the flat descriptor's high word taken and the branch back, then the user data and
     * code descriptors' high words written into the GDT (the code type made from the data type
     * between them) and the user data selector put in a register: 4 simple, 1 load, 4 stores, 3
     * branches; 6 in the V pipe; the compare reads memory ({@link MultiClock#ALU_MEM}). The CR3 write itself and the DS and ES loads that follow, which
     * this kernel makes on every IPC to any space, are priced apart.
     */
    L4V2_LARGE_SWITCH(true, Instr.of(4, 1, 4, 3).withVPipe(6).withTaken(2).withMultiClock(MultiClock.ALU_MEM, 1)),
    /** {@link #L4V2_LARGE_SWITCH} in a design without user segments (l4): its DS and ES loads priced with it. */
    L4V2_LARGE_SWITCH_FLAT(true, Instr.of(4, 1, 4, 3).withVPipe(6).withTaken(2).withSegmentLoads(2).withMultiClock(MultiClock.ALU_MEM, 1)),
    /**
     * The same path's exit before the IRETD: a register restored (1 load), in the U pipe (the DS
     * load after it pairs with nothing).
     */
    L4V2_EXIT(true, Instr.of(0, 1, 0, 0).withVPipe(0)),
    // ---- Liedtke's 1996 486 L4 (L4Kernel.LIEDTKE_486; after the others so that their layout stays) ----
    /**
     * The IPC entry of Liedtke's 486 L4 of 1996 ({@link L4Kernel#LIEDTKE_486}): {@code
     * l4-x86/l4-4test/kernel/ipcman4.asm} ("L4.IPCMAN.4, 27,07,96"), in repository l4ka/hazelnut
     * at f5943fe, {@code ipc_sc} (the INT gate's target) L719-814 with its macros expanded ({@code
     * kernifc/cpucb4.inc}, {@code l4pre.inc}), counted instruction by instruction: two registers
     * pushed and the current TCB from the stack pointer (L721-725: 2 simple, 2 stores). The 486
     * does not pair, so no V-pipe count is declared.
     */
    L4V1_ENTRY(true, Instr.of(2, 0, 2, 0)),
    /**
     * The same kernel's IPC for a reply-and-wait, the call's ({@link #L4V1_IPC_CALL}) and more:
     * the partner is in closed wait, so the check that it waits for this sender runs (L753-759: 4
     * loads, 3 branches), and the receive is open (L780-782: 1 simple, 1 load, 1 branch, the
     * polling check): 15 simple, 13 loads, 5 stores, 15 branches. Seven of the loads are compares
     * or tests of memory ({@link MultiClock#ALU_MEM}: the call's four, the two of the wait check and the polling test).
     * (A call to a partner in closed wait, or a reply-and-wait with a closed receive, lies between
     * the two, within 4 instructions; the model takes the call's count for the one and this for
     * the other.) A call runs the same code but those lines, and takes no code lines of its own.
     */
    L4V1_IPC_REPLY(true, Instr.of(15, 13, 5, 15).withTaken(0).withMultiClock(MultiClock.ALU_MEM, 7)),
    /**
     * The same kernel's IPC for a call: a short message to a partner in open wait, then a closed
     * receive (L727-789 before the switch, L795-796 and L804-805 after it): the message type masked
     * and tested, the sender's waiting-for and receive descriptor stored, the clan's chief
     * compared, the destination's TCB from its ID and its ID and chief checked, the partner's wait
     * state tested (open, so its waiting-for check is skipped), the destination set running, the
     * sender's closed wait and timeout set up, and the source ID loaded for the receiver: 14
     * simple, 8 loads, 5 stores, 11 branches (two taken). Four of the loads are compares or tests
     * of memory ({@link MultiClock#ALU_MEM}: the chief, the destination's ID and chief, its state).
     */
    L4V1_IPC_CALL(true, Instr.of(14, 8, 5, 11).withTaken(2).withMultiClock(MultiClock.ALU_MEM, 4)),
    /**
     * The same kernel's thread switch ({@code switch_thread}, cpucb4.inc L105-119): the stacks
     * switched and the receiver's kernel-stack top written to the TSS: 1 simple, 2 loads, 2 stores,
     * 1 branch; one load is the compare of the resource bits with 0 ({@link MultiClock#ALU_MEM}).
     */
    L4V1_THREAD_SWITCH(true, Instr.of(1, 2, 2, 1).withTaken(0).withMultiClock(MultiClock.ALU_MEM, 1)),
    /**
     * The same kernel's space check and switch (L798-809, {@code switch_space} at cpucb4.inc
     * L173-178): the two TCBs' task numbers compared and the task's page directory found (4
     * simple, 1 branch), its address loaded from {@code task_proot} (1 load); the CR3 write is
     * priced apart. (The comparison runs for an IPC within a task too, which the model's space
     * check skips.)
     */
    L4V1_SPACE_CHECK(true, Instr.of(4, 1, 0, 1).withTaken(0)),
    /** The same path's exit before the IRETD: a register restored (1 load). */
    L4V1_EXIT(true, Instr.of(0, 1, 0, 0)),
    // ---- the same-space steps of Liedtke's kernels (after the others so that their layout stays) ----
    /**
     * Liedtke's 486 kernel on an IPC within one task: the task numbers compared (L798-807, as in
     * {@link #L4V1_SPACE_CHECK}) and the branch over {@code switch_space} taken: 4 simple, 1 branch.
     */
    L4V1_SAME_TASK_CHECK(true, Instr.of(4, 0, 0, 1).withTaken(1)),
    /**
     * Liedtke's 1997 Pentium kernel on an IPC to a large space whose page directory is loaded:
     * {@link #L4V2_LARGE_SWITCH} but for the two stores that record a new CR3, which the compare's
     * branch skips (taken, as are the branch out and the jump back): 4 simple, 1 load, 2 stores, 3
     * branches; 5 in the V pipe. It runs the same code, and takes no code lines of its own.
     */
    L4V2_LARGE_KEEP(true, Instr.of(4, 1, 2, 3).withVPipe(5).withTaken(3).withMultiClock(MultiClock.ALU_MEM, 1)),
    /** {@link #L4V2_LARGE_KEEP} in a design without user segments (l4): its DS and ES loads priced with it. */
    L4V2_LARGE_KEEP_FLAT(true, Instr.of(4, 1, 2, 3).withVPipe(5).withTaken(3).withSegmentLoads(2).withMultiClock(MultiClock.ALU_MEM, 1)),
    // ---- OSF MK's INT 0x80 entry (after the others so that their layout stays) ----
    /**
     * The entry of a Linux binary's {@code int $0x80} under OSF MK (the MkLinux designs' getpid),
     * counted from the same {@code locore.S} as {@link #MACH_ENTRY}: {@code syscall_int80} (no
     * PUSHF and no shuffle of the frame, which an interrupt gate builds in order), the common code
     * from {@code syscall_entry_3}, the native path's sign test, which sends a positive (Linux) call
     * number to {@code mach_call_range}, and that routine's second look at the emulation vector and
     * its call of {@code exception()} with EXC_SYSCALL (whose body is {@link #MACH_EXCEPTION}): 9
     * simple, 10 loads, 18 stores (PUSHA as its eight), 6 branches (all but the emulation test of
     * {@code mach_call_range} taken), 3 segment loads. It is laid out on {@link #MACH_ENTRY}'s
     * lines (a simplification: {@code syscall_int80} and {@code mach_call_range}, about 26 of its
     * instructions, are lines MACH_ENTRY does not run, so the client's code footprint is understated). Slower (or faster) than their class: PUSHA,
     * the four segment-register pushes (and the 0F of PUSH FS and GS), the XCHG with ESP, the compare
     * with {@code active_kloaded}, the two GS overrides (covering their interlocks, rule M5), and on
     * the P5 six interlocks (the activation, task and emulation vector loaded twice, each through the
     * register the load before set).
     */
    MACH_SYSCALL_ENTRY(true, Instr.of(9, 10, 18, 6).withSegmentLoads(3).withTaken(5).withMultiClock(MultiClock.PUSHA, 1)
            .withMultiClock(MultiClock.PUSH_SEG, 4).withMultiClock(MultiClock.PREFIX, 4).withMultiClock(MultiClock.ALU_MEM, 1)
            .withMultiClock(MultiClock.XCHG, 1).withMultiClock(MultiClock.AGI, 6)),
    // ---- MkLinux's server around its exception handler (after the others so that their layout stays) ----
    /**
     * The user-level MkLinux server's loop, {@code ux_server_loop} in MkLinux DR3's {@code
     * osfmach3/server/ux_server_loop.c} (repository slp/osfmk-mklinux; the loop a user-level server
     * runs: {@code serv_init.c} turns activations on only in the kernel, L383 and L449-454), one
     * request in the steady state (L380-439), counted statement by statement (not compiled; the
     * convention of {@link #MKLINUX_UNIPROC_ENTER}). The loop's own statements: the result of the
     * last {@code mach_msg} tested, the two message buffers swapped, the reply port saved, the call
     * of the MIG demultiplexer {@code exc_server} and the test of its result, and the reply's port
     * and bits tested (a reply is sent): 7 simple, 4 loads, 3 stores, 8 branches. The call of
     * libmach's {@code mach_msg} for the reply and the next request (OSF MK's {@code
     * mach_services/lib/libmach/mach_msg.c}), with its seven arguments pushed: its frame, the nine
     * arguments of {@code mach_msg_overwrite_trap} pushed, the option masked, the call of the
     * trap's stub (its MOV of the trap number; the LCALL is the trap) and the success test: 6, 10,
     * 17, 5. 13 simple, 14 loads, 20 stores, 13 branches. The lock the loop drops around {@code
     * mach_msg} and takes again is {@link #MKLINUX_UNIPROC_EXIT} and {@link #MKLINUX_UNIPROC_ENTER};
     * the MIG demultiplexer and stub are {@link #MKLINUX_MIG_DEMUX} and {@link #MKLINUX_MIG_STUB}.
     */
    MKLINUX_SERVER_LOOP(false, Instr.of(13, 14, 20, 13)),
    /**
     * MkLinux's server taking its one lock, {@code uniproc_enter} as a production build has it: the
     * static inline functions of {@code include/osfmach3/uniproc.h} (L41-86; {@code uniproc.c}'s
     * out-of-line versions are compiled only with {@code CONFIG_OSFMACH3_DEBUG}, which the i386
     * defconfig leaves off, and so are the assertions). No preemption, the antechamber in use, on
     * the path of a thread working for the server itself (its current task is the first task,
     * whose memory is {@code init_mm}; the handler switches back to it before it returns, {@code
     * trap.c} L612): the antechamber flag and the thread's private data tested, the cthreads mutex
     * taken ({@code spin_try_lock}'s MOV and locked XCHG with memory, {@link MultiClock#XCHG_MEM},
     * inlined: {@code cthreads.h} L272, {@code i386/cthreads.h}), and {@code uniproc_has_entered},
     * which stores the current task ({@code get_current_task}). Counted statement by statement,
     * not compiled: an out-of-line call costs its pushed arguments (a store each), the CALL and the
     * RET (two branches), the caller's stack adjustment (one simple) and a frame (PUSH EBP, MOV
     * ESP,EBP, and the restore: a store, a simple, a load), and each argument it reads is a load;
     * {@code cthread_self} (the stack pointer masked with {@code cthread_status.stack_mask} and the
     * word below the stack's top read) and {@code cthread_data} are out-of-line functions of
     * libcthreads ({@code cthreads.c} L1267, L1952; {@code cthread_internals.h} L238-247), called
     * twice here. 13 simple, 16 loads, 8 stores, 12 branches.
     */
    MKLINUX_UNIPROC_ENTER(false, Instr.of(13, 16, 8, 12).withMultiClock(MultiClock.XCHG_MEM, 1)),
    /**
     * MkLinux's server dropping its lock, {@code uniproc_exit} as a production build has it ({@code
     * uniproc.h} L88-96, L115-127): {@code uniproc_will_exit}, which stores the current task as the
     * thread's ({@code set_current_task}, the private data found again) and clears it, and the
     * mutex released ({@code spin_unlock}'s XOR and locked XCHG, {@link MultiClock#XCHG_MEM}, and
     * the test of its trigger, {@code cthreads.h} L273). Same convention as {@link
     * #MKLINUX_UNIPROC_ENTER}: 6 simple, 8 loads, 6 stores, 5 branches.
     */
    MKLINUX_UNIPROC_EXIT(false, Instr.of(6, 8, 6, 5).withMultiClock(MultiClock.XCHG_MEM, 1)),
    /**
     * The in-kernel MkLinux server's way in and out of its handler: with activations, which {@code
     * serv_init.c} turns on for a server in the kernel (L383), OSF MK's exception path calls {@code
     * catch_exception_raise_state} directly on a migrated thread ({@code kern/exception.c}, the
     * subsystem's implementation routine; no MIG code runs), which takes the antechamber mutex,
     * enters the lock ({@link #MKLINUX_UNIPROC_ENTER}), releases the antechamber, finds its jump
     * buffer already set from the last call ({@code trap.c} L276-305), and at the end leaves the
     * lock ({@link #MKLINUX_UNIPROC_EXIT}, L615-617): the mutex taken and released (two locked XCHGs
     * with memory, {@link MultiClock#XCHG_MEM}) and the jump buffer compared: 5 simple, 2 loads, 2
     * stores, 3 branches (the two tests of {@code use_activations}, on the handler's path in both
     * modes, are left to {@link #MKLINUX_EXC_HANDLER}'s count). Not modelled: the short-circuited
     * RPC itself, which the model runs as the Mach message path the user-level server takes.
     */
    MKLINUX_ACTIVATION(false, Instr.of(5, 2, 2, 3).withMultiClock(MultiClock.XCHG_MEM, 2)),
    /**
     * The MIG demultiplexer the user-level MkLinux server calls, {@code exc_server}, as OSF MK's MIG
     * writes it ({@code mach_services/lib/migcom/server.c}, {@code WriteDispatcher}, L512-579, for
     * {@code mach/exc.defs}: subsystem 2400, routines 2401-2403): the reply header's bits, remote
     * and local ports, minimal size and id set from the request's, the id's range checked, the stub
     * taken from the subsystem's routine table and called through it ({@link
     * MultiClock#BRANCH_INDIRECT}) with the two header pointers, and TRUE returned. Counted
     * statement by statement from the code the generator emits (the convention of {@link
     * #MKLINUX_UNIPROC_ENTER}; the caller's side of its own call is in {@link #MKLINUX_SERVER_LOOP}):
     * 10 simple, 7 loads, 8 stores, 5 branches.
     */
    MKLINUX_MIG_DEMUX(false, Instr.of(10, 7, 8, 5).withMultiClock(MultiClock.BRANCH_INDIRECT, 1)),
    /**
     * The MIG server stub of {@code exception_raise_state}, {@code _Xcatch_exception_raise_state},
     * as the same generator writes it ({@code WriteRoutine}, L2180-2303, with {@code
     * WriteCheckMsgSize}, {@code WriteAdjustRequestMsgPtr}, {@code WriteInitializeCount}, {@code
     * WriteServerCall} L1313, {@code WriteCheckReturnValue} L1339, {@code WriteReplyArgs} L2047 and
     * {@code WriteFinishMsgSize} L2022) into libmach's {@code exc_server.o}, which is built with
     * type checking off ({@code libmach/common.mk}: {@code -DTypeCheck=0}; MkLinux links {@code
     * libmach_maxonstack.a}): a simple request of two variable-sized arrays ({@code code},
     * array[*:2], and {@code old_state}, array[*:THREAD_STATE_MAX]): the first array's size taken
     * from its count and the pointer to the rest of the request moved past it; the reply's count
     * initialised, the handler called with nine arguments, its return code stored and tested, the
     * NDR record and the flavor set in the reply and its size set from the new state's count: 12
     * simple, 12 loads, 16 stores, 3 branches (the handler itself is {@link #MKLINUX_EXC_HANDLER}).
     * Replaces, for the user-level MkLinux server, the generic {@link #MACH_STUB}.
     */
    MKLINUX_MIG_STUB(false, Instr.of(12, 12, 16, 3)),
    // ---- OSF MK's exception return (after the others so that their layout stays) ----
    /**
     * The exit of a thread whose Mach exception was answered (MkLinux's client after its getpid),
     * {@code thread_exception_return} in the same {@code locore.S} (L1141-1145), then {@code
     * return_from_trap} as {@link #MACH_EXIT}: the PCB stack found from the kernel stack and the
     * jump, with no system-call result stored: 4 simple, 14 loads (POPA as its eight), no store, 4
     * branches (2 taken), 4 segment loads; slower than their class as MACH_EXIT's but for the
     * store's interlock: POPA, three memory compares, two prefix clocks, four interlocks. It runs
     * MACH_EXIT's lines but for its own four instructions (laid out on them, a simplification).
     */
    MACH_EXCEPTION_EXIT(true, Instr.of(4, 14, 0, 4).withSegmentLoads(4).withTaken(2).withMultiClock(MultiClock.POPA, 1)
            .withMultiClock(MultiClock.ALU_MEM, 3).withMultiClock(MultiClock.PREFIX, 2).withMultiClock(MultiClock.AGI, 4));

    /** Average x86 instruction length assumed for the code layout. */
    public static final int BYTES_PER_INSTRUCTION = 3;

    private final boolean kernel;
    private final Instr instr;

    Path(boolean kernel, Instr instr) {
        this.kernel = kernel;
        this.instr = instr;
    }

    /** Whether the path runs in the kernel (supervisor mode, kernel code pages). */
    public boolean kernel() {
        return kernel;
    }

    public Instr instr() {
        return instr;
    }

    /**
     * Whether the path's instructions are an address-space switch's (the segment switches of
     * l4-small and of Liedtke's 1997 kernel), charged as the switch rather than as kernel
     * instructions.
     */
    public boolean addressSpaceSwitch() {
        return this == SMALL_SWITCH || this == L4V2_LARGE_SWITCH || this == L4V2_LARGE_SWITCH_FLAT || this == L4V2_LARGE_KEEP
                || this == L4V2_LARGE_KEEP_FLAT;
    }

    /** Bytes of code. */
    public int codeBytes() {
        return instr.total() * BYTES_PER_INSTRUCTION;
    }

    /**
     * The offset of this path's code from the start of its code region (kernel or user). A path
     * that runs another's code but for a few lines (MK83's reply halves run the request's) starts
     * at that path's offset and takes no code lines of its own.
     */
    public int codeOffset() {
        return OFFSETS[ordinal()];
    }

    private Path sharesCodeWith() {
        return switch (this) {
            case MK83_COPYIN_REPLY -> MK83_COPYIN;
            case MK83_COPYOUT_REPLY -> MK83_COPYOUT;
            case L4V2_LARGE_SWITCH_FLAT -> L4V2_LARGE_SWITCH;
            case L4V1_IPC_CALL -> L4V1_IPC_REPLY;
            case L4V2_LARGE_KEEP, L4V2_LARGE_KEEP_FLAT -> L4V2_LARGE_SWITCH;
            case MACH_SYSCALL_ENTRY -> MACH_ENTRY;
            case MACH_EXCEPTION_EXIT -> MACH_EXIT;
            default -> null;
        };
    }

    private static final int[] OFFSETS = new int[values().length];

    static {
        int kernelAt = 0;
        int userAt = 0;
        for (Path p : values()) {
            Path home = p.sharesCodeWith();
            if (home != null) {
                OFFSETS[p.ordinal()] = OFFSETS[home.ordinal()];
            } else if (p.kernel) {
                OFFSETS[p.ordinal()] = kernelAt;
                kernelAt += p.codeBytes();
            } else {
                OFFSETS[p.ordinal()] = userAt;
                userAt += p.codeBytes();
            }
        }
    }
}
