package dev.mkspec.model.addressspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mkspec.check.Action;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.ActionChain;

/**
 * Properties of the address-space model on random operation sequences, at bounds larger than
 * the model checkers reach: three user spaces, four pages, all three rights.
 */
class AddressSpacesProperties {
    static final Ops OPS = Ops.of(3, 4, 0);
    static final Ops FPAGES = Ops.of(2, 4, 1);

    /** A step: the action and the state it leads to, described as the action. */
    /** Chains of random enabled operations, action properties judged on each step ({@link dev.mkspec.check.Chains#randomSteps}). */
    static Arbitrary<ActionChain<AddressSpacesState>> chains(AddressSpacesModel model, int length) {
        return dev.mkspec.check.Chains.randomSteps(model, length);
    }

    static ActionChain<AddressSpacesState> withInvariants(AddressSpacesModel model, ActionChain<AddressSpacesState> chain) {
        return dev.mkspec.check.Chains.withInvariants(model, chain);
    }

    @Provide
    Arbitrary<ActionChain<AddressSpacesState>> operations() {
        return chains(OPS.model, 40);
    }

    @Provide
    Arbitrary<ActionChain<AddressSpacesState>> fpageOperations() {
        return chains(FPAGES.model, 30);
    }

    @Property(tries = 150)
    void everyInvariantAndActionPropertyHoldsAfterEveryStep(@ForAll("operations") ActionChain<AddressSpacesState> chain) {
        withInvariants(OPS.model, chain).run();
    }

    @Property(tries = 100)
    void theyHoldForFpagesOfTwoPagesToo(@ForAll("fpageOperations") ActionChain<AddressSpacesState> chain) {
        withInvariants(FPAGES.model, chain).run();
    }

    /** A state reached by a random chain. */
    @Provide
    Arbitrary<AddressSpacesState> states() {
        // The action properties are judged by everyInvariantAndActionPropertyHoldsAfterEveryStep;
        // judging them again on the way to each drawn state doubled these properties' time.
        return dev.mkspec.check.Chains.reachableStates(OPS.model, 25);
    }

    @Property(tries = 200)
    void flushIsIdempotent(@ForAll("states") AddressSpacesState s, @ForAll("spaces") int space,
            @ForAll("pages") int page, @ForAll("rights") int rights) {
        AddressSpacesState once = OPS.model.revoke(s, space, page, rights, true);
        Assume.that(once != null);
        AddressSpacesState twice = OPS.model.revoke(once, space, page, rights, true);
        assertEquals(once, twice == null ? once : twice);
    }

    /** A reached state, a mapped page (a, v) and an unmapped page (b, w) it can be granted to. */
    record GrantPair(AddressSpacesState state, int a, int v, int b, int w) {
    }

    /**
     * Pairs are drawn from the reached state itself rather than assumed, so that no seed can
     * exhaust the property on rejections (a state with no mapped user page is skipped).
     */
    @Provide
    Arbitrary<GrantPair> grantPairs() {
        return states().map(s -> {
            List<GrantPair> found = new ArrayList<>();
            for (int a = 1; a <= OPS.userSpaces; a++) {
                for (int v = 0; v < OPS.pages; v++) {
                    for (int b = 1; b <= OPS.userSpaces; b++) {
                        for (int w = 0; w < OPS.pages; w++) {
                            if (s.mapped(OPS.node(a, v)) && !s.mapped(OPS.node(b, w))
                                    && OPS.model.grant(s, a, v, b, w, s.rights(OPS.node(a, v))) != null) {
                                found.add(new GrantPair(s, a, v, b, w));
                            }
                        }
                    }
                }
            }
            return found;
        }).filter(l -> !l.isEmpty()).flatMap(Arbitraries::of);
    }

    @Property(tries = 200)
    void grantingAPageAwayAndBackRestoresTheOriginalAccess(@ForAll("grantPairs") GrantPair g) {
        AddressSpacesState s = g.state();
        int rights = s.rights(OPS.node(g.a(), g.v()));
        AddressSpacesState away = OPS.model.grant(s, g.a(), g.v(), g.b(), g.w(), rights);
        AddressSpacesState back = OPS.model.grant(away, g.b(), g.w(), g.a(), g.v(), rights);
        assertEquals(s, back);
    }

    /** A reached state, with a mapping that has exactly one derived mapping, itself underived. */
    record WithLeaf(AddressSpacesState state, int node, int leaf) {
    }

    @Provide
    Arbitrary<WithLeaf> statesWithALeaf() {
        return states().map(s -> {
            List<WithLeaf> found = new ArrayList<>();
            for (int n = 0; n < s.nodes(); n++) {
                List<Integer> children = new ArrayList<>();
                for (int c = 0; c < s.nodes(); c++) {
                    if (s.hasEdge(c, n)) {
                        children.add(c);
                    }
                }
                if (s.mapped(n) && children.size() == 1) {
                    int leaf = children.get(0);
                    boolean underived = true;
                    for (int c = 0; c < s.nodes(); c++) {
                        underived &= !s.hasEdge(c, leaf);
                    }
                    if (underived) {
                        found.add(new WithLeaf(s, n, leaf));
                    }
                }
            }
            return found;
        }).filter(l -> !l.isEmpty()).map(l -> l.get(0));
    }

    @Property(tries = 150)
    void unmapFollowedByMapRestoresTheDerivedStructure(@ForAll("statesWithALeaf") WithLeaf w) {
        AddressSpacesState s = w.state();
        int a = w.node() / OPS.pages;
        int v = w.node() % OPS.pages;
        AddressSpacesState unmapped = OPS.model.revoke(s, a, v, 7, false);
        AddressSpacesState remapped = OPS.model.map(unmapped, a, v, w.leaf() / OPS.pages, w.leaf() % OPS.pages,
                s.rights(w.leaf()));
        assertEquals(s, remapped);
    }

    @Property(tries = 200)
    void deletingASpaceNeverTouchesFramesNotDerivedFromIt(@ForAll("states") AddressSpacesState s,
            @ForAll("userSpaces") int victim) {
        Assume.that(s.isLive(victim));
        AddressSpacesState d = OPS.model.delete(s, victim);
        boolean[] fromVictim = new boolean[s.nodes()];
        for (int p = 0; p < OPS.pages; p++) {
            fromVictim[OPS.node(victim, p)] = true;
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (int c = 0; c < s.nodes(); c++) {
                for (int p = 0; p < s.nodes(); p++) {
                    if (!fromVictim[c] && fromVictim[p] && s.hasEdge(c, p)) {
                        fromVictim[c] = true;
                        grew = true;
                    }
                }
            }
        }
        for (int n = 0; n < s.nodes(); n++) {
            if (!fromVictim[n]) {
                assertEquals(s.map[n], d.map[n], "node " + n + " was not derived from the deleted space");
            }
        }
    }

    @Provide
    Arbitrary<Integer> spaces() {
        return Arbitraries.integers().between(0, 3);
    }

    @Provide
    Arbitrary<Integer> userSpaces() {
        return Arbitraries.integers().between(1, 3);
    }

    @Provide
    Arbitrary<Integer> pages() {
        return Arbitraries.integers().between(0, 3);
    }

    @Provide
    Arbitrary<Integer> rights() {
        return Arbitraries.integers().between(1, 7);
    }
}
