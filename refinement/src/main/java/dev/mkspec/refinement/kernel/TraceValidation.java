package dev.mkspec.refinement.kernel;

import dev.mkspec.check.Action;
import dev.mkspec.model.addressspaces.AddressSpacesModel;
import dev.mkspec.model.addressspaces.AddressSpacesState;
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
 * TLC trace validation of kernel runs against {@code AddressSpaces.tla}: a recorded run
 * ({@link RandomKernelRuns#trace}) becomes an ITF trace, {@code kernel-trace.itf.json}, that
 * {@code mkspec validate} reads as well, and {@link TraceValidator} has TLC search for a
 * behaviour of the spec that is the trace. The Java model plays no part.
 *
 * <p>Each model operation a call stood for is one ITF state, labelled with the operation as the
 * call's arguments give it. A call that stood for several operations (a flush of two pages, a
 * delete that takes the spaces the deleted one created, a reply and a receive in one call)
 * passes through states the kernel never shows: those are written with {@code #meta.pinned:
 * false}, and only the call's last state is compared. A call that changed the abstract state
 * while standing for no operation is written with the label {@code FALSE}, which no step
 * matches.
 */
public final class TraceValidation {
    /** The ITF file each validated run is written to, in its directory. */
    public static final String ITF = "kernel-trace.itf.json";

    private final TraceValidator tlc;
    private final Path spec;

    /**
     * @param tlc the TLC to run
     * @param specFolder the folder of {@code AddressSpaces.tla}
     */
    public TraceValidation(TlcRunner tlc, Path specFolder) {
        this.tlc = new TraceValidator(tlc);
        this.spec = specFolder.resolve("AddressSpaces.tla");
    }

    /** A recorded run as an ITF trace of AddressSpaces' variables, with the pinned flag of each state. */
    public static Map.Entry<Trace, List<Boolean>> toTrace(KernelBounds bounds, RandomKernelRuns.Recorded run) {
        AddressSpacesModel model = new AddressSpacesModel(bounds.constants());
        Trace.Builder b = Trace.builder("mkspec kernel", "a kernel run on " + bounds.constants().spaces(), "recorded")
                .vars(List.of("live", "mappings", "mdb"));
        List<Boolean> pinned = new ArrayList<>();
        b.step("Init", Optional.empty(), values(model, run.start()));
        pinned.add(true);
        for (ForwardSimulation.Call c : run.calls()) {
            List<Action> as = c.actions().isEmpty() ? List.of(new Action("FALSE", List.of())) : c.actions();
            for (int i = 0; i < as.size(); i++) {
                b.step(as.get(i).toString(), Optional.empty(), values(model, c.state()));
                pinned.add(i == as.size() - 1);
            }
        }
        return Map.entry(b.build(), pinned);
    }

    private static Map<String, TlaValue> values(AddressSpacesModel model, AddressSpacesState s) {
        Map<String, TlaValue> out = new LinkedHashMap<>();
        model.render(s).forEach((k, v) -> out.put(k, TlaValueParser.parse(v)));
        return out;
    }

    /** Writes a recorded run into {@code dir} as {@value #ITF}, with the pinned flag of each state. */
    static void writeItf(Path dir, Trace trace, List<Boolean> pinned) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(ITF), TraceValidator.withPinned(ItfWriter.toJson(trace), pinned),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(ITF) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the run into {@code dir} as {@value #ITF} and has TLC judge it against the spec with
     * the constants of {@code cfg}.
     */
    public TraceValidator.Verdict check(Path dir, KernelBounds bounds, CfgFile cfg, RandomKernelRuns.Recorded run,
            Duration timeout) {
        Map.Entry<Trace, List<Boolean>> t = toTrace(bounds, run);
        writeItf(dir, t.getKey(), t.getValue());
        return tlc.validate(t.getKey(), t.getValue(), spec, cfg, "Init", "Next", dir, timeout);
    }
}
