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

\* TLC by a name of its own: its Any would clash with Ipc's constant Any.
TLCModule == INSTANCE TLC

\* fast_rules explores RulesSpec with most operations, which is too large to
\* explore whole (50,000 states at depth 5 after four minutes); this keeps
\* the states of up to two steps, so that TLC checks IPC-19 on behaviours
\* of three steps (the steps out of the last kept states are checked too).
RulesDepth == TLCModule!TLCGet("level") <= 2
=============================================================================
