package dev.mkspec.specs.mutate;

/**
 * One mutant: the spec with a single change.
 *
 * @param id a short stable ID within one generation, e.g. {@code M007}
 * @param operator the kind of change
 * @param action the top-level definition the change is in
 * @param module the file name of the changed module, e.g. {@code Tlb.tla}
 * @param line the 1-based line of the change
 * @param column the 1-based column of the change
 * @param before the changed line(s) as they were, on one line
 * @param after the same line(s) after the change, on one line
 * @param mutatedText the whole changed module
 */
public record Mutant(String id, MutationOperator operator, String action, String module, int line, int column,
        String before, String after, String mutatedText) {

    /** {@code Tlb.tla:120:5}. */
    public String location() {
        return module + ":" + line + ":" + column;
    }

    /** The one-line diff: {@code - old} and {@code + new} on two lines. */
    public String diff() {
        return "- " + before + "\n+ " + after;
    }
}
