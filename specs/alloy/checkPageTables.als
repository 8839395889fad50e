module checkPageTables

/*
 * Refinement of the TLB-less machine by a machine with TLBs (TLB-10).
 *
 * Concrete state (CState): what the walk of each space's page tables gives (pageTables.als has
 * the two-level structure behind the walk; only its result matters here), the space each CPU
 * runs, each CPU's TLB (entries tagged by space, as with ASIDs, each with the write permission it
 * was filled with), and the pages whose shootdown is under way.
 *
 * Abstract state: what software on each CPU can observe, i.e. for each page the frame an access
 * reaches and whether a write succeeds. alpha and alphaWrite compute it: the running space's
 * cached entry if there is one, else the walk. (The same shape as the cache example in Jackson's
 * "Software Abstractions".)
 *
 * The hardware may fill an entry from the current tables, or evict any entry, at any moment; the
 * kernel cannot stop it. The unsat checks show that neither step moves the abstract state while
 * the TLBs agree with the tables outside pending shootdowns (TLB-1) and no shootdown is pending.
 * The sat checks show that both conditions are needed: during a shootdown, evicting the stale
 * entry changes what the CPU sees; and an entry that disagrees with the tables (what a kernel
 * leaves behind when it edits a PTE and skips the invalidation) is visible.
 *
 * The kernel's own steps: shootdownStart marks a page pending and owes it an acknowledgement from
 * every CPU; pteEdit changes a page's walk (map, unmap, downgrade), only while its shootdown is
 * pending unless the page was unmapped, and asks every CPU again (the IPIs go out after the edit);
 * shootdownAck is one CPU invalidating its entry and acknowledging; shootdownFinish ends the
 * shootdown once every CPU has acknowledged; spaceSwitch changes the space a CPU runs (tagged TLBs
 * keep their entries). The checks show that each step, and the hardware's fill and evict, keep
 * TLB-1 together with what makes the finish safe (a CPU that has acknowledged holds no stale entry
 * of the page, ackedAgree); the sat checks show that a finish before every acknowledgement, or an
 * edit of a mapped page without a shootdown, break TLB-1. Every check has a companion run (marked
 * "witness-of") showing that its premises and step can happen and change the state.
 */

sig Space {}
sig Frame {}
sig Cpu {}
sig VPage {}

sig CState {
  table: Space -> VPage -> Frame,        -- what the walk of each space's page tables gives
  tableWrite: Space -> VPage,            -- where the walk allows writes (R/W at both levels)
  runs: Cpu -> one Space,
  tlb: Cpu -> Space -> VPage -> Frame,   -- cached translations, tagged by space
  tlbWrite: Cpu -> Space -> VPage,       -- the cached entries that allow writes
  pending: Space -> VPage,               -- pages whose shootdown is under way
  unacked: Space -> VPage -> Cpu         -- the CPUs that have not yet acknowledged a pending page
} {
  unacked.Cpu in pending
  -- At most one frame per walk and per TLB entry. Written as facts rather than "lone" in the
  -- declarations, which Alloy 6.2 translates far more slowly for the 5-ary tlb
  -- (seconds per command even at scope 1, against a quarter of a second at scope 3).
  all sp: Space, p: VPage | lone table[sp][p]
  all cpu: Cpu, sp: Space, p: VPage | lone tlb[cpu][sp][p]
  tlbWrite in tlb.Frame
  tableWrite in table.Frame
}

fun walkAt[c: CState, sp: Space, p: VPage]: lone Frame { c.table[sp][p] }
pred writeOkAt[c: CState, sp: Space, p: VPage] { sp -> p in c.tableWrite }

-- What CPU cpu observes at page p: the frame its TLB caches for the space it runs, else the walk's.
fun view[c: CState, cpu: Cpu, p: VPage]: lone Frame {
  let e = c.tlb[cpu][c.runs[cpu]][p] | some e implies e else walkAt[c, c.runs[cpu], p]
}
-- Whether a write by cpu at page p succeeds.
pred canWrite[c: CState, cpu: Cpu, p: VPage] {
  some c.tlb[cpu][c.runs[cpu]][p] implies cpu -> c.runs[cpu] -> p in c.tlbWrite
  else writeOkAt[c, c.runs[cpu], p]
}
-- The abstraction function. The abstract machine has no TLB: its state is, for every CPU and
-- page, the frame an access reaches and whether a write succeeds. alpha gives the first part,
-- alphaWrite the second.
fun alpha[c: CState]: Cpu -> VPage -> Frame {
  { cpu: Cpu, p: VPage, f: Frame | f in view[c, cpu, p] }
}
fun alphaWrite[c: CState]: Cpu -> VPage {
  { cpu: Cpu, p: VPage | canWrite[c, cpu, p] }
}
-- The same abstract state read from the page tables alone: what a machine without TLBs shows.
fun walkOnly[c: CState]: Cpu -> VPage -> Frame {
  { cpu: Cpu, p: VPage, f: Frame | f in walkAt[c, c.runs[cpu], p] }
}
fun walkOnlyWrite[c: CState]: Cpu -> VPage {
  { cpu: Cpu, p: VPage | writeOkAt[c, c.runs[cpu], p] }
}

-- TLB-1: outside pending shootdowns, every cached entry is what the walk gives.
pred consistent[c: CState] {
  all cpu: Cpu, sp: Space, p: VPage |
    (some c.tlb[cpu][sp][p] and sp -> p not in c.pending) implies
      (c.tlb[cpu][sp][p] = walkAt[c, sp, p]
       and (cpu -> sp -> p in c.tlbWrite iff writeOkAt[c, sp, p]))
}

pred sameTablesAndCpus[c, c2: CState] {
  c2.table = c.table and c2.tableWrite = c.tableWrite and c2.runs = c.runs and c2.pending = c.pending
  c2.unacked = c.unacked
}
pred sameTlbs[c, c2: CState] { c2.tlb = c.tlb and c2.tlbWrite = c.tlbWrite }

-- What makes a shootdown's finish safe: a CPU that has acknowledged a pending page holds no entry
-- of it that disagrees with the walk.
pred ackedAgree[c: CState] {
  all sp: Space, p: sp.(c.pending), cpu: Cpu - c.unacked[sp][p] |
    some c.tlb[cpu][sp][p] implies
      (c.tlb[cpu][sp][p] = walkAt[c, sp, p] and (cpu -> sp -> p in c.tlbWrite iff writeOkAt[c, sp, p]))
}
-- TLB-1 and what the kernel's shootdown protocol keeps beside it.
pred tlbInv[c: CState] { consistent[c] and ackedAgree[c] }

-- The state changed (a companion run asks for this, so that a no-op cannot witness a check).
pred changed[c, c2: CState] {
  c2.table != c.table or c2.tableWrite != c.tableWrite or c2.runs != c.runs or c2.tlb != c.tlb
  or c2.tlbWrite != c.tlbWrite or c2.pending != c.pending or c2.unacked != c.unacked
}

-- The hardware caches page p of the space cpu runs, from the current tables.
pred tlbFill[c, c2: CState, cpu: Cpu, p: VPage] {
  let sp = c.runs[cpu] {
    some walkAt[c, sp, p]
    no c.tlb[cpu][sp][p]
    c2.tlb = c.tlb + cpu -> sp -> p -> walkAt[c, sp, p]
    c2.tlbWrite = c.tlbWrite + (writeOkAt[c, sp, p] implies cpu -> sp -> p else none -> none -> none)
  }
  sameTablesAndCpus[c, c2]
}
-- The bug: an entry filled with some frame other than what the tables now say.
pred tlbFillStale[c, c2: CState, cpu: Cpu, p: VPage, f: Frame] {
  let sp = c.runs[cpu] {
    no c.tlb[cpu][sp][p]
    c2.tlb = c.tlb + cpu -> sp -> p -> f
    c2.tlbWrite = c.tlbWrite
  }
  sameTablesAndCpus[c, c2]
}

-- The hardware drops an entry.
pred tlbEvict[c, c2: CState, cpu: Cpu, sp: Space, p: VPage] {
  some c.tlb[cpu][sp][p]
  c2.tlb = c.tlb - cpu -> sp -> p -> Frame
  c2.tlbWrite = c.tlbWrite - cpu -> sp -> p
  sameTablesAndCpus[c, c2]
}

-- The kernel starts a shootdown of page p of space sp: every CPU owes an acknowledgement.
pred shootdownStart[c, c2: CState, sp: Space, p: VPage] {
  sp -> p not in c.pending
  c2.pending = c.pending + sp -> p
  c2.unacked = c.unacked + sp -> p -> Cpu
  c2.table = c.table and c2.tableWrite = c.tableWrite and c2.runs = c.runs
  sameTlbs[c, c2]
}
-- The kernel edits the entry of page p of space sp: it maps f (none: unmaps), writable if w. A
-- page that maps something is edited only under its pending shootdown, and every CPU must
-- acknowledge again, since the IPIs go out after the edit.
pred pteEdit[c, c2: CState, sp: Space, p: VPage, f: lone Frame, w: lone Cpu] {
  sp -> p in c.pending or no walkAt[c, sp, p]
  pteEditAnyway[c, c2, sp, p, f, w]
}
-- (w is some CPU for a writable entry, none for read-only: a cheap lone flag.)
pred pteEditAnyway[c, c2: CState, sp: Space, p: VPage, f: lone Frame, w: lone Cpu] {
  c2.table = c.table - sp -> p -> Frame + sp -> p -> f
  c2.tableWrite = c.tableWrite - sp -> p + (some f and some w implies sp -> p else none -> none)
  c2.unacked = c.unacked + (sp -> p in c.pending implies sp -> p -> Cpu else none -> none -> none)
  c2.pending = c.pending and c2.runs = c.runs
  sameTlbs[c, c2]
}
-- CPU cpu invalidates its entry of page p of space sp and acknowledges.
pred shootdownAck[c, c2: CState, cpu: Cpu, sp: Space, p: VPage] {
  cpu in c.unacked[sp][p]
  c2.tlb = c.tlb - cpu -> sp -> p -> Frame
  c2.tlbWrite = c.tlbWrite - cpu -> sp -> p
  c2.unacked = c.unacked - sp -> p -> cpu
  c2.table = c.table and c2.tableWrite = c.tableWrite and c2.runs = c.runs and c2.pending = c.pending
}
-- The kernel ends the shootdown of page p of space sp once every CPU has acknowledged.
pred shootdownFinish[c, c2: CState, sp: Space, p: VPage] {
  no c.unacked[sp][p]
  shootdownFinishEarly[c, c2, sp, p]
}
-- The bug: the shootdown ends without waiting for the acknowledgements.
pred shootdownFinishEarly[c, c2: CState, sp: Space, p: VPage] {
  sp -> p in c.pending
  c2.pending = c.pending - sp -> p
  c2.unacked = c.unacked - sp -> p -> Cpu
  c2.table = c.table and c2.tableWrite = c.tableWrite and c2.runs = c.runs
  sameTlbs[c, c2]
}
-- CPU cpu switches to space sp; its tagged TLB keeps its entries.
pred spaceSwitch[c, c2: CState, cpu: Cpu, sp: Space] {
  c2.runs = c.runs ++ cpu -> sp
  c2.table = c.table and c2.tableWrite = c.tableWrite and c2.pending = c.pending and c2.unacked = c.unacked
  sameTlbs[c, c2]
}

-- A step is invisible when it leaves the abstract state where it was.
pred invisible[c, c2: CState] {
  alpha[c2] = alpha[c]
  alphaWrite[c2] = alphaWrite[c]
}

-- TLB-10: with the TLBs consistent (TLB-1) and no shootdown pending, what every CPU observes is
-- exactly what a machine without TLBs would show.
check TlbIsTransparent {
  all c: CState | consistent[c] and no c.pending implies
    (alpha[c] = walkOnly[c] and alphaWrite[c] = walkOnlyWrite[c])
} for 5 but 1 CState  -- expect: unsat

check FillIsInvisible {  -- TLB-10
  all c, c2: CState, cpu: Cpu, p: VPage |
    consistent[c] and no c.pending and tlbFill[c, c2, cpu, p] implies invisible[c, c2]
} for 5 but 2 CState  -- expect: unsat

check EvictIsInvisible {  -- TLB-10
  all c, c2: CState, cpu: Cpu, sp: Space, p: VPage |
    consistent[c] and no c.pending and tlbEvict[c, c2, cpu, sp, p] implies invisible[c, c2]
} for 5 but 2 CState  -- expect: unsat

check FillKeepsConsistent {  -- TLB-1 is kept by the hardware's own steps
  all c, c2: CState, cpu: Cpu, p: VPage |
    consistent[c] and tlbFill[c, c2, cpu, p] implies consistent[c2]
} for 5 but 2 CState  -- expect: unsat

-- Companions of the checks above.
run TransparentWitness {  -- witness-of: TlbIsTransparent
  some c: CState | consistent[c] and no c.pending and some c.tlb
} for 5 but 1 CState  -- expect: sat
run FillWitness {  -- witness-of: FillIsInvisible, FillKeepsConsistent
  some c, c2: CState, cpu: Cpu, p: VPage |
    consistent[c] and no c.pending and tlbFill[c, c2, cpu, p] and changed[c, c2]
} for 5 but 2 CState  -- expect: sat
run EvictWitness {  -- witness-of: EvictIsInvisible
  some c, c2: CState, cpu: Cpu, sp: Space, p: VPage |
    consistent[c] and no c.pending and tlbEvict[c, c2, cpu, sp, p] and changed[c, c2]
} for 5 but 2 CState  -- expect: sat

-- TLB-1 (with ackedAgree) is kept by every step, the hardware's and the kernel's.
check FillKeepsTlbInv {
  all c, c2: CState, cpu: Cpu, p: VPage | tlbInv[c] and tlbFill[c, c2, cpu, p] implies tlbInv[c2]
} for 5 but 2 CState  -- expect: unsat
run FillDuringShootdownWitness {  -- witness-of: FillKeepsTlbInv
  some c, c2: CState, cpu: Cpu, p: VPage | tlbInv[c] and tlbFill[c, c2, cpu, p] and some c.pending
} for 5 but 2 CState  -- expect: sat
check EvictKeepsTlbInv {
  all c, c2: CState, cpu: Cpu, sp: Space, p: VPage | tlbInv[c] and tlbEvict[c, c2, cpu, sp, p] implies tlbInv[c2]
} for 5 but 2 CState  -- expect: unsat
run EvictDuringShootdownWitness {  -- witness-of: EvictKeepsTlbInv
  some c, c2: CState, cpu: Cpu, sp: Space, p: VPage | tlbInv[c] and tlbEvict[c, c2, cpu, sp, p] and some c.pending
} for 5 but 2 CState  -- expect: sat
check ShootdownStartKeepsTlbInv {
  all c, c2: CState, sp: Space, p: VPage | tlbInv[c] and shootdownStart[c, c2, sp, p] implies tlbInv[c2]
} for 5 but 2 CState  -- expect: unsat
run ShootdownStartWitness {  -- witness-of: ShootdownStartKeepsTlbInv
  some c, c2: CState, sp: Space, p: VPage | tlbInv[c] and shootdownStart[c, c2, sp, p] and some c.tlb.Frame.p
} for 5 but 2 CState  -- expect: sat
check PteEditKeepsTlbInv {
  all c, c2: CState, sp: Space, p: VPage, f: lone Frame, w: lone Cpu |
    tlbInv[c] and pteEdit[c, c2, sp, p, f, w] implies tlbInv[c2]
} for 5 but 2 CState  -- expect: unsat
-- witness-of: PteEditKeepsTlbInv; an edit of a cached page, left stale
run PteEditWitness {
  some c, c2: CState, sp: Space, p: VPage, f: lone Frame, w: lone Cpu |
    tlbInv[c] and pteEdit[c, c2, sp, p, f, w] and some c.tlb[Cpu][sp][p] and walkAt[c2, sp, p] != walkAt[c, sp, p]
} for 5 but 2 CState  -- expect: sat
check ShootdownAckKeepsTlbInv {
  all c, c2: CState, cpu: Cpu, sp: Space, p: VPage | tlbInv[c] and shootdownAck[c, c2, cpu, sp, p] implies tlbInv[c2]
} for 5 but 2 CState  -- expect: unsat
-- witness-of: ShootdownAckKeepsTlbInv; the entry it drops is stale
run ShootdownAckWitness {
  some c, c2: CState, cpu: Cpu, sp: Space, p: VPage |
    tlbInv[c] and shootdownAck[c, c2, cpu, sp, p] and c.tlb[cpu][sp][p] != walkAt[c, sp, p]
} for 5 but 2 CState  -- expect: sat
-- Finishing restores TLB-1 for the page: it leaves the pending set, and its entries agree.
check ShootdownFinishKeepsTlbInv {
  all c, c2: CState, sp: Space, p: VPage | tlbInv[c] and shootdownFinish[c, c2, sp, p] implies tlbInv[c2]
} for 5 but 2 CState  -- expect: unsat
-- witness-of: ShootdownFinishKeepsTlbInv; some CPU caches the page
run ShootdownFinishWitness {
  some c, c2: CState, sp: Space, p: VPage | tlbInv[c] and shootdownFinish[c, c2, sp, p] and some c.tlb[Cpu][sp][p]
} for 5 but 2 CState  -- expect: sat
check SpaceSwitchKeepsTlbInv {
  all c, c2: CState, cpu: Cpu, sp: Space | tlbInv[c] and spaceSwitch[c, c2, cpu, sp] implies tlbInv[c2]
} for 5 but 2 CState  -- expect: unsat
run SpaceSwitchWitness {  -- witness-of: SpaceSwitchKeepsTlbInv
  some c, c2: CState, cpu: Cpu, sp: Space | tlbInv[c] and spaceSwitch[c, c2, cpu, sp] and changed[c, c2]
    and some c.tlb[cpu]
} for 5 but 2 CState  -- expect: sat

-- Bug variants and the window: Alloy must find these.
check EvictIsInvisibleDuringShootdown {  -- fails: the stale entry is visible until it goes
  all c, c2: CState, cpu: Cpu, sp: Space, p: VPage |
    consistent[c] and tlbEvict[c, c2, cpu, sp, p] implies invisible[c, c2]
} for 5 but 2 CState  -- expect: sat

check StaleFillIsInvisible {  -- fails: an entry that disagrees with the tables is observed
  all c, c2: CState, cpu: Cpu, p: VPage, f: Frame |
    consistent[c] and no c.pending and tlbFillStale[c, c2, cpu, p, f] implies invisible[c, c2]
} for 5 but 2 CState  -- expect: sat

check EarlyFinishKeepsConsistent {  -- fails: a CPU that has not acknowledged keeps its stale entry
  all c, c2: CState, sp: Space, p: VPage |
    tlbInv[c] and shootdownFinishEarly[c, c2, sp, p] implies consistent[c2]
} for 5 but 2 CState  -- expect: sat

check EditWithoutShootdownKeepsConsistent {  -- fails: a cached entry no longer matches the walk
  all c, c2: CState, sp: Space, p: VPage, f: lone Frame, w: lone Cpu |
    tlbInv[c] and pteEditAnyway[c, c2, sp, p, f, w] implies consistent[c2]
} for 5 but 2 CState  -- expect: sat
