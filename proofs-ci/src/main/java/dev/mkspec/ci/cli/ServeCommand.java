package dev.mkspec.ci.cli;

import dev.mkspec.check.StateMachine;
import dev.mkspec.ci.Durations;
import dev.mkspec.ci.serve.ExplorerServer;
import dev.mkspec.refinement.ModelBinding;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.refinement.TraceEvaluation;
import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.InputFiles;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.trace.ItfReader;
import dev.mkspec.specs.trace.Trace;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mkspec serve}: the interactive explorer (also {@code mkspec explore MODEL --config F
 * --interactive}). Starts {@link ExplorerServer} on 127.0.0.1, prints its address, and runs until
 * Ctrl-C (exit 130) or {@code --for} has passed (exit 0).
 */
@Command(name = "serve", sortOptions = false,
        description = {"Walk a Java model by hand in a browser: a local web page (127.0.0.1 only) lists every enabled action "
                + "with its arguments, takes one, goes back, shows each state's picture, variables and invariants, names the "
                + "guard that keeps an action from being enabled, loads ITF traces (TLC's too) and saves walks as ITF for "
                + "./mkspec replay.",
            "Runs until Ctrl-C (exit 130), or for --for DURATION (exit 0)."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model, e.g. AddressSpaces.")
    String model;

    @Option(names = "--config", paramLabel = "F.cfg", required = true, description = "The TLC configuration that gives the constants.")
    Path config;

    @Option(names = "--trace", paramLabel = "T.itf.json", description = "An ITF trace to open (TLC's counterexamples included).")
    Path trace;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0", description = "The port on 127.0.0.1 (default: any free port).")
    int port;

    @Option(names = "--out", paramLabel = "DIR", description = "Where saved walks go (default: target/mkspec/explore).")
    Path out;

    @Option(names = "--for", paramLabel = "DURATION", description = "Stop after this long (e.g. 30m); by default run until Ctrl-C.")
    String duration;

    private final ModelBindings models;

    public ServeCommand() {
        this(ModelBindings.standard());
    }

    public ServeCommand(ModelBindings models) {
        this.models = models;
    }

    @Override
    public Integer call() {
        return serve(spec, models, model, config, trace, port, out, duration);
    }

    /** Runs the explorer's server; shared with {@code explore --interactive}. */
    static int serve(picocli.CommandLine.Model.CommandSpec spec, ModelBindings models, String model, Path config, Path trace,
            int port, Path out, String duration) {
        ModelBinding<?> binding = model(models, model);
        if (port < 0 || port > 65535) {
            throw Problem.INVALID_OPTION.exception("--port must be between 0 and 65535, not " + port);
        }
        Optional<Duration> limit = Optional.ofNullable(duration).map(Durations::parse);
        return run(spec, binding, config, trace, port, out, limit);
    }

    /**
     * The model named {@code name}, for the commands that take a MODEL.
     *
     * @throws dev.mkspec.specs.MkspecException (MK-111) naming the models there are
     */
    static ModelBinding<?> model(ModelBindings models, String name) {
        return models.find(name).orElseThrow(() -> Problem.INVALID_OPTION.exception(
                "there is no model named '" + name + "'; the models are "
                        + (models.names().isEmpty() ? "(none yet)" : String.join(", ", models.names()))));
    }

    private static <S> int run(picocli.CommandLine.Model.CommandSpec spec, ModelBinding<S> binding, Path config, Path tracePath,
            int port, Path out, Optional<Duration> limit) {
        PrintWriter w = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CfgFile cfg = CfgParser.parse(InputFiles.readText(config, "the configuration given with --config", "a TLC configuration"), config);
        StateMachine<S> machine;
        try {
            machine = binding.configured(cfg);
        } catch (IllegalArgumentException e) {
            throw Problem.CFG_CONSTANT_INVALID.exception(e.getMessage());
        }
        Optional<Trace> trace = Optional.empty();
        if (tracePath != null) {
            InputFiles.requireFile(tracePath, "the trace given with --trace");
            Trace t = ItfReader.read(tracePath);
            // Refuses a trace of other variables now (MK-113, naming the state and variables), before the page opens.
            TraceEvaluation.Result r = TraceEvaluation.evaluate(machine, t, tracePath.toString());
            if (!r.replay().replayed()) {
                err.println("warning: " + tracePath + " does not replay in " + machine.name() + ": " + r.replay().message()
                        + "; the page opens it up to there");
            }
            trace = Optional.of(t);
        }
        Path saveDir = (out == null ? Path.of("target", "mkspec", "explore") : out).toAbsolutePath().normalize();
        if (Files.exists(saveDir) && !Files.isDirectory(saveDir)) {
            throw Problem.INVALID_OPTION.exception("--out " + saveDir + " is a file; name a folder for saved walks");
        }
        ExplorerServer<S> server;
        try {
            server = new ExplorerServer<>(machine, binding.name(), config.toString(), port, saveDir, trace);
        } catch (UncheckedIOException e) {
            if (port != 0) {
                throw Problem.INVALID_OPTION.exception(e.getMessage() + " (another program may hold the port; pick another with --port, or 0 for any)");
            }
            throw Problem.IO_ERROR.exception(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            err.println("mkspec explorer stopped");
            err.flush();
            stopped.countDown();
        }, "mkspec-explorer-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        w.println("mkspec explorer: " + machine.name() + " with " + config + " at " + server.url());
        w.println("Open it in a browser on this machine; Ctrl-C stops it. Saved walks go to " + saveDir);
        w.flush();
        try {
            if (limit.isPresent()) {
                stopped.await(limit.get().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                stopped.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            server.close();
            err.println("mkspec explorer stopped after " + limit.map(Durations::format).orElse("an interrupt"));
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting on a signal; the hook stops the server.
        }
        return ExitClass.OK.code();
    }
}
