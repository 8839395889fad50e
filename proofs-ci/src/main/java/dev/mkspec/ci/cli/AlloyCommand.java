package dev.mkspec.ci.cli;

import dev.mkspec.ci.Durations;
import dev.mkspec.ci.plan.PlanContext;
import dev.mkspec.ci.report.AtomicFiles;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.alloy.AlloyCommandInfo;
import dev.mkspec.specs.alloy.AlloyCommandResult;
import dev.mkspec.specs.alloy.AlloyFileResult;
import dev.mkspec.specs.alloy.AlloyListener;
import dev.mkspec.specs.alloy.AlloyOutcome;
import dev.mkspec.specs.alloy.AlloyProcessRunner;
import dev.mkspec.specs.trace.ItfWriter;
import dev.mkspec.specs.trace.TraceTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mkspec alloy}: runs the commands of any Alloy file and prints what each found. */
@Command(name = "alloy", sortOptions = false,
        description = {"Run the commands of an Alloy 6 file with SAT4J, and judge each by its '// expect: sat|unsat' comment.",
            "Prints sat or unsat and the time of each command, and every instance or counterexample found."})
public final class AlloyCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.als", description = "The model.")
    Path file;

    @Option(names = "--command", paramLabel = "NAME", description = "Run only this command.")
    String command;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "A time limit per command (e.g. 90s, 10m).")
    String timeout;

    @Option(names = "--heap", paramLabel = "SIZE", description = "The solver JVM's maximum heap, e.g. 4g.")
    String heap;

    @Option(names = "--itf-dir", paramLabel = "DIR", description = "Write each instance as DIR/COMMAND.itf.json.")
    Path itfDir;

    @Option(names = "--quiet", description = "Do not print the instances, only the table.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (heap != null && !heap.matches("\\d+[kKmMgG]?")) {
            throw dev.mkspec.specs.Problem.INVALID_OPTION.exception("--heap must look like 512m or 4g, not '" + heap + "'");
        }
        if (command != null && command.isBlank()) {
            throw dev.mkspec.specs.Problem.INVALID_OPTION.exception("--command needs the name of a command of the file");
        }
        Optional<java.time.Duration> limit = Optional.ofNullable(timeout).map(Durations::parse);
        dev.mkspec.specs.alloy.AlloyRunner.checkInput(file);
        if (itfDir != null) {
            OutputPaths.folder(itfDir, "--itf-dir", spec.commandLine().getErr());
        }
        AlloyProcessRunner runner = new AlloyProcessRunner(limit, Optional.ofNullable(heap));
        w.println("Alloy: " + file + (command == null ? "" : ", command " + command));
        w.flush();
        AlloyFileResult result = runner.run(file, Optional.ofNullable(command), new AlloyListener() {
            @Override
            public void started(AlloyCommandInfo c) {
                if (LiveLine.stdoutIsTerminal()) {
                    w.print("  running " + c.text() + " ...\r");
                    w.flush();
                }
            }
        });
        if (result.commands().isEmpty()) {
            throw dev.mkspec.specs.Problem.ALLOY_NO_COMMANDS.exception(file);
        }
        w.println("Alloy " + result.alloyVersion() + ", SAT4J");
        w.printf("%-4s %-48s %-8s %-8s %9s  %s%n", "#", "command", "expect", "result", "time", "");
        ExitClass exit = ExitClass.OK;
        for (AlloyCommandResult r : result.commands()) {
            AlloyCommandInfo c = r.command();
            String judged;
            if (r.outcome() != AlloyOutcome.SAT && r.outcome() != AlloyOutcome.UNSAT) {
                judged = r.outcome().id().toUpperCase(java.util.Locale.ROOT);
                exit = exit.worst(r.outcome().exitClassWhenUnexpected());
            } else if (!r.judged()) {
                judged = "not judged";
            } else if (r.asExpected()) {
                judged = "ok";
            } else {
                judged = "UNEXPECTED";
                exit = exit.worst(ExitClass.UNEXPECTED);
            }
            w.printf("%-4d %-48s %-8s %-8s %9s  %s%n", c.index() + 1, shorten(c.text(), 48),
                    c.expectation().map(AlloyOutcome::id).orElse("-"), r.outcome().id(), Durations.format(r.elapsed()),
                    judged);
            if (!r.message().isEmpty()) {
                w.println("     " + r.message());
            }
        }
        for (String warning : result.warnings()) {
            w.println("warning: " + warning);
        }
        for (AlloyCommandResult r : result.commands()) {
            if (r.instance().isEmpty()) {
                continue;
            }
            if (!quiet) {
                w.println();
                w.print(TraceTable.render(r.instance().get()));
            }
            if (itfDir != null) {
                Path out = itfDir.resolve(PlanContext.fileName(r.command().name()) + ".itf.json");
                AtomicFiles.write(out, ItfWriter.toJson(r.instance().get()));
                w.println("ITF written to " + out);
            }
        }
        if (exit != ExitClass.OK) {
            w.printf("Exit %d (%s)%n", exit.code(), exit.description());
        }
        w.flush();
        return exit.code();
    }

    private static String shorten(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
