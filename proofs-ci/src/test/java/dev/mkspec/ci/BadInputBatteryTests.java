package dev.mkspec.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The command line as a new user and a hostile tester use it: every command's help, and about
 * sixty bad inputs. Each case is one command line with its expected exit code and a fragment of
 * its message; every case also must not show a Java stack trace, must keep machine-readable output
 * pure, and, for {@code check}, must leave valid reports. The last case checks that every MK code
 * the README documents is produced by some case.
 */
class BadInputBatteryTests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MK = Pattern.compile("MK-\\d{3}");
    /** MK codes that no input can produce: they report a bug in mkspec or a broken installation. */
    private static final Set<String> NOT_PRODUCIBLE = Set.of(Problem.INTERNAL_ERROR.code());

    private static Path dir;
    private static final Set<String> seenCodes = new TreeSet<>();
    private static int ran;

    /**
     * One case of the battery.
     *
     * @param name what it tries, as a sentence
     * @param args the command line; {@code $D} stands for the scratch folder, {@code $F} for the fixtures
     * @param exit the exit code it must give
     * @param fragment a fragment of stdout or stderr it must print
     */
    record Case(String name, String[] args, int exit, String fragment) {
    }

    private static Case c(String name, int exit, String fragment, String... args) {
        return new Case(name, args, exit, fragment);
    }

    record Run(int exit, String out, String err) {
    }

    static Run mkspec(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), ModelBindings.standard());
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeAll
    static void inputs() throws IOException {
        dir = Files.createTempDirectory("mkspec-battery-");
        Path f = TestFixtures.fixtures();
        write("Empty.tla", "");
        write("Empty.cfg", "INIT Init\nNEXT Next\n");
        Files.write(dir.resolve("Binary.tla"), new byte[] {0x4d, 0x00, (byte) 0xff, 0x13, 0x37});
        write("Binary.cfg", "INIT Init\nNEXT Next\n");
        write("NoHeader.tla", "VARIABLE x\nInit == x = 0\nNext == x' = x\n");
        write("NoHeader.cfg", "INIT Init\nNEXT Next\n");
        write("Misnamed.tla", "---- MODULE Other ----\nVARIABLE x\nInit == x = 0\nNext == x' = x\n====\n");
        write("Misnamed.cfg", "INIT Init\nNEXT Next\n");
        write("empty.als", "");
        write("nocommands.als", "// a model with signatures and no command\nsig Frame {}\n");
        write("Fails.tla", "---- MODULE Fails ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\n"
                + "Next == x < 3 /\\ x' = x + 1\nSmall == x < 2\n====\n");
        write("Fails.cfg", "INIT Init\nNEXT Next\nINVARIANT Small\nCHECK_DEADLOCK FALSE\n");
        Files.write(dir.resolve("binary.als"), new byte[] {0x00, 0x01, (byte) 0xfe});
        Files.createDirectories(dir.resolve("folder.tla"));
        Files.createDirectories(dir.resolve("folder.als"));
        Files.createDirectories(dir.resolve("folder.cfg"));
        write("not-a-jar.jar", "this is not a jar");
        // A jar that looks like tla2tools.jar but whose tlc2.TLC is not a class: TLC cannot start.
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(
                Files.newOutputStream(dir.resolve("broken-tla2tools.jar")))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("tlc2/TLC.class"));
            zip.write("not a class file".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        // A user's own cfg, in a folder outside the spec's (and outside the repository).
        Files.copy(f.resolve("tla/StaleTlb_ok.cfg"), dir.resolve("MyOwn.cfg"));
        Files.copy(f.resolve("tla/Errors.tla"), dir.resolve("Errors.tla"));
        write("Errors.cfg", "CONSTANTS\n  Mode = \"eval\"\nSPECIFICATION Spec\nINVARIANT Small\n");
        // Evaluating this invariant needs far more than a small heap.
        write("HeapEval.tla", "---- MODULE HeapEval ----\nEXTENDS Naturals, FiniteSets\nVARIABLE x\nInit == x = 0\n"
                + "Next == x' = (x + 1) % 3\n"
                + "Inv == Cardinality({s \\in SUBSET (1..22) : Cardinality(s) > 3}) > 0\n====\n");
        write("HeapEval.cfg", "INIT Init\nNEXT Next\nINVARIANT Inv\n");
        String tlbFast = Files.readString(Path.of("..", "specs", "tla", "Tlb", "MCTlb_fast.cfg"));
        write("HugeConstant.cfg", tlbFast.replaceFirst("NPages = \\d+", "NPages = 99999999999999999999"));
        write("Unparsable.cfg", "CONSTANTS\n  NPages = {1, \nINIT Init\n");
        write("BadProfile.json", "{ \"name\": \"x\", \"costs\": 3 }");
        // Traces: a good one is made by the explorer below; these are broken by hand.
        write("truncated.itf.json", "{\"#meta\": {\"format\": \"ITF\"}, \"vars\": [\"x\"], \"states\": [{\"x\": ");
        write("unsupported.itf.json", "{\"vars\": [\"x\"], \"states\": [{\"x\": {\"#bigint\": \"12abc\"}}]}");
        write("other-model.itf.json", "{\"vars\": [\"x\"], \"states\": [{\"#meta\": {\"index\": 0}, \"x\": 1}]}");
        // Reports for cite: not JSON, not mkspec's, an entry a check failed, evidence from another commit.
        write("report-bad.json", "{\"format\": \"mkspec-report/1\", \"invariants\": [");
        write("report-other.json", "{\"checks\": []}");
        String entry = "{\"id\": \"AS-3\", \"title\": \"t\", \"statement\": \"s\", \"kind\": \"invariant\", \"status\": \"%s\","
                + " \"verifiedBy\": [{\"check\": \"tlc:AddressSpaces/fast\", \"status\": \"%s\"}], \"shownToFailBy\": []}";
        String report = "{\"format\": \"mkspec-report/1\", \"complete\": true, \"profile\": \"fast\","
                + " \"environment\": {\"commit\": \"0123456789abcdef\", \"dirty\": false}, \"invariants\": [%s]}";
        write("report-failed.json", String.format(report, String.format(entry, "not verified", "failed")));
        write("report-stale.json", String.format(report, String.format(entry, "verified", "passed")));
        fakeTlc(dir.resolve("fake-tla2tools.jar"));
        // A trace of the TLB model with one variable removed from its second state.
        Run explored = mkspec("explore", "Tlb", "--config", "../specs/tla/Tlb/MCTlb_bug_skip_local_invlpg.cfg", "--itf",
                dir.resolve("tlb.itf.json").toString());
        assertEquals(1, explored.exit(), explored.out() + explored.err());
        JsonNode t = JSON.readTree(dir.resolve("tlb.itf.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) t.path("states").get(1)).remove("tlb");
        Files.writeString(dir.resolve("tlb-missing.itf.json"), JSON.writeValueAsString(t));
        // A scratch repository with a malformed manifest beside a good area.
        Path repo = dir.resolve("repo");
        CheckCommandTests.goodRepository(repo);
        TestFixtures.write(repo.resolve("specs/tla/Malformed/manifest.json"), "{ \"models\": [ { \"name\": 3 } ] }");
        Path good = dir.resolve("good");
        CheckCommandTests.goodRepository(good);
    }

    /**
     * A tla2tools.jar whose tlc2.TLC prints, in TLC's -tool format, an invariant violation with a
     * state that is not a TLA+ value: what a TLC newer than mkspec knows might print.
     */
    private static void fakeTlc(Path jar) throws IOException {
        Path src = Files.createDirectories(dir.resolve("fake-src/tlc2"));
        String out = String.join("\\n", "@!@!@STARTMSG 2262:0 @!@!@", "TLC2 Version 9.99 (a fake)", "@!@!@ENDMSG 2262 @!@!@",
                "@!@!@STARTMSG 2110:1 @!@!@", "Invariant NoStaleTranslation is violated.", "@!@!@ENDMSG 2110 @!@!@",
                "@!@!@STARTMSG 2121:1 @!@!@", "The behavior up to this point is:", "@!@!@ENDMSG 2121 @!@!@",
                "@!@!@STARTMSG 2217:4 @!@!@", "1: <Initial predicate>", "/\\\\ tlb = {f1, ", "@!@!@ENDMSG 2217 @!@!@");
        Files.writeString(src.resolve("TLC.java"), "package tlc2;\npublic class TLC {\n  public static void main(String[] a) {\n"
                + "    System.out.println(\"" + out + "\");\n    System.exit(12);\n  }\n}\n");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", dir.resolve("fake-classes").toString(), src.resolve("TLC.java").toString());
        assertEquals(0, rc, "compiling the fake TLC");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("tlc2/TLC.class"));
            zip.write(Files.readAllBytes(dir.resolve("fake-classes/tlc2/TLC.class")));
            zip.closeEntry();
        }
    }

    private static void write(String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static List<Case> battery() {
        String stale = "$F/tla/StaleTlb.tla";
        List<Case> cases = new ArrayList<>(List.of(
                // Help, for every command and subcommand.
                c("check --help shows check's options", 0, "Usage: mkspec check", "check", "--help"),
                c("tlc -h shows tlc's options", 0, "Usage: mkspec tlc", "tlc", "-h"),
                c("alloy --help shows alloy's options", 0, "Usage: mkspec alloy", "alloy", "--help"),
                c("explore --help shows explore's options", 0, "Usage: mkspec explore", "explore", "--help"),
                c("replay --help shows replay's options", 0, "Usage: mkspec replay", "replay", "--help"),
                c("bench --help shows the benchmarks", 0, "Usage: mkspec bench", "bench", "--help"),
                c("bench explorer --help shows its options", 0, "Usage: mkspec bench explorer", "bench", "explorer", "--help"),
                c("bench cycles --help shows its options", 0, "Usage: mkspec bench cycles", "bench", "cycles", "--help"),
                c("bench tlc-vs-explorer --help shows its options", 0, "Usage: mkspec bench tlc-vs-explorer", "bench",
                        "tlc-vs-explorer", "--help"),
                c("a simulation's --depth without --simulate is a usage error", 2, "add --simulate", "explore", "Ipc",
                        "--config", "$D/none.cfg", "--depth", "5"),
                c("--simulate walks on one thread and takes no --workers", 2, "does not apply to --simulate", "explore",
                        "Ipc", "--config", "$D/none.cfg", "--simulate", "--workers", "2"),
                c("--simulate keeps no frontier, so it takes no --frontier-budget", 2, "--frontier-budget does not apply",
                        "explore", "Ipc", "--config", "$D/none.cfg", "--simulate", "--frontier-budget", "1g"),
                c("a --frontier-budget that is not a size says how to write one", 2, "--frontier-budget 'lots' is not a size",
                        "explore", "Ipc", "--config", "$D/none.cfg", "--frontier-budget", "lots"),
                c("help bench cycles shows the subcommand's help", 0, "Usage: mkspec bench cycles", "help", "bench", "cycles"),
                c("help of an unknown command is a usage error", 2, "has no command 'nope'", "help", "nope"),
                c("no command at all is a usage error that lists the commands", 2, "no command given"),
                c("bench without a benchmark is a usage error", 2, "name a benchmark", "bench"),
                c("an unknown option is a usage error", 2, "Unknown option", "tlc", "--no-such-option", "x.tla"),
                // Options validated before anything runs.
                c("a negative counter count is a usage error", 2, "--counters must be at least 1", "bench", "explorer",
                        "--counters", "-1", "--range", "3"),
                c("a benchmark too large to fit is refused before it starts", 2, "more than 2^63", "bench", "explorer",
                        "--counters", "40", "--range", "40", "--warmup", "0", "--iterations", "1"),
                c("--only that matches nothing names the areas", 2, "The areas are", "check", "--root", "$D/good",
                        "--only", "NoSuchThing"),
                c("--only in the wrong case suggests the right one", 2, "with another case it would match", "check",
                        "--root", "$D/good", "--only", "tlb"),
                c("a glob in the wrong case suggests the right IDs, not a case that is already right", 2,
                        "with another case it would match tlc:Tlb/ok", "check", "--root", "$D/good", "--only", "tlb/*"),
                c("--only with a bracket matches nothing", 2, "matches no check", "check", "--root", "$D/good", "--only", "["),
                c("--explorer-workers -1 is refused before TLC runs", 2, "--explorer-workers must be at least 1", "check",
                        "--root", "$D/good", "--explorer-workers", "-1"),
                c("--jobs 0 is refused", 2, "--jobs must be at least 1", "check", "--root", "$D/good", "--jobs", "0"),
                c("--coverage -1 is a usage error", 2, "--coverage is an interval in minutes", "tlc", stale, "--coverage", "-1"),
                c("--tla2tools naming a non-jar is a usage error", 2, "which is not a jar", "tlc", stale, "--tla2tools",
                        "$D/not-a-jar.jar"),
                c("--tla2tools naming a missing jar is a tool failure", 4, "MK-203", "tlc", stale, "--tla2tools",
                        "/no/tla2tools.jar"),
                c("--timeout 0s must be positive", 2, "must be positive", "tlc", stale, "--timeout", "0s"),
                c("a malformed duration shows how to write one", 2, "90s", "tlc", stale, "--timeout", "soon"),
                c("an absurd duration is refused", 2, "too long a duration", "tlc", stale, "--timeout", "99999999999999999999h"),
                c("--depth without --simulate is refused", 2, "applies only to a simulation", "tlc", stale, "--depth", "5"),
                c("--local-workers without --distributed is refused", 2, "add --distributed", "tlc", stale,
                        "--local-workers", "2"),
                c("a distributed run has no simulation mode", 2, "has no simulation mode", "tlc", stale, "--distributed",
                        "--simulate"),
                c("a distributed run collects no coverage", 2, "collects no coverage", "tlc", stale, "--distributed",
                        "--coverage", "1"),
                c("--serve starts no local worker", 2, "--serve starts only the server", "tlc", stale, "--distributed",
                        "--serve", "--local-workers", "2"),
                c("a distributed run takes its workers from --local-workers, not --workers", 2, "--local-workers N",
                        "tlc", stale, "--distributed", "--workers", "2"),
                c("a liveness property would be dropped by the distributed server", 2, "EventuallyDone", "tlc",
                        "$F/tla/Liveness.tla", "--config", "$F/tla/Liveness_lasso.cfg", "--distributed"),
                c("check --distributed is for the deep profile", 2, "add --profile deep", "check", "--root", "$D/good",
                        "--distributed", "2"),
                c("--dump-dot naming a directory is refused", 2, "is a directory", "tlc", stale, "--config",
                        "$F/tla/StaleTlb_ok.cfg", "--dump-dot", "$D"),
                c("--dump-dot must name a .dot file", 2, "must name a .dot file", "tlc", stale, "--dump-dot", "$D/graph.txt"),
                c("--heap in the wrong form is refused", 2, "--heap must look like 512m", "tlc", stale, "--heap", "lots"),
                c("an unknown CPU profile name is a usage error", 2, "MK-111", "bench", "cycles", "--profile", "nosuch"),
                c("a design none of the profiles can run is a usage error", 2, "add --profile i486 or pentium", "bench",
                        "cycles", "--profile", "haswell", "--design", "l4-small", "--no-files"),
                c("a CPU profile file that does not exist is bad input", 3, "MK-101", "bench", "cycles", "--profile",
                        "$D/nosuch.json"),
                c("a malformed CPU profile names what is wrong", 3, "MK-112", "bench", "cycles", "--profile", "$D/BadProfile.json",
                        "--no-files"),
                c("an unknown model is a usage error", 2, "no model named", "explore", "NoSuchModel", "--config", "$D/MyOwn.cfg"),
                c("--format in a wrong form is refused", 2, "--format must be", "bench", "cycles", "--format", "xml"),
                c("a what-if switch that is not NAME=VALUE is refused", 2, "NAME=VALUE", "bench", "cycles", "--what-if",
                        "movCr3", "--no-files"),
                c("a what-if switch naming no primitive lists the primitives", 2, "movCr3", "bench", "cycles", "--what-if",
                        "warp=9", "--no-files"),
                c("a design chosen by a what-if switch is refused for --design", 2, "--design", "bench", "cycles",
                        "--what-if", "design=l4-small", "--no-files"),
                c("a pairing share above a half is refused", 2, "at most 0.5", "bench", "cycles", "--what-if", "pairing=0.6",
                        "--no-files"),
                c("--fidelity in CSV is refused, naming the formats that carry it", 2, "--format json", "bench", "cycles",
                        "--fidelity", "--format", "csv", "--no-files"),
                c("an unknown cache model lists the models", 2, "as-profile, full, direct, ideal or cold", "bench", "cycles",
                        "--cache-model", "huge", "--no-files"),
                // Files: missing, directories, empty, binary, wrong kind.
                c("a missing spec is bad input", 3, "MK-101: file not found: no/Such.tla", "tlc", "no/Such.tla"),
                c("a directory given as the spec says it is a directory", 3, "MK-120", "tlc", "$D/folder.tla"),
                c("a directory given as the cfg says it is a directory", 3, "is a directory", "tlc", stale, "--config",
                        "$D/folder.cfg"),
                c("a directory given to alloy says it is a directory", 3, "MK-120", "alloy", "$D/folder.als"),
                c("a directory given to explore's --config says it is a directory", 3, "MK-120", "explore", "Tlb",
                        "--config", "$D/folder.cfg"),
                c("a directory given to replay says it is a directory", 3, "MK-120", "replay", "$D", "--model", "Tlb",
                        "--config", "$D/MyOwn.cfg"),
                c("an empty .tla is bad input", 3, "it is empty", "tlc", "$D/Empty.tla"),
                c("a binary .tla is bad input", 3, "MK-122", "tlc", "$D/Binary.tla"),
                c("a .tla without a module header is bad input", 3, "holds no module header", "tlc", "$D/NoHeader.tla"),
                c("a .tla whose module is misnamed says so", 3, "holds module Other", "tlc", "$D/Misnamed.tla"),
                c("an empty .als is bad input", 3, "it is empty", "alloy", "$D/empty.als"),
                c("an .als with no command is bad input", 3, "MK-124", "alloy", "$D/nocommands.als"),
                c("mutating a spec that fails its own cfg is refused", 1, "MK-125", "mutate", "$D/Fails.tla",
                        "--config", "$D/Fails.cfg"),
                c("a binary .als is bad input", 3, "MK-122", "alloy", "$D/binary.als"),
                c("a file of the wrong kind given to alloy", 3, "is not an Alloy (.als) file", "alloy", "$D/Empty.cfg"),
                c("a file of the wrong kind given to tlc", 3, "MK-102", "tlc", "$F/tla/Syntax.cfg"),
                // Spec problems, with positions.
                c("a syntax error names file:line:column", 3, "Syntax.tla:6:14", "tlc", "$F/tla/Syntax.tla"),
                c("an undefined operator in the cfg names the cfg line", 3, "Errors_undefined.cfg:4", "tlc",
                        "$F/tla/Errors.tla", "--config", "$F/tla/Errors_undefined.cfg"),
                c("a cfg that leaves a constant unassigned gets the constant hint", 3, "under CONSTANTS", "tlc",
                        "$D/Errors.tla", "--config", "$D/Errors.cfg"),
                c("an Alloy type error names file:line", 3, "typeError.als:3:", "alloy", "$F/alloy/typeError.als"),
                c("an Alloy syntax error is MK-107", 3, "MK-107", "alloy", "$F/alloy/syntaxError.als"),
                c("an Alloy command that does not exist is MK-109", 3, "MK-109", "alloy", "$F/alloy/frames.als",
                        "--command", "NoSuchCommand"),
                c("a malformed cfg read by the explorer is MK-105", 3, "MK-105", "explore", "Tlb", "--config",
                        "$D/Unparsable.cfg"),
                c("a constant too large for the Java model names the constant", 3, "NPages = 99999999999999999999",
                        "explore", "Tlb", "--config", "$D/HugeConstant.cfg"),
                c("the same constant is MK-123", 3, "MK-123", "explore", "Tlb", "--config", "$D/HugeConstant.cfg"),
                // Works: a user's own cfg, anywhere.
                c("a cfg outside the spec's folder works with TLC", 0, "12 distinct", "tlc", stale, "--config",
                        "$D/MyOwn.cfg", "--workers", "1"),
                c("a TLC state that cannot be read is MK-106, shown as a warning on the trace", 1, "MK-106", "tlc",
                        stale, "--config", "$F/tla/StaleTlb_ok.cfg", "--tla2tools", "$D/fake-tla2tools.jar"),
                // Machine-readable output stays pure: "wrote ..." goes to stderr.
                c("bench cycles --format json prints one JSON document", 0, "\"rows\"", "bench", "cycles", "--profile",
                        "i486", "--design", "l4", "--workload", "null-syscall", "--format", "json", "--out", "$D/cycles"),
                c("bench cycles --fidelity --format json prints one JSON document", 0, "\"medianAbsoluteError\"", "bench",
                        "cycles", "--profile", "i486", "--design", "l4", "--workload", "ipc-oneway", "--fidelity", "--format",
                        "json", "--out", "$D/cycles"),
                c("bench cycles --format csv prints only CSV", 0, "profile", "bench", "cycles", "--profile", "i486",
                        "--design", "l4", "--workload", "null-syscall", "--format", "csv", "--out", "$D/cycles"),
                c("bench explorer --format json prints one JSON document", 0, "\"results\"", "bench", "explorer",
                        "--counters", "3", "--range", "3", "--warmup", "0", "--iterations", "1", "--format", "json"),
                c("bench explorer with --frontier-budget 0 puts the frontier on disk", 0, "\"frontierStatesOnDisk\" : 54,",
                        "bench", "explorer", "--counters", "3", "--range", "3", "--warmup", "0", "--iterations", "1",
                        "--frontier-budget", "0", "--format", "json"),
                // Resources and tools.
                c("TLC running out of heap while evaluating is out of memory, exit 6", 6, "MK-401", "tlc", "$D/HeapEval.tla",
                        "--heap", "48m", "--workers", "1", "--timeout", "3m"),
                c("a TLC timeout reports the counts at the moment TLC stopped", 5, "left on the queue", "tlc",
                        "$F/tla/Forever.tla", "--timeout", "3s", "--workers", "1"),
                c("an explorer timeout is written like 2s", 5, "time limit of 2s", "explore", "Tlb", "--config",
                        "../specs/tla/Tlb/MCTlb_deep.cfg", "--timeout", "2s", "--workers", "1"),
                c("a tla2tools.jar whose TLC cannot start is MK-201", 4, "MK-201", "tlc", stale, "--config",
                        "$F/tla/StaleTlb_ok.cfg", "--tla2tools", "$D/broken-tla2tools.jar"),
                c("a cfg that cannot be read is MK-121", 3, "MK-121", "explore", "Tlb", "--config", "/proc/self/mem"),
                c("an Alloy worker that cannot start is MK-202 and says why", 4, "Too small maximum heap", "alloy",
                        "$F/alloy/frames.als", "--heap", "1k"),
                c("reports that cannot be written are MK-204", 4, "MK-204", "check", "--root", "$D/good", "--only",
                        "alloy:frames/NoSharing", "--out", "/proc/mkspec-cannot-write-here"),
                c("an Alloy command past its time limit exits 5", 5, "timeout", "alloy", "$F/alloy/ramsey.als",
                        "--command", "Hard", "--timeout", "1s"),
                // Manifests and the plan.
                c("check --list on a tree with a malformed manifest warns and exits 3", 3, "cannot be planned", "check",
                        "--root", "$D/repo", "--list"),
                c("a malformed manifest is MK-110 and the rest still run", 3, "MK-110", "check", "--root", "$D/repo",
                        "--only", "Malformed"),
                // cite and serve.
                c("cite without a report says to run check first", 3, "run ./mkspec check first", "cite", "AS-3",
                        "--root", "$D"),
                c("cite of a report that is not JSON is MK-114 with the position", 3, "MK-114", "cite", "AS-3",
                        "--report", "$D/report-bad.json"),
                c("cite of a JSON file that is not a check report says so", 3, "not a report of ./mkspec check", "cite",
                        "AS-3", "--report", "$D/report-other.json"),
                c("cite of an ID the report lacks is a usage error", 2, "has no invariant AS-999", "cite", "AS-999",
                        "--report", "$D/report-stale.json"),
                c("cite refuses an invariant its run did not verify", 1, "MK-126", "cite", "AS-3", "--report",
                        "$D/report-failed.json"),
                c("cite refuses evidence from another commit", 1, "the evidence is stale", "cite", "AS-3", "--report",
                        "$D/report-stale.json"),
                c("cite --format of an unknown kind is a usage error", 2, "--format must be markdown or json", "cite", "AS-3",
                        "--report", "$D/report-stale.json", "--format", "html"),
                c("serve with a trace of another model refuses it before starting", 3, "this is not a trace of Tlb", "serve",
                        "Tlb", "--config", "../specs/tla/Tlb/MCTlb_fast.cfg", "--trace", "$D/other-model.itf.json"),
                c("serve on a port out of range is a usage error", 2, "--port must be between 0 and 65535", "serve", "Tlb",
                        "--config", "../specs/tla/Tlb/MCTlb_fast.cfg", "--port", "70000"),
                c("explore --trace without --interactive is a usage error", 2, "add --interactive", "explore", "Tlb",
                        "--config", "../specs/tla/Tlb/MCTlb_fast.cfg", "--trace", "$D/other-model.itf.json"),
                // Traces.
                c("a truncated ITF file says where it ends", 3, "truncated.itf.json", "replay", "$D/truncated.itf.json",
                        "--model", "Tlb", "--config", "../specs/tla/Tlb/MCTlb_fast.cfg"),
                c("an ITF value that is not a number where one belongs is MK-113", 3, "MK-113", "replay",
                        "$D/unsupported.itf.json",
                        "--model", "Tlb", "--config", "../specs/tla/Tlb/MCTlb_fast.cfg"),
                c("a trace of another model says so", 3, "this is not a trace of Tlb", "replay", "$D/other-model.itf.json",
                        "--model", "Tlb", "--config", "../specs/tla/Tlb/MCTlb_fast.cfg"),
                c("--itf into a folder that does not exist creates it and says so", 1, "created the folder", "explore",
                        "Tlb", "--config", "../specs/tla/Tlb/MCTlb_bug_skip_local_invlpg.cfg", "--itf",
                        "$D/new-folder/tlb.itf.json"),
                c("a state missing a variable names it", 3, "has no value for the variable tlb", "replay",
                        "$D/tlb-missing.itf.json",
                        "--model", "Tlb", "--config", "../specs/tla/Tlb/MCTlb_bug_skip_local_invlpg.cfg"),
                c("validate: a truncated ITF file says where it ends", 3, "truncated.itf.json", "validate",
                        "$D/truncated.itf.json", "--spec", "../specs/tla/Tlb/Tlb.tla", "--config",
                        "../specs/tla/Tlb/MCTlb_fast.cfg"),
                c("validate: a spec that does not exist is named", 3, "Nope.tla", "validate", "$D/truncated.itf.json",
                        "--spec", "$D/Nope.tla", "--config", "../specs/tla/Tlb/MCTlb_fast.cfg"),
                c("validate: without --config and no cfg beside the spec, says to give one", 3, "--config", "validate",
                        "$D/truncated.itf.json", "--spec", "../specs/tla/Tlb/Tlb.tla"),
                c("validate: an unknown --format is a usage error", 2, "--format", "validate", "$D/truncated.itf.json",
                        "--spec", "../specs/tla/Tlb/Tlb.tla", "--format", "xml")));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> everyCaseGivesItsExitCodeAndMessageWithoutAStackTrace() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case k : battery()) {
            tests.add(DynamicTest.dynamicTest(k.name(), () -> run(k)));
        }
        tests.add(DynamicTest.dynamicTest("every documented MK code is produced by some case", BadInputBatteryTests::codes));
        return tests.stream();
    }

    private static void run(Case k) throws IOException {
        Function<String, String> expand = a -> a.replace("$D", dir.toString())
                .replace("$F", TestFixtures.fixtures().toString());
        String[] args = Stream.of(k.args()).map(expand).toArray(String[]::new);
        Run r = mkspec(args);
        String all = r.out() + r.err();
        Matcher m = MK.matcher(all);
        while (m.find()) {
            seenCodes.add(m.group());
        }
        assertEquals(k.exit(), r.exit(), "exit code of " + String.join(" ", args) + ":\n" + all);
        assertTrue(all.contains(k.fragment()), "'" + k.fragment() + "' in the output of " + String.join(" ", args)
                + ":\n" + all);
        assertFalse(all.contains("\tat ") || all.contains("Exception in thread") || all.contains("this is a bug"),
                "no stack trace:\n" + all);
        if (k.exit() != 0 && k.exit() != 1 && k.exit() != 5 && k.exit() != 6) {
            assertTrue(r.err().contains("hint:") || r.out().contains("hint:"), "a hint says how to fix it:\n" + all);
        }
        int format = List.of(args).indexOf("--format");
        if (format >= 0 && r.exit() == 0) {
            if (args[format + 1].equals("json")) {
                JSON.readTree(r.out());
            } else {
                assertTrue(r.out().lines().allMatch(l -> l.contains(",")), "only CSV on stdout:\n" + r.out());
            }
            assertFalse(r.out().contains("wrote"), "'wrote ...' goes to stderr");
        }
        ran++;
        if (args.length > 0 && args[0].equals("check") && !List.of(args).contains("--list") && r.exit() != 2) {
            Path out = List.of(args).contains("--out") ? Path.of(args[List.of(args).indexOf("--out") + 1])
                    : Path.of(args[List.of(args).indexOf("--root") + 1]).resolve("target/mkspec");
            if (Files.isDirectory(out)) {
                JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
                assertEquals(r.exit(), report.path("exitCode").asInt(), "report.json records the exit code");
            }
        }
    }

    /** Every MK code in the README's table is produced by some case above. */
    private static void codes() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(ran == battery().size(),
                "only when every case of the battery has run (a filtered run skips this)");
        String readme = Files.readString(Path.of("..", "README.md"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("\\| `(MK-\\d{3})` \\|").matcher(readme);
        while (m.find()) {
            documented.add(m.group(1));
        }
        Set<String> defined = new TreeSet<>();
        for (Problem p : Problem.values()) {
            defined.add(p.code());
        }
        assertEquals(defined, documented, "the README's table of MK codes lists exactly the codes of Problem");
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(seenCodes);
        missing.removeAll(NOT_PRODUCIBLE);
        assertTrue(missing.isEmpty(), "documented codes that no case produced: " + missing);
    }
}
