package dev.mkspec.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * What every model that names its guards must satisfy, state by state: the successor relation
 * reports an action (name and arguments) exactly when {@link StateMachine#guards} gives its guards
 * and they all hold; when it does not, the guards stop at the first false one, the last; and every
 * action reported is an instance of one of the model's {@link ActionSchema}s.
 */
public final class GuardChecks {
    private GuardChecks() {
    }

    /**
     * The states reachable from the initial ones, breadth first (not expanding those outside the
     * model's bounds): all of them if there are at most {@code sample}, else {@code sample} of
     * them drawn with a fixed seed. At most {@code cap} states are visited, for models whose
     * reachable states are unbounded (a bug variant).
     */
    public static <S> List<S> reachable(StateMachine<S> model, int sample, int cap) {
        Set<S> seen = new HashSet<>(model.initialStates());
        ArrayDeque<S> queue = new ArrayDeque<>(model.initialStates());
        List<S> out = new ArrayList<>();
        while (!queue.isEmpty() && out.size() < cap) {
            S s = queue.poll();
            out.add(s);
            if (model.withinBounds(s)) {
                model.successors(s, (a, next) -> {
                    if (seen.add(next)) {
                        queue.add(next);
                    }
                });
            }
        }
        if (out.size() > sample) {
            Collections.shuffle(out, new Random(20240607L));
            return List.copyOf(out.subList(0, sample));
        }
        return out;
    }

    /**
     * Checks the guards of every instance of every schema in each of {@code states}, and returns
     * the names of the actions the model reported in them.
     */
    public static <S> Set<String> guardsAgreeWithSuccessors(StateMachine<S> model, List<S> states, String bounds) {
        List<ActionSchema> schemas = model.actionSchemas();
        assertFalse(schemas.isEmpty(), model.name() + " names no action schemas");
        Map<String, ActionSchema> byName = new java.util.HashMap<>();
        for (ActionSchema schema : schemas) {
            assertTrue(byName.put(schema.name(), schema) == null, "two schemas named " + schema.name());
        }
        List<List<Action>> instances = schemas.stream().map(ActionSchema::instances).toList();
        Set<String> reported = new HashSet<>();
        for (S s : states) {
            Set<Action> enabled = model.enabled(s);
            for (Action a : enabled) {
                reported.add(a.name());
                ActionSchema schema = byName.get(a.name());
                if (schema == null) {
                    fail(bounds + ": " + model.name() + " reports " + a + ", which no schema names, in " + model.render(s));
                }
                schema.positions(a);   // throws if an argument is outside its domain
            }
            for (List<Action> actions : instances) {
                for (Action a : actions) {
                    Optional<List<Guard>> guards = model.guards(s, a);
                    if (guards.isEmpty()) {
                        fail(bounds + ": " + model.name() + " names no guards for " + a);
                    }
                    List<Guard> gs = guards.get();
                    boolean allHold = gs.stream().allMatch(Guard::holds);
                    if (allHold != enabled.contains(a)) {
                        fail(bounds + ": " + a + (allHold ? " is not enabled, yet its guards " : " is enabled, yet its guards ")
                                + gs + " say otherwise, in " + model.render(s));
                    }
                    for (int i = 0; i < gs.size() - 1; i++) {
                        if (!gs.get(i).holds()) {
                            fail(bounds + ": the guards of " + a + " go on after the false one: " + gs);
                        }
                    }
                }
            }
        }
        return reported;
    }

    /** The names of the model's schemas. */
    public static Set<String> schemaNames(StateMachine<?> model) {
        Set<String> out = new java.util.TreeSet<>();
        model.actionSchemas().forEach(s -> out.add(s.name()));
        return out;
    }

    /** Asserts that the actions reported over all the bounds are exactly those the schemas name. */
    public static void reportsEverySchema(StateMachine<?> model, Set<String> reported) {
        assertEquals(schemaNames(model), new java.util.TreeSet<>(reported), "the schemas' names and the actions "
                + model.name() + " reports at the bounds");
    }
}
