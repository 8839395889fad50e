package dev.mkspec.kernel;

import dev.mkspec.hw.Primitive;

/**
 * An instruction (or a stall) on a path whose instruction sequence is known, or one named in a path
 * counted statement by statement (a DIV, a control-register move), that takes another number of
 * clocks than the class the path counts it in ({@link Instr}), mostly more: a compare that reads
 * memory is counted as a load, and takes 2 clocks on the Pentium and the 486, not 1; a PUSHA is
 * counted as its eight stores and takes 5 on the Pentium, 11 on the 486. A path declares how many of each it
 * runs ({@link Instr#withMultiClock}); a profile that prices the kind's {@link #primitive()} charges
 * that price in place of the class's, and one that does not charges the class's (or nothing, for
 * the stalls, whose class is {@link Base#NONE}).
 *
 * <p>Only what lies on the path's critical sequence is declared: a multi-clock instruction that
 * issues in the V pipe beside a U instruction of at least the same length costs no clock of its
 * own, and a prefix decoded while the multi-clock instruction before it still runs costs none
 * (docs/cycles/pentium-pairing.md, section 7).
 */
public enum MultiClock {
    /** {@code cmp [m],imm}, {@code test [m],imm}, {@code and r,[m]}: counted as a load. */
    ALU_MEM(Primitive.ALU_MEM, Base.LOAD),
    /** {@code and [m],imm}: counted as a store. */
    ALU_RMW(Primitive.ALU_RMW, Base.STORE),
    /** {@code movzx r,[m]}: counted as a load. */
    MOVZX(Primitive.MOVZX, Base.LOAD),
    /** {@code cld}: counted as a simple instruction. */
    CLD(Primitive.CLD, Base.ALU),
    /** {@code sti}: counted as a simple instruction. */
    STI(Primitive.STI, Base.ALU),
    /** {@code mov r,dr6} or {@code mov dr7,r}: counted as a simple instruction. */
    MOV_DR(Primitive.MOV_DR, Base.ALU),
    /** {@code div}: counted as a simple instruction. */
    DIV(Primitive.DIV, Base.ALU),
    /** {@code mov %eax,%cr0}: counted as a simple instruction. */
    MOV_CR0(Primitive.MOV_CR0, Base.ALU),
    /** {@code mov %cr0,%eax} or {@code mov %cr3,%eax}: counted as a simple instruction. */
    MOV_FROM_CR(Primitive.MOV_FROM_CR, Base.ALU),
    /** {@code pusha}: counted as the eight stores it makes. */
    PUSHA(Primitive.PUSHA, Base.STORE, 8),
    /** {@code popa}: counted as the eight loads it makes. */
    POPA(Primitive.POPA, Base.LOAD, 8),
    /** {@code pushf}: counted as a store. */
    PUSHF(Primitive.PUSHF, Base.STORE),
    /** {@code push %ds} and the other segment registers: counted as a store. */
    PUSH_SEG(Primitive.PUSH_SEG, Base.STORE),
    /** {@code xchgl %ebx,%esp}: counted as a simple instruction. */
    XCHG(Primitive.XCHG, Base.ALU),
    /** {@code xchgl %eax,(%ecx)}, a cthreads spin lock taken or released: counted as a store. */
    XCHG_MEM(Primitive.XCHG_MEM, Base.STORE),
    /** {@code pushl (%esi)}: counted as a store. */
    PUSH_MEM(Primitive.PUSH_MEM, Base.STORE),
    /** {@code loop}: counted as a (taken) branch. */
    LOOP(Primitive.LOOP, Base.BRANCH),
    /** {@code ret}: counted as a (taken) branch. */
    RET(Primitive.RET, Base.BRANCH),
    /** {@code call r}, {@code call *m} or {@code jmp r}: counted as a (taken) branch. */
    BRANCH_INDIRECT(Primitive.BRANCH_INDIRECT, Base.BRANCH),
    /** A prefix byte's decode clock: no instruction of its own. */
    PREFIX(Primitive.PREFIX, Base.NONE),
    /** An address-generation interlock's lost clock: no instruction of its own. */
    AGI(Primitive.AGI, Base.NONE);

    /** The instruction class a path counts a multi-clock instruction in. */
    public enum Base { ALU, LOAD, STORE, BRANCH, NONE }

    private final Primitive primitive;
    private final Base base;
    private final int width;

    MultiClock(Primitive primitive, Base base) {
        this(primitive, base, 1);
    }

    MultiClock(Primitive primitive, Base base, int width) {
        this.primitive = primitive;
        this.base = base;
        this.width = width;
    }

    /** The profile's price of one, where the profile gives it. */
    public Primitive primitive() {
        return primitive;
    }

    /** The class the path counts it in, and prices it as where the profile gives no price of its own. */
    public Base base() {
        return base;
    }

    /** How many instructions of its class the path counts it as (PUSHA as its eight stores; else 1). */
    public int width() {
        return width;
    }
}
