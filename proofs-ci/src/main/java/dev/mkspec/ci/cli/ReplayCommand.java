package dev.mkspec.ci.cli;

import dev.mkspec.check.StateMachine;
import dev.mkspec.refinement.ModelBinding;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.refinement.TraceReplay;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.trace.ItfReader;
import dev.mkspec.specs.trace.Trace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mkspec replay}: replays an ITF trace step by step in a Java model. */
@Command(name = "replay", sortOptions = false,
        description = {"Replay an ITF trace (a TLC or explorer counterexample) step by step in a Java model, "
                + "with the constants of a TLC cfg.",
            "Exits 0 if every step is a step of the model, 1 if one is not (and names it)."})
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE.itf.json", description = "The trace.")
    Path trace;

    @Option(names = "--model", paramLabel = "MODEL", required = true, description = "The model, e.g. AddressSpaces.")
    String model;

    @Option(names = "--config", paramLabel = "F.cfg", required = true, description = "The cfg that gives the constants.")
    Path config;

    private final ModelBindings models;

    public ReplayCommand() {
        this(ModelBindings.standard());
    }

    public ReplayCommand(ModelBindings models) {
        this.models = models;
    }

    @Override
    public Integer call() {
        ModelBinding<?> binding = ServeCommand.model(models, model);
        return replay(binding);
    }

    private <S> Integer replay(ModelBinding<S> binding) {
        PrintWriter w = spec.commandLine().getOut();
        dev.mkspec.specs.InputFiles.requireFile(trace, "the trace");
        CfgFile cfgFile = CfgParser.parse(dev.mkspec.specs.InputFiles.readText(config,
                "the configuration given with --config", "a TLC configuration"), config);
        Trace t = ItfReader.read(trace);
        StateMachine<S> machine;
        try {
            machine = binding.configured(cfgFile);
        } catch (IllegalArgumentException e) {
            throw Problem.CFG_CONSTANT_INVALID.exception(e.getMessage());
        }
        TraceReplay.Result<S> r = TraceReplay.replay(machine, t, trace.toString());
        w.printf("%s: %d states from %s (%s)%n", trace, t.length(), t.tool(), t.verdict());
        w.println((r.replayed() ? "replayed: " : "does not replay: ") + r.message());
        w.flush();
        return r.replayed() ? 0 : ExitClass.UNEXPECTED.code();
    }
}
