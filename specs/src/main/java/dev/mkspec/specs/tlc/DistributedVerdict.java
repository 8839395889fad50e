package dev.mkspec.specs.tlc;

import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.trace.Trace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Names the property that a counterexample of TLC's distributed server breaks. TLC 2.18's server
 * prints the behaviour that a worker found to break an invariant or an action property, but not
 * which one (the worker's message stays in the exception the server catches), and then ends as if
 * nothing were wrong. So the runner checks the behaviour's last step with single-process TLC: a
 * module that extends the spec and whose only behaviour is that step (from the state before it),
 * under the configuration's constants, invariants and properties. TLC then names what breaks.
 */
final class DistributedVerdict {
    static final String MODULE = "MkspecDistributedVerdict";
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private DistributedVerdict() {
    }

    /** {@code r} with the verdict and property single-process TLC gives the last step of its trace. */
    static TlcResult name(TlcRunner runner, TlcRequest request, TlcResult r, TlcListener listener) {
        Trace trace = r.trace().orElseThrow();
        Path spec = request.spec().toAbsolutePath().normalize();
        Path dir;
        try {
            dir = Files.createTempDirectory("mkspec-verdict-");
        } catch (IOException e) {
            return unnamed(r, "its files could not be written: " + e.getMessage());
        }
        try {
            CfgFile cfg = CfgParser.parse(request.effectiveConfig());
            write(dir, spec, cfg, trace);
            List<Path> library = new ArrayList<>();
            library.add(spec.getParent());
            library.addAll(request.libraryPaths());
            TlcRequest check = TlcRequest.of(dir.resolve(MODULE + ".tla")).withConfig(dir.resolve(MODULE + ".cfg"))
                    .withWorkers(1).withLibraryPaths(library).withTimeout(LIMIT).withQuickStart(true);
            listener.notice("TLC's distributed server printed a counterexample without naming what it breaks; "
                    + "checking its last step with single-process TLC");
            TlcResult n = runner.run(check, TlcListener.NONE);
            // TLC 2.18's server prints only the violating step, from the state before it, as if that
            // state were initial (a deadlock: only the state without successors). Single-process TLC
            // on the same configuration stops at its first violation, with the whole behaviour.
            TlcRequest whole = TlcRequest.of(request.spec()).withConfig(request.effectiveConfig())
                    .withLibraryPaths(request.libraryPaths());
            whole = request.timeout().map(whole::withTimeout).orElse(whole);
            whole = request.heap().map(whole::withHeap).orElse(whole);
            whole = request.checkDeadlock().map(whole::withCheckDeadlock).orElse(whole);
            listener.notice("the server's counterexample is its last step only; single-process TLC searches the same "
                    + "configuration for the whole behaviour" + request.timeout().map(t -> " (for at most "
                    + t.toSeconds() + " s)").orElse(" (no --timeout, so for as long as it takes)"));
            TlcResult f = runner.run(whole, TlcListener.NONE);
            boolean named = n.verdict().isSpecVerdict() && n.verdict() != TlcVerdict.SUCCESS;
            if (!named) {
                String step = n.verdict() == TlcVerdict.SUCCESS ? "nothing breaks on its last step"
                        : "mkspec could not check its last step alone (" + n.verdict().id() + ": "
                                + n.message().lines().findFirst().orElse("") + ")";
                if (f.verdict().isViolation() && f.trace().isPresent()) {
                    // A deadlock breaks nothing on the step itself; single-process TLC names it.
                    String message = f.message() + "\n(TLC's distributed server printed a behaviour without saying "
                            + "what is wrong, and " + step + "; single-process TLC on the same configuration says "
                            + "this, with the behaviour below.)";
                    return r.judged(f.verdict(), f.violated(), message, f.position(), f.trace(), r.warnings());
                }
                return unnamed(r, step + ", and single-process TLC on the whole configuration found nothing either ("
                        + f.summaryLine() + ")");
            }
            String what = n.verdict().id() + n.violated().map(v -> ": " + v).orElse("");
            Trace shown = new Trace(trace.tool(), trace.source(), what, trace.vars(), trace.steps(), trace.ending());
            String message = n.message() + "\n(TLC's distributed server printed a counterexample without naming "
                    + "what it breaks; mkspec named it by checking its last step with single-process TLC.";
            if (f.verdict() == n.verdict() && f.violated().equals(n.violated()) && f.trace().isPresent()) {
                shown = f.trace().get();
                message += " The server's behaviour was only that step; the one below, from an initial state, is "
                        + "single-process TLC's on the same configuration.)";
            } else {
                message += " The server's behaviour is only that step, from the state before it, and single-process "
                        + "TLC on the same configuration did not rebuild it: " + f.summaryLine() + ".)";
            }
            return r.judged(n.verdict(), n.violated(), message, n.position(), java.util.Optional.of(shown),
                    r.warnings());
        } catch (dev.mkspec.specs.MkspecException e) {
            return unnamed(r, e.getMessage());
        } finally {
            try {
                TlcRunner.deleteTree(dir);
            } catch (IOException | java.io.UncheckedIOException e) {
                // A temporary folder; best effort.
            }
        }
    }

    private static TlcResult unnamed(TlcResult r, String why) {
        String message = "TLC's distributed server printed a counterexample of " + r.trace().get().length()
                + " states but did not say what it breaks, and mkspec could not name it: " + why
                + ". The behaviour is below; run the configuration without --distributed to have TLC name it.";
        return r.judged(TlcVerdict.TOOL_FAILURE, r.violated(), message, r.position(), r.trace(), r.warnings());
    }

    /** The module whose one behaviour is the trace's last step, and its cfg. */
    private static void write(Path dir, Path spec, CfgFile cfg, Trace trace) {
        String root = spec.getFileName().toString().replaceFirst("\\.tla$", "");
        List<String> vars = trace.vars().isEmpty() ? new ArrayList<>(trace.steps().get(0).values().keySet())
                : trace.vars();
        Set<String> declared = TraceValidator.undeclaredModelValues(trace, cfg);
        int n = trace.length();
        Trace.Step before = trace.steps().get(Math.max(0, n - 2));
        Trace.Step last = trace.steps().get(n - 1);
        StringBuilder m = new StringBuilder();
        m.append("---- MODULE ").append(MODULE).append(" ----\n");
        m.append("(* Written by mkspec: the last step of a counterexample of TLC's distributed server. *)\n");
        // TLC for the function values (k :> v @@ ...) the trace is written in; as in TraceValidator.
        m.append("EXTENDS ").append(root).append(", TLC, Naturals, Sequences\n\n");
        if (!declared.isEmpty()) {
            m.append("CONSTANTS ").append(String.join(", ", declared)).append("\n\n");
        }
        m.append("MkspecInit ==\n");
        for (String v : vars) {
            m.append("  /\\ ").append(v).append(" = ").append(before.value(v).toTla()).append('\n');
        }
        m.append("\nMkspecNext ==\n");
        if (n == 1) {
            // The initial state itself breaks an invariant: no step (TLC refuses a constant FALSE).
            m.append("  FALSE /\\ ").append(vars.get(0)).append("' = ").append(vars.get(0)).append('\n');
        } else {
            for (String v : vars) {
                m.append("  /\\ ").append(v).append("' = ").append(last.value(v).toTla()).append('\n');
            }
        }
        m.append("====\n");
        StringBuilder c = new StringBuilder(TraceValidator.constants(cfg, declared));
        c.append("INIT MkspecInit\nNEXT MkspecNext\n");
        cfg.invariants().forEach(i -> c.append("INVARIANT ").append(i).append('\n'));
        cfg.properties().forEach(p -> c.append("PROPERTY ").append(p).append('\n'));
        c.append("CHECK_DEADLOCK FALSE\n");
        try {
            Files.writeString(dir.resolve(MODULE + ".tla"), m, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(MODULE + ".cfg"), c, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw dev.mkspec.specs.Problem.IO_ERROR.exception(e, dir + ": cannot write the module: " + e.getMessage());
        }
    }
}
