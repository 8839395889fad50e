package dev.mkspec.kernel;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.PageTables;
import dev.mkspec.hw.Primitive;
import dev.mkspec.hw.Pte;
import dev.mkspec.hw.VstMmu;

/**
 * vst: services reached by far call on the virtual-segment-table MMU ({@link VstMmu}, and
 * specs/tla/Segments for the design and its properties). A protection domain is a space; a
 * segment is a small address space of its own (its own page tables over frames the kernel gives
 * it, outside the mapping database), in the global segment table, and each domain's Vst names
 * segments by its own selectors with rights. Each thread has two segment registers in the MMU
 * (its code segment after a far call, and a data segment), saved and restored with the thread
 * (assumption: within the switch's own cost), so a revocation clears them in every thread.
 *
 * <p>What the kernel does here is set-up (segments and Vst entries are made and given by the
 * kernel, as {@code sigma0Map} makes mappings) and cleaning up with a space; what a far call, a
 * load and an access do is the hardware's, run on the thread without entering the kernel.
 */
final class VstServices {
    /** Global indexes start above every space's PCID (and KPTI's user PCIDs): they are tags in the same TLB. */
    static final int FIRST_INDEX = 1024 + Kernel.USER_PCID_OFFSET;

    private final Platform p;
    final VstMmu mmu;

    VstServices(Platform p) {
        this.p = p;
        this.mmu = new VstMmu(p.cpus[0].mmu(), 2 * Layout.MAX_THREADS);
    }

    /** The leaf entry of {@code va} in global segment {@code index}'s tables (0 for a segment that does not exist). */
    long lookup(int index, long va) {
        long root = mmu.root(index);
        return root < 0 ? 0 : PageTables.lookup(p.memory, p.profile.paging(), root, va);
    }

    /** The thread's code-segment register. */
    static int code(Tcb t) {
        return 2 * t.id.number();
    }

    /** The thread's data-segment register. */
    static int data(Tcb t) {
        return 2 * t.id.number() + 1;
    }

    /** A segment of {@code pages} fresh, zeroed frames owned by {@code owner}; its global index. */
    int createSegment(Space owner, int pages) {
        PageTables t = new PageTables(p.memory, p.profile.paging());
        for (int i = 0; i < pages; i++) {
            long frame = p.memory.allocateFrame();
            t.map((long) i << 12, frame << 12, 12, Pte.P | Pte.RW | Pte.US);
        }
        return mmu.createSegment(t, owner.number, FIRST_INDEX);
    }

    /** The domain a thread's code runs in: the callee's after a far call, its own space's otherwise. */
    static Space domain(Tcb t) {
        return t.farDomain != null ? t.farDomain : t.space;
    }

    /** A far call by {@code t} through its domain's {@code selector}; false (a #GP) without the call right. */
    boolean farCall(Tcb t, int selector) {
        if (t.farDomain != null) {
            throw new IllegalStateException(t + " is in a far call already (one level is modelled)");
        }
        p.cpu.segmentPrimitive(Primitive.FAR_CALL, CostCategory.AS_SWITCH);
        int callee = mmu.farCall(code(t), t.space.number, selector);
        if (callee < 0) {
            return false;
        }
        t.farDomain = p.spaces.table[callee];
        return true;
    }

    /** The far return: the thread runs its own space's code again, and its data register is emptied. */
    void farReturn(Tcb t) {
        if (t.farDomain == null) {
            throw new IllegalStateException(t + " is in no far call");
        }
        p.cpu.segmentPrimitive(Primitive.FAR_RETURN, CostCategory.AS_SWITCH);
        mmu.clear(code(t));
        mmu.clear(data(t));
        t.farDomain = null;
    }

    /** Loads {@code t}'s data register through its domain's {@code selector} (0 empties it); false on a #GP. */
    boolean load(Tcb t, int selector) {
        p.cpu.segmentPrimitive(Primitive.MOV_SEG, CostCategory.USER);
        return mmu.load(data(t), domain(t).number, selector);
    }

    /** A data access of {@code t} through its data register; false if it faults. */
    boolean access(Tcb t, long offset, int bytes, boolean write) {
        return p.cpu.segmentAccess(mmu, data(t), offset, bytes, write ? Access.WRITE : Access.READ);
    }

    /** {@code t} runs {@code path}, fetched through its code segment. */
    void run(Tcb t, Path path) {
        p.cpu.runInSegment(mmu, code(t), path);
    }

    /** Revokes {@code domain}'s {@code selector}: the entry, and the registers loaded through it. */
    void revoke(Space domain, int selector) {
        mmu.removeEntry(domain.number, selector);
        if (p.config.bug() != KernelBug.VST_REVOKE_KEEPS_REGISTERS) {
            mmu.clearLoadedThrough(domain.number, selector);
        }
    }

    /** A thread that dies leaves nothing in its registers for the next thread of its slot. */
    void threadGone(Tcb t) {
        mmu.clear(code(t));
        mmu.clear(data(t));
        t.farDomain = null;
    }

    /** A deleted space's segments, Vst and the registers loaded through them go; threads in a far call into it are thrown out. */
    void spaceDeleted(Space s) {
        mmu.dropDomain(s.number);
        for (Tcb t : p.threads.tcbs) {
            if (t.farDomain == s) {
                threadGone(t);
            }
        }
    }
}
