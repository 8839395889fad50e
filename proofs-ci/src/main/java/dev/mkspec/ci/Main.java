package dev.mkspec.ci;

import dev.mkspec.ci.cli.AlloyCommand;
import dev.mkspec.ci.cli.BenchCommand;
import dev.mkspec.ci.cli.CheckCommand;
import dev.mkspec.ci.cli.CiteCommand;
import dev.mkspec.ci.cli.ServeCommand;
import dev.mkspec.ci.cli.TlcVsExplorerCommand;
import dev.mkspec.ci.cli.ExploreCommand;
import dev.mkspec.ci.cli.HelpCommand;
import dev.mkspec.ci.cli.MutateCommand;
import dev.mkspec.ci.cli.ReplayCommand;
import dev.mkspec.ci.cli.TlcCommand;
import dev.mkspec.ci.cli.ValidateCommand;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mkspec} command. */
@Command(name = "mkspec", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Executable, model-checked specifications of an L4-style microkernel: "
                + "TLC, Alloy and the Java explorer, run against their expected verdicts.",
        subcommands = {CheckCommand.class, TlcCommand.class, AlloyCommand.class, ExploreCommand.class,
            ReplayCommand.class, ValidateCommand.class, BenchCommand.class, MutateCommand.class, CiteCommand.class,
            ServeCommand.class, HelpCommand.class},
        footer = {"", "Exit codes: 0 as expected, 1 unexpected verdict, 2 usage error, 3 bad input, "
                + "4 tool failure, 5 timeout, 6 out of memory."})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code mkspec} with no command: a usage error that shows the commands. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: " + Problem.INVALID_OPTION.format("no command given"));
        err.println("hint:  name a command; './mkspec check' runs every check. The commands:");
        spec.commandLine().usage(err);
        err.flush();
        return ExitClass.USAGE.code();
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
                if (cls == ServeCommand.class) {
                    return cls.cast(new ServeCommand(models));
                }
                if (cls == ReplayCommand.class) {
                    return cls.cast(new ReplayCommand(models));
                }
                if (cls == TlcVsExplorerCommand.class) {
                    return cls.cast(new TlcVsExplorerCommand(models));
                }
                return defaults.create(cls);
            }
        };
        CommandLine cl = new CommandLine(new Main(), factory);
        addHelpOptions(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(t -> t instanceof MkspecException m ? m.exitClass().code()
                : t instanceof CommandLine.ParameterException ? ExitClass.USAGE.code() : ExitClass.TOOL_FAILURE.code());
        cl.setParameterExceptionHandler((ex, arguments) -> {
            // picocli's own words on what is wrong, in mkspec's error format, then the command's synopsis.
            CommandLine failed = ex.getCommandLine();
            err.println("error: " + Problem.INVALID_OPTION.format(ex.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("hint:  run '" + failed.getCommandSpec().qualifiedName() + " --help' for its options and commands.");
            err.print(failed.getHelp().synopsis(0));
            err.flush();
            return ExitClass.USAGE.code();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof MkspecException m) {
                err.println("error: " + m.getMessage());
                err.println("hint:  " + m.problem().hint());
                err.flush();
                return m.exitClass().code();
            }
            if (ex instanceof java.io.UncheckedIOException io) {
                // e.g. the explorer's parent log in a full temporary folder
                err.println("error: " + Problem.IO_ERROR.format(io.getMessage()));
                err.println("hint:  " + Problem.IO_ERROR.hint());
                err.flush();
                return Problem.IO_ERROR.exitClass().code();
            }
            err.println("error: mkspec failed: " + ex);
            ex.printStackTrace(err);
            err.println("hint:  this is a bug in mkspec; please report it with the command line and the output above.");
            err.flush();
            return ExitClass.TOOL_FAILURE.code();
        });
        return cl.execute(args);
    }

    /**
     * Gives every command below {@code cl} a {@code -h}/{@code --help} option (the top command has
     * picocli's standard one), so that {@code mkspec bench cycles --help} works as the README and
     * every hint promise.
     */
    static void addHelpOptions(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandLine.Model.CommandSpec s = sub.getCommandSpec();
            if (!s.helpCommand() && s.findOption("--help") == null) {
                s.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help message and exit.").build());
            }
            addHelpOptions(sub);
        }
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
