package dev.mkspec.specs.tlc;

import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tla.TlaValueParser;
import dev.mkspec.specs.trace.Trace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the messages of one TLC run, in order, and builds its {@link TlcResult}.
 *
 * <p>The verdict comes from TLC's messages, not from its exit code alone: TLC exits 13 both for a
 * temporal property and for an action property, and 255 or 75 for several kinds of evaluation
 * error. The exit code is only a fallback when the messages say nothing (the process died).
 *
 * <p>Message codes are TLC 2.18's ({@code tlc2.output.EC}); the ones this class reacts to are
 * named constants below.
 */
public final class TlcOutputInterpreter implements ToolOutputReader.Sink {
    // Messages that carry facts about the run.
    static final int VERSION = 2262;
    static final int MODE_MC = 2187;
    static final int MODE_SIMULATION = 2188;
    static final int MODE_DFID = 2271;
    static final int SANY_START = 2220;
    static final int SANY_END = 2219;
    static final int INIT_GENERATED = 2190;
    static final int SUCCESS = 2193;
    static final int SEARCH_DEPTH = 2194;
    static final int STATS = 2199;
    static final int STATS_SIMULATION = 2210;
    static final int PROGRESS = 2200;
    static final int PROGRESS_SIMULATION = 2209;
    static final int CHECKING_TEMPORAL = 2192;
    static final int FINISHED = 2186;
    static final int GC_ADVICE = 2401;
    // The counterexample.
    static final int BEHAVIOR_UP_TO_HERE = 2121;
    static final int COUNTER_EXAMPLE = 2264;
    static final int STATE_PRINT1 = 2216;
    static final int STATE_PRINT2 = 2217;
    static final int STUTTERING = 2218;
    static final int BACK_TO_STATE = 2122;
    static final int NESTED_EXPRESSIONS = 2103;
    // Verdicts.
    static final int INVARIANT_VIOLATED_INITIAL = 2107;
    static final int PROPERTY_VIOLATED_INITIAL = 2108;
    static final int INVARIANT_VIOLATED = 2110;
    static final int ACTION_PROPERTY_VIOLATED = 2112;
    static final int DEADLOCK = 2114;
    static final int TEMPORAL_VIOLATED = 2116;
    static final int ASSUMPTION_FALSE = 2104;
    static final int ASSERT_FAILED = 2132;
    static final int PARSING_FAILED = 3002;
    static final int GENERAL = 1000;
    // Coverage.
    static final int COVERAGE_START = 2201;
    static final int COVERAGE_INIT = 2773;
    static final int COVERAGE_NEXT = 2772;
    static final int COVERAGE_PROPERTY = 2774;
    static final int COVERAGE_VALUE = 2221;
    static final int COVERAGE_VALUE_COST = 2775;

    private static final Set<Integer> OUT_OF_MEMORY_CODES = Set.of(1001, 1002, 1003);
    private static final Set<Integer> CONFIG_CODES = Set.of(2222, 2223, 2224, 2225, 2226, 2227,
            2228, 2229, 2230, 2231, 2232, 2233, 2234, 2235, 2236, 2237, 2241, 2242, 2243, 2280, 2281,
            2300, 5001, 5002, 5003, 5004, 5005, 5006);
    private static final Set<Integer> UNSUPPORTED_CODES = Set.of(2156, 2213, 2214, 2238, 2239, 2240,
            2244, 2245, 2260, 2261, 2279, 2284, 2301);
    private static final Set<Integer> TOOL_CODES = Set.of(1005, 1101, 1102, 2100, 2101, 2117, 2123,
            2124, 2125, 2126, 2127, 2128, 2129, 2130, 2131, 2134, 2135, 2137, 2138, 2147, 2159, 2160,
            2161, 2162, 2163, 2166, 2167, 2172, 2173, 2174, 2175, 2270, 3000, 3001);
    /** Messages whose text is the spec's own (an assertion, an invariant's name), never a JVM error. */
    private static final Set<Integer> SPEC_VERDICTS = Set.of(INVARIANT_VIOLATED, ACTION_PROPERTY_VIOLATED,
            TEMPORAL_VIOLATED, ASSERT_FAILED, ASSUMPTION_FALSE, DEADLOCK);
    private static final Set<Integer> NOT_A_VERDICT = Set.of(NESTED_EXPRESSIONS, BEHAVIOR_UP_TO_HERE,
            COUNTER_EXAMPLE, STATE_PRINT1, STATE_PRINT2, STUTTERING, BACK_TO_STATE);

    private static final Pattern STATE_HEADER = Pattern.compile("^(\\d+): <(.*)>\\s*$");
    private static final Pattern ACTION_LABEL = Pattern.compile(
            "^(.*?) line (\\d+), col (\\d+) to line (\\d+), col (\\d+) of module (\\S+)$");
    private static final Pattern BACK_TO = Pattern.compile("^(\\d+): Back to state(?:: <(.*)>)?\\s*$");
    private static final Pattern PROGRESS_LINE = Pattern.compile(
            "Progress\\((-?[\\d,]+)\\) at .*?: (-?[\\d,]+) states generated.*?, (-?[\\d,]+) distinct states found.*?, (-?[\\d,]+) states left on queue");
    private static final Pattern STATS_LINE = Pattern.compile(
            "(-?[\\d,]+) states generated, (-?[\\d,]+) distinct states found, (-?[\\d,]+) states left on queue");
    private static final Pattern SIM_STATS_LINE = Pattern.compile("The number of states generated: ([\\d,]+)");
    private static final Pattern DEPTH_LINE = Pattern.compile("depth of the complete state graph search is (\\d+)");
    private static final Pattern INIT_LINE = Pattern.compile("Finished computing initial states: (\\d+) distinct");
    private static final Pattern FINISHED_LINE = Pattern.compile("Finished in (.*?) at");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)\\s*(ms|s|min|h|d)\\b");
    private static final Pattern COLLISION = Pattern.compile("calculated \\(optimistic\\):\\s*val = ([0-9.Ee+-]+)");
    private static final Pattern NAMED_VIOLATION = Pattern.compile(
            "(?:Invariant|Action property|Property|property) (\\S+?) is violated");
    private static final Pattern COVERAGE_LINE = Pattern.compile("^<(.*)>: (\\d+):(\\d+)\\s*$");
    private static final Pattern COVERAGE_OWNER = Pattern.compile("^<(.*)>\\s*$");
    private static final Pattern COVERAGE_VALUE_LINE = Pattern.compile(
            "^(\\|*)line (\\d+), col (\\d+) to line (\\d+), col (\\d+) of module (\\S+): (\\d+)(?::(\\d+))?\\s*$");
    private static final Pattern TLC_POSITION = Pattern.compile(
            "[Ll]ine (\\d+), col(?:umn)? (\\d+) to line \\d+, col(?:umn)? \\d+ (?:of module|in) (\\w+)");
    private static final Pattern SANY_POSITION = Pattern.compile("line (\\d+), col(?:umn)? (\\d+)");
    private static final Pattern SANY_MODULE = Pattern.compile("(?:of module|In module|in file|module) (\\w+)");
    private static final Pattern CFG_LINE = Pattern.compile("at line (\\d+)");
    private static final String ALIAS_NOTE = "TLC 2.18 does not know ALIAS; a newer TLC does: --tla2tools";

    private final Path spec;
    private final Path config;
    private final TlcListener listener;

    /** The version a result gives when TLC never printed its own (it stopped before it said anything). */
    static final String UNKNOWN_VERSION = "TLC (version unknown)";
    /** Appended to the version of TLC's distributed server. */
    static final String DISTRIBUTED_SUFFIX = " (distributed server)";
    /** The NullPointerException of TLC's distributed server thread that reads a block the ended run left null. */
    static final String SERVER_THREAD_RACE = "\"this.states\" is null";
    static final String SERVER_THREAD_RACE_WARNING = "TLC's distributed server: a server thread read its next block of "
            + "states after the run had ended (a NullPointerException in TLCServerThread, a race in TLC when a worker "
            + "finds a violation); it says nothing about the spec and was not taken as the verdict";
    private String version = UNKNOWN_VERSION;
    private String mode = "model checking";
    private boolean inSany;
    private final List<String> sanyLines = new ArrayList<>();
    private final List<String> plainTail = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private TlcVerdict verdict;
    private String violated;
    private String detail;
    private SourcePosition position;
    private boolean successSeen;
    private volatile boolean outOfMemory;
    private String outOfMemoryText;

    private long distinct = -1;
    private long generated = -1;
    private long queued = -1;
    private long depth = -1;
    private long initial = -1;
    private long tlcMillis = -1;
    private double collision = Double.NaN;

    private boolean traceOpen;
    private boolean traceDone;
    private Trace.Builder trace;
    private final List<CoverageEntry> coverage = new ArrayList<>();
    private final List<ExpressionCoverage> expressions = new ArrayList<>();
    private String coverageOwner = "";
    private boolean coverageOwnerIsProperty;

    /**
     * @param spec the spec that TLC checks, for positions and trace sources
     * @param config the configuration, for the positions of configuration errors
     * @param listener told about progress as it arrives
     */
    public TlcOutputInterpreter(Path spec, Path config, TlcListener listener) {
        this.spec = spec;
        this.config = config;
        this.listener = listener;
    }

    @Override
    public void plainLine(String line) {
        if (inSany) {
            sanyLines.add(line);
        }
        if (version.equals(UNKNOWN_VERSION) && line.startsWith("TLC2 TLC Server Version ")) {
            // The distributed server prints its version before tool mode starts, as plain text.
            version = line.trim().replaceFirst("^TLC2 TLC Server ", "TLC2 ") + DISTRIBUTED_SUFFIX;
        }
        if (line.contains("OutOfMemoryError")) {
            outOfMemory = true;
            outOfMemoryText = line.trim();
        }
        plainTail.add(line);
        if (plainTail.size() > 40) {
            plainTail.remove(0);
        }
    }

    @Override
    public void message(ToolMessage m) {
        String body = m.body();
        switch (m.code()) {
            case VERSION -> version = body.trim();
            case MODE_MC -> mode = "model checking";
            case MODE_DFID -> mode = "model checking (depth-first)";
            case MODE_SIMULATION -> mode = "simulation";
            case SANY_START -> inSany = true;
            case SANY_END -> inSany = false;
            case INIT_GENERATED -> find(INIT_LINE, body).ifPresent(g -> initial = number(g.group(1)));
            case SUCCESS -> {
                successSeen = true;
                find(COLLISION, body).ifPresent(g -> collision = probability(g.group(1)));
            }
            case SEARCH_DEPTH -> find(DEPTH_LINE, body).ifPresent(g -> depth = number(g.group(1)));
            case STATS -> find(STATS_LINE, body).ifPresent(g -> {
                generated = number(g.group(1));
                distinct = number(g.group(2));
                queued = number(g.group(3));
            });
            case STATS_SIMULATION -> find(SIM_STATS_LINE, body).ifPresent(g -> generated = number(g.group(1)));
            case PROGRESS, PROGRESS_SIMULATION -> find(PROGRESS_LINE, body).ifPresent(g -> {
                long d = number(g.group(1));
                long gen = number(g.group(2));
                long dis = number(g.group(3));
                long q = number(g.group(4));
                if (gen >= 0) {
                    generated = gen;
                }
                if (dis >= 0) {
                    distinct = dis;
                }
                if (q >= 0) {
                    queued = q;
                }
                if (d >= 0 && m.code() == PROGRESS) {
                    depth = Math.max(depth, d);
                }
                listener.progress(new TlcProgress(d, gen, dis, q, mode));
            });
            case CHECKING_TEMPORAL -> listener.progress(
                    new TlcProgress(depth, generated, distinct, queued, "checking temporal properties"));
            case FINISHED -> find(FINISHED_LINE, body).ifPresent(g -> tlcMillis = millis(g.group(1)));
            case GC_ADVICE -> {
                // TLC's advice to use the parallel collector; the runner already does.
            }
            case BEHAVIOR_UP_TO_HERE, COUNTER_EXAMPLE -> openTrace();
            case STATE_PRINT1, STATE_PRINT2 -> traceState(body);
            case STUTTERING -> {
                if (traceOpen) {
                    trace.ending(new Trace.Ending.Stuttering());
                }
            }
            case BACK_TO_STATE -> backToState(body);
            case NESTED_EXPRESSIONS -> nestedExpressions(body);
            case COVERAGE_START -> {
                // A later report (TLC reports at its interval and at the end) replaces an earlier one.
                coverage.clear();
                expressions.clear();
            }
            case COVERAGE_INIT, COVERAGE_NEXT -> find(COVERAGE_LINE, body.trim()).ifPresent(g -> {
                String[] nameAndLocation = splitLabel(g.group(1));
                coverage.add(new CoverageEntry(nameAndLocation[0], nameAndLocation[1],
                        number(g.group(2)), number(g.group(3)), m.code() == COVERAGE_INIT));
                coverageOwner = g.group(1).trim();
                coverageOwnerIsProperty = false;
            });
            case COVERAGE_PROPERTY -> find(COVERAGE_OWNER, body.trim()).ifPresent(g -> {
                coverageOwner = g.group(1).trim();
                coverageOwnerIsProperty = true;
            });
            case COVERAGE_VALUE, COVERAGE_VALUE_COST -> find(COVERAGE_VALUE_LINE, body.trim()).ifPresent(g -> {
                ExpressionCoverage.Span span = new ExpressionCoverage.Span(g.group(6), place(g.group(2)),
                        place(g.group(3)), place(g.group(4)), place(g.group(5)));
                long cost = g.group(8) == null ? 0 : number(g.group(8));
                expressions.add(new ExpressionCoverage(coverageOwner, coverageOwnerIsProperty, g.group(1).length(),
                        span, number(g.group(7)), cost));
            });
            default -> other(m);
        }
    }

    private void other(ToolMessage m) {
        String body = m.body();
        if (m.severity() == ToolMessage.SEVERITY_WARNING) {
            warnings.add(body.trim());
            return;
        }
        if (CONFIG_CODES.contains(m.code()) && verdict == null) {
            // Configuration errors arrive with severity 0, nested in TLC's general error.
            decide(TlcVerdict.CONFIG_ERROR, withConfigLine(body), null);
            position = configPosition(body);
            return;
        }
        if (m.severity() != ToolMessage.SEVERITY_ERROR && m.severity() != ToolMessage.SEVERITY_BUG) {
            return;
        }
        if (NOT_A_VERDICT.contains(m.code())) {
            return;
        }
        if (body.contains("OutOfMemoryError") || OUT_OF_MEMORY_CODES.contains(m.code())) {
            outOfMemory = true;
            outOfMemoryText = firstLine(body.replaceAll("(?s).*(java\\.lang\\.OutOfMemoryError)", "$1"));
            return;
        }
        if (!SPEC_VERDICTS.contains(m.code()) && heapExhausted(body) != null) {
            // An OutOfMemoryError thrown while evaluating an expression reaches TLC's error report
            // as its bare message ("Java heap space"), wrapped in an evaluation error.
            outOfMemory = true;
            outOfMemoryText = "java.lang.OutOfMemoryError: " + heapExhausted(body);
            return;
        }
        if (verdict != null) {
            // A nested message (e.g. a configuration error inside TLC's general error 1000)
            // already decided the verdict; the outer message only repeats it.
            return;
        }
        if (version.endsWith(DISTRIBUTED_SUFFIX) && m.code() == GENERAL && body.contains(SERVER_THREAD_RACE)) {
            // TLC's distributed server: a server thread asks for its next block of states after
            // another has ended the run (a worker found a violation), gets none, and reads its
            // length anyway (TLCServerThread.run). It says nothing about the spec; the verdict
            // comes from the rest of the output (the behaviour the server prints).
            warnings.add(SERVER_THREAD_RACE_WARNING);
            return;
        }
        switch (m.code()) {
            case INVARIANT_VIOLATED -> decide(TlcVerdict.INVARIANT_VIOLATED, body, named(body));
            case INVARIANT_VIOLATED_INITIAL -> {
                // The offending initial state is printed inside this message, after its first line.
                int nl = body.indexOf('\n');
                decide(TlcVerdict.INVARIANT_VIOLATED, nl < 0 ? body : body.substring(0, nl), named(body));
                if (nl >= 0) {
                    openTrace();
                    traceState(body.substring(nl + 1));
                    traceOpen = false;
                    traceDone = true;
                }
            }
            case ACTION_PROPERTY_VIOLATED -> decide(TlcVerdict.ACTION_PROPERTY_VIOLATED, body, named(body));
            case TEMPORAL_VIOLATED, PROPERTY_VIOLATED_INITIAL ->
                    decide(TlcVerdict.TEMPORAL_PROPERTY_VIOLATED, body, named(body));
            case DEADLOCK -> decide(TlcVerdict.DEADLOCK, body, null);
            case ASSUMPTION_FALSE -> {
                decide(TlcVerdict.ASSUMPTION_FALSE, body, null);
                position = tlcPosition(body);
            }
            case ASSERT_FAILED -> decide(TlcVerdict.ASSERTION_FAILED, body, null);
            case PARSING_FAILED -> parseFailure();
            default -> {
                if (CONFIG_CODES.contains(m.code())) {
                    decide(TlcVerdict.CONFIG_ERROR, withConfigLine(body), null);
                    position = configPosition(body);
                } else if (UNSUPPORTED_CODES.contains(m.code())) {
                    decide(TlcVerdict.UNSUPPORTED, body, null);
                    position = tlcPosition(body);
                } else if (TOOL_CODES.contains(m.code()) || m.severity() == ToolMessage.SEVERITY_BUG) {
                    decide(TlcVerdict.TOOL_FAILURE, body, null);
                } else if (body.contains("Module-Table lookup failure")) {
                    Matcher mod = Pattern.compile("for module name (\\w+)").matcher(body);
                    String name = mod.find() ? mod.group(1) : spec.getFileName().toString().replaceFirst("\\.tla$", "");
                    decide(TlcVerdict.PARSE_ERROR, cleanGeneral(body) + "\nA module must be named after its file: "
                            + name + ".tla must begin with '---- MODULE " + name + " ----'.", null);
                    position = new SourcePosition(moduleFile(name), 1, 1);
                } else if (m.code() == GENERAL && body.contains("ConfigFileException")) {
                    decide(TlcVerdict.CONFIG_ERROR, withConfigLine(cleanGeneral(body)), null);
                    position = configPosition(body);
                } else {
                    decide(TlcVerdict.EVALUATION_ERROR, cleanGeneral(body), null);
                    if (position == null) {
                        position = tlcPosition(body);
                    }
                }
            }
        }
    }

    /** Adds the text of the cfg line that a configuration error points at. */
    private String withConfigLine(String body) {
        Matcher line = CFG_LINE.matcher(body);
        if (config == null || !line.find()) {
            return body.contains("ALIAS") ? body.trim() + "\n" + ALIAS_NOTE : body;
        }
        try {
            List<String> lines = java.nio.file.Files.readAllLines(config);
            int n = place(line.group(1));
            if (n >= 1 && n <= lines.size()) {
                String text = lines.get(n - 1).trim();
                String note = text.startsWith("ALIAS") ? " (" + ALIAS_NOTE + ")" : "";
                return body.trim() + "\nLine " + n + " reads: " + text + note;
            }
        } catch (java.io.IOException | RuntimeException e) {
            return body;
        }
        return body;
    }

    private void decide(TlcVerdict v, String body, String name) {
        verdict = v;
        detail = body.trim();
        violated = name;
    }

    private static String named(String body) {
        return find(NAMED_VIOLATION, body).map(g -> g.group(1)).orElse(null);
    }

    /** TLC's general error wraps the real message in advice about the Toolbox; keep the message. */
    private static String cleanGeneral(String body) {
        String b = body.replace("TLC threw an unexpected exception.", "")
                .replace("This was probably caused by an error in the spec or model.", "")
                .replace("See the User Output or TLC Console for clues to what happened.", "")
                .replaceAll("The exception was a [\\w.]+\\s*\\n?:\\s*", "")
                .trim();
        return b.isEmpty() ? body.trim() : b;
    }

    // ---------------------------------------------------------------------------------------------
    // Traces

    private void openTrace() {
        if (traceDone || traceOpen) {
            return;
        }
        traceOpen = true;
        trace = Trace.builder(version.replaceFirst("^TLC2 Version (\\S+).*", "TLC $1"),
                spec.getFileName().toString(), "");
    }

    private void traceState(String body) {
        if (!traceOpen) {
            openTrace();
        }
        int nl = body.indexOf('\n');
        String header = nl < 0 ? body : body.substring(0, nl);
        String rest = nl < 0 ? "" : body.substring(nl + 1);
        Matcher h = STATE_HEADER.matcher(header.trim());
        String action;
        Optional<String> location = Optional.empty();
        if (h.matches()) {
            String label = h.group(2);
            if (label.equals("Initial predicate")) {
                action = "Init";
            } else {
                String[] split = splitLabel(label);
                action = split[0];
                location = split[1].isEmpty() ? Optional.empty() : Optional.of(split[1]);
            }
        } else {
            // A state printed without a header (an initial state that violates an invariant).
            action = trace.size() == 0 ? "Init" : "";
            rest = body;
        }
        Map<String, TlaValue> values;
        try {
            values = TlaValueParser.parseState(rest);
        } catch (MkspecException e) {
            warnings.add("could not read state " + (trace.size() + 1) + " of TLC's trace: " + e.getMessage());
            return;
        }
        trace.step(action, location, values);
    }

    private void backToState(String body) {
        if (!traceOpen) {
            return;
        }
        Matcher b = BACK_TO.matcher(body.trim());
        if (b.matches()) {
            int to = place(b.group(1)) - 1;
            String action = b.group(2) == null ? "" : splitLabel(b.group(2))[0];
            if (to >= 0 && to < trace.size()) {
                trace.ending(new Trace.Ending.Loop(to, action));
            }
        }
    }

    /** Splits {@code "Name line 3, col 1 to line 4, col 2 of module M"} into name and location. */
    private static String[] splitLabel(String label) {
        Matcher a = ACTION_LABEL.matcher(label.trim());
        if (a.matches()) {
            return new String[] {a.group(1).trim(), "line " + a.group(2) + ", col " + a.group(3) + " to line "
                    + a.group(4) + ", col " + a.group(5) + " of module " + a.group(6)};
        }
        return new String[] {label.trim(), ""};
    }

    private void nestedExpressions(String body) {
        // The innermost expression is listed last; it is the most precise position.
        SourcePosition last = null;
        Matcher m = TLC_POSITION.matcher(body);
        while (m.find()) {
            last = new SourcePosition(moduleFile(m.group(3)), place(m.group(1)),
                    place(m.group(2)));
        }
        if (last != null) {
            position = last;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Positions of errors

    private SourcePosition tlcPosition(String body) {
        Matcher m = TLC_POSITION.matcher(body);
        if (m.find()) {
            return new SourcePosition(moduleFile(m.group(3)), place(m.group(1)),
                    place(m.group(2)));
        }
        return null;
    }

    private SourcePosition configPosition(String body) {
        String cfgName = config == null ? "the .cfg" : config.toString();
        Matcher line = CFG_LINE.matcher(body);
        if (line.find()) {
            return new SourcePosition(cfgName, place(line.group(1)), 0);
        }
        if (config != null) {
            try {
                CfgFile cfg = CfgParser.parse(config);
                for (Map.Entry<String, Integer> e : cfg.lines().entrySet()) {
                    if (Pattern.compile("\\b" + Pattern.quote(e.getKey()) + "\\b").matcher(body).find()) {
                        return new SourcePosition(cfgName, e.getValue(), 0);
                    }
                }
            } catch (MkspecException e) {
                return new SourcePosition(cfgName, 0, 0);
            }
        }
        return new SourcePosition(cfgName, 0, 0);
    }

    private String moduleFile(String module) {
        Path dir = spec.toAbsolutePath().getParent();
        Path f = dir == null ? Path.of(module + ".tla") : dir.resolve(module + ".tla");
        return f.toString();
    }

    private void parseFailure() {
        List<String> relevant = new ArrayList<>();
        String lastParsed = null;
        String module = null;
        SourcePosition pos = null;
        boolean skippingStack = false;
        for (String raw : sanyLines) {
            String line = raw.trim();
            if (line.startsWith("Parsing file ")) {
                lastParsed = line.substring("Parsing file ".length()).trim();
                continue;
            }
            if (line.startsWith("Semantic processing of module")) {
                Matcher mm = SANY_MODULE.matcher(line);
                if (mm.find()) {
                    module = mm.group(1);
                }
                continue;
            }
            if (line.startsWith("Residual stack trace follows")) {
                skippingStack = true;
                continue;
            }
            if (skippingStack) {
                if (line.isEmpty()) {
                    skippingStack = false;
                }
                continue;
            }
            if (line.isEmpty() || line.startsWith("***") || line.equals("Semantic errors:")
                    || line.startsWith("tla2sany.") || line.startsWith("Fatal errors while parsing")
                    || line.startsWith("Could not parse module")) {
                Matcher fm = SANY_MODULE.matcher(line);
                if (line.startsWith("Fatal errors while parsing") && fm.find()) {
                    module = fm.group(1);
                }
                continue;
            }
            if (line.startsWith("In module ")) {
                module = line.substring("In module ".length()).trim();
                continue;
            }
            if (line.equals("Unknown location")) {
                continue;
            }
            if (pos == null) {
                Matcher p = SANY_POSITION.matcher(line);
                if (p.find()) {
                    Matcher mm = Pattern.compile("of module (\\w+)").matcher(line);
                    String mod = mm.find() ? mm.group(1) : null;
                    pos = new SourcePosition(mod == null ? "?" : mod, place(p.group(1)),
                            place(p.group(2)));
                    if (line.matches("line \\d+, col \\d+ to line \\d+, col \\d+ of module \\w+")) {
                        continue;
                    }
                }
            }
            relevant.add(line);
        }
        String file;
        if (pos != null && !pos.file().equals("?")) {
            file = moduleFile(pos.file());
        } else if (module != null) {
            file = moduleFile(module);
        } else if (lastParsed != null) {
            file = lastParsed;
        } else {
            file = spec.toString();
        }
        position = pos == null ? new SourcePosition(file, 0, 0) : new SourcePosition(file, pos.line(), pos.column());
        String text = relevant.isEmpty() ? "SANY reported a parse or semantic error but gave no details"
                : String.join("\n", relevant.subList(0, Math.min(relevant.size(), 8)));
        decide(TlcVerdict.PARSE_ERROR, text, null);
    }

    // ---------------------------------------------------------------------------------------------
    // The result

    /**
     * Whether TLC has reported running out of memory. TLC can hang after an OutOfMemoryError in
     * one of its background threads, so the runner stops it when this turns true.
     */
    public boolean outOfMemorySeen() {
        return outOfMemory;
    }

    /**
     * Whether TLC stopped itself at its time limit ({@code -Dtlc2.TLC.stopAfter}) rather than
     * finishing: it then says "Model checking completed" with states still on the queue, or it
     * ended (simulating, or before it could say anything) after running for the whole limit.
     */
    public boolean stoppedEarly(Duration timeout) {
        if (verdict != null || outOfMemory) {
            return false;
        }
        if (successSeen && queued > 0 && !mode.equals("simulation")) {
            // Only a stopped search says "completed" with states still on the queue.
            return true;
        }
        // TLC's stop timer starts once the spec is parsed, so TLC's own time ("Finished in") has
        // reached the limit exactly when the timer fired; JVM start-up is not in it. The limit is
        // passed to TLC in whole seconds, rounded up.
        long stopAfterMillis = Math.max(1, (timeout.toMillis() + 999) / 1000) * 1000;
        return tlcMillis >= stopAfterMillis && (mode.equals("simulation") || !successSeen);
    }

    /**
     * Whether TLC printed a behaviour but no verdict and no success: what TLC's distributed server
     * does when a worker finds a property broken.
     */
    public boolean traceWithoutVerdict() {
        return verdict == null && !successSeen && !outOfMemory && trace != null && trace.size() > 0;
    }

    /**
     * Builds the result once the process has ended.
     *
     * @param exitCode the process's exit code, or -1 if it was killed
     * @param timedOut whether the runner killed it at its time limit
     * @param timeout the limit, for the message
     * @param elapsed wall-clock time of the process
     * @param log where the raw output was kept, if it was
     */
    public TlcResult result(int exitCode, boolean timedOut, Duration timeout, Duration elapsed, Optional<Path> log) {
        TlcVerdict v;
        String message;
        if (outOfMemory) {
            v = TlcVerdict.OUT_OF_MEMORY;
            message = "TLC ran out of memory (" + (outOfMemoryText == null ? "OutOfMemoryError" : outOfMemoryText)
                    + (distinct >= 0 ? String.format(", after %,d distinct states", distinct) : "")
                    + "). Give it more heap with --heap, or check a smaller configuration.";
        } else if (timedOut) {
            v = TlcVerdict.TIMEOUT;
            message = "TLC was stopped after the time limit of " + human(timeout)
                    + (distinct >= 0 ? String.format("; it had found %,d distinct states", distinct) : "")
                    + (generated >= 0 ? String.format(" (%,d generated", generated)
                            + (queued >= 0 ? String.format(", %,d left on the queue)", queued) : ")") : "")
                    + ".";
        } else if (verdict != null) {
            v = verdict;
            message = detail;
        } else if (successSeen) {
            v = TlcVerdict.SUCCESS;
            message = "Model checking completed. No error has been found.";
        } else if (exitCode == 0 && mode.equals("simulation")) {
            v = TlcVerdict.SUCCESS;
            message = "Simulation completed. No error has been found.";
        } else {
            v = fromExitCode(exitCode);
            message = "TLC exited with code " + exitCode + " without saying why. Its last output was:\n"
                    + String.join("\n", plainTail.subList(Math.max(0, plainTail.size() - 12), plainTail.size()));
        }
        if (position != null && !v.isViolation() && v != TlcVerdict.SUCCESS && v != TlcVerdict.TIMEOUT) {
            message = position + ": " + message;
        }
        Optional<Trace> t = Optional.empty();
        if (trace != null && trace.size() > 0) {
            String what = violated != null ? v.id() + ": " + violated : v.id();
            Trace built = trace.build();
            t = Optional.of(new Trace(built.tool(), built.source(), what, built.vars(), built.steps(), built.ending()));
        }
        return new TlcResult(v, Optional.ofNullable(violated), message, Optional.ofNullable(position),
                opt(distinct), opt(generated), opt(queued), opt(depth), opt(initial), t, coverage, expressions, warnings,
                version, mode, elapsed, opt(tlcMillis),
                Double.isNaN(collision) ? OptionalDouble.empty() : OptionalDouble.of(collision), exitCode, log);
    }

    private static TlcVerdict fromExitCode(int exitCode) {
        return switch (exitCode) {
            case 10 -> TlcVerdict.ASSUMPTION_FALSE;
            case 11 -> TlcVerdict.DEADLOCK;
            case 12 -> TlcVerdict.INVARIANT_VIOLATED;
            case 13 -> TlcVerdict.TEMPORAL_PROPERTY_VIOLATED;
            case 14 -> TlcVerdict.ASSERTION_FAILED;
            case 75, 76, 77 -> TlcVerdict.EVALUATION_ERROR;
            case 150 -> TlcVerdict.PARSE_ERROR;
            case 151 -> TlcVerdict.CONFIG_ERROR;
            default -> TlcVerdict.TOOL_FAILURE;
        };
    }

    private static OptionalLong opt(long v) {
        return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    private static Optional<Matcher> find(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? Optional.of(m) : Optional.empty();
    }

    /**
     * A count as TLC prints it ({@code 1,234}), or -1 (unknown) for digits that no count can have,
     * such as a number past {@code Long.MAX_VALUE} in damaged output.
     */
    private static long number(String s) {
        try {
            return Long.parseLong(s.replace(",", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A line, column or state number, or 0 (unknown) if the digits do not fit an int. */
    private static int place(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** TLC's estimate of the collision probability, or NaN (unknown) if it is not a number. */
    private static double probability(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static long millis(String s) {
        long total = 0;
        Matcher m = DURATION_PART.matcher(s);
        boolean any = false;
        while (m.find()) {
            any = true;
            long n = number(m.group(1));
            long unit = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "min" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            if (n < 0 || n > Long.MAX_VALUE / unit / 8) {
                return -1;
            }
            total += n * unit;
        }
        return any ? total : -1;
    }

    /** The messages of the JVM's OutOfMemoryErrors, which TLC may print without the class name. */
    private static final List<String> HEAP_MESSAGES = List.of("Java heap space", "GC overhead limit exceeded",
            "Requested array size exceeds VM limit", "Direct buffer memory", "Metaspace");

    /** The OutOfMemoryError message that {@code text} reports, or null if it reports none. */
    static String heapExhausted(String text) {
        // The JVM's message stands alone on its line (TLC prints the error's message there); a
        // sentence that merely mentions it, in an assertion's text say, is not an OutOfMemoryError.
        for (String line : text.split("\n")) {
            String t = line.trim();
            for (String h : HEAP_MESSAGES) {
                if (t.equals(h) || t.equals("java.lang.OutOfMemoryError: " + h)) {
                    return h;
                }
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    static String human(Duration d) {
        if (d == null) {
            return "none";
        }
        long s = d.getSeconds();
        if (s < 120) {
            return s + "s";
        }
        return (s / 60) + "min " + (s % 60) + "s";
    }
}
