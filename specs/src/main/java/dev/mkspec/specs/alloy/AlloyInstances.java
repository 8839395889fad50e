package dev.mkspec.specs.alloy;

import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.trace.Trace;
import edu.mit.csail.sdg.alloy4.Err;
import edu.mit.csail.sdg.ast.ExprVar;
import edu.mit.csail.sdg.ast.Sig;
import edu.mit.csail.sdg.translator.A4Solution;
import edu.mit.csail.sdg.translator.A4Tuple;
import edu.mit.csail.sdg.translator.A4TupleSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns an Alloy solution into a {@link Trace}: one state per step of an Alloy 6 temporal
 * instance (one state for a static one), with every signature as a set of atoms, every field as a
 * set of tuples, and every Skolem constant (the witnesses Alloy names {@code $cmd_x}) as what it
 * denotes. Integer atoms become integers; other atoms become model values such as {@code Node$0}.
 */
final class AlloyInstances {
    private AlloyInstances() {
    }

    static Trace toTrace(A4Solution solution, String source, String verdict) {
        List<Sig> sigs = new ArrayList<>();
        for (Sig s : solution.getAllReachableSigs()) {
            if (!s.builtin) {
                sigs.add(s);
            }
        }
        Map<String, Integer> fieldNameCount = new HashMap<>();
        for (Sig s : sigs) {
            for (Sig.Field f : s.getFields()) {
                fieldNameCount.merge(f.label, 1, Integer::sum);
            }
        }
        // Alloy reports every solution as temporal; a model without var sigs or fields is static,
        // and its instance is one state.
        boolean dynamic = false;
        for (Sig s : sigs) {
            dynamic |= s.isVariable != null;
            for (Sig.Field f : s.getFields()) {
                dynamic |= f.isVariable != null;
            }
        }
        int length = dynamic ? Math.max(1, solution.getTraceLength()) : 1;
        Trace.Builder b = Trace.builder("Alloy " + AlloyRunner.alloyVersion(), source, verdict);
        // The variables are those every state has: a Skolem constant left out of one state is not
        // one, as ITF requires each state to hold every variable it lists.
        Set<String> vars = null;
        for (int state = 0; state < length; state++) {
            Map<String, TlaValue> values = new LinkedHashMap<>();
            for (Sig s : sigs) {
                values.put(name(s), relation(solution.eval(s, state), true));
                for (Sig.Field f : s.getFields()) {
                    String fname = fieldNameCount.get(f.label) > 1 ? name(s) + "." + f.label : f.label;
                    values.put(fname, relation(solution.eval(f, state), false));
                }
            }
            for (ExprVar skolem : solution.getAllSkolems()) {
                try {
                    Object v = solution.eval(skolem, state);
                    if (v instanceof A4TupleSet ts) {
                        values.put(skolem.label, relation(ts, ts.arity() == 1));
                    } else if (v instanceof Integer i) {
                        values.put(skolem.label, TlaValue.integer(i));
                    } else if (v instanceof Boolean bool) {
                        values.put(skolem.label, TlaValue.bool(bool));
                    }
                } catch (Err e) {
                    // A Skolem constant Alloy cannot evaluate in this state is left out.
                }
            }
            b.step(state == 0 ? "Init" : "", Optional.empty(), values);
            if (vars == null) {
                vars = new LinkedHashSet<>(values.keySet());
            } else {
                vars.retainAll(values.keySet());
            }
        }
        b.vars(List.copyOf(vars));
        if (dynamic && solution.getLoopState() >= 0 && solution.getLoopState() < length) {
            b.ending(new Trace.Ending.Loop(solution.getLoopState(), ""));
        }
        return b.build();
    }

    private static String name(Sig s) {
        return s.label.startsWith("this/") ? s.label.substring(5) : s.label;
    }

    /** A relation as a set: of atoms if unary and {@code flatten}, else of tuples. */
    private static TlaValue relation(A4TupleSet set, boolean flatten) {
        List<TlaValue> out = new ArrayList<>();
        for (A4Tuple t : set) {
            if (flatten && t.arity() == 1) {
                out.add(atom(t, 0));
            } else {
                List<TlaValue> elems = new ArrayList<>(t.arity());
                for (int i = 0; i < t.arity(); i++) {
                    elems.add(atom(t, i));
                }
                out.add(new TlaValue.Tuple(elems));
            }
        }
        return TlaValue.SetValue.of(out);
    }

    private static TlaValue atom(A4Tuple t, int i) {
        String a = t.atom(i);
        if (t.sig(i) == Sig.STRING && a.length() >= 2 && a.startsWith("\"") && a.endsWith("\"")) {
            return new TlaValue.Str(a.substring(1, a.length() - 1));
        }
        if (t.sig(i) == Sig.SIGINT || a.matches("-?\\d+")) {
            try {
                return new TlaValue.Int(new BigInteger(a));
            } catch (NumberFormatException e) {
                return new TlaValue.ModelValue(a);
            }
        }
        return new TlaValue.ModelValue(a);
    }
}
