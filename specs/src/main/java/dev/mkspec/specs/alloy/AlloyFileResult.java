package dev.mkspec.specs.alloy;

import java.nio.file.Path;
import java.util.List;

/**
 * The results of the commands of one Alloy file that were run.
 *
 * @param file the model
 * @param alloyVersion Alloy's version string
 * @param commands the results, in file order
 */
public record AlloyFileResult(Path file, String alloyVersion, List<AlloyCommandResult> commands) {
    public AlloyFileResult {
        commands = List.copyOf(commands);
    }
}
