package dev.mkspec.ci.view;

import dev.mkspec.specs.tla.TlaValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One state's variables as an HTML tree: a variable, record or function opens into its keys, and
 * a value that differs from the state before is marked at the key that changed ({@code changed}),
 * with each enclosing key marked {@code has-change}, as the text table names {@code pt[s1][v2]}. A
 * set that grew or shrank lists the elements added and removed.
 *
 * <p>The report and the interactive explorer both show states with it, so a state reads the same
 * in both. Cost: linear in the size of the two values.
 */
public final class ValueTree {
    private ValueTree() {
    }

    /**
     * The tree of {@code now}; {@code before} (may be null, for an initial state) marks what
     * changed. Variables are in the map's order.
     */
    public static String html(Map<String, TlaValue> now, Map<String, TlaValue> before) {
        StringBuilder sb = new StringBuilder("<ul class=\"tree\">");
        for (Map.Entry<String, TlaValue> e : now.entrySet()) {
            TlaValue old = before == null ? null : before.get(e.getKey());
            node(sb, e.getKey(), "var", e.getValue(), old, before != null);
        }
        return sb.append("</ul>").toString();
    }

    /** The paths that changed, as the text table writes them ({@code pt[s1][v2]}); for tests and titles. */
    public static List<String> changedPaths(Map<String, TlaValue> now, Map<String, TlaValue> before) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, TlaValue> e : now.entrySet()) {
            TlaValue old = before.get(e.getKey());
            if (!Objects.equals(old, e.getValue())) {
                paths(e.getKey(), old, e.getValue(), out);
            }
        }
        return out;
    }

    private static void paths(String path, TlaValue before, TlaValue now, List<String> out) {
        if (before instanceof TlaValue.Fun a && now instanceof TlaValue.Fun b && a.entries().keySet().equals(b.entries().keySet())) {
            b.entries().forEach((k, v) -> {
                if (!v.equals(a.entries().get(k))) {
                    paths(path + "[" + k.toTla() + "]", a.entries().get(k), v, out);
                }
            });
        } else if (before instanceof TlaValue.Record a && now instanceof TlaValue.Record b
                && a.fields().keySet().equals(b.fields().keySet())) {
            b.fields().forEach((k, v) -> {
                if (!v.equals(a.fields().get(k))) {
                    paths(path + "." + k, a.fields().get(k), v, out);
                }
            });
        } else {
            out.add(path);
        }
    }

    private static void node(StringBuilder sb, String key, String keyClass, TlaValue now, TlaValue before, boolean compare) {
        boolean changed = compare && !Objects.equals(now, before);
        Map<String, TlaValue> children = children(now);
        Map<String, TlaValue> oldChildren = before == null ? null : children(before);
        boolean sameShape = children != null && oldChildren != null && children.keySet().equals(oldChildren.keySet());
        if (children != null && !children.isEmpty() && (!compare || !changed || sameShape)) {
            sb.append("<li class=\"branch").append(changed ? " has-change" : "").append("\"><details")
                    .append(changed || !compare ? " open" : "").append("><summary><span class=\"").append(keyClass).append("\">")
                    .append(Html.escape(key)).append("</span>").append(summary(now)).append("</summary><ul>");
            for (Map.Entry<String, TlaValue> c : children.entrySet()) {
                node(sb, c.getKey(), "key", c.getValue(), oldChildren == null ? null : oldChildren.get(c.getKey()), compare);
            }
            sb.append("</ul></details></li>");
            return;
        }
        sb.append("<li class=\"leaf").append(changed ? " changed" : "").append("\"><span class=\"").append(keyClass).append("\">")
                .append(Html.escape(key)).append("</span> = <code>").append(Html.escape(now.toTla())).append("</code>");
        if (changed && before != null) {
            sb.append(setChange(before, now)).append(" <span class=\"was\">was <code>").append(Html.escape(before.toTla()))
                    .append("</code></span>");
        }
        sb.append("</li>");
    }

    /** A function's or record's entries by their key as written ({@code [s1]}, {@code .frame}), else null. */
    private static Map<String, TlaValue> children(TlaValue v) {
        Map<String, TlaValue> out = new java.util.LinkedHashMap<>();
        if (v instanceof TlaValue.Fun f) {
            f.entries().forEach((k, x) -> out.put("[" + k.toTla() + "]", x));
            return out;
        }
        if (v instanceof TlaValue.Record r) {
            r.fields().forEach((k, x) -> out.put("." + k, x));
            return out;
        }
        return null;
    }

    private static String summary(TlaValue v) {
        String text = v.toTla();
        return text.length() <= 60 ? " <code class=\"inline\">" + Html.escape(text) + "</code>" : "";
    }

    private static String setChange(TlaValue before, TlaValue now) {
        if (!(before instanceof TlaValue.SetValue a) || !(now instanceof TlaValue.SetValue b)) {
            return "";
        }
        List<String> added = b.elements().stream().filter(e -> !a.contains(e)).map(TlaValue::toTla).toList();
        List<String> removed = a.elements().stream().filter(e -> !b.contains(e)).map(TlaValue::toTla).toList();
        StringBuilder s = new StringBuilder(" <span class=\"setchange\">");
        if (!added.isEmpty()) {
            s.append("added <code>").append(Html.escape(String.join(", ", added))).append("</code>");
        }
        if (!removed.isEmpty()) {
            s.append(added.isEmpty() ? "" : "; ").append("removed <code>").append(Html.escape(String.join(", ", removed)))
                    .append("</code>");
        }
        return s.append("</span>").toString();
    }
}
