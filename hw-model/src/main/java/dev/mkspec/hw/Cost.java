package dev.mkspec.hw;

/**
 * The price of one primitive on one CPU, with where the number comes from.
 *
 * @param primitive what is priced
 * @param cycles core clock cycles (fractions allowed: a pipelined CPU may retire several simple
 *     instructions per cycle)
 * @param source the manual, instruction table or published measurement of this single primitive;
 *     a number that no such source gives says {@code "assumption: ..."} and why
 */
public record Cost(Primitive primitive, double cycles, String source) {
    public Cost {
        if (!(cycles >= 0) || Double.isInfinite(cycles)) {
            throw new IllegalArgumentException(primitive.key() + ": a cost must be a finite number of cycles >= 0, not " + cycles);
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException(primitive.key() + ": every cost needs a source (a manual, an instruction "
                    + "table, a published measurement of the primitive, or \"assumption: why\")");
        }
    }

    /** Whether the number is marked as an assumption rather than taken from a source. */
    public boolean assumed() {
        return source.startsWith("assumption");
    }
}
