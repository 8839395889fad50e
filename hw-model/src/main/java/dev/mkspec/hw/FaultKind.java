package dev.mkspec.hw;

/** Why a translation failed. */
public enum FaultKind {
    /** An entry on the walk has P clear. */
    NOT_PRESENT,
    /** A write to a page that is read-only at some level (for a supervisor write only with CR0.WP set). */
    WRITE_PROTECTED,
    /** A user access to a page that is supervisor-only at some level. */
    USER_TO_SUPERVISOR,
    /** An instruction fetch from a page with NX set at some level (EFER.NXE set). */
    NO_EXECUTE,
    /** A reserved bit is set in an entry (PS in a PML4E, NX without EFER.NXE, address bits beyond 52). */
    RESERVED_BIT,
    /** An x86-64 address whose bits 63..47 are not all equal: #GP, not #PF, on real hardware. */
    NON_CANONICAL
}
