-------------------------------- MODULE MCIpc --------------------------------
(***************************************************************************)
(* The root module of the Ipc configurations; the cfgs beside it pick the *)
(* bounds, the operations and the bug. Ipc INSTANCEs AddressSpaces, which *)
(* lives in ../AddressSpaces: run TLC with that folder as a library (the   *)
(* manifest says so, and ./mkspec tlc takes --library).                    *)
(* No SYMMETRY: Server, the ring's two sides and thread placement make    *)
(* the slots unequal, and the fast graphs are compared with the explorer. *)
(***************************************************************************)
EXTENDS Ipc
=============================================================================
