----------------------------- MODULE SmallSpaces -----------------------------
(***************************************************************************)
(*  L4's small address spaces on x86-32 (Liedtke, "Improved Address-Space  *)
(*  Switching on Pentium Processors by Transparently Multiplexing User      *)
(*  Address Spaces", 1995; the Pentium L4): isolation by segment limits    *)
(*  and TLB entries kept across switches.                                  *)
(*                                                                         *)
(*  Modelled:                                                              *)
(*   - Large spaces, each with its own page table for the user half        *)
(*     (linear pages 0..NPages-1), and small spaces, each living in a      *)
(*     window of a region above the user half (linear pages Base[s] to     *)
(*     Base[s] + Size[s] - 1). The region's page tables are shared: every  *)
(*     large space's page directory holds the same entries for it, so the *)
(*     walk of a region address does not depend on which large space's     *)
(*     table CR3 holds.                                                    *)
(*   - A frame is named by the space and page that own it, <<s, p>>: a     *)
(*     space's pages are its own frames, so an access that reaches a frame *)
(*     of another space is an isolation failure.                           *)
(*   - Per CPU: the space it runs (cur), the large space whose table CR3   *)
(*     holds (cr3), the data segment loaded (seg: base and limit in pages; *)
(*     a large space's is flat), and an untagged TLB (a set of <<linear    *)
(*     page, frame>>), as on the i486 and Pentium.                         *)
(*   - Switch: to a large space, the kernel reloads CR3 (which flushes the *)
(*     TLB) unless CR3 already holds that space's table; to a small space  *)
(*     it reloads the segment registers only: CR3 and the TLB stay.        *)
(*   - Access of page p by the running space: the segment's limit check    *)
(*     (p beyond the limit faults), then the linear page base + p through  *)
(*     the TLB, or on a miss through the walk, which fills the TLB.        *)
(*   - Map and unmap of a space's page (the mapping database is the        *)
(*     AddressSpaces spec's business); unmap shoots the page's TLB entries *)
(*     down on every CPU at once (the protocol in steps is the Tlb spec's).*)
(*   - The hardware may evict any TLB entry.                               *)
(*   - A ghost, acc, records the access the last step made (NoAccess if  *)
(*     it made none): as it was asked (CPU, space, page) and what it got   *)
(*     (the linear page used, or -1 when the limit check faulted; the      *)
(*     frame reached, or <<>> for a fault). Every other step clears it, so *)
(*     an access is never a stuttering step after a change.                *)
(*                                                                         *)
(*  Left out: growing a small space into a large one when it outgrows its  *)
(*  window, code segments and the kernel's own segments, global pages,     *)
(*  the cost of a switch (the kernel designs and ./mkspec bench cycles     *)
(*  have it), and offsets within a page.                                   *)
(*                                                                         *)
(*  Bugs (constant Bug), each a realistic mistake:                         *)
(*   "limit_off_by_one"      the segment limit is one page too large (a    *)
(*                           limit set to the size rather than the size    *)
(*                           minus one): the page after a small space's    *)
(*                           window, its neighbour's first, is reachable   *)
(*   "switch_keeps_segment"  a switch to a small space keeps the segment   *)
(*                           registers loaded (the kernel reloads them on  *)
(*                           a switch to a large space only)               *)
(*   "large_switch_no_flush" a switch to another large space loads CR3     *)
(*                           without flushing the TLB (as with a global    *)
(*                           bit set on user pages)                        *)
(*   "unmap_local_flush"     unmap invalidates the TLB of the CPU that asks *)
(*                           only                                          *)
(*   "small_switch_flushes"  a switch to a small space reloads CR3 (and so *)
(*                           flushes the TLB): safe, but the point of      *)
(*                           small spaces is lost                          *)
(*   "map_short_window"      a map into a small space refuses the last     *)
(*                           page of its window (a size checked with < in  *)
(*                           place of <=)                                  *)
(*   "large_limit_covers_region" a large space's segment reaches to the    *)
(*                           top of the region instead of ending below it: *)
(*                           the windows are in every large space's table, *)
(*                           so a large space reaches the small spaces'    *)
(*                           frames                                        *)
(*   "switch_same_space_flushes" a switch to the space the CPU already     *)
(*                           runs is taken, and to a large space reloads   *)
(*                           CR3, flushing the TLB (a kernel that writes   *)
(*                           CR3 without comparing): safe, a cost          *)
(***************************************************************************)
EXTENDS Integers, FiniteSets

CONSTANTS
    Large,    \* the large spaces
    Small,    \* the small spaces
    Cpus,     \* the CPUs
    NPages,   \* pages of a large space's user half; a small space has at most NPages - 1
    Base,     \* [Small -> Nat]: the first linear page of each small space's window
    Size,     \* [Small -> Nat]: the pages of each small space's window
    FirstRun, \* [Cpus -> Large]: the large space each CPU runs at the start
    Bug

Spaces == Large \cup Small
Pages == 0..(NPages - 1)

ASSUME /\ Large # {} /\ Large \cap Small = {}
       /\ NPages \in Nat \ {0}
       /\ Base \in [Small -> Nat] /\ Size \in [Small -> 1..(NPages - 1)]
       /\ \A s \in Small : Base[s] >= NPages
       /\ \A s, t \in Small : s # t => Base[s] + Size[s] <= Base[t] \/ Base[t] + Size[t] <= Base[s]
       /\ FirstRun \in [Cpus -> Large]
       /\ Bug \in {"none", "limit_off_by_one", "switch_keeps_segment", "large_switch_no_flush",
                   "unmap_local_flush", "small_switch_flushes", "large_limit_covers_region",
                   "map_short_window", "switch_same_space_flushes"}

\* The pages a space has: a small space's are those of its window.
PagesOf(s) == IF s \in Small THEN 0..(Size[s] - 1) ELSE Pages
Frames == {<<s, p>> : s \in Spaces, p \in Pages}
\* The highest linear page: the user half's last, or a window's.
Top == LET ends == {NPages - 1} \cup {Base[s] + Size[s] - 1 : s \in Small}
       IN CHOOSE m \in ends : \A x \in ends : x <= m
\* The offsets an access may ask for: every linear page, the windows included,
\* which every large space's table maps and its segment must keep out of reach.
Offsets == 0..Top
\* The segment a space runs with: its window, or for a large space base 0 and a
\* limit that ends below the region.
SegOf(s) == IF s \in Small THEN [base |-> Base[s], limit |-> Size[s]]
            ELSE [base |-> 0, limit |-> IF Bug = "large_limit_covers_region" THEN Top + 1 ELSE NPages]
NoAccess == [cpu |-> "none", sp |-> "none", pg |-> -1, lin |-> -1, got |-> <<>>]

VARIABLES
    mapped, \* [Spaces -> SUBSET Pages]: the pages each space maps
    cur,    \* [Cpus -> Spaces]: the space each CPU runs
    cr3,    \* [Cpus -> Large]: the large space whose page table CR3 holds
    seg,    \* [Cpus -> [base, limit]]: the data segment loaded
    tlb,    \* [Cpus -> SUBSET (Lin \X Frames)]: cached translations, untagged
    acc     \* ghost: the access the last step made, as asked and as answered (NoAccess: none)

vars == <<mapped, cur, cr3, seg, tlb, acc>>

\* The linear pages a TLB entry can hold: the user half and the windows (a
\* walk of any other page fails, so it is never cached). Next quantifies over
\* constant sets only, so that TLC names each step's action.
Cached == Pages \cup UNION {Base[s]..(Base[s] + Size[s] - 1) : s \in Small}

\* What the walk of large space L's table gives for linear page l: a frame, or <<>>.
Walk(L, l) ==
    IF l < NPages THEN (IF l \in mapped[L] THEN <<L, l>> ELSE <<>>)
    ELSE LET hit == {s \in Small : Base[s] <= l /\ l < Base[s] + Size[s] /\ l - Base[s] \in mapped[s]}
         IN IF hit = {} THEN <<>>
            ELSE LET s == CHOOSE x \in hit : TRUE IN <<s, l - Base[s]>>

\* SEG-14: well-typed state; a CPU running a large space has its table in CR3,
\* and every CPU's segment is the window of the space it runs.
TypeOK ==
    /\ mapped \in [Spaces -> SUBSET Pages]
    /\ \A s \in Small : mapped[s] \subseteq PagesOf(s)
    /\ cur \in [Cpus -> Spaces]
    /\ cr3 \in [Cpus -> Large]
    /\ \A c \in Cpus : cur[c] \in Large => cr3[c] = cur[c]
    /\ \A c \in Cpus : seg[c] = SegOf(cur[c])   \* the segment registers are the running space's
    /\ tlb \in [Cpus -> SUBSET (Nat \X Frames)]
    /\ acc \in [cpu : Cpus \cup {"none"}, sp : Spaces \cup {"none"}, pg : Offsets \cup {-1},
               lin : Nat \cup {-1}, got : Frames \cup {<<>>}]

Init ==
    /\ mapped = [s \in Spaces |-> {}]
    /\ cur = FirstRun
    /\ cr3 = FirstRun
    /\ seg = [c \in Cpus |-> SegOf(FirstRun[c])]
    /\ tlb = [c \in Cpus |-> {}]
    /\ acc = NoAccess

-----------------------------------------------------------------------------

\* Space s maps its page p (to its own frame <<s, p>>).
Map(s, p) ==
    /\ p \in PagesOf(s) /\ p \notin mapped[s]
    /\ IF Bug = "map_short_window" /\ s \in Small THEN p < Size[s] - 1 ELSE TRUE
    /\ mapped' = [mapped EXCEPT ![s] = @ \cup {p}]
    /\ acc' = NoAccess
    /\ UNCHANGED <<cur, cr3, seg, tlb>>

\* Space s unmaps its page p, on CPU c; every CPU's entries of the frame go at once.
Unmap(c, s, p) ==
    /\ p \in mapped[s]
    /\ mapped' = [mapped EXCEPT ![s] = @ \ {p}]
    /\ tlb' = [d \in Cpus |-> IF Bug = "unmap_local_flush" /\ d # c THEN tlb[d]
                             ELSE {e \in tlb[d] : e[2] # <<s, p>>}]
    /\ acc' = NoAccess
    /\ UNCHANGED <<cur, cr3, seg>>

\* The kernel switches CPU c to space s.
Switch(c, s) ==
    /\ Bug = "switch_same_space_flushes" \/ s # cur[c]
    /\ cur' = [cur EXCEPT ![c] = s]
    /\ IF s \in Large
       THEN /\ seg' = [seg EXCEPT ![c] = SegOf(s)]
            /\ IF cr3[c] = s /\ ~(Bug = "switch_same_space_flushes" /\ s = cur[c])
               THEN UNCHANGED <<cr3, tlb>>   \* back to the large space whose table is loaded
               ELSE /\ cr3' = [cr3 EXCEPT ![c] = s]
                    /\ tlb' = IF Bug = "large_switch_no_flush" THEN tlb ELSE [tlb EXCEPT ![c] = {}]
       ELSE /\ seg' = IF Bug = "switch_keeps_segment" THEN seg ELSE [seg EXCEPT ![c] = SegOf(s)]
            /\ UNCHANGED cr3
            \* (with the bug, CR3 is reloaded with its own value, which flushes the TLB)
            /\ tlb' = IF Bug = "small_switch_flushes" THEN [tlb EXCEPT ![c] = {}] ELSE tlb
    /\ acc' = NoAccess
    /\ UNCHANGED mapped

\* The space CPU c runs touches its page p (any offset: the limit decides), through the segment loaded.
Access(c, p) ==
    LET lim == IF Bug = "limit_off_by_one" /\ seg[c].limit < NPages THEN seg[c].limit + 1 ELSE seg[c].limit
        l == seg[c].base + p
        hit == {e \in tlb[c] : e[1] = l}
        w == Walk(cr3[c], l)
        got == IF p >= lim THEN <<>> ELSE IF hit # {} THEN (CHOOSE e \in hit : TRUE)[2] ELSE w
    IN /\ tlb' = IF p < lim /\ hit = {} /\ w # <<>> THEN [tlb EXCEPT ![c] = @ \cup {<<l, w>>}] ELSE tlb
       /\ acc' = [cpu |-> c, sp |-> cur[c], pg |-> p, lin |-> IF p >= lim THEN -1 ELSE l, got |-> got]
       /\ UNCHANGED <<mapped, cur, cr3, seg>>

\* The hardware drops an entry from CPU c's TLB.
Evict(c, e) ==
    /\ e \in tlb[c]
    /\ tlb' = [tlb EXCEPT ![c] = @ \ {e}]
    /\ acc' = NoAccess
    /\ UNCHANGED <<mapped, cur, cr3, seg>>

Next ==
    \/ \E s \in Spaces, p \in Pages : Map(s, p)
    \/ \E c \in Cpus, s \in Spaces, p \in Pages : Unmap(c, s, p)
    \/ \E c \in Cpus, s \in Spaces : Switch(c, s)
    \/ \E c \in Cpus, p \in Offsets : Access(c, p)
    \/ \E c \in Cpus, l \in Cached, f \in Frames : Evict(c, <<l, f>>)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Properties                                                            *)

\* The window of small space s, as linear pages.
Window(s) == Base[s]..(Base[s] + Size[s] - 1)

\* SEG-15: an access of a small space uses a linear page of its own window, or
\* faults at the limit check, before any translation (the TLB is untouched);
\* an access of a large space uses its user half, and faults beyond it.
AccessesStayInWindow ==
    [][acc' # NoAccess =>
         /\ IF acc'.sp \in Small
            THEN IF acc'.pg < Size[acc'.sp] THEN acc'.lin = Base[acc'.sp] + acc'.pg ELSE acc'.lin = -1
            ELSE IF acc'.pg < NPages THEN acc'.lin = acc'.pg ELSE acc'.lin = -1
         /\ acc'.lin = -1 => tlb' = tlb]_vars

\* SEG-16: what an access asked for is what it got: the running space's own
\* frame of the page if the space maps it (for a small space, a page of its
\* window), else a fault.
AccessesGetOwnFrames ==
    [][acc' # NoAccess =>
         /\ acc'.sp = cur[acc'.cpu]
         /\ acc'.got = IF acc'.pg \in mapped[acc'.sp] THEN <<acc'.sp, acc'.pg>> ELSE <<>>]_vars

\* SEG-17: every TLB entry is what the walk of the table CR3 holds gives.
TlbMatchesTables ==
    \A c \in Cpus : \A e \in tlb[c] : Walk(cr3[c], e[1]) = e[2]

\* SEG-22: every operation can be taken, with the effect asked (stated apart
\* from the actions' guards, over every page a space has and every linear page
\* of the user half and the windows, so a Next or an action that refuses one is
\* caught): a space maps any page it has and does not map; any CPU unmaps any
\* mapped page; a CPU switches to any other space; a CPU's access of any offset
\* records what was asked and leaves the translation it used cached; and a CPU
\* drops any entry it caches.
OperationsAvailable ==
    /\ \A s \in Spaces, p \in Pages :
          p \in PagesOf(s) /\ p \notin mapped[s] => ENABLED (Map(s, p) /\ Next /\ p \in mapped'[s])
    /\ \A c \in Cpus, s \in Spaces, p \in Pages :
          p \in mapped[s] => ENABLED (Unmap(c, s, p) /\ Next /\ p \notin mapped'[s])
    /\ \A c \in Cpus, s \in Spaces : s # cur[c] => ENABLED (Switch(c, s) /\ Next /\ cur'[c] = s)
    /\ \A c \in Cpus, p \in Pages \cup UNION {Base[s]..(Base[s] + Size[s] - 1) : s \in Small} :
          ENABLED (Access(c, p) /\ Next /\ acc'.cpu = c /\ acc'.pg = p
                   /\ (acc'.got # <<>> => <<acc'.lin, acc'.got>> \in tlb'[c]))
    /\ \A c \in Cpus : \A e \in tlb[c] : ENABLED (Evict(c, e) /\ Next /\ e \notin tlb'[c])

\* SEG-24: the converse of SEG-22: no operation is taken that the rules
\* forbid, each rule written from the state apart from the actions' guards (not
\* with PagesOf): a space maps only a page it has and does not map, a CPU
\* unmaps only a mapped page, switches only to a space it does not run, and
\* drops only an entry it caches. SEG-22 alone passes a kernel that also takes
\* what it should refuse, since that only adds steps (a switch to the running
\* space that reloads CR3 and flushes the TLB is one: SEG-18 judges switches
\* that move the CPU).
OperationsOnlyWhenAllowed ==
    /\ \A s \in Spaces, p \in Pages :
          ~((s \in Small => p < Size[s]) /\ p \notin mapped[s]) => ~ENABLED Map(s, p)
    /\ \A c \in Cpus, s \in Spaces, p \in Pages : p \notin mapped[s] => ~ENABLED Unmap(c, s, p)
    /\ \A c \in Cpus, s \in Spaces : s = cur[c] => ~ENABLED Switch(c, s)
    /\ \A c \in Cpus, l \in Cached, f \in Frames : <<l, f>> \notin tlb[c] => ~ENABLED Evict(c, <<l, f>>)

\* SEG-18: a switch to a small space, or back to the large space whose table
\* CR3 holds, keeps CR3 and the TLB (no flush): the point of small spaces.
\* (Stated on the step, not through Switch: any step that moves a CPU to a small
\* space, or back to the large space CR3 holds, must keep that CPU's CR3 and TLB.)
SmallSwitchKeepsTlb ==
    [][\A c \in Cpus :
         cur'[c] # cur[c] /\ (cur'[c] \in Small \/ cr3[c] = cur'[c]) => cr3'[c] = cr3[c] /\ tlb'[c] = tlb[c]]_vars
=============================================================================
