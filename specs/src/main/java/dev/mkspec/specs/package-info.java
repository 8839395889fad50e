/**
 * The specification layer: TLA+ and Alloy sources live beside this module (in {@code tla/} and
 * {@code alloy/}), and the Java code here drives the tools that check them.
 *
 * <ul>
 *   <li>{@link dev.mkspec.specs.tla} holds TLA+ values as TLC prints them, their parser, and the
 *       parser for TLC configuration files.</li>
 *   <li>{@link dev.mkspec.specs.tlc} runs TLC as a child process and reads its {@code -tool}
 *       message stream.</li>
 *   <li>{@link dev.mkspec.specs.alloy} runs Alloy 6 through its API.</li>
 *   <li>{@link dev.mkspec.specs.trace} is the one trace type that all tools share, with its ITF
 *       JSON and text writers.</li>
 * </ul>
 *
 * <p>This module depends on no other mkspec module.
 */
package dev.mkspec.specs;
