package dev.mkspec.specs.mutate;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of small, realistic bug that {@link MutantGenerator} injects, one per mutant. */
public enum MutationOperator {
    /** Drops one conjunct of a {@code /\} list, bulleted or infix: a forgotten guard or update. */
    DROP_CONJUNCT("drop-conjunct", "drop one conjunct of a /\\ list"),
    /** {@code \subseteq} to {@code =}, {@code \cup} to {@code \}, {@code \} to {@code \cup}, {@code \cap} to {@code \cup}. */
    SET_OPERATOR("set-operator", "replace a set operator (\\subseteq to =, \\cup to \\, \\ to \\cup, \\cap to \\cup)"),
    /** {@code S \cup {x}} to {@code S}, {@code S \ {x}} to {@code S}, {@code {a, b}} to {@code {a}}. */
    SET_SHRINK("set-shrink", "shrink a set (S \\cup {x} to S, S \\ {x} to S, {a, b} to {a})"),
    /** {@code =} and {@code #}, {@code <} and {@code <=}, {@code >} and {@code >=}, {@code \in} and {@code \notin}, {@code ~}. */
    NEGATE_GUARD("negate-guard", "negate a guard (= and #, < and <=, > and >=, \\in and \\notin, drop or insert ~)"),
    /** {@code x' = E} to {@code x' = x}: an update that is forgotten. */
    UNCHANGED("unchanged", "keep a variable's old value (x' = E to x' = x)"),
    /** {@code Op(a, b)} to {@code Op(b, a)} for two simple arguments of the same kind. */
    SWAP_ARGS("swap-args", "swap two simple arguments of an operator application"),
    /** {@code \E x \in S :} over S without one element of S. */
    QUANTIFIER_SUBSET("quantifier-subset", "quantify over S without one of its elements"),
    /** {@code IF c THEN a ELSE b} to {@code IF ~(c) THEN a ELSE b}: the branches swapped. */
    IF_SWAP("if-swap", "swap the THEN and ELSE branches of an IF (by negating its condition)"),
    /** {@code @ + 1} to {@code @}, {@code + 1} to {@code - 1} and the reverse. */
    ARITHMETIC("arithmetic", "off by one (+ n to - n, - n to + n, + n dropped)");

    private final String id;
    private final String description;

    MutationOperator(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name used on the command line and in reports, e.g. {@code drop-conjunct}. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** The operator with this {@link #id()}, if any. */
    public static Optional<MutationOperator> fromId(String id) {
        return Arrays.stream(values()).filter(o -> o.id.equals(id.trim())).findFirst();
    }
}
