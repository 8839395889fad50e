package dev.mkspec.model.addressspaces;

import java.util.List;
import java.util.Objects;

/**
 * The constants of the address-space model: the same as the spec's CONSTANTS.
 *
 * @param sigma0 the name of the initial space
 * @param spaces the other spaces' names; index {@code i} of this list is space {@code i + 1}
 * @param pages pages per space, and physical frames
 * @param perms the rights a mapping may hold, a subset of {@code r}, {@code w}, {@code x}
 * @param fpageOrder operations act on fpages of {@code 2^fpageOrder} aligned pages; any order
 *     whose fpage fits in {@code pages} works
 * @param noMapping the name of the model value for a page that maps nothing
 * @param bug the deliberate mistake, or {@link Bug#NONE}
 * @param symmetric whether states that differ only by a permutation of {@code spaces} count as
 *     one, as under the cfg's {@code SYMMETRY}
 */
public record AddressSpacesConstants(String sigma0, List<String> spaces, int pages, List<String> perms,
        int fpageOrder, String noMapping, Bug bug, boolean symmetric) {

    public AddressSpacesConstants {
        Objects.requireNonNull(sigma0, "sigma0");
        spaces = List.copyOf(spaces);
        perms = List.copyOf(perms);
        Objects.requireNonNull(noMapping, "noMapping");
        Objects.requireNonNull(bug, "bug");
        if (spaces.contains(sigma0)) {
            throw new IllegalArgumentException("Spaces must not contain Sigma0 (" + sigma0 + ")");
        }
        if (spaces.size() > 6) {
            throw new IllegalArgumentException("at most 6 user spaces, not " + spaces.size());
        }
        if (pages < 1 || pages > 16) {
            throw new IllegalArgumentException("NPages must be between 1 and 16, not " + pages);
        }
        if (perms.isEmpty() || !List.of("r", "w", "x").containsAll(perms)) {
            throw new IllegalArgumentException("Perms must be a non-empty subset of {\"r\", \"w\", \"x\"}, not " + perms);
        }
        if (fpageOrder < 0 || (1 << fpageOrder) > pages) {
            throw new IllegalArgumentException("2^FpageOrder must be at most NPages; FpageOrder = " + fpageOrder
                    + " and NPages = " + pages);
        }
    }

    /** A configuration without bugs or symmetry. */
    public static AddressSpacesConstants of(List<String> spaces, int pages, List<String> perms, int fpageOrder) {
        return new AddressSpacesConstants("Sigma0", spaces, pages, perms, fpageOrder, "NoMapping", Bug.NONE, false);
    }

    public AddressSpacesConstants withBug(Bug b) {
        return new AddressSpacesConstants(sigma0, spaces, pages, perms, fpageOrder, noMapping, b, symmetric);
    }

    public AddressSpacesConstants withSymmetry(boolean s) {
        return new AddressSpacesConstants(sigma0, spaces, pages, perms, fpageOrder, noMapping, bug, s);
    }

    /** Sigma0 and the user spaces. */
    public int spaceCount() {
        return spaces.size() + 1;
    }

    /** The name of space {@code s}: 0 is Sigma0. */
    public String spaceName(int s) {
        return s == 0 ? sigma0 : spaces.get(s - 1);
    }

    public int fpageSize() {
        return 1 << fpageOrder;
    }

    /** The rights of {@code perms} as a bit set: r = 1, w = 2, x = 4. */
    public int allRights() {
        int r = 0;
        for (String p : perms) {
            r |= Rights.bit(p);
        }
        return r;
    }
}
