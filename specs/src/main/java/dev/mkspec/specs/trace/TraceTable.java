package dev.mkspec.specs.trace;

import dev.mkspec.specs.tla.TlaValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a {@link Trace} as a text table with one row per step: the step number, the action,
 * and only what changed. The first state lists every variable.
 *
 * <p>Changes inside functions and records are shown at the key that changed
 * ({@code pt[s1][v2] = f3}, {@code rec.frame = 4}), so that a step that touches one entry of a
 * large map reads as one line. A set that grew or shrank shows its new value with the elements
 * added and removed.
 */
public final class TraceTable {
    private TraceTable() {
    }

    /** The table, with a heading line that names the verdict, tool and source. */
    public static String render(Trace trace) {
        List<String[]> rows = new ArrayList<>();
        Trace.Step previous = null;
        for (Trace.Step step : trace.steps()) {
            List<String> changes = new ArrayList<>();
            for (String var : orderedVars(trace, step)) {
                TlaValue now = step.values().get(var);
                if (now == null) {
                    continue;
                }
                TlaValue before = previous == null ? null : previous.values().get(var);
                if (before == null) {
                    changes.add(var + " = " + now.toTla());
                } else if (!before.equals(now)) {
                    diff(var, before, now, changes);
                }
            }
            if (changes.isEmpty()) {
                changes.add("(no variable changed)");
            }
            String action = step.action().isEmpty() ? "step" : step.action();
            for (int i = 0; i < changes.size(); i++) {
                rows.add(new String[] {i == 0 ? Integer.toString(step.index()) : "", i == 0 ? action : "",
                    changes.get(i)});
            }
            previous = step;
        }
        if (trace.ending() instanceof Trace.Ending.Loop loop) {
            String via = loop.action() == null || loop.action().isEmpty() ? "" : " by " + loop.action();
            rows.add(new String[] {"loop", "", "back to state " + loop.toIndex() + via + ", forever"});
        } else if (trace.ending() instanceof Trace.Ending.Stuttering) {
            rows.add(new String[] {"loop", "", "stutters in state " + (trace.length() - 1) + " forever"});
        }

        int w0 = "step".length();
        int w1 = "action".length();
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.min(48, Math.max(w1, r[1].length()));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(trace.verdict().isEmpty() ? "Trace" : trace.verdict())
                .append("  (").append(trace.tool()).append(", ").append(trace.source()).append(", ")
                .append(trace.length()).append(trace.length() == 1 ? " state)" : " states)").append('\n');
        sb.append(pad("step", w0)).append("  ").append(pad("action", w1)).append("  changes\n");
        sb.append("-".repeat(w0)).append("  ").append("-".repeat(w1)).append("  ").append("-".repeat(7)).append('\n');
        for (String[] r : rows) {
            sb.append(pad(r[0], w0)).append("  ").append(pad(r[1], w1)).append("  ").append(r[2]).append('\n');
        }
        return sb.toString();
    }

    private static List<String> orderedVars(Trace trace, Trace.Step step) {
        List<String> vars = new ArrayList<>(trace.vars());
        for (String v : step.values().keySet()) {
            if (!vars.contains(v)) {
                vars.add(v);
            }
        }
        return vars;
    }

    /** Lists the changes from {@code before} to {@code now} under the path {@code path}. */
    static void diff(String path, TlaValue before, TlaValue now, List<String> out) {
        if (before instanceof TlaValue.Fun a && now instanceof TlaValue.Fun b
                && a.entries().keySet().equals(b.entries().keySet())) {
            for (Map.Entry<TlaValue, TlaValue> e : b.entries().entrySet()) {
                TlaValue old = a.entries().get(e.getKey());
                if (!Objects.equals(old, e.getValue())) {
                    diff(path + "[" + e.getKey().toTla() + "]", old, e.getValue(), out);
                }
            }
            return;
        }
        if (before instanceof TlaValue.Record a && now instanceof TlaValue.Record b
                && a.fields().keySet().equals(b.fields().keySet())) {
            for (Map.Entry<String, TlaValue> e : b.fields().entrySet()) {
                TlaValue old = a.fields().get(e.getKey());
                if (!Objects.equals(old, e.getValue())) {
                    diff(path + "." + e.getKey(), old, e.getValue(), out);
                }
            }
            return;
        }
        if (before instanceof TlaValue.Seq a && now instanceof TlaValue.Seq b
                && a.elements().size() == b.elements().size() && a.elements().size() > 1) {
            for (int i = 0; i < b.elements().size(); i++) {
                if (!a.elements().get(i).equals(b.elements().get(i))) {
                    diff(path + "[" + (i + 1) + "]", a.elements().get(i), b.elements().get(i), out);
                }
            }
            return;
        }
        if (before instanceof TlaValue.SetValue a && now instanceof TlaValue.SetValue b) {
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (TlaValue e : b.elements()) {
                if (!a.contains(e)) {
                    added.add(e.toTla());
                }
            }
            for (TlaValue e : a.elements()) {
                if (!b.contains(e)) {
                    removed.add(e.toTla());
                }
            }
            StringBuilder note = new StringBuilder();
            if (!added.isEmpty()) {
                note.append("added ").append(String.join(", ", added));
            }
            if (!removed.isEmpty()) {
                note.append(note.length() > 0 ? "; " : "").append("removed ").append(String.join(", ", removed));
            }
            out.add(path + " = " + now.toTla() + "   (" + note + ")");
            return;
        }
        out.add(path + " = " + now.toTla());
    }

    private static String pad(String s, int width) {
        if (s.length() >= width) {
            return s;
        }
        return s + " ".repeat(width - s.length());
    }
}
