package dev.mkspec.hw;

/**
 * A fault raised by segmentation (Intel SDM Vol. 3A, 6.15): its vector and its error code, which
 * for a selector names the selector's index and table (bits 15..2) and is 0 for a limit or type
 * violation of an access.
 *
 * @param kind the exception
 * @param errorCode the error code pushed with it
 * @param why what check failed, for messages and tests
 */
public record SegmentFault(Kind kind, int errorCode, String why) {
    /** The exceptions segmentation raises. */
    public enum Kind {
        /** #GP, vector 13. */
        GENERAL_PROTECTION,
        /** #NP, vector 11: a data segment's descriptor is not present. */
        SEGMENT_NOT_PRESENT,
        /** #SS, vector 12: a stack segment's descriptor is not present, or a stack access beyond its limit. */
        STACK
    }

    @Override
    public String toString() {
        String name = switch (kind) {
            case GENERAL_PROTECTION -> "#GP";
            case SEGMENT_NOT_PRESENT -> "#NP";
            case STACK -> "#SS";
        };
        return name + "(" + Integer.toHexString(errorCode) + "): " + why;
    }
}
