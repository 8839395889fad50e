--------------------------- MODULE AddressSpaces ---------------------------
(***************************************************************************)
(* L4 address spaces, built by three operations (Liedtke, "On             *)
(* micro-kernel construction", SOSP 1995), over a mapping database.        *)
(*                                                                         *)
(* Sigma0 is the initial space: its page f maps frame f with every right,  *)
(* and those identity mappings are the roots of the mapping database, one *)
(* tree per frame. Every other mapping was derived from one of them by a  *)
(* chain of map and grant steps, and records the mapping it was derived   *)
(* from as its parent. Flush walks that tree.                              *)
(*                                                                         *)
(* The choices this spec makes:                                           *)
(*  - Rights. A mapping holds a frame and a non-empty subset of Perms.    *)
(*  - Fpages. Every operation acts on an fpage: the 2^FpageOrder pages    *)
(*    starting at an aligned page v. Pages of the fpage that the source   *)
(*    does not map are skipped; the operation needs at least one that it *)
(*    does. Pages are handled in increasing order.                        *)
(*  - SpaceMap(src, v, dst, w, R). For each mapped source page v+i, R must *)
(*    be a subset of its rights. Whatever dst maps at w+i (unless it is   *)
(*    derived from v+i, below) is flushed first, with everything derived *)
(*    from it, as L4 does; then dst's page w+i maps the same frame with  *)
(*    rights R, as a child of src's page v+i.                             *)
(*    Re-mapping extends rights, as L4Ka::Pistachio's map_fpage does     *)
(*    (kernel/src/generic/linear_ptab_walker.cc): a map onto a page that  *)
(*    maps the same frame only raises its rights, and with CONFIG_NEW_MDB *)
(*    only when that page is a direct child of the sender's mapping. This *)
(*    spec takes the second rule: a page already derived from src's page *)
(*    v+i gets its old rights and R, keeps its node and everything derived*)
(*    from it, and nothing is flushed. Both rights sets lie within the    *)
(*    source's, so AS-3 holds. Extending a page derived from another      *)
(*    mapping of the frame could give it more than its parent holds (the *)
(*    first rule; bug remap_any_parent below), so such a page is flushed  *)
(*    and re-derived as before. Grant has no such case: it moves a node.  *)
(*    Mapping within one space is allowed. If that implicit flush would   *)
(*    remove a source page (mapping a page onto itself, or onto a page    *)
(*    the source was itself derived from), the operation is refused: the *)
(*    kernel must not derive a mapping from one it has just destroyed.    *)
(*    Sigma0 never receives: its pages are fixed.                          *)
(*  - SpaceGrant(src, v, dst, w, R). The same preconditions. The source's  *)
(*    node moves to dst's page w+i with rights R, keeping its parent and   *)
(*    everything derived from it; what was derived loses the rights not in*)
(*    R, so that derived rights stay within their parent's. The source    *)
(*    loses the page. Sigma0 never grants: it would give away a root.     *)
(*  - SpaceFlush(s, v, R) revokes R from s's pages in the fpage and from  *)
(*    everything derived from them; SpaceUnmap(s, v, R) revokes R only    *)
(*    from what was derived, sparing s's own mappings. A mapping left with*)
(*    no rights disappears, and everything derived from it with it.       *)
(*    Sigma0's own mappings are never revoked.                             *)
(*  - SpaceCreate(s) brings an empty space into being; SpaceDelete(s)     *)
(*    flushes all of s's mappings (and so everything derived from them     *)
(*    elsewhere) and ends s. A deleted space's name may be created again. *)
(*                                                                         *)
(* Left out: the sizes of real address spaces (pages are small integers),  *)
(* the IPC that carries map and grant items (see the Ipc spec), page       *)
(* faults and pagers, and the hardware page tables and TLBs (see Tlb).     *)
(*                                                                         *)
(* The constant Bug selects one deliberate, realistic mistake for the bug *)
(* variants that show each invariant can fail; "none" is the real spec.   *)
(*  "flush_shallow"        flush revokes rights only from direct children  *)
(*  "grant_copies"         grant leaves the source its mapping             *)
(*  "map_no_rights_check"  map does not check that R is within the source's*)
(*  "flush_keeps_empty"    a mapping left with no rights is kept           *)
(*  "fpage_offset"         map gives every page of an fpage the frame of  *)
(*                         its first mapped page                           *)
(*  "sigma0_grant"         Sigma0 may grant its identity mappings away     *)
(*  "grant_orphans"        grant moves a node but leaves its children     *)
(*                         pointing at its old place                       *)
(*  "delete_keeps_derived" deleting a space removes its own mappings but  *)
(*                         not what was derived from them                  *)
(*  "unmap_keeps_node"     a revoked mapping leaves its database node      *)
(*  "flush_sigma0"         flush may revoke Sigma0's own mappings          *)
(*  "grant_no_narrow"      grant moves a node but does not narrow what was *)
(*                         derived from it to the granted rights           *)
(*  "map_wrong_parent"     map records the new node under the root of its  *)
(*                         frame's tree (Sigma0's page) instead of under   *)
(*                         the source mapping                              *)
(*  "map_source_rights"    map gives the source's rights, not the rights  *)
(*                         the caller asked for                            *)
(*  "flush_spares_own"     flush revokes what was derived but spares the  *)
(*                         flusher's own pages, as unmap does              *)
(*  "map_exact_rights"     map refuses rights narrower than the source's: *)
(*                         it compares R with them by equality             *)
(*  "unmap_revokes_own"    unmap revokes the unmapper's own pages too, as  *)
(*                         flush does                                      *)
(*  "grant_no_commit"      a grant checks its request and returns without *)
(*                         moving anything                                 *)
(*  "unmap_no_commit"      an unmap checks its request and returns without *)
(*                         revoking anything                               *)
(*  "flush_removes_partial" a flush or unmap removes every mapping in its *)
(*                         scope, also those that keep some rights (a     *)
(*                         kernel without partial revocation)              *)
(*  "remap_flushes"        a map onto a page already derived from the     *)
(*                         source flushes it and what was derived from it *)
(*                         instead of extending its rights                 *)
(*  "remap_any_parent"     a map onto a page that maps the same frame     *)
(*                         extends its rights whatever it was derived from*)
(*  "grant_flushes_derived" grant removes what was derived from the page   *)
(*                         instead of narrowing it to the granted rights   *)
(*  "next_skips_sigma0_map" Next never tries a map by Sigma0: the model   *)
(*                         explores less than the rules allow (AS-17)     *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Sigma0,      \* the initial space, which maps every frame to itself
    Spaces,      \* the other spaces' names (model values)
    NPages,      \* pages per space, and physical frames: both are 0..NPages-1
    Perms,       \* the rights a mapping may hold: a subset of {"r", "w", "x"}
    FpageOrder,  \* operations act on fpages of 2^FpageOrder aligned pages
    NoMapping,   \* a model value: the entry of a page that maps nothing
    Bug          \* "none", or one deliberate mistake (see the list above)

Bugs == {"none", "flush_shallow", "grant_copies", "map_no_rights_check", "flush_keeps_empty",
         "fpage_offset", "sigma0_grant", "grant_orphans", "delete_keeps_derived",
         "unmap_keeps_node", "flush_sigma0", "grant_no_narrow", "map_wrong_parent",
         "map_source_rights", "flush_spares_own", "map_exact_rights",
         "unmap_revokes_own", "flush_removes_partial",
         "grant_no_commit", "unmap_no_commit", "remap_flushes", "remap_any_parent",
         "grant_flushes_derived", "next_skips_sigma0_map"}

ASSUME /\ Sigma0 \notin Spaces
       /\ NPages \in Nat \ {0}
       /\ Perms # {} /\ Perms \subseteq {"r", "w", "x"}
       /\ FpageOrder \in Nat /\ 2^FpageOrder <= NPages
       /\ Bug \in Bugs

VARIABLES
    live,      \* the spaces that exist; Sigma0 always does
    mappings,  \* mappings[s][v]: the frame and rights that page v of space s maps, or NoMapping
    mdb        \* the mapping database: the pairs <<child, parent>> of nodes <<space, page>>

vars == <<live, mappings, mdb>>

AllSpaces == {Sigma0} \cup Spaces
VPages == 0..(NPages - 1)
Frames == 0..(NPages - 1)
Rights == (SUBSET Perms) \ {{}}
Node == AllSpaces \X VPages
Mapping == [frame : Frames, rights : Rights]
SigmaNodes == {<<Sigma0, f>> : f \in Frames}
FpageSize == 2^FpageOrder
Offsets == 0..(FpageSize - 1)
Fpages == {v \in VPages : v % FpageSize = 0}

(***************************************************************************)
(* The database as a value, so that an operation can be written as a      *)
(* sequence of steps: db.map and db.mdb stand for mappings and mdb.       *)
(***************************************************************************)
Db == [map |-> mappings, mdb |-> mdb]

\* The step that makes db the database.
SetDb(db) == mappings' = db.map /\ mdb' = db.mdb

Mapped(db, n) == db.map[n[1]][n[2]] # NoMapping
MapOf(db, n) == db.map[n[1]][n[2]]

\* The nodes in S and everything derived from them.
RECURSIVE Below(_, _)
Below(db, S) == LET more == S \cup {e[1] : e \in {e \in db.mdb : e[2] \in S}}
                IN IF more = S THEN S ELSE Below(db, more)

\* The nodes in S and everything they were derived from.
RECURSIVE Above(_, _)
Above(db, S) == LET more == S \cup {e[2] : e \in {e \in db.mdb : e[1] \in S}}
                IN IF more = S THEN S ELSE Above(db, more)

\* The nodes derived from n, directly or not (n itself only if the database has a cycle).
Derived(db, n) == Below(db, {e[1] : e \in {e \in db.mdb : e[2] = n}})

\* The database with the nodes in S and everything derived from them removed.
Remove(db, S) ==
    LET gone == Below(db, S)
    IN [map |-> [s \in AllSpaces |-> [v \in VPages |->
                    IF <<s, v>> \in gone THEN NoMapping ELSE db.map[s][v]]],
        mdb |-> IF Bug = "unmap_keeps_node" THEN db.mdb ELSE {e \in db.mdb : e[1] \notin gone}]

\* The database with rights R revoked from the nodes in A (a set closed under
\* derivation); a node left with no rights goes, with everything below it.
Revoke(db, A, R) ==
    LET emptied == {n \in A : Mapped(db, n) /\ (MapOf(db, n).rights \subseteq R \/ Bug = "flush_removes_partial")}
        kept == IF Bug = "flush_keeps_empty" THEN db ELSE Remove(db, emptied)
    IN [map |-> [s \in AllSpaces |-> [v \in VPages |->
                    IF <<s, v>> \in A /\ Mapped(kept, <<s, v>>)
                    THEN [frame |-> kept.map[s][v].frame, rights |-> kept.map[s][v].rights \ R]
                    ELSE kept.map[s][v]]],
        mdb |-> kept.mdb]

\* The nodes a flush of <<s, p>> acts on.
FlushScope(db, s, p, withOwn) ==
    LET n == <<s, p>>
        scope == IF Bug = "flush_shallow" THEN {c \in Node : <<c, n>> \in db.mdb} ELSE Derived(db, n)
        own == IF (withOwn \/ Bug = "unmap_revokes_own") /\ (s # Sigma0 \/ Bug = "flush_sigma0") /\ Bug # "flush_spares_own"
               THEN {n} ELSE {}
    IN scope \cup own

\* The offsets of the fpage at v that space s maps.
MappedOffsets(s, v) == {i \in Offsets : mappings[s][v + i] # NoMapping}

\* Whether the implicit flush of dst's fpage at w would remove one of src's pages.
FlushHitsSource(src, v, dst, w) ==
    \E i, j \in MappedOffsets(src, v) : <<dst, w + j>> \in Above(Db, {<<src, v + i>>})

\* The smallest offset in a non-empty set: pages are handled in increasing order.
First(Is) == CHOOSE i \in Is : \A j \in Is : i <= j

\* Whether a map of node from onto node to extends to's rights (see the
\* header): to already maps the same frame, derived from from.
Extends(db, from, to, frame) ==
    /\ Bug # "remap_flushes"
    /\ Mapped(db, to)
    /\ MapOf(db, to).frame = frame
    /\ <<to, from>> \in db.mdb \/ Bug = "remap_any_parent"

\* One page of a map: extend dst's page w+i if it is already derived from
\* src's page v+i; otherwise flush it, then derive it from src's page v+i.
MapPage(db, src, v, dst, w, R, i) ==
    LET from == <<src, v + i>>
        to == <<dst, w + i>>
        first == <<src, v + First(MappedOffsets(src, v))>>
        frame == IF Bug = "fpage_offset" THEN MapOf(db, first).frame ELSE MapOf(db, from).frame
        cleared == Remove(db, {to})
        rights == IF Bug = "map_source_rights" THEN MapOf(db, from).rights ELSE R
        parent == IF Bug = "map_wrong_parent" THEN <<Sigma0, frame>> ELSE from
    IN IF Extends(db, from, to, frame)
       THEN [map |-> [db.map EXCEPT ![dst][w + i] = [frame |-> frame, rights |-> @.rights \cup rights]],
             mdb |-> db.mdb]
       ELSE [map |-> [cleared.map EXCEPT ![dst][w + i] = [frame |-> frame, rights |-> rights]],
             mdb |-> cleared.mdb \cup {<<to, parent>>}]

\* One page of a grant: flush dst's page w+i, narrow what was derived from
\* src's page v+i to R, and move the node to dst's page w+i.
GrantPage(db, src, v, dst, w, R, i) ==
    LET from == <<src, v + i>>
        to == <<dst, w + i>>
        cleared == Remove(db, {to})
        old == MapOf(cleared, from)
        narrowed == IF Bug = "grant_no_narrow" THEN cleared
                    ELSE IF Bug = "grant_flushes_derived" THEN Revoke(cleared, Derived(cleared, from), old.rights)
                    ELSE Revoke(cleared, Derived(cleared, from), old.rights \ R)
        moved == [narrowed.map EXCEPT ![dst][w + i] = [frame |-> old.frame, rights |-> R],
                                      ![src][v + i] = IF Bug = "grant_copies" THEN old ELSE NoMapping]
        rename(x) == IF x = from THEN to ELSE x
        relinked == IF Bug = "grant_copies"
                    THEN narrowed.mdb \cup {<<to, e[2]>> : e \in {e \in narrowed.mdb : e[1] = from}}
                    ELSE IF Bug = "grant_orphans"
                    THEN {<<rename(e[1]), e[2]>> : e \in narrowed.mdb}
                    ELSE {<<rename(e[1]), rename(e[2])>> : e \in narrowed.mdb}
    IN [map |-> moved, mdb |-> relinked]

RECURSIVE MapPages(_, _, _, _, _, _, _)
MapPages(db, src, v, dst, w, R, Is) ==
    IF Is = {} THEN db
    ELSE MapPages(MapPage(db, src, v, dst, w, R, First(Is)), src, v, dst, w, R, Is \ {First(Is)})

RECURSIVE GrantPages(_, _, _, _, _, _, _)
GrantPages(db, src, v, dst, w, R, Is) ==
    IF Is = {} THEN db
    ELSE GrantPages(GrantPage(db, src, v, dst, w, R, First(Is)), src, v, dst, w, R, Is \ {First(Is)})

RECURSIVE RevokePages(_, _, _, _, _, _)
RevokePages(db, s, v, R, withOwn, Is) ==
    IF Is = {} THEN db
    ELSE RevokePages(Revoke(db, FlushScope(db, s, v + First(Is), withOwn), R), s, v, R, withOwn, Is \ {First(Is)})

-----------------------------------------------------------------------------

\* Stated from the constants, not from AllSpaces, VPages and Mapping, which the
\* actions use: a wrong range there is then a type error.
TypeOK ==
    LET spaces == {Sigma0} \cup Spaces
        pages == 0..(NPages - 1)
        nodes == spaces \X pages
    IN /\ live \subseteq spaces
       /\ Sigma0 \in live
       /\ mappings \in [spaces -> [pages -> [frame : pages, rights : (SUBSET Perms) \ {{}}] \cup {NoMapping}]]
       /\ mdb \subseteq nodes \X nodes

Init ==
    /\ live = AllSpaces
    /\ mappings = [s \in AllSpaces |-> [v \in VPages |->
                      IF s = Sigma0 THEN [frame |-> v, rights |-> Perms] ELSE NoMapping]]
    /\ mdb = {}

SpaceMap(src, v, dst, w, R) ==
    LET is == MappedOffsets(src, v)
    IN /\ src \in live /\ dst \in live /\ dst # Sigma0
       /\ is # {}
       /\ Bug = "map_no_rights_check" \/ \A i \in is : R \subseteq mappings[src][v + i].rights
       /\ Bug = "map_exact_rights" => \A i \in is : R = mappings[src][v + i].rights
       /\ ~FlushHitsSource(src, v, dst, w)
       /\ SetDb(MapPages(Db, src, v, dst, w, R, is))
       /\ UNCHANGED live

\* The guard of SpaceGrant, named so that AS-14 can state it (see there).
GrantGuard(src, v, dst, w, R) ==
    LET is == MappedOffsets(src, v)
    IN /\ src \in live /\ dst \in live /\ dst # Sigma0
       /\ src # Sigma0 \/ Bug = "sigma0_grant"
       /\ is # {}
       /\ \A i \in is : R \subseteq mappings[src][v + i].rights
       /\ ~FlushHitsSource(src, v, dst, w)

\* What a grant, flush or unmap makes of the database, named so that AS-15 can
\* judge it even when it changes nothing (a step that changes nothing is no
\* step for the action properties).
GrantEffect(src, v, dst, w, R) ==
    IF Bug = "grant_no_commit" THEN Db ELSE GrantPages(Db, src, v, dst, w, R, MappedOffsets(src, v))
FlushEffect(s, v, R) == RevokePages(Db, s, v, R, TRUE, MappedOffsets(s, v))
UnmapEffect(s, v, R) ==
    IF Bug = "unmap_no_commit" THEN Db ELSE RevokePages(Db, s, v, R, FALSE, MappedOffsets(s, v))

SpaceGrant(src, v, dst, w, R) ==
    /\ GrantGuard(src, v, dst, w, R)
    /\ SetDb(GrantEffect(src, v, dst, w, R))
    /\ UNCHANGED live

\* The guards of SpaceFlush and SpaceUnmap, named so that AS-14 can state them.
FlushGuard(s, v) ==
    /\ s \in live
    /\ MappedOffsets(s, v) # {}
UnmapGuard(s, v) ==
    /\ s \in live
    /\ MappedOffsets(s, v) # {}

SpaceFlush(s, v, R) ==
    /\ FlushGuard(s, v)
    /\ SetDb(FlushEffect(s, v, R))
    /\ UNCHANGED live

SpaceUnmap(s, v, R) ==
    /\ UnmapGuard(s, v)
    /\ SetDb(UnmapEffect(s, v, R))
    /\ UNCHANGED live

SpaceCreate(s) ==
    /\ s \notin live
    /\ live' = live \cup {s}
    /\ UNCHANGED <<mappings, mdb>>

\* What deleting s makes of the database (named for RuleStep).
DeleteEffect(s) ==
    LET own == {<<s, v>> : v \in {v \in VPages : mappings[s][v] # NoMapping}}
    IN IF Bug = "delete_keeps_derived"
       THEN [map |-> [mappings EXCEPT ![s] = [v \in VPages |-> NoMapping]],
             mdb |-> {e \in mdb : e[1] \notin own}]
       ELSE Remove(Db, own)

SpaceDelete(s) ==
    /\ s \in live
    /\ live' = live \ {s}
    /\ SetDb(DeleteEffect(s))

\* The spaces Next tries as the source of a map (the bug leaves Sigma0 out).
MapSources == IF Bug = "next_skips_sigma0_map" THEN Spaces ELSE AllSpaces

\* Quantifying over the constant sets (each action checks that its spaces are
\* live) lets TLC split Next into one action per operator, so that its state
\* graph labels each step with the operator's name.
Next ==
    \/ \E src \in MapSources, dst \in AllSpaces, v, w \in Fpages, R \in Rights : SpaceMap(src, v, dst, w, R)
    \/ \E src, dst \in AllSpaces, v, w \in Fpages, R \in Rights : SpaceGrant(src, v, dst, w, R)
    \/ \E s \in AllSpaces, v \in Fpages, R \in Rights : SpaceFlush(s, v, R)
    \/ \E s \in AllSpaces, v \in Fpages, R \in Rights : SpaceUnmap(s, v, R)
    \/ \E s \in Spaces : SpaceCreate(s)
    \/ \E s \in Spaces : SpaceDelete(s)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants. Their IDs are in specs/invariants.yaml.                      *)

\* AS-2: every mapping's frame equals its parent's frame.
FrameMatchesParent ==
    \A e \in mdb : Mapped(Db, e[1]) /\ Mapped(Db, e[2]) => MapOf(Db, e[1]).frame = MapOf(Db, e[2]).frame

\* AS-3: every mapping's rights are a subset of its parent's rights.
RightsWithinParent ==
    \A e \in mdb : Mapped(Db, e[1]) /\ Mapped(Db, e[2]) => MapOf(Db, e[1]).rights \subseteq MapOf(Db, e[2]).rights

\* AS-4: the database is a forest rooted at Sigma0's identity mappings: every
\* node has at most one parent, every parent is a live mapping, no node is
\* derived from itself, and every mapping outside Sigma0 has a parent.
MdbIsForest ==
    /\ \A n \in Node : Cardinality({e \in mdb : e[1] = n}) <= 1
    /\ \A e \in mdb : Mapped(Db, e[2])
    /\ \A n \in Node : n \notin Derived(Db, n)
    /\ \A n \in Node : Mapped(Db, n) /\ n \notin SigmaNodes => \E e \in mdb : e[1] = n
    /\ \A e \in mdb : e[1] \notin SigmaNodes

\* AS-5: the mappings and the database agree node for node, and only live
\* spaces hold either.
MdbMatchesMappings ==
    /\ \A e \in mdb : Mapped(Db, e[1])
    /\ \A s \in AllSpaces \ live, v \in VPages : mappings[s][v] = NoMapping

\* AS-6: a space reaches a frame only through a chain of map and grant steps
\* from Sigma0: following parents from any mapping of frame f leads to
\* Sigma0's mapping of f.
AuthorityFromSigma0 ==
    \A n \in Node : Mapped(Db, n) => <<Sigma0, MapOf(Db, n).frame>> \in Above(Db, {n})

\* AS-10: Sigma0's identity mappings are never revoked.
Sigma0Intact ==
    \A f \in Frames : mappings[Sigma0][f] = [frame |-> f, rights |-> Perms]

-----------------------------------------------------------------------------
(* Action properties, checked on every step.                               *)
(*                                                                         *)
(* TLC checks a property [][A => P]_vars by evaluating A on every step; A  *)
(* here is an action such as SpaceFlush(s, v, R) for every s, v and R,     *)
(* which means computing the whole operation. Each property therefore     *)
(* opens with a cheap guard that every step of that operation satisfies,  *)
(* in every bug variant too, so that TLC skips the other steps quickly.    *)

\* AS-7: after a flush or unmap of s's fpage at v with rights R, no mapping
\* derived from those pages holds any right in R. (Flush and unmap leave the
\* spaces alone and only ever remove pairs from the database. A candidate
\* whose derived mappings hold none of R cannot break the property, since a
\* flush never adds rights, so TLC skips it before evaluating the action.)
FlushRevokesDerived ==
    [][live' = live /\ mdb' \subseteq mdb =>
          \A s \in AllSpaces, v \in Fpages, R \in Rights :
             LET below == UNION {Derived(Db, <<s, v + i>>) : i \in Offsets}
             IN (\E n \in below : Mapped(Db, n) /\ MapOf(Db, n).rights \cap R # {})
                /\ (SpaceFlush(s, v, R) \/ SpaceUnmap(s, v, R)) =>
                   \A n \in below : mappings'[n[1]][n[2]] = NoMapping \/ mappings'[n[1]][n[2]].rights \cap R = {}]_vars

\* AS-8: grant moves access and does not copy it: the source loses each
\* granted page, the receiver maps the frame the source mapped, and no space
\* other than the two gains a frame it did not map before. (A grant leaves
\* the spaces alone and gives the receiver the source's frame with rights R,
\* so R can be read off the step instead of tried one by one.)
GrantMoves ==
    [][live' = live =>
          \A src, dst \in AllSpaces, v, w \in Fpages :
             LET is == MappedOffsets(src, v)
                 given == mappings'[dst][w + First(is)]
             IN is # {} /\ given # NoMapping /\ given.frame = mappings[src][v + First(is)].frame
                /\ SpaceGrant(src, v, dst, w, given.rights) =>
                   /\ \A i \in is :
                         /\ <<src, v + i>> # <<dst, w + i>> => mappings'[src][v + i] = NoMapping
                         /\ mappings'[dst][w + i].frame = mappings[src][v + i].frame
                   /\ \A t \in AllSpaces \ {src, dst} :
                         {mappings'[t][p].frame : p \in {p \in VPages : mappings'[t][p] # NoMapping}}
                            \subseteq {mappings[t][p].frame : p \in {p \in VPages : mappings[t][p] # NoMapping}}]_vars

\* AS-9: after delete(s) (the request), s no longer exists and nothing derived
\* from its mappings remains. (A candidate s whose pages the step left mapped
\* cannot have been deleted, so TLC skips it before evaluating the action.)
DeleteLeavesNothing ==
    [][\A s \in Spaces :
          (\A v \in VPages : mappings'[s][v] = NoMapping) /\ SpaceDelete(s) =>
             /\ s \notin live'
             /\ \A n \in Below(Db, {<<s, v>> : v \in VPages}) : mappings'[n[1]][n[2]] = NoMapping]_vars

(***************************************************************************)
(* Properties stated against what the operation was asked to do. TLC      *)
(* identifies the step by the action and its arguments (the request: the  *)
(* source fpage, the destination window and the rights asked for), so the *)
(* property compares the new state with the request, not with the         *)
(* database the operation itself wrote. A candidate request is tried only *)
(* when the step changed the destination space (a mapping, or a node's    *)
(* parent) and the destination page now maps the source page's frame. A   *)
(* map or grant that leaves its receiver unchanged finds the receiver as  *)
(* an earlier step left it, and that step was judged.                     *)
(***************************************************************************)

\* The database after the step.
DbAfter == [map |-> mappings', mdb |-> mdb']

\* The parents that node n has in database db.
ParentsIn(db, n) == {e[2] : e \in {e \in db.mdb : e[1] = n}}

\* The spaces in which the step changed a mapping or gave a node a new parent:
\* the only possible receivers of a map or grant that changed anything.
Touched == {d \in AllSpaces : mappings'[d] # mappings[d] \/ \E e \in mdb' \ mdb : e[1][1] = d}

\* Whether the step could be the transfer from src's fpage at v into dst's at w.
TransferCandidate(src, v, dst, w) ==
    LET is == MappedOffsets(src, v)
    IN /\ is # {}
       /\ mappings'[dst][w + First(is)] # NoMapping
       /\ mappings'[dst][w + First(is)].frame = mappings[src][v + First(is)].frame

\* Whether, before the step, the receiver's page to was derived from the
\* source page from (and so, by AS-2, maps its frame): a map extends it.
DerivedFrom(to, from) == <<to, from>> \in mdb

\* AS-11: after map(src, v, dst, w, R), each mapped page v+i of the source
\* fpage appears at the receiver's page w+i with the source's frame and
\* exactly the rights R that were asked for (added to the rights it held,
\* when it was already derived from the source page), derived from the
\* source page and from nothing else.
MapGivesRequested ==
    [][live' = live =>
          \A dst \in Touched, src \in AllSpaces, v, w \in Fpages, R \in Rights :
             TransferCandidate(src, v, dst, w) /\ SpaceMap(src, v, dst, w, R) =>
                \A i \in MappedOffsets(src, v) :
                   /\ mappings'[dst][w + i] =
                         [frame |-> mappings[src][v + i].frame,
                          rights |-> R \cup (IF DerivedFrom(<<dst, w + i>>, <<src, v + i>>)
                                             THEN mappings[dst][w + i].rights ELSE {})]
                   /\ ParentsIn(DbAfter, <<dst, w + i>>) = {<<src, v + i>>}]_vars

\* AS-16: a map onto a page already derived from the source page extends it
\* in place: the page keeps its frame and gains R, and every mapping derived
\* from it stays as it was, with the same parent. (The candidates are the
\* database's pairs, read as receiver page and source page; a pair whose
\* pages sit at different offsets of their fpages is no map's. A pair whose
\* receiver page and everything derived from it the step left alone is
\* skipped before the map is evaluated: only a map with R within the page's
\* rights could leave them so, and for it they are right. A map that wrongly
\* changes nothing there while changing another page is AS-11's to see.)
MapExtendsInPlace ==
    [][live' = live =>
          \A e \in mdb, R \in Rights :
             LET to == e[1]
                 from == e[2]
                 v == from[2] - (from[2] % FpageSize)
                 w == to[2] - (to[2] % FpageSize)
                 scope == {to} \cup Derived(Db, to)
             IN (/\ to[2] - w = from[2] - v
                 /\ \E n \in scope : \/ mappings'[n[1]][n[2]] # mappings[n[1]][n[2]]
                                     \/ ParentsIn(DbAfter, n) # ParentsIn(Db, n)
                 /\ SpaceMap(from[1], v, to[1], w, R)) =>
                   /\ mappings'[to[1]][to[2]] =
                         [frame |-> MapOf(Db, to).frame, rights |-> MapOf(Db, to).rights \cup R]
                   /\ \A n \in Derived(Db, to) :
                         /\ mappings'[n[1]][n[2]] = mappings[n[1]][n[2]]
                         /\ ParentsIn(DbAfter, n) = ParentsIn(Db, n)]_vars

\* AS-12: after grant(src, v, dst, w, R), each mapped page v+i of the source
\* fpage appears at the receiver's page w+i with the source's frame and
\* exactly the rights R, in the source's place in the database: the same
\* parent; and every mapping that was derived from the source page and was
\* not under a receiver page (those the grant flushes first) is narrowed to
\* R exactly: it stays, derived from the receiver's page, with its frame and
\* its rights within R, and goes exactly when it held none of R.
GrantGivesRequested ==
    [][live' = live =>
          \A dst \in Touched, src \in AllSpaces, v, w \in Fpages, R \in Rights :
             TransferCandidate(src, v, dst, w) /\ SpaceGrant(src, v, dst, w, R) =>
                LET is == MappedOffsets(src, v)
                    \* a granted source page is known by its new place afterwards
                    Moved(n) == IF \E j \in is : n = <<src, v + j>> THEN <<dst, w + n[2] - v>> ELSE n
                IN \A i \in is :
                      LET from == <<src, v + i>>
                          to == <<dst, w + i>>
                      IN /\ mappings'[dst][w + i] = [frame |-> mappings[src][v + i].frame, rights |-> R]
                         /\ ParentsIn(DbAfter, to) = {Moved(p) : p \in ParentsIn(Db, from)}
                         /\ \A n \in Derived(Db, from) \ Below(Db, {<<dst, w + j>> : j \in is}) :
                               /\ Mapped(DbAfter, Moved(n)) <=> MapOf(Db, n).rights \cap R # {}
                               /\ Mapped(DbAfter, Moved(n)) =>
                                     /\ Moved(n) \in Derived(DbAfter, to)
                                     /\ MapOf(DbAfter, Moved(n)) =
                                           [frame |-> MapOf(Db, n).frame, rights |-> MapOf(Db, n).rights \cap R]]_vars

\* A step that only takes rights away: no space is created or deleted, no
\* pair joins the database, and every mapping stays, goes, or keeps its frame
\* with fewer rights. Flush and unmap steps are such steps; map, grant and
\* delete steps are not (they add a mapping or change the spaces).
RevokeOnly ==
    /\ live' = live
    /\ mdb' \subseteq mdb
    /\ \A t \in AllSpaces, p \in VPages :
          \/ mappings'[t][p] = mappings[t][p]
          \/ mappings'[t][p] = NoMapping
          \/ /\ mappings[t][p] # NoMapping
             /\ mappings'[t][p].frame = mappings[t][p].frame
             /\ mappings'[t][p].rights \subseteq mappings[t][p].rights

\* AS-13: flush and unmap revoke exactly what was asked: after flush(s, v, R)
\* (or unmap), every mapping in its scope (what was derived from s's pages of
\* the fpage and, for a flush by a space other than Sigma0, those pages
\* themselves) keeps its frame and loses exactly R, or is gone; and every
\* mapping outside the scope is unchanged. (A candidate request whose pages
\* and derived mappings the step left unchanged is skipped: its flush would
\* have had to change nothing.)
\* Every mapping in scope keeps its frame and loses exactly R, and is gone
\* exactly when it had no rights beyond R; every mapping outside it is
\* unchanged. (Each of flush and unmap is judged
\* with its own scope: a step that is both, an unmap that also revokes the
\* unmapper's own pages, fails the unmap's.)
RevokedIn(db, scope, R) ==
    /\ \A n \in Node \ scope : db.map[n[1]][n[2]] = mappings[n[1]][n[2]]
    /\ \A n \in scope :
          Mapped(Db, n) /\ MapOf(Db, n).rights \subseteq R => db.map[n[1]][n[2]] = NoMapping
    /\ \A n \in scope :
          Mapped(Db, n) /\ ~(MapOf(Db, n).rights \subseteq R) =>
             db.map[n[1]][n[2]] = [frame |-> MapOf(Db, n).frame, rights |-> MapOf(Db, n).rights \ R]

\* The same of the step (AS-13); AS-15 states it of what an operation makes of Db.
RevokedExactly(scope, R) == RevokedIn([map |-> mappings', mdb |-> mdb'], scope, R)

FlushRevokesExactlyItsScope ==
    [][RevokeOnly =>
          \A s \in AllSpaces, v \in Fpages :
             LET own == {<<s, v + i>> : i \in MappedOffsets(s, v)}
                 below == UNION {Derived(Db, n) : n \in own}
             IN (\E n \in own \cup below : mappings'[n[1]][n[2]] # mappings[n[1]][n[2]]) =>
                \A R \in Rights :
                   /\ SpaceFlush(s, v, R) => RevokedExactly(below \cup (IF s # Sigma0 THEN own ELSE {}), R)
                   /\ SpaceUnmap(s, v, R) => RevokedExactly(below, R)]_vars
(***************************************************************************)
(* Availability: an operation the rules allow can be carried out, and one *)
(* they refuse cannot. The safety properties above judge the steps that   *)
(* happen; they cannot notice a kernel that refuses a request it should   *)
(* serve (a map that demands the source's exact rights, a flush that      *)
(* ignores a mapped fpage), since refusing only removes steps. The rules  *)
(* are the ones the header gives, stated here apart from the actions.     *)
(*                                                                         *)
(* Map, create and delete are judged by ENABLED, which covers the whole   *)
(* action. Grant, flush and unmap are judged by their guards: TLC's       *)
(* ENABLED evaluates their recursive effects again for every reference    *)
(* (measured: fast_grant took 6.6 minutes instead of seconds, and one     *)
(* state of fast_fpage did not finish in a minute), while their effects   *)
(* are assignments that every state satisfies. Where the rules refuse     *)
(* them, ENABLED of the whole action is cheap (the guard fails first), so *)
(* that direction is stated of the actions: a guard negated or weakened   *)
(* where the action uses it, rather than in its definition, fails it.     *)
(***************************************************************************)

\* The rules map and grant share: both spaces exist, the receiver is not
\* Sigma0, the source maps some page of the fpage, every such page holds at
\* least the rights asked for, and the receiver's implicit flush would not
\* remove a source page: no source page is derived from (or is) a window
\* page that receives one (stated from below, apart from FlushHitsSource,
\* which the actions use and states it from above).
TransferAllowed(src, v, dst, w, R) ==
    /\ src \in live /\ dst \in live /\ dst # Sigma0
    /\ MappedOffsets(src, v) # {}
    /\ \A i \in MappedOffsets(src, v) : R \subseteq mappings[src][v + i].rights
    /\ \A i, j \in MappedOffsets(src, v) : <<src, v + i>> \notin Below(Db, {<<dst, w + j>>})

\* AS-14: each operation is enabled exactly when its rules allow it: map
\* under TransferAllowed; grant under TransferAllowed by a space other than
\* Sigma0; flush and unmap of an existing space's fpage that maps some page;
\* create of a space that does not exist, and delete of one that does, each
\* taking effect (a create that changes nothing is no step for any action
\* property).
OperationsAvailable ==
    /\ \A src, dst \in AllSpaces, v, w \in Fpages, R \in Rights :
          /\ (ENABLED SpaceMap(src, v, dst, w, R)) <=> TransferAllowed(src, v, dst, w, R)
          /\ GrantGuard(src, v, dst, w, R) <=> (TransferAllowed(src, v, dst, w, R) /\ src # Sigma0)
          /\ ~(TransferAllowed(src, v, dst, w, R) /\ src # Sigma0) => ~ENABLED SpaceGrant(src, v, dst, w, R)
    /\ \A s \in AllSpaces, v \in Fpages :
          LET allowed == s \in live /\ \E i \in Offsets : mappings[s][v + i] # NoMapping
          IN /\ FlushGuard(s, v) <=> allowed
             /\ UnmapGuard(s, v) <=> allowed
             /\ ~allowed => \A R \in Rights : ~ENABLED SpaceFlush(s, v, R) /\ ~ENABLED SpaceUnmap(s, v, R)
    /\ \A s \in Spaces :
          /\ (ENABLED (SpaceCreate(s) /\ s \in live')) <=> (s \notin live)
          /\ (ENABLED (SpaceDelete(s) /\ s \notin live')) <=> (s \in live)

\* AS-15: an allowed operation takes effect, judged on what it makes of the
\* database rather than on the step, which TLA+ cannot see when it changes
\* nothing (AS-11 to AS-13 range over [][...]_vars, so a map, grant or unmap
\* that returns without doing anything passes them): every allowed map leaves
\* the receiver's window holding the source pages' frames with at least R
\* (R, or R added to what a page derived from the source held); every allowed
\* grant leaves
\* the source's pages of the fpage empty and the receiver's window holding
\* their frames with exactly R; every allowed flush or unmap leaves each
\* mapping of its scope with its frame and without R, gone exactly when it
\* had no rights beyond R, and every other mapping as it was.
OperationsTakeEffect ==
    /\ \A src, dst \in AllSpaces, v, w \in Fpages, R \in Rights :
          TransferAllowed(src, v, dst, w, R) =>
             LET db == MapPages(Db, src, v, dst, w, R, MappedOffsets(src, v))
             IN \A i \in MappedOffsets(src, v) :
                   LET m == db.map[dst][w + i]
                   IN m # NoMapping /\ m.frame = mappings[src][v + i].frame /\ R \subseteq m.rights
    /\ \A src, dst \in AllSpaces, v, w \in Fpages, R \in Rights :
          GrantGuard(src, v, dst, w, R) =>
             LET db == GrantEffect(src, v, dst, w, R)
             IN \A i \in MappedOffsets(src, v) :
                   /\ db.map[src][v + i] = NoMapping
                   /\ db.map[dst][w + i] = [frame |-> mappings[src][v + i].frame, rights |-> R]
    /\ \A s \in AllSpaces, v \in Fpages, R \in Rights :
          LET own == {<<s, v + i>> : i \in MappedOffsets(s, v)}
              below == UNION {Derived(Db, n) : n \in own}
          IN /\ FlushGuard(s, v) => RevokedIn(FlushEffect(s, v, R), below \cup (IF s # Sigma0 THEN own ELSE {}), R)
             /\ UnmapGuard(s, v) => RevokedIn(UnmapEffect(s, v, R), below, R)

(***************************************************************************)
(* AS-14 states availability of the operators (SpaceMap, SpaceGrant, ...); *)
(* it cannot see Next leave a request out: a source, page, rights set or  *)
(* space that Next never quantifies over, or arguments passed in the      *)
(* wrong places. TLC's ENABLED over the whole of Next is too slow here    *)
(* (it does not cache the recursive effects: one state of fast_fpage took *)
(* minutes), so the rules are written as a next-state relation of their  *)
(* own, RuleStep: every request the rules allow (TransferAllowed and the *)
(* other rules of AS-14), with the effect the operators give. RulesSpec   *)
(* explores its behaviours, and AS-17 checks that each of their steps is  *)
(* a step of Next.                                                         *)
(***************************************************************************)
RuleStep ==
    \/ \E src, dst \in AllSpaces, v, w \in Fpages, R \in Rights :
          /\ TransferAllowed(src, v, dst, w, R)
          /\ \/ SetDb(MapPages(Db, src, v, dst, w, R, MappedOffsets(src, v)))
             \/ src # Sigma0 /\ SetDb(GrantEffect(src, v, dst, w, R))
          /\ UNCHANGED live
    \/ \E s \in AllSpaces, v \in Fpages, R \in Rights :
          /\ s \in live
          /\ \E i \in Offsets : mappings[s][v + i] # NoMapping
          /\ SetDb(FlushEffect(s, v, R)) \/ SetDb(UnmapEffect(s, v, R))
          /\ UNCHANGED live
    \/ \E s \in Spaces :
          \/ /\ s \notin live
             /\ live' = live \cup {s}
             /\ UNCHANGED <<mappings, mdb>>
          \/ /\ s \in live
             /\ live' = live \ {s}
             /\ SetDb(DeleteEffect(s))

RulesSpec == Init /\ [][RuleStep]_vars

\* AS-17: checked of RulesSpec, every step the rules allow is a step of Next.
NextServesEveryRequest == [][Next]_vars

=============================================================================
