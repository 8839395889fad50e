/**
 * Mutation testing of TLA+ specifications: {@link dev.mkspec.specs.mutate.MutantGenerator} injects
 * one small, realistic bug at a time into the definitions that a spec's next-state relation reaches,
 * and {@link dev.mkspec.specs.mutate.MutationRunner} runs TLC on each mutant with the
 * configurations' properties only, classifying it as killed, equivalent, survived, invalid or timed
 * out. A survivor is either equivalent in a way the counts do not show, or a property that is
 * missing.
 */
package dev.mkspec.specs.mutate;
