/**
 * The checks that tie the layers together: the conformance of the Java models with their TLA+
 * specs (state graphs compared with TLC's {@code -dump dot,actionlabels}), the bindings that read
 * a model's constants from the same {@code .cfg} that TLC reads, and replay of traces in a model.
 * The kernel's refinement of the models (abstraction functions from kernel-impl states, forward
 * simulation, exhaustive graph equality, TLC trace validation) is in
 * {@link dev.mkspec.refinement.kernel}.
 *
 * <p>This is the only module that sees both the model and the implementation.
 */
package dev.mkspec.refinement;
