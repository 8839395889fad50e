package dev.mkspec.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.Action;
import dev.mkspec.check.ActionProperty;
import dev.mkspec.check.ExplorationResult;
import dev.mkspec.check.Explorer;
import dev.mkspec.check.ExplorerOptions;
import dev.mkspec.check.StateMachine;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.trace.ItfReader;
import dev.mkspec.specs.trace.Trace;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Counterexamples TLC found in the bug variants, frozen as ITF, replayed step by step in the Java
 * model: the buggy model takes the same steps and breaks the same property; the real model does
 * not take the buggy step.
 */
class TraceReplayTests {
    private static final Path AREA = AddressSpacesConformanceTests.AREA;

    private static Trace frozen(String name) {
        try {
            return ItfReader.read(Path.of(TraceReplayTests.class.getResource("/traces/" + name).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StateMachine<AddressSpacesState> model(String cfgName) {
        CfgFile cfg = CfgParser.parse(AREA.resolve(cfgName));
        return new AddressSpacesBinding().configured(cfg);
    }

    /**
     * The action properties that the trace's last step breaks in the model. Like TLC, this looks
     * at every action that leads from the one state to the other: TLC labels a step with one
     * action, but the property is about the step, and in the variant "grant_copies" the buggy
     * grant leads to the very state a map would, so TLC's trace names SpaceMap.
     */
    private static List<String> brokenByLastStep(StateMachine<AddressSpacesState> m, TraceReplay.Result<AddressSpacesState> r) {
        AddressSpacesState from = r.states().get(r.states().size() - 2);
        AddressSpacesState to = r.states().get(r.states().size() - 1);
        return m.actionProperties().stream().filter(p -> brokenByAnyStep(m, p, from, to))
                .map(ActionProperty::name).toList();
    }

    private static boolean brokenByAnyStep(StateMachine<AddressSpacesState> m, ActionProperty<AddressSpacesState> p,
            AddressSpacesState from, AddressSpacesState to) {
        boolean[] broken = {false};
        m.successors(from, (Action a, AddressSpacesState next) -> broken[0] |= next.equals(to) && !p.holds().test(from, a, next));
        return broken[0];
    }

    @Test
    void tlcsCounterexampleToGrantMovesReplaysInTheBuggyModelAndBreaksTheSameProperty() {
        Trace t = frozen("tlc-bug_grant_copies.itf.json");
        StateMachine<AddressSpacesState> buggy = model("MCAddressSpaces_bug_grant_copies.cfg");
        TraceReplay.Result<AddressSpacesState> r = TraceReplay.replay(buggy, t);
        assertTrue(r.replayed(), r.message());
        assertEquals(List.of("GrantMoves"), brokenByLastStep(buggy, r));
    }

    @Test
    void tlcsCounterexampleToFlushRevokesDerivedReplaysInTheBuggyModel() {
        Trace t = frozen("tlc-bug_flush_shallow.itf.json");
        StateMachine<AddressSpacesState> buggy = model("MCAddressSpaces_bug_flush_shallow.cfg");
        TraceReplay.Result<AddressSpacesState> r = TraceReplay.replay(buggy, t);
        assertTrue(r.replayed(), r.message());
        assertEquals(List.of("FlushRevokesDerived"), brokenByLastStep(buggy, r));
    }

    @Test
    void tlcsCounterexampleToAuthorityEndsInAStateTheBuggyModelFindsBad() {
        Trace t = frozen("tlc-bug_sigma0_grant.itf.json");
        StateMachine<AddressSpacesState> buggy = model("MCAddressSpaces_bug_sigma0_grant.cfg");
        TraceReplay.Result<AddressSpacesState> r = TraceReplay.replay(buggy, t);
        assertTrue(r.replayed(), r.message());
        AddressSpacesState last = r.states().get(r.states().size() - 1);
        assertFalse(buggy.invariants().get(0).holds().test(last), "AuthorityFromSigma0 fails in the last state");
    }

    @Test
    void theRealModelRefusesTheBuggyStep() {
        // The same bounds as the bug variant, without the bug.
        Trace t = frozen("tlc-bug_grant_copies.itf.json");
        CfgFile cfg = CfgParser.parse(AREA.resolve("MCAddressSpaces_bug_grant_copies.cfg"));
        StateMachine<AddressSpacesState> real = new dev.mkspec.model.addressspaces.AddressSpacesModel(
                AddressSpacesBinding.constants(cfg).withBug(dev.mkspec.model.addressspaces.Bug.NONE));
        TraceReplay.Result<AddressSpacesState> r = TraceReplay.replay(real, t);
        assertTrue(r.replayed(), "the step is also a map, which the real model can take: " + r.message());
        assertEquals(List.of(), brokenByLastStep(real, r), "but no real step breaks GrantMoves there");
    }

    @Test
    void aTraceTheModelCannotTakeStopsAtTheFirstStepItCannot() {
        Trace t = frozen("tlc-bug_flush_shallow.itf.json");
        CfgFile cfg = CfgParser.parse(AREA.resolve("MCAddressSpaces_bug_flush_shallow.cfg"));
        StateMachine<AddressSpacesState> real = new dev.mkspec.model.addressspaces.AddressSpacesModel(
                AddressSpacesBinding.constants(cfg).withBug(dev.mkspec.model.addressspaces.Bug.NONE));
        TraceReplay.Result<AddressSpacesState> r = TraceReplay.replay(real, t);
        assertFalse(r.replayed());
        assertEquals(t.length() - 1, r.steps(), "every step replays but the shallow flush");
        assertTrue(r.message().contains("SpaceFlush"), r.message());
        // The shallow flush is a SpaceFlush the real model can take, to another state: the message
        // names the variables in which the real flush's state differs from the trace's.
        assertTrue(r.message().contains("no SpaceFlush step leads to the trace's state; the closest differs in the variable"),
                r.message());
    }

    @Test
    void aStepWhoseActionTheModelLacksNamesTheStepAndTheField() {
        Trace t = frozen("tlc-bug_flush_shallow.itf.json");
        List<Trace.Step> steps = new java.util.ArrayList<>(t.steps());
        Trace.Step one = steps.get(1);
        steps.set(1, new Trace.Step(1, "SpaceBogus", one.location(), one.values()));
        Trace bad = new Trace(t.tool(), t.source(), t.verdict(), t.vars(), steps, t.ending());
        TraceReplay.Result<AddressSpacesState> r = TraceReplay.replay(model("MCAddressSpaces_bug_flush_shallow.cfg"), bad);
        assertFalse(r.replayed());
        assertEquals(1, r.steps());
        assertTrue(r.message().startsWith("step 1 (SpaceBogus) is not a step of AddressSpaces from state 0: AddressSpaces has no action"
                + " named SpaceBogus (the field #meta.action); its actions are [SpaceMap, SpaceGrant"), r.message());
    }

    @Test
    void anExplorerCounterexampleReplaysInItsOwnModel() {
        StateMachine<AddressSpacesState> buggy = model("MCAddressSpaces_bug_delete_keeps_derived.cfg");
        ExplorationResult<AddressSpacesState> e = Explorer.explore(buggy, ExplorerOptions.defaults().withCheckDeadlock(false));
        Trace t = CounterexampleTraces.of(buggy, e).orElseThrow();
        assertTrue(TraceReplay.replay(buggy, t).replayed());
    }
}
