package dev.mkspec.ci.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkspec.ci.Durations;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.InputFiles;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tlc.TlcRunner;
import dev.mkspec.specs.tlc.TraceValidator;
import dev.mkspec.specs.trace.ItfReader;
import dev.mkspec.specs.trace.Trace;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mkspec validate}: TLC trace validation of a program's ITF trace against a TLA+ spec. */
@Command(name = "validate", sortOptions = false,
        description = {"Check with TLC that an ITF trace of a program (a kernel run, say) is a behaviour of a TLA+ spec: "
                + "the trace's states, each reached by the action its #meta.action names (or by any step of Next "
                + "when it names none; an action the spec does not enable may leave the state unchanged). A state "
                + "whose #meta.pinned is false is not compared.",
            "Exits 0 if TLC matches the whole trace, 1 if it cannot (and says how far it got)."})
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ToolOptions tools;

    @Parameters(index = "0", paramLabel = "TRACE.itf.json", description = "The trace.")
    Path trace;

    @Option(names = "--spec", paramLabel = "SPEC.tla", required = true,
            description = "The spec's root module, e.g. specs/tla/AddressSpaces/AddressSpaces.tla.")
    Path specFile;

    @Option(names = "--config", paramLabel = "F.cfg",
            description = "The cfg whose constants the spec takes (default: SPEC.cfg beside the spec).")
    Path config;

    @Option(names = "--init", paramLabel = "NAME", defaultValue = "Init", description = "The initial predicate (default Init).")
    String init;

    @Option(names = "--next", paramLabel = "NAME", defaultValue = "Next", description = "The next-state action (default Next).")
    String next;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the validation module and TLC's log go (default: target/mkspec/validate/TRACE).")
    Path out;

    @Option(names = "--library", paramLabel = "DIR", split = ",",
            description = "More folders where TLC looks for modules the spec extends or instances.")
    List<Path> library = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", description = "Stop TLC after this long (default 10m).")
    String timeout;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "text (default) or json: one JSON document on stdout.")
    String format;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            throw Problem.INVALID_OPTION.exception("--format must be text or json, not '" + format + "'");
        }
        if (!init.matches("[A-Za-z_][A-Za-z0-9_]*") || !next.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw Problem.INVALID_OPTION.exception("--init and --next name operators of the spec, such as Init and Next");
        }
        Duration limit = Durations.parse(timeout);
        InputFiles.requireFile(trace, "the trace");
        InputFiles.requireFile(specFile, "the spec given with --spec", ".tla", "a TLA+ module");
        Path cfgPath = config != null ? config
                : specFile.resolveSibling(specFile.getFileName().toString().replaceFirst("\\.tla$", ".cfg"));
        if (config == null && !Files.isRegularFile(cfgPath)) {
            throw Problem.FILE_NOT_FOUND.exception(cfgPath + " (no --config was given, so the cfg beside the spec is "
                    + "used; name the cfg that gives the spec's constants with --config)");
        }
        for (Path dir : library) {
            if (!Files.isDirectory(dir)) {
                throw Problem.FILE_NOT_FOUND.exception(dir + " (given with --library; it must be a folder)");
            }
        }
        CfgFile cfg = CfgParser.parse(InputFiles.readText(cfgPath, "the configuration", "a TLC configuration"), cfgPath);
        String itf = InputFiles.readText(trace, "the trace", "an ITF trace");
        Trace t = ItfReader.fromJson(itf, trace.toString());
        List<Boolean> pinned = TraceValidator.pinned(itf);
        Path dir = out != null ? out : Path.of("target", "mkspec", "validate",
                trace.getFileName().toString().replaceFirst("\\.json$", "").replaceAll("[^A-Za-z0-9_.-]+", "-"));
        PrintWriter err = spec.commandLine().getErr();
        err.printf("validating %d states of %s against %s with TLC ...%n", t.length(), trace, specFile);
        err.flush();
        TraceValidator.Verdict v = new TraceValidator(new TlcRunner(tools.installation()))
                .validate(t, pinned, specFile, cfg, init, next, dir, limit, library);
        PrintWriter w = spec.commandLine().getOut();
        if (format.equals("json")) {
            ObjectNode j = new ObjectMapper().createObjectNode();
            j.put("trace", trace.toString());
            j.put("spec", specFile.toString());
            j.put("accepted", v.accepted());
            j.put("states", v.states());
            j.put("matched", v.matched());
            j.put("message", v.message());
            j.put("module", v.module().toString());
            w.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(j));
        } else {
            w.println((v.accepted() ? "accepted: " : "rejected: ") + v.message());
            w.println("module: " + v.module());
        }
        w.flush();
        err.println("wrote " + v.module());
        err.flush();
        return v.accepted() ? 0 : ExitClass.UNEXPECTED.code();
    }
}
