package dev.mkspec.specs.alloy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.Fixtures;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompanionsTests {
    private final AlloyRunner runner = new AlloyRunner();

    private static AlloyCommandInfo named(List<AlloyCommandInfo> commands, String name) {
        return commands.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void witnessOfMarkersAreReadOnTheCommandAndInTheCommentsDirectlyAboveIt() {
        List<String> lines = List.of(
                "check A { } for 3 // expect: unsat",
                "// a run that witnesses two checks",
                "// witness-of: A,",
                "-- witness-of: B C",
                "run W { some X } for 3 // expect: sat",
                "",
                "run V { } for 3 // expect: sat -- witness-of: A",
                "// witness-of: A",
                "",
                "run U { } for 3",
                "run T { } for 3 -- witness-of: A; a note (not names)");
        assertEquals(List.of("A", "B", "C"), Companions.markers(lines, 5, 5));
        assertEquals(List.of("A"), Companions.markers(lines, 7, 7), "the expect: comment ends no list before it");
        assertEquals(List.of(), Companions.markers(lines, 10, 10), "a blank line ends the comment block");
        assertEquals(List.of("A"), Companions.markers(lines, 11, 11), "a ; ends the list");
    }

    @Test
    void eachCheckIsPairedWithTheRunsThatNameItAtItsScope() {
        List<AlloyCommandInfo> commands = runner.parse(Fixtures.fixture("alloy/vacuity.als")).commands();
        Companions c = Companions.of(commands);
        assertEquals(List.of("SomeFrameOwned"), c.of("OwnerIsUnique").stream().map(AlloyCommandInfo::name).toList());
        assertEquals(List.of("OwnedFreeFrame"),
                c.of("OwnedFreeFrameIsShared").stream().map(AlloyCommandInfo::name).toList());
        assertTrue(c.of("NoCompanion").isEmpty());
        assertTrue(c.of("OtherScope").isEmpty(), "a companion must have its check's scope");
        assertEquals(2, c.problems().size(), c.problems().toString());
        assertTrue(c.problemsOf("SomeFrameOwned").get(0).contains("no check Nowhere"), c.problems().toString());
        assertTrue(c.problemsOf("OtherScopeWitness").get(0).contains("its check's scope"), c.problems().toString());
    }

    @Test
    void aBugVariantExpectedSatNeedsNoCompanionButEveryOtherCheckDoes() {
        List<AlloyCommandInfo> commands = runner.parse(Fixtures.fixture("alloy/vacuity.als")).commands();
        assertFalse(Companions.needsCompanion(named(commands, "AllOwned")));
        assertTrue(Companions.needsCompanion(named(commands, "NoCompanion")));
        assertFalse(Companions.needsCompanion(named(commands, "SomeFrameOwned")), "a run is no check");
    }

    @Test
    void scopesCompareWithoutTheOrderOfTheirButListOrAnExpect() {
        AlloyCommandInfo a = new AlloyCommandInfo(0, "A", true, 1, "Check A for 5 but 7 Node, 2 State expect 0",
                Optional.empty());
        AlloyCommandInfo b = new AlloyCommandInfo(1, "B", false, 2, "Run B for 5 but 2 State, 7 Node",
                Optional.empty());
        assertEquals(Companions.scope(a), Companions.scope(b));
        assertEquals("for 5 but 2 State, 7 Node", Companions.scope(b));
    }

    @Test
    void theMarkersTravelFromTheChildJvm() {
        AlloyFileResult r = new AlloyProcessRunner(Optional.empty(), Optional.empty()).run(
                Fixtures.fixture("alloy/vacuity.als"), List.of("OwnerIsUnique", "SomeFrameOwned"), AlloyListener.NONE);
        assertEquals(List.of("OwnerIsUnique", "SomeFrameOwned"),
                r.commands().stream().map(c -> c.command().name()).toList(), "several commands by name");
        assertEquals(List.of("OwnerIsUnique", "Nowhere"), r.commands().get(1).command().witnessOf());
        assertEquals(AlloyOutcome.SAT, r.commands().get(1).outcome());
    }
}
