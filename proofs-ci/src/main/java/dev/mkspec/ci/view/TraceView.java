package dev.mkspec.ci.view;

import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.trace.Trace;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A trace as a step-through view: the list of steps (each with its action and arguments), and per
 * step the state's picture and its variables as a tree with what changed marked. The step where
 * the violated property first became false is marked, and a lasso's loop is marked at the state it
 * returns to. The page's script shows one step at a time and moves with the keyboard; without the
 * script every step is shown, one after the other.
 */
public final class TraceView {
    private TraceView() {
    }

    /**
     * What the report knows about the property a trace breaks.
     *
     * @param property the property's name (TLA+ operator, or the Alloy command)
     * @param catalogId its catalog ID, if it has one
     * @param firstFalse the state at which it first fails, if known
     * @param how how that was found, in a few words ("evaluated in the Java model Tlb at every state")
     * @param conjunct the named conjunct that fails there, if the property names its conjuncts
     * @param perState the property's value at each state, where evaluated (null entries: not evaluated)
     */
    public record Violation(String property, Optional<String> catalogId, OptionalInt firstFalse, String how,
            Optional<String> conjunct, List<Boolean> perState) {
        public Violation {
            perState = perState == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(perState));
        }
    }

    /**
     * The view.
     *
     * @param domId the element ID of the view ({@code trace-tlc_Tlb_bug_x})
     * @param title a heading, e.g. the check's ID
     * @param area the spec area, for the pictures; for an Alloy trace, anything starting {@code alloy:}
     * @param trace the trace
     * @param violation what is known of the property it breaks, if it breaks one
     * @param actions the model's action with arguments per state, where the model replayed it (may be shorter than the trace)
     */
    public static String html(String domId, String title, String area, Trace trace, Optional<Violation> violation,
            List<String> actions) {
        StringBuilder sb = new StringBuilder();
        OptionalInt loopTo = trace.ending() instanceof Trace.Ending.Loop l ? OptionalInt.of(l.toIndex()) : OptionalInt.empty();
        OptionalInt bad = violation.map(Violation::firstFalse).orElse(OptionalInt.empty());
        sb.append("<section class=\"trace\" id=\"").append(Html.escape(domId)).append("\" data-steps=\"").append(trace.length())
                .append("\" tabindex=\"0\">\n<h3>").append(Html.escape(title)).append("</h3>\n<p class=\"verdict\">")
                .append(Html.escape(trace.verdict().isEmpty() ? "trace" : trace.verdict())).append(" &middot; ")
                .append(Html.escape(trace.tool())).append(" &middot; ").append(trace.length())
                .append(trace.length() == 1 ? " state" : " states").append("</p>\n");
        violation.ifPresent(v -> {
            sb.append("<p class=\"violated\">Violated: <strong class=\"violated-property\">").append(Html.escape(v.property()))
                    .append("</strong>");
            v.catalogId().ifPresent(id -> sb.append(" (<a href=\"#").append(Html.escape(id)).append("\">")
                    .append(Html.escape(id)).append("</a>)"));
            if (v.firstFalse().isPresent()) {
                sb.append(", first false at <a class=\"goto\" data-step=\"").append(v.firstFalse().getAsInt()).append("\">state ")
                        .append(v.firstFalse().getAsInt()).append("</a>");
            }
            v.conjunct().ifPresent(c -> sb.append(", in the conjunct <code class=\"conjunct\">").append(Html.escape(c)).append("</code>"));
            sb.append(" <span class=\"how\">(").append(Html.escape(v.how())).append(")</span></p>\n");
        });
        sb.append("<p class=\"keys\">Keys: &rarr; or j next state, &larr; or k previous, Home first, End last; click a step.</p>\n");
        sb.append("<div class=\"trace-body\">\n<ol class=\"steps\" start=\"0\">\n");
        for (Trace.Step s : trace.steps()) {
            int i = s.index();
            String action = i < actions.size() && actions.get(i) != null ? actions.get(i) : s.action();
            sb.append("<li class=\"step-item").append(i == 0 ? " current" : "")
                    .append(bad.isPresent() && bad.getAsInt() == i ? " violation" : "")
                    .append(loopTo.isPresent() && loopTo.getAsInt() == i ? " loop-target" : "")
                    .append("\" data-step=\"").append(i).append("\"><span class=\"num\">").append(i).append("</span> <span class=\"action\">")
                    .append(Html.escape(action.isEmpty() ? "step" : action)).append("</span>");
            if (bad.isPresent() && bad.getAsInt() == i) {
                sb.append(" <span class=\"badge bad\">").append(Html.escape(violation.get().property())).append(" false</span>");
            }
            if (loopTo.isPresent() && loopTo.getAsInt() == i) {
                sb.append(" <span class=\"badge loop\">loop returns here</span>");
            }
            sb.append("</li>\n");
        }
        if (trace.ending() instanceof Trace.Ending.Loop l) {
            sb.append("<li class=\"ending\">&#8634; back to state ").append(l.toIndex())
                    .append(l.action() == null || l.action().isEmpty() ? "" : " by " + Html.escape(l.action())).append(", forever</li>\n");
        } else if (trace.ending() instanceof Trace.Ending.Stuttering) {
            sb.append("<li class=\"ending\">&#8634; stutters in state ").append(trace.length() - 1).append(" forever</li>\n");
        }
        sb.append("</ol>\n<div class=\"step-views\">\n");
        Map<String, TlaValue> before = null;
        for (Trace.Step s : trace.steps()) {
            int i = s.index();
            String action = i < actions.size() && actions.get(i) != null ? actions.get(i) : s.action();
            sb.append("<div class=\"step-view").append(i == 0 ? " current" : "").append("\" data-step=\"").append(i).append("\">\n<h4>State ")
                    .append(i).append(i == 0 ? " (initial)" : " after <code>" + Html.escape(action) + "</code>").append("</h4>\n");
            if (before != null) {
                List<String> changed = ValueTree.changedPaths(s.values(), before);
                sb.append("<p class=\"changes\">").append(changed.isEmpty() ? "no variable changed"
                        : "changed: <code>" + Html.escape(String.join(", ", changed)) + "</code>").append("</p>\n");
            }
            violation.ifPresent(v -> {
                if (i < v.perState().size() && v.perState().get(i) != null) {
                    sb.append("<p class=\"property-value ").append(v.perState().get(i) ? "holds" : "fails").append("\">")
                            .append(Html.escape(v.property())).append(" is ").append(v.perState().get(i) ? "TRUE" : "FALSE").append("</p>\n");
                }
            });
            if (area.startsWith("alloy:")) {
                alloyPictures(sb, s.values());
            } else {
                StatePictures.svg(area, s.values()).ifPresent(p -> sb.append("<div class=\"picture\">").append(p).append("</div>\n"));
            }
            sb.append(ValueTree.html(s.values(), before)).append("\n</div>\n");
            before = s.values();
        }
        sb.append("</div>\n</div>\n</section>\n");
        return sb.toString();
    }

    /** An Alloy instance as a graph; one frame per State atom when the model has an explicit State signature. */
    private static void alloyPictures(StringBuilder sb, Map<String, TlaValue> values) {
        Optional<Map<String, Map<String, TlaValue>>> frames = AlloyProjection.overState(values);
        if (frames.isEmpty()) {
            sb.append("<div class=\"picture\">").append(StatePictures.alloyGraph(values)).append("</div>\n");
            return;
        }
        sb.append("<div class=\"frames\">\n");
        frames.get().forEach((state, frame) -> {
            List<String> names = AlloyProjection.namesOf(values, state);
            sb.append("<figure class=\"picture frame\" data-state=\"").append(Html.escape(state)).append("\"><figcaption>projected over <code>")
                    .append(Html.escape(state)).append("</code>").append(names.isEmpty() ? "" : " (" + Html.escape(String.join(", ", names)) + ")")
                    .append("</figcaption>").append(StatePictures.alloyGraph(frame)).append("</figure>\n");
        });
        sb.append("</div>\n");
    }
}
