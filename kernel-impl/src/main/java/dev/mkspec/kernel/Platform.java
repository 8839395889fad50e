package dev.mkspec.kernel;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.PageTables;
import dev.mkspec.hw.PhysicalMemory;
import dev.mkspec.hw.Pte;

/**
 * What every kernel object shares: the configuration, the CPU the kernel runs on and the meter
 * that charges it, physical memory, the layout, the kernel's own page tables, and the kernel
 * objects themselves (seL4's global kernel state, made explicit).
 */
final class Platform {
    final KernelConfig config;
    final CpuProfile profile;
    final PhysicalMemory memory;
    final Layout layout;
    final CycleMeter meter = new CycleMeter();
    final Cpu cpu;
    /** The kernel's own mappings, shared into every space's top level. */
    final PageTables template;
    /** Message words that travel in registers. */
    final int registerWords;

    Threads threads;
    Spaces spaces;
    Scheduler scheduler;
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
        this.cpu = new Cpu(profile, memory, meter, layout.code(), Layout.USER_CODE);
        cpu.mmu().writeCr4(profile.globalPages(), config.usePcid());
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
