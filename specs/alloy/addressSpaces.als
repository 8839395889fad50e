module addressSpaces

/*
 * L4 address spaces as relations: the same semantics as specs/tla/AddressSpaces/AddressSpaces.tla
 * (read its header for the choices), for single-page fpages.
 *
 * A Node is a slot, one page of one space, where a mapping can be. A State says which spaces are
 * live and, for each node, the frame it maps (none if it maps nothing), its rights, and the node it
 * was derived from (its parent in the mapping database). Sigma0's page p maps the frame
 * Machine.ident[p] with every right; those mappings are the roots.
 *
 * Each operation is a predicate op[s, s2: State, ...] that gives the post-state s2 completely: every
 * relation of s2 is stated, so nothing else changes (the frame conditions). (The book's convention
 * names the post-state s', but Alloy 6 reserves the prime for its temporal operator.) The checks show that each
 * operation keeps the invariants AS-2 to AS-6 (and the well-formedness they rest on), at scope 5
 * for spaces, pages and frames, with up to 7 nodes. The bug-variant checks show that Alloy finds
 * the mistakes the TLA+ bug variants make.
 *
 * Left out: fpages of more than one page, space creation (it changes no relation), and the order
 * in which a kernel carries out an operation: each operation is one atomic step here.
 */

abstract sig Right {}
one sig Read, Write, Exec extends Right {}

sig Space {}
one sig Sigma0 extends Space {}
sig Page {}
sig Frame {}

-- A node is one page of one space: the place where a mapping can be.
sig Node {
  space: one Space,
  page: one Page
}
fact nodesAreSlots { all disj a, b: Node | a.space != b.space or a.page != b.page }
fact sigma0HasEveryPage { all p: Page | some n: Node | n.space = Sigma0 and n.page = p }

-- Sigma0's page p maps frame ident[p]: pages and frames correspond one to one.
one sig Machine { ident: Page one -> one Frame }

sig State {
  live: set Space,
  frameOf: Node -> lone Frame,   -- the frame a node maps; none if its page maps nothing
  rightsOf: Node -> Right,       -- the node's rights
  parent: Node -> lone Node      -- the mapping it was derived from
}

fun mapped[s: State]: set Node { s.frameOf.Frame }
fun sigmaNodes: set Node { space.Sigma0 }
-- n and everything derived from it
fun subtree[s: State, n: set Node]: set Node { n.*(~(s.parent)) }
-- everything derived from n
fun derived[s: State, n: Node]: set Node { n.^(~(s.parent)) }
-- n and everything it was derived from
fun ancestry[s: State, n: Node]: set Node { n.*(s.parent) }

----------------------------------------------------------------------------------------------------
-- Invariants (IDs from specs/invariants.yaml)

-- AS-1 and AS-10: Sigma0 is live and intact; only mappings have rights, and every mapping has some;
-- only live spaces hold mappings.
pred wellFormed[s: State] {
  Sigma0 in s.live
  all n: sigmaNodes | n.(s.frameOf) = Machine.ident[n.page] and n.(s.rightsOf) = Right
  s.rightsOf.Right = mapped[s]
  mapped[s].space in s.live
}

-- AS-2: every mapping's frame equals its parent's frame.
pred frameMatchesParent[s: State] {
  all n: mapped[s], p: n.(s.parent) & mapped[s] | n.(s.frameOf) = p.(s.frameOf)
}

-- AS-3: every mapping's rights are a subset of its parent's rights.
pred rightsWithinParent[s: State] {
  all n: mapped[s], p: n.(s.parent) & mapped[s] | n.(s.rightsOf) in p.(s.rightsOf)
}

-- AS-4: the database is a forest rooted at Sigma0's identity mappings.
pred mdbIsForest[s: State] {
  no n: Node | n in n.^(s.parent)
  Node.(s.parent) in mapped[s]
  no sigmaNodes.(s.parent)
  all n: mapped[s] - sigmaNodes | some n.(s.parent)
}

-- AS-5: the mappings and the database agree node for node.
pred mdbMatchesMappings[s: State] {
  (s.parent).Node in mapped[s]
}

-- AS-6: following parents from any mapping of frame f leads to Sigma0's mapping of f.
pred authorityFromSigma0[s: State] {
  all n: mapped[s] | some r: ancestry[s, n] & sigmaNodes | r.(s.frameOf) = n.(s.frameOf)
}

pred inv[s: State] {
  wellFormed[s]
  frameMatchesParent[s]
  rightsWithinParent[s]
  mdbIsForest[s]
  mdbMatchesMappings[s]
  authorityFromSigma0[s]
}

----------------------------------------------------------------------------------------------------
-- Operations

-- Revoke rights R from the nodes in A (a set closed under derivation); a node left without rights
-- goes, with everything derived from it.
pred revoke[s, s2: State, A: set Node, R: set Right] {
  let emptied = { n: A & mapped[s] | n.(s.rightsOf) in R },
      lost = subtree[s, emptied],
      keep = A - lost {
    s2.frameOf = s.frameOf - lost -> Frame
    s2.rightsOf = (s.rightsOf - lost -> Right) - keep -> R
    s2.parent = s.parent - lost -> Node
  }
  s2.live = s.live
}

-- Map src's page into dst's with rights R. If dst is already derived from src, the map only adds
-- R to dst's rights (a re-map extends rights; nothing is flushed). Otherwise dst's old mapping is
-- flushed first, with everything derived from it, and the new mapping is derived from src.
-- Refused if that flush would remove src.
pred map[s, s2: State, src, dst: Node, R: set Right] {
  src in mapped[s]
  (src + dst).space in s.live
  dst.space != Sigma0
  some R and R in src.(s.rightsOf)
  dst not in ancestry[s, src]
  dst.(s.parent) = src implies {
    s2.frameOf = s.frameOf
    s2.rightsOf = s.rightsOf + dst -> R
    s2.parent = s.parent
  } else let gone = subtree[s, dst] {
    s2.frameOf = (s.frameOf - gone -> Frame) + dst -> src.(s.frameOf)
    s2.rightsOf = (s.rightsOf - gone -> Right) + dst -> R
    s2.parent = (s.parent - gone -> Node) + dst -> src
  }
  s2.live = s.live
}

-- Grant src's page to dst with rights R: dst's old mapping is flushed first; what was derived from
-- src keeps only rights in R (losing the node if none are left); src's node moves to dst, keeping
-- its parent and its children. src loses the page.
pred grant[s, s2: State, src, dst: Node, R: set Right] {
  src in mapped[s]
  (src + dst).space in s.live
  dst.space != Sigma0
  src.space != Sigma0
  some R and R in src.(s.rightsOf)
  dst not in ancestry[s, src]
  let gone = subtree[s, dst],
      below = derived[s, src] - gone,
      emptied = { d: below | no d.(s.rightsOf) & R },
      lost = gone + subtree[s, emptied],
      keep = below - lost,
      base = s.parent - (lost + src) -> Node {
    s2.frameOf = (s.frameOf - (lost + src) -> Frame) + dst -> src.(s.frameOf)
    s2.rightsOf = (s.rightsOf - (lost + src + keep) -> Right) + (keep <: s.rightsOf :> R) + dst -> R
    s2.parent = (base - Node -> src) + base.src -> dst + dst -> src.(s.parent)
  }
  s2.live = s.live
}

-- Flush: revoke R from n and everything derived from it, sparing Sigma0's own mappings.
pred flush[s, s2: State, n: Node, R: set Right] {
  n in mapped[s]
  n.space in s.live
  some R
  revoke[s, s2, subtree[s, n] - sigmaNodes, R]
}

-- Unmap: revoke R from everything derived from n, sparing n itself.
pred unmap[s, s2: State, n: Node, R: set Right] {
  n in mapped[s]
  n.space in s.live
  some R
  revoke[s, s2, derived[s, n], R]
}

-- Delete a space: its mappings go, and everything derived from them.
pred delete[s, s2: State, sp: Space] {
  sp in s.live - Sigma0
  let lost = subtree[s, space.sp & mapped[s]] {
    s2.frameOf = s.frameOf - lost -> Frame
    s2.rightsOf = s.rightsOf - lost -> Right
    s2.parent = s.parent - lost -> Node
  }
  s2.live = s.live - sp
}

-- The operation changed the state (a companion run asks for this, so that a no-op cannot witness it).
pred changed[s, s2: State] {
  s2.frameOf != s.frameOf or s2.rightsOf != s.rightsOf or s2.parent != s.parent or s2.live != s.live
}

----------------------------------------------------------------------------------------------------
-- Every operation keeps every invariant: one check per operation and invariant, each a pre-state
-- that satisfies all the invariants and a post-state that breaks one. (One check per invariant
-- solves several times faster than one check of their conjunction.)

-- map
check MapKeepsWellFormed {  -- AS-1, AS-10
  all s, s2: State, src, dst: Node, R: set Right | inv[s] and map[s, s2, src, dst, R] implies wellFormed[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check MapKeepsFrameMatchesParent {  -- AS-2
  all s, s2: State, src, dst: Node, R: set Right | inv[s] and map[s, s2, src, dst, R] implies frameMatchesParent[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check MapKeepsRightsWithinParent {  -- AS-3
  all s, s2: State, src, dst: Node, R: set Right | inv[s] and map[s, s2, src, dst, R] implies rightsWithinParent[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check MapKeepsMdbIsForest {  -- AS-4
  all s, s2: State, src, dst: Node, R: set Right | inv[s] and map[s, s2, src, dst, R] implies mdbIsForest[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check MapKeepsMdbMatchesMappings {  -- AS-5
  all s, s2: State, src, dst: Node, R: set Right | inv[s] and map[s, s2, src, dst, R] implies mdbMatchesMappings[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check MapKeepsAuthorityFromSigma0 {  -- AS-6
  all s, s2: State, src, dst: Node, R: set Right | inv[s] and map[s, s2, src, dst, R] implies authorityFromSigma0[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

-- grant
check GrantKeepsWellFormed {  -- AS-1, AS-10
  all s, s2: State, src, dst: Node, R: set Right | inv[s] and grant[s, s2, src, dst, R] implies wellFormed[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check GrantKeepsFrameMatchesParent {  -- AS-2
  all s, s2: State, src, dst: Node, R: set Right | inv[s] and grant[s, s2, src, dst, R] implies frameMatchesParent[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check GrantKeepsRightsWithinParent {  -- AS-3
  all s, s2: State, src, dst: Node, R: set Right | inv[s] and grant[s, s2, src, dst, R] implies rightsWithinParent[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check GrantKeepsMdbIsForest {  -- AS-4
  all s, s2: State, src, dst: Node, R: set Right | inv[s] and grant[s, s2, src, dst, R] implies mdbIsForest[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check GrantKeepsMdbMatchesMappings {  -- AS-5
  all s, s2: State, src, dst: Node, R: set Right | inv[s] and grant[s, s2, src, dst, R] implies mdbMatchesMappings[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check GrantKeepsAuthorityFromSigma0 {  -- AS-6
  all s, s2: State, src, dst: Node, R: set Right | inv[s] and grant[s, s2, src, dst, R] implies authorityFromSigma0[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

-- flush
check FlushKeepsWellFormed {  -- AS-1, AS-10
  all s, s2: State, n: Node, R: set Right | inv[s] and flush[s, s2, n, R] implies wellFormed[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check FlushKeepsFrameMatchesParent {  -- AS-2
  all s, s2: State, n: Node, R: set Right | inv[s] and flush[s, s2, n, R] implies frameMatchesParent[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check FlushKeepsRightsWithinParent {  -- AS-3
  all s, s2: State, n: Node, R: set Right | inv[s] and flush[s, s2, n, R] implies rightsWithinParent[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check FlushKeepsMdbIsForest {  -- AS-4
  all s, s2: State, n: Node, R: set Right | inv[s] and flush[s, s2, n, R] implies mdbIsForest[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check FlushKeepsMdbMatchesMappings {  -- AS-5
  all s, s2: State, n: Node, R: set Right | inv[s] and flush[s, s2, n, R] implies mdbMatchesMappings[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check FlushKeepsAuthorityFromSigma0 {  -- AS-6
  all s, s2: State, n: Node, R: set Right | inv[s] and flush[s, s2, n, R] implies authorityFromSigma0[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

-- unmap
check UnmapKeepsWellFormed {  -- AS-1, AS-10
  all s, s2: State, n: Node, R: set Right | inv[s] and unmap[s, s2, n, R] implies wellFormed[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check UnmapKeepsFrameMatchesParent {  -- AS-2
  all s, s2: State, n: Node, R: set Right | inv[s] and unmap[s, s2, n, R] implies frameMatchesParent[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check UnmapKeepsRightsWithinParent {  -- AS-3
  all s, s2: State, n: Node, R: set Right | inv[s] and unmap[s, s2, n, R] implies rightsWithinParent[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check UnmapKeepsMdbIsForest {  -- AS-4
  all s, s2: State, n: Node, R: set Right | inv[s] and unmap[s, s2, n, R] implies mdbIsForest[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check UnmapKeepsMdbMatchesMappings {  -- AS-5
  all s, s2: State, n: Node, R: set Right | inv[s] and unmap[s, s2, n, R] implies mdbMatchesMappings[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check UnmapKeepsAuthorityFromSigma0 {  -- AS-6
  all s, s2: State, n: Node, R: set Right | inv[s] and unmap[s, s2, n, R] implies authorityFromSigma0[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

-- delete
check DeleteKeepsWellFormed {  -- AS-1, AS-10
  all s, s2: State, sp: Space | inv[s] and delete[s, s2, sp] implies wellFormed[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check DeleteKeepsFrameMatchesParent {  -- AS-2
  all s, s2: State, sp: Space | inv[s] and delete[s, s2, sp] implies frameMatchesParent[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check DeleteKeepsRightsWithinParent {  -- AS-3
  all s, s2: State, sp: Space | inv[s] and delete[s, s2, sp] implies rightsWithinParent[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check DeleteKeepsMdbIsForest {  -- AS-4
  all s, s2: State, sp: Space | inv[s] and delete[s, s2, sp] implies mdbIsForest[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check DeleteKeepsMdbMatchesMappings {  -- AS-5
  all s, s2: State, sp: Space | inv[s] and delete[s, s2, sp] implies mdbMatchesMappings[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

check DeleteKeepsAuthorityFromSigma0 {  -- AS-6
  all s, s2: State, sp: Space | inv[s] and delete[s, s2, sp] implies authorityFromSigma0[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

-- AS-7: after a flush with rights R, nothing derived from the flushed mapping holds a right in R.
check FlushRevokesDerived {
  all s, s2: State, n: Node, R: set Right |
    inv[s] and flush[s, s2, n, R] implies no (derived[s, n] <: s2.rightsOf) & Node -> R
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

-- AS-8: grant moves access: the source no longer maps the page, and the receiver maps its frame.
check GrantMoves {
  all s, s2: State, src, dst: Node, R: set Right |
    inv[s] and grant[s, s2, src, dst, R] implies
      (src not in mapped[s2] and dst.(s2.frameOf) = src.(s.frameOf))
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat


-- Companions: each operation can happen from a state that satisfies every invariant, and change it.
-- witness-of: MapKeepsWellFormed, MapKeepsFrameMatchesParent, MapKeepsRightsWithinParent,
-- witness-of: MapKeepsMdbIsForest, MapKeepsMdbMatchesMappings, MapKeepsAuthorityFromSigma0
run MapWitness {
  some s, s2: State, src, dst: Node, R: set Right | inv[s] and map[s, s2, src, dst, R] and changed[s, s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: sat

-- witness-of: GrantKeepsWellFormed, GrantKeepsFrameMatchesParent, GrantKeepsRightsWithinParent,
-- witness-of: GrantKeepsMdbIsForest, GrantKeepsMdbMatchesMappings, GrantKeepsAuthorityFromSigma0, GrantMoves
run GrantWitness {
  some s, s2: State, src, dst: Node, R: set Right | inv[s] and grant[s, s2, src, dst, R] and changed[s, s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: sat

-- witness-of: FlushKeepsWellFormed, FlushKeepsFrameMatchesParent, FlushKeepsRightsWithinParent,
-- witness-of: FlushKeepsMdbIsForest, FlushKeepsMdbMatchesMappings, FlushKeepsAuthorityFromSigma0, FlushRevokesDerived
run FlushWitness {
  some s, s2: State, n: Node, R: set Right | inv[s] and flush[s, s2, n, R] and changed[s, s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: sat

-- witness-of: UnmapKeepsWellFormed, UnmapKeepsFrameMatchesParent, UnmapKeepsRightsWithinParent,
-- witness-of: UnmapKeepsMdbIsForest, UnmapKeepsMdbMatchesMappings, UnmapKeepsAuthorityFromSigma0
run UnmapWitness {
  some s, s2: State, n: Node, R: set Right | inv[s] and unmap[s, s2, n, R] and changed[s, s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: sat

-- witness-of: DeleteKeepsWellFormed, DeleteKeepsFrameMatchesParent, DeleteKeepsRightsWithinParent,
-- witness-of: DeleteKeepsMdbIsForest, DeleteKeepsMdbMatchesMappings, DeleteKeepsAuthorityFromSigma0
run DeleteWitness {
  some s, s2: State, sp: Space | inv[s] and delete[s, s2, sp] and changed[s, s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: sat

-- A non-trivial database at the checks' scope: a chain of three derivations across three spaces,
-- with rights narrowing, and every page mapped outside Sigma0.
run ThreeDeepDerivation {
  some s: State | inv[s] and (mapped[s] - sigmaNodes).page = Page and some n: Node |
    #n.^(s.parent) >= 3 and #n.^(s.parent).space >= 3 and n.(s.rightsOf) != Right
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: sat

-- A re-map that extends a page's rights while a mapping derived from it stays.
run MapExtendsRights {
  some s, s2: State, src, dst: Node, R: set Right | inv[s] and map[s, s2, src, dst, R]
    and dst.(s.parent) = src and some derived[s, dst] and changed[s, s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: sat

-- A map that makes a derivation 3 deep, with a fourth mapping beside it.
run MapMakesThreeDeep {
  some s, s2: State, src, dst: Node, R: set Right | inv[s] and map[s, s2, src, dst, R]
    and #dst.^(s2.parent) >= 3 and #(mapped[s2] - sigmaNodes) >= 4
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: sat

----------------------------------------------------------------------------------------------------
-- Redundancy: AS-6 follows from AS-2 and AS-4 (with the well-formedness they rest on) in every
-- state, with no operation: following parents keeps the frame (AS-2) and ends at a Sigma0 root
-- (AS-4), whose frame is its own.
check AS2AndAS4ImplyAS6 {
  all s: State | wellFormed[s] and frameMatchesParent[s] and mdbIsForest[s] implies authorityFromSigma0[s]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: unsat

run AS2AndAS4ImplyAS6Witness {  // witness-of: AS2AndAS4ImplyAS6
  some s: State | wellFormed[s] and frameMatchesParent[s] and mdbIsForest[s]
    and some n: mapped[s] - sigmaNodes | some n.(s.parent) - sigmaNodes
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: sat

----------------------------------------------------------------------------------------------------
-- Bug variants: Alloy must find each mistake.

-- Map without the rights check (the TLA+ variant "map_no_rights_check") breaks AS-3.
pred mapNoRightsCheck[s, s2: State, src, dst: Node, R: set Right] {
  src in mapped[s]
  (src + dst).space in s.live
  dst.space != Sigma0
  some R
  dst not in ancestry[s, src]
  let gone = subtree[s, dst] {
    s2.frameOf = (s.frameOf - gone -> Frame) + dst -> src.(s.frameOf)
    s2.rightsOf = (s.rightsOf - gone -> Right) + dst -> R
    s2.parent = (s.parent - gone -> Node) + dst -> src
  }
  s2.live = s.live
}

check MapNoRightsCheckBreaksRights {
  all s, s2: State, src, dst: Node, R: set Right |
    inv[s] and mapNoRightsCheck[s, s2, src, dst, R] implies rightsWithinParent[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: sat

-- A re-map that extends any page mapping the same frame, whatever it was derived from (the TLA+
-- variant "remap_any_parent"), breaks AS-3.
pred remapAnyParent[s, s2: State, src, dst: Node, R: set Right] {
  src in mapped[s]
  (src + dst).space in s.live
  dst.space != Sigma0
  some R and R in src.(s.rightsOf)
  dst not in ancestry[s, src]
  dst.(s.frameOf) = src.(s.frameOf)
  s2.frameOf = s.frameOf
  s2.rightsOf = s.rightsOf + dst -> R
  s2.parent = s.parent
  s2.live = s.live
}

check RemapAnyParentBreaksRights {
  all s, s2: State, src, dst: Node, R: set Right |
    inv[s] and remapAnyParent[s, s2, src, dst, R] implies rightsWithinParent[s2]
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: sat

-- A flush that revokes only from direct children ("flush_shallow") breaks AS-7.
pred flushShallow[s, s2: State, n: Node, R: set Right] {
  n in mapped[s]
  n.space in s.live
  some R
  revoke[s, s2, ((s.parent).n + n) - sigmaNodes, R]
}

check FlushShallowBreaksRevocation {
  all s, s2: State, n: Node, R: set Right |
    inv[s] and flushShallow[s, s2, n, R] implies no (derived[s, n] <: s2.rightsOf) & Node -> R
} for 5 but 3 Page, 3 Frame, 7 Node, 2 State // expect: sat
