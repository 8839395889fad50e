/**
 * Runs TLC, the TLA+ model checker, as a child process in {@code -tool} mode, and turns its
 * message stream into a {@link dev.mkspec.specs.tlc.TlcResult}: the verdict, the state counts and
 * the counterexample as a {@link dev.mkspec.specs.trace.Trace}.
 *
 * <p>The entry point is {@link dev.mkspec.specs.tlc.TlcRunner}. Each run gets its own working
 * directory, {@code -metadir} and {@code java.io.tmpdir}, because TLC copies the standard modules
 * into the temporary directory and two runs that share one can collide.
 */
package dev.mkspec.specs.tlc;
