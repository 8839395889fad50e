package dev.mkspec.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.ExplorationResult;
import dev.mkspec.check.Explorer;
import dev.mkspec.check.ExplorerOptions;
import dev.mkspec.check.Invariant;
import dev.mkspec.check.StateMachine;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.trace.Trace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * {@link TraceEvaluation}: where a property first fails along a trace, when that is not the last
 * state, and which conjunct fails there.
 */
class TraceEvaluationTests {
    private static final Path AREA = Path.of("..", "specs", "tla", "AddressSpaces");

    private static StateMachine<AddressSpacesState> model(String cfg) {
        return new AddressSpacesBinding().configured(CfgParser.parse(AREA.resolve(cfg)));
    }

    @Test
    void aPropertyFalseBeforeTheLastStateIsFoundWhereItFirstFails() {
        StateMachine<AddressSpacesState> buggy = model("MCAddressSpaces_bug_grant_orphans.cfg");
        ExplorationResult<AddressSpacesState> e = Explorer.explore(buggy, ExplorerOptions.defaults().withCheckDeadlock(false));
        Trace t = CounterexampleTraces.of(buggy, e).orElseThrow();
        int bad = t.length() - 1;
        // Go on one step past the violation: the trace now ends in a later state.
        AddressSpacesState last = TraceReplay.replay(buggy, t).states().get(bad);
        List<Object[]> next = new ArrayList<>();
        buggy.successors(last, (a, s) -> next.add(new Object[] {a, s}));
        Trace.Builder b = Trace.builder(t.tool(), t.source(), t.verdict());
        t.steps().forEach(s -> b.step(s.action(), s.location(), s.values()));
        b.step(next.get(0)[0].toString(), Optional.empty(), ExplorerGraph.valuesOf(buggy, (AddressSpacesState) next.get(0)[1]));
        Trace longer = b.build();

        TraceEvaluation.Result r = TraceEvaluation.evaluate(buggy, longer, "the longer trace");
        assertTrue(r.replay().replayed(), r.replay().message());
        assertEquals(OptionalInt.of(bad), r.firstFalse("MdbIsForest"));
        assertEquals(longer.length(), r.invariants().size());
        for (int i = 0; i < bad; i++) {
            assertEquals(Boolean.TRUE, r.invariants().get(i).get("MdbIsForest"), "state " + i);
        }
        Invariant<AddressSpacesState> forest = buggy.invariants().stream().filter(i -> i.name().equals("MdbIsForest")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        AddressSpacesState at = (AddressSpacesState) r.replay().states().get(bad);
        assertEquals(Optional.of("\\A e \\in mdb : Mapped(Db, e[2])"), forest.failingConjunct(at));
        // Each step's action is the model's, with its arguments.
        assertEquals(next.get(0)[0].toString(), r.actions().get(bad + 1).orElseThrow().toString());
        assertFalse(r.actions().get(0).isPresent());
    }
}
