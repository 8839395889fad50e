package dev.mkspec.model.addressspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The corner cases that the spec's header states, one by one. */
class AddressSpacesModelTests {
    private final Ops ops = Ops.of(2, 4, 0);

    @Test
    void sigma0MapsEveryFrameToItselfWithEveryRight() {
        AddressSpacesState s = ops.init();
        for (int f = 0; f < 4; f++) {
            assertEquals(f, s.frame(ops.node(0, f)));
            assertEquals(7, s.rights(ops.node(0, f)));
        }
        assertTrue(ops.invariantsHold(s));
    }

    @Test
    void aMapIsDerivedFromItsSourceAndCannotWidenRights() {
        AddressSpacesState s = ops.map(ops.init(), 0, 2, 1, 0, "rw");
        assertTrue(s.hasEdge(ops.node(1, 0), ops.node(0, 2)));
        assertEquals(2, s.frame(ops.node(1, 0)));
        assertNull(ops.map(s, 1, 0, 2, 0, "rwx"), "rights beyond the source's are refused");
        assertNotNull(ops.map(s, 1, 0, 2, 0, "r"));
    }

    @Test
    void mappingAPageOntoItselfIsRefused() {
        AddressSpacesState s = ops.map(ops.init(), 0, 1, 1, 1, "rw");
        assertNull(ops.map(s, 1, 1, 1, 1, "r"), "the implicit flush would remove the source");
        assertNull(ops.grant(s, 1, 1, 1, 1, "r"));
    }

    @Test
    void mappingOntoAPageTheSourceWasDerivedFromIsRefused() {
        AddressSpacesState s = ops.map(ops.init(), 0, 1, 1, 1, "rw");
        s = ops.map(s, 1, 1, 2, 0, "rw");
        assertNull(ops.map(s, 2, 0, 1, 1, "r"), "s1/1 is the source's parent: flushing it would remove the source");
        assertNotNull(ops.map(s, 2, 0, 1, 3, "r"), "an unrelated page of the same space is fine");
    }

    @Test
    void mappingWithinOneSpaceDerivesThePageFromItsNeighbour() {
        AddressSpacesState s = ops.map(ops.init(), 0, 1, 1, 0, "rw");
        s = ops.map(s, 1, 0, 1, 3, "r");
        assertTrue(s.hasEdge(ops.node(1, 3), ops.node(1, 0)));
        assertEquals(1, s.frame(ops.node(1, 3)));
        assertTrue(ops.invariantsHold(s));
    }

    @Test
    void mappingOverAnOccupiedPageFlushesItAndEverythingDerivedFirst() {
        AddressSpacesState s = ops.map(ops.init(), 0, 1, 1, 0, "rw");
        s = ops.map(s, 1, 0, 2, 0, "rw");
        s = ops.map(s, 0, 3, 1, 0, "r");
        assertEquals(3, s.frame(ops.node(1, 0)));
        assertFalse(s.mapped(ops.node(2, 0)), "what was derived from the old mapping is gone");
        assertTrue(ops.invariantsHold(s));
    }

    @Test
    void grantMovesTheNodeWithItsChildrenAndNarrowsThem() {
        AddressSpacesState s = ops.map(ops.init(), 0, 1, 1, 0, "rwx");
        s = ops.map(s, 1, 0, 2, 2, "rw");
        s = ops.grant(s, 1, 0, 2, 0, "r");
        assertFalse(s.mapped(ops.node(1, 0)), "the granter loses the page");
        assertEquals(1, s.rights(ops.node(2, 0)));
        assertTrue(s.hasEdge(ops.node(2, 2), ops.node(2, 0)), "the child follows the node");
        assertEquals(1, s.rights(ops.node(2, 2)), "the child keeps only rights within r");
        assertTrue(s.hasEdge(ops.node(2, 0), ops.node(0, 1)), "the node keeps its parent");
        assertTrue(ops.invariantsHold(s));
    }

    @Test
    void sigma0NeitherGrantsNorReceivesNorLosesItsOwnMappings() {
        AddressSpacesState s = ops.init();
        assertNull(ops.grant(s, 0, 0, 1, 0, "r"));
        AddressSpacesState m = ops.map(s, 0, 0, 1, 0, "r");
        assertNull(ops.map(m, 1, 0, 0, 2, "r"));
        AddressSpacesState f = ops.flush(m, 0, 0, "rwx");
        assertEquals(7, f.rights(ops.node(0, 0)), "flush spares Sigma0's own mapping");
        assertFalse(f.mapped(ops.node(1, 0)), "but revokes what was derived from it");
    }

    @Test
    void flushRevokesRightsRecursivelyAndUnmapSparesTheCaller() {
        AddressSpacesState s = ops.map(ops.init(), 0, 0, 1, 0, "rw");
        s = ops.map(s, 1, 0, 2, 0, "rw");
        AddressSpacesState flushed = ops.flush(s, 1, 0, "w");
        assertEquals(1, flushed.rights(ops.node(1, 0)));
        assertEquals(1, flushed.rights(ops.node(2, 0)), "the grandchild loses w too");
        AddressSpacesState unmapped = ops.unmap(s, 1, 0, "rw");
        assertEquals(3, unmapped.rights(ops.node(1, 0)), "unmap spares the caller's own mapping");
        assertFalse(unmapped.mapped(ops.node(2, 0)), "a mapping left without rights disappears");
    }

    @Test
    void deletingASpaceFlushesWhatWasDerivedFromItEverywhere() {
        AddressSpacesState s = ops.map(ops.init(), 0, 0, 1, 0, "rw");
        s = ops.map(s, 1, 0, 2, 0, "r");
        s = ops.map(s, 0, 3, 2, 3, "r");
        AddressSpacesState d = ops.delete(s, 1);
        assertFalse(d.isLive(1));
        assertFalse(d.mapped(ops.node(2, 0)));
        assertTrue(d.mapped(ops.node(2, 3)), "what s2 got from Sigma0 directly stays");
        assertTrue(ops.invariantsHold(d));
    }

    @Test
    void anFpageOfOrderTwoMapsItsMappedPagesAndSkipsTheOthers() {
        Ops big = Ops.of(1, 8, 2);
        AddressSpacesState s = big.init();
        s = big.map(s, 0, 4, 1, 0, "rw");
        for (int i = 0; i < 4; i++) {
            assertEquals(4 + i, s.frame(big.node(1, i)));
            assertTrue(s.hasEdge(big.node(1, i), big.node(0, 4 + i)));
        }
        s = big.unmap(s, 0, 4, "rw");
        for (int i = 0; i < 4; i++) {
            assertFalse(s.mapped(big.node(1, i)));
        }
        assertTrue(big.invariantsHold(s));
    }

    @Test
    void theRenderingIsTlaPlusAsTlcPrintsIt() {
        Ops one = Ops.of(1, 1, 0);
        AddressSpacesState s = one.map(one.init(), 0, 0, 1, 0, "r");
        var r = one.model.render(s);
        assertEquals("{Sigma0, s1}", r.get("live"));
        assertEquals("(Sigma0 :> (0 :> [frame |-> 0, rights |-> {\"r\", \"w\", \"x\"}]) @@ s1 :> "
                + "(0 :> [frame |-> 0, rights |-> {\"r\"}]))", r.get("mappings"));
        assertEquals("{<<<<s1, 0>>, <<Sigma0, 0>>>>}", r.get("mdb"));
    }

    /** A model whose next-state relation never tries a map by Sigma0 fails AS-14 in its first state. */
    @Test
    void aModelThatSkipsSigma0MapsFailsAvailability() {
        AddressSpacesConstants k = AddressSpacesConstants.of(java.util.List.of("s1"), 2, java.util.List.of("r", "w"), 0);
        for (Bug bug : java.util.List.of(Bug.NONE, Bug.NEXT_SKIPS_SIGMA0_MAP)) {
            AddressSpacesModel model = new AddressSpacesModel(k.withBug(bug));
            dev.mkspec.check.Invariant<AddressSpacesState> available = model.invariants().stream()
                    .filter(inv -> inv.id().equals("AS-14")).findFirst().orElseThrow();
            org.junit.jupiter.api.Assertions.assertEquals(bug == Bug.NONE,
                    available.holds().test(model.initialStates().get(0)), bug.toString());
        }
    }
}
