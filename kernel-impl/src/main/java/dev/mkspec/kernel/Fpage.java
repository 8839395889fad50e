package dev.mkspec.kernel;

/**
 * A flexpage: 2^order pages starting at {@code base}, with rights. Well-formed only when
 * {@code base} is aligned to the fpage's size; the kernel rejects others with
 * {@link ErrorCode#UNALIGNED_FPAGE}.
 *
 * @param base the first virtual address
 * @param order log2 of the number of 4 KiB pages
 * @param rights the rights ({@link Rights}) the fpage carries
 */
public record Fpage(long base, int order, int rights) {
    public static final int PAGE_SHIFT = 12;

    public long size() {
        return 1L << (PAGE_SHIFT + order);
    }

    public long pages() {
        return 1L << order;
    }

    public boolean aligned() {
        return order >= 0 && order <= 20 && (base & (size() - 1)) == 0;
    }

    @Override
    public String toString() {
        return String.format("fpage(%#x, 2^%d pages, %s)", base, order, Rights.show(rights));
    }
}
