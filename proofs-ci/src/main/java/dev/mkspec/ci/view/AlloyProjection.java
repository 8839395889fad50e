package dev.mkspec.ci.view;

import dev.mkspec.specs.tla.TlaValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An Alloy instance of a model with an explicit {@code State} signature (relations such as
 * {@code owner: State -> Entry -> Domain}), projected over {@code State} as the Alloy Visualizer
 * does: one frame per {@code State} atom, in which each relation whose first column is a state
 * keeps that state's tuples without the column. Relations of other signatures appear in every
 * frame. Models written with Alloy 6's {@code var} need none of this: each step is a frame of its
 * own.
 */
public final class AlloyProjection {
    private AlloyProjection() {
    }

    /**
     * The frames, by {@code State} atom in order, or empty if the instance has no {@code State}
     * signature with atoms, or no relation over it.
     */
    public static Optional<Map<String, Map<String, TlaValue>>> overState(Map<String, TlaValue> values) {
        if (!(values.get("State") instanceof TlaValue.SetValue states) || states.elements().isEmpty()) {
            return Optional.empty();
        }
        Set<TlaValue> atoms = new java.util.HashSet<>(states.elements());
        List<String> overState = new ArrayList<>();
        for (Map.Entry<String, TlaValue> e : values.entrySet()) {
            if (!e.getKey().equals("State") && e.getValue() instanceof TlaValue.SetValue s && !s.elements().isEmpty()
                    && s.elements().stream().allMatch(t -> t instanceof TlaValue.Tuple tup && tup.elements().size() >= 2
                            && atoms.contains(tup.elements().get(0)))) {
                overState.add(e.getKey());
            }
        }
        if (overState.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Map<String, TlaValue>> frames = new LinkedHashMap<>();
        for (TlaValue state : new TreeSet<>(states.elements())) {
            Map<String, TlaValue> frame = new LinkedHashMap<>();
            for (Map.Entry<String, TlaValue> e : values.entrySet()) {
                if (e.getKey().equals("State") || isStateAtom(e.getValue(), atoms)) {
                    continue;
                }
                if (!overState.contains(e.getKey())) {
                    frame.put(e.getKey(), e.getValue());
                    continue;
                }
                List<TlaValue> kept = new ArrayList<>();
                for (TlaValue t : ((TlaValue.SetValue) e.getValue()).elements()) {
                    List<TlaValue> cols = ((TlaValue.Tuple) t).elements();
                    if (cols.get(0).equals(state)) {
                        kept.add(cols.size() == 2 ? cols.get(1) : new TlaValue.Tuple(cols.subList(1, cols.size())));
                    }
                }
                frame.put(e.getKey(), TlaValue.SetValue.of(kept));
            }
            frames.put(name(state), frame);
        }
        return Optional.of(frames);
    }

    /** A Skolem constant or a set of states: drawn as the frames' captions, not as atoms. */
    private static boolean isStateAtom(TlaValue v, Set<TlaValue> atoms) {
        return v instanceof TlaValue.SetValue s && !s.elements().isEmpty() && atoms.containsAll(s.elements());
    }

    private static String name(TlaValue v) {
        return v instanceof TlaValue.Str s ? s.value() : v instanceof TlaValue.ModelValue m ? m.name() : v.toTla();
    }

    /** The names of the Skolem constants (and other sets of states) that hold {@code state}, for a frame's caption. */
    public static List<String> namesOf(Map<String, TlaValue> values, String state) {
        List<String> out = new ArrayList<>();
        if (!(values.get("State") instanceof TlaValue.SetValue states)) {
            return out;
        }
        Set<TlaValue> atoms = new java.util.HashSet<>(states.elements());
        for (Map.Entry<String, TlaValue> e : values.entrySet()) {
            if (!e.getKey().equals("State") && isStateAtom(e.getValue(), atoms)
                    && ((TlaValue.SetValue) e.getValue()).elements().stream().anyMatch(x -> name(x).equals(state))) {
                out.add(e.getKey());
            }
        }
        return out;
    }
}
