package dev.mkspec.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

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

    private record Step<S>(Action action, S next) {
    }

    /**
     * Chains of up to {@code length} steps of the model from its first initial state, each step a
     * successor drawn at random, with every action property of the model judged on it; a shrunk
     * failure reads as a trace of the spec's actions.
     */
    public static <S> Arbitrary<ActionChain<S>> randomSteps(StateMachine<S> model, int length) {
        return randomSteps(model, length, true);
    }

    /**
     * States reached by random chains of up to {@code length} steps, with no property judged on the
     * way: for properties that start from a reachable state and judge something else (the chains
     * of {@link #randomSteps(StateMachine, int)} judge the action properties).
     */
    public static <S> Arbitrary<S> reachableStates(StateMachine<S> model, int length) {
        return randomSteps(model, length, false).map(ActionChain::run);
    }

    private static <S> Arbitrary<ActionChain<S>> randomSteps(StateMachine<S> model, int length, boolean judge) {
        List<ActionProperty<S>> properties = judge ? model.actionProperties() : List.of();
        return ActionChain.<S>startWith(() -> model.initialStates().get(0))
                .withAction(new net.jqwik.api.state.Action.Dependent<S>() {
                    @Override
                    public Arbitrary<Transformer<S>> transformer(S s) {
                        List<Step<S>> steps = new ArrayList<>();
                        model.successors(s, (a, n) -> steps.add(new Step<>(a, n)));
                        if (steps.isEmpty()) {
                            return Arbitraries.just(Transformer.endOfChain());
                        }
                        return Arbitraries.of(steps).map(step -> Transformer.transform(step.action().toString(), from -> {
                            for (ActionProperty<S> p : properties) {
                                assertTrue(p.holds().test(from, step.action(), step.next()),
                                        p + " is violated by " + step.action());
                            }
                            return step.next();
                        }));
                    }
                })
                .withMaxTransformations(length);
    }
}
