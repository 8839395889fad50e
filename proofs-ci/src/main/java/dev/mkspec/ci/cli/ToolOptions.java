package dev.mkspec.ci.cli;

import dev.mkspec.specs.tlc.TlcInstallation;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command that runs TLC shares. */
public final class ToolOptions {
    @Option(names = "--tla2tools", paramLabel = "JAR",
            description = "Run this tla2tools.jar (e.g. a newer TLC) instead of the bundled TLC 2.18. "
                    + "The environment variable MKSPEC_TLA2TOOLS does the same.")
    Path tla2tools;

    /** The TLC installation these options choose. */
    public TlcInstallation installation() {
        return TlcInstallation.resolve(Optional.ofNullable(tla2tools), System.getenv());
    }
}
