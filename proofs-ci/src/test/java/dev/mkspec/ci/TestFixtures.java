package dev.mkspec.ci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The harness fixtures shared with the specs module (its {@code src/test/resources/fixtures}),
 * copied into scratch repositories that tests build.
 */
final class TestFixtures {
    private TestFixtures() {
    }

    static Path fixtures() {
        Path p = Path.of("..", "specs", "src", "test", "resources", "fixtures").toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("cannot find the specs module's fixtures at " + p
                    + "; run the tests from the proofs-ci module directory, as Maven does");
        }
        return p;
    }

    /** Copies fixture files into {@code dir}. */
    static void copy(Path dir, String... relative) {
        try {
            Files.createDirectories(dir);
            for (String r : relative) {
                Path source = fixtures().resolve(r);
                Files.copy(source, dir.resolve(source.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
