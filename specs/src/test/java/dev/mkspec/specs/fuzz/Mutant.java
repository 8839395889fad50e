package dev.mkspec.specs.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A real input file after a few {@link Mutation}s. It prints as the file's name and the edits, so
 * that a shrunk failure says how to rebuild the input; {@link #text()} gives the input itself.
 *
 * @param source the name of the file it started from
 * @param original that file's bytes
 * @param edits the edits, applied in order
 */
public record Mutant(String source, byte[] original, List<Mutation> edits) {
    public Mutant {
        edits = List.copyOf(edits);
    }

    /** The mutated bytes. */
    public byte[] bytes() {
        byte[] b = original;
        for (Mutation m : edits) {
            b = m.apply(b);
        }
        return b;
    }

    /** The mutated bytes as UTF-8 text; bytes that are not UTF-8 become U+FFFD. */
    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return source + " " + edits;
    }
}
