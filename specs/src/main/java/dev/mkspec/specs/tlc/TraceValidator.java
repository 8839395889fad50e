package dev.mkspec.specs.tlc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.trace.Trace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * TLC trace validation (Cirstea, Kuppe, Merz and Loillier, "Validating traces of distributed
 * programs against TLA+ specifications", 2024): a trace of a program, given as ITF states, is
 * written as a TLA+ module that extends the spec and constrains the spec's own {@code Init} and
 * {@code Next} to follow the trace, and TLC searches for a behaviour of the spec that is the
 * trace.
 *
 * <p>Each state after the first is one event: if the state's {@code #meta.action} is an action
 * of the spec applied to its arguments ({@code SpaceMap(s1, 0, s2, 0, {"r"})}, as mkspec's kernel
 * traces label states), the step must be that action, or a stutter where the spec does not enable
 * it (an operation the spec does not enable changes nothing; one it enables must happen); the label {@code FALSE} marks a state change nothing may explain (only
 * a stutter matches it); otherwise (no label, or a bare name, as TLC's own traces give them) it
 * must be a step of {@code Next} or a stutter. A state whose {@code #meta.pinned} is {@code false} is not
 * compared (it stands between the operations of one program step that the program never showed);
 * every other state must be matched exactly.
 *
 * <p>A trace may show fewer than all of the spec's variables (ghosts a program does not have), or
 * expressions over them that a module extending the spec defines (a register without its ghost
 * fields). The variables it leaves out are constrained only by the spec's steps; so that a stutter
 * cannot change them at will, such a module defines {@code TraceUnchanged} (say, {@code == vars}),
 * and a stutter is then {@code UNCHANGED TraceUnchanged} rather than the trace's own variables.
 *
 * <p>The module ({@code ValidatedTrace.tla}) has a variable {@code step} counting the states
 * matched, and the invariant {@code Unmatched == step < Len(Trace)}: TLC violating it means it
 * matched the whole trace (accepted); TLC ending without a violation means no behaviour matches
 * (rejected), and the depth it reached is the longest prefix it matched.
 */
public final class TraceValidator {
    /** The generated module's name. */
    public static final String MODULE = "ValidatedTrace";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TlcRunner tlc;

    public TraceValidator(TlcRunner tlc) {
        this.tlc = tlc;
    }

    /**
     * What TLC said.
     *
     * @param accepted a behaviour of the spec is the whole trace
     * @param states the trace's states
     * @param matched the longest prefix TLC matched (all of them when accepted)
     * @param message the verdict in a sentence
     * @param module the module written
     */
    public record Verdict(boolean accepted, int states, int matched, String message, Path module) {
    }

    /**
     * The {@code #meta.pinned} flag of each state of ITF text (true where absent).
     *
     * @throws dev.mkspec.specs.MkspecException {@link Problem#TRACE_INVALID} if the text is not JSON
     */
    public static List<Boolean> pinned(String itf) {
        JsonNode root;
        try {
            root = JSON.readTree(itf);
        } catch (IOException e) {
            throw Problem.TRACE_INVALID.exception("the ITF file is not valid JSON: " + e.getMessage());
        }
        List<Boolean> out = new ArrayList<>();
        for (JsonNode s : root.path("states")) {
            out.add(s.path("#meta").path("pinned").asBoolean(true));
        }
        return out;
    }

    /** ITF text with {@code #meta.pinned: false} set on the states {@code pinned} says are not pinned. */
    public static String withPinned(String itf, List<Boolean> pinned) {
        try {
            JsonNode root = JSON.readTree(itf);
            JsonNode states = root.path("states");
            for (int i = 0; i < states.size() && i < pinned.size(); i++) {
                if (!pinned.get(i)) {
                    ObjectNode s = (ObjectNode) states.get(i);
                    JsonNode meta = s.get("#meta");
                    ObjectNode m = meta instanceof ObjectNode o ? o : s.putObject("#meta");
                    m.put("pinned", false);
                }
            }
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the validation module for {@code trace} into {@code dir} and has TLC judge it.
     *
     * @param spec the spec's root module (its folder is TLC's library path)
     * @param cfg the cfg whose constants (and substitutions) the spec is checked with
     * @param init the spec's initial predicate, e.g. {@code Init}
     * @param next the spec's next-state action, e.g. {@code Next}
     * @param pinned per state, whether it must be matched (see the class comment)
     */
    public Verdict validate(Trace trace, List<Boolean> pinned, Path spec, CfgFile cfg, String init, String next, Path dir,
            Duration timeout) {
        return validate(trace, pinned, spec, cfg, init, next, dir, timeout, List.of());
    }

    /** As above, with more folders where TLC looks for the modules the spec extends or instances. */
    public Verdict validate(Trace trace, List<Boolean> pinned, Path spec, CfgFile cfg, String init, String next, Path dir,
            Duration timeout, List<Path> library) {
        return validate(trace, pinned, spec, cfg, init, next, dir, timeout, library, List.of());
    }

    /**
     * As above, and every state TLC matches (the unpinned ones between too) must satisfy
     * {@code invariants}, invariants of the spec: an accepted trace then shows that the run kept
     * them, which the spec's own model checking shows only at its cfgs' bounds.
     */
    public Verdict validate(Trace trace, List<Boolean> pinned, Path spec, CfgFile cfg, String init, String next, Path dir,
            Duration timeout, List<Path> library, List<String> invariants) {
        Path module = write(trace, pinned, spec, cfg, init, next, dir, invariants);
        List<Path> lib = new ArrayList<>();
        lib.add(spec.toAbsolutePath().getParent());
        library.forEach(l -> lib.add(l.toAbsolutePath()));
        TlcResult r = tlc.run(TlcRequest.of(module).withConfig(dir.resolve(MODULE + ".cfg")).withWorkers(1)
                .withTimeout(timeout).withLibraryPaths(lib)
                .withRunDirectory(dir.resolve("tlc")).withLog(dir.resolve("tlc.log")), TlcListener.NONE);
        int n = trace.length();
        if (r.verdict() == TlcVerdict.INVARIANT_VIOLATED && r.violated().orElse("").equals("Unmatched")) {
            return new Verdict(true, n, n, "TLC matched all " + n + " states to a behaviour of the spec", module);
        }
        if (r.verdict() == TlcVerdict.INVARIANT_VIOLATED && invariants.contains(r.violated().orElse(""))) {
            int at = r.trace().map(t -> t.length() - 1).orElse(-1);
            return new Verdict(false, n, Math.max(at, 0), "the trace is a behaviour of the spec up to a state that breaks "
                    + r.violated().get() + (at >= 0 ? ": state " + at + " (counted from 0; its action "
                            + label(trace.steps().get(Math.min(at, n - 1))) + ")" : ""), module);
        }
        if (r.verdict() == TlcVerdict.TIMEOUT) {
            throw Problem.TIMED_OUT.exception(timeout.toSeconds() + " s (TLC did not finish judging the trace)");
        }
        if (r.verdict() == TlcVerdict.SUCCESS) {
            int depth = (int) r.depth().orElse(0);
            return new Verdict(false, n, depth, depth == 0
                    ? "no initial state of the spec is the trace's first state"
                    : "no behaviour of the spec matches the trace: TLC matched its first " + depth + " of " + n
                            + " states, and state " + depth + " (counted from 0; its action "
                            + label(trace.steps().get(depth)) + ") is no step of the spec from there", module);
        }
        throw Problem.TLC_CRASHED.exception("TLC could not judge the trace module " + module + " (" + r.verdict().id()
                + "): " + r.message() + "; its log is " + dir.resolve("tlc.log"));
    }

    private static String label(Trace.Step s) {
        return s.action().isBlank() ? "unnamed" : s.action();
    }

    /** Writes {@code ValidatedTrace.tla} and {@code .cfg}; returns the module. */
    public static Path write(Trace trace, List<Boolean> pinned, Path spec, CfgFile cfg, String init, String next, Path dir) {
        return write(trace, pinned, spec, cfg, init, next, dir, List.of());
    }

    /** As above, with {@code invariants} of the spec checked in every matched state. */
    public static Path write(Trace trace, List<Boolean> pinned, Path spec, CfgFile cfg, String init, String next, Path dir,
            List<String> invariants) {
        String root = spec.getFileName().toString().replaceFirst("\\.tla$", "");
        List<String> vars = trace.vars().isEmpty() ? new ArrayList<>(trace.steps().get(0).values().keySet()) : trace.vars();
        String tuple = "<<" + String.join(", ", vars) + ">>";
        try {
            if (java.util.regex.Pattern.compile("(?m)^TraceUnchanged\\s*==").matcher(Files.readString(spec)).find()) {
                tuple = "TraceUnchanged";
            }
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(spec + ": cannot read the spec: " + e.getMessage());
        }
        Set<String> declared = undeclaredModelValues(trace, cfg);
        StringBuilder m = new StringBuilder();
        m.append("---------------------------- MODULE ").append(MODULE).append(" ----------------------------\n");
        m.append("(* Written by mkspec validate: TLC searches for a behaviour of ").append(root)
                .append(" that is this trace. *)\n");
        m.append("EXTENDS ").append(root).append(", TLC, Naturals, Sequences\n\n");
        if (!declared.isEmpty()) {
            m.append("CONSTANTS ").append(String.join(", ", declared)).append("   \\* model values the trace names\n\n");
        }
        m.append("Trace == <<\n");
        for (int i = 0; i < trace.length(); i++) {
            Trace.Step s = trace.steps().get(i);
            List<String> fields = new ArrayList<>();
            fields.add("pinned |-> " + (i == 0 || i >= pinned.size() || pinned.get(i) ? "TRUE" : "FALSE"));
            for (String v : vars) {
                fields.add(v + " |-> " + s.value(v).toTla());
            }
            m.append("  [").append(String.join(",\n   ", fields)).append("]").append(i + 1 < trace.length() ? ",\n" : "\n");
        }
        m.append(">>\n\n");
        m.append("Event(i) ==\n  CASE ");
        boolean any = false;
        for (int i = 1; i < trace.length(); i++) {
            String a = trace.steps().get(i).action().trim();
            boolean labelled = a.matches("[A-Za-z_][A-Za-z0-9_]*\\(.*\\)");
            String body = labelled || a.equals("FALSE") ? a : next;
            // A labelled operation may stutter only where the spec does not enable it.
            String stutter = (labelled ? "(~ENABLED " + a + " /\\ UNCHANGED " : "(UNCHANGED ") + tuple + ")";
            m.append(any ? "    [] " : "").append("i = ").append(i + 1).append(" -> (").append(body)
                    .append(" \\/ ").append(stutter).append(")\n");
            any = true;
        }
        m.append(any ? "    [] " : "").append("OTHER -> FALSE\n\n");
        m.append("VARIABLE step\n\n");
        StringBuilder pin = new StringBuilder();
        StringBuilder start = new StringBuilder();
        for (String v : vars) {
            pin.append(pin.length() == 0 ? "" : " /\\ ").append(v).append("' = Trace[i].").append(v);
            start.append(" /\\ ").append(v).append(" = Trace[1].").append(v);
        }
        m.append("Pinned(i) == Trace[i].pinned => (").append(pin).append(")\n\n");
        m.append("TraceInit ==\n  /\\ step = 1\n  /\\ ").append(init).append("\n  ").append(start.substring(1)).append("\n\n");
        m.append("TraceNext ==\n  /\\ step < Len(Trace)\n  /\\ step' = step + 1\n  /\\ Event(step + 1)\n  /\\ Pinned(step + 1)\n\n");
        m.append("TraceSpec == TraceInit /\\ [][TraceNext]_<<step, ").append(String.join(", ", vars)).append(">>\n\n");
        m.append("\\* Violated exactly when the whole trace is matched.\nUnmatched == step < Len(Trace)\n");
        m.append("=============================================================================\n");
        StringBuilder c = new StringBuilder(constants(cfg, declared));
        c.append("SPECIFICATION TraceSpec\nINVARIANT Unmatched\n");
        for (String inv : invariants) {
            c.append("INVARIANT ").append(inv).append('\n');
        }
        c.append("CHECK_DEADLOCK FALSE\n");
        try {
            Files.createDirectories(dir);
            Path tla = dir.resolve(MODULE + ".tla");
            Files.writeString(tla, m, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(MODULE + ".cfg"), c, StandardCharsets.UTF_8);
            return tla;
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(dir + ": cannot write the trace module: " + e.getMessage());
        }
    }

    /**
     * The model values a trace names that the configuration neither assigns nor holds in a constant's
     * value: a module over the trace declares them as constants, and its cfg makes each a model value.
     */
    static Set<String> undeclaredModelValues(Trace trace, CfgFile cfg) {
        Set<String> declared = new TreeSet<>(trace.modelValues());
        for (TlaValue v : cfg.constants().values()) {
            collectModelValues(v, declared);
        }
        declared.removeAll(cfg.constants().keySet());
        declared.removeAll(cfg.substitutions().keySet());
        return declared;
    }

    /** The CONSTANTS section of a cfg: the configuration's own, and {@code declared} as model values. */
    static String constants(CfgFile cfg, Set<String> declared) {
        StringBuilder c = new StringBuilder("CONSTANTS\n");
        for (Map.Entry<String, TlaValue> e : new java.util.TreeMap<>(cfg.constants()).entrySet()) {
            c.append("  ").append(e.getKey()).append(" = ").append(e.getValue().toTla()).append('\n');
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(cfg.substitutions()).entrySet()) {
            c.append("  ").append(e.getKey()).append(" <- ").append(e.getValue()).append('\n');
        }
        for (String d : declared) {
            c.append("  ").append(d).append(" = ").append(d).append('\n');
        }
        return c.toString();
    }

    private static void collectModelValues(TlaValue v, Set<String> out) {
        if (v instanceof TlaValue.ModelValue mv) {
            out.add(mv.name());
        } else if (v instanceof TlaValue.SetValue s) {
            s.elements().forEach(e -> collectModelValues(e, out));
        }
    }
}
