package dev.mkspec.model.addressspaces;


/**
 * The deliberate mistakes of the bug variants, named as the spec's constant {@code Bug} names
 * them. {@link #NONE} is the real model.
 */
public enum Bug {
    NONE,
    /** Flush revokes rights only from direct children. */
    FLUSH_SHALLOW,
    /** Grant leaves the source its mapping. */
    GRANT_COPIES,
    /** Map does not check that the rights given are within the source's. */
    MAP_NO_RIGHTS_CHECK,
    /** A mapping left with no rights is kept. */
    FLUSH_KEEPS_EMPTY,
    /** Map gives every page of an fpage the frame of its first mapped page. */
    FPAGE_OFFSET,
    /** Sigma0 may grant its identity mappings away. */
    SIGMA0_GRANT,
    /** Grant moves a node but leaves its children pointing at its old place. */
    GRANT_ORPHANS,
    /** Deleting a space removes its own mappings but not what was derived from them. */
    DELETE_KEEPS_DERIVED,
    /** A revoked mapping leaves its database node. */
    UNMAP_KEEPS_NODE,
    /** Flush may revoke Sigma0's own mappings. */
    FLUSH_SIGMA0,
    /** Grant moves a node but does not narrow what was derived from it to the granted rights. */
    GRANT_NO_NARROW,
    /** Map records the new node under the root of its frame's tree instead of under the source. */
    MAP_WRONG_PARENT,
    /** Map gives the source's rights instead of the rights asked for. */
    MAP_SOURCE_RIGHTS,
    /** Flush revokes what was derived but spares the flusher's own pages, as unmap does. */
    FLUSH_SPARES_OWN,
    /** Map refuses rights narrower than the source's: it compares them by equality. */
    MAP_EXACT_RIGHTS,
    /** Unmap revokes the unmapper's own pages too, as flush does. */
    UNMAP_REVOKES_OWN,
    /** A flush or unmap removes every mapping in its scope, also those that keep some rights. */
    FLUSH_REMOVES_PARTIAL,
    /** A grant checks its request and returns without moving anything. */
    GRANT_NO_COMMIT,
    /** An unmap checks its request and returns without revoking anything. */
    UNMAP_NO_COMMIT,
    /** A map onto a page already derived from the source flushes it instead of extending its rights. */
    REMAP_FLUSHES,
    /** A map onto a page that maps the same frame extends its rights whatever it was derived from. */
    REMAP_ANY_PARENT,
    /** Grant removes what was derived from the page instead of narrowing it to the granted rights. */
    GRANT_FLUSHES_DERIVED,
    /**
     * The model never tries a map by Sigma0: its next-state relation leaves out requests the rules
     * allow. In TLA+ only AS-17 sees it; here the availability invariant AS-14, which compares the
     * steps offered with the rules, does.
     */
    NEXT_SKIPS_SIGMA0_MAP;

    /** The name the spec uses, e.g. {@code "flush_shallow"}. */
    public String specName() {
        return dev.mkspec.model.SpecNames.of(this);
    }

    /**
     * The bug the spec names so.
     *
     * @throws IllegalArgumentException naming the bugs there are
     */
    public static Bug fromSpecName(String name) {
        return dev.mkspec.model.SpecNames.parse(Bug.class, name, "bug variant of AddressSpaces");
    }
}
