/**
 * The explicit-state explorer: a generic, parallel breadth-first search over any
 * {@link dev.mkspec.check.StateMachine}, with 64-bit fingerprints, invariant and deadlock checks,
 * and the shortest counterexample rebuilt from parent links.
 *
 * <p>Entry point: {@link dev.mkspec.check.Explorer#explore}. Everything a run needs lives in that
 * run: there is no static mutable state, and several explorations may run in one JVM at once.
 */
package dev.mkspec.check;
