package dev.mkspec.refinement;

import dev.mkspec.check.Counterexample;
import dev.mkspec.check.ExplorationResult;
import dev.mkspec.check.StateMachine;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tla.TlaValueParser;
import dev.mkspec.specs.trace.Trace;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an explorer counterexample into the shared {@link Trace} type, by rendering each state in
 * TLA+ syntax with the model's {@link StateMachine#render} and parsing it back as TLC's output is
 * parsed. A trace from the explorer and one from TLC for the same spec therefore compare value by
 * value.
 */
public final class CounterexampleTraces {
    private CounterexampleTraces() {
    }

    /**
     * The counterexample of an exploration as a trace, if it has one; its verdict names the
     * invariant and its catalog ID.
     */
    public static <S> Optional<Trace> of(StateMachine<S> model, ExplorationResult<S> result) {
        String what = result.violatedName().map(v -> result.verdict().id() + ": " + v + " ("
                + result.violatedId().orElse("") + ")").orElse(result.verdict().id());
        return result.counterexample().map(c -> toTrace(model, c, what));
    }

    /**
     * @param model the model that produced the counterexample
     * @param counterexample the explorer's counterexample
     * @param verdict a few words on why the trace exists
     */
    public static <S> Trace toTrace(StateMachine<S> model, Counterexample<S> counterexample, String verdict) {
        Trace.Builder b = Trace.builder("mkspec explorer", model.name(), verdict);
        for (Counterexample.Step<S> step : counterexample.steps()) {
            Map<String, TlaValue> values = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : model.render(step.state()).entrySet()) {
                values.put(e.getKey(), parse(model, e.getKey(), e.getValue()));
            }
            b.step(step.action().map(Object::toString).orElse("Init"), Optional.empty(), values);
        }
        return b.build();
    }

    private static TlaValue parse(StateMachine<?> model, String var, String text) {
        try {
            return TlaValueParser.parse(text);
        } catch (RuntimeException e) {
            // A model whose rendering is not TLA+ still gets a readable trace.
            return new TlaValue.Opaque(text);
        }
    }
}
