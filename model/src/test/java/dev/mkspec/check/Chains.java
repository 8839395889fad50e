package dev.mkspec.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.state.ActionChain;

/** What the models' random-chain properties share: invariants after every step, and bug hunting. */
public final class Chains {
    private Chains() {
    }

    /**
     * The chain with every invariant of the model checked after every step, but the availability
     * invariants (AS-14, TLB-14, IPC-13): those enumerate every successor of the state, which made
     * the IPC chains forty times slower (5.7 s to 227 s), and the explorer checks them exhaustively
     * on the fast configurations.
     */
    public static <S> ActionChain<S> withInvariants(StateMachine<S> model, ActionChain<S> chain) {
        ActionChain<S> c = chain;
        for (Invariant<S> inv : model.invariants()) {
            if (inv.availability()) {
                continue;
            }
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
