package dev.mkspec.model.smallspaces;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.Chains;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.ActionChain;

/**
 * Properties of the small-space model on random steps, at bounds TLC does not reach: three CPUs,
 * three large spaces, three small spaces of one, two and three pages in neighbouring windows of a
 * four-page user half. Every invariant is checked after every step and every action property on
 * every step.
 */
class SmallSpacesProperties {

    static SmallSpacesConstants large(SmallSpacesBug bug) {
        return new SmallSpacesConstants(List.of("L1", "L2", "L3"), List.of("S1", "S2", "S3"), List.of("c1", "c2", "c3"),
                4, new int[] {4, 5, 7}, new int[] {1, 2, 3}, new int[] {0, 1, 2}, bug);
    }

    /** The bounds of the fast configuration, with two CPUs. */
    static SmallSpacesConstants small(SmallSpacesBug bug) {
        return new SmallSpacesConstants(List.of("L1", "L2"), List.of("S1", "S2"), List.of("c1", "c2"), 2,
                new int[] {2, 3}, new int[] {1, 1}, new int[] {0, 0}, bug);
    }

    static final SmallSpacesModel MODEL = new SmallSpacesModel(large(SmallSpacesBug.NONE));

    @Provide
    Arbitrary<ActionChain<SmallSpacesState>> operations() {
        return Chains.randomSteps(MODEL, 120);
    }

    @Property(tries = 100)
    void everySmallSpacesPropertyHoldsOnEveryStep(@ForAll("operations") ActionChain<SmallSpacesState> chain) {
        Chains.withInvariants(MODEL, chain).run();
    }

    /**
     * The large bounds reach two CPUs each in a small space, with region entries kept in their TLBs;
     * the chains are drawn from a fixed seed so that the check cannot fail on an unlucky draw.
     */
    @Property(tries = 1, seed = "20261206")
    void theLargeBoundsReachWhatTheyAreFor() {
        for (ActionChain<SmallSpacesState> chain : Chains.randomSteps(MODEL, 120).sampleStream().limit(300).toList()) {
            boolean[] seen = new boolean[1];
            chain.withInvariant("watch", s -> {
                int inSmall = 0;
                for (int c = 0; c < 3; c++) {
                    boolean kept = false;
                    for (int l = 4; l < s.tlb[c].length; l++) {
                        kept |= s.tlb[c][l] >= 0;
                    }
                    if (MODEL.constants().isSmall(s.cur[c]) && kept) {
                        inSmall++;
                    }
                }
                seen[0] |= inSmall >= 2;
            }).run();
            if (seen[0]) {
                return;
            }
        }
        assertTrue(false, "no chain had two CPUs in small spaces with region entries in their TLBs");
    }

    /**
     * Each bug variant breaks a property on random chains at the small bounds (but map_short_window
     * and switch_same_space_flushes, which break only the availability invariants SEG-22 and SEG-24,
     * which the chains skip; TLC and the explorer catch them in their bug variants' checks).
     */
    @Property(tries = 1, seed = "20261206") // a fixed draw: a bug hunt that passes once passes every time
    void randomChainsCatchEveryBug() {
        List<String> missed = new ArrayList<>();
        for (SmallSpacesBug bug : SmallSpacesBug.values()) {
            if (bug == SmallSpacesBug.NONE || bug == SmallSpacesBug.MAP_SHORT_WINDOW
                    || bug == SmallSpacesBug.SWITCH_SAME_SPACE_FLUSHES) {
                continue;
            }
            SmallSpacesModel buggy = new SmallSpacesModel(small(bug));
            Optional<String> failure = Chains.firstFailure(buggy, Chains.randomSteps(buggy, 40), 2000);
            if (failure.isEmpty()) {
                missed.add(bug.specName());
            }
        }
        assertTrue(missed.isEmpty(), "no chain broke a property with the bugs " + missed);
    }

    @Example
    void theCorrectModelPassesTheSameChains() {
        SmallSpacesModel good = new SmallSpacesModel(small(SmallSpacesBug.NONE));
        Optional<String> failure = Chains.firstFailure(good, Chains.randomSteps(good, 40), 100);
        assertTrue(failure.isEmpty(), failure.orElse(""));
    }
}
