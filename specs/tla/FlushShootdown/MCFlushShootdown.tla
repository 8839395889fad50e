---------------------------- MODULE MCFlushShootdown ----------------------------
(***************************************************************************)
(* The root module of the FlushShootdown configurations. FlushShootdown   *)
(* INSTANCEs AddressSpaces, which lives in ../AddressSpaces: run TLC with  *)
(* that folder as a library (the manifest says so; ./mkspec tlc takes      *)
(* --library).                                                             *)
(***************************************************************************)
EXTENDS FlushShootdown
=============================================================================
