package dev.mkspec.specs.tlc;

/**
 * One line of TLC's expression coverage ({@code -coverage}): how often TLC evaluated the
 * expression at {@code span} while evaluating {@code owner}.
 *
 * <p>TLC 2.18 prints these lines as a tree below each action, the initial predicate and each
 * invariant, one {@code |} per level. It leaves out expressions it never evaluated (unless they
 * are primed or {@code UNCHANGED}), and it folds a subtree into its root when every expression in
 * it was evaluated equally often; user-defined operators show their body's positions, not the
 * call's. So a missing line means "not evaluated" only where the parent's children are printed.
 *
 * @param owner the action, initial predicate or invariant, as TLC names it with its location
 * @param property whether the owner is an invariant or property (TLC's message 2774)
 * @param level the depth in TLC's tree; 0 for the owner's top-level expressions
 * @param span the expression's source range
 * @param count how often it was evaluated
 * @param cost TLC's secondary count (e.g. elements enumerated), 0 if TLC printed none
 */
public record ExpressionCoverage(String owner, boolean property, int level, Span span, long count, long cost) {

    /** Whether TLC saw this expression evaluated at least once. */
    public boolean evaluated() {
        return count > 0 || cost > 0;
    }

    /**
     * A range of TLA+ source as TLC prints it: 1-based lines and columns, both ends inclusive.
     *
     * @param module the module's name
     * @param line first line
     * @param column first column
     * @param endLine last line
     * @param endColumn last column
     */
    public record Span(String module, int line, int column, int endLine, int endColumn) {

        /** Whether {@code other} lies within this span, ends included (and in the same module). */
        public boolean contains(Span other) {
            return module.equals(other.module) && compare(line, column, other.line, other.column) <= 0
                    && compare(other.endLine, other.endColumn, endLine, endColumn) <= 0;
        }

        private static int compare(int l1, int c1, int l2, int c2) {
            return l1 != l2 ? Integer.compare(l1, l2) : Integer.compare(c1, c2);
        }

        @Override
        public String toString() {
            return "line " + line + ", col " + column + " to line " + endLine + ", col " + endColumn + " of module " + module;
        }
    }
}
