------------------------------ MODULE IpcTrace ------------------------------
(***************************************************************************)
(* What a kernel can show of Ipc.tla, for TLC trace validation of kernel  *)
(* runs (mkspec validate, and the kernel:Ipc/trace_* checks). A kernel    *)
(* trace gives the spec's variables except the ghosts (delivered,         *)
(* calledOf, owed, deletedIds) and the reply authority callers, which the *)
(* kernel keeps only as its callers' own flags; and instead of mr,        *)
(* MrSeen: the registers without their ghost fields, the sender ID the    *)
(* kernel reports and the word. TLC finds values for what is left out, by *)
(* the spec's own steps.                                                  *)
(***************************************************************************)
EXTENDS Ipc

MrSeen == [t \in Threads |-> IF mr[t] = NoMsg THEN NoMsg ELSE [from |-> mr[t].from, w |-> mr[t].w]]

\* A stutter (a call the spec does not enable) keeps every variable, the ones
\* the trace leaves out among them.
TraceUnchanged == vars
=============================================================================
