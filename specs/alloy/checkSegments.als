module checkSegments

/*
 * Refinement of "what each domain may touch" by the VST machine (specs/tla/Segments/Segments.tla
 * has the choices; segments.als the structure of grants).
 *
 * Abstract state: for each domain, the segments it may touch and with which rights.
 *
 * Concrete state (CState): the global segment table (the segment each slot holds), each domain's
 * Vst (the slot and rights of each used entry), each thread's domain and the domain its far call
 * returns to (one level), its segment registers (a register value holds a slot, data rights, and
 * hidden, the entry it was loaded through), the caller's registers its far call saved (restored by
 * the return; while the call lasts they are also what the call lends), each CPU's TLB tagged by
 * slot (a thread runs on a CPU of its own), and the revocation in progress: the entries it removed,
 * the slot a deletion frees, and the CPUs that have not answered its interrupt.
 *
 * alpha computes the abstract state from the Vsts through the global table. touch is what each
 * thread reaches through its registers: for a register's slot, the segment its TLB caches, else
 * the table's. (The same shape as the cache example in Jackson's "Software Abstractions", and as
 * checkPageTables.als.) The concrete invariant safe (SEG-2, SEG-3 and what makes a revocation's
 * "done" safe) implies that every thread not yet interrupted by a revocation touches only what
 * its domain or its caller's may touch (TouchWithinMay, SEG-13). One check per step shows that the
 * step keeps safe and moves alpha as its abstract operation does: register loads, TLB fills and
 * evictions, far call and return, and the interrupt handlers leave alpha unchanged; a grant adds
 * at most what the granter may touch; creation adds a new segment for its creator; a revocation's
 * start only removes; its end changes nothing abstract. The sat checks show that the conditions
 * are needed (a thread still to be interrupted can touch what was revoked) and that the TLA+
 * spec's raw_selectors, revoke_local_only, delete_no_shootdown and return_keeps_registers break
 * safe. Every unsat check has a companion run (marked "witness-of").
 *
 * Left out: registers saved in memory (the TLA+ spec has them), nested far calls, the budget and
 * the ring. Segment atoms are the segments' identities: a slot freed by
 * a deletion and filled by a creation holds a new Seg.
 */

abstract sig Right {}
one sig Rd, Wr, Call extends Right {}

sig Domain {}
sig Thread {}
sig Slot {}
sig Seg {}
sig Sel {}
sig Reg {}

-- An entry: selector sel of domain holder's Vst. One atom per pair.
sig Entry {
  holder: one Domain,
  sel: one Sel
}
fact entriesArePlaces { all disj a, b: Entry | a.holder != b.holder or a.sel != b.sel }

-- A loaded segment register: the slot, the data rights, and (hidden) the entry it was loaded
-- through. Values are atoms; a state says which one each register holds.
sig Val {
  vslot: one Slot,
  vrights: set Right,
  via: one Entry
} {
  some vrights and vrights in Rd + Wr
}

sig CState {
  gst: Slot -> lone Seg,               -- the segment each slot holds (none: free)
  slot: Entry -> lone Slot,            -- the slot a used entry names
  rights: Entry -> Right,              -- its rights
  dom: Thread -> one Domain,           -- the domain each thread runs in
  caller: Thread -> lone Domain,       -- the domain its far call returns to
  reg: Thread -> Reg -> lone Val,      -- its loaded registers
  saved: Thread -> Reg -> lone Val,    -- the caller's registers its far call saved (and lends)
  tlb: Thread -> Slot -> lone Seg,     -- its CPU's cached translations, tagged by slot
  gone: set Entry,                     -- the entries the revocation in progress removed
  dslot: lone Slot,                    -- the slot the deletion in progress frees when done
  pending: set Thread                  -- the CPUs that have not answered its interrupt
} {
  rights.Right = slot.Slot
  no gone & slot.Slot
  all t: Thread | no caller[t] implies no saved[t]
  (no gone and no dslot) implies no pending
}

fun used[c: CState]: set Entry { c.slot.Slot }
-- The abstraction function: what each domain may touch.
fun alpha[c: CState]: Domain -> Seg -> Right {
  { d: Domain, g: Seg, r: Right | some e: used[c] | e.holder = d and g = c.gst[e.(c.slot)] and r in e.(c.rights) }
}
-- What thread t reaches at slot i: its TLB's entry if it has one, else the table's.
fun seen[c: CState, t: Thread, i: Slot]: lone Seg {
  some c.tlb[t][i] implies c.tlb[t][i] else c.gst[i]
}
-- What each thread touches through its loaded registers.
fun touch[c: CState]: Thread -> Seg -> Right {
  { t: Thread, g: Seg, r: Right | some x: Reg, v: c.reg[t][x] | r in v.vrights and g = seen[c, t, v.vslot] }
}

----------------------------------------------------------------------------------------------------
-- The concrete invariant

-- A register value v is good for domain d: it came through a used entry of d naming its slot, with
-- at least its rights; or through an entry the revocation in progress removed, on a CPU (thread t's)
-- that has not answered yet.
pred goodFor[c: CState, t: Thread, v: Val, d: Domain] {
  (v.via in c.gone and t in c.pending and v.vslot in c.gst.Seg)
  or (v.via in used[c] and v.via.(c.slot) = v.vslot and v.vrights in v.via.(c.rights) and v.via.holder = d)
}
-- SEG-2: a loaded register is good for its thread's domain, or is the very value the far call lent
-- in that register, good for the caller; a saved register is good for the caller. Every used entry
-- names a live slot, not the one being deleted.
pred authorised[c: CState] {
  all t: Thread, x: Reg, v: c.reg[t][x] |
    goodFor[c, t, v, c.dom[t]] or (some c.caller[t] and c.saved[t][x] = v and goodFor[c, t, v, c.caller[t]])
  all t: Thread, x: Reg, v: c.saved[t][x] | goodFor[c, t, v, c.caller[t]]
  used[c].(c.slot) in c.gst.Seg - c.dslot
}
-- SEG-3: every TLB entry is of the segment its slot holds.
pred tlbCurrent[c: CState] {
  all t: Thread, i: Slot | some c.tlb[t][i] implies c.tlb[t][i] = c.gst[i]
}
-- What makes a deletion's end safe: a CPU that has answered holds no translation of the slot and
-- no register naming it.
pred answeredClean[c: CState] {
  all t: Thread - c.pending | no c.tlb[t][c.dslot] and no (c.reg[t][Reg] + c.saved[t][Reg]) & vslot.(c.dslot)
}
-- A slot being deleted holds its segment until the kernel says done.
pred deletingHeld[c: CState] { c.dslot in c.gst.Seg }
pred safe[c: CState] {
  deletingHeld[c]
  authorised[c]
  tlbCurrent[c]
  answeredClean[c]
}

-- SEG-13: every thread that no revocation still has to interrupt touches only what its domain may
-- touch, and in a far call what the call lent it (which its caller may touch), no more.
pred touchWithinMay[c: CState] {
  all t: Thread - c.pending | c.touch[t] in alpha[c][c.dom[t]] + lent[c, t]
}
-- What the far call of t lends and the callee still holds: the segments and rights of the caller's
-- registers it saved that are still loaded as they were.
fun lent[c: CState, t: Thread]: Seg -> Right {
  { g: Seg, r: Right | some x: Reg, v: c.reg[t][x] | c.saved[t][x] = v and r in v.vrights and g = seen[c, t, v.vslot] }
}
-- (c.touch[t] is touch[c][t]: Alloy's receiver syntax.)

----------------------------------------------------------------------------------------------------
-- Frame conditions

pred sameVsts[c, c2: CState] { c2.gst = c.gst and c2.slot = c.slot and c2.rights = c.rights }
pred sameThreads[c, c2: CState] { c2.dom = c.dom and c2.caller = c.caller and c2.reg = c.reg and c2.saved = c.saved }
pred sameRevocation[c, c2: CState] { c2.gone = c.gone and c2.dslot = c.dslot and c2.pending = c.pending }
pred idle[c: CState] { no c.gone and no c.dslot }

-- The state changed (a companion run asks for this, so that a no-op cannot witness a check).
pred changed[c, c2: CState] {
  c2.gst != c.gst or c2.slot != c.slot or c2.rights != c.rights or c2.dom != c.dom
  or c2.caller != c.caller or c2.reg != c.reg or c2.saved != c.saved or c2.tlb != c.tlb or c2.gone != c.gone
  or c2.dslot != c.dslot or c2.pending != c.pending
}

----------------------------------------------------------------------------------------------------
-- Steps

-- The hardware: t loads register x through the entry e of its domain's Vst (a data right).
pred regLoad[c, c2: CState, t: Thread, x: Reg, v: Val] {
  t not in c.pending
  v.via in used[c] and v.via.holder = c.dom[t]
  v.vslot = v.via.(c.slot) and v.vrights = v.via.(c.rights) & (Rd + Wr)
  c2.reg = c.reg ++ t -> x -> v
  c2.dom = c.dom and c2.caller = c.caller and c2.saved = c.saved
  sameVsts[c, c2] and c2.tlb = c.tlb and sameRevocation[c, c2]
}
-- The bug callee_loads_callers_entry: in a far call, the register is loaded through an entry of the
-- caller's Vst (as if the hardware looked selectors up in the caller's table): the callee reaches
-- what its caller holds but did not lend.
pred calleeLoadsCallersEntry[c, c2: CState, t: Thread, x: Reg, v: Val] {
  t not in c.pending and some c.caller[t]
  v.via in used[c] and v.via.holder = c.caller[t]
  v.vslot = v.via.(c.slot) and v.vrights = v.via.(c.rights) & (Rd + Wr)
  c2.reg = c.reg ++ t -> x -> v
  c2.dom = c.dom and c2.caller = c.caller and c2.saved = c.saved
  sameVsts[c, c2] and c2.tlb = c.tlb and sameRevocation[c, c2]
}
-- The bug raw_selectors: the selector is taken as a slot, with every data right.
pred rawLoad[c, c2: CState, t: Thread, x: Reg, v: Val] {
  t not in c.pending
  some c.gst[v.vslot] and v.vrights = Rd + Wr
  c2.reg = c.reg ++ t -> x -> v
  c2.dom = c.dom and c2.caller = c.caller and c2.saved = c.saved
  sameVsts[c, c2] and c2.tlb = c.tlb and sameRevocation[c, c2]
}
-- The hardware: t's CPU caches the translation of slot i (on an access through a register).
pred tlbFill[c, c2: CState, t: Thread, i: Slot] {
  i in c.reg[t][Reg].vslot and some c.gst[i] and no c.tlb[t][i]
  c2.tlb = c.tlb + t -> i -> c.gst[i]
  sameVsts[c, c2] and sameThreads[c, c2] and sameRevocation[c, c2]
}
-- The hardware: t's CPU drops its translation of slot i.
pred tlbEvict[c, c2: CState, t: Thread, i: Slot] {
  some c.tlb[t][i]
  c2.tlb = c.tlb - t -> i -> Seg
  sameVsts[c, c2] and sameThreads[c, c2] and sameRevocation[c, c2]
}
-- The hardware: t, at home, far calls the owner of the segment its entry e names (e has the call
-- right). The registers stay loaded, lent to the callee, and are saved for the return.
pred farCall[c, c2: CState, t: Thread, e: Entry, callee: Domain] {
  t not in c.pending and no c.caller[t]
  e in used[c] and e.holder = c.dom[t] and Call in e.(c.rights)
  callee != c.dom[t]
  c2.dom = c.dom ++ t -> callee
  c2.caller = c.caller + t -> c.dom[t]
  c2.reg = c.reg
  c2.saved = c.saved + t -> c.reg[t]
  sameVsts[c, c2] and c2.tlb = c.tlb and sameRevocation[c, c2]
}
-- The hardware: far return, with the caller's registers back as the call saved them (less what a
-- revocation took from the frame since).
pred farReturn[c, c2: CState, t: Thread] {
  t not in c.pending and some c.caller[t]
  c2.dom = c.dom ++ t -> c.caller[t]
  c2.caller = c.caller - t -> Domain
  c2.reg = (c.reg - t -> Reg -> Val) + t -> c.saved[t]
  c2.saved = c.saved - t -> Reg -> Val
  sameVsts[c, c2] and c2.tlb = c.tlb and sameRevocation[c, c2]
}
-- The bug return_keeps_registers: the domain comes back, the callee's registers stay.
pred returnKeepsRegisters[c, c2: CState, t: Thread] {
  t not in c.pending and some c.caller[t]
  c2.dom = c.dom ++ t -> c.caller[t]
  c2.caller = c.caller - t -> Domain
  c2.reg = c.reg
  c2.saved = c.saved - t -> Reg -> Val
  sameVsts[c, c2] and c2.tlb = c.tlb and sameRevocation[c, c2]
}
-- The kernel: t's domain grants its entry e to the unused entry e2 with rights R.
pred grant[c, c2: CState, t: Thread, e, e2: Entry, R: set Right] {
  t not in c.pending
  e in used[c] and e.holder = c.dom[t] and some R and R in e.(c.rights)
  e2 not in used[c] + c.gone and e2.holder != c.dom[t]
  c2.slot = c.slot + e2 -> e.(c.slot)
  c2.rights = c.rights + e2 -> R
  c2.gst = c.gst and sameThreads[c, c2] and c2.tlb = c.tlb and sameRevocation[c, c2]
}
-- The kernel: t's domain creates segment g in the free slot i, held at its unused entry e.
pred create[c, c2: CState, t: Thread, i: Slot, g: Seg, e: Entry] {
  t not in c.pending
  no c.gst[i] and g not in Slot.(c.gst)
  e.holder = c.dom[t] and e not in used[c]
  c2.gst = c.gst + i -> g
  c2.slot = c.slot + e -> i
  c2.rights = c.rights + e -> Right
  sameThreads[c, c2] and c2.tlb = c.tlb and sameRevocation[c, c2]
}
-- Clear, in thread u's registers, those loaded through an entry in gs or naming slot ds.
fun cleared[c: CState, u: Thread, gs: set Entry, ds: set Slot]: Reg -> Val {
  { x: Reg, v: c.reg[u][x] | v.via not in gs and v.vslot not in ds }
}
-- The same in the registers u's far call saved (the kernel finds the frame).
fun clearedSaved[c: CState, u: Thread, gs: set Entry, ds: set Slot]: Reg -> Val {
  { x: Reg, v: c.saved[u][x] | v.via not in gs and v.vslot not in ds }
}
-- The kernel: t starts a revocation of the entries in gs (a deletion of slot ds, if some): they
-- leave the Vsts, t's own registers and (for a deletion) TLB are fixed, and the other CPUs are
-- interrupted. (Which entries go is segments.als's business; any set of used entries may here.)
pred revStart[c, c2: CState, t: Thread, gs: set Entry, ds: lone Slot] {
  idle[c] and some gs and gs in used[c]
  some ds implies gs = (c.slot).ds
  c2.slot = c.slot - gs -> Slot
  c2.rights = c.rights - gs -> Right
  c2.gst = c.gst and c2.dom = c.dom and c2.caller = c.caller
  c2.reg = (c.reg - t -> Reg -> Val) + t -> cleared[c, t, gs, ds]
  c2.saved = (c.saved - t -> Reg -> Val) + t -> clearedSaved[c, t, gs, ds]
  c2.tlb = c.tlb - t -> ds -> Seg
  c2.gone = gs and c2.dslot = ds and c2.pending = Thread - t
}
-- The bug revoke_local_only: no other CPU is interrupted.
pred revStartLocalOnly[c, c2: CState, t: Thread, gs: set Entry, ds: lone Slot] {
  idle[c] and some gs and gs in used[c]
  some ds implies gs = (c.slot).ds
  c2.slot = c.slot - gs -> Slot
  c2.rights = c.rights - gs -> Right
  c2.gst = c.gst and c2.dom = c.dom and c2.caller = c.caller
  c2.reg = (c.reg - t -> Reg -> Val) + t -> cleared[c, t, gs, ds]
  c2.saved = (c.saved - t -> Reg -> Val) + t -> clearedSaved[c, t, gs, ds]
  c2.tlb = c.tlb - t -> ds -> Seg
  c2.gone = gs and c2.dslot = ds and no c2.pending
}
-- The interrupt on u's CPU: its registers loaded through a removed entry are cleared, and for a
-- deletion the slot leaves its TLB.
pred revAnswer[c, c2: CState, u: Thread] {
  u in c.pending
  c2.reg = (c.reg - u -> Reg -> Val) + u -> cleared[c, u, c.gone, c.dslot]
  c2.saved = (c.saved - u -> Reg -> Val) + u -> clearedSaved[c, u, c.gone, c.dslot]
  c2.tlb = c.tlb - u -> c.dslot -> Seg
  c2.pending = c.pending - u
  sameVsts[c, c2] and c2.dom = c.dom and c2.caller = c.caller and c2.gone = c.gone and c2.dslot = c.dslot
}
-- The bug delete_no_shootdown: the handler clears the registers, not the TLB.
pred revAnswerNoShootdown[c, c2: CState, u: Thread] {
  u in c.pending
  c2.reg = (c.reg - u -> Reg -> Val) + u -> cleared[c, u, c.gone, c.dslot]
  c2.saved = (c.saved - u -> Reg -> Val) + u -> clearedSaved[c, u, c.gone, c.dslot]
  c2.tlb = c.tlb
  c2.pending = c.pending - u
  sameVsts[c, c2] and c2.dom = c.dom and c2.caller = c.caller and c2.gone = c.gone and c2.dslot = c.dslot
}
-- Every CPU answered: the kernel says done; a deleted slot is free.
pred revDone[c, c2: CState] {
  not idle[c] and no c.pending
  c2.gst = c.gst - c.dslot -> Seg
  c2.slot = c.slot and c2.rights = c.rights and sameThreads[c, c2] and c2.tlb = c.tlb
  no c2.gone and no c2.dslot and no c2.pending
}

----------------------------------------------------------------------------------------------------
-- The abstraction: safe implies what the abstract machine allows.

check TouchWithinMay {  -- SEG-13
  all c: CState | safe[c] implies touchWithinMay[c]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 1 CState  -- expect: unsat
run TouchWitness {  -- witness-of: TouchWithinMay
  some c: CState, t: Thread | safe[c] and t not in c.pending and some c.caller[t] and some c.touch[t]
    and some c.tlb[t][Slot]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 1 CState  -- expect: sat

-- A CPU that has not answered yet can still touch what the revocation removed: the kernel must
-- not say "done" before every CPU answered.
check TouchWithinMayDuringRevocation {  -- SEG-13 needs the answers
  all c: CState | safe[c] implies all t: Thread | c.touch[t] in alpha[c][c.dom[t] + c.caller[t]]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 1 CState  -- expect: sat

----------------------------------------------------------------------------------------------------
-- Each step keeps safe and refines its abstract operation.

check RegLoadRefines {  -- SEG-2, SEG-3, SEG-13: invisible
  all c, c2: CState, t: Thread, x: Reg, v: Val |
    safe[c] and regLoad[c, c2, t, x, v] implies safe[c2] and alpha[c2] = alpha[c]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: unsat
run RegLoadWitness {  -- witness-of: RegLoadRefines
  some c, c2: CState, t: Thread, x: Reg, v: Val | safe[c] and regLoad[c, c2, t, x, v] and changed[c, c2]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check TlbFillRefines {  -- SEG-2, SEG-3, SEG-13: invisible
  all c, c2: CState, t: Thread, i: Slot |
    safe[c] and tlbFill[c, c2, t, i] implies safe[c2] and alpha[c2] = alpha[c] and touch[c2] = touch[c]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: unsat
run TlbFillWitness {  -- witness-of: TlbFillRefines
  some c, c2: CState, t: Thread, i: Slot | safe[c] and tlbFill[c, c2, t, i] and changed[c, c2]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check TlbEvictRefines {  -- SEG-2, SEG-3, SEG-13: invisible
  all c, c2: CState, t: Thread, i: Slot |
    safe[c] and tlbEvict[c, c2, t, i] implies safe[c2] and alpha[c2] = alpha[c] and touch[c2] = touch[c]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: unsat
run TlbEvictWitness {  -- witness-of: TlbEvictRefines
  some c, c2: CState, t: Thread, i: Slot | safe[c] and tlbEvict[c, c2, t, i] and changed[c, c2]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check FarCallRefines {  -- SEG-2, SEG-3, SEG-13: invisible (lending moves no right)
  all c, c2: CState, t: Thread, e: Entry, d: Domain |
    safe[c] and farCall[c, c2, t, e, d] implies safe[c2] and alpha[c2] = alpha[c]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: unsat
run FarCallWitness {  -- witness-of: FarCallRefines
  some c, c2: CState, t: Thread, e: Entry, d: Domain |
    safe[c] and farCall[c, c2, t, e, d] and changed[c, c2] and some c.reg[t][Reg]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check FarReturnRefines {  -- SEG-2, SEG-3, SEG-13: invisible
  all c, c2: CState, t: Thread |
    safe[c] and farReturn[c, c2, t] implies safe[c2] and alpha[c2] = alpha[c]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: unsat
run FarReturnWitness {  -- witness-of: FarReturnRefines
  some c, c2: CState, t: Thread | safe[c] and farReturn[c, c2, t] and changed[c, c2] and some c.saved[t]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check GrantRefines {  -- SEG-2, SEG-3, SEG-13: the receiver gains at most what the granter may touch
  all c, c2: CState, t: Thread, e, e2: Entry, R: set Right |
    safe[c] and grant[c, c2, t, e, e2, R]
      implies safe[c2] and alpha[c] in alpha[c2]
              and alpha[c2] - alpha[c] in e2.holder -> alpha[c][c.dom[t]]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: unsat
run GrantWitness {  -- witness-of: GrantRefines
  some c, c2: CState, t: Thread, e, e2: Entry, R: set Right |
    safe[c] and grant[c, c2, t, e, e2, R] and alpha[c2] != alpha[c]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check CreateRefines {  -- SEG-2, SEG-3, SEG-13: the creator gains a new segment, nobody else anything
  all c, c2: CState, t: Thread, i: Slot, g: Seg, e: Entry |
    safe[c] and create[c, c2, t, i, g, e]
      implies safe[c2] and alpha[c2] = alpha[c] + c.dom[t] -> g -> Right
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: unsat
run CreateWitness {  -- witness-of: CreateRefines
  some c, c2: CState, t: Thread, i: Slot, g: Seg, e: Entry | safe[c] and create[c, c2, t, i, g, e] and changed[c, c2]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check RevStartRefines {  -- SEG-2, SEG-3, SEG-13: only removes
  all c, c2: CState, t: Thread, gs: set Entry, ds: lone Slot |
    safe[c] and revStart[c, c2, t, gs, ds] implies safe[c2] and alpha[c2] in alpha[c]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: unsat
run RevStartWitness {  -- witness-of: RevStartRefines
  some c, c2: CState, t: Thread, gs: set Entry, ds: lone Slot |
    safe[c] and revStart[c, c2, t, gs, ds] and alpha[c2] != alpha[c] and some Reg.((Thread - t).(c.reg)).via & gs
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check RevAnswerRefines {  -- SEG-2, SEG-3, SEG-13: invisible
  all c, c2: CState, u: Thread |
    safe[c] and revAnswer[c, c2, u] implies safe[c2] and alpha[c2] = alpha[c]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: unsat
run RevAnswerWitness {  -- witness-of: RevAnswerRefines
  some c, c2: CState, u: Thread | safe[c] and revAnswer[c, c2, u] and c2.reg != c.reg and some c.dslot
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check RevDoneRefines {  -- SEG-2, SEG-3, SEG-13: invisible, and every thread is back within alpha
  all c, c2: CState | safe[c] and revDone[c, c2] implies safe[c2] and alpha[c2] = alpha[c] and touchWithinMay[c2]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: unsat
run RevDoneWitness {  -- witness-of: RevDoneRefines
  some c, c2: CState | safe[c] and revDone[c, c2] and some c.dslot
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

----------------------------------------------------------------------------------------------------
-- Bug variants: Alloy must find a counterexample to each.

check RawLoadRefines {  -- SEG-13 fails: a raw selector reaches a segment the domain may not touch
  all c, c2: CState, t: Thread, x: Reg, v: Val |
    safe[c] and rawLoad[c, c2, t, x, v] implies touchWithinMay[c2]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check RevokeLocalOnlyRefines {  -- SEG-2 fails: another CPU keeps a revoked register, and nobody waits for it
  all c, c2: CState, t: Thread, gs: set Entry, ds: lone Slot |
    safe[c] and revStartLocalOnly[c, c2, t, gs, ds] implies safe[c2] and touchWithinMay[c2]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check DeleteNoShootdownRefines {  -- SEG-3 fails: an answered CPU keeps the deleted slot's translation
  all c, c2: CState, u: Thread |
    safe[c] and revAnswerNoShootdown[c, c2, u] implies safe[c2]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check CalleeLoadsCallersEntryRefines {  -- SEG-13 fails: the callee reaches what its caller holds but did not lend
  all c, c2: CState, t: Thread, x: Reg, v: Val |
    safe[c] and calleeLoadsCallersEntry[c, c2, t, x, v] implies touchWithinMay[c2]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat

check ReturnKeepsRegistersRefines {  -- SEG-2 fails: the caller keeps the callee's segments
  all c, c2: CState, t: Thread |
    safe[c] and returnKeepsRegisters[c, c2, t] implies safe[c2] and touchWithinMay[c2]
} for 3 but 2 Domain, 2 Thread, 2 Slot, 3 Seg, 2 Sel, 4 Entry, 1 Reg, 4 Val, 2 CState  -- expect: sat
