-------------------------------- MODULE MCIpc --------------------------------
(***************************************************************************)
(* The root module of the Ipc configurations; the cfgs beside it pick the *)
(* bounds, the operations and the bug. Ipc INSTANCEs AddressSpaces, which *)
(* lives in ../AddressSpaces: run TLC with that folder as a library (the   *)
(* manifest says so, and ./mkspec tlc takes --library).                    *)
(* No SYMMETRY: Server, the ring's two sides and thread placement make    *)
(* the slots unequal, and the fast graphs are compared with the explorer. *)
(***************************************************************************)
EXTENDS Ipc, TLC

\* fast_rules explores RulesSpec with every operation, which is too large to
\* explore whole (50,000 states at depth 5 in four minutes); this bounds it to
\* behaviours of four steps, enough for every step of every rule to happen
\* (the batching ring's answer is the fourth).
RulesDepth == TLCGet("level") <= 2
=============================================================================
