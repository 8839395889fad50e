package dev.mkspec.specs.tlc;

import java.util.Optional;

/**
 * A place in an input file that an error points at.
 *
 * @param file the file, as the user named it or as TLC resolved it
 * @param line the 1-based line, or 0 if unknown
 * @param column the 1-based column, or 0 if unknown
 */
public record SourcePosition(String file, int line, int column) {
    /** {@code file:line:column}, leaving out what is unknown, as compilers print positions. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.toString();
    }

    public Optional<Integer> lineIfKnown() {
        return line > 0 ? Optional.of(line) : Optional.empty();
    }
}
