package dev.mkspec.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Random simulation: reproducible from its seed, and finding what exhaustive search finds. */
class SimulatorTests {

    @Test
    void aSeedGivesTheSameWalksEveryTime() {
        StateMachine<List<Integer>> m = Systems.counters(4, 5, List.of());
        Simulator.Simulation<List<Integer>> a = Simulator.simulate(m, 30, 200, 42, false, Optional.empty());
        Simulator.Simulation<List<Integer>> b = Simulator.simulate(m, 30, 200, 42, false, Optional.empty());
        assertEquals(ExplorerVerdict.SUCCESS, a.result().verdict());
        assertEquals(200, a.traces());
        assertEquals(a.result().distinctStates(), b.result().distinctStates());
        assertEquals(a.result().generatedStates(), b.result().generatedStates());
        assertTrue(a.result().distinctStates() <= 625);
    }

    @Test
    void aViolationComesWithTheWalkThatReachedIt() {
        // Four litres in the big jug: random walks of 30 steps find it, and the walk ends in it.
        StateMachine<int[]> m = Systems.jugs(s -> s[0] != 4);
        Simulator.Simulation<int[]> sim = Simulator.simulate(m, 30, 10_000, 1, false, Optional.empty());
        ExplorationResult<int[]> r = sim.result();
        assertEquals(ExplorerVerdict.INVARIANT_VIOLATED, r.verdict());
        Counterexample<int[]> trace = r.counterexample().orElseThrow();
        assertEquals(4, trace.last()[0]);
        assertTrue(trace.length() >= 7, "no walk is shorter than the shortest counterexample, 7 states");
    }

    @Test
    void aStateWithoutSuccessorsIsADeadlockWhenChecked() {
        StateMachine<List<Integer>> m = Systems.counters(2, 3, List.of());
        assertEquals(ExplorerVerdict.DEADLOCK, Simulator.simulate(m, 10, 5, 0, true, Optional.empty()).result().verdict());
        assertEquals(ExplorerVerdict.SUCCESS, Simulator.simulate(m, 10, 5, 0, false, Optional.empty()).result().verdict());
    }
}
