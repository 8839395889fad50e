module pageTables

/*
 * x86-32 page tables as relations: the structure the MMU walks and the rules a kernel keeps so
 * that the walk can never be turned against it.
 *
 * Every frame has a type that does not change here: a page directory, a page table, a user data
 * frame or a kernel data frame (retyping memory is left out). Every space has its own page
 * directory. A virtual page is a pair (directory index, table index); the directory indices split
 * into a user half and a kernel half, as in a 3 GiB / 1 GiB layout. A State holds the directory
 * entries (pde) and the page-table entries (pte), each with its R/W and U/S bits.
 *
 * The rules (IDs from specs/invariants.yaml):
 *   TLB-7 PageTablesNotUserWritable: no user-accessible, writable translation of any space reaches
 *         a page directory or a page table.
 *   TLB-8 EqualKernelMappings: every space's directory has the same entries in the kernel half
 *         (seL4's equal_kernel_mappings), so a switch of CR3 never changes the kernel's view.
 *   TLB-9 PteTypesMatch: a directory entry points only at a page table, and a page-table entry only
 *         at a data frame; a user-accessible entry only at a user data frame.
 *   TLB-15 KernelTablesInKernelHalf: a page table that a kernel-half directory entry
 *         points at is in no user-half entry of any directory. Without it a user unmap at a
 *         user-half slot that holds a kernel table deletes a kernel mapping from every space
 *         (UnmapWithoutKernelHalfRuleKeepsKernelMappings finds it), and TLB-7 to TLB-9 all hold.
 *
 * Operations give the post-state completely (frame conditions): pageMap and pageUnmap change one
 * page-table entry of a user page; tableInstall gives a space a new page table in its user half;
 * kernelTableInstall puts a new kernel page table into every directory at once. The checks show
 * that each keeps each rule, and UnmapKeepsKernelMappings that a user unmap never removes a kernel
 * mapping; each check has a companion run (marked "witness-of") showing that its premises and
 * operation can happen and change the tables. The bug-variant checks show that Alloy finds the
 * realistic mistakes: a map that does not check the frame's type, a kernel table installed in one
 * directory only, and a user unmap in a space whose kernel table sits in a user-half slot.
 * TLB9ImpliesTLB7 shows that TLB-7 follows from TLB-9 in every state, with no operation.
 *
 * Left out: 4 MiB pages, the A, D and G bits, and the TLB (checkPageTables.als relates the TLB to
 * these tables).
 */

abstract sig FrameType {}
one sig Directory, Table, UserData, KernelData extends FrameType {}

sig Frame { type: one FrameType }

sig Space { dir: one Frame }
fact directories {
  all s: Space | s.dir.type = Directory
  dir in Space lone -> Frame
}

abstract sig DirIndex {}
sig UserIndex, KernelIndex extends DirIndex {}
sig TableIndex {}

sig State {
  pde: Frame -> DirIndex -> lone Frame,   -- directory frame, index -> page table frame
  pdeUser: Frame -> DirIndex,              -- the U/S bit of a present directory entry
  pdeWrite: Frame -> DirIndex,             -- its R/W bit
  pte: Frame -> TableIndex -> lone Frame, -- page table frame, index -> data frame
  pteUser: Frame -> TableIndex,
  pteWrite: Frame -> TableIndex
} {
  pdeUser + pdeWrite in pde.Frame
  pteUser + pteWrite in pte.Frame
  pde.Frame.DirIndex in type.Directory
  pte.Frame.TableIndex in type.Table
}

-- What the walk gives for space sp at virtual page (i, j): the frame, when both entries are present.
fun walk[s: State, sp: Space, i: DirIndex, j: TableIndex]: lone Frame {
  (s.pte[s.pde[sp.dir][i]])[j]
}
-- Whether that translation allows user accesses, and writes: U/S and R/W at both levels.
pred userOk[s: State, sp: Space, i: DirIndex, j: TableIndex] {
  sp.dir -> i in s.pdeUser
  s.pde[sp.dir][i] -> j in s.pteUser
}
pred writeOk[s: State, sp: Space, i: DirIndex, j: TableIndex] {
  sp.dir -> i in s.pdeWrite
  s.pde[sp.dir][i] -> j in s.pteWrite
}

----------------------------------------------------------------------------------------------------
-- The rules

pred pageTablesNotUserWritable[s: State] {  -- TLB-7
  all sp: Space, i: DirIndex, j: TableIndex |
    (userOk[s, sp, i, j] and writeOk[s, sp, i, j]) implies walk[s, sp, i, j].type not in Directory + Table
}

pred equalKernelMappings[s: State] {  -- TLB-8
  all a, b: Space, i: KernelIndex |
    s.pde[a.dir][i] = s.pde[b.dir][i]
    and (a.dir -> i in s.pdeUser iff b.dir -> i in s.pdeUser)
    and (a.dir -> i in s.pdeWrite iff b.dir -> i in s.pdeWrite)
}

pred pteTypesMatch[s: State] {  -- TLB-9
  s.pde in type.Directory -> DirIndex -> type.Table
  all t: Frame, j: TableIndex | some s.pte[t][j] implies s.pte[t][j].type in UserData + KernelData
  all t: Frame, j: TableIndex | t -> j in s.pteUser implies s.pte[t][j].type = UserData
  all d: Frame, i: KernelIndex | d -> i not in s.pdeUser
}

pred kernelTablesInKernelHalf[s: State] {
  no s.pde[Frame][KernelIndex] & s.pde[Frame][UserIndex]
}

-- TLB-7 to TLB-9, without the kernel-half rule: what the model said before the rule was added.
pred wellFormedWithoutKernelHalfRule[s: State] {
  pageTablesNotUserWritable[s]
  equalKernelMappings[s]
  pteTypesMatch[s]
}

pred wellFormed[s: State] {
  wellFormedWithoutKernelHalfRule[s]
  kernelTablesInKernelHalf[s]
}

-- The kernel's mappings: what the walk gives in the kernel half, space by space.
fun kernelMappings[s: State]: Space -> KernelIndex -> TableIndex -> Frame {
  { sp: Space, i: KernelIndex, j: TableIndex, f: Frame | f in walk[s, sp, i, j] }
}

----------------------------------------------------------------------------------------------------
-- Operations

pred samePdes[s, s2: State] {
  s2.pde = s.pde and s2.pdeUser = s.pdeUser and s2.pdeWrite = s.pdeWrite
}
pred samePtes[s, s2: State] {
  s2.pte = s.pte and s2.pteUser = s.pteUser and s2.pteWrite = s.pteWrite
}

-- Map user data frame f at user page (i, j) of sp; user is always granted, write if w.
pred pageMapUnchecked[s, s2: State, sp: Space, i: UserIndex, j: TableIndex, f: Frame, w: Bool] {
  some t: s.pde[sp.dir][i] {
    no s.pte[t][j]
    s2.pte = s.pte + t -> j -> f
    s2.pteUser = s.pteUser + t -> j
    s2.pteWrite = s.pteWrite + (w = True implies t -> j else none -> none)
  }
  samePdes[s, s2]
}
pred pageMap[s, s2: State, sp: Space, i: UserIndex, j: TableIndex, f: Frame, w: Bool] {
  f.type = UserData
  pageMapUnchecked[s, s2, sp, i, j, f, w]
}

pred pageUnmap[s, s2: State, sp: Space, i: UserIndex, j: TableIndex] {
  some t: s.pde[sp.dir][i] {
    s2.pte = s.pte - t -> j -> Frame
    s2.pteUser = s.pteUser - t -> j
    s2.pteWrite = s.pteWrite - t -> j
  }
  samePdes[s, s2]
}

-- A fresh page table t (empty, in no directory) becomes sp's table at user index i.
pred freshTable[s: State, t: Frame] {
  t.type = Table
  no s.pte[t]
  no s.pde.t
}
pred tableInstall[s, s2: State, sp: Space, i: UserIndex, t: Frame] {
  no s.pde[sp.dir][i]
  freshTable[s, t]
  s2.pde = s.pde + sp.dir -> i -> t
  s2.pdeUser = s.pdeUser + sp.dir -> i
  s2.pdeWrite = s.pdeWrite + sp.dir -> i
  samePtes[s, s2]
}

-- A fresh kernel page table at kernel index i, in every directory at once (supervisor, writable).
pred kernelTableInstall[s, s2: State, i: KernelIndex, t: Frame] {
  no s.pde[Space.dir][i]
  freshTable[s, t]
  s2.pde = s.pde + Space.dir -> i -> t
  s2.pdeUser = s.pdeUser
  s2.pdeWrite = s.pdeWrite + Space.dir -> i
  samePtes[s, s2]
}
-- The bug: the kernel table goes into one space's directory only.
pred kernelTableInstallOne[s, s2: State, sp: Space, i: KernelIndex, t: Frame] {
  no s.pde[sp.dir][i]
  freshTable[s, t]
  s2.pde = s.pde + sp.dir -> i -> t
  s2.pdeUser = s.pdeUser
  s2.pdeWrite = s.pdeWrite + sp.dir -> i
  samePtes[s, s2]
}

abstract sig Bool {}
one sig True, False extends Bool {}

-- The operation changed the tables (a companion run asks for this).
pred changed[s, s2: State] { not (samePdes[s, s2] and samePtes[s, s2]) }

----------------------------------------------------------------------------------------------------
-- Checks: every operation keeps every rule (expect unsat: no counterexample within the scope)

check MapKeepsNotUserWritable {  -- TLB-7
  all s, s2: State, sp: Space, i: UserIndex, j: TableIndex, f: Frame, w: Bool |
    wellFormed[s] and pageMap[s, s2, sp, i, j, f, w] implies pageTablesNotUserWritable[s2]
} for 5 but 2 State  -- expect: unsat
check MapKeepsEqualKernelMappings {  -- TLB-8
  all s, s2: State, sp: Space, i: UserIndex, j: TableIndex, f: Frame, w: Bool |
    wellFormed[s] and pageMap[s, s2, sp, i, j, f, w] implies equalKernelMappings[s2]
} for 5 but 2 State  -- expect: unsat
check MapKeepsPteTypesMatch {  -- TLB-9
  all s, s2: State, sp: Space, i: UserIndex, j: TableIndex, f: Frame, w: Bool |
    wellFormed[s] and pageMap[s, s2, sp, i, j, f, w] implies pteTypesMatch[s2]
} for 5 but 2 State  -- expect: unsat
check MapKeepsKernelTablesInKernelHalf {  -- TLB-15
  all s, s2: State, sp: Space, i: UserIndex, j: TableIndex, f: Frame, w: Bool |
    wellFormed[s] and pageMap[s, s2, sp, i, j, f, w] implies kernelTablesInKernelHalf[s2]
} for 5 but 2 State  -- expect: unsat
-- witness-of: MapKeepsNotUserWritable, MapKeepsEqualKernelMappings, MapKeepsPteTypesMatch,
-- witness-of: MapKeepsKernelTablesInKernelHalf
run MapWitness {
  some s, s2: State, sp: Space, i: UserIndex, j: TableIndex, f: Frame, w: Bool |
    wellFormed[s] and pageMap[s, s2, sp, i, j, f, w] and changed[s, s2]
} for 5 but 2 State  -- expect: sat

check UnmapKeepsWellFormed {  -- TLB-7, TLB-8, TLB-9
  all s, s2: State, sp: Space, i: UserIndex, j: TableIndex |
    wellFormed[s] and pageUnmap[s, s2, sp, i, j] implies wellFormed[s2]
} for 5 but 2 State  -- expect: unsat
-- A user unmap never removes a kernel mapping, from any space.
check UnmapKeepsKernelMappings {
  all s, s2: State, sp: Space, i: UserIndex, j: TableIndex |
    wellFormed[s] and pageUnmap[s, s2, sp, i, j] implies kernelMappings[s2] = kernelMappings[s]
} for 5 but 2 State  -- expect: unsat
-- witness-of: UnmapKeepsWellFormed, UnmapKeepsKernelMappings
run UnmapWitness {  -- and the kernel maps something, so there is a kernel mapping to lose
  some s, s2: State, sp: Space, i: UserIndex, j: TableIndex |
    wellFormed[s] and pageUnmap[s, s2, sp, i, j] and changed[s, s2] and some kernelMappings[s]
} for 5 but 2 State  -- expect: sat

check TableInstallKeepsWellFormed {  -- TLB-7, TLB-8, TLB-9
  all s, s2: State, sp: Space, i: UserIndex, t: Frame |
    wellFormed[s] and tableInstall[s, s2, sp, i, t] implies wellFormed[s2]
} for 5 but 2 State  -- expect: unsat
run TableInstallWitness {  -- witness-of: TableInstallKeepsWellFormed
  some s, s2: State, sp: Space, i: UserIndex, t: Frame |
    wellFormed[s] and tableInstall[s, s2, sp, i, t] and changed[s, s2]
} for 5 but 2 State  -- expect: sat
check KernelTableInstallKeepsWellFormed {  -- TLB-7, TLB-8, TLB-9
  all s, s2: State, i: KernelIndex, t: Frame |
    wellFormed[s] and kernelTableInstall[s, s2, i, t] implies wellFormed[s2]
} for 5 but 2 State  -- expect: unsat
run KernelTableInstallWitness {  -- witness-of: KernelTableInstallKeepsWellFormed
  some s, s2: State, i: KernelIndex, t: Frame |
    wellFormed[s] and kernelTableInstall[s, s2, i, t] and changed[s, s2] and #Space > 1
} for 5 but 2 State  -- expect: sat

-- Redundancy: TLB-7 follows from TLB-9 in every state, with no operation: a user-accessible entry
-- reaches only a user data frame, never a directory or a page table.
check TLB9ImpliesTLB7 {
  all s: State | pteTypesMatch[s] implies pageTablesNotUserWritable[s]
} for 5 but 2 State  -- expect: unsat
run TLB9ImpliesTLB7Witness {  -- witness-of: TLB9ImpliesTLB7
  some s: State, sp: Space, i: DirIndex, j: TableIndex |
    pteTypesMatch[s] and userOk[s, sp, i, j] and writeOk[s, sp, i, j] and some walk[s, sp, i, j]
} for 5 but 2 State  -- expect: sat

-- Bug variants: Alloy must find these (expect sat: a counterexample exists).
check UncheckedMapKeepsNotUserWritable {  -- TLB-7 fails: a page table mapped writable into user space
  all s, s2: State, sp: Space, i: UserIndex, j: TableIndex, f: Frame, w: Bool |
    wellFormed[s] and pageMapUnchecked[s, s2, sp, i, j, f, w] implies pageTablesNotUserWritable[s2]
} for 5 but 2 State  -- expect: sat
check UncheckedMapKeepsPteTypesMatch {  -- TLB-9 fails
  all s, s2: State, sp: Space, i: UserIndex, j: TableIndex, f: Frame, w: Bool |
    wellFormed[s] and pageMapUnchecked[s, s2, sp, i, j, f, w] implies pteTypesMatch[s2]
} for 5 but 2 State  -- expect: sat
check OneDirectoryKernelInstallKeepsEqualKernelMappings {  -- TLB-8 fails
  all s, s2: State, sp: Space, i: KernelIndex, t: Frame |
    wellFormed[s] and kernelTableInstallOne[s, s2, sp, i, t] implies equalKernelMappings[s2]
} for 5 but 2 State  -- expect: sat

-- A table install that does not check that the table is fresh: it may put a table in use, a
-- kernel table among them, into a user-half slot.
pred tableInstallUnchecked[s, s2: State, sp: Space, i: UserIndex, t: Frame] {
  no s.pde[sp.dir][i]
  t.type = Table
  s2.pde = s.pde + sp.dir -> i -> t
  s2.pdeUser = s.pdeUser + sp.dir -> i
  s2.pdeWrite = s.pdeWrite + sp.dir -> i
  samePtes[s, s2]
}
check UncheckedTableInstallKeepsKernelTablesInKernelHalf {  -- TLB-15 fails: a kernel table in a user-half slot
  all s, s2: State, sp: Space, i: UserIndex, t: Frame |
    wellFormed[s] and tableInstallUnchecked[s, s2, sp, i, t] implies kernelTablesInKernelHalf[s2]
} for 5 but 2 State  -- expect: sat

check UnmapWithoutKernelHalfRuleKeepsKernelMappings {  -- fails: a kernel table in a user-half slot
  all s, s2: State, sp: Space, i: UserIndex, j: TableIndex |
    wellFormedWithoutKernelHalfRule[s] and pageUnmap[s, s2, sp, i, j] implies kernelMappings[s2] = kernelMappings[s]
} for 5 but 2 State  -- expect: sat

-- A well-formed state with two spaces sharing a kernel table and each mapping a user page.
run TwoSpacesShareTheKernel {
  some s: State | wellFormed[s] and #Space = 2 and some s.pde[Space.dir][KernelIndex]
    and all sp: Space | some i: UserIndex, j: TableIndex | some walk[s, sp, i, j]
} for 5 but 1 State  -- expect: sat
