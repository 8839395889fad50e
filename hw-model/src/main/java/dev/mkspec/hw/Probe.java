package dev.mkspec.hw;

/**
 * What the hardware would use for one virtual page, read without changing anything: a TLB entry
 * or a page-table leaf. See {@link Mmu#probe} and {@link Mmu#cached}.
 *
 * @param present whether anything translates the page
 * @param frame the 4 KiB frame the page's first byte lands in
 * @param writable the entry allows writes
 * @param user the entry allows user-mode access
 * @param noExecute the entry forbids instruction fetch (only with NX)
 * @param source where it came from: the TLB's name, or "page tables"
 */
public record Probe(boolean present, long frame, boolean writable, boolean user, boolean noExecute, String source) {
    /** Nothing translates the page. */
    public static final Probe NONE = new Probe(false, -1, false, false, false, "page tables");

    static Probe of(Tlb tlb, int i, long vaddr) {
        return new Probe(true, tlb.physical(i, vaddr & ~0xFFFL) >>> 12, tlb.writable(i), tlb.user(i), tlb.noExecute(i),
                tlb.config().name());
    }

    @Override
    public String toString() {
        if (!present) {
            return "nothing (" + source + ")";
        }
        return "frame " + frame + (user ? "" : " supervisor-only") + (writable ? " writable" : " read-only")
                + (noExecute ? " no-execute" : "") + " (" + source + ")";
    }
}
