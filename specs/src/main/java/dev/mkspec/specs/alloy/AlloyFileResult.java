package dev.mkspec.specs.alloy;

import java.nio.file.Path;
import java.util.List;

/**
 * The results of the commands of one Alloy file that were run.
 *
 * @param file the model
 * @param alloyVersion Alloy's version string
 * @param commands the results, in file order
 * @param warnings Alloy's warnings about the model, each as {@code file:line:column: message}
 *     (an irrelevant join, say, which often explains an unexpected unsat)
 */
public record AlloyFileResult(Path file, String alloyVersion, List<AlloyCommandResult> commands, List<String> warnings) {
    public AlloyFileResult {
        commands = List.copyOf(commands);
        warnings = List.copyOf(warnings);
    }
}
