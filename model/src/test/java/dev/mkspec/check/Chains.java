package dev.mkspec.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.state.ActionChain;

/** What the models' random-chain properties share: invariants after every step, and bug hunting. */
public final class Chains {
    private Chains() {
    }

    /** The chain with every invariant of the model checked after every step. */
    public static <S> ActionChain<S> withInvariants(StateMachine<S> model, ActionChain<S> chain) {
        ActionChain<S> c = chain;
        for (Invariant<S> inv : model.invariants()) {
            c = c.withInvariant(inv.toString(), s -> assertTrue(inv.holds().test(s), inv + " is violated"));
        }
        return c;
    }

    /**
     * The first failure among {@code tries} chains drawn from {@code chains} and run with the
     * model's invariants, with the steps that led to it; empty if none failed.
     */
    public static <S> Optional<String> firstFailure(StateMachine<S> model, Arbitrary<ActionChain<S>> chains, int tries) {
        return chains.sampleStream().limit(tries).map(chain -> {
            try {
                withInvariants(model, chain).run();
                return Optional.<String>empty();
            } catch (AssertionError e) {
                return Optional.of(e.getMessage() + " after " + chain.transformations());
            }
        }).flatMap(Optional::stream).findFirst();
    }
}
