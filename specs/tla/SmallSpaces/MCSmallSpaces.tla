---------------------------- MODULE MCSmallSpaces ----------------------------
(***************************************************************************)
(* The root module of the SmallSpaces configurations: spaces and CPUs as  *)
(* model values, and the functions a cfg cannot write, each written as    *)
(* TLC prints a value (the Java model's binding reads them).              *)
(* No SYMMETRY: the windows make the small spaces unequal.                *)
(***************************************************************************)
EXTENDS SmallSpaces, TLC

CONSTANTS L1, L2, S1, S2, c1, c2

\* S1's window is linear page 2, S2's linear page 3: neighbours.
Base2 == (S1 :> 2 @@ S2 :> 3)
Size2 == (S1 :> 1 @@ S2 :> 1)
\* S1 alone, at linear page 2.
Base1 == (S1 :> 2)
Size1 == (S1 :> 1)
\* One CPU, starting in L1; two CPUs, starting in L1 and L2.
Run1 == (c1 :> L1)
Run2 == (c1 :> L1 @@ c2 :> L2)
\* Two CPUs, both starting in L1.
Run11 == (c1 :> L1 @@ c2 :> L1)
=============================================================================
