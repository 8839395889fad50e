------------------------- MODULE MCAddressSpaces -------------------------
(***************************************************************************)
(* Model values, symmetry and checked properties for AddressSpaces; the  *)
(* cfgs beside this module pick the bounds.                                *)
(***************************************************************************)
EXTENDS AddressSpaces, TLC

\* The user spaces are interchangeable: no action, invariant or property
\* treats one differently from another (none compares them, orders them or
\* CHOOSEs among them, and Sigma0 is a separate constant), so permuting them
\* maps behaviours to behaviours and TLC may explore one state per class.
\* Pages and frames are not symmetric: Sigma0 maps page f to frame f, and
\* fpages are aligned.
SpaceSymmetry == Permutations(Spaces)
=============================================================================
