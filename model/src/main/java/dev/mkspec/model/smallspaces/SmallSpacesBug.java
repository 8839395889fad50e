package dev.mkspec.model.smallspaces;


/**
 * The deliberate mistakes of the small-space bug variants, named as the spec's constant
 * {@code Bug} names them. {@link #NONE} is the real design.
 */
public enum SmallSpacesBug {
    NONE,
    /** The segment limit is one page too large: the page after a window, the neighbour's, is reachable. */
    LIMIT_OFF_BY_ONE,
    /** A switch to a small space keeps the segment registers loaded (they are reloaded on a switch to a large space only). */
    SWITCH_KEEPS_SEGMENT,
    /** A switch to another large space loads CR3 without flushing the TLB. */
    LARGE_SWITCH_NO_FLUSH,
    /** Unmap invalidates the TLB of the CPU that asks only. */
    UNMAP_LOCAL_FLUSH,
    /** A switch to a small space reloads CR3, which flushes the TLB. */
    SMALL_SWITCH_FLUSHES,
    /** A large space's segment reaches to the top of the region: it reaches the small spaces' frames. */
    LARGE_LIMIT_COVERS_REGION,
    /** A map into a small space refuses the last page of its window. */
    MAP_SHORT_WINDOW,
    /** A switch to the space the CPU already runs is taken, and to a large space reloads CR3, flushing the TLB (SEG-24). */
    SWITCH_SAME_SPACE_FLUSHES;

    /** The spec's name of this bug: {@code "none"}, {@code "limit_off_by_one"}, ... */
    public String specName() {
        return dev.mkspec.model.SpecNames.of(this);
    }

    /** The bug the spec names {@code name}. */
    public static SmallSpacesBug fromSpecName(String name) {
        return dev.mkspec.model.SpecNames.parse(SmallSpacesBug.class, name, "bug variant of SmallSpaces");
    }
}
