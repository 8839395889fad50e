package dev.mkspec.specs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the test fixtures under {@code src/test/resources/fixtures}. */
public final class Fixtures {
    private Fixtures() {
    }

    /** The path of a fixture, e.g. {@code fixture("tla/StaleTlb.tla")}. */
    public static Path fixture(String relative) {
        URL url = Fixtures.class.getResource("/fixtures/" + relative);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of a fixture. */
    public static String read(String relative) {
        try {
            return Files.readString(fixture(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
