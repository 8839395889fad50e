package dev.mkspec.hw;

import java.util.EnumMap;
import java.util.Map;

/**
 * One CPU's protected-mode segmentation (Intel SDM Vol. 3A, chapters 3 and 5): GDTR, LDTR and the
 * segment registers, each with its visible selector and its hidden part (the descriptor cache:
 * base, limit, type and DPL, loaded with the selector and used by every access until the next
 * load). The GDT and the LDT live in physical memory and are read at each load.
 *
 * <p>A load ({@link #load}) makes the checks of MOV to a segment register and raises the faults the
 * manual defines; an access ({@link #linear}) checks the hidden limit and type and gives the
 * linear address, base + offset, which paging then translates. A load is a {@link Primitive#MOV_SEG},
 * priced by the CPU profile. Not thread-safe: one per CPU.
 */
public final class Segmentation {
    /** The data and stack segment registers (CS is loaded by far transfers, set here by {@link #setCode}). */
    public enum Register {
        CS, SS, DS, ES, FS, GS
    }

    private record Hidden(int selector, SegmentDescriptor descriptor) {
    }

    private final PhysicalMemory memory;
    private long gdtBase;
    private long gdtLimit;
    private long ldtBase;
    private long ldtLimit = -1;
    private final Map<Register, Hidden> registers = new EnumMap<>(Register.class);
    private SegmentFault lastFault;
    private long loads;

    public Segmentation(PhysicalMemory memory) {
        this.memory = memory;
    }

    /** LGDT: the GDT's physical address and its limit in bytes (the last valid byte offset). */
    public void loadGdtr(long base, int limit) {
        gdtBase = base;
        gdtLimit = limit;
    }

    /** Writes descriptor {@code d} into the table at {@code tableBase}, at the index {@code index}. */
    public void writeDescriptor(long tableBase, int index, SegmentDescriptor d) {
        memory.write64(tableBase + 8L * index, d.encode());
    }

    /**
     * LLDT: loads LDTR from a GDT selector of an LDT descriptor (a null selector leaves no LDT).
     *
     * @return false with the fault in {@link #lastFault()} if the selector is not a present LDT
     *     descriptor of the GDT
     */
    public boolean loadLdtr(int selector) {
        if (cpl() != 0) {
            return fault(SegmentFault.Kind.GENERAL_PROTECTION, 0, "LLDT is privileged: CPL " + cpl() + " is not 0");
        }
        if ((selector & ~3) == 0) {
            ldtLimit = -1;
            return true;
        }
        if ((selector & 4) != 0) {
            return fault(SegmentFault.Kind.GENERAL_PROTECTION, selector, "an LDT selector must name the GDT");
        }
        SegmentDescriptor d = read(selector);
        if (d == null || d.kind() != SegmentDescriptor.Kind.LDT) {
            return fault(SegmentFault.Kind.GENERAL_PROTECTION, selector, "not an LDT descriptor");
        }
        if (!d.present()) {
            return fault(SegmentFault.Kind.SEGMENT_NOT_PRESENT, selector, "the LDT descriptor is not present");
        }
        ldtBase = d.base();
        ldtLimit = d.effectiveLimit();
        return true;
    }

    /** Sets CS as a far transfer leaves it (the checks of far transfers are not modelled). */
    public void setCode(int selector, SegmentDescriptor d) {
        registers.put(Register.CS, new Hidden(selector, d));
    }

    /** The current privilege level: CS's RPL. */
    public int cpl() {
        Hidden cs = registers.get(Register.CS);
        return cs == null ? 0 : cs.selector() & 3;
    }

    /**
     * The descriptor a selector names, read from the GDT or LDT; null if beyond the table.
     *
     * @throws IllegalStateException for a kind of descriptor this model leaves out (a gate, a TSS,
     *     an expand-down or conforming segment), which real hardware may accept: a fault here would
     *     make the model stricter than the CPU
     */
    private SegmentDescriptor read(int selector) {
        int index = selector >>> 3;
        boolean local = (selector & 4) != 0;
        long base = local ? ldtBase : gdtBase;
        long limit = local ? ldtLimit : gdtLimit;
        if ((long) index * 8 + 7 > limit) {
            return null;
        }
        long raw = memory.read64(base + 8L * index);
        SegmentDescriptor d = SegmentDescriptor.decode(raw);
        if (d == null) {
            throw new IllegalStateException("selector " + Integer.toHexString(selector) + " names a descriptor this model "
                    + "leaves out (a gate, a TSS, an expand-down or a conforming segment): " + Long.toHexString(raw));
        }
        return d;
    }

    private boolean fault(SegmentFault.Kind kind, int selector, String why) {
        lastFault = new SegmentFault(kind, selector & 0xFFFC, why);
        return false;
    }

    /**
     * MOV to a data or stack segment register: the manual's checks, in its order.
     *
     * @return false with the fault in {@link #lastFault()}; the register then keeps its old value
     */
    public boolean load(Register reg, int selector) {
        if (reg == Register.CS) {
            throw new IllegalArgumentException("MOV cannot load CS (a far transfer does)");
        }
        loads++;
        int cpl = cpl();
        int rpl = selector & 3;
        boolean isNull = (selector & ~3) == 0;
        if (isNull) {
            if (reg == Register.SS) {
                return fault(SegmentFault.Kind.GENERAL_PROTECTION, 0, "SS cannot be loaded with a null selector");
            }
            registers.put(reg, new Hidden(selector, null));
            return true;
        }
        boolean local = (selector & 4) != 0;
        int index = selector >>> 3;
        if ((long) index * 8 + 7 > (local ? ldtLimit : gdtLimit)) {
            return fault(SegmentFault.Kind.GENERAL_PROTECTION, selector, "the selector's index is beyond its table's limit");
        }
        SegmentDescriptor d = read(selector);
        if (reg == Register.SS) {
            if (rpl != cpl) {
                return fault(SegmentFault.Kind.GENERAL_PROTECTION, selector, "SS: the selector's RPL is not the CPL");
            }
            if (d == null || d.kind() != SegmentDescriptor.Kind.DATA || !d.writableOrReadable()) {
                return fault(SegmentFault.Kind.GENERAL_PROTECTION, selector, "SS needs a writable data segment");
            }
            if (d.dpl() != cpl) {
                return fault(SegmentFault.Kind.GENERAL_PROTECTION, selector, "SS: the descriptor's DPL is not the CPL");
            }
            if (!d.present()) {
                return fault(SegmentFault.Kind.STACK, selector, "the stack segment is not present");
            }
        } else {
            if (d == null || d.kind() == SegmentDescriptor.Kind.LDT
                    || (d.kind() == SegmentDescriptor.Kind.CODE && !d.writableOrReadable())) {
                return fault(SegmentFault.Kind.GENERAL_PROTECTION, selector, "a data segment register needs a data or readable code segment");
            }
            if (rpl > d.dpl() || cpl > d.dpl()) {
                return fault(SegmentFault.Kind.GENERAL_PROTECTION, selector, "the descriptor's DPL is below the CPL or the selector's RPL");
            }
            if (!d.present()) {
                return fault(SegmentFault.Kind.SEGMENT_NOT_PRESENT, selector, "the segment is not present");
            }
        }
        registers.put(reg, new Hidden(selector, d));
        return true;
    }

    /** The visible selector of a register (0 if never loaded). */
    public int selector(Register reg) {
        Hidden h = registers.get(reg);
        return h == null ? 0 : h.selector();
    }

    /** The hidden part of a register: the descriptor loaded with it, or null (a null selector, or never loaded). */
    public SegmentDescriptor hidden(Register reg) {
        Hidden h = registers.get(reg);
        return h == null ? null : h.descriptor();
    }

    /**
     * The linear address of {@code bytes} bytes at {@code offset} through {@code reg}, after the
     * hidden part's checks.
     *
     * @return the linear address, or -1 with the fault in {@link #lastFault()}: #GP(0) (#SS(0)
     *     through SS) beyond the limit, #GP(0) for a null register, a write to a read-only or code
     *     segment, or a read of an execute-only code segment
     */
    public long linear(Register reg, long offset, int bytes, Access access) {
        SegmentDescriptor d = hidden(reg);
        if (d == null) {
            fault(SegmentFault.Kind.GENERAL_PROTECTION, 0, reg + " holds a null selector");
            return -1;
        }
        if (offset < 0 || bytes < 1 || offset + bytes - 1 > d.effectiveLimit()) {
            fault(reg == Register.SS ? SegmentFault.Kind.STACK : SegmentFault.Kind.GENERAL_PROTECTION, 0,
                    "offset " + Long.toHexString(offset) + " + " + bytes + " is beyond " + reg + "'s limit "
                            + Long.toHexString(d.effectiveLimit()));
            return -1;
        }
        if (access == Access.WRITE && (d.kind() != SegmentDescriptor.Kind.DATA || !d.writableOrReadable())) {
            fault(SegmentFault.Kind.GENERAL_PROTECTION, 0, "a write through " + reg + ", which is not a writable data segment");
            return -1;
        }
        if (access == Access.READ && d.kind() == SegmentDescriptor.Kind.CODE && !d.writableOrReadable()) {
            fault(SegmentFault.Kind.GENERAL_PROTECTION, 0, "a read through " + reg + ", an execute-only code segment");
            return -1;
        }
        return (d.base() + offset) & 0xFFFF_FFFFL;
    }

    /** The fault of the last failed load or access. */
    public SegmentFault lastFault() {
        return lastFault;
    }

    /** How many segment-register loads were made (each a {@link Primitive#MOV_SEG}). */
    public long loads() {
        return loads;
    }
}
