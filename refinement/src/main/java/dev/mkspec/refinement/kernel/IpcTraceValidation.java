package dev.mkspec.refinement.kernel;

import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tla.TlaValueParser;
import dev.mkspec.specs.tlc.TlcRunner;
import dev.mkspec.specs.tlc.TraceValidator;
import dev.mkspec.specs.trace.ItfWriter;
import dev.mkspec.specs.trace.Trace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TLC trace validation of kernel runs against {@code Ipc.tla}, through {@code IpcTrace.tla}: a
 * recorded run ({@link RandomIpcRuns#trace}) becomes an ITF trace of what the kernel shows (every
 * variable but the ghosts and the reply authority, and the registers without their ghost fields),
 * each call one state labelled with the action its arguments name, and {@link TraceValidator}
 * has TLC search for a behaviour of the spec that is the trace, finding the ghosts itself. The
 * Java model plays no part (its renderer of action arguments aside).
 */
public final class IpcTraceValidation {
    /** The spec module kernel traces are validated against, beside {@code Ipc.tla}. */
    public static final String SPEC = "IpcTrace.tla";

    private final TraceValidator tlc;
    private final Path spec;
    private final List<Path> library;

    /**
     * @param tlc the TLC to run
     * @param specFolder the folder of {@code Ipc.tla} and {@value #SPEC}
     * @param library folders of the modules Ipc.tla instances (AddressSpaces')
     */
    public IpcTraceValidation(TlcRunner tlc, Path specFolder, List<Path> library) {
        this.tlc = new TraceValidator(tlc);
        this.spec = specFolder.resolve(SPEC);
        this.library = List.copyOf(library);
    }

    /** A recorded run as an ITF trace of {@value #SPEC}'s variables. */
    public static Trace toTrace(IpcAbstraction abs, List<IpcSimulation.Event> events) {
        List<String> vars = new ArrayList<>(abs.render(events.get(0).view()).keySet());
        Trace.Builder b = Trace.builder("mkspec kernel", "a kernel run on " + abs.constants().threads(), "recorded").vars(vars);
        for (IpcSimulation.Event e : events) {
            Map<String, TlaValue> values = new LinkedHashMap<>();
            abs.render(e.view()).forEach((k, v) -> values.put(k, TlaValueParser.parse(v)));
            b.step(e.action(), Optional.empty(), values);
        }
        return b.build();
    }

    /**
     * Writes the run into {@code dir} as {@value TraceValidation#ITF} and has TLC judge it against
     * {@value #SPEC} with the constants of {@code cfg}.
     */
    public TraceValidator.Verdict check(Path dir, CfgFile cfg, RandomIpcRuns.Recorded run, Duration timeout) {
        List<IpcSimulation.Event> events = run.events();
        Trace t = toTrace(run.abstraction(), events);
        List<Boolean> pinned = new ArrayList<>();
        events.forEach(e -> pinned.add(true));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(TraceValidation.ITF), ItfWriter.toJson(t), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(TraceValidation.ITF) + ": " + e.getMessage(), e);
        }
        return tlc.validate(t, pinned, spec, cfg, "Init", "Next", dir, timeout, library);
    }
}
