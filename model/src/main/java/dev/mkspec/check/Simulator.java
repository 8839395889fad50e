package dev.mkspec.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Random simulation: walks from a random initial state, taking a successor chosen uniformly at
 * each step, for bounds that exhaustive search cannot finish. Every invariant is checked in every
 * state a walk reaches, and every action property on every step it takes (not on the steps it
 * does not take). A walk ends at its depth, at a state with no successor (a deadlock, if checked)
 * or at the first violation, which ends the run; the counterexample is that walk's prefix up to
 * the violation. A walk moves only to successors within the model's bounds, but a state counts as
 * a deadlock only if it has no successor at all, as in the explorer and TLC. One thread and one
 * {@link Random} seeded once, so a seed gives the same walks, and the same verdict, every time.
 * The states seen are kept as fingerprints in memory, 8 bytes and a hash-set entry each.
 */
public final class Simulator {
    private Simulator() {
    }

    /**
     * What a simulation found: the verdict, counterexample and counts as an exploration gives them
     * (distinct: different states seen; generated: states visited; depth: the longest walk's
     * states), and the number of walks done.
     */
    public record Simulation<S>(ExplorationResult<S> result, long traces) {
        /** Walks per second. */
        public double tracesPerSecond() {
            double s = result.elapsed().toNanos() / 1e9;
            return s <= 0 ? 0 : traces / s;
        }
    }

    /**
     * Runs {@code traces} walks of at most {@code depth} steps each (a walk of depth N has N + 1
     * states), or until {@code timeout}. The result's distinct count is the number of different
     * states seen (by fingerprint), its generated count the number of states the walks visited.
     */
    public static <S> Simulation<S> simulate(StateMachine<S> model, int depth, long traces, long seed,
            boolean checkDeadlock, Optional<Duration> timeout) {
        if (depth < 1 || traces < 1) {
            throw new IllegalArgumentException("a simulation needs a depth and a number of traces of at least 1");
        }
        long start = System.nanoTime();
        long deadline = timeout.map(t -> start + t.toNanos()).orElse(Long.MAX_VALUE);
        Random random = new Random(seed);
        List<Invariant<S>> invariants = List.copyOf(model.invariants());
        List<ActionProperty<S>> properties = List.copyOf(model.actionProperties());
        Set<Long> seen = new HashSet<>();
        List<S> initial = model.initialStates().stream().filter(model::withinBounds).toList();
        long visited = 0;
        int deepest = 0;
        long walks = 0;
        if (initial.isEmpty()) {
            return result(model, ExplorerVerdict.SUCCESS, null, null, null, "the model has no initial state", 0, 0, 0,
                    start, 0);
        }
        for (; walks < traces; walks++) {
            if (System.nanoTime() - deadline > 0) {
                return result(model, ExplorerVerdict.TIMEOUT, null, null, null, String.format(
                        "stopped after the time limit, %,d of %,d traces done", walks, traces), seen.size(), visited,
                        deepest, start, walks);
            }
            List<Counterexample.Step<S>> walk = new ArrayList<>();
            S s = initial.get(random.nextInt(initial.size()));
            walk.add(new Counterexample.Step<>(Optional.empty(), s));
            for (int step = 0; ; step++) {
                if ((step & 63) == 63 && System.nanoTime() - deadline > 0) {
                    return result(model, ExplorerVerdict.TIMEOUT, null, null, null, String.format(
                            "stopped after the time limit, inside trace %,d of %,d", walks + 1, traces), seen.size(),
                            visited, deepest, start, walks);
                }
                visited++;
                deepest = Math.max(deepest, walk.size());
                Invariant<S> broken = null;
                try {
                    seen.add(model.fingerprint(s));
                    for (Invariant<S> inv : invariants) {
                        if (!inv.holds().test(s)) {
                            broken = inv;
                            break;
                        }
                    }
                } catch (RuntimeException e) {
                    return result(model, ExplorerVerdict.MODEL_ERROR, null, null, new Counterexample<>(walk),
                            "the model threw " + e + " on a state " + (walk.size() - 1) + " steps into trace " + (walks + 1),
                            seen.size(), visited, deepest, start, walks + 1);
                }
                if (broken != null) {
                    return result(model, ExplorerVerdict.INVARIANT_VIOLATED, broken, null, new Counterexample<>(walk),
                            "invariant " + broken.id() + " (" + broken.name() + ") is violated in a state " + (walk.size() - 1)
                                    + " steps into trace " + (walks + 1), seen.size(), visited, deepest, start, walks + 1);
                }
                if (step == depth) {
                    break;
                }
                List<Action> actions = new ArrayList<>();
                List<S> nexts = new ArrayList<>();
                int[] all = new int[1];
                final S from = s;
                try {
                    model.successors(from, (a, n) -> {
                        all[0]++;
                        if (model.withinBounds(n)) {
                            actions.add(a);
                            nexts.add(n);
                        }
                    });
                } catch (RuntimeException e) {
                    return result(model, ExplorerVerdict.MODEL_ERROR, null, null, new Counterexample<>(walk),
                            "the model threw " + e + " on a state " + (walk.size() - 1) + " steps into trace " + (walks + 1),
                            seen.size(), visited, deepest, start, walks + 1);
                }
                if (actions.isEmpty()) {
                    if (checkDeadlock && all[0] == 0) {
                        return result(model, ExplorerVerdict.DEADLOCK, null, null, new Counterexample<>(walk),
                                "a state " + (walk.size() - 1) + " steps into trace " + (walks + 1)
                                        + " has no successor (deadlock)", seen.size(), visited, deepest, start, walks + 1);
                    }
                    break;
                }
                int pick = random.nextInt(actions.size());
                Action a = actions.get(pick);
                S next = nexts.get(pick);
                walk.add(new Counterexample.Step<>(Optional.of(a), next));
                ActionProperty<S> brokenStep = null;
                try {
                    for (ActionProperty<S> p : properties) {
                        if (!p.holds().test(from, a, next)) {
                            brokenStep = p;
                            break;
                        }
                    }
                } catch (RuntimeException e) {
                    return result(model, ExplorerVerdict.MODEL_ERROR, null, null, new Counterexample<>(walk),
                            "the model threw " + e + " judging the step " + a + ", " + (walk.size() - 1)
                                    + " steps into trace " + (walks + 1), seen.size(), visited, deepest, start, walks + 1);
                }
                if (brokenStep != null) {
                    return result(model, ExplorerVerdict.ACTION_PROPERTY_VIOLATED, null, brokenStep, new Counterexample<>(walk),
                            "action property " + brokenStep.id() + " (" + brokenStep.name() + ") is violated by the step " + a
                                    + ", " + (walk.size() - 1) + " steps into trace " + (walks + 1), seen.size(), visited,
                            deepest, start, walks + 1);
                }
                s = next;
            }
        }
        return result(model, ExplorerVerdict.SUCCESS, null, null, null, String.format("%,d traces of at most %d steps; "
                + "every invariant and action property held on every state and step they took", walks, depth),
                seen.size(), visited, deepest, start, walks);
    }

    private static <S> Simulation<S> result(StateMachine<S> model, ExplorerVerdict verdict, Invariant<S> inv,
            ActionProperty<S> property, Counterexample<S> trace, String message, long distinct, long visited, int depth,
            long start, long walks) {
        return new Simulation<>(new ExplorationResult<>(model.name(), verdict, Optional.ofNullable(inv),
                Optional.ofNullable(property), Optional.ofNullable(trace), message, distinct, visited, depth,
                Duration.ofNanos(System.nanoTime() - start), 1, 0, 0, 0,
                ExplorationResult.FrontierUse.onHeap(model.codec().isPresent()),
                ExplorationResult.Phases.NONE), walks);
    }
}
