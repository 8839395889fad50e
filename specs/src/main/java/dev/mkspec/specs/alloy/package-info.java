/**
 * Runs Alloy 6 models through Alloy's own API with the SAT4J solver (pure Java, no native code),
 * and compares each command's result with the {@code // expect: sat} or {@code // expect: unsat}
 * comment written beside it.
 *
 * <p>{@link dev.mkspec.specs.alloy.AlloyRunner} runs a file in this JVM.
 * {@link dev.mkspec.specs.alloy.AlloyProcessRunner} runs it in a child JVM, so that a command
 * that runs too long or exhausts memory can be stopped without losing the rest; the command line
 * uses it.
 */
package dev.mkspec.specs.alloy;
