package dev.mkspec.ci;

import dev.mkspec.ci.cli.AlloyCommand;
import dev.mkspec.ci.cli.BenchCommand;
import dev.mkspec.ci.cli.CheckCommand;
import dev.mkspec.ci.cli.ExploreCommand;
import dev.mkspec.ci.cli.ReplayCommand;
import dev.mkspec.ci.cli.TlcCommand;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.MkspecException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mkspec} command. */
@Command(name = "mkspec", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Executable, model-checked specifications of an L4-style microkernel: "
                + "TLC, Alloy and the Java explorer, run against their expected verdicts.",
        subcommands = {CheckCommand.class, TlcCommand.class, AlloyCommand.class, ExploreCommand.class,
            ReplayCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 as expected, 1 unexpected verdict, 2 usage error, 3 bad input, "
                + "4 tool failure, 5 timeout, 6 out of memory."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line, printing to {@code out} and {@code err}; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err, ModelBindings.standard());
    }

    /**
     * As {@link #execute(String[], PrintWriter, PrintWriter)}, with the Java models that
     * {@code check} and {@code explore} can name; for tests and for users who add their own.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, ModelBindings models) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == CheckCommand.class) {
                    return cls.cast(new CheckCommand(models));
                }
                if (cls == ExploreCommand.class) {
                    return cls.cast(new ExploreCommand(models));
                }
                if (cls == ReplayCommand.class) {
                    return cls.cast(new ReplayCommand(models));
                }
                return defaults.create(cls);
            }
        };
        CommandLine cl = new CommandLine(new Main(), factory);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(t -> t instanceof MkspecException m ? m.exitClass().code()
                : t instanceof CommandLine.ParameterException ? ExitClass.USAGE.code() : ExitClass.TOOL_FAILURE.code());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof MkspecException m) {
                err.println("error: " + m.getMessage());
                err.println("hint:  " + m.problem().hint());
                err.flush();
                return m.exitClass().code();
            }
            err.println("error: mkspec failed: " + ex);
            ex.printStackTrace(err);
            err.println("hint:  this is a bug in mkspec; please report it with the command line and the output above.");
            err.flush();
            return ExitClass.TOOL_FAILURE.code();
        });
        return cl.execute(args);
    }

    /** The version line of {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mkspec " + (v == null ? "dev" : v) + " (TLC 2.18 bundled, Alloy "
                    + dev.mkspec.specs.alloy.AlloyRunner.alloyVersion() + ", "
                    + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ")"};
        }
    }
}
