package dev.mkspec.ci.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mkspec help [COMMAND [SUBCOMMAND ...]]}: the help of any command, however deep
 * ({@code mkspec help bench cycles}). picocli's own help command looks only one level down.
 */
@Command(name = "help", helpCommand = true,
        description = "Show the help of a command: 'mkspec help check', 'mkspec help bench cycles'.")
public final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, and its subcommand if it has one.")
    List<String> path = new ArrayList<>();

    private CommandLine self;
    private CommandLine.Help.Ansi ansi;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out,
            PrintWriter err) {
        this.self = helpCommandLine;
        this.ansi = colorScheme.ansi();
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        StringBuilder walked = new StringBuilder(target.getCommandName());
        for (String name : path) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                throw new CommandLine.ParameterException(self, "'" + walked + "' has no command '" + name
                        + "'; its commands are: " + String.join(", ", commandNames(target)));
            }
            target = next;
            walked.append(' ').append(name);
        }
        // Print through the command's own writer, so that tests and redirected output see it.
        PrintWriter w = target.getOut();
        target.usage(w, ansi);
        w.flush();
    }

    private static List<String> commandNames(CommandLine cl) {
        List<String> names = new ArrayList<>(cl.getSubcommands().keySet());
        return names.isEmpty() ? List.of("(none)") : names;
    }
}
