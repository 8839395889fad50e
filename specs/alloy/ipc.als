module ipc

/*
 * The structure behind L4 IPC (specs/tla/Ipc/Ipc.tla): thread states, send queues and reply
 * authority, and the operations that change them.
 *
 * A state gives each thread a kind (dead, ready, blocked sending, blocked receiving), the
 * destination of a blocked sender and whether its send is a call, the partner of a closed
 * receive, the server a caller waits for a reply from, each thread's send queue (a sequence,
 * so that duplicates are possible and must be ruled out), and each server's callers: the calls
 * it received and has not answered, its reply authority.
 *
 * Versions are left out: a stale thread ID is a dead thread here. The TLA+ spec has the
 * versions, messages and timeouts; this model checks, for every state of the scope rather than
 * the reachable ones, that each operation keeps IPC-1 (queues) and IPC-3 (reply authority).
 * Each check has a companion run (marked "witness-of") showing that its premises and operation
 * can happen at its scope and change the state. ReplyReachesOnlyCallers needs no operation:
 * ReplyGuardAndIPC3ImplyCaller checks that it follows from the reply's guard and IPC-3 alone.
 */

open util/sequniv

sig Thread {}

abstract sig Kind {}
one sig Dead, Ready, Sending, Receiving extends Kind {}

sig State {
  kind: Thread -> one Kind,
  to: Thread -> lone Thread,       -- a blocked sender's destination
  calling: set Thread,             -- blocked senders whose send is a call
  from: Thread -> lone Thread,     -- a closed receive's partner (none: an open receive)
  awaits: Thread -> lone Thread,   -- a caller's server, while it waits for the reply
  queue: Thread -> Int -> Thread,  -- queue[x]: the threads blocked sending to x, oldest first
  callers: Thread -> Thread        -- x -> c: x received c's call and has not answered it
} {
  -- The shape of the record in the TLA+ spec: fields exist only for the kinds that have them.
  to.Thread = kind.Sending
  calling in kind.Sending
  from.Thread + awaits.Thread in kind.Receiving
  no from.Thread & awaits.Thread
  all x: Thread | isSeq[queue[x]]
}

-- IPC-1: a thread is in x's queue exactly when it is blocked sending to x; no duplicates; no
-- dead threads; and nobody blocks sending to a dead thread.
pred queuesConsistent[s: State] {
  all x: Thread | not s.queue[x].hasDups
  all x, y: Thread | y in s.queue[x].elems iff (s.kind[y] = Sending and s.to[y] = x)
  all x: Thread | no s.queue[x].elems & s.kind.Dead
  all y: s.kind.Sending | s.kind[s.to[y]] != Dead
}

-- IPC-3: a server's callers are exactly the threads waiting for its reply.
pred replyAuthority[s: State] {
  all x, c: Thread | c in s.callers[x] iff s.awaits[c] = x
  no s.callers[s.kind.Dead]
}

pred wellFormed[s: State] {
  queuesConsistent[s]
  replyAuthority[s]
}

-- Frame conditions.
pred sameQueues[s, s2: State] { s2.queue = s.queue }
pred sameCallers[s, s2: State] { s2.callers = s.callers }

-- Thread t's state becomes Ready; everything else about t is cleared.
pred ready[s2: State, t: Thread] {
  s2.kind[t] = Ready
  no s2.to[t] and t not in s2.calling and no s2.from[t] and no s2.awaits[t]
}

-- Every thread in ts keeps its state from s.
pred keep[s, s2: State, ts: set Thread] {
  all u: ts {
    s2.kind[u] = s.kind[u]
    s2.to[u] = s.to[u]
    u in s2.calling iff u in s.calling
    s2.from[u] = s.from[u]
    s2.awaits[u] = s.awaits[u]
  }
}

-- Whether x takes a message from t now: an open receive, or a closed one from t, and not a
-- wait for a reply.
pred accepts[s: State, x, t: Thread] {
  s.kind[x] = Receiving
  no s.awaits[x]
  no s.from[x] or s.from[x] = t
}

-- t sends (or, with call, calls) x, which is not ready for it: t blocks in x's queue.
pred sendBlocks[s, s2: State, t, x: Thread, call: Bool] {
  s.kind[t] = Ready and x != t and s.kind[x] != Dead
  not accepts[s, x, t]
  s2.kind[t] = Sending and s2.to[t] = x and (t in s2.calling iff call = True)
  no s2.from[t] and no s2.awaits[t]
  keep[s, s2, Thread - t]
  s2.queue = (s.queue - x -> Int -> Thread) + x -> s.queue[x].add[t]
  sameCallers[s, s2]
}

-- t sends (or calls) x, which takes the message at once.
pred sendDelivers[s, s2: State, t, x: Thread, call: Bool] {
  s.kind[t] = Ready and x != t
  accepts[s, x, t]
  ready[s2, x]
  call = True implies (s2.kind[t] = Receiving and s2.awaits[t] = x and no s2.from[t] and no s2.to[t]
                       and t not in s2.calling)
              else ready[s2, t]
  keep[s, s2, Thread - t - x]
  sameQueues[s, s2]
  s2.callers = s.callers + (call = True implies x -> t else none -> none)
}

-- t receives from the head of its queue (an open receive; a closed one picks the first
-- matching sender, which this model leaves to the TLA+ spec).
pred receiveQueued[s, s2: State, t: Thread] {
  s.kind[t] = Ready
  some s.queue[t]
  let y = s.queue[t].first {
    ready[s2, t]
    y in s.calling implies (s2.kind[y] = Receiving and s2.awaits[y] = t and no s2.from[y] and no s2.to[y]
                            and y not in s2.calling)
                   else ready[s2, y]
    keep[s, s2, Thread - t - y]
    s2.queue = (s.queue - t -> Int -> Thread) + t -> s.queue[t].rest  -- (++ with an empty rest would keep t's queue)
    s2.callers = s.callers + (y in s.calling implies t -> y else none -> none)
  }
}

-- t replies to c (ReplyWait's reply; its receive is receiveQueued or a block).
pred reply[s, s2: State, t, c: Thread] {
  s.kind[t] = Ready
  c in s.callers[t]
  ready[s2, c]
  keep[s, s2, Thread - c]
  sameQueues[s, s2]
  s2.callers = s.callers - t -> c
}

-- The bug: t replies to any thread receiving from it, caller or not.
pred replyAny[s, s2: State, t, c: Thread] {
  s.kind[t] = Ready
  s.kind[c] = Receiving and (no s.from[c] or s.from[c] = t or s.awaits[c] = t)
  ready[s2, c]
  keep[s, s2, Thread - c]
  sameQueues[s, s2]
  s2.callers = s.callers - t -> c
}

-- Deleting t: it leaves every queue and every server's callers; whoever was blocked on it
-- (queued senders, closed receivers, callers waiting for its reply) wakes up.
pred delete[s, s2: State, t: Thread] {
  s.kind[t] != Dead
  let woken = { u: Thread - t | s.to[u] = t or s.from[u] = t or s.awaits[u] = t } {
    s2.kind[t] = Dead and no s2.to[t] and t not in s2.calling and no s2.from[t] and no s2.awaits[t]
    all u: woken | ready[s2, u]
    keep[s, s2, Thread - t - woken]
    s2.queue[t].isEmpty
    all x: Thread - t | s2.queue[x] = (t in s.queue[x].elems implies s.queue[x].delete[s.queue[x].idxOf[t]]
                                        else s.queue[x])
    s2.callers = (s.callers - Thread -> t) - t -> Thread
  }
}

-- The bug: deletion leaves the thread in the queue it was in.
pred deleteKeepsQueued[s, s2: State, t: Thread] {
  s.kind[t] != Dead
  let woken = { u: Thread - t | s.to[u] = t or s.from[u] = t or s.awaits[u] = t } {
    s2.kind[t] = Dead and no s2.to[t] and t not in s2.calling and no s2.from[t] and no s2.awaits[t]
    all u: woken | ready[s2, u]
    keep[s, s2, Thread - t - woken]
    s2.queue[t].isEmpty
    all x: Thread - t | s2.queue[x] = s.queue[x]
    s2.callers = (s.callers - Thread -> t) - t -> Thread
  }
}

abstract sig Bool {}
one sig True, False extends Bool {}

-- The operation changed the state (a companion run asks for this).
pred changed[s, s2: State] {
  s2.kind != s.kind or s2.to != s.to or s2.calling != s.calling or s2.from != s.from
  or s2.awaits != s.awaits or s2.queue != s.queue or s2.callers != s.callers
}

check SendBlocksKeepsWellFormed {  -- IPC-1, IPC-3
  all s, s2: State, t, x: Thread, c: Bool | wellFormed[s] and sendBlocks[s, s2, t, x, c] implies wellFormed[s2]
} for 5 but 2 State, 5 seq  -- expect: unsat
run SendBlocksWitness {  -- witness-of: SendBlocksKeepsWellFormed
  some s, s2: State, t, x: Thread, c: Bool | wellFormed[s] and sendBlocks[s, s2, t, x, c] and changed[s, s2]
} for 5 but 2 State, 5 seq  -- expect: sat

check SendDeliversKeepsWellFormed {  -- IPC-1, IPC-3
  all s, s2: State, t, x: Thread, c: Bool | wellFormed[s] and sendDelivers[s, s2, t, x, c] implies wellFormed[s2]
} for 5 but 2 State, 5 seq  -- expect: unsat
run SendDeliversWitness {  -- witness-of: SendDeliversKeepsWellFormed
  some s, s2: State, t, x: Thread, c: Bool | wellFormed[s] and sendDelivers[s, s2, t, x, c] and changed[s, s2]
} for 5 but 2 State, 5 seq  -- expect: sat

check ReceiveKeepsWellFormed {  -- IPC-1, IPC-3
  all s, s2: State, t: Thread | wellFormed[s] and receiveQueued[s, s2, t] implies wellFormed[s2]
} for 5 but 2 State, 5 seq  -- expect: unsat
run ReceiveWitness {  -- witness-of: ReceiveKeepsWellFormed
  some s, s2: State, t: Thread | wellFormed[s] and receiveQueued[s, s2, t] and changed[s, s2]
} for 5 but 2 State, 5 seq  -- expect: sat

check ReplyKeepsWellFormed {  -- IPC-1, IPC-3
  all s, s2: State, t, c: Thread | wellFormed[s] and reply[s, s2, t, c] implies wellFormed[s2]
} for 5 but 2 State, 5 seq  -- expect: unsat

check DeleteKeepsWellFormed {  -- IPC-1, IPC-3
  all s, s2: State, t: Thread | wellFormed[s] and delete[s, s2, t] implies wellFormed[s2]
} for 5 but 2 State, 5 seq  -- expect: unsat
run DeleteWitness {  -- witness-of: DeleteKeepsWellFormed
  some s, s2: State, t: Thread | wellFormed[s] and delete[s, s2, t] and changed[s, s2]
} for 5 but 2 State, 5 seq  -- expect: sat

check ReplyReachesOnlyCallers {  -- IPC-3: the thread replied to was waiting for this server
  all s, s2: State, t, c: Thread | wellFormed[s] and reply[s, s2, t, c] implies s.awaits[c] = t
} for 5 but 2 State, 5 seq  -- expect: unsat
run ReplyWitness {  -- witness-of: ReplyKeepsWellFormed, ReplyReachesOnlyCallers
  some s, s2: State, t, c: Thread | wellFormed[s] and reply[s, s2, t, c] and changed[s, s2]
} for 5 but 2 State, 5 seq  -- expect: sat

-- Redundancy: ReplyReachesOnlyCallers follows from reply's guard (c is one of t's callers) and
-- IPC-3 in the pre-state, with no operation at all.
check ReplyGuardAndIPC3ImplyCaller {
  all s: State, t, c: Thread | replyAuthority[s] and c in s.callers[t] implies s.awaits[c] = t
} for 5 but 2 State, 5 seq  -- expect: unsat
run ReplyGuardAndIPC3ImplyCallerWitness {  -- witness-of: ReplyGuardAndIPC3ImplyCaller
  some s: State, t, c: Thread | replyAuthority[s] and c in s.callers[t]
} for 5 but 2 State, 5 seq  -- expect: sat

-- Bug variants: Alloy must find a counterexample to each.
check DeleteKeepsQueuedKeepsWellFormed {  -- IPC-1 fails: a dead thread stays queued
  all s, s2: State, t: Thread | wellFormed[s] and deleteKeepsQueued[s, s2, t] implies queuesConsistent[s2]
} for 5 but 2 State, 5 seq  -- expect: sat

check ReplyAnyReachesOnlyCallers {  -- IPC-3 fails: a thread that never called gets a reply
  all s, s2: State, t, c: Thread | wellFormed[s] and replyAny[s, s2, t, c] implies s.awaits[c] = t
} for 5 but 2 State, 5 seq  -- expect: sat

-- A state worth seeing: two callers queued behind a third that the server is serving.
run TwoQueuedBehindOne {
  some s: State | wellFormed[s] and some x: Thread | #s.queue[x] = 2 and some s.callers[x]
} for 5 but 1 State, 5 seq  -- expect: sat
