package dev.mkspec.hw;

/**
 * A failed translation: its kind, and the level of the paging structure whose entry stopped the
 * walk (4 PML4, 3 PDPT, 2 page directory, 1 page table; 0 when no entry was read, as for a
 * non-canonical address or a fault raised from a cached TLB entry).
 *
 * @param kind why it failed
 * @param level the level of the walk where it failed
 * @param vaddr the linear address
 * @param access the access
 * @param mode the privilege
 */
public record PageFault(FaultKind kind, int level, long vaddr, Access access, Mode mode) {
    @Override
    public String toString() {
        return String.format("#PF %s at level %d, %s %s of %#x", kind, level, mode, access, vaddr);
    }
}
