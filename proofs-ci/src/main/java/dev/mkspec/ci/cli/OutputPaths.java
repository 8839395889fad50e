package dev.mkspec.ci.cli;

import dev.mkspec.specs.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any work starts, the files and folders that options name for output, so that a
 * long run does not end by failing to write its result.
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /**
     * Requires {@code file} to name a file that can be written: not a directory, and with a parent
     * folder, which is created (and said so on {@code err}) if it does not exist yet.
     *
     * @param option the option that named it, for the messages
     * @param example what a good value looks like, for the message
     */
    static void file(Path file, String option, String example, PrintWriter err) {
        if (Files.isDirectory(file)) {
            throw Problem.INVALID_OPTION.exception(option + " " + file + " is a directory; name a file in it, e.g. "
                    + file.resolve(example));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            folder(parent, option, err);
        }
    }

    /** Requires {@code dir} to be a folder, creating it (and saying so) if it does not exist. */
    static void folder(Path dir, String option, PrintWriter err) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw Problem.INVALID_OPTION.exception(option + " " + dir + " is a file, not a folder");
        }
        if (!Files.exists(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw Problem.INVALID_OPTION.exception(option + ": cannot create the folder " + dir + " ("
                        + e.getMessage() + ")");
            }
            err.println("mkspec: created the folder " + dir + " for " + option);
            err.flush();
        }
    }
}
