package dev.mkspec.kernel;

import dev.mkspec.hw.PagingMode;

/**
 * Where the kernel keeps things, in the virtual address space every space shares above
 * {@link #userLimit}: the kernel's code, the TCB array (indexed by thread number, as L4 derives
 * a TCB's address from the thread ID), the mapping-database node pool, and kernel data (the
 * ready queue, the space table, Mach's port tables and message buffers). Below it, the layout of
 * the user-level code and data the measured programs touch.
 */
public record Layout(long kernelBase, long userLimit) {
    public static final int TCB_BYTES = 1024;
    public static final int MAX_THREADS = 128;
    public static final int NODE_BYTES = 32;
    public static final int MAX_NODES = 16384;
    public static final int SPACE_BYTES = 64;
    public static final int MAX_SPACES = 32;
    public static final int PORT_BYTES = 64;
    public static final int CODE_PAGES = 16;
    public static final int DATA_PAGES = 16;

    /*
     * The user layout, chosen as a Unix-like program on x86-32 is laid out, so that the simulated
     * caches take the conflicts such a program takes and no others (README, "What the numbers
     * say", measures the share with --cache-model full):
     *  - code at 0x08048000, the conventional base of an executable's text in the System V i386
     *    ABI that Linux ELF binaries use; its first instructions follow the ELF header (52 bytes)
     *    and three program headers (32 bytes each), 148 bytes rounded up to 16: offset 0xA0;
     *  - message buffers in the data pages that follow the text, one page per thread, the buffer
     *    at the start of its page (assumption: page-aligned, the worst case for conflicts);
     *  - stacks at the top of the region a space may use (the top of a small space's window, so
     *    that l4-small runs the same layout), one page per thread, used downwards from the top of
     *    the page as an x86 stack is.
     * Page-table entries then sit where these addresses index them, at real frames.
     */
    /** User code of every space (stubs, libraries, servers): two pages. */
    public static final long USER_CODE = 0x0804_8000L;
    /** Where the first user path's code starts: after the ELF header and three program headers. */
    public static final long USER_TEXT = USER_CODE + 0xA0;
    /** Each thread's user message buffer page (Mach's in-memory messages): {@code USER_MSG + number * 4096}. */
    public static final long USER_MSG = 0x0805_0000L;
    /** Each thread's user stack page: {@code USER_STACKS + number * 4096}, up to the top of a small window. */
    public static final long USER_STACKS = 0x2000_0000L - (long) MAX_THREADS * 4096;
    /** Free for workloads: working sets, string buffers, rings, pages to map. */
    public static final long USER_DATA = 0x1000_0000L;
    /** Where Sigma0 sees its frames: frame f at {@code SIGMA0_WINDOW + f * 4096}. */
    public static final long SIGMA0_WINDOW = 0x4000_0000L;
    /**
     * l4-small: the linear region of the small-space windows, the top gigabyte of user space below
     * the kernel. Every page directory shares its page tables; a large space's segments end below it.
     */
    public static final long SMALL_REGION = 0x8000_0000L;
    /**
     * l4-small: the size of one window (assumption: 512 MB, the largest small space Liedtke's scheme
     * allows, so that the user layout above, data at 256 MB included, fits one window).
     */
    public static final long SMALL_WINDOW = 0x2000_0000L;
    /** l4-small: windows in the region (two of 512 MB in its gigabyte). */
    public static final int SMALL_WINDOWS = 2;

    public static Layout of(PagingMode mode) {
        return mode == PagingMode.X86_32 ? new Layout(0xC000_0000L, 0xC000_0000L)
                : new Layout(0xFFFF_FFFF_C000_0000L, 0x0000_8000_0000_0000L);
    }

    public long code() {
        return kernelBase;
    }

    public long tcbs() {
        return kernelBase + 0x10_0000L;
    }

    public long nodes() {
        return kernelBase + 0x20_0000L;
    }

    public long data() {
        return kernelBase + 0x40_0000L;
    }

    /** Bytes of the kernel region, from {@link #kernelBase}. */
    public long kernelBytes() {
        return 0x40_0000L + (long) DATA_PAGES * 4096;
    }

    public long tcb(int number) {
        return tcbs() + (long) number * TCB_BYTES;
    }

    public long node(int slot) {
        return nodes() + (long) slot * NODE_BYTES;
    }

    /** The ready queue's head and the current-thread pointer. */
    public long readyQueue() {
        return data();
    }

    public long space(int number) {
        return data() + 64 + (long) number * SPACE_BYTES;
    }

    /** Mach: a space's port-name table, one page each after the space table. */
    public long portTable(int space) {
        return data() + 4096 + (long) (space % 8) * 1024;
    }

    /** Mach: the kernel message buffer a message is copied through. */
    public long kernelMessageBuffer() {
        return data() + 3 * 4096;
    }

    /** Whether {@code vaddr} lies in user space. */
    public boolean user(long vaddr) {
        return Long.compareUnsigned(vaddr, userLimit) < 0;
    }

    /** The page of {@code thread}'s user stack. */
    public static long stack(int thread) {
        return USER_STACKS + (long) thread * 4096;
    }

    /** The lowest of the {@code bytes} a push of {@code bytes} bytes on {@code thread}'s empty user stack writes. */
    public static long stackTop(int thread, int bytes) {
        return stack(thread) + 4096 - bytes;
    }

    public static long messageBuffer(int thread) {
        return USER_MSG + (long) thread * 4096;
    }
}
