------------------------------ MODULE MCSegments ------------------------------
(***************************************************************************)
(* The root module of the Segments configurations: the domains and threads *)
(* as model values, and the functions and sets a cfg cannot write, each   *)
(* written as TLC prints a value (the Java model's binding reads them).    *)
(* C is a client, S a service, U a service S calls.                        *)
(* No SYMMETRY: the owners, homes and grants make the domains unequal.     *)
(***************************************************************************)
EXTENDS Segments, TLC

CONSTANTS C, S, U, t1, t2

\* t1 is C's thread, t2 S's own.
HomeCS == (t1 :> C @@ t2 :> S)
\* One thread, C's.
HomeC == (t1 :> C)

\* Slot 1 starts with C's segment, slot 2 with S's.
OwnersCS == (1 :> C @@ 2 :> S)
\* Slot 1 is S's, slot 2 U's.
OwnersSU == (1 :> S @@ 2 :> U)

\* C may call S.
CallsS == {[d |-> C, s |-> 2, slot |-> 2, rights |-> {"c"}]}
\* S has granted C its segment with every right.
GrantedSC == {[d |-> C, s |-> 2, slot |-> 2, rights |-> {"r", "c"}]}
\* C may call S, and S may call U.
CallsSU == {[d |-> C, s |-> 1, slot |-> 1, rights |-> {"c"}],
            [d |-> S, s |-> 2, slot |-> 2, rights |-> {"c"}]}
=============================================================================
