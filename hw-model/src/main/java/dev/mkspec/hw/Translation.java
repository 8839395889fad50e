package dev.mkspec.hw;

/**
 * The outcome of a translation: a physical address and the page size it came from, or a fault.
 *
 * @param physical the physical address, or -1 on a fault
 * @param pageShift log2 of the page size, or 0 on a fault
 * @param writable whether the translation allows writes (rights combined over the walk)
 * @param fault the fault, or null
 */
public record Translation(long physical, int pageShift, boolean writable, PageFault fault) {
    public static Translation of(long physical, int pageShift, boolean writable) {
        return new Translation(physical, pageShift, writable, null);
    }

    public static Translation of(PageFault fault) {
        return new Translation(-1, 0, false, fault);
    }

    public boolean ok() {
        return fault == null;
    }

    @Override
    public String toString() {
        return ok() ? String.format("%#x (%d KiB page%s)", physical, (1L << pageShift) / 1024, writable ? ", writable" : "")
                : fault.toString();
    }
}
