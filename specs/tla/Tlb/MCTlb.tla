------------------------------- MODULE MCTlb --------------------------------
(***************************************************************************)
(* Model values and symmetry for Tlb; the cfgs beside this module pick the *)
(* bounds and the bug.                                                     *)
(***************************************************************************)
EXTENDS Tlb, TLC

\* CPUs are interchangeable: no action or invariant names, orders or CHOOSEs
\* among them. Spaces are not: ASIDs are handed out lowest first, so which
\* space holds which ASID depends on the order of switches, but Min orders
\* ASIDs, not spaces; spaces still appear in no ordering, so they are symmetric
\* too. Frames and pages are integers and are not permuted.
CpuSymmetry == Permutations(CPUs)
=============================================================================
