package dev.mkspec.hw;

/**
 * The primitive operations a {@link CpuProfile} prices: the only numbers a profile may hold.
 * Totals are never primitives; they come from simulating a kernel path that uses these.
 */
public enum Primitive {
    /** INT n through an interrupt gate to a more privileged level. */
    INT("int"),
    /** IRET to a less privileged level. */
    IRET("iret"),
    /** SYSENTER. */
    SYSENTER("sysenter"),
    /** SYSEXIT. */
    SYSEXIT("sysexit"),
    /** SYSCALL (64-bit mode). */
    SYSCALL("syscall"),
    /** SYSRET (64-bit mode). */
    SYSRET("sysret"),
    /** MOV to CR3, not counting the TLB refills it causes (those are simulated). */
    MOV_CR3("movCr3"),
    /**
     * MOV to a data or stack segment register in protected mode: the selector's checks and the
     * descriptor's load into the hidden part ({@link Segmentation#load}). Optional: only profiles
     * of CPUs whose kernels use segmentation price it.
     */
    MOV_SEG("movSeg"),
    /**
     * The VST MMU's far call through a selector with the call right: the Vst and Gst look-ups, the
     * new code segment and domain, the return address and caller's domain pushed ({@link VstMmu}).
     * Optional: only profiles that can run the VST extension price it; no such hardware exists, so
     * every price is an assumption.
     */
    FAR_CALL("farCall"),
    /** The VST MMU's far return: the caller's code segment and domain popped back. Optional, as {@link #FAR_CALL}. */
    FAR_RETURN("farReturn"),
    /** INVLPG of one page. */
    INVLPG("invlpg"),
    /** A register-to-register ALU operation or move. */
    ALU("alu"),
    /** A load that hits the first-level cache and TLB (misses are simulated and priced apart). */
    LOAD("load"),
    /** A store that hits the first-level cache and TLB. */
    STORE("store"),
    /** A taken, predicted branch, call or return. */
    BRANCH("branch"),
    /**
     * A conditional branch that falls through, on a CPU that prices it apart from a taken one (the
     * 486: 1 clock against 3). Optional: a profile without it prices every branch as taken, and so
     * does a path that declares no count of its taken branches (kernel-impl's {@code Instr.taken}).
     */
    BRANCH_NOT_TAKEN("branchNotTaken"),
    /**
     * An ALU operation, compare or test that reads one operand from memory and writes a register
     * or only the flags ({@code cmp [m],imm}, {@code and r,[m]}), priced whole. Optional, as are the
     * other multi-clock instructions below: each is priced so only on the paths that declare it
     * (kernel-impl's {@code Instr.multiClock}), and a profile without it prices it as the class the
     * path counted it in (here a load).
     */
    ALU_MEM("aluMem"),
    /** An ALU operation that reads, changes and writes back a memory operand ({@code and [m],imm}); else priced as a store. */
    ALU_RMW("aluRmw"),
    /** MOVZX or MOVSX with a memory operand; else priced as a load. */
    MOVZX("movzx"),
    /** CLD; else priced as a simple instruction. */
    CLD("cld"),
    /** STI; else priced as a simple instruction. */
    STI("sti"),
    /** MOV to or from a debug register (DR6, DR7); else priced as a simple instruction. */
    MOV_DR("movDr"),
    /** DIV of a 32-bit register or memory operand; else priced as a simple instruction. */
    DIV("div"),
    /** MOV to CR0 (the lazy FPU switch's write of CR0.TS); else priced as a simple instruction. */
    MOV_CR0("movCr0"),
    /** MOV from a control register (CR0, CR3); else priced as a simple instruction. */
    MOV_FROM_CR("movFromCr"),
    /** PUSHA, which a path counts as its eight stores; else priced as those. */
    PUSHA("pusha"),
    /** POPA, which a path counts as its eight loads; else priced as those. */
    POPA("popa"),
    /** PUSHF; else priced as a store. */
    PUSHF("pushf"),
    /** PUSH of a segment register; else priced as a store. */
    PUSH_SEG("pushSeg"),
    /** XCHG of two registers; else priced as a simple instruction. */
    XCHG("xchg"),
    /** XCHG of a register with memory (locked: a spin lock's test-and-set); else priced as a store. */
    XCHG_MEM("xchgMem"),
    /** PUSH of a memory operand; else priced as a store. */
    PUSH_MEM("pushMem"),
    /** LOOP; else priced as a taken branch. */
    LOOP("loop"),
    /** A near RET; else priced as a taken branch. */
    RET("ret"),
    /** A near CALL or JMP through a register or memory; else priced as a taken branch. */
    BRANCH_INDIRECT("branchIndirect"),
    /**
     * The clock a CPU takes to decode one prefix byte (an operand-size or segment-override prefix,
     * or on the Pentium the 0F of a two-byte opcode), where it is not hidden behind the multi-clock
     * instruction before it; else 0.
     */
    PREFIX("prefix"),
    /**
     * An address-generation interlock: the clock lost when an instruction forms an address from a
     * register the instruction in the clock before it wrote; else 0.
     */
    AGI("agi"),
    /** The start-up of a string copy (REP MOVS). */
    COPY_STARTUP("copyStartup"),
    /** Each machine word a string copy moves, on top of the start-up. */
    COPY_PER_WORD("copyPerWord"),
    /**
     * Not a price but a share: of a path's simple instructions (ALU, loads, stores, branches), the
     * share that issues in a second pipe beside the instruction before it and so costs no clock of
     * its own (at most 0.5). Optional: only in-order dual-issue CPUs (the Pentium's U and V pipes)
     * give it, and a profile that gives it, even at 0, pairs; out-of-order profiles fold their
     * issue width into the per-instruction prices. The share applies to the paths that declare no
     * count of their own V-pipe instructions (kernel-impl's {@code Instr.vPipe}).
     */
    PAIRING("pairing"),
    /** One page-table entry read by the hardware walk, when it hits the cache. */
    WALK_STEP("walkStep"),
    /** A first-level cache miss: the line fill from the next level. */
    CACHE_MISS("cacheMiss"),
    /** A first-level TLB miss that hits the second-level TLB. */
    STLB_HIT("stlbHit"),
    /** Sending one inter-processor interrupt: the write of the local APIC's command register. */
    IPI_SEND("ipiSend"),
    /**
     * Taking one inter-processor interrupt on its target: delivery, the interrupt gate, the
     * end-of-interrupt write and IRET (the handler's own instructions are a kernel path).
     */
    IPI_RECEIVE("ipiReceive"),
    /** From the ICR write on the sender to the interrupt's arrival at the target (latency, not work). */
    IPI_LATENCY("ipiLatency");

    private final String key;

    Primitive(String key) {
        this.key = key;
    }

    /** The name in profile files. */
    public String key() {
        return key;
    }

    /** The primitive called {@code key} in a profile file, or null. */
    public static Primitive byKey(String key) {
        for (Primitive p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        return null;
    }
}
