package dev.mkspec.specs.alloy;

import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.InputFiles;
import dev.mkspec.specs.Problem;
import edu.mit.csail.sdg.alloy4.A4Reporter;
import edu.mit.csail.sdg.alloy4.Err;
import edu.mit.csail.sdg.alloy4.ErrorSyntax;
import edu.mit.csail.sdg.alloy4.ErrorType;
import edu.mit.csail.sdg.alloy4.ErrorWarning;
import edu.mit.csail.sdg.alloy4.Pos;
import edu.mit.csail.sdg.alloy4.Version;
import edu.mit.csail.sdg.ast.Command;
import edu.mit.csail.sdg.parser.CompModule;
import edu.mit.csail.sdg.parser.CompUtil;
import edu.mit.csail.sdg.translator.A4Options;
import edu.mit.csail.sdg.translator.A4Solution;
import edu.mit.csail.sdg.translator.TranslateAlloyToKodkod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import kodkod.engine.satlab.SATFactory;

/**
 * Runs the commands of an Alloy file in this JVM, with SAT4J.
 *
 * <p>The runner has no time limit of its own: Alloy's API cannot stop a solver that has started.
 * Use {@link AlloyProcessRunner} where a limit is needed.
 */
public final class AlloyRunner {
    static {
        // Kodkod and Alloy log through slf4j-simple at INFO; keep only warnings.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    /** The solver mkspec uses: SAT4J runs in pure Java and needs no native library. */
    public static final String SOLVER = "sat4j";

    /** The Alloy version string, e.g. {@code "6.2.0.202503101506"}. */
    public static String alloyVersion() {
        return Version.version();
    }

    /** A file parsed and ready to run. */
    public static final class Parsed {
        private final Path file;
        private final CompModule module;
        private final List<AlloyCommandInfo> commands;
        private final List<String> warnings;

        private Parsed(Path file, CompModule module, List<AlloyCommandInfo> commands, List<String> warnings) {
            this.file = file;
            this.module = module;
            this.commands = commands;
            this.warnings = warnings;
        }

        /** Alloy's warnings about the model, each as {@code file:line:column: message}. */
        public List<String> warnings() {
            return warnings;
        }

        public Path file() {
            return file;
        }

        public List<AlloyCommandInfo> commands() {
            return commands;
        }
    }

    /**
     * Parses and type-checks a file, and reads each command's expectation.
     *
     * @throws MkspecException if the file is missing ({@link Problem#FILE_NOT_FOUND}), or has a
     *     syntax or type error ({@link Problem#ALLOY_SYNTAX_ERROR}, {@link Problem#ALLOY_TYPE_ERROR});
     *     the message names the file, line and column
     */
    public Parsed parse(Path file) {
        checkInput(file);
        List<String> lines = InputFiles.readText(file, "the Alloy model", "an Alloy model").lines().toList();
        List<String> warnings = new ArrayList<>();
        A4Reporter reporter = new A4Reporter() {
            @Override
            public void warning(ErrorWarning msg) {
                warnings.add(where(file, msg.pos) + ": " + oneParagraph(msg.msg));
            }
        };
        CompModule module;
        try {
            module = CompUtil.parseEverything_fromFile(reporter, null, file.toAbsolutePath().toString());
        } catch (ErrorSyntax e) {
            throw Problem.ALLOY_SYNTAX_ERROR.exception(e, where(file, e.pos) + ": " + oneParagraph(e.msg));
        } catch (ErrorType e) {
            throw Problem.ALLOY_TYPE_ERROR.exception(e, where(file, e.pos) + ": " + oneParagraph(e.msg));
        } catch (Err e) {
            throw Problem.ALLOY_CRASHED.exception(e, where(file, e.pos) + ": " + oneParagraph(e.msg));
        }
        List<AlloyCommandInfo> infos = new ArrayList<>();
        List<Command> commands = module.getAllCommands();
        if (commands.size() == 1 && commands.get(0).label.equals("Default")
                && lines.stream().noneMatch(l -> l.matches(".*\\b(run|check)\\b.*"))) {
            // Alloy adds "run Default" to a file without commands; mkspec runs only what a file says.
            commands = List.of();
        }
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            Optional<AlloyOutcome> expect = Expectations.find(lines, c.pos.y, c.pos.y2);
            if (expect.isEmpty() && c.expects >= 0) {
                expect = Optional.of(c.expects == 0 ? AlloyOutcome.UNSAT : AlloyOutcome.SAT);
            }
            infos.add(new AlloyCommandInfo(i, c.label, c.check, c.pos.y, c.toString(), expect,
                    Companions.markers(lines, c.pos.y, c.pos.y2)));
        }
        return new Parsed(file, module, List.copyOf(infos), List.copyOf(warnings));
    }

    /**
     * Checks that {@code file} is a readable, non-empty text file named {@code .als}.
     *
     * @throws MkspecException naming the file and what is wrong with it
     */
    public static void checkInput(Path file) {
        InputFiles.requireFile(file, "the Alloy model", ".als", "Alloy");
        InputFiles.readText(file, "the Alloy model", "an Alloy model");
    }

    /**
     * Runs every command of the file, or only the one named.
     *
     * @param command the label of the one command to run, or empty for all
     * @throws MkspecException for the parse errors of {@link #parse}, or if no command has that label
     */
    public AlloyFileResult run(Path file, Optional<String> command, AlloyListener listener) {
        return run(file, command.map(List::of).orElse(List.of()), listener);
    }

    /**
     * Runs the named commands of the file, in file order, or every command if none is named.
     *
     * @throws MkspecException for the parse errors of {@link #parse}, or if a name is no command's label
     */
    public AlloyFileResult run(Path file, List<String> commands, AlloyListener listener) {
        Parsed parsed = parse(file);
        List<AlloyCommandInfo> selected = select(parsed, commands);
        listener.parsed(selected);
        List<AlloyCommandResult> results = new ArrayList<>();
        for (AlloyCommandInfo info : selected) {
            listener.started(info);
            AlloyCommandResult r = execute(parsed, info);
            listener.finished(r);
            results.add(r);
        }
        return new AlloyFileResult(file, alloyVersion(), results, parsed.warnings());
    }

    /** The commands to run: all, or those with the given labels, in file order. */
    static List<AlloyCommandInfo> select(Parsed parsed, List<String> commands) {
        if (commands.isEmpty()) {
            return parsed.commands();
        }
        for (String name : commands) {
            if (parsed.commands().stream().noneMatch(c -> c.name().equals(name))) {
                String known = parsed.commands().stream().map(AlloyCommandInfo::name)
                        .collect(Collectors.joining(", "));
                throw Problem.ALLOY_NO_SUCH_COMMAND.exception(name, parsed.file() + " (it has: " + known + ")");
            }
        }
        return parsed.commands().stream().filter(c -> commands.contains(c.name())).toList();
    }

    /** Runs one command of a parsed file. Solver failures come back as {@link AlloyOutcome#ERROR}. */
    public AlloyCommandResult execute(Parsed parsed, AlloyCommandInfo info) {
        Command command = parsed.module.getAllCommands().get(info.index());
        A4Options options = new A4Options();
        options.solver = SATFactory.get(SOLVER);
        options.originalFilename = parsed.file.toAbsolutePath().toString();
        long start = System.nanoTime();
        try {
            A4Solution solution = TranslateAlloyToKodkod.execute_command(A4Reporter.NOP,
                    parsed.module.getAllReachableSigs(), command, options);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (!solution.satisfiable()) {
                return new AlloyCommandResult(info, AlloyOutcome.UNSAT, elapsed, Optional.empty(), "");
            }
            String what = (info.check() ? "counterexample to " : "instance of ") + info.name();
            return new AlloyCommandResult(info, AlloyOutcome.SAT, elapsed,
                    Optional.of(AlloyInstances.toTrace(solution, parsed.file.getFileName() + ": " + info.name(), what)),
                    "");
        } catch (Err e) {
            return new AlloyCommandResult(info, AlloyOutcome.ERROR, Duration.ofNanos(System.nanoTime() - start),
                    Optional.empty(), where(parsed.file, e.pos) + ": " + oneParagraph(e.msg));
        }
    }

    static String where(Path file, Pos pos) {
        if (pos == null || pos == Pos.UNKNOWN || pos.y <= 0) {
            return file.toString();
        }
        String f = pos.filename == null || pos.filename.isEmpty() ? file.toString() : pos.filename;
        return f + ":" + pos.y + ":" + pos.x;
    }

    private static String oneParagraph(String msg) {
        return msg == null ? "" : msg.trim().replaceAll("\\s*\\n\\s*", " ");
    }
}
