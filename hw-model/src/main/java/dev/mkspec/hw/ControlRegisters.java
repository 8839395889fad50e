package dev.mkspec.hw;

/**
 * The control bits that change how a walk goes: CR0.WP, CR4.PSE, CR4.PGE, CR4.PCIDE and EFER.NXE,
 * and CR3 (the top-level table's physical address and, with PCIDE, the PCID in bits 11..0).
 * Mutable; belongs to one CPU.
 */
public final class ControlRegisters {
    /** CR0.WP: supervisor writes honour read-only pages. */
    public boolean writeProtect = true;
    /** CR4.PSE: 4 MiB pages in 32-bit paging. */
    public boolean pageSizeExtensions = true;
    /** CR4.PGE: global pages survive CR3 writes. */
    public boolean globalPages = true;
    /** CR4.PCIDE: CR3 bits 11..0 hold a PCID that tags TLB entries. */
    public boolean pcidEnable;
    /** EFER.NXE: bit 63 of an entry means no-execute (64-bit paging only). */
    public boolean noExecuteEnable = true;
    /** The physical address of the top-level table (CR3 bits 51..12). */
    public long tableBase;
    /** The current PCID (CR3 bits 11..0 with PCIDE; 0 otherwise). */
    public int pcid;
}
