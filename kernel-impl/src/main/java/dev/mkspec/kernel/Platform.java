package dev.mkspec.kernel;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.Machine;
import dev.mkspec.hw.PageTables;
import dev.mkspec.hw.PhysicalMemory;
import dev.mkspec.hw.Pte;

/**
 * What every kernel object shares: the configuration, the CPUs (the one executing the kernel
 * now, with its scheduler and the meter that charges it), physical memory, the layout, the kernel's own page tables, and the kernel
 * objects themselves (seL4's global kernel state, made explicit).
 */
final class Platform {
    final KernelConfig config;
    final CpuProfile profile;
    final PhysicalMemory memory;
    final Layout layout;
    /** The CPUs over the shared memory, each with its MMU and TLBs; IPIs travel here. */
    final Machine machine;
    /** Each CPU as the kernel drives it, with its own meter. */
    final Cpu[] cpus;
    /** Each CPU's scheduler: its ready queue, running thread and loaded space. */
    final Scheduler[] schedulers;
    /**
     * The CPU executing the kernel now (the kernel runs on one CPU at a time: a big lock), with
     * its scheduler and meter; {@link #select} changes them.
     */
    Cpu cpu;
    Scheduler scheduler;
    CycleMeter meter;
    /** The shootdown of the system call in progress, or of one that waits for acknowledgements. */
    final Shootdowns shootdowns;
    /** The kernel's own mappings, shared into every space's top level. */
    final PageTables template;
    /** Message words that travel in registers. */
    final int registerWords;
    /** l4-small's region, windows and GDT; null in the other designs. */
    final SmallSpaces small;
    /** vst's segment tables on the VST MMU; null in the other designs. */
    final VstServices vst;

    Threads threads;
    Spaces spaces;
    MappingDb mdb;
    UserMemory userMemory;
    Ipc ipc;
    Notification notification;

    Platform(KernelConfig config) {
        this.config = config;
        this.profile = config.profile();
        this.memory = new PhysicalMemory(Kernel.FRAMES, 1);
        this.layout = Layout.of(profile.paging());
        this.registerWords = profile.wordBytes() == 4 ? 3 : 6;
        this.template = new PageTables(memory, profile.paging());
        long kflags = Pte.RW | (profile.globalPages() ? Pte.G : 0);
        mapKernel(layout.code(), Layout.CODE_PAGES, kflags);
        mapKernel(layout.tcbs(), Layout.MAX_THREADS * Layout.TCB_BYTES / 4096, kflags);
        mapKernel(layout.nodes(), Layout.MAX_NODES * Layout.NODE_BYTES / 4096, kflags);
        mapKernel(layout.data(), Layout.DATA_PAGES, kflags);
        this.small = config.design().smallSpaces() ? new SmallSpaces(this) : null;
        this.machine = new Machine(memory, profile.mmu(), config.cpus());
        this.cpus = new Cpu[config.cpus()];
        this.schedulers = new Scheduler[config.cpus()];
        for (int c = 0; c < cpus.length; c++) {
            cpus[c] = new Cpu(c, profile, machine.cpu(c), new CycleMeter(), layout.code(), Layout.USER_TEXT);
            cpus[c].mmu().writeCr4(profile.globalPages(), config.usePcid());
            if (config.usePcid()) {
                // Every CPU boots on the kernel's own tables (CPU 0 then loads Sigma0's).
                cpus[c].mmu().writeCr3(template.root(), 0, false);
            } else {
                cpus[c].mmu().writeCr3(template.root());
            }
            schedulers[c] = new Scheduler(this, c);
            if (small != null) {
                cpus[c].segmentation = small.boot();
                small.loadSegments(cpus[c], null);
            }
        }
        this.shootdowns = new Shootdowns(this);
        this.vst = config.design() == KernelDesign.VST ? new VstServices(this) : null;
        select(0);
    }

    /** CPU {@code c} runs the kernel from now on. */
    void select(int c) {
        cpu = cpus[c];
        scheduler = schedulers[c];
        meter = cpu.meter();
    }

    /** The scheduler of the CPU {@code t} runs on. */
    Scheduler home(Tcb t) {
        return schedulers[t.cpu];
    }

    private void mapKernel(long base, int pages, long flags) {
        for (int i = 0; i < pages; i++) {
            long f = memory.allocateFrame();
            template.map(base + (long) i * 4096, f << PhysicalMemory.FRAME_SHIFT, 12, flags);
        }
    }

    SyscallResult fail(ErrorCode e) {
        cpu.run(Path.IPC_SLOW);
        return SyscallResult.error(e);
    }
}
