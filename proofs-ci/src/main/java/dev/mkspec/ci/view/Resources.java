package dev.mkspec.ci.view;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The page resources (CSS, scripts, HTML templates) that the report and the explorer inline. */
public final class Resources {
    private Resources() {
    }

    /** The text of {@code dev/mkspec/ci/view/NAME} on the class path. */
    public static String text(String name) {
        try (InputStream in = Resources.class.getResourceAsStream("/dev/mkspec/ci/view/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks the resource dev/mkspec/ci/view/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
