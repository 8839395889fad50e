package dev.mkspec.refinement;

import dev.mkspec.check.Restricted;
import dev.mkspec.check.StateMachine;
import dev.mkspec.specs.tla.CfgFile;

/**
 * How to build a Java model from a TLC configuration, so that one {@code .cfg} drives both TLC and
 * the explorer.
 *
 * @param <S> the model's state type
 */
public interface ModelBinding<S> {
    /** The model's name, as manifests and {@code ./mkspec explore} refer to it. */
    String name();

    /** One line on what the model covers. */
    String description();

    /**
     * Builds the model with the constants of {@code cfg}.
     *
     * @throws IllegalArgumentException if a constant is missing or has the wrong shape; the message
     *     names the constant and the file
     */
    StateMachine<S> fromConfig(CfgFile cfg);

    /**
     * Builds the model with the constants of {@code cfg}, checking just the invariants and action
     * properties the cfg names, as TLC does. Temporal properties stay with TLC.
     *
     * @throws IllegalArgumentException if a constant is wrong, or the cfg names an invariant the
     *     model lacks
     */
    default StateMachine<S> configured(CfgFile cfg) {
        return Restricted.to(fromConfig(cfg), cfg.invariants(), cfg.properties());
    }
}
