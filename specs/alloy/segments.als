module segments

/*
 * The structure of the VST scheme (specs/tla/Segments/Segments.tla; read its header for the
 * choices): who holds which segment, where each holding came from, and what lending a segment
 * for a far call gives the callee.
 *
 * An Entry is one selector of one domain's virtual segment table (Vst), the place where a
 * holding can be. A State says which slots of the global segment table hold a segment and which
 * domain owns it; for each used entry, the slot it names, its rights, and (ghosts, as in the
 * TLA+ spec) the entry it was granted from and the domain that asked for the grant; for each
 * thread, the domain it runs in, and for each segment register the entry it was loaded through
 * (its hidden part) and the slot it holds; and one level of far call: the caller's domain and the
 * registers the call saved.
 *
 * Every operation is one atomic step here, and gives the post-state completely (the frame
 * conditions). Revocation in steps across CPUs, TLBs, the budget and the ring are left to the
 * TLA+ spec and to checkSegments.als; so are nested far calls (one level here) and segment ids
 * (a reused slot holds another segment there; here only the slot's owner matters).
 *
 * The checks show, for every state of the scope (not only the reachable ones), that each
 * operation keeps the structure (SEG-5: every holding hangs by a chain of grants, each asked for
 * by the holder of the entry it derives from, from the owner's root entry; SEG-2's atomic form:
 * every register was loaded through an entry its thread's domain or caller holds), that a
 * domain gains a holding only by such a grant or by creating a segment (SEG-12), and that
 * lending adds no holding: the callee cannot make a lent register its own (SEG-12). Each check
 * has a companion run (marked "witness-of") showing that its premises and operation can happen at
 * its scope and change the state. The bug variants (expect: sat) are the TLA+ spec's
 * callee_copies_lent and revoke_shallow.
 *
 * The scope (2 domains, 2 slots, 2 selectors, so 4 entries, 2 threads, one register each) holds a
 * chain of grants three entries deep, back and forth between the two domains, beside a second
 * segment (ThreeDeepChain), and a lent register in a callee's hands while its thread's caller
 * holds two entries (LentWhileHolding). Three domains (6 entries) give the same verdicts, at about
 * four times the solving time (the checks of register loads, far calls and revocation: 6 to 15 s
 * each on the 2-core machine), so the fast profile uses two.
 */

abstract sig Right {}
one sig Rd, Wr, Call extends Right {}

sig Domain {}
sig Slot {}
sig Sel {}
sig Thread {}
sig Reg {}

-- An entry: selector sel of domain holder's Vst. One atom per pair.
sig Entry {
  holder: one Domain,
  sel: one Sel
}
fact entriesArePlaces { all disj a, b: Entry | a.holder != b.holder or a.sel != b.sel }

sig State {
  owner: Slot -> lone Domain,          -- the owner of the segment a slot holds (none: a free slot)
  slot: Entry -> lone Slot,            -- the slot a used entry names (none: an unused entry)
  rights: Entry -> Right,              -- a used entry's rights
  parent: Entry -> lone Entry,         -- ghost: the entry it was granted from (none: a root)
  grantor: Entry -> lone Domain,       -- ghost: the domain that asked for the grant
  dom: Thread -> one Domain,           -- the domain each thread runs in
  reg: Thread -> Reg -> lone Entry,    -- a loaded register's hidden part: the entry it came through
  regSlot: Thread -> Reg -> lone Slot, -- and the slot it holds
  caller: Thread -> lone Domain,       -- the domain a far call returns to
  saved: Thread -> Reg -> lone Entry,  -- the caller's registers, saved by the call
  savedSlot: Thread -> Reg -> lone Slot
} {
  -- The shape of the TLA+ records: only used entries have rights (and each has some), only
  -- granted ones a parent and a grantor; a register holds a slot exactly when it is loaded.
  rights.Right = slot.Slot
  parent.Entry in slot.Slot
  grantor.Domain = parent.Entry
  reg.Entry = regSlot.Slot
  saved.Entry = savedSlot.Slot
  saved.Entry.Reg in caller.Domain
}

fun used[s: State]: set Entry { s.slot.Slot }
fun roots[s: State]: set Entry { used[s] - s.parent.Entry }
-- e and everything granted from it, directly or not
fun subtree[s: State, e: Entry]: set Entry { e.*(~(s.parent)) & used[s] }
-- What each domain holds permanently: the slots and rights of its used entries.
fun holds[s: State]: Domain -> Slot -> Right {
  { d: Domain, i: Slot, r: Right | some e: used[s] | e.holder = d and e.(s.slot) = i and r in e.(s.rights) }
}

----------------------------------------------------------------------------------------------------
-- Invariants (IDs from specs/invariants.yaml)

-- SEG-5, as structure: the owner of each live segment holds it at one root entry with every
-- right, and no other entry is a root; every other used entry names its parent's slot with at most
-- its parent's rights, and was granted by its parent's holder; and the chains of parents are
-- finite and end at a root. So every holding is reachable from its owner by a chain of grants,
-- each asked for by the holder of the entry it derives from.
pred grantChains[s: State] {
  all e: roots[s] | e.holder = e.(s.slot).(s.owner) and e.(s.rights) = Right
  all i: s.owner.Domain | one e: roots[s] | e.(s.slot) = i
  used[s].(s.slot) in s.owner.Domain
  all e: used[s] - roots[s] | let p = e.(s.parent) {
    p in used[s]
    p.(s.slot) = e.(s.slot)
    e.(s.rights) in p.(s.rights)
    e.(s.grantor) = p.holder
  }
  no e: Entry | e in e.^(s.parent)
}

-- SEG-2 in the atomic form: a loaded register came through a used entry of its thread's domain
-- or caller that names its slot, and so does a register saved by a far call (the caller's).
pred registersAuthorised[s: State] {
  all t: Thread, x: Reg, e: s.reg[t][x] |
    e in used[s] and e.(s.slot) = s.regSlot[t][x] and e.holder in s.dom[t] + s.caller[t]
  all t: Thread, x: Reg, e: s.saved[t][x] |
    e in used[s] and e.(s.slot) = s.savedSlot[t][x] and e.holder = s.caller[t]
}

-- A far call enters another domain (one level of calls here).
pred callsLeave[s: State] { all t: Thread | s.caller[t] != s.dom[t] }

pred inv[s: State] {
  grantChains[s]
  registersAuthorised[s]
  callsLeave[s]
}

-- SEG-12: every holding in s2 that s did not have comes from a grant asked for by the holder of
-- the entry it derives from (the step's asker t runs in that domain), or is the root of a segment
-- t's domain created in a free slot.
pred onlyByConsent[s, s2: State, t: Thread] {
  all e: used[s2] | (e not in used[s] or e.(s2.slot) != e.(s.slot) or not e.(s2.rights) in e.(s.rights)) implies {
    some e.(s2.parent) implies {
      let p = e.(s2.parent) | p in used[s] and p.(s.slot) = e.(s2.slot) and e.(s2.rights) in p.(s.rights)
        and p.holder = s.dom[t] and e.(s2.grantor) = s.dom[t]
    } else {
      no e.(s2.slot).(s.owner) and e.holder = s.dom[t] and e.(s2.slot).(s2.owner) = s.dom[t]
    }
  }
}

----------------------------------------------------------------------------------------------------
-- Frame conditions

pred sameSegments[s, s2: State] { s2.owner = s.owner }
pred sameVsts[s, s2: State] {
  s2.slot = s.slot and s2.rights = s.rights and s2.parent = s.parent and s2.grantor = s.grantor
}
pred sameThreads[s, s2: State] {
  s2.dom = s.dom and s2.reg = s.reg and s2.regSlot = s.regSlot and s2.caller = s.caller
  s2.saved = s.saved and s2.savedSlot = s.savedSlot
}
-- The post-state's Vsts are s's with entry e2 now naming slot i with rights R, granted from p by d.
pred addEntry[s, s2: State, e2: Entry, i: Slot, R: set Right, p: Entry, d: Domain] {
  s2.slot = s.slot + e2 -> i
  s2.rights = s.rights + e2 -> R
  s2.parent = s.parent + e2 -> p
  s2.grantor = s.grantor + e2 -> d
}
-- The post-state's Vsts are s's without the entries in gone; every register loaded through one of
-- them, live or saved, is cleared (a revocation is atomic here).
pred removeEntries[s, s2: State, gone: set Entry] {
  s2.slot = s.slot - gone -> Slot
  s2.rights = s.rights - gone -> Right
  s2.parent = s.parent - gone -> Entry
  s2.grantor = s.grantor - gone -> Domain
  s2.dom = s.dom and s2.caller = s.caller
  let hit = { t: Thread, x: Reg | some s.reg[t][x] & gone },
      hitSaved = { t: Thread, x: Reg | some s.saved[t][x] & gone } {
    s2.reg = s.reg - hit -> Entry
    s2.regSlot = s.regSlot - hit -> Slot
    s2.saved = s.saved - hitSaved -> Entry
    s2.savedSlot = s.savedSlot - hitSaved -> Slot
  }
}

----------------------------------------------------------------------------------------------------
-- Operations: pre-state s, post-state s2, the thread t that takes the step, and its arguments

-- t loads register x through its domain's entry e (a selector with a data right).
pred regLoad[s, s2: State, t: Thread, x: Reg, e: Entry] {
  e in used[s] and e.holder = s.dom[t] and some e.(s.rights) & (Rd + Wr)
  s2.reg = s.reg ++ t -> x -> e
  s2.regSlot = s.regSlot ++ t -> x -> e.(s.slot)
  s2.dom = s.dom and s2.caller = s.caller and s2.saved = s.saved and s2.savedSlot = s.savedSlot
  sameSegments[s, s2] and sameVsts[s, s2]
}

-- t, at home, far calls the owner of the segment its entry e names, through e's call right. The
-- registers stay loaded (lent) and are saved for the return.
pred farCall[s, s2: State, t: Thread, e: Entry] {
  no s.caller[t]
  e in used[s] and e.holder = s.dom[t] and Call in e.(s.rights)
  let callee = e.(s.slot).(s.owner) {
    some callee and callee != s.dom[t]
    s2.dom = s.dom ++ t -> callee
  }
  s2.caller = s.caller + t -> s.dom[t]
  s2.saved = s.saved + t -> s.reg[t]
  s2.savedSlot = s.savedSlot + t -> s.regSlot[t]
  s2.reg = s.reg and s2.regSlot = s.regSlot
  sameSegments[s, s2] and sameVsts[s, s2]
}

-- t returns from its far call: its caller's domain and registers come back.
pred farReturn[s, s2: State, t: Thread] {
  some s.caller[t]
  s2.dom = s.dom ++ t -> s.caller[t]
  s2.caller = s.caller - t -> Domain
  s2.reg = (s.reg - t -> Reg -> Entry) + t -> s.saved[t]
  s2.regSlot = (s.regSlot - t -> Reg -> Slot) + t -> s.savedSlot[t]
  s2.saved = s.saved - t -> Reg -> Entry
  s2.savedSlot = s.savedSlot - t -> Reg -> Slot
  sameSegments[s, s2] and sameVsts[s, s2]
}

-- t's domain grants its entry e to the unused entry e2 of another domain, with rights R.
pred grant[s, s2: State, t: Thread, e, e2: Entry, R: set Right] {
  e in used[s] and e.holder = s.dom[t]
  some R and R in e.(s.rights)
  e2.holder != s.dom[t] and e2 not in used[s]
  addEntry[s, s2, e2, e.(s.slot), R, e, s.dom[t]]
  sameSegments[s, s2] and sameThreads[s, s2]
}

-- The same, naming the entry by register x: the kernel takes the entry x was loaded through,
-- which must be the asking domain's own and still name x's slot.
pred grantFromReg[s, s2: State, t: Thread, x: Reg, e2: Entry, R: set Right] {
  let e = s.reg[t][x] {
    some e and e.holder = s.dom[t] and e.(s.slot) = s.regSlot[t][x]
    some R and R in e.(s.rights)
    e2 not in used[s]
    addEntry[s, s2, e2, e.(s.slot), R, e, s.dom[t]]
  }
  sameSegments[s, s2] and sameThreads[s, s2]
}

-- The bug callee_copies_lent: the kernel takes any loaded register, also one a caller lent.
pred grantFromAnyReg[s, s2: State, t: Thread, x: Reg, e2: Entry, R: set Right] {
  let e = s.reg[t][x] {
    some e and e.(s.slot) = s.regSlot[t][x]
    some R and R in e.(s.rights)
    e2 not in used[s]
    addEntry[s, s2, e2, e.(s.slot), R, e, s.dom[t]]
  }
  sameSegments[s, s2] and sameThreads[s, s2]
}

-- t's domain makes a segment in the free slot i, held at its unused entry e with every right.
pred create[s, s2: State, t: Thread, i: Slot, e: Entry] {
  no s.owner[i]
  e.holder = s.dom[t] and e not in used[s]
  s2.owner = s.owner + i -> s.dom[t]
  s2.slot = s.slot + e -> i
  s2.rights = s.rights + e -> Right
  s2.parent = s.parent and s2.grantor = s.grantor
  sameThreads[s, s2]
}

-- The owner of e's segment revokes e, a granted entry, and everything granted from it.
pred revoke[s, s2: State, t: Thread, e: Entry] {
  e in used[s] - roots[s]
  e.(s.slot).(s.owner) = s.dom[t]
  removeEntries[s, s2, subtree[s, e]]
  sameSegments[s, s2]
}

-- The bug revoke_shallow: only e goes; what was granted from it stays.
pred revokeShallow[s, s2: State, t: Thread, e: Entry] {
  e in used[s] - roots[s]
  e.(s.slot).(s.owner) = s.dom[t]
  removeEntries[s, s2, e]
  sameSegments[s, s2]
}

-- The owner deletes the segment of its root entry e: every entry naming the slot goes, and the
-- slot is free.
pred delete[s, s2: State, t: Thread, e: Entry] {
  e in roots[s] and e.holder = s.dom[t]
  let i = e.(s.slot) {
    s.owner[i] = s.dom[t]
    removeEntries[s, s2, (s.slot).i]
    s2.owner = s.owner - i -> Domain
  }
}

-- The operation changed the state (a companion run asks for this).
pred changed[s, s2: State] {
  s2.owner != s.owner or s2.slot != s.slot or s2.rights != s.rights or s2.parent != s.parent
  or s2.grantor != s.grantor or s2.dom != s.dom or s2.reg != s.reg or s2.regSlot != s.regSlot
  or s2.caller != s.caller or s2.saved != s.saved or s2.savedSlot != s.savedSlot
}

----------------------------------------------------------------------------------------------------
-- Each operation keeps the structure (SEG-5, SEG-2) and adds holdings only by consent (SEG-12).

check RegLoadKeepsStructure {  -- SEG-2, SEG-5, SEG-12
  all s, s2: State, t: Thread, x: Reg, e: Entry |
    inv[s] and regLoad[s, s2, t, x, e] implies inv[s2] and onlyByConsent[s, s2, t]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: unsat
run RegLoadWitness {  -- witness-of: RegLoadKeepsStructure
  some s, s2: State, t: Thread, x: Reg, e: Entry | inv[s] and regLoad[s, s2, t, x, e] and changed[s, s2]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: sat

check FarCallKeepsStructure {  -- SEG-2, SEG-5, SEG-12
  all s, s2: State, t: Thread, e: Entry |
    inv[s] and farCall[s, s2, t, e] implies inv[s2] and onlyByConsent[s, s2, t]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: unsat
run FarCallWitness {  -- witness-of: FarCallKeepsStructure
  some s, s2: State, t: Thread, e: Entry | inv[s] and farCall[s, s2, t, e] and changed[s, s2]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: sat

check FarReturnKeepsStructure {  -- SEG-2, SEG-5, SEG-12
  all s, s2: State, t: Thread | inv[s] and farReturn[s, s2, t] implies inv[s2] and onlyByConsent[s, s2, t]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: unsat
run FarReturnWitness {  -- witness-of: FarReturnKeepsStructure
  some s, s2: State, t: Thread | inv[s] and farReturn[s, s2, t] and changed[s, s2]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: sat

check GrantKeepsStructure {  -- SEG-2, SEG-5, SEG-12
  all s, s2: State, t: Thread, e, e2: Entry, R: set Right |
    inv[s] and grant[s, s2, t, e, e2, R] implies inv[s2] and onlyByConsent[s, s2, t]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: unsat
run GrantWitness {  -- witness-of: GrantKeepsStructure
  some s, s2: State, t: Thread, e, e2: Entry, R: set Right |
    inv[s] and grant[s, s2, t, e, e2, R] and changed[s, s2]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: sat

check GrantFromRegKeepsStructure {  -- SEG-2, SEG-5, SEG-12
  all s, s2: State, t: Thread, x: Reg, e2: Entry, R: set Right |
    inv[s] and grantFromReg[s, s2, t, x, e2, R] implies inv[s2] and onlyByConsent[s, s2, t]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: unsat
run GrantFromRegWitness {  -- witness-of: GrantFromRegKeepsStructure
  some s, s2: State, t: Thread, x: Reg, e2: Entry, R: set Right |
    inv[s] and grantFromReg[s, s2, t, x, e2, R] and changed[s, s2]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: sat

check CreateKeepsStructure {  -- SEG-2, SEG-5, SEG-12
  all s, s2: State, t: Thread, i: Slot, e: Entry |
    inv[s] and create[s, s2, t, i, e] implies inv[s2] and onlyByConsent[s, s2, t]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: unsat
run CreateWitness {  -- witness-of: CreateKeepsStructure
  some s, s2: State, t: Thread, i: Slot, e: Entry | inv[s] and create[s, s2, t, i, e] and changed[s, s2]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: sat

check RevokeKeepsStructure {  -- SEG-2, SEG-5, SEG-12
  all s, s2: State, t: Thread, e: Entry |
    inv[s] and revoke[s, s2, t, e] implies inv[s2] and onlyByConsent[s, s2, t]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: unsat
run RevokeWitness {  -- witness-of: RevokeKeepsStructure
  some s, s2: State, t: Thread, e: Entry | inv[s] and revoke[s, s2, t, e] and changed[s, s2]
    and some subtree[s, e] - e and some s.reg[Thread][Reg] & subtree[s, e]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: sat

check DeleteKeepsStructure {  -- SEG-2, SEG-5, SEG-12
  all s, s2: State, t: Thread, e: Entry |
    inv[s] and delete[s, s2, t, e] implies inv[s2] and onlyByConsent[s, s2, t]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: unsat
run DeleteWitness {  -- witness-of: DeleteKeepsStructure
  some s, s2: State, t: Thread, e: Entry | inv[s] and delete[s, s2, t, e] and changed[s, s2]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: sat

-- SEG-12, lending: while t runs in a callee, every grant it asks for naming a register derives
-- from an entry of the callee's own domain, never from one its caller lent: the callee's domain
-- (and any domain it grants to) gains no holding from the loan.
pred grantsOwnOnly[s, s2: State, t: Thread, e2: Entry] {
  e2.(s2.parent).holder = s.dom[t] and e2.(s2.parent) not in s.saved[t][Reg]
}
check LendingAddsNoHolding {  -- SEG-12
  all s, s2: State, t: Thread, x: Reg, e2: Entry, R: set Right |
    inv[s] and some s.caller[t] and grantFromReg[s, s2, t, x, e2, R] implies grantsOwnOnly[s, s2, t, e2]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: unsat
run LendingWitness {  -- witness-of: LendingAddsNoHolding
  some s, s2: State, t: Thread, x: Reg, e2: Entry, R: set Right |
    inv[s] and some s.caller[t] and grantFromReg[s, s2, t, x, e2, R] and changed[s, s2]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: sat

-----
-- Bug variants: Alloy must find a counterexample to each.

check CalleeCopiesLentKeepsConsent {  -- SEG-12 fails: the callee grants what its caller lent
  all s, s2: State, t: Thread, x: Reg, e2: Entry, R: set Right |
    inv[s] and some s.caller[t] and grantFromAnyReg[s, s2, t, x, e2, R] implies grantsOwnOnly[s, s2, t, e2]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: sat

check CalleeCopiesLentKeepsStructure {  -- SEG-5 fails: the new entry was granted by someone other than its parent's holder
  all s, s2: State, t: Thread, x: Reg, e2: Entry, R: set Right |
    inv[s] and grantFromAnyReg[s, s2, t, x, e2, R] implies grantChains[s2]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: sat

check RevokeShallowKeepsStructure {  -- SEG-5 fails: what was granted from the revoked entry is orphaned
  all s, s2: State, t: Thread, e: Entry | inv[s] and revokeShallow[s, s2, t, e] implies grantChains[s2]
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 2 State  -- expect: sat

----------------------------------------------------------------------------------------------------
-- States the header says the scope holds.

run ThreeDeepChain {
  some s: State | inv[s] and some e: used[s] | #(e.^(s.parent)) = 2 and #s.owner.Domain = 2
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 1 State  -- expect: sat

run LentWhileHolding {
  some s: State, t: Thread | inv[s] and some s.caller[t] and some s.reg[t][Reg] & s.caller[t].~holder
    and #(s.caller[t].~holder & used[s]) = 2
} for 4 but 2 Domain, 2 Slot, 2 Sel, 4 Entry, 2 Thread, 1 Reg, 1 State  -- expect: sat
