------------------------------ MODULE Segments ------------------------------
(***************************************************************************)
(*  Capability-like segment tables: the virtual segment table (VST) scheme *)
(*  argued for microkernels, as a hardware design and its kernel.          *)
(*                                                                         *)
(*  Modelled:                                                              *)
(*   - One global segment table, gst: a slot (the global segment index)    *)
(*     holds a segment, with the domain that owns it. A segment is a small *)
(*     address space of its own; its pages are not modelled, only which    *)
(*     segment a slot holds. Segments are numbered as they are created, so *)
(*     a slot reused after a deletion holds another segment.               *)
(*   - A virtual segment table per protection domain, vst: a selector      *)
(*     names a slot with rights. Rights "r" and "w" are data rights; "c"   *)
(*     lets the holder far call into the owner's code. The owner of a      *)
(*     segment holds it at its root entry with every right.                *)
(*   - Segment registers per thread, reg. Loading one takes a selector and *)
(*     translates it through the Vst of the thread's current domain; the   *)
(*     register then holds the slot and the data rights, and (hidden) the  *)
(*     domain and selector it was loaded through, which the kernel uses to *)
(*     find it when that entry is revoked. User code never names a slot.   *)
(*     A register saved in the domain's memory (a push) keeps only its     *)
(*     selector; reloading it (a pop) translates the selector again.       *)
(*   - Far call through an entry with "c": the thread enters the owner's   *)
(*     domain without the kernel and without a thread switch; the caller's *)
(*     domain and registers are saved in a frame of the thread's call      *)
(*     stack (kept by the hardware out of user reach); the registers stay  *)
(*     loaded, which lends them to the callee for the call. Far return     *)
(*     restores the frame.                                                 *)
(*   - Grant: a domain asks the kernel to add one of its Vst entries to    *)
(*     another domain's Vst with at most the entry's rights; the new entry *)
(*     is derived from the granter's. GrantFromReg asks the same by naming *)
(*     a register (and may name the asker's own Vst, at another selector): *)
(*     the kernel takes the entry the register was loaded through, which   *)
(*     must be the caller's own. Revoke: the owner of a segment removes an *)
(*     entry and everything derived from it. Delete: the owner removes the *)
(*     segment; the slot is free once the deletion is done. Create: a      *)
(*     domain makes a segment in a free slot.                              *)
(*   - Revocation and deletion take steps, like the Tlb spec's shootdown:  *)
(*     the kernel removes the entries and fixes the asking thread's        *)
(*     registers and saved frames at once, then interrupts every other     *)
(*     thread's CPU (each thread runs on a CPU of its own); each handler   *)
(*     clears the registers and saved registers loaded through a removed   *)
(*     entry and, for a deletion, the TLB entries of the slot; the kernel  *)
(*     says "done" when every CPU has answered.                            *)
(*   - A TLB per CPU, tagged by slot (the global index), so entries stay   *)
(*     valid whichever domain loaded the segment; a fill caches the        *)
(*     segment the slot holds, an eviction drops an entry.                 *)
(*   - A hostile service, whose code never returns (it may far call out);  *)
(*     and the remedy: with Budget > 0, the kernel counts the time a       *)
(*     thread spends in far calls since it left its home domain and, when  *)
(*     the budget is spent, aborts the calls and returns the thread to its *)
(*     home domain with the registers saved at the first call.             *)
(*   - Asynchronous use: a client's thread, in the ring's domain after a   *)
(*     far call, puts a request in a ring in that domain's memory and sets *)
(*     a wake-up flag; the service's own thread (Server) drains the ring.  *)
(*     To sleep, the server clears the flag, looks at the ring, and asks   *)
(*     the kernel to sleep unless the flag is set; a client that puts a    *)
(*     request while the server sleeps wakes it.                           *)
(*                                                                         *)
(*  Left out: segment limits and offsets, pages inside a segment (see      *)
(*  AddressSpaces and Tlb), privilege levels, the selector's table bit,    *)
(*  more than one revocation at a time (the kernel holds a lock), thread   *)
(*  migration between CPUs, scheduling, the contents of a request. The     *)
(*  small address spaces of the Pentium L4 are not in this module. Only a  *)
(*  thread at home or in a hostile service far calls: a service that is    *)
(*  not hostile returns and calls no one, so lending through a chain of    *)
(*  well-behaved services is not modelled.                                 *)
(*                                                                         *)
(*  Bugs (constant Bug), each a realistic mistake:                         *)
(*   "raw_selectors"         a load takes the selector as a slot of the    *)
(*                           gst with every right (no Vst translation)     *)
(*   "revoke_local_only"     revocation and deletion fix only the asking   *)
(*                           thread's CPU: no interrupt reaches the others *)
(*   "revoke_misses_frames"  the handlers clear live registers but not the *)
(*                           registers saved in far-call frames            *)
(*   "revoke_shallow"        revoke removes the entry, not what was        *)
(*                           derived from it                               *)
(*   "delete_no_shootdown"   deletion clears the TLB of the asking CPU     *)
(*                           only                                          *)
(*   "lent_survives_return"  saving a segment register saves its hidden    *)
(*                           part (slot and rights), and reloading a saved *)
(*                           register takes it without the Vst: a callee   *)
(*                           keeps a lent segment after the call           *)
(*   "callee_copies_lent"    GrantFromReg takes any loaded register, also  *)
(*                           one lent by a caller                          *)
(*   "return_keeps_registers" far return restores the domain, not the      *)
(*                           registers: the callee's segments stay loaded  *)
(*   "budget_per_call"       the budget restarts at every far call, also   *)
(*                           the calls the service makes                   *)
(*   "sleep_ignores_flag"    the server's sleep does not look at the flag  *)
(*   "null_keeps_hidden"     a revocation clears a register by loading the *)
(*                           null selector, which clears the slot and      *)
(*                           keeps the hidden rights (as some x86 CPUs     *)
(*                           keep the hidden base of a null data segment)  *)
(*   "grant_full_only"       the kernel grants an entry only with all its  *)
(*                           rights: it refuses a narrowed grant           *)
(*   "abort_early"           the kernel aborts a far call one tick before  *)
(*                           the budget is spent (an off-by-one)           *)
(*   "delete_clears_all"     a deletion clears every loaded register, not  *)
(*                           only those of the deleted slot                *)
(*   "server_polls"          the ring's server never sleeps: it polls the  *)
(*                           ring, burning its CPU, even when idle         *)
(*   "revoke_returns_early"  the kernel returns to the thread that asked   *)
(*                           for a revocation before every CPU answered:   *)
(*                           it runs on while others may still touch what  *)
(*                           was revoked                                   *)
(*   "grant_while_revoking"  a thread waiting for its own revocation can   *)
(*                           still grant an entry: the grant path does not *)
(*                           check that the caller is blocked (SEG-23)     *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    Domains,     \* the protection domains
    Threads,     \* the threads; each runs on a CPU of its own
    Home,        \* [Threads -> Domains]: the domain a thread starts and ends in
    Regs,        \* the data segment registers of a thread
    NSlots,      \* gst slots 1..NSlots; slot i starts with segment i
    FirstOwner,  \* [1..NSlots -> Domains]: the owner of slot i's first segment
    FirstGrants, \* entries granted before the start: a set of [d, s, slot, rights]
    NSels,       \* selectors 1..NSels in every Vst; 0 is the null selector
    NSegs,       \* segments 1..NSegs: creations beyond NSlots reuse slots
    Rights,      \* the rights in play, a subset of {"r", "w", "c"}
    Ops,         \* the operations in play: "load", "spill", "tlb", "call", "grant", "grantreg",
                 \* "create", "revoke", "delete", "ring"
    MaxDepth,    \* the deepest far-call nesting
    Hostile,     \* the domains whose code never returns from a far call
    Budget,      \* the remedy: ticks a thread may spend away from home; 0 = none
    Server,      \* the thread that drains the ring, or NoThread
    NReq,        \* requests the clients put into the ring, in all
    NoDomain, NoThread,
    Bug

ASSUME /\ Home \in [Threads -> Domains]
       /\ NSlots \in Nat \ {0} /\ NSels >= NSlots /\ NSegs >= NSlots
       /\ FirstOwner \in [1..NSlots -> Domains]
       /\ \A g \in FirstGrants : /\ g.d \in Domains /\ g.s \in 1..NSels /\ g.slot \in 1..NSlots
                                /\ g.rights \subseteq Rights /\ g.rights # {}
                                /\ ~(g.s \in 1..NSlots /\ FirstOwner[g.s] = g.d)
       /\ Rights \subseteq {"r", "w", "c"} /\ Rights # {}
       /\ Ops \subseteq {"load", "spill", "tlb", "call", "grant", "grantreg", "create", "revoke", "delete", "ring"}
       /\ MaxDepth \in Nat /\ Hostile \subseteq Domains
       /\ Budget \in Nat /\ NReq \in Nat
       /\ Server \in Threads \cup {NoThread}
       /\ NoDomain \notin Domains /\ NoThread \notin Threads
       /\ Bug \in {"none", "raw_selectors", "revoke_local_only", "revoke_misses_frames",
                   "revoke_shallow", "delete_no_shootdown", "lent_survives_return",
                   "callee_copies_lent", "return_keeps_registers", "budget_per_call",
                   "sleep_ignores_flag", "null_keeps_hidden", "grant_full_only", "abort_early",
                   "delete_clears_all", "revoke_returns_early", "server_polls",
                   "grant_while_revoking"}

Slots == 1..NSlots
Sels == 1..NSels
AllSels == 0..NSels
SegIds == 1..NSegs
DataRights == Rights \cap {"r", "w"}
\* The domain whose memory holds the ring: the server's home.
RingDom == IF Server = NoThread THEN NoDomain ELSE Home[Server]

\* A gst slot: the segment it holds (0: free) and that segment's owner.
FreeSlot == [seg |-> 0, owner |-> NoDomain]
\* A Vst entry: the slot it names (0: free) and its rights.
NoEntry == [slot |-> 0, rights |-> {}]
\* A segment register: slot and data rights, and (hidden) the domain and
\* selector it was loaded through. Null: not loaded (the null selector).
Null == [slot |-> 0, rights |-> {}, from |-> NoDomain, sel |-> 0]
\* Where a Vst entry was derived from: NoRef for a root entry or a free one.
NoRef == [d |-> NoDomain, s |-> 0]
NoRev == [by |-> NoThread, gone |-> {}, slot |-> 0, pending |-> {}]

VARIABLES
    gst,      \* [Slots -> slot]: the segment in each global slot and its owner
    nextSeg,  \* the number the next created segment gets
    vst,      \* [Domains -> [Sels -> entry]]: each domain's virtual segment table
    parent,   \* ghost: [Domains -> [Sels -> ref]]: the entry each entry was granted from
    grantor,  \* ghost: [Domains -> [Sels -> Domains \cup {NoDomain}]]: who asked for it
    dom,      \* [Threads -> Domains]: the domain each thread executes in
    reg,      \* [Threads -> [Regs -> register]]: the loaded segment registers
    stack,    \* [Threads -> Seq(frame)]: far-call frames, the caller's domain and registers
    tlb,      \* [Threads -> SUBSET (Slots \X SegIds)]: cached translations of each CPU
    rev,      \* the revocation or deletion in progress: asker, entries removed, slot, CPUs to answer
    spent,    \* [Threads -> 0..Budget]: ticks spent away from home (with the remedy)
    mem,      \* [Domains -> SUBSET register]: registers saved in each domain's memory (their selectors)
    ring,     \* the requests in the ring, oldest first
    issued,   \* how many requests clients have put into the ring
    served,   \* the requests the server took out
    flag,     \* the wake-up flag in the ring's memory
    srv       \* the server: "run", "check" (flag cleared), "sleepy" (saw the ring empty), "asleep"

segVars == <<gst, nextSeg>>
vstVars == <<vst, parent, grantor>>
thrVars == <<dom, reg, stack, spent>>
ringVars == <<ring, issued, served, flag, srv>>
vars == <<gst, nextSeg, vst, parent, grantor, dom, reg, stack, tlb, rev, spent, mem,
          ring, issued, served, flag, srv>>

Entry == [slot : 0..NSlots, rights : SUBSET Rights]
Register == [slot : 0..NSlots, rights : SUBSET DataRights, from : Domains \cup {NoDomain}, sel : AllSels]
Frame == [dom : Domains, regs : [Regs -> Register]]
Ref == [d : Domains \cup {NoDomain}, s : 0..NSels]

TypeOK ==
    /\ gst \in [Slots -> [seg : 0..NSegs, owner : Domains \cup {NoDomain}]]
    /\ \A i \in Slots : (gst[i].seg = 0) <=> (gst[i].owner = NoDomain)
    /\ nextSeg \in 1..(NSegs + 1)
    /\ \A i \in Slots : gst[i].seg < nextSeg   \* identities come fresh from the counter
    /\ \A i, j \in Slots : i # j /\ gst[i].seg # 0 => gst[i].seg # gst[j].seg
    /\ vst \in [Domains -> [Sels -> Entry]]
    /\ \A d \in Domains, s \in Sels : (vst[d][s].slot = 0) <=> (vst[d][s].rights = {})
    /\ parent \in [Domains -> [Sels -> Ref]]
    /\ grantor \in [Domains -> [Sels -> Domains \cup {NoDomain}]]
    /\ \A d \in Domains, s \in Sels :   \* the ghosts of an unused entry are empty
          vst[d][s].slot = 0 => parent[d][s] = NoRef /\ grantor[d][s] = NoDomain
    /\ dom \in [Threads -> Domains]
    /\ reg \in [Threads -> [Regs -> Register]]
    /\ \A t \in Threads, r \in Regs : (reg[t][r].slot = 0) <=> (reg[t][r] = Null)
    /\ \A t \in Threads, r \in Regs : reg[t][r].rights \subseteq {"r", "w"}   \* never the call right
    /\ stack \in [Threads -> Seq(Frame)]
    /\ \A t \in Threads : Len(stack[t]) <= MaxDepth
    /\ tlb \in [Threads -> SUBSET (Slots \X SegIds)]
    /\ \A t \in Threads : \A e \in tlb[t] : e[2] < nextSeg
    /\ rev.by \in Threads \cup {NoThread} /\ rev.pending \subseteq Threads
    /\ rev.by \notin rev.pending   \* the kernel never interrupts its own CPU
    /\ spent \in [Threads -> 0..Budget]
    /\ \A t \in Threads : stack[t] = <<>> => spent[t] = 0   \* the budget counts only time away from home
    /\ mem \in [Domains -> SUBSET Register]
    /\ ring \in Seq(1..NReq) /\ issued \in 0..NReq /\ served \subseteq 1..NReq
    /\ flag \in BOOLEAN /\ srv \in {"run", "check", "sleepy", "asleep"}

\* The entry granted to d at s before the start (from the owner's root entry).
FirstGrant(d, s) == {g \in FirstGrants : g.d = d /\ g.s = s}
Pick1(d, s) == CHOOSE g \in FirstGrant(d, s) : TRUE

Init ==
    /\ gst = [i \in Slots |-> [seg |-> i, owner |-> FirstOwner[i]]]
    /\ nextSeg = NSlots + 1
    /\ vst = [d \in Domains |-> [s \in Sels |->
                IF s \in Slots /\ FirstOwner[s] = d THEN [slot |-> s, rights |-> Rights]
                ELSE IF FirstGrant(d, s) # {} THEN [slot |-> Pick1(d, s).slot, rights |-> Pick1(d, s).rights]
                ELSE NoEntry]]
    /\ parent = [d \in Domains |-> [s \in Sels |->
                IF FirstGrant(d, s) # {} THEN [d |-> FirstOwner[Pick1(d, s).slot], s |-> Pick1(d, s).slot] ELSE NoRef]]
    /\ grantor = [d \in Domains |-> [s \in Sels |->
                IF FirstGrant(d, s) # {} THEN FirstOwner[Pick1(d, s).slot] ELSE NoDomain]]
    /\ dom = Home
    /\ reg = [t \in Threads |-> [r \in Regs |-> Null]]
    /\ stack = [t \in Threads |-> <<>>]
    /\ tlb = [t \in Threads |-> {}]
    /\ rev = NoRev
    /\ spent = [t \in Threads |-> 0]
    /\ mem = [d \in Domains |-> {}]
    /\ ring = <<>> /\ issued = 0 /\ served = {} /\ flag = FALSE /\ srv = "run"

-----------------------------------------------------------------------------
(* Helpers                                                               *)

\* A thread waiting for the revocation or deletion it asked for takes no steps
\* (with the bug, the kernel has returned to it already).
Busy(t) == IF Bug = "revoke_returns_early" THEN FALSE ELSE rev.by = t
\* Whether a Vst entry is a root entry (the owner's) and whether it is in use.
Used(d, s) == vst[d][s].slot # 0
IsRoot(d, s) == Used(d, s) /\ parent[d][s] = NoRef
\* What loading selector s in domain d gives.
Translate(d, s) ==
    IF Bug = "raw_selectors"
    THEN IF s \in Slots /\ gst[s].seg # 0 /\ DataRights # {}
         THEN [slot |-> s, rights |-> DataRights, from |-> d, sel |-> s] ELSE Null
    ELSE IF s = 0 THEN Null
         ELSE LET e == vst[d][s] IN
              IF e.slot = 0 \/ e.rights \cap DataRights = {} THEN Null
              ELSE [slot |-> e.slot, rights |-> e.rights \cap DataRights, from |-> d, sel |-> s]
\* The entries derived from the entries in S, S included (n rounds of one generation each).
RECURSIVE Closure(_, _)
Closure(S, n) ==
    IF n = 0 THEN S
    ELSE Closure(S \cup {<<d, s>> \in Domains \X Sels :
                           Used(d, s) /\ <<parent[d][s].d, parent[d][s].s>> \in S}, n - 1)
Subtree(d, s) ==
    IF Bug = "revoke_shallow" THEN {<<d, s>>}
    ELSE Closure({<<d, s>>}, Cardinality(Domains) * NSels)
\* A register a revocation must clear: loaded through a removed entry, or naming the deleted slot.
Hit(v, gone, slot) ==
    /\ v # Null
    /\ \/ <<v.from, v.sel>> \in gone
       \/ slot # 0 /\ (v.slot = slot \/ Bug = "delete_clears_all")
\* (With the bug, clearing a register loads the null selector, which keeps the hidden part.)
Fix(regs, gone, slot) ==
    [r \in Regs |-> IF Hit(regs[r], gone, slot)
                    THEN IF Bug = "null_keeps_hidden" THEN [regs[r] EXCEPT !.slot = 0] ELSE Null
                    ELSE regs[r]]
FixFrames(st, gone, slot) ==
    IF Bug = "revoke_misses_frames" THEN st
    ELSE [k \in 1..Len(st) |-> [st[k] EXCEPT !.regs = Fix(@, gone, slot)]]
\* The Vsts without the entries in gone.
Without(gone) ==
    /\ vst' = [d \in Domains |-> [s \in Sels |-> IF <<d, s>> \in gone THEN NoEntry ELSE vst[d][s]]]
    /\ parent' = [d \in Domains |-> [s \in Sels |-> IF <<d, s>> \in gone THEN NoRef ELSE parent[d][s]]]
    /\ grantor' = [d \in Domains |-> [s \in Sels |-> IF <<d, s>> \in gone THEN NoDomain ELSE grantor[d][s]]]
NoTlbOf(entries, slot) == {e \in entries : e[1] # slot}
\* The thread's domain may make calls: its home, or a hostile service (which calls out).
MayCall(t) == dom[t] = Home[t] \/ dom[t] \in Hostile

-----------------------------------------------------------------------------
(* Segment registers and the TLB (hardware)                              *)

\* t loads register r with selector s (0: clears it), through its domain's Vst.
RegLoad(t, r, s) ==
    /\ "load" \in Ops
    /\ ~Busy(t)
    /\ reg' = [reg EXCEPT ![t][r] = Translate(dom[t], s)]
    /\ UNCHANGED <<segVars, vstVars, dom, stack, tlb, rev, spent, mem, ringVars>>

\* t's CPU caches the translation of the slot in register r (on an access).
TlbFill(t, r) ==
    /\ "tlb" \in Ops
    /\ ~Busy(t)
    /\ reg[t][r].slot # 0
    /\ LET i == reg[t][r].slot IN
       /\ gst[i].seg # 0
       /\ \A e \in tlb[t] : e[1] # i
       /\ tlb' = [tlb EXCEPT ![t] = @ \cup {<<i, gst[i].seg>>}]
    /\ UNCHANGED <<segVars, vstVars, thrVars, rev, mem, ringVars>>

\* t's CPU drops a cached translation.
TlbEvict(t, e) ==
    /\ e \in tlb[t]
    /\ tlb' = [tlb EXCEPT ![t] = @ \ {e}]
    /\ UNCHANGED <<segVars, vstVars, thrVars, rev, mem, ringVars>>

\* t saves register r in its domain's memory (push): the selector it was loaded
\* with (with the bug, the whole register, hidden part included).
Saved(v) == [Null EXCEPT !.sel = v.sel]
RegSave(t, r) ==
    /\ "spill" \in Ops
    /\ ~Busy(t)
    /\ reg[t][r] # Null
    /\ mem' = [mem EXCEPT ![dom[t]] = @ \cup {IF Bug = "lent_survives_return" THEN reg[t][r] ELSE Saved(reg[t][r])}]
    /\ UNCHANGED <<segVars, vstVars, thrVars, tlb, rev, ringVars>>

\* t reloads register r from a value saved in its domain's memory (pop): the
\* selector is translated through the domain's Vst now (with the bug, the saved
\* register is taken as it was).
RegRestore(t, r, v) ==
    /\ "spill" \in Ops
    /\ ~Busy(t)
    /\ v \in mem[dom[t]]
    /\ reg' = [reg EXCEPT ![t][r] = IF Bug = "lent_survives_return" THEN v ELSE Translate(dom[t], v.sel)]
    /\ UNCHANGED <<segVars, vstVars, dom, stack, tlb, rev, spent, mem, ringVars>>

-----------------------------------------------------------------------------
(* Far call and return (hardware), and the budget (kernel)               *)

\* t far calls the code of the owner of the segment its selector s names.
FarCall(t, s) ==
    /\ "call" \in Ops
    /\ ~Busy(t)
    /\ MayCall(t)
    /\ Len(stack[t]) < MaxDepth
    /\ "c" \in vst[dom[t]][s].rights
    /\ LET callee == gst[vst[dom[t]][s].slot].owner IN
       /\ callee \notin {dom[t], NoDomain}
       /\ stack' = [stack EXCEPT ![t] = Append(@, [dom |-> dom[t], regs |-> reg[t]])]
       /\ dom' = [dom EXCEPT ![t] = callee]
       /\ spent' = IF Len(stack[t]) = 0 \/ Bug = "budget_per_call" THEN [spent EXCEPT ![t] = 0] ELSE spent
    /\ UNCHANGED <<segVars, vstVars, reg, tlb, rev, mem, ringVars>>

\* t returns from its last far call (a hostile service's code never does).
FarReturn(t) ==
    /\ ~Busy(t)
    /\ stack[t] # <<>>
    /\ dom[t] \notin Hostile
    /\ LET f == stack[t][Len(stack[t])] IN
       /\ dom' = [dom EXCEPT ![t] = f.dom]
       /\ reg' = IF Bug = "return_keeps_registers" THEN reg ELSE [reg EXCEPT ![t] = f.regs]
    /\ stack' = [stack EXCEPT ![t] = SubSeq(@, 1, Len(@) - 1)]
    /\ spent' = IF Len(stack[t]) = 1 THEN [spent EXCEPT ![t] = 0] ELSE spent
    /\ UNCHANGED <<segVars, vstVars, tlb, rev, mem, ringVars>>

\* A timer tick while t is away from home counts against its budget.
BudgetTick(t) ==
    /\ Budget > 0
    /\ stack[t] # <<>>
    /\ spent[t] < Budget
    /\ spent' = [spent EXCEPT ![t] = @ + 1]
    /\ UNCHANGED <<segVars, vstVars, dom, reg, stack, tlb, rev, mem, ringVars>>

\* The budget is spent: the kernel ends t's far calls and returns it home,
\* with the registers saved at its first call.
CallAbort(t) ==
    /\ Budget > 0
    /\ ~Busy(t)
    /\ stack[t] # <<>>
    /\ spent[t] >= (IF Bug = "abort_early" THEN Budget - 1 ELSE Budget)
    /\ dom' = [dom EXCEPT ![t] = stack[t][1].dom]
    /\ reg' = [reg EXCEPT ![t] = stack[t][1].regs]
    /\ stack' = [stack EXCEPT ![t] = <<>>]
    /\ spent' = [spent EXCEPT ![t] = 0]
    /\ UNCHANGED <<segVars, vstVars, tlb, rev, mem, ringVars>>

-----------------------------------------------------------------------------
(* Kernel calls: grant, create, revoke, delete                           *)

\* t's domain grants its entry s to another domain d2 at the free selector s2, with rights R.
GrantEntry(t, s, d2, s2, R) ==
    /\ "grant" \in Ops
    /\ Bug = "grant_while_revoking" \/ ~Busy(t)
    /\ Used(dom[t], s)
    /\ R # {} /\ R \subseteq vst[dom[t]][s].rights
    /\ Bug = "grant_full_only" => R = vst[dom[t]][s].rights
    /\ d2 # dom[t]
    /\ ~Used(d2, s2)
    /\ vst' = [vst EXCEPT ![d2][s2] = [slot |-> vst[dom[t]][s].slot, rights |-> R]]
    /\ parent' = [parent EXCEPT ![d2][s2] = [d |-> dom[t], s |-> s]]
    /\ grantor' = [grantor EXCEPT ![d2][s2] = dom[t]]
    /\ UNCHANGED <<segVars, thrVars, tlb, rev, mem, ringVars>>

\* The same, naming the entry by a register loaded through it: the kernel takes
\* the entry the register was loaded through, which must be the asking domain's
\* own and still name the register's slot, and grants at most that entry's
\* rights now (the entry may have been revoked and granted again since the load).
GrantFromReg(t, r, d2, s2, R) ==
    LET v == reg[t][r] IN
    /\ "grantreg" \in Ops
    /\ ~Busy(t)
    /\ v # Null
    /\ IF Bug = "callee_copies_lent"
       THEN R # {} /\ R \subseteq v.rights
       ELSE /\ v.from = dom[t] /\ vst[v.from][v.sel].slot = v.slot
            /\ R # {} /\ R \subseteq vst[v.from][v.sel].rights
    /\ ~Used(d2, s2)
    /\ vst' = [vst EXCEPT ![d2][s2] = [slot |-> v.slot, rights |-> R]]
    /\ parent' = [parent EXCEPT ![d2][s2] = [d |-> v.from, s |-> v.sel]]
    /\ grantor' = [grantor EXCEPT ![d2][s2] = dom[t]]
    /\ UNCHANGED <<segVars, thrVars, tlb, rev, mem, ringVars>>

\* t's domain makes a segment in the free slot i, at its free selector s.
SegCreate(t, i, s) ==
    /\ "create" \in Ops
    /\ ~Busy(t)
    /\ dom[t] = Home[t]
    /\ gst[i].seg = 0
    /\ nextSeg <= NSegs
    /\ ~Used(dom[t], s)
    /\ gst' = [gst EXCEPT ![i] = [seg |-> nextSeg, owner |-> dom[t]]]
    /\ nextSeg' = nextSeg + 1
    /\ vst' = [vst EXCEPT ![dom[t]][s] = [slot |-> i, rights |-> Rights]]
    /\ UNCHANGED <<parent, grantor, thrVars, tlb, rev, mem, ringVars>>

\* The start of a revocation or deletion by t: the entries in gone are removed,
\* t's own registers, frames and (for a deletion) TLB are fixed, and every other
\* CPU is interrupted.
RevStart(t, gone, slot) ==
    /\ Without(gone)
    /\ reg' = [reg EXCEPT ![t] = Fix(@, gone, slot)]
    /\ stack' = [stack EXCEPT ![t] = FixFrames(@, gone, slot)]
    /\ tlb' = IF slot # 0 THEN [tlb EXCEPT ![t] = NoTlbOf(@, slot)] ELSE tlb
    /\ rev' = [by |-> t, gone |-> gone, slot |-> slot,
               pending |-> IF Bug = "revoke_local_only" THEN {} ELSE Threads \ {t}]

\* The owner revokes entry s of domain d2 and everything derived from it.
SegRevoke(t, d2, s) ==
    /\ "revoke" \in Ops
    /\ ~Busy(t)
    /\ rev = NoRev
    /\ Used(d2, s) /\ ~IsRoot(d2, s)
    /\ gst[vst[d2][s].slot].owner = dom[t]
    /\ RevStart(t, Subtree(d2, s), 0)
    /\ UNCHANGED <<segVars, dom, spent, mem, ringVars>>

\* The owner deletes the segment of its root entry s: every entry naming its slot goes.
SegDelete(t, s) ==
    /\ "delete" \in Ops
    /\ ~Busy(t)
    /\ rev = NoRev
    /\ IsRoot(dom[t], s)
    /\ gst[vst[dom[t]][s].slot].owner = dom[t]
    /\ LET i == vst[dom[t]][s].slot IN
       RevStart(t, {<<d, s2>> \in Domains \X Sels : vst[d][s2].slot = i}, i)
    /\ UNCHANGED <<segVars, dom, spent, mem, ringVars>>

\* The interrupt on u's CPU: its registers and saved frames loaded through a
\* removed entry are cleared, and for a deletion the slot leaves its TLB.
RevAnswer(u) ==
    /\ u \in rev.pending
    /\ reg' = [reg EXCEPT ![u] = Fix(@, rev.gone, rev.slot)]
    /\ stack' = [stack EXCEPT ![u] = FixFrames(@, rev.gone, rev.slot)]
    /\ tlb' = IF rev.slot # 0 /\ Bug # "delete_no_shootdown" THEN [tlb EXCEPT ![u] = NoTlbOf(@, rev.slot)] ELSE tlb
    /\ rev' = [rev EXCEPT !.pending = @ \ {u}]
    /\ UNCHANGED <<segVars, vstVars, dom, spent, mem, ringVars>>

\* Every CPU answered: the kernel returns to the asker; a deleted slot is free.
RevDone(t) ==
    /\ rev.by = t
    /\ rev.pending = {}
    /\ gst' = IF rev.slot # 0 THEN [gst EXCEPT ![rev.slot] = FreeSlot] ELSE gst
    /\ rev' = NoRev
    /\ UNCHANGED <<nextSeg, vstVars, thrVars, tlb, mem, ringVars>>

-----------------------------------------------------------------------------
(* The ring                                                              *)

\* A client's thread, in the ring's domain after a far call, puts a request in
\* the ring and sets the flag; if the server sleeps, it asks the kernel to wake it.
RingPut(t) ==
    /\ "ring" \in Ops
    /\ ~Busy(t)
    /\ t # Server
    /\ dom[t] = RingDom
    /\ stack[t] # <<>>
    /\ issued < NReq
    /\ ring' = Append(ring, issued + 1)
    /\ issued' = issued + 1
    /\ flag' = TRUE
    /\ srv' = IF srv = "asleep" THEN "run" ELSE srv
    /\ UNCHANGED <<segVars, vstVars, thrVars, tlb, rev, mem, served>>

ServerHome == Server # NoThread /\ ~Busy(Server) /\ dom[Server] = RingDom /\ stack[Server] = <<>>

\* The server takes the oldest request.
ServerTake ==
    /\ ServerHome
    /\ srv = "run"
    /\ ring # <<>>
    /\ served' = served \cup {Head(ring)}
    /\ ring' = Tail(ring)
    /\ UNCHANGED <<segVars, vstVars, thrVars, tlb, rev, mem, issued, flag, srv>>

\* The ring is empty: the server clears the flag before it looks again.
ServerClear ==
    /\ ServerHome
    /\ srv = "run"
    /\ ring = <<>>
    /\ flag' = FALSE
    /\ srv' = "check"
    /\ UNCHANGED <<segVars, vstVars, thrVars, tlb, rev, mem, ring, issued, served>>

\* The server looks at the ring again: work, or it means to sleep.
ServerLook ==
    /\ ServerHome
    /\ srv = "check"
    /\ srv' = IF ring # <<>> THEN "run" ELSE "sleepy"
    /\ UNCHANGED <<segVars, vstVars, thrVars, tlb, rev, mem, ring, issued, served, flag>>

\* The server asks the kernel to sleep unless the flag is set.
ServerSleep ==
    /\ ServerHome
    /\ srv = "sleepy"
    /\ srv' = IF Bug = "server_polls" THEN "run"
            ELSE IF flag /\ Bug # "sleep_ignores_flag" THEN "run" ELSE "asleep"
    /\ UNCHANGED <<segVars, vstVars, thrVars, tlb, rev, mem, ring, issued, served, flag>>

-----------------------------------------------------------------------------

\* (Every quantifier ranges over a constant set, the state-dependent part in the
\* action's guard, so that TLC names each step by its action.)
Next ==
    \/ \E t \in Threads :
          \/ \E r \in Regs :
                \/ \E s \in AllSels : RegLoad(t, r, s)
                \/ TlbFill(t, r)
                \/ RegSave(t, r)
                \/ \E v \in Register : RegRestore(t, r, v)
                \/ \E d2 \in Domains, s2 \in Sels, R \in SUBSET Rights : GrantFromReg(t, r, d2, s2, R)
          \/ \E e \in Slots \X SegIds : TlbEvict(t, e)
          \/ \E s \in Sels : FarCall(t, s)
          \/ FarReturn(t) \/ BudgetTick(t) \/ CallAbort(t)
          \/ \E s \in Sels, d2 \in Domains, s2 \in Sels, R \in SUBSET Rights : GrantEntry(t, s, d2, s2, R)
          \/ \E i \in Slots, s \in Sels : SegCreate(t, i, s)
          \/ \E d2 \in Domains, s \in Sels : SegRevoke(t, d2, s)
          \/ \E s \in Sels : SegDelete(t, s)
          \/ RevAnswer(t) \/ RevDone(t)
          \/ RingPut(t)
    \/ ServerTake \/ ServerClear \/ ServerLook \/ ServerSleep

Spec == Init /\ [][Next]_vars

\* Fairness for the liveness properties: a service that is not hostile returns,
\* the budget runs and ends the calls it should, the kernel finishes what it
\* starts, and the server runs.
FairSpec ==
    /\ Spec
    /\ \A t \in Threads : /\ WF_vars(FarReturn(t)) /\ WF_vars(BudgetTick(t)) /\ WF_vars(CallAbort(t))
                          /\ WF_vars(RevAnswer(t)) /\ WF_vars(RevDone(t))
    /\ WF_vars(ServerTake) /\ WF_vars(ServerClear) /\ WF_vars(ServerLook) /\ WF_vars(ServerSleep)

-----------------------------------------------------------------------------
(* Properties                                                            *)

\* The domains whose rights a thread may use: its own and its callers' (lent registers).
Chain(t) == {dom[t]} \cup {stack[t][k].dom : k \in 1..Len(stack[t])}
\* The domains of frame k and below: what the registers saved in frame k may use once restored.
ChainAt(t, k) == {stack[t][j].dom : j \in 1..k}
Holds(D, i, R) == \E s \in Sels : vst[D][s].slot = i /\ R \subseteq vst[D][s].rights
\* A register a revocation in progress has not cleared yet.
InFlight(v) == rev # NoRev /\ Hit(v, rev.gone, rev.slot)
RegOk(v, C) == v = Null \/ InFlight(v) \/ \E D \in C : Holds(D, v.slot, v.rights)

\* SEG-2: a loaded segment register (and one saved in a far-call frame) gives
\* only what a domain of the thread's call chain holds in its Vst - unless a
\* revocation of that entry is still in progress.
RegistersAuthorised ==
    \A t \in Threads :
        /\ \A r \in Regs : RegOk(reg[t][r], Chain(t))
        /\ \A k \in 1..Len(stack[t]), r \in Regs : RegOk(stack[t][k].regs[r], ChainAt(t, k))

\* SEG-3: every translation a CPU caches is of the segment its slot holds now
\* (a deleted segment's translations are gone when the deletion is done).
TlbCurrent == \A t \in Threads : \A e \in tlb[t] : gst[e[1]].seg = e[2]

\* SEG-4: a register that a step loads (other than by a far return, an abort
\* or a revocation) holds what its selector names in the thread's domain's Vst:
\* that entry's slot and data rights, loaded through that domain.
LoadsTranslate ==
    [][\A t \in Threads, r \in Regs :
          LET v == reg'[t][r] IN
          /\ v # reg[t][r] /\ v # Null
          /\ Len(stack'[t]) = Len(stack[t])
          => /\ v.from = dom[t]
             /\ v.sel \in Sels
             /\ vst[dom[t]][v.sel].slot = v.slot
             /\ v.rights = vst[dom[t]][v.sel].rights \cap DataRights]_vars

\* SEG-5: every Vst entry other than an owner's root entry was granted by the
\* domain holding the entry it was derived from, names that entry's slot and
\* has at most its rights; and a root entry is the owner's.
GrantedByHolder ==
    \A d \in Domains, s \in Sels :
        Used(d, s) =>
            IF parent[d][s] = NoRef
            THEN gst[vst[d][s].slot].owner = d
            ELSE LET p == parent[d][s] IN
                 /\ grantor[d][s] = p.d
                 /\ vst[p.d][p.s].slot = vst[d][s].slot
                 /\ vst[d][s].rights \subseteq vst[p.d][p.s].rights

\* SEG-6: a far call saves the caller's domain and registers, as they were
\* before the call, in the new frame and leaves the registers loaded (lends
\* them); a far return, or an abort, gives the thread back the domain and the
\* registers saved in the frame it returns to.
ReturnRestores ==
    [][\A t \in Threads :
          /\ Len(stack'[t]) < Len(stack[t]) =>
                LET f == stack[t][Len(stack'[t]) + 1] IN
                dom'[t] = f.dom /\ reg'[t] = f.regs
          /\ Len(stack'[t]) = Len(stack[t]) + 1 =>
                /\ stack'[t][Len(stack'[t])] = [dom |-> dom[t], regs |-> reg[t]]
                /\ reg'[t] = reg[t]]_vars

\* SEG-9: every operation the rules allow can be taken (safety properties cannot
\* see a kernel or a CPU that refuses what it should do, since refusing only
\* removes steps). Each rule is stated from the state, apart from the action's
\* own guard, and asks that the action can take a step of Next with the effect
\* asked (a step of Next: a Next that leaves the step out is caught too):
\* a thread that is not waiting for its own revocation can load any selector
\* whose entry has a data right, save a loaded register, cache a loaded slot's
\* segment, reload a saved register, grant the entry a register was loaded
\* through, far call through an entry with "c" into another domain (from home,
\* or from a hostile service, below MaxDepth), return from a service that is
\* not hostile, and put a request into the ring from the ring's domain; the
\* server at home takes a request, or goes towards sleep; a domain can grant any of its entries to a free selector of
\* another domain with any non-empty part of its rights; the owner can revoke
\* any entry that is not a root, delete its segment and, at home, make a
\* segment in a free slot, while no revocation is in progress; every CPU the
\* revocation waits for can answer, and the asker can finish once all have; and
\* a CPU can drop any translation it caches.
OperationsAvailable ==
    /\ \A t \in Threads : rev.by # t =>
          /\ \A r \in Regs, s \in Sels :
                "load" \in Ops /\ vst[dom[t]][s].rights \cap {"r", "w"} # {} =>
                   ENABLED (RegLoad(t, r, s) /\ Next /\ reg'[t][r].slot = vst[dom[t]][s].slot /\ reg'[t][r].sel = s)
          /\ \A r \in Regs :
                reg[t][r].slot # 0 =>
                   /\ "load" \in Ops => ENABLED (RegLoad(t, r, 0) /\ Next /\ reg'[t][r] = Null)
                   /\ "spill" \in Ops => ENABLED (RegSave(t, r) /\ Next /\ \E x \in mem'[dom[t]] : x.sel = reg[t][r].sel)
                   /\ "tlb" \in Ops /\ gst[reg[t][r].slot].seg # 0 /\ ~(\E e \in tlb[t] : e[1] = reg[t][r].slot) =>
                         ENABLED (TlbFill(t, r) /\ Next /\ <<reg[t][r].slot, gst[reg[t][r].slot].seg>> \in tlb'[t])
          /\ \A s \in Sels :
                /\ "call" \in Ops /\ "c" \in vst[dom[t]][s].rights /\ Len(stack[t]) < MaxDepth
                   /\ (dom[t] = Home[t] \/ dom[t] \in Hostile)
                   /\ gst[vst[dom[t]][s].slot].owner \notin {dom[t], NoDomain}
                   => ENABLED (FarCall(t, s) /\ Next /\ dom'[t] = gst[vst[dom[t]][s].slot].owner)
          /\ \A r \in Regs, v \in mem[dom[t]] :
                "spill" \in Ops => ENABLED (RegRestore(t, r, v) /\ Next /\ (reg'[t][r].sel = v.sel) = (vst[dom[t]][v.sel].rights \cap {"r", "w"} # {}))
          /\ \A r \in Regs, d2 \in Domains, s2 \in Sels, R \in SUBSET Rights :
                /\ "grantreg" \in Ops /\ reg[t][r].slot # 0 /\ reg[t][r].from = dom[t]
                /\ vst[dom[t]][reg[t][r].sel].slot = reg[t][r].slot
                /\ R # {} /\ R \subseteq vst[dom[t]][reg[t][r].sel].rights /\ vst[d2][s2].slot = 0
                => ENABLED (GrantFromReg(t, r, d2, s2, R) /\ Next /\ vst'[d2][s2] = [slot |-> reg[t][r].slot, rights |-> R])
          /\ stack[t] # <<>> /\ dom[t] \notin Hostile => ENABLED (FarReturn(t) /\ Next /\ Len(stack'[t]) < Len(stack[t]))
          /\ "ring" \in Ops /\ t # Server /\ Server # NoThread /\ dom[t] = Home[Server] /\ stack[t] # <<>> /\ issued < NReq =>
                ENABLED (RingPut(t) /\ Next /\ issued' = issued + 1 /\ flag')
          /\ \A s \in Sels, d2 \in Domains, s2 \in Sels, R \in SUBSET Rights :
                /\ "grant" \in Ops /\ vst[dom[t]][s].slot # 0 /\ R # {} /\ R \subseteq vst[dom[t]][s].rights
                /\ d2 # dom[t] /\ vst[d2][s2].slot = 0
                => ENABLED (GrantEntry(t, s, d2, s2, R) /\ Next /\ vst'[d2][s2] = [slot |-> vst[dom[t]][s].slot, rights |-> R])
          /\ rev = NoRev =>
                /\ \A d2 \in Domains, s \in Sels :
                      /\ "revoke" \in Ops /\ vst[d2][s].slot # 0 /\ parent[d2][s] # NoRef
                      /\ gst[vst[d2][s].slot].owner = dom[t]
                      => ENABLED (SegRevoke(t, d2, s) /\ Next /\ vst'[d2][s].slot = 0 /\ rev'.by = t)
                /\ \A s \in Sels :
                      /\ "delete" \in Ops /\ vst[dom[t]][s].slot # 0 /\ parent[dom[t]][s] = NoRef
                      /\ gst[vst[dom[t]][s].slot].owner = dom[t]
                      => ENABLED (SegDelete(t, s) /\ Next /\ rev'.slot = vst[dom[t]][s].slot)
                /\ \A i \in Slots, s \in Sels :
                      /\ "create" \in Ops /\ dom[t] = Home[t] /\ gst[i].seg = 0 /\ nextSeg <= NSegs
                      /\ vst[dom[t]][s].slot = 0
                      => ENABLED (SegCreate(t, i, s) /\ Next /\ gst'[i].seg = nextSeg /\ vst'[dom[t]][s].slot = i)
    /\ Server # NoThread /\ rev.by # Server /\ dom[Server] = RingDom /\ stack[Server] = <<>> =>
          /\ srv = "run" /\ ring # <<>> => ENABLED (ServerTake /\ Next /\ Len(ring') < Len(ring))
          /\ srv = "run" /\ ring = <<>> => ENABLED (ServerClear /\ Next /\ ~flag' /\ srv' = "check")
          /\ srv \in {"check", "sleepy"} => ENABLED ((ServerLook \/ ServerSleep) /\ Next)
    /\ \A t \in Threads : \A e \in tlb[t] : ENABLED (TlbEvict(t, e) /\ Next /\ e \notin tlb'[t])
    /\ \A u \in rev.pending : ENABLED (RevAnswer(u) /\ Next /\ u \notin rev'.pending)
    /\ rev # NoRev /\ rev.pending = {} => ENABLED (RevDone(rev.by) /\ Next /\ rev' = NoRev)

\* SEG-23: no operation is taken that the rules forbid, the converse of
\* SEG-9: each action is enabled only when its rule holds, the rules written
\* from the state apart from the actions' guards (no Busy, Used, IsRoot,
\* MayCall or ServerHome). A thread waiting for its own revocation makes no
\* call, load, save, fill, return or put (its budget may still tick, its CPU
\* drop a cached translation, and the kernel finish the revocation); an
\* operation outside Ops is never taken; a grant of an entry goes to another
\* domain's free selector with a non-empty part of the rights held; a
\* revocation, deletion or creation needs what SEG-9 names, and the server
\* takes, clears, looks and sleeps only at home and in the state each step
\* belongs to. SEG-9 alone passes a kernel that also does what it should
\* refuse: that only adds steps.
NotWaiting(t) == rev.by # t
ServerAtHome == Server # NoThread /\ rev.by # Server /\ dom[Server] = RingDom /\ stack[Server] = <<>>
OperationsOnlyWhenAllowed ==
    /\ \A t \in Threads :
          /\ \A r \in Regs :
                /\ \A s \in AllSels : ~("load" \in Ops /\ NotWaiting(t)) => ~ENABLED RegLoad(t, r, s)
                /\ ~("tlb" \in Ops /\ NotWaiting(t) /\ reg[t][r].slot # 0 /\ gst[reg[t][r].slot].seg # 0
                     /\ ~(\E e \in tlb[t] : e[1] = reg[t][r].slot)) => ~ENABLED TlbFill(t, r)
                /\ ~("spill" \in Ops /\ NotWaiting(t) /\ reg[t][r] # Null) => ~ENABLED RegSave(t, r)
                /\ \A v \in Register :
                      ~("spill" \in Ops /\ NotWaiting(t) /\ v \in mem[dom[t]]) => ~ENABLED RegRestore(t, r, v)
                /\ \A d2 \in Domains, s2 \in Sels, R \in SUBSET Rights :
                      ~(/\ "grantreg" \in Ops /\ NotWaiting(t) /\ reg[t][r] # Null /\ reg[t][r].from = dom[t]
                        /\ vst[dom[t]][reg[t][r].sel].slot = reg[t][r].slot
                        /\ R # {} /\ R \subseteq vst[dom[t]][reg[t][r].sel].rights /\ vst[d2][s2].slot = 0)
                      => ~ENABLED GrantFromReg(t, r, d2, s2, R)
          /\ \A e \in Slots \X SegIds : e \notin tlb[t] => ~ENABLED TlbEvict(t, e)
          /\ \A s \in Sels :
                ~(/\ "call" \in Ops /\ NotWaiting(t) /\ (dom[t] = Home[t] \/ dom[t] \in Hostile)
                  /\ Len(stack[t]) < MaxDepth /\ "c" \in vst[dom[t]][s].rights
                  /\ gst[vst[dom[t]][s].slot].owner \notin {dom[t], NoDomain})
                => ~ENABLED FarCall(t, s)
          /\ ~(NotWaiting(t) /\ stack[t] # <<>> /\ dom[t] \notin Hostile) => ~ENABLED FarReturn(t)
          /\ ~(Budget > 0 /\ stack[t] # <<>> /\ spent[t] < Budget) => ~ENABLED BudgetTick(t)
          /\ ~(Budget > 0 /\ NotWaiting(t) /\ stack[t] # <<>> /\ spent[t] >= Budget) => ~ENABLED CallAbort(t)
          /\ \A s \in Sels, d2 \in Domains, s2 \in Sels, R \in SUBSET Rights :
                ~(/\ "grant" \in Ops /\ NotWaiting(t) /\ vst[dom[t]][s].slot # 0
                  /\ R # {} /\ R \subseteq vst[dom[t]][s].rights /\ d2 # dom[t] /\ vst[d2][s2].slot = 0)
                => ~ENABLED GrantEntry(t, s, d2, s2, R)
          /\ \A i \in Slots, s \in Sels :
                ~(/\ "create" \in Ops /\ NotWaiting(t) /\ dom[t] = Home[t] /\ gst[i].seg = 0
                  /\ nextSeg <= NSegs /\ vst[dom[t]][s].slot = 0)
                => ~ENABLED SegCreate(t, i, s)
          /\ \A d2 \in Domains, s \in Sels :
                ~(/\ "revoke" \in Ops /\ rev = NoRev /\ vst[d2][s].slot # 0 /\ parent[d2][s] # NoRef
                  /\ gst[vst[d2][s].slot].owner = dom[t])
                => ~ENABLED SegRevoke(t, d2, s)
          /\ \A s \in Sels :
                ~(/\ "delete" \in Ops /\ rev = NoRev /\ vst[dom[t]][s].slot # 0 /\ parent[dom[t]][s] = NoRef
                  /\ gst[vst[dom[t]][s].slot].owner = dom[t])
                => ~ENABLED SegDelete(t, s)
          /\ t \notin rev.pending => ~ENABLED RevAnswer(t)
          /\ ~(rev.by = t /\ rev.pending = {}) => ~ENABLED RevDone(t)
          /\ ~(/\ "ring" \in Ops /\ NotWaiting(t) /\ t # Server /\ dom[t] = RingDom /\ stack[t] # <<>>
               /\ issued < NReq)
             => ~ENABLED RingPut(t)
    /\ ~(ServerAtHome /\ srv = "run" /\ ring # <<>>) => ~ENABLED ServerTake
    /\ ~(ServerAtHome /\ srv = "run" /\ ring = <<>>) => ~ENABLED ServerClear
    /\ ~(ServerAtHome /\ srv = "check") => ~ENABLED ServerLook
    /\ ~(ServerAtHome /\ srv = "sleepy") => ~ENABLED ServerSleep

\* SEG-10: the kernel ends far calls only when the budget is spent: a step
\* that returns a thread from a hostile service (whose code never returns), or
\* unwinds more than one far call at once, is the kernel's abort, and only
\* with the budget spent.
AbortsOnlyWhenSpent ==
    [][\A t \in Threads :
          /\ Len(stack'[t]) < Len(stack[t])
          /\ dom[t] \in Hostile \/ Len(stack'[t]) < Len(stack[t]) - 1
          => spent[t] = Budget]_vars

\* SEG-11: a revocation or deletion does what was asked and clears only what it
\* revokes: it removes only entries of segments the asker's domain owns; a
\* revocation (not a deletion) removes no root entry, and what it removes hangs
\* from one entry (every removed entry but one was granted from another removed
\* entry); a deletion, once done, leaves its slot free; and a register (live,
\* or saved in a frame) that a step starting or answering one empties was
\* loaded through a removed entry or names the deleted slot.
RevocationsClearOnlyWhatTheyRevoke ==
    [][/\ rev = NoRev /\ rev' # NoRev =>
          \A d \in Domains, s \in Sels :
             Used(d, s) /\ vst'[d][s].slot = 0 => gst[vst[d][s].slot].owner = dom[rev'.by]
       /\ rev # NoRev /\ rev' = NoRev /\ rev.slot # 0 => gst'[rev.slot] = FreeSlot
       /\ rev = NoRev /\ rev' # NoRev /\ rev'.slot = 0 =>
          LET gone == {<<d, s>> \in Domains \X Sels : Used(d, s) /\ vst'[d][s].slot = 0}
          IN /\ \A e \in gone : parent[e[1]][e[2]] # NoRef
             /\ Cardinality({e \in gone : <<parent[e[1]][e[2]].d, parent[e[1]][e[2]].s>> \notin gone}) = 1
       /\ (rev = NoRev /\ rev' # NoRev) \/ (rev # NoRev /\ rev' # NoRev /\ rev'.pending # rev.pending) =>
          \A t \in Threads :
             /\ \A r \in Regs :
                   reg[t][r] # reg'[t][r] /\ Len(stack'[t]) = Len(stack[t]) =>
                      /\ reg[t][r] # Null
                      /\ <<reg[t][r].from, reg[t][r].sel>> \in rev'.gone \/ reg[t][r].slot = rev'.slot
             /\ Len(stack'[t]) = Len(stack[t]) =>
                   \A k \in 1..Len(stack[t]), r \in Regs :
                      LET v == stack[t][k].regs[r] IN
                      v # stack'[t][k].regs[r] =>
                         /\ v # Null
                         /\ <<v.from, v.sel>> \in rev'.gone \/ v.slot = rev'.slot]_vars

\* SEG-19: the kernel returns to a thread that asked for a revocation or a
\* deletion only when every CPU has answered: until then the thread executes
\* nothing, so its registers, domain and frames stay as they are and its CPU
\* caches nothing new (it may drop entries).
AskerWaits ==
    [][\A t \in Threads :
          rev.by = t /\ rev'.by = t =>
             /\ reg'[t] = reg[t] /\ dom'[t] = dom[t] /\ stack'[t] = stack[t]
             /\ tlb'[t] \subseteq tlb[t]]_vars

\* SEG-20: the ring's server is asleep only with an empty ring: a request is
\* never stranded behind a sleeping server (a put wakes it; the flag, cleared
\* before the server looks a last time, tells it about a put it did not see).
ServerSleepsOnlyIdle == Server # NoThread /\ srv = "asleep" => ring = <<>>

\* SEG-21: an idle server goes to sleep (under FairSpec): once every request
\* has been put and the ring is empty, the server does not poll for ever.
IdleServerSleeps == (issued = NReq /\ ring = <<>>) ~> srv = "asleep"

\* SEG-7: every far call returns (under FairSpec, with the budget as remedy
\* against a hostile service).
CallsReturn == \A t \in Threads : stack[t] # <<>> ~> stack[t] = <<>>

\* SEG-8: every request put into the ring is served.
RequestsServed == \A i \in 1..NReq : issued >= i ~> i \in served

=============================================================================
