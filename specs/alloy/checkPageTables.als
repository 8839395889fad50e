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
  pending: Space -> VPage                -- pages whose shootdown is under way
} {
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

-- Bug variants and the window: Alloy must find these.
check EvictIsInvisibleDuringShootdown {  -- fails: the stale entry is visible until it goes
  all c, c2: CState, cpu: Cpu, sp: Space, p: VPage |
    consistent[c] and tlbEvict[c, c2, cpu, sp, p] implies invisible[c, c2]
} for 5 but 2 CState  -- expect: sat

check StaleFillIsInvisible {  -- fails: an entry that disagrees with the tables is observed
  all c, c2: CState, cpu: Cpu, p: VPage, f: Frame |
    consistent[c] and no c.pending and tlbFillStale[c, c2, cpu, p, f] implies invisible[c, c2]
} for 5 but 2 CState  -- expect: sat
