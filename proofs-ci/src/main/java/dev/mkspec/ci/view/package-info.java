/**
 * Views of states and traces for people: what the HTML report and the interactive explorer show.
 *
 * <p>{@link dev.mkspec.ci.view.StatePictures} draws one state of a spec area as a self-contained
 * SVG (the mapping database as a forest, TLBs beside the page tables they cache, IPC threads and
 * their queues, segment tables, small spaces' windows, and any Alloy instance as a graph), and
 * gives no picture for a state whose values have another shape, so that the caller falls back to
 * the value tree. The views read states as traces carry them ({@code dev.mkspec.specs.trace}) and
 * keep no state of their own.
 */
package dev.mkspec.ci.view;
