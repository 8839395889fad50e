package dev.mkspec.hw;

/**
 * A CPU's translation hardware: the paging format, the first-level TLBs (split into instruction
 * and data TLBs, or one unified TLB when {@code itlb} is null), and an optional second-level TLB
 * that both first-level TLBs refill from.
 *
 * @param paging the page-table format
 * @param itlb the instruction TLB, or null for a unified first level held in {@code dtlb}
 * @param dtlb the data TLB (or the unified TLB)
 * @param l2 the second-level TLB, or null
 */
public record MmuConfig(PagingMode paging, TlbConfig itlb, TlbConfig dtlb, TlbConfig l2) {
    public MmuConfig {
        if (paging == null || dtlb == null) {
            throw new IllegalArgumentException("an MMU needs a paging mode and a data (or unified) TLB");
        }
        boolean tagged = dtlb.tagged();
        if ((itlb != null && itlb.tagged() != tagged) || (l2 != null && l2.tagged() != tagged)) {
            throw new IllegalArgumentException("all TLBs of one CPU must agree on tagging (PCIDs)");
        }
        if (tagged && paging != PagingMode.X86_64) {
            throw new IllegalArgumentException("PCID-tagged TLBs need 64-bit paging; x86-32 has no PCIDs");
        }
    }

    /** Whether the TLBs carry PCIDs. */
    public boolean tagged() {
        return dtlb.tagged();
    }

    /** A unified first-level TLB and no second level. */
    public static MmuConfig unified(PagingMode paging, TlbConfig tlb) {
        return new MmuConfig(paging, null, tlb, null);
    }
}
