--------------------------------- MODULE Tlb ---------------------------------
(***************************************************************************)
(* Translation lookaside buffers on several CPUs, and the kernel protocol  *)
(* that keeps them invisible: shootdown on unmap and on rights downgrade,  *)
(* and ASID allocation with rollover.                                      *)
(*                                                                         *)
(* Page tables are abstract: page v of space s maps a frame, writable or   *)
(* read-only, or nothing. Every CPU has its own TLB, a set of cached       *)
(* entries [asid, vp, frame, w]. The hardware's freedom is modelled in     *)
(* full: at any moment a CPU may fill an entry from the current page table *)
(* of the space it runs (speculatively, whether or not anything accessed  *)
(* it), and may evict any entry. Everything else is the kernel's job.      *)
(*                                                                         *)
(* The choices this spec makes:                                           *)
(*  - Tagged = TRUE: entries carry the ASID the CPU ran under when it     *)
(*    filled them, and survive a context switch; only entries tagged with *)
(*    the CPU's active ASID translate. Tagged = FALSE: entries carry tag 0 *)
(*    and a context switch (a CR3 write) flushes the CPU's TLB.            *)
(*  - Frames have one owner at a time: a space, or Free. PageMap hands a   *)
(*    free frame to a space and maps it; handing a frame that an unmap    *)
(*    freed to another space is frame reuse.                               *)
(*  - PageUnmap and PageDowngrade (rw to r) follow the shootdown protocol: *)
(*    (1) update the page table, (2) invalidate the entries on the CPU     *)
(*    that does the operation, (3) send an IPI to every other CPU that may *)
(*    cache the space's entries, (4) wait for their acknowledgements,      *)
(*    and (5) only then free the frames (for an unmap). Both take an fpage *)
(*    (L4's flush names 2^k aligned pages) and shoot down, in one round of *)
(*    IPIs, every page of it that they change: a kernel batches the pages *)
(*    of one flush, and one acknowledgement covers them all. The kernel's record *)
(*    of which CPUs may cache a space (mayCache, Linux's mm_cpumask) gains *)
(*    a CPU when it switches to the space; with tagged TLBs it keeps it    *)
(*    after the CPU switches away, since the entries survive.              *)
(*  - A CPU handles an IPI at a step boundary: ShootdownAck invalidates    *)
(*    the shot-down pages on that CPU and acknowledges.                    *)
(*  - One page-table operation at a time: PageMap, PageUnmap and           *)
(*    PageDowngrade wait until no shootdown is in progress (a kernel lock *)
(*    held by the initiator until the last acknowledgement). Context      *)
(*    switches, fills, evictions and acknowledgements go on meanwhile.    *)
(*  - With Deletions = TRUE, SpaceDelete(c, s) deletes space s (a thread   *)
(*    of another space asks; c does not run s) by the same protocol: its  *)
(*    page table is emptied, c drops every entry of s's ASID, every other *)
(*    CPU that may cache s gets an IPI and, handling it, drops every entry *)
(*    of that ASID (untagged: its whole TLB, since the entries carry no   *)
(*    tag to select) and leaves s if it runs it (its thread is gone: it   *)
(*    runs nothing); the finish frees s's frames and its ASID. No CPU may *)
(*    switch to s meanwhile. A deleted space is an unused one: a later   *)
(*    switch to it is the creation of a new space in that slot.          *)
(*  - ASIDs 1..NAsids are handed out lowest first, when a CPU switches to *)
(*    a space that has none. When none is free, AsidRollover starts a new *)
(*    generation: every TLB is flushed (modelled as one step: a broadcast  *)
(*    IPI that the initiator waits for), every space loses its ASID except *)
(*    those running on other CPUs, which keep theirs, and the switching    *)
(*    space gets a free one. The generation number is not a variable: only*)
(*    the rollover itself matters, and a counter would make the state     *)
(*    space infinite.                                                      *)
(*                                                                         *)
(* Left out: global entries and kernel mappings (hw-model has the G bit), *)
(* page-size variety and paging-structure caches, accessed and dirty bits, *)
(* negative caching (x86 does not cache not-present entries), rights      *)
(* upgrades (a stale read-only entry only causes a spurious fault), and   *)
(* more than one shootdown in flight.                                     *)
(*                                                                         *)
(* The constant Bug selects one deliberate, realistic mistake:            *)
(*  "lazy_shootdown"         the unmap frees the frame at once, before    *)
(*                           the acknowledgements arrive                   *)
(*  "asid_reuse_no_flush"    a rollover hands out ASIDs again without     *)
(*                           flushing the TLBs                             *)
(*  "downgrade_no_invlpg"    a rights downgrade updates the page table    *)
(*                           and invalidates nothing                       *)
(*  "ipi_only_running"       the IPI goes only to CPUs running the space  *)
(*                           now, not to those that ran it earlier         *)
(*  "skip_local_invlpg"      the initiating CPU does not invalidate its   *)
(*                           own entry                                     *)
(*  "rollover_steals_running" a rollover takes ASIDs from spaces running  *)
(*                           on other CPUs too                             *)
(*  "single_ack_flag"        the shootdown keeps one "done" flag, not the *)
(*                           set of CPUs still to acknowledge: the first  *)
(*                           acknowledgement ends the wait                 *)
(*  "lost_ack"               a CPU handles the IPI (invalidates) but its   *)
(*                           acknowledgement is lost                       *)
(*  "asid_no_wrap"           with no ASID free, a switch hands out the     *)
(*                           next number instead of starting a rollover    *)
(*  "ack_only_running"       a CPU handles a shootdown IPI only while it  *)
(*                           runs the space (the lazy-TLB shortcut): an    *)
(*                           idle or switched-away CPU leaves it pending   *)
(*  "ack_flushes_tlb"        the IPI handler flushes the CPU's whole TLB  *)
(*                           (a CR3 reload) instead of the page: safe, but *)
(*                           every other entry must be walked again        *)
(*  "unmap_leaks_frame"      the shootdown finish forgets to free the     *)
(*                           frame of an unmapped page: it leaks           *)
(*  "ipi_range_off_by_one"   the IPI handler invalidates the page after    *)
(*                           each one it was sent for (an exclusive range *)
(*                           end taken as inclusive, the start skipped);  *)
(*                           with one page per space it is the same page, *)
(*                           so only a bound with two pages can see it     *)
(*  "unmap_past_fpage"       the unmap also clears the page after its     *)
(*                           fpage (a range end taken as inclusive) and   *)
(*                           neither shoots it down nor frees its frame   *)
(*  "untagged_keeps_cpumask" untagged, a switch leaves the CPU in mayCache *)
(*                           of the space it left (mm_cpumask never       *)
(*                           cleared): its CR3 write flushed that space's *)
(*                           entries, so later IPIs to it are wasted      *)
(*  "ipi_self"               the initiator sends the IPI to itself too,   *)
(*                           though it invalidated its own entries        *)
(*  "delete_frees_early"     a deletion frees the space's frames at once, *)
(*                           before the acknowledgements arrive           *)
(*  "delete_keeps_running"   a deletion's IPI handler invalidates but     *)
(*                           leaves a CPU that runs the space running it  *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    CPUs,         \* the processors (model values)
    Spaces,       \* the address spaces (model values)
    NPages,       \* virtual pages per space: 0..NPages-1
    NFrames,      \* physical frames: 0..NFrames-1
    Tagged,       \* TRUE: entries carry an ASID; FALSE: a context switch flushes the TLB
    NAsids,       \* the ASIDs are 1..NAsids (tagged TLBs); 0 means none
    Idle,         \* a model value: what a CPU runs before its first context switch
    NoEntry,      \* a model value: the page-table entry of a page that maps nothing
    Free,         \* a model value: the owner of a frame no space holds
    NoShootdown,  \* a model value: no shootdown in progress
    Deletions,    \* TRUE: spaces can be deleted (SpaceDelete)
    Bug           \* "none", or one deliberate mistake (see the list above)

Bugs == {"none", "lazy_shootdown", "asid_reuse_no_flush", "downgrade_no_invlpg",
         "ipi_only_running", "skip_local_invlpg", "rollover_steals_running", "single_ack_flag",
         "lost_ack", "asid_no_wrap", "ack_only_running", "ipi_range_off_by_one",
         "unmap_leaks_frame", "ack_flushes_tlb", "unmap_past_fpage", "untagged_keeps_cpumask",
         "ipi_self", "delete_frees_early", "delete_keeps_running"}

ASSUME /\ CPUs # {} /\ Spaces # {}
       /\ NPages \in Nat \ {0} /\ NFrames \in Nat \ {0}
       /\ Tagged \in BOOLEAN
       /\ Deletions \in BOOLEAN
       /\ NAsids \in Nat /\ (Tagged => NAsids >= 1)
       /\ Bug \in Bugs

VARIABLES
    pt,         \* pt[s][v]: the frame and writability that page v of space s maps, or NoEntry
    owner,      \* owner[f]: the space that holds frame f, or Free
    tlb,        \* tlb[c]: the entries cached in CPU c's TLB
    running,    \* running[c]: the space CPU c runs, or Idle
    active,     \* active[c]: the ASID CPU c tags and matches entries with (0 when untagged or idle)
    asid,       \* asid[s]: the ASID of space s in the current generation, or 0
    mayCache,   \* mayCache[s]: the CPUs the kernel believes may cache entries of s
    shootdown   \* the shootdown in progress, or NoShootdown

vars == <<pt, owner, tlb, running, active, asid, mayCache, shootdown>>

VPages == 0..(NPages - 1)
Frames == 0..(NFrames - 1)
Asids == 1..NAsids
Tags == 0..NAsids
Pte == [frame : Frames, w : BOOLEAN]
Entry == [asid : Tags, vp : VPages, frame : Frames, w : BOOLEAN]
\* The fpages of a space: 2^k pages aligned to 2^k (cut at NPages), as L4 names
\* the region a flush acts on.
Fpages == {{v \in VPages : v \div (2^k) = i} : k \in 0..NPages, i \in VPages} \ {{}}
\* A shootdown: the pages of space it changed, the entry each had (NoEntry for
\* the others), the tag their entries carry, and the CPUs still to acknowledge.
Shootdown == [initiator : CPUs, space : Spaces, pages : SUBSET VPages, old : [VPages -> Pte \cup {NoEntry}],
              asid : Tags, kind : {"unmap", "downgrade", "delete"}, waiting : SUBSET CPUs]

Min(S) == CHOOSE x \in S : \A y \in S : x <= y
Max(S) == CHOOSE x \in S : \A y \in S : x >= y

\* The tag that entries of space s carry: its ASID, or 0 on an untagged TLB.
TagOf(s) == IF Tagged THEN asid[s] ELSE 0

\* Whether entry e translates on CPU c now.
Usable(c, e) == running[c] \in Spaces /\ e.asid = active[c]

\* The entry e caches exactly what page table entry p says.
Caches(e, p) == p # NoEntry /\ e.frame = p.frame /\ e.w = p.w

\* Entry e of space s is stale but covered by the shootdown in progress.
PendingCovers(s, e) == /\ shootdown # NoShootdown
                       /\ shootdown.space = s /\ e.vp \in shootdown.pages
                       /\ shootdown.asid = e.asid
                       /\ Caches(e, shootdown.old[e.vp])

\* Removes from a TLB the entries for the pages V tagged t: INVLPG, or INVPCID
\* type 0, once per page.
Invalidate(entries, t, V) == {e \in entries : ~(e.vp \in V /\ e.asid = t)}

\* Stated from the constants, not from VPages, Frames and Tags, which the
\* actions use: a wrong range there is then a type error.
TypeOK == LET pages == 0..(NPages - 1)
              frames == 0..(NFrames - 1)
              tags == 0..NAsids
              entries == [asid : tags, vp : pages, frame : frames, w : BOOLEAN]
          IN /\ pt \in [Spaces -> [pages -> [frame : frames, w : BOOLEAN] \cup {NoEntry}]]
             /\ owner \in [frames -> Spaces \cup {Free}]
             /\ tlb \in [CPUs -> SUBSET entries]
             /\ running \in [CPUs -> Spaces \cup {Idle}]
             /\ active \in [CPUs -> tags]
             /\ asid \in [Spaces -> tags]
             /\ mayCache \in [Spaces -> SUBSET CPUs]
             /\ shootdown \in [initiator : CPUs, space : Spaces, pages : SUBSET pages,
                               old : [pages -> [frame : frames, w : BOOLEAN] \cup {NoEntry}], asid : tags,
                               kind : {"unmap", "downgrade", "delete"}, waiting : SUBSET CPUs] \cup {NoShootdown}

Init == /\ pt = [s \in Spaces |-> [v \in VPages |-> NoEntry]]
        /\ owner = [f \in Frames |-> Free]
        /\ tlb = [c \in CPUs |-> {}]
        /\ running = [c \in CPUs |-> Idle]
        /\ active = [c \in CPUs |-> 0]
        /\ asid = [s \in Spaces |-> 0]
        /\ mayCache = [s \in Spaces |-> {}]
        /\ shootdown = NoShootdown

(***************************************************************************)
(* The hardware.                                                           *)
(***************************************************************************)

\* CPU c walks the page table of the space it runs and caches page v.
TlbFill(c, v) ==
    /\ running[c] \in Spaces
    /\ pt[running[c]][v] # NoEntry
    /\ LET e == [asid |-> active[c], vp |-> v,
                 frame |-> pt[running[c]][v].frame, w |-> pt[running[c]][v].w]
       IN /\ e \notin tlb[c]
          /\ tlb' = [tlb EXCEPT ![c] = @ \cup {e}]
    /\ UNCHANGED <<pt, owner, running, active, asid, mayCache, shootdown>>

\* CPU c's TLB drops entry e (capacity, replacement policy: any time).
TlbEvict(c, e) ==
    /\ e \in tlb[c]
    /\ tlb' = [tlb EXCEPT ![c] = @ \ {e}]
    /\ UNCHANGED <<pt, owner, running, active, asid, mayCache, shootdown>>

(***************************************************************************)
(* The kernel.                                                             *)
(***************************************************************************)

\* The kernel hands free frame f to space s and maps it at page v (frame reuse
\* when an earlier unmap freed f).
PageMap(s, v, f, w) ==
    /\ shootdown = NoShootdown
    /\ pt[s][v] = NoEntry
    /\ owner[f] = Free
    /\ pt' = [pt EXCEPT ![s][v] = [frame |-> f, w |-> w]]
    /\ owner' = [owner EXCEPT ![f] = s]
    /\ UNCHANGED <<tlb, running, active, asid, mayCache, shootdown>>

\* The CPUs that must be sent an IPI when CPU c changes a mapping of space s.
IpiTargets(c, s) ==
    IF Bug = "ipi_only_running" THEN {d \in CPUs : running[d] = s} \ {c}
    ELSE IF Bug = "ipi_self" THEN mayCache[s] \cup {c}
    ELSE mayCache[s] \ {c}

\* Steps (2) and (3) of a shootdown of the pages V of space s, started on CPU c.
StartShootdown(c, s, V, kind) ==
    /\ tlb' = IF Bug = "skip_local_invlpg" THEN tlb
              ELSE [tlb EXCEPT ![c] = Invalidate(@, TagOf(s), V)]
    /\ shootdown' = [initiator |-> c, space |-> s, pages |-> V,
                     old |-> [v \in VPages |-> IF v \in V THEN pt[s][v] ELSE NoEntry],
                     asid |-> TagOf(s), kind |-> kind, waiting |-> IpiTargets(c, s)]

\* The pages of fpage F that space s maps, and those it maps writable.
MappedIn(s, F) == {v \in F : pt[s][v] # NoEntry}
WritableIn(s, F) == {v \in F : pt[s][v] # NoEntry /\ pt[s][v].w}

\* CPU c removes the fpage F from space s: step (1) for every page of F that
\* is mapped, then (2) and (3) for them all.
PageUnmap(c, s, F) ==
    /\ shootdown = NoShootdown
    /\ MappedIn(s, F) # {}
    /\ pt' = [pt EXCEPT ![s] = [v \in VPages |-> IF v \in F \/ (Bug = "unmap_past_fpage" /\ v = Max(F) + 1)
                                                THEN NoEntry ELSE pt[s][v]]]
    /\ StartShootdown(c, s, MappedIn(s, F), "unmap")
    /\ owner' = IF Bug = "lazy_shootdown"
                THEN [f \in Frames |-> IF \E v \in MappedIn(s, F) : pt[s][v].frame = f THEN Free ELSE owner[f]]
                ELSE owner
    /\ UNCHANGED <<running, active, asid, mayCache>>

\* CPU c makes the fpage F of space s read-only: the writable pages of it.
PageDowngrade(c, s, F) ==
    /\ shootdown = NoShootdown
    /\ WritableIn(s, F) # {}
    /\ pt' = [pt EXCEPT ![s] = [v \in VPages |-> IF v \in WritableIn(s, F)
                                                  THEN [frame |-> pt[s][v].frame, w |-> FALSE]
                                                  ELSE pt[s][v]]]
    /\ IF Bug = "downgrade_no_invlpg"
          THEN UNCHANGED <<tlb, shootdown>>
          ELSE StartShootdown(c, s, WritableIn(s, F), "downgrade")
    /\ UNCHANGED <<owner, running, active, asid, mayCache>>

\* CPU d handles the shootdown IPI at a step boundary: it invalidates the pages
\* and acknowledges.
ShootdownAck(d) ==
    /\ shootdown # NoShootdown
    /\ d \in shootdown.waiting
    /\ Bug = "ack_only_running" => running[d] = shootdown.space
    /\ tlb' = [tlb EXCEPT ![d] = IF Bug = "ack_flushes_tlb" THEN {}
                                 ELSE IF shootdown.kind = "delete"
                                 THEN IF Tagged THEN Invalidate(@, shootdown.asid, VPages) ELSE {}
                                 ELSE Invalidate(@, shootdown.asid,
                                                 IF Bug = "ipi_range_off_by_one"
                                                 THEN {(v + 1) % NPages : v \in shootdown.pages}
                                                 ELSE shootdown.pages)]
    /\ IF shootdown.kind = "delete" /\ running[d] = shootdown.space /\ Bug # "delete_keeps_running"
          THEN /\ running' = [running EXCEPT ![d] = Idle]
               /\ active' = [active EXCEPT ![d] = 0]
          ELSE UNCHANGED <<running, active>>
    /\ shootdown' = [shootdown EXCEPT !.waiting = IF Bug = "single_ack_flag" THEN {}
                                                ELSE IF Bug = "lost_ack" THEN @
                                                ELSE @ \ {d}]
    /\ UNCHANGED <<pt, owner, asid, mayCache>>

\* The frames the shootdown's pages mapped before it.
ShotFrames == {shootdown.old[v].frame : v \in shootdown.pages}

\* Every acknowledgement is in: step (5), the frames of unmapped pages are freed.
ShootdownFinish ==
    /\ shootdown # NoShootdown
    /\ shootdown.waiting = {}
    /\ owner' = IF shootdown.kind \in {"unmap", "delete"} /\ Bug \notin {"lazy_shootdown", "unmap_leaks_frame"}
                   THEN [f \in Frames |-> IF f \in ShotFrames THEN Free ELSE owner[f]]
                   ELSE owner
    /\ IF shootdown.kind = "delete"
          THEN /\ asid' = [asid EXCEPT ![shootdown.space] = 0]
               /\ mayCache' = [mayCache EXCEPT ![shootdown.space] = {}]
          ELSE UNCHANGED <<asid, mayCache>>
    /\ shootdown' = NoShootdown
    /\ UNCHANGED <<pt, tlb, running, active>>

\* Whether space s is being deleted: no CPU may switch to it.
Deleting(s) == shootdown # NoShootdown /\ shootdown.kind = "delete" /\ shootdown.space = s

\* Whether space s holds anything a deletion releases: a mapped page, an
\* ASID, or CPUs recorded as caching it (a CPU running s is one of them).
\* (Stated as a negated conjunction: a disjunction in an action makes TLC
\* branch, generating the same successor once per true disjunct.)
InUse(s) == ~((\A v \in VPages : pt[s][v] = NoEntry) /\ asid[s] = 0 /\ mayCache[s] = {})

\* CPU c, running another space, deletes space s: steps (1) to (3) of the
\* protocol for every page of s at once, under s's whole ASID.
SpaceDelete(c, s) ==
    /\ Deletions
    /\ shootdown = NoShootdown
    /\ running[c] # s
    /\ InUse(s)
    /\ pt' = [pt EXCEPT ![s] = [v \in VPages |-> NoEntry]]
    /\ tlb' = IF Tagged THEN [tlb EXCEPT ![c] = Invalidate(@, asid[s], VPages)] ELSE tlb
    /\ shootdown' = [initiator |-> c, space |-> s, pages |-> MappedIn(s, VPages), old |-> pt[s],
                     asid |-> TagOf(s), kind |-> "delete", waiting |-> IpiTargets(c, s)]
    /\ owner' = IF Bug = "delete_frees_early"
                THEN [f \in Frames |-> IF \E v \in VPages : pt[s][v] # NoEntry /\ pt[s][v].frame = f THEN Free ELSE owner[f]]
                ELSE owner
    /\ UNCHANGED <<running, active, asid, mayCache>>

\* mayCache after CPU c switches to space s.
SwitchedMayCache(c, s) ==
    [t \in Spaces |->
        IF t = s THEN mayCache[t] \cup {c}
        ELSE IF ~Tagged /\ t = running[c] /\ Bug # "untagged_keeps_cpumask" THEN mayCache[t] \ {c}
        ELSE mayCache[t]]

FreeAsids == Asids \ {asid[t] : t \in Spaces}

\* CPU c switches to space s, which has an ASID, or gets the lowest free one;
\* an untagged TLB is flushed by the CR3 write.
SpaceSwitch(c, s) ==
    /\ running[c] # s
    /\ ~Deleting(s)
    /\ ~(Tagged /\ asid[s] = 0 /\ FreeAsids = {} /\ Bug # "asid_no_wrap")   \* (a disjunction here would make TLC branch)
    /\ LET a == IF ~Tagged THEN 0 ELSE IF asid[s] # 0 THEN asid[s]
                ELSE IF FreeAsids = {} THEN NAsids + 1   \* only the bug gets here
                ELSE Min(FreeAsids)
       IN /\ asid' = IF Tagged THEN [asid EXCEPT ![s] = a] ELSE asid
          /\ active' = [active EXCEPT ![c] = a]
    /\ tlb' = IF Tagged THEN tlb ELSE [tlb EXCEPT ![c] = {}]
    /\ running' = [running EXCEPT ![c] = s]
    /\ mayCache' = SwitchedMayCache(c, s)
    /\ UNCHANGED <<pt, owner, shootdown>>

\* The spaces that keep their ASIDs over a rollover started by CPU c.
Reserved(c) == IF Bug = "rollover_steals_running" THEN {}
               ELSE {running[d] : d \in CPUs \ {c}} \cap Spaces

\* CPU c switches to space s, which has no ASID, and none is free: a new ASID
\* generation starts.
AsidRollover(c, s) ==
    /\ Tagged
    /\ running[c] # s
    /\ ~Deleting(s)
    /\ asid[s] = 0
    /\ FreeAsids = {}
    /\ LET kept == [t \in Spaces |-> IF t \in Reserved(c) THEN asid[t] ELSE 0]
           free == Asids \ {kept[t] : t \in Spaces}
       IN /\ free # {}
          /\ asid' = [kept EXCEPT ![s] = Min(free)]
          /\ active' = [active EXCEPT ![c] = Min(free)]
    /\ tlb' = IF Bug = "asid_reuse_no_flush" THEN tlb ELSE [d \in CPUs |-> {}]
    /\ running' = [running EXCEPT ![c] = s]
    /\ mayCache' = [t \in Spaces |-> {d \in CPUs : running'[d] = t}]
    /\ UNCHANGED <<pt, owner, shootdown>>

Next ==
    \/ \E c \in CPUs, v \in VPages : TlbFill(c, v)
    \/ \E c \in CPUs, e \in Entry : TlbEvict(c, e)
    \/ \E s \in Spaces, v \in VPages, f \in Frames, w \in BOOLEAN : PageMap(s, v, f, w)
    \/ \E c \in CPUs, s \in Spaces, F \in Fpages : PageUnmap(c, s, F)
    \/ \E c \in CPUs, s \in Spaces, F \in Fpages : PageDowngrade(c, s, F)
    \/ \E d \in CPUs : ShootdownAck(d)
    \/ ShootdownFinish
    \/ \E c \in CPUs, s \in Spaces : SpaceSwitch(c, s)
    \/ \E c \in CPUs, s \in Spaces : AsidRollover(c, s)
    \/ \E c \in CPUs, s \in Spaces : SpaceDelete(c, s)

Spec == Init /\ [][Next]_vars

\* The kernel finishes what it starts: a CPU handles a pending IPI, and the
\* initiator ends a shootdown whose acknowledgements are in, if it can.
FairSpec == Spec /\ WF_vars(\E d \in CPUs : ShootdownAck(d)) /\ WF_vars(ShootdownFinish)

(***************************************************************************)
(* Invariants.                                                             *)
(***************************************************************************)

\* TLB-1: every cached entry agrees with the page table of the space that owns
\* its tag, or belongs to a page whose shootdown is in progress.
TlbMatchesPageTable ==
    \A c \in CPUs : \A e \in tlb[c] :
        LET holders == IF Tagged THEN {t \in Spaces : asid[t] = e.asid}
                       ELSE {running[c]} \cap Spaces
        IN /\ holders # {}
           /\ \A t \in holders : Caches(e, pt[t][e.vp]) \/ PendingCovers(t, e)

\* TLB-2: no CPU can translate to a frame that is free or held by another space.
NoStaleFrameAccess ==
    \A c \in CPUs : \A e \in tlb[c] : Usable(c, e) => owner[e.frame] = running[c]

\* TLB-3: no two spaces share an ASID, every CPU runs under its space's ASID,
\* and a CPU that runs nothing (before its first switch, or after it left a
\* deleted space) runs under none.
AsidsUnique ==
    Tagged =>
        /\ \A s, t \in Spaces : s # t /\ asid[s] # 0 => asid[s] # asid[t]
        /\ \A c \in CPUs : running[c] \in Spaces => active[c] = asid[running[c]] /\ active[c] # 0
        /\ \A c \in CPUs : running[c] = Idle => active[c] = 0
        /\ \A c, d \in CPUs : running[c] \in Spaces /\ running[d] \in Spaces
                              /\ active[c] = active[d] => running[c] = running[d]

\* TLB-4: an entry that translates on a CPU (its tag is the CPU's ASID) translates
\* for the space that owns that ASID, as that space's page table says.
AsidEntriesOwned ==
    \A c \in CPUs : \A e \in tlb[c] :
        Usable(c, e) => Caches(e, pt[running[c]][e.vp]) \/ PendingCovers(running[c], e)

\* TLB-5: a write through the TLB goes only where the page table allows writing,
\* unless the downgrade or unmap of that page is still in progress.
NoWriteAfterDowngrade ==
    \A c \in CPUs : \A e \in tlb[c] :
        Usable(c, e) /\ e.w =>
            \/ LET p == pt[running[c]][e.vp] IN p # NoEntry /\ p.w /\ p.frame = e.frame
            \/ PendingCovers(running[c], e)

\* TLB-6: with no shootdown in progress, every access that the TLB satisfies gives
\* the frame and rights a page-table walk gives.
TlbTransparent ==
    shootdown = NoShootdown =>
        \A c \in CPUs : \A e \in tlb[c] : Usable(c, e) => Caches(e, pt[running[c]][e.vp])

\* TLB-12: the page-table operations do what they were asked (their
\* arguments are the request): PageMap(s, v, f, w) maps page v of s to frame
\* f with writability w and gives f to s; PageUnmap(c, s, F) removes every
\* entry of the fpage F but keeps each frame owned by s until the shootdown
\* ends; PageDowngrade(c, s, F) clears the write right of every page of F,
\* keeping its frame; and neither touches a page of s outside F. (Only a
\* step that edits a page table, starts a shootdown or gives a frame away
\* can be one of them: a downgrade that left the entry writable would still
\* start its shootdown, so the guard must not be the page-table edit alone.)
PageOpsDoWhatWasAsked ==
    [][pt' # pt \/ shootdown' # shootdown \/ owner' # owner =>
          \A s \in Spaces :
             /\ \A v \in VPages, f \in Frames, w \in BOOLEAN :
                   PageMap(s, v, f, w) => pt'[s][v] = [frame |-> f, w |-> w] /\ owner'[f] = s
             /\ \A c \in CPUs, F \in Fpages :
                   PageUnmap(c, s, F) =>
                      \A v \in VPages :
                         IF v \in F THEN pt'[s][v] = NoEntry /\ (pt[s][v] # NoEntry => owner'[pt[s][v].frame] = s)
                         ELSE pt'[s][v] = pt[s][v]
             /\ \A c \in CPUs, F \in Fpages :
                   PageDowngrade(c, s, F) =>
                      \A v \in VPages :
                         IF v \in F /\ pt[s][v] # NoEntry THEN pt'[s][v] = [frame |-> pt[s][v].frame, w |-> FALSE]
                         ELSE pt'[s][v] = pt[s][v]]_vars

\* TLB-16: every frame is accounted for: a frame that a page table maps is
\* mapped once and owned by that space; one whose unmap is being shot down
\* is still owned by the unmapping space; every other frame is free. (TLB-2
\* judges only frames the TLBs reach; a frame that an unmap never gives back
\* leaks, and breaks only this.)
FramesAccounted ==
    \A f \in Frames :
        LET mappers == {m \in Spaces \X VPages : pt[m[1]][m[2]] # NoEntry /\ pt[m[1]][m[2]].frame = f}
            draining == shootdown # NoShootdown /\ shootdown.kind \in {"unmap", "delete"}
                        /\ \E v \in shootdown.pages : shootdown.old[v].frame = f
        IN /\ Cardinality(mappers) <= 1
           /\ \A m \in mappers : owner[f] = m[1]
           /\ mappers = {} /\ draining => owner[f] = shootdown.space
           /\ mappers = {} /\ ~draining => owner[f] = Free

\* TLB-13: every shootdown ends (under FairSpec): the CPUs it waits for
\* acknowledge and the initiator finishes it, so that a page-table operation
\* never blocks the kernel for good.
ShootdownCompletes == shootdown # NoShootdown ~> shootdown = NoShootdown
(***************************************************************************)
(* Availability. The invariants above judge the steps that happen; a      *)
(* kernel that refuses a step it should take (an IPI handler that ignores *)
(* an IPI, a switch that waits for an ASID it could get) or hardware      *)
(* modelled too kindly (a TLB that never fills or evicts some entries)    *)
(* only removes steps, which no invariant notices. This states, apart     *)
(* from the actions, when each step must be possible.                     *)
(***************************************************************************)

\* The entry CPU c would cache for page v of the space it runs.
FillEntry(c, v) == [asid |-> active[c], vp |-> v,
                    frame |-> pt[running[c]][v].frame, w |-> pt[running[c]][v].w]

\* TLB-14: each step is enabled exactly when the rules allow it, as a step
\* of Next (ENABLED (A /\ Next)), so that a Next that offers the action for
\* fewer CPUs, spaces or entries than the constants give fails it too. The
\* hardware: a CPU running a space may cache any page its page table maps
\* that it does not cache yet, and may evict any cached entry - and the fill
\* or eviction takes effect (a fill or eviction that changes nothing is no
\* step for TLB-17, which ranges over [][...]_vars, so it is stated here). The kernel:
\* map, unmap and downgrade with no shootdown in progress, of an unmapped page
\* and a free frame, an fpage with a page mapped, and one with a page
\* writable; an acknowledgement
\* by every CPU the shootdown waits for, whatever it runs; the finish once
\* none is left; a switch to another space that has an ASID or can get a
\* free one (or any switch, untagged); and a rollover when none is free and
\* one is left after keeping those of the spaces the other CPUs run; with
\* Deletions, a deletion of a space the CPU does not run that holds a mapped
\* page, an ASID or a CPU that may cache it, with no shootdown in progress
\* (and no switch or rollover to a space being deleted).
OperationsAvailable ==
    /\ \A c \in CPUs, v \in VPages :
          (ENABLED (TlbFill(c, v) /\ Next /\ FillEntry(c, v) \in tlb'[c]))
              <=> (running[c] \in Spaces /\ pt[running[c]][v] # NoEntry /\ FillEntry(c, v) \notin tlb[c])
    /\ \A c \in CPUs, e \in Entry : (ENABLED (TlbEvict(c, e) /\ Next /\ e \notin tlb'[c])) <=> e \in tlb[c]
    /\ \A s \in Spaces, v \in VPages, f \in Frames, w \in BOOLEAN :
          (ENABLED (PageMap(s, v, f, w) /\ Next)) <=> (shootdown = NoShootdown /\ pt[s][v] = NoEntry /\ owner[f] = Free)
    /\ \A c \in CPUs, s \in Spaces, F \in Fpages :
          /\ (ENABLED (PageUnmap(c, s, F) /\ Next)) <=> (shootdown = NoShootdown /\ \E v \in F : pt[s][v] # NoEntry)
          /\ (ENABLED (PageDowngrade(c, s, F) /\ Next)) <=>
                (shootdown = NoShootdown /\ \E v \in F : pt[s][v] # NoEntry /\ pt[s][v].w)
    \* Every single page, and all the pages of a space, are fpages (2^0 pages,
    \* and 2^k cut at NPages): named here apart from Fpages, which Next uses, so
    \* that an Fpages that leaves them out fails this too.
    /\ \A c \in CPUs, s \in Spaces, F \in {{v} : v \in VPages} \cup {VPages} :
          /\ (ENABLED (PageUnmap(c, s, F) /\ Next)) <=> (shootdown = NoShootdown /\ \E v \in F : pt[s][v] # NoEntry)
          /\ (ENABLED (PageDowngrade(c, s, F) /\ Next)) <=>
                (shootdown = NoShootdown /\ \E v \in F : pt[s][v] # NoEntry /\ pt[s][v].w)
    /\ \A d \in CPUs : (ENABLED (ShootdownAck(d) /\ Next)) <=> (shootdown # NoShootdown /\ d \in shootdown.waiting)
    /\ (ENABLED (ShootdownFinish /\ Next)) <=> (shootdown # NoShootdown /\ shootdown.waiting = {})
    /\ \A c \in CPUs, s \in Spaces :
          /\ LET dying == shootdown # NoShootdown /\ shootdown.kind = "delete" /\ shootdown.space = s
             IN /\ (ENABLED (SpaceSwitch(c, s) /\ Next)) <=>
                      (running[c] # s /\ ~dying /\ (Tagged /\ asid[s] = 0 => FreeAsids # {}))
                /\ (ENABLED (AsidRollover(c, s) /\ Next)) <=>
                      (/\ Tagged /\ running[c] # s /\ ~dying /\ asid[s] = 0 /\ FreeAsids = {}
                       /\ \E a \in Asids : \A d \in CPUs \ {c} : running[d] \in Spaces => asid[running[d]] # a)
          /\ (ENABLED (SpaceDelete(c, s) /\ Next)) <=>
                (/\ Deletions /\ shootdown = NoShootdown /\ running[c] # s
                 /\ \/ \E v \in VPages : pt[s][v] # NoEntry
                    \/ asid[s] # 0 \/ mayCache[s] # {})

\* TLB-17: the TLBs change exactly as each step says, and nowhere else (stated
\* without Invalidate, which the actions use): a fill adds its entry to its
\* CPU; an eviction removes its entry; an unmap or downgrade removes, on the
\* initiating CPU only, the entries under the space's tag of the pages of its
\* fpage that it changed; an
\* acknowledgement removes those of the shot-down pages on the acknowledging
\* CPU only; a switch changes no TLB when tagged and empties the switching
\* CPU's when untagged; a rollover empties every TLB; a map or a finish
\* changes none; a deletion removes every entry of the space's ASID on the
\* initiating CPU (tagged; untagged, none), and its acknowledgement every
\* entry of that ASID (tagged) or the whole TLB (untagged). An invalidation that misses its page is caught by TLB-1; one
\* that also removes other entries, a flush coarser than the design's (which
\* costs TLB misses, not safety), only by this.
WithoutPages(entries, t, V) == {e \in entries : e.vp \notin V \/ e.asid # t}

TlbStepsExact ==
    [][/\ \A c \in CPUs, v \in VPages :
           TlbFill(c, v) => tlb' = [tlb EXCEPT ![c] = @ \cup {FillEntry(c, v)}]
       /\ \A c \in CPUs, e \in Entry : TlbEvict(c, e) => tlb' = [tlb EXCEPT ![c] = @ \ {e}]
       /\ \A c \in CPUs, s \in Spaces, F \in Fpages :
           PageUnmap(c, s, F) \/ PageDowngrade(c, s, F) =>
               tlb' = [tlb EXCEPT ![c] = WithoutPages(@, IF Tagged THEN asid[s] ELSE 0,
                                                      {v \in F : pt'[s][v] # pt[s][v]})]
       /\ \A d \in CPUs :
           ShootdownAck(d) => tlb' = [tlb EXCEPT ![d] = IF shootdown.kind # "delete" THEN WithoutPages(@, shootdown.asid, shootdown.pages)
                                                      ELSE IF Tagged THEN WithoutPages(@, shootdown.asid, VPages) ELSE {}]
       /\ \A c \in CPUs, s \in Spaces :
           /\ SpaceSwitch(c, s) => tlb' = IF Tagged THEN tlb ELSE [tlb EXCEPT ![c] = {}]
           /\ AsidRollover(c, s) => tlb' = [d \in CPUs |-> {}]
           /\ SpaceDelete(c, s) => tlb' = IF Tagged THEN [tlb EXCEPT ![c] = WithoutPages(@, asid[s], VPages)] ELSE tlb
       /\ (\E s \in Spaces, v \in VPages, f \in Frames, w \in BOOLEAN : PageMap(s, v, f, w)) => tlb' = tlb
       /\ ShootdownFinish => tlb' = tlb]_vars

\* TLB-20: IPIs go only where they are needed: a shootdown never waits for its
\* own initiator (which invalidated its entries itself), and with untagged
\* TLBs only for CPUs that run the space when it starts (every other CPU's
\* CR3 write flushed the space's entries when it switched away). Stated from
\* the running CPUs, not from mayCache, which the actions use. An extra IPI
\* is safe, so no other property sees one; it costs an interrupt, an
\* invalidation and an acknowledgement on the CPU that gets it. (Tagged
\* TLBs: which CPUs ran the space since its entries were last flushed is
\* history that only mayCache records; that direction is left out.)
IpisOnlyWhereNeeded ==
    [][shootdown = NoShootdown /\ shootdown' # NoShootdown =>
          /\ shootdown'.initiator \notin shootdown'.waiting
          /\ ~Tagged => \A d \in shootdown'.waiting : running[d] = shootdown'.space]_vars


\* TLB-21: a deletion does what was asked: SpaceDelete(c, s) empties s's page
\* table and no other; and when its shootdown finishes, no CPU runs s, s holds
\* no ASID and no CPU is recorded as caching it, every frame s mapped is free,
\* and (tagged) no TLB holds an entry of the ASID s had, unless a rollover
\* meanwhile gave that ASID to another space (the rollover flushed every TLB,
\* and TLB-1 judges the new holder's entries); no frame at all is owned by s.
\* (At the finish, the deleted space, its frames and its ASID are read from
\* the shootdown record that SpaceDelete wrote, the request as it carried it;
\* the last frame clause does not depend on it.)
DeleteLeavesNothing ==
    [][/\ \A c \in CPUs, s \in Spaces :
           SpaceDelete(c, s) => \A t \in Spaces, v \in VPages : pt'[t][v] = IF t = s THEN NoEntry ELSE pt[t][v]
       /\ shootdown # NoShootdown /\ shootdown.kind = "delete" /\ shootdown' = NoShootdown =>
           LET s == shootdown.space
           IN /\ \A d \in CPUs : running'[d] # s
              /\ asid'[s] = 0 /\ mayCache'[s] = {}
              /\ \A v \in VPages : pt'[s][v] = NoEntry
              /\ \A v \in shootdown.pages : owner'[shootdown.old[v].frame] = Free
              /\ \A f \in Frames : owner'[f] # s
              /\ Tagged => \A d \in CPUs : \A e \in tlb'[d] :
                               e.asid = shootdown.asid => \E t \in Spaces \ {s} : asid'[t] = e.asid]_vars

=============================================================================
