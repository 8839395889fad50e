/**
 * The checks that tie the layers together: abstraction functions from kernel-impl states to model
 * states, the conformance of the Java models with their TLA+ specs (state graphs compared with
 * TLC's {@code -dump dot,actionlabels}), and the bindings that read a model's constants from the
 * same {@code .cfg} that TLC reads.
 *
 * <p>This is the only module that sees both the model and the implementation.
 */
package dev.mkspec.refinement;
