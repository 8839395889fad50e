package dev.mkspec.specs;

/**
 * Every problem that mkspec itself reports, with a stable code, a message template, the exit class
 * it leads to, and a hint that says how to fix it. Codes are never reused.
 */
public enum Problem {
    FILE_NOT_FOUND("MK-101", "file not found: %s", ExitClass.BAD_INPUT,
            "Check the path. Relative paths are resolved against the current directory."),
    WRONG_FILE_TYPE("MK-102", "%s is not %s file", ExitClass.BAD_INPUT,
            "Pass the file with the right extension."),
    TLA_PARSE_ERROR("MK-103", "TLC's parser (SANY) rejected the spec: %s", ExitClass.BAD_INPUT,
            "Fix the spec at the position shown; the Toolbox or the VS Code TLA+ extension show the same error. "
                    + "A module that is not found may live in a library: pass its directory with --library."),
    TLC_CONFIG_ERROR("MK-104", "TLC rejected the configuration: %s", ExitClass.BAD_INPUT,
            "Fix the .cfg at the position shown: every name it mentions must be defined in the spec."),
    CFG_SYNTAX_ERROR("MK-105", "malformed configuration file: %s", ExitClass.BAD_INPUT,
            "A .cfg holds CONSTANTS, INIT/NEXT or SPECIFICATION, INVARIANTS, PROPERTIES and similar sections; see the TLC documentation."),
    TLA_VALUE_SYNTAX("MK-106", "cannot read TLA+ value: %s", ExitClass.BAD_INPUT,
            "Values are written as TLC prints them: 1, \"s\", TRUE, m1, {..}, <<..>>, [f |-> v], (k :> v @@ ..)."),
    ALLOY_SYNTAX_ERROR("MK-107", "Alloy syntax error: %s", ExitClass.BAD_INPUT,
            "Fix the model at the position shown; the Alloy Analyzer shows the same error."),
    ALLOY_TYPE_ERROR("MK-108", "Alloy type error: %s", ExitClass.BAD_INPUT,
            "Fix the model at the position shown; the Alloy Analyzer shows the same error."),
    ALLOY_NO_SUCH_COMMAND("MK-109", "no command named %s in %s", ExitClass.BAD_INPUT,
            "Use one of the commands listed, or leave out --command to run them all."),
    MANIFEST_INVALID("MK-110", "invalid manifest %s: %s", ExitClass.BAD_INPUT,
            "See the README section 'Adding a check' for the manifest format."),
    INVALID_OPTION("MK-111", "invalid option: %s", ExitClass.USAGE,
            "Run with --help for the options."),
    CPU_PROFILE_INVALID("MK-112", "invalid CPU profile: %s", ExitClass.BAD_INPUT,
            "Fix the field named; hw-model/src/main/resources/dev/mkspec/hw/profiles/i486.json shows the format, "
                    + "and every cost needs a source."),
    TRACE_INVALID("MK-113", "invalid ITF trace: %s", ExitClass.BAD_INPUT,
            "An ITF trace is a JSON object with 'vars' (the variable names) and 'states' (one object per state, "
                    + "holding every variable); values are encoded as in Apalache's ADR-015 (#bigint, #set, #tup, #map). "
                    + "Fix the file at the position shown, or write the trace again with --itf."),
    REPORT_INVALID("MK-114", "invalid report %s: %s", ExitClass.BAD_INPUT,
            "Give the report.json that ./mkspec check wrote (target/mkspec/report.json by default), or run the check again."),
    NOT_A_FILE("MK-120", "%s is a directory or a device, not a file (%s)", ExitClass.BAD_INPUT,
            "Name the file itself, not the folder that holds it."),
    FILE_UNREADABLE("MK-121", "cannot read %s: %s", ExitClass.BAD_INPUT,
            "Check the file's permissions (ls -l) and that it is not locked by another program."),
    NOT_TEXT("MK-122", "%s cannot be read as input: %s", ExitClass.BAD_INPUT,
            "Check that the path names the file you meant; inputs are UTF-8 text files."),
    CFG_CONSTANT_INVALID("MK-123", "the configuration does not fit the Java model: %s", ExitClass.BAD_INPUT,
            "Give the constant named a value of the kind and size the model takes; the spec's MC file and the "
                    + "repository's cfgs show working values."),
    ALLOY_NO_COMMANDS("MK-124", "%s defines no command (run or check), so there is nothing to run", ExitClass.BAD_INPUT,
            "Add a command, e.g. 'run {} for 3 // expect: sat'; a module that only others open needs none, but is "
                    + "then not run on its own."),
    MUTATE_ORIGINAL_FAILS("MK-125", "the unmutated spec does not pass %s: %s", ExitClass.UNEXPECTED,
            "Mutation testing needs a spec that passes its configurations: fix the spec, or name only the "
                    + "configurations it passes with --config (bug variants are left out of an area by themselves)."),
    CITE_REFUSED("MK-126", "cannot cite %s: %s", ExitClass.UNEXPECTED,
            "Run ./mkspec check at the current commit on a clean tree (committed changes only), with a profile whose "
                    + "checks verify the invariant, then cite again; --allow-stale cites evidence from another commit "
                    + "and says so in the block."),
    TLC_CRASHED("MK-201", "TLC failed: %s", ExitClass.TOOL_FAILURE,
            "The raw TLC output is in the log file named below; the last lines usually say why."),
    ALLOY_CRASHED("MK-202", "Alloy failed: %s", ExitClass.TOOL_FAILURE,
            "The Alloy exception is shown above; a model that the Alloy Analyzer also cannot solve fails the same way."),
    TOOL_NOT_FOUND("MK-203", "cannot find %s", ExitClass.TOOL_FAILURE,
            "Rebuild with 'mvn -B -DskipTests package', or pass --tla2tools PATH to use your own tla2tools.jar."),
    IO_ERROR("MK-204", "I/O error: %s", ExitClass.TOOL_FAILURE,
            "Check that the output directory is writable and the disk is not full."),
    INTERNAL_ERROR("MK-205", "mkspec failed: %s", ExitClass.TOOL_FAILURE,
            "This is a bug in mkspec; please report it with the command line and the output."),
    TIMED_OUT("MK-301", "stopped after the time limit of %s", ExitClass.TIMEOUT,
            "Raise the limit with --timeout, or check a smaller configuration."),
    OUT_OF_MEMORY("MK-401", "ran out of memory: %s", ExitClass.OUT_OF_MEMORY,
            "Give the run more heap (--heap for TLC, MKSPEC_JAVA_OPTS=-Xmx.. for the explorer), or check a smaller configuration.");

    private final String code;
    private final String template;
    private final ExitClass exitClass;
    private final String hint;

    Problem(String code, String template, ExitClass exitClass, String hint) {
        this.code = code;
        this.template = template;
        this.exitClass = exitClass;
        this.hint = hint;
    }

    public String code() {
        return code;
    }

    public ExitClass exitClass() {
        return exitClass;
    }

    public String hint() {
        return hint;
    }

    /** The message for the given arguments, prefixed with the code. */
    public String format(Object... args) {
        return code + ": " + String.format(template, args);
    }

    /** An exception that carries this problem. */
    public MkspecException exception(Object... args) {
        return new MkspecException(this, format(args), null);
    }

    /**
     * An exception that carries this problem with a message already formatted by {@link #format},
     * as it arrives from a child process.
     */
    public MkspecException withFormattedMessage(String message) {
        return new MkspecException(this, message, null);
    }

    /** An exception that carries this problem and the exception that caused it. */
    public MkspecException exception(Throwable cause, Object... args) {
        return new MkspecException(this, format(args), cause);
    }
}
