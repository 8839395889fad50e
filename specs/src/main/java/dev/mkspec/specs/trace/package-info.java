/**
 * The one trace type that TLC, Alloy and the Java explorer all produce, with its two writers: ITF
 * JSON (the Informal Trace Format of Apalache and Quint) for machines, and a text table of what
 * changed at each step for people.
 */
package dev.mkspec.specs.trace;
