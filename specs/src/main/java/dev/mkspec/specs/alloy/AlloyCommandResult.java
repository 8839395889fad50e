package dev.mkspec.specs.alloy;

import dev.mkspec.specs.trace.Trace;
import java.time.Duration;
import java.util.Optional;

/**
 * The result of one Alloy command.
 *
 * @param command the command as written in the file
 * @param outcome what the solver said
 * @param elapsed how long translation and solving took
 * @param instance the instance or counterexample, if the outcome is {@link AlloyOutcome#SAT}
 * @param message details for an error, or an empty string
 */
public record AlloyCommandResult(AlloyCommandInfo command, AlloyOutcome outcome, Duration elapsed,
        Optional<Trace> instance, String message) {

    /** Whether the outcome is what the file's comment expects; true when it expects nothing. */
    public boolean asExpected() {
        return command.expectation().map(e -> e == outcome).orElse(true);
    }

    /** Whether the file says what to expect of this command. */
    public boolean judged() {
        return command.expectation().isPresent();
    }
}
