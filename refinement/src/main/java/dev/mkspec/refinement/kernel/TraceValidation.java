package dev.mkspec.refinement.kernel;

import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import dev.mkspec.model.addressspaces.AddressSpacesModel;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import dev.mkspec.specs.tlc.TlcListener;
import dev.mkspec.specs.tlc.TlcRequest;
import dev.mkspec.specs.tlc.TlcResult;
import dev.mkspec.specs.tlc.TlcRunner;
import dev.mkspec.specs.tlc.TlcVerdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * TLC trace validation of kernel runs against {@code AddressSpaces.tla}, as in Cirstea, Kuppe,
 * Merz and Loillier, "Validating traces of distributed programs against TLA+ specifications"
 * (2024): a run's abstract states become a trace module that constrains the spec's own
 * {@code Init} and {@code Next} to follow the trace state by state, and TLC searches for a
 * behaviour of the spec that matches all of it. The Java model plays no part.
 *
 * <p>The trace module ({@code KernelTrace.tla}) extends {@code AddressSpaces}; a variable
 * {@code step} counts the trace states matched. Its invariant {@code Unmatched} is
 * {@code step < Len(Trace)}: TLC violating it means it found the whole trace (accepted); TLC
 * finishing without a violation means no behaviour of the spec produces it (rejected), and the
 * depth it reached is the longest prefix it could match.
 */
public final class TraceValidation {
    /** The module's name and the file stem of the files written. */
    public static final String MODULE = "KernelTrace";

    private final TlcRunner tlc;
    private final Path specFolder;

    /**
     * @param tlc the TLC to run
     * @param specFolder the folder of {@code AddressSpaces.tla}
     */
    public TraceValidation(TlcRunner tlc, Path specFolder) {
        this.tlc = tlc;
        this.specFolder = specFolder;
    }

    /**
     * What TLC said of one trace.
     *
     * @param accepted TLC found a behaviour of the spec that is the whole trace
     * @param states the trace's events (the initial state is the first)
     * @param matched the longest prefix of events TLC matched (all of them when accepted)
     * @param message TLC's verdict in a sentence
     * @param module the trace module written
     */
    public record Verdict(boolean accepted, int states, int matched, String message, Path module) {
    }

    /**
     * Writes {@code KernelTrace.tla} and {@code .cfg} for a recorded run into {@code dir}; returns
     * the module. Each model action of a call is one event; only a call's last event pins the
     * state (a call that stands for several actions, such as a flush of two pages, passes through
     * states the kernel never shows).
     */
    public static Path write(Path dir, AddressSpacesConstants constants, RandomKernelRuns.Recorded run) {
        AddressSpacesModel model = new AddressSpacesModel(constants);
        List<String> events = new java.util.ArrayList<>();
        List<String> states = new java.util.ArrayList<>();
        states.add(record(model, run.start(), true));
        events.add("TRUE");
        for (ForwardSimulation.Call c : run.calls()) {
            if (c.actions().isEmpty()) {
                events.add("FALSE   \\* the state changed in a call that stands for no operation");
                states.add(record(model, c.state(), true));
                continue;
            }
            for (int i = 0; i < c.actions().size(); i++) {
                events.add("(" + c.actions().get(i) + " \\/ UNCHANGED vars)");
                states.add(record(model, c.state(), i == c.actions().size() - 1));
            }
        }
        StringBuilder m = new StringBuilder();
        m.append("---------------------------- MODULE ").append(MODULE).append(" ----------------------------\n");
        m.append("(* A kernel run, written by mkspec: the operations its calls stood for, and the     *)\n");
        m.append("(* abstract state after each call. TLC checks that some behaviour of AddressSpaces' *)\n");
        m.append("(* Spec takes exactly these operations through exactly these states (an operation  *)\n");
        m.append("(* the spec does not enable may be skipped, as the kernel skips it).                *)\n");
        m.append("EXTENDS AddressSpaces, TLC, Naturals, Sequences\n\n");
        m.append("CONSTANTS ").append(String.join(", ", constants.spaces())).append("   \\* the user spaces by name\n\n");
        m.append("\\* The state after each event; 'pinned' is FALSE inside a call that stands for several operations.\n");
        m.append("Trace == <<\n  ").append(String.join(",\n  ", states)).append("\n>>\n\n");
        m.append("Event(i) ==\n  CASE ");
        for (int i = 1; i < events.size(); i++) {
            m.append(i == 1 ? "" : "    [] ").append("i = ").append(i + 1).append(" -> ").append(events.get(i)).append('\n');
        }
        m.append(events.size() == 1 ? "FALSE -> FALSE\n" : "").append("    [] OTHER -> FALSE\n\n");
        m.append("VARIABLE step\n\n");
        m.append("Pinned(i) == Trace[i].pinned => (live' = Trace[i].live /\\ mappings' = Trace[i].mappings /\\ mdb' = Trace[i].mdb)\n\n");
        m.append("TraceInit ==\n  /\\ step = 1\n  /\\ Init\n"
                + "  /\\ live = Trace[1].live /\\ mappings = Trace[1].mappings /\\ mdb = Trace[1].mdb\n\n");
        m.append("TraceNext ==\n  /\\ step < Len(Trace)\n  /\\ step' = step + 1\n  /\\ Event(step + 1)\n  /\\ Pinned(step + 1)\n\n");
        m.append("TraceSpec == TraceInit /\\ [][TraceNext]_<<step, vars>>\n\n");
        m.append("\\* Violated exactly when the whole trace is matched.\nUnmatched == step < Len(Trace)\n");
        m.append("=============================================================================\n");
        StringBuilder c = new StringBuilder("CONSTANTS\n");
        c.append("  Sigma0 = ").append(constants.sigma0()).append('\n');
        c.append("  Spaces = {").append(String.join(", ", constants.spaces())).append("}\n");
        c.append("  NPages = ").append(constants.pages()).append('\n');
        c.append("  Perms = {").append(String.join(", ", constants.perms().stream().map(p -> "\"" + p + "\"").toList()))
                .append("}\n");
        c.append("  FpageOrder = ").append(constants.fpageOrder()).append('\n');
        c.append("  NoMapping = ").append(constants.noMapping()).append('\n');
        c.append("  Bug = \"none\"\n");
        for (String s : constants.spaces()) {
            c.append("  ").append(s).append(" = ").append(s).append('\n');
        }
        c.append("SPECIFICATION TraceSpec\nINVARIANT Unmatched\nCHECK_DEADLOCK FALSE\n");
        try {
            Files.createDirectories(dir);
            Path tla = dir.resolve(MODULE + ".tla");
            Files.writeString(tla, m, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(MODULE + ".cfg"), c, StandardCharsets.UTF_8);
            return tla;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace module into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String record(AddressSpacesModel model, AddressSpacesState s, boolean pinned) {
        Map<String, String> r = model.render(s);
        return "[pinned |-> " + (pinned ? "TRUE" : "FALSE") + ", live |-> " + r.get("live") + ",\n   mappings |-> "
                + r.get("mappings") + ",\n   mdb |-> " + r.get("mdb") + "]";
    }

    /** Writes the trace into {@code dir} and has TLC judge it. */
    public Verdict check(Path dir, AddressSpacesConstants constants, RandomKernelRuns.Recorded run, Duration timeout) {
        Path module = write(dir, constants, run);
        int events = 1 + run.calls().stream().mapToInt(c -> Math.max(1, c.actions().size())).sum();
        TlcResult r = tlc.run(TlcRequest.of(module).withConfig(dir.resolve(MODULE + ".cfg")).withWorkers(1)
                .withTimeout(timeout).withLibraryPaths(List.of(specFolder)).withRunDirectory(dir.resolve("tlc"))
                .withLog(dir.resolve("tlc.log")), TlcListener.NONE);
        int depth = (int) r.depth().orElse(0);
        if (r.verdict() == TlcVerdict.INVARIANT_VIOLATED && r.violated().orElse("").equals("Unmatched")) {
            return new Verdict(true, events, events, "TLC matched all " + events
                    + " events to a behaviour of Spec", module);
        }
        if (r.verdict() == TlcVerdict.SUCCESS) {
            return new Verdict(false, events, depth, "no behaviour of Spec matches the trace: TLC matched its first "
                    + depth + " of " + events + " events, and event " + (depth + 1) + " (see " + module.getFileName()
                    + ") is no step of Next from there", module);
        }
        throw new IllegalStateException("TLC could not judge the trace in " + module + ": " + r.verdict() + ": " + r.message());
    }
}
