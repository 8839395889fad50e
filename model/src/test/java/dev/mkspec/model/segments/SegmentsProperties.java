package dev.mkspec.model.segments;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.Chains;
import dev.mkspec.model.segments.SegmentsConstants.FirstGrant;
import dev.mkspec.model.segments.SegmentsConstants.Op;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.ActionChain;

/**
 * Properties of the segment-table model on random steps, at bounds TLC does not reach: four
 * domains (each owning a slot), three threads, two registers, four slots and six segments (so
 * deleted slots are reused), every right, every operation, far calls nested three deep through
 * two hostile services, the budget, and the ring. Every invariant is checked after every step and
 * every action property on every step; a shrunk failure reads as a trace of the spec's actions.
 */
class SegmentsProperties {
    static final List<String> DOMAINS = List.of("C", "S", "U", "V");

    /** C calls S, S calls U, U calls V; S and U are hostile (they call out, and never return). */
    static SegmentsConstants large(SegmentsBug bug) {
        int r = SegmentsConstants.R;
        int w = SegmentsConstants.W;
        int c = SegmentsConstants.C;
        return new SegmentsConstants(DOMAINS, List.of("t1", "t2", "t3"), new int[] {0, 1, 2}, List.of("ds", "es"), 4,
                new int[] {0, 1, 2, 3},
                List.of(new FirstGrant(0, 2, 2, c | r), new FirstGrant(1, 3, 3, c | r | w), new FirstGrant(2, 4, 4, c)),
                4, 6, r | w | c, EnumSet.allOf(Op.class), 3, 0b0110, 3, 1, 3, "NoDomain", "NoThread", bug);
    }

    /** The bounds of the fast configurations (two domains, two threads, one register), all operations. */
    static SegmentsConstants small(SegmentsBug bug) {
        int r = SegmentsConstants.R;
        int c = SegmentsConstants.C;
        return new SegmentsConstants(List.of("C", "S"), List.of("t1", "t2"), new int[] {0, 1}, List.of("ds"), 2,
                new int[] {0, 1}, List.of(new FirstGrant(0, 2, 2, r | c)), 2, 3, r | c,
                EnumSet.complementOf(EnumSet.of(Op.RING)), 1, 0, 0, -1, 0, "NoDomain", "NoThread", bug);
    }

    static final SegmentsModel MODEL = new SegmentsModel(large(SegmentsBug.NONE));

    /** Chains of random steps, action properties judged on each ({@link Chains#randomSteps}). */
    static Arbitrary<ActionChain<SegmentsState>> chains(SegmentsModel model, int length) {
        return Chains.randomSteps(model, length);
    }

    @Provide
    Arbitrary<ActionChain<SegmentsState>> operations() {
        return chains(MODEL, 80);
    }

    @Property(tries = 300)
    void everySegmentsPropertyHoldsOnEveryStep(@ForAll("operations") ActionChain<SegmentsState> chain) {
        Chains.withInvariants(MODEL, chain).run();
    }

    /**
     * Chains of the large bounds reach nested far calls, deletions with reuse, and a served request.
     * A slot is reused (a create after a delete) in about one chain in forty, so 300 unseeded chains
     * missed it now and then (CI failed on it once); the chains are drawn from a fixed seed, and up
     * to 2,000 of them, so that a change to the model that moves the draw still leaves a margin.
     */
    @Property(tries = 1, seed = "20261206")
    void theLargeBoundsReachWhatTheyAreFor() {
        boolean[] seen = new boolean[3];
        for (ActionChain<SegmentsState> chain : chains(MODEL, 200).sampleStream().limit(2000).toList()) {
            chain.withInvariant("watch", s -> {
                seen[0] |= s.stack[0].length >= 3 * (1 + 2);
                seen[1] |= s.nextSeg > 5;
                seen[2] |= s.served != 0;
            }).run();
            if (seen[0] && seen[1] && seen[2]) {
                return;
            }
        }
        assertTrue(false, "nested three deep " + seen[0] + ", a slot reused " + seen[1] + ", a request served " + seen[2]);
    }

    /**
     * Each bug variant whose property is a safety property is found by random chains at the fast bounds
     * (but grant_full_only, which breaks only the availability invariant SEG-9, which the chains skip, and
     * abort_early, which needs the budget the fast bounds of these chains leave out).
     */
    @Property(tries = 1, seed = "20261206") // a fixed draw: a bug hunt that passes once passes every time
    void randomChainsCatchEverySafetyBug() {
        List<String> missed = new ArrayList<>();
        for (SegmentsBug bug : List.of(SegmentsBug.RAW_SELECTORS, SegmentsBug.REVOKE_LOCAL_ONLY,
                SegmentsBug.REVOKE_MISSES_FRAMES, SegmentsBug.REVOKE_SHALLOW, SegmentsBug.DELETE_NO_SHOOTDOWN,
                SegmentsBug.LENT_SURVIVES_RETURN, SegmentsBug.CALLEE_COPIES_LENT, SegmentsBug.RETURN_KEEPS_REGISTERS,
                SegmentsBug.NULL_KEEPS_HIDDEN, SegmentsBug.DELETE_CLEARS_ALL)) {
            SegmentsModel buggy = new SegmentsModel(small(bug));
            Optional<String> failure = Chains.firstFailure(buggy, chains(buggy, 40), 2000);
            if (failure.isEmpty()) {
                missed.add(bug.specName());
            }
        }
        assertTrue(missed.isEmpty(), "no chain broke a property with the bugs " + missed);
    }

    @Example
    void theCorrectModelPassesTheSameChains() {
        SegmentsModel good = new SegmentsModel(small(SegmentsBug.NONE));
        Optional<String> failure = Chains.firstFailure(good, chains(good, 40), 500);
        assertTrue(failure.isEmpty(), failure.orElse(""));
    }
}
