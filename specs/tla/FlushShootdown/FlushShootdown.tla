---------------------------- MODULE FlushShootdown ----------------------------
(***************************************************************************)
(* The mapping database and the TLBs together: no CPU can use a mapping   *)
(* after the operation that revoked it has returned.                       *)
(*                                                                         *)
(* AddressSpaces says what map, grant, flush, unmap and delete do to the   *)
(* mappings; Tlb says how one page's shootdown keeps the TLBs invisible.   *)
(* Neither says that they fit: that every mapping an address-space         *)
(* operation removes, narrows or moves - in the caller's space and in      *)
(* every space that derived from it - is shot down on every CPU that may   *)
(* cache it before the operation returns. This spec composes the two: the *)
(* address-space operations are AddressSpaces' own actions (INSTANCE, no  *)
(* copy), run by a CPU, and the TLBs cache what the mappings say.          *)
(*                                                                         *)
(* The choices this spec makes:                                           *)
(*  - A kernel operation runs on CPU c on behalf of the space c runs (the  *)
(*    caller: the source of a map or grant, the flusher); Sigma0 and the  *)
(*    user spaces can run. Create and delete are the kernel's own and run *)
(*    on any CPU.                                                          *)
(*  - Every mapping the operation changed other than by growing it (gone,  *)
(*    another frame, fewer rights) is "shrunk". The initiating CPU         *)
(*    invalidates the shrunk pages in its own TLB, and if any is left an   *)
(*    IPI goes to every other CPU that may cache a shrunk page's space     *)
(*    (mayCache, which gains a CPU when it switches to a space and keeps   *)
(*    it, since entries are tagged). The operation returns when every     *)
(*    acknowledgement is in (ShootdownFinish); one operation at a time.    *)
(*  - TLB entries carry the space (a tag per space: enough ASIDs; ASID     *)
(*    reuse and rollover are Tlb's subject), the page, the frame and the  *)
(*    rights. A CPU fills from the mappings of the space it runs, or evicts*)
(*    any entry, at any moment.                                            *)
(*                                                                         *)
(* Left out: several operations in flight, ASIDs, page tables as memory,  *)
(* IPC (the map items of Ipc are the same actions).                        *)
(*                                                                         *)
(* The constant Bug selects one deliberate, realistic mistake:            *)
(*  "ipi_caller_only"   the IPIs go only to the CPUs that ran the caller's *)
(*                      space, not to those of the spaces that derived     *)
(*                      from it                                            *)
(*  "return_before_acks" the operation returns as soon as the IPIs are     *)
(*                      sent, before the acknowledgements                  *)
(*  "grant_no_shootdown" a grant moves the mapping to the receiver and     *)
(*                      shoots nothing down: the granter's CPUs keep it    *)
(*  "narrow_no_shootdown" an operation that only takes rights away (a      *)
(*                      flush of w from an r+w mapping) shoots nothing     *)
(*                      down, only one that removes a mapping does        *)
(*  "lost_ack"          a CPU handles the IPI (invalidates) but its        *)
(*                      acknowledgement is lost: the operation never      *)
(*                      returns                                            *)
(*  "ipi_self"          the initiating CPU sends the IPI to itself too     *)
(*                      (safe, but an interrupt, an invalidation and an    *)
(*                      acknowledgement it does not need; TLB-22)          *)
(*  "shoot_grown"       every mapping the step changed is shot down, also *)
(*                      one that only gained rights (a kernel that shoots  *)
(*                      down on every page-table write: safe, but IPIs the *)
(*                      rules do not ask for; TLB-24)                      *)
(*  "next_skips_a_cpu"  Next offers the address-space operations on      *)
(*                      every CPU but one (a system-call path that a      *)
(*                      secondary CPU never set up): every safety property *)
(*                      holds, since the other CPU runs them; TLB-23)     *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Sigma0, Spaces, NPages, Perms, FpageOrder, NoMapping,   \* as in AddressSpaces
    CPUs,        \* the processors (model values)
    Idle,        \* a model value: what a CPU runs before its first switch
    NoOp,        \* a model value: no operation is waiting for acknowledgements
    Bug          \* "none", or one deliberate mistake (see the list above)

Bugs == {"none", "ipi_caller_only", "return_before_acks", "grant_no_shootdown", "narrow_no_shootdown", "lost_ack",
         "ipi_self", "shoot_grown", "next_skips_a_cpu"}

ASSUME /\ CPUs # {} /\ Bug \in Bugs

VARIABLES
    live, mappings, mdb,   \* AddressSpaces' variables: the spaces, their mappings, the database
    tlb,        \* tlb[c]: the translations CPU c caches, [space, vp, frame, rights]
    running,    \* running[c]: the space CPU c runs, or Idle
    mayCache,   \* mayCache[s]: the CPUs the kernel believes may cache entries of space s
    pending     \* the operation waiting for acknowledgements: its pages and the CPUs still to
                \* acknowledge, or NoOp

AS == INSTANCE AddressSpaces WITH Bug <- "none"

vars == <<live, mappings, mdb, tlb, running, mayCache, pending>>

Entry == [space : AS!AllSpaces, vp : AS!VPages, frame : AS!Frames, rights : AS!Rights]

\* Whether entry e caches exactly what the mappings say now.
Backed(e) == /\ mappings[e.space][e.vp] # NoMapping
             /\ mappings[e.space][e.vp].frame = e.frame
             /\ e.rights \subseteq mappings[e.space][e.vp].rights

\* The nodes whose mapping this step removes, moves to another frame or narrows.
Shrunk == {n \in AS!Node :
              LET old == mappings[n[1]][n[2]]
                  new == mappings'[n[1]][n[2]]
              IN old # NoMapping /\ (new = NoMapping \/ new.frame # old.frame \/ ~(old.rights \subseteq new.rights)
                                     \/ (Bug = "shoot_grown" /\ new # old))}

Without(entries, pages) == {e \in entries : <<e.space, e.vp>> \notin pages}

\* Not in the cfgs: the catalog lists only properties that a bug variant breaks,
\* and the types here are those of AddressSpaces (whose own cfgs check them) plus
\* four variables that the actions give values of one shape. Check it by hand
\* by adding it to a copy of a cfg when changing the spec (it held on fast and
\* fast_rights when this was written).
TypeOK == /\ AS!TypeOK
          /\ tlb \in [CPUs -> SUBSET Entry]
          /\ running \in [CPUs -> AS!AllSpaces \cup {Idle}]
          /\ mayCache \in [AS!AllSpaces -> SUBSET CPUs]
          /\ pending \in [pages : SUBSET AS!Node, waiting : SUBSET CPUs, by : CPUs] \cup {NoOp}

Init == /\ AS!Init
        /\ tlb = [c \in CPUs |-> {}]
        /\ running = [c \in CPUs |-> Idle]
        /\ mayCache = [s \in AS!AllSpaces |-> {}]
        /\ pending = NoOp

(***************************************************************************)
(* The hardware.                                                           *)
(***************************************************************************)

TlbFill(c, v) ==
    /\ running[c] \in AS!AllSpaces
    /\ mappings[running[c]][v] # NoMapping
    /\ LET e == [space |-> running[c], vp |-> v, frame |-> mappings[running[c]][v].frame,
                 rights |-> mappings[running[c]][v].rights]
       IN /\ e \notin tlb[c]
          /\ tlb' = [tlb EXCEPT ![c] = @ \cup {e}]
    /\ UNCHANGED <<live, mappings, mdb, running, mayCache, pending>>

TlbEvict(c, e) ==
    /\ e \in tlb[c]
    /\ tlb' = [tlb EXCEPT ![c] = @ \ {e}]
    /\ UNCHANGED <<live, mappings, mdb, running, mayCache, pending>>

(***************************************************************************)
(* The kernel.                                                             *)
(***************************************************************************)

\* CPU c switches to live space s.
SpaceSwitch(c, s) ==
    /\ s \in live /\ running[c] # s
    /\ running' = [running EXCEPT ![c] = s]
    /\ mayCache' = [mayCache EXCEPT ![s] = @ \cup {c}]
    /\ UNCHANGED <<live, mappings, mdb, tlb, pending>>

\* The shootdown that follows an address-space step taken on CPU c for the
\* caller's space: invalidate locally, then IPI the CPUs that may cache a
\* shrunk page's space, and those in also, or return at once if there are none.
\* The operation records the CPU it runs on (by), which TLB-22 reads.
Shootdown(c, caller, shrunk, also) ==
    LET targets == (IF Bug = "ipi_caller_only" THEN mayCache[caller]
                    ELSE also \cup UNION {mayCache[n[1]] : n \in shrunk}) \ (IF Bug = "ipi_self" THEN {} ELSE {c})
    IN /\ tlb' = [tlb EXCEPT ![c] = Without(@, shrunk)]
       /\ pending' = IF targets = {} \/ Bug = "return_before_acks" THEN NoOp
                     ELSE [pages |-> shrunk, waiting |-> targets, by |-> c]

\* An address-space step A, taken on CPU c for the caller's space; its IPIs
\* go to the CPUs in also too, and the CPU sets become mc.
KernelOpThen(c, caller, A, isGrant, also, mc) ==
    /\ pending = NoOp
    /\ A
    /\ LET shrunk == {n \in Shrunk : Bug = "narrow_no_shootdown" => mappings'[n[1]][n[2]] = NoMapping}
       IN IF (shrunk = {} /\ also = {}) \/ (isGrant /\ Bug = "grant_no_shootdown")
             THEN UNCHANGED <<tlb, pending>>
             ELSE Shootdown(c, caller, shrunk, also)
    /\ mayCache' = mc
    /\ UNCHANGED running

KernelOp(c, caller, A, isGrant) == KernelOpThen(c, caller, A, isGrant, {}, mayCache)

OpMap(c, v, dst, w, R) ==
    /\ running[c] \in AS!AllSpaces
    /\ KernelOp(c, running[c], AS!SpaceMap(running[c], v, dst, w, R), FALSE)

OpGrant(c, v, dst, w, R) ==
    /\ running[c] \in AS!AllSpaces
    /\ KernelOp(c, running[c], AS!SpaceGrant(running[c], v, dst, w, R), TRUE)

OpFlush(c, v, R) ==
    /\ running[c] \in AS!AllSpaces
    /\ KernelOp(c, running[c], AS!SpaceFlush(running[c], v, R), FALSE)

OpUnmap(c, v, R) ==
    /\ running[c] \in AS!AllSpaces
    /\ KernelOp(c, running[c], AS!SpaceUnmap(running[c], v, R), FALSE)

OpCreate(s) ==
    /\ pending = NoOp
    /\ AS!SpaceCreate(s)
    /\ UNCHANGED <<tlb, running, mayCache, pending>>

\* Deleting a space removes its mappings and what was derived from them; no
\* CPU may run it (the kernel switches its threads' CPUs away first). As in
\* Tlb's SpaceDelete, every other CPU that may cache the space gets an IPI
\* (in the kernel it drops the space's whole tag; here its entries are those of
\* the shrunk pages), even if the space maps nothing now, and so does
\* every CPU that may cache a derived space whose pages go. The deleted space's
\* CPU set is then emptied, as the kernel forgets a dead space: it maps nothing
\* and no CPU can switch to it, so no later shootdown needs it, and a space
\* created in its slot starts with no CPU (TLB-18 says that is safe).
OpDelete(c, s) ==
    /\ \A d \in CPUs : running[d] # s
    /\ KernelOpThen(c, s, AS!SpaceDelete(s), FALSE, mayCache[s], [mayCache EXCEPT ![s] = {}])

\* CPU d handles the IPI: it invalidates the operation's pages and acknowledges.
ShootdownAck(d) ==
    /\ pending # NoOp
    /\ d \in pending.waiting
    /\ tlb' = [tlb EXCEPT ![d] = Without(@, pending.pages)]
    /\ pending' = IF Bug = "lost_ack" THEN pending ELSE [pending EXCEPT !.waiting = @ \ {d}]
    /\ UNCHANGED <<live, mappings, mdb, running, mayCache>>

\* Every acknowledgement is in: the operation returns.
ShootdownFinish ==
    /\ pending # NoOp
    /\ pending.waiting = {}
    /\ pending' = NoOp
    /\ UNCHANGED <<live, mappings, mdb, tlb, running, mayCache>>

\* The CPUs on which Next offers the address-space operations (all of them,
\* but for the bug next_skips_a_cpu).
OpCPUs == IF Bug = "next_skips_a_cpu" THEN CPUs \ {CHOOSE c \in CPUs : TRUE} ELSE CPUs

Next ==
    \/ \E c \in CPUs, v \in AS!VPages : TlbFill(c, v)
    \/ \E c \in CPUs, e \in Entry : TlbEvict(c, e)
    \/ \E c \in CPUs, s \in AS!AllSpaces : SpaceSwitch(c, s)
    \/ \E c \in OpCPUs, v, w \in AS!Fpages, dst \in AS!AllSpaces, R \in AS!Rights : OpMap(c, v, dst, w, R)
    \/ \E c \in OpCPUs, v, w \in AS!Fpages, dst \in AS!AllSpaces, R \in AS!Rights : OpGrant(c, v, dst, w, R)
    \/ \E c \in OpCPUs, v \in AS!Fpages, R \in AS!Rights : OpFlush(c, v, R)
    \/ \E c \in OpCPUs, v \in AS!Fpages, R \in AS!Rights : OpUnmap(c, v, R)
    \/ \E s \in Spaces : OpCreate(s)
    \/ \E c \in CPUs, s \in Spaces : OpDelete(c, s)
    \/ \E d \in CPUs : ShootdownAck(d)
    \/ ShootdownFinish

Spec == Init /\ [][Next]_vars

(***************************************************************************)
(* The rules, as a next-state relation of their own (as AddressSpaces'    *)
(* RuleStep for AS-17): what each request may do, written from the state  *)
(* and the effect, not by calling the actions above (Kept and            *)
(* RuleShootdown restate Shrunk and Shootdown). The mapping database's    *)
(* part is AddressSpaces' own operations (AS-14 and AS-17 judge them      *)
(* there); what this spec adds - the TLBs, the CPUs, the shootdown - is   *)
(* stated afresh:                                                          *)
(*  - a CPU running a space fills an entry that space maps and it does    *)
(*    not cache, with the mapping's frame and rights; it evicts any entry *)
(*    it caches; it switches to another live space and may then cache it; *)
(*  - with no operation waiting, a CPU runs map, grant, flush or unmap    *)
(*    for the space it runs, and any CPU creates a space or deletes one   *)
(*    that no CPU runs;                                                    *)
(*  - such an operation loses the pages whose mapping is not kept (gone,  *)
(*    another frame, or fewer rights: a mapping that only gains rights is *)
(*    kept), invalidates them on its own CPU and waits for exactly the    *)
(*    other CPUs that may cache a lost page's space or the deleted space, *)
(*    returning at once if there are none; other TLBs are untouched;      *)
(*  - a CPU the operation waits for invalidates its pages and drops out   *)
(*    of the set; with the set empty the operation returns.               *)
(* TLB-23 checks under RulesSpec that Next takes every step the rules     *)
(* allow (a Next that offers fewer CPUs, pages, spaces or rights fails,   *)
(* unless the step it leaves out equals another request's step: Sigma0's *)
(* flush and unmap, say); TLB-24 checks under Spec (FairSpec in fast)     *)
(* that Next takes no step they do not allow.                             *)
(***************************************************************************)

\* What CPU c caches when it fills page v of the space it runs.
FillEntry(c, v) == [space |-> running[c], vp |-> v, frame |-> mappings[running[c]][v].frame,
                    rights |-> mappings[running[c]][v].rights]

\* Whether node n's mapping is still there after the step, on its frame and with at least its rights.
Kept(n) == /\ mappings'[n[1]][n[2]] # NoMapping
           /\ mappings'[n[1]][n[2]].frame = mappings[n[1]][n[2]].frame
           /\ mappings[n[1]][n[2]].rights \subseteq mappings'[n[1]][n[2]].rights

\* The shootdown the rules ask of an operation on CPU c that deletes the spaces in gone.
RuleShootdown(c, gone) ==
    LET lost == {n \in AS!Node : mappings[n[1]][n[2]] # NoMapping /\ ~Kept(n)}
        wait == (UNION {mayCache[n[1]] : n \in lost} \cup UNION {mayCache[s] : s \in gone}) \ {c}
    IN /\ tlb' = [d \in CPUs |-> IF d = c THEN {e \in tlb[d] : <<e.space, e.vp>> \notin lost} ELSE tlb[d]]
       /\ pending' = IF wait = {} THEN NoOp ELSE [pages |-> lost, waiting |-> wait, by |-> c]

RuleStep ==
    \/ \E c \in CPUs, v \in AS!VPages :
          /\ running[c] \in AS!AllSpaces /\ mappings[running[c]][v] # NoMapping
          /\ FillEntry(c, v) \notin tlb[c]
          /\ tlb' = [tlb EXCEPT ![c] = @ \cup {FillEntry(c, v)}]
          /\ UNCHANGED <<live, mappings, mdb, running, mayCache, pending>>
    \/ \E c \in CPUs : \E e \in tlb[c] :
          /\ tlb' = [tlb EXCEPT ![c] = @ \ {e}]
          /\ UNCHANGED <<live, mappings, mdb, running, mayCache, pending>>
    \/ \E c \in CPUs, s \in live :
          /\ running[c] # s
          /\ running' = [running EXCEPT ![c] = s]
          /\ mayCache' = [mayCache EXCEPT ![s] = @ \cup {c}]
          /\ UNCHANGED <<live, mappings, mdb, tlb, pending>>
    \/ \E c \in CPUs :
          /\ pending = NoOp /\ running[c] \in AS!AllSpaces
          /\ \/ \E v, w \in AS!Fpages, dst \in AS!AllSpaces, R \in AS!Rights :
                   AS!SpaceMap(running[c], v, dst, w, R) \/ AS!SpaceGrant(running[c], v, dst, w, R)
             \/ \E v \in AS!Fpages, R \in AS!Rights :
                   AS!SpaceFlush(running[c], v, R) \/ AS!SpaceUnmap(running[c], v, R)
          /\ RuleShootdown(c, {})
          /\ UNCHANGED <<running, mayCache>>
    \/ \E s \in Spaces :
          /\ pending = NoOp /\ s \notin live
          /\ AS!SpaceCreate(s)
          /\ UNCHANGED <<tlb, running, mayCache, pending>>
    \/ \E c \in CPUs, s \in Spaces :
          /\ pending = NoOp /\ s \in live /\ \A d \in CPUs : running[d] # s
          /\ AS!SpaceDelete(s)
          /\ RuleShootdown(c, {s})
          /\ mayCache' = [mayCache EXCEPT ![s] = {}]
          /\ UNCHANGED running
    \/ /\ pending # NoOp
       /\ \E d \in pending.waiting :
             /\ tlb' = [tlb EXCEPT ![d] = {e \in @ : <<e.space, e.vp>> \notin pending.pages}]
             /\ pending' = [pending EXCEPT !.waiting = @ \ {d}]
             /\ UNCHANGED <<live, mappings, mdb, running, mayCache>>
    \/ /\ pending # NoOp /\ pending.waiting = {}
       /\ pending' = NoOp
       /\ UNCHANGED <<live, mappings, mdb, tlb, running, mayCache>>

RulesSpec == Init /\ [][RuleStep]_vars

\* The IPI handlers and the initiator finish what they start. Fairness is asked of
\* steps of Next (A /\ Next), not of the actions alone: a Next that could no longer
\* take some CPU's acknowledgement would otherwise leave WF of an action Next never
\* takes, which no behaviour of Spec satisfies while it is enabled, so OperationsReturn
\* (TLB-19) would hold vacuously (mutant M166 of the 2026-12-04 run survived so).
FairSpec == Spec /\ WF_vars(\E d \in CPUs : ShootdownAck(d) /\ Next) /\ WF_vars(ShootdownFinish /\ Next)

(***************************************************************************)
(* Properties. Their IDs are in specs/invariants.yaml.                     *)
(***************************************************************************)

\* TLB-18: once the operation that revoked a mapping has returned, no CPU can
\* use it: with no operation waiting, every entry of every TLB caches a
\* mapping the database holds now, with no more rights; while one waits, the
\* only other entries are of the pages it is shooting down.
NoAccessAfterFlush ==
    \A c \in CPUs : \A e \in tlb[c] :
        \/ Backed(e)
        \/ pending # NoOp /\ <<e.space, e.vp>> \in pending.pages

\* TLB-22: IPIs go only where they are needed: an operation that starts a
\* shootdown runs on a CPU (by), waits for exactly the other CPUs that may
\* cache a space whose page it shoots down or the space it deletes, and so
\* never for itself (it invalidated its own entries). Stated from the step:
\* the pages it records and the space that stopped being live, not from the
\* actions' arguments. Safety needs only the lower half (TLB-18); an extra
\* IPI costs an interrupt, an invalidation and an acknowledgement.
IpisOnlyWhereNeeded ==
    [][pending = NoOp /\ pending' # NoOp =>
          /\ pending'.by \in CPUs
          /\ pending'.waiting = (UNION {mayCache[n[1]] : n \in pending'.pages}
                                \cup UNION {mayCache[s] : s \in live \ live'}) \ {pending'.by}]_vars

\* TLB-19: every address-space operation returns (under FairSpec): the CPUs
\* it waits for acknowledge and it finishes.
OperationsReturn == pending # NoOp ~> pending = NoOp

\* TLB-23: checked of RulesSpec, every step the rules allow is a step of Next.
NextServesEveryRequest == [][Next]_vars

\* TLB-24: checked of Spec, every step of Next is one the rules allow.
NextFollowsTheRules == [][RuleStep]_vars

=====
