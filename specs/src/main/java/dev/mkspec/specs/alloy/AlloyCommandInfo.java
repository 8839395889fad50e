package dev.mkspec.specs.alloy;

import java.util.List;
import java.util.Optional;

/**
 * One command of an Alloy file, as written.
 *
 * @param index the position among the file's commands, from 0
 * @param name the command's label (for {@code check Foo}, {@code Foo}; Alloy names unnamed runs
 *     {@code run$1} and so on)
 * @param check whether it is a {@code check} (else a {@code run})
 * @param line the 1-based line on which it starts
 * @param text the command as Alloy prints it, with its scope
 * @param expectation what the {@code // expect:} comment says, if there is one
 * @param witnessOf the checks its {@code // witness-of:} comments name (see {@link Companions})
 */
public record AlloyCommandInfo(int index, String name, boolean check, int line, String text,
        Optional<AlloyOutcome> expectation, List<String> witnessOf) {

    public AlloyCommandInfo {
        witnessOf = List.copyOf(witnessOf);
    }

    /** A command that witnesses nothing. */
    public AlloyCommandInfo(int index, String name, boolean check, int line, String text,
            Optional<AlloyOutcome> expectation) {
        this(index, name, check, line, text, expectation, List.of());
    }
}
