---------------------------------- MODULE Ipc ----------------------------------
(***************************************************************************)
(* L4 synchronous IPC, asynchronous notification and batched requests.    *)
(*                                                                         *)
(* The choices this spec makes:                                           *)
(*  - Threads. A thread slot (a model value in Threads) lives in one space*)
(*    of the address-space spec for its whole life; the initial state     *)
(*    places every slot in every possible way among ThreadSpaces. A       *)
(*    thread ID is a slot and a version. ThreadDelete kills the slot's    *)
(*    thread; ThreadCreate starts a new one in the slot with the version  *)
(*    one higher, so that IDs of the old incarnation stop being valid.    *)
(*    IPC to an ID that is not valid fails with "nopartner".               *)
(*  - Operations, each one system call of a ready thread:                 *)
(*      Send(t, to, m)     deliver m to the thread to, which must be in an *)
(*                         open receive or a closed receive from t;       *)
(*      Receive(t, from)   closed (from a thread ID) or open (from Any);  *)
(*      Call(t, to, m)     Send, then a closed receive of to's reply, as  *)
(*                         one call;                                       *)
(*      ReplyWait(t, to, m) reply to the caller to, then an open receive  *)
(*                         with timeout infinity, as one call;             *)
(*      Unmap(t, v, R, own) revoke R from what was derived from t's       *)
(*                         space's fpage at v, and with own from those    *)
(*                         pages too (L4 X.2's unmap and its flush flag;  *)
(*                         AddressSpaces' SpaceUnmap and SpaceFlush).      *)
(*    A thread may not address itself. Unmap interleaves with IPC: an    *)
(*    item whose sender waits in a queue takes effect at delivery, with   *)
(*    whatever the sender's space still holds then.                       *)
(*  - Reply authority. When a server receives a call, the kernel records  *)
(*    the caller in callers[server] (seL4's reply capability). Only       *)
(*    ReplyWait reaches a thread waiting for a reply, and only when that  *)
(*    thread is in callers[server]; a plain Send does not.                *)
(*  - Timeouts. "zero" fails at once with "timeout" when the partner is   *)
(*    not ready. "inf" blocks until the partner comes. "finite" blocks    *)
(*    too, but TimeoutFires may end the wait at any moment: it stands for *)
(*    every finite timeout. A blocked sender waits in the destination's   *)
(*    queue, in FIFO order; a receive takes the first queued sender it    *)
(*    accepts. A call's wait for the reply has the call's timeout, except *)
(*    that a zero-timeout call still waits for the reply (ReplyTimeout).  *)
(*  - Messages. One untyped word from Words and optionally one map or     *)
(*    grant item: an fpage of the sender's space, a send base and the     *)
(*    rights to give. The item takes effect atomically with delivery, into*)
(*    the fpage the receiver names as its receive window, with the        *)
(*    address-space spec's map or grant (INSTANCE AddressSpaces); a       *)
(*    receiver whose window is NoWindow, or an item the address-space     *)
(*    rules refuse, delivers the word alone. The receiver learns the      *)
(*    sender's ID from the kernel.                                         *)
(*  - Fpage sizes. Items, windows and Unmap take fpages of every order   *)
(*    0..FpageOrder (2^k pages at a base aligned to 2^k), so one run mixes*)
(*    sizes: a two-page item, say, later unmapped a page at a time. When  *)
(*    the item's fpage and the window differ in size, the send base (L4   *)
(*    X.2's "hot spot" of a map item) names one point in both: the       *)
(*    smaller of the two moves, and it is the part of the larger one that *)
(*    holds the send base's offset (the offset is the send base modulo   *)
(*    the fpage's size; only that matters, so send bases range over      *)
(*    0..2^FpageOrder-1). A one-page item into a two-page window lands on*)
(*    the window page the send base names; a two-page item into a        *)
(*    one-page window moves only the page the send base names. The       *)
(*    database stays per page (AddressSpaces), so a page of a larger     *)
(*    mapping is revoked on its own, as a kernel that splits a superpage *)
(*    mapping does.                                                       *)
(*  - Deletion aborts IPC in progress with the thread: threads queued to  *)
(*    send to it and threads in a closed receive from it (callers waiting *)
(*    for its reply among them) wake with "aborted"; the thread leaves    *)
(*    any queue it is in and any server's callers.                        *)
(*  - Notification, seL4 style: each slot has a word of Bits. Signal ORs  *)
(*    a bit in; Wait takes and clears the word, and blocks while it is 0; *)
(*    a Signal to a waiting thread wakes it with the bits. What a Wait    *)
(*    returns is in got[t], the register the kernel writes the word to.   *)
(*  - Batching: a client puts requests into a shared ring of RingSize     *)
(*    slots (a full ring refuses them), rings the server's bell once for *)
(*    all of them, and the server drains the ring and answers with one    *)
(*    notification. The two sides are user code; only the bell and the   *)
(*    answer are kernel notifications.                                     *)
(*  - Every system call clears the caller's message registers (mr), as   *)
(*    the next IPC overwrites them; res holds each call's result ("none" *)
(*    while it blocks).                                                    *)
(*  - Roles. With Server a thread, Server only receives (while it has no  *)
(*    caller) and loops in ReplyWait, and every other thread only calls  *)
(*    Server: the setting of IPC-6. Ops names the operations a cfg allows.*)
(*                                                                         *)
(* Ghost variables, which no action reads: calledOf[c] (whose receipt of  *)
(* c's call was last), delivered[t] (t's pending message has been         *)
(* delivered), owed[t] (bits signalled to t that no Wait has returned),   *)
(* deletedIds (the ID of every thread deleted so far),                    *)
(* and in mr the true sender, the ID the sender addressed, and what the   *)
(* receiver asked for: the partner it named (or Any) and the window it    *)
(* opened. Those two are the request as the receiver made it, written    *)
(* from the receiver's own state, never from the message; mr also holds  *)
(* the sender's request for the pages (its item's fpage and send base).  *)
(*                                                                         *)
(* Left out: long messages and string items, message registers beyond one*)
(* word, priorities and scheduling (any ready thread may act next), IPC  *)
(* redirection and clans and chiefs, page faults as IPC, and the cost of *)
(* any of it (see kernel-impl).                                           *)
(*                                                                         *)
(* The constant Bug selects one deliberate, realistic mistake:           *)
(*  "reply_any"            ReplyWait may reply to any thread receiving   *)
(*                         from the server, not only to a caller         *)
(*  "stale_id_unchecked"   the kernel checks the slot but not the version*)
(*  "wait_clears_first"    Wait clears the word before it reads it       *)
(*  "delete_keeps_queued"  deletion leaves the thread in a send queue    *)
(*  "forge_sender"         the kernel reports the sender ID the sender   *)
(*                         put in a register                             *)
(*  "receive_keeps_sender" a receive copies the message but leaves the   *)
(*                         sender queued and blocked                     *)
(*  "ring_overwrite"       a put into a full ring overwrites the oldest  *)
(*  "map_item_unchecked"   a map item may give more rights than the      *)
(*                         sender holds                                  *)
(*  "queue_lifo"           a receive takes the last queued sender        *)
(*  "closed_takes_head"    a closed receive takes the head of the queue, *)
(*                         whoever sent it, when the named sender is in  *)
(*                         the queue                                      *)
(*  "map_item_no_window"   a map or grant item to a receiver that opened *)
(*                         no window lands at the sender's own address   *)
(*  "delete_refuses_blocked" a thread blocked in IPC or in a Wait cannot *)
(*                         be deleted until it wakes                      *)
(*  "wake_without_bits"    a Signal that wakes a waiter clears the word   *)
(*                         but hands the waiter no bits                    *)
(*  "ring_when_first"      the client rings the bell only when the ring    *)
(*                         holds a single request (a lost wake-up)         *)
(*  "zero_timeout_blocks"  a receive with timeout zero blocks when no      *)
(*                         sender is queued, instead of failing            *)
(*  "delete_aborts_open"   deletion also wakes, with "aborted", the       *)
(*                         threads in an open receive                      *)
(*  "block_keeps_registers" a receive that blocks leaves the last message  *)
(*                         in the receiver's registers                     *)
(*  "timeout_keeps_registers" a receive with timeout zero that finds no    *)
(*                         sender fails but leaves the last message in the *)
(*                         receiver's registers                            *)
(*  "zero_keeps_result"    a receive with timeout zero that finds no      *)
(*                         sender fails but leaves the result of the last *)
(*                         call in place of "timeout"                      *)
(*  "map_item_ignores_send_base" an item and a window of different sizes   *)
(*                         meet at their bases, whatever the send base     *)
(*                         names (the part moved, or where it lands)       *)
(*  "next_only_open_receive" Next never tries a closed receive (from a   *)
(*                         named thread): the model explores less than the *)
(*                         rules allow (IPC-19)                            *)
(*  "version_overflow"     a slot re-created at MaxVersion gets a version *)
(*                         its thread IDs cannot hold (IPC-20)             *)
(*  "signal_wake_no_result" a Signal that wakes a waiter leaves the      *)
(*                         waiter's result as it was ("none")             *)
(*  "map_item_one_page"    an item moves only the first page of the part  *)
(*                         that meets the window (IPC-21)                 *)
(*  "map_item_source_rights" a map item gives the rights the sender holds, *)
(*                         not the ones the item asks for (IPC-21)        *)
(*  "grant_item_maps"      a grant item is handled as a map: the sender   *)
(*                         keeps its page (IPC-21)                        *)
(*  "create_keeps_version" ThreadCreate gives the new thread the deleted  *)
(*                         one's version, so the old thread's IDs name   *)
(*                         the new one (IPC-22)                           *)
(*  "delete_keeps_wait_result" deletion leaves the bits the thread's last *)
(*                         Wait returned, and the slot's next thread     *)
(*                         starts with them (IPC-23)                      *)
(*  "wait_polls"           a Wait that finds the word 0 returns "ok" with *)
(*                         no bits instead of blocking (IPC-24)           *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    Sigma0, Spaces, NPages, Perms, FpageOrder, NoMapping,  \* as in AddressSpaces
    Threads,       \* thread slots (model values)
    ThreadSpaces,  \* the spaces threads live in: a non-empty subset of {Sigma0} \cup Spaces
    MaxVersion,    \* versions are 0..MaxVersion
    Words,         \* message words: a non-empty set of integers
    Timeouts,      \* a non-empty subset of {"zero", "finite", "inf"}
    Ops,           \* the operations allowed: a subset of OpNames
    Bits,          \* notification bits: a set of integers
    Server,        \* the server of IPC-6, or NoThread
    RingSize,      \* slots of the batching ring
    NRequests,     \* requests a client puts into the ring in a run
    NoThread, Any, NoMsg, NoItem, NoWindow,  \* model values
    Bug

Bugs == {"none", "reply_any", "stale_id_unchecked", "wait_clears_first", "delete_keeps_queued",
         "forge_sender", "receive_keeps_sender", "ring_overwrite", "map_item_unchecked", "queue_lifo",
         "closed_takes_head", "map_item_no_window", "delete_refuses_blocked",
         "wake_without_bits", "ring_when_first", "zero_timeout_blocks", "delete_aborts_open",
         "block_keeps_registers", "map_item_ignores_send_base", "timeout_keeps_registers", "zero_keeps_result", "next_only_open_receive",
         "version_overflow", "signal_wake_no_result", "map_item_one_page", "map_item_source_rights",
         "grant_item_maps", "closed_receive_fails", "create_keeps_version", "delete_keeps_wait_result",
         "wait_polls"}
OpNames == {"send", "recv", "call", "replywait", "map", "grant", "delete", "create",
            "signal", "wait", "batch", "unmap"}

ASSUME /\ Threads # {} /\ ThreadSpaces # {} /\ ThreadSpaces \subseteq {Sigma0} \cup Spaces
       /\ MaxVersion \in Nat /\ Words # {} /\ Words \subseteq Nat
       /\ Timeouts # {} /\ Timeouts \subseteq {"zero", "finite", "inf"}
       /\ Ops \subseteq OpNames /\ Bits \subseteq Nat
       /\ Server \in Threads \cup {NoThread}
       /\ RingSize \in Nat \ {0} /\ NRequests \in Nat
       /\ Bug \in Bugs

VARIABLES
    live, mappings, mdb,  \* the address spaces (AddressSpaces.tla)
    home,       \* home[t]: the space of slot t
    ver,        \* ver[t]: the version of slot t's current (or last) thread
    st,         \* st[t]: the thread's state, a record whose kind is "ready", "dead", "send", "recv" or "wait"
    queue,      \* queue[x]: the slots blocked sending to x, oldest first
    callers,    \* callers[x]: the IDs of threads whose call x received and has not answered
    mr,         \* mr[t]: the message t's last receive delivered, or NoMsg
    res,        \* res[t]: the result of t's last system call
    delivered,  \* ghost: t's pending message has been delivered
    calledOf,   \* ghost: the ID of the last thread that received t's call, or NoThread
    deletedIds, \* ghost: the ID of every thread deleted so far
    note,       \* note[t]: the bits of t's notification word
    owed,       \* ghost: the bits signalled to t that no Wait has returned
    got,        \* got[t]: the bits t's last completed Wait returned
    ring,       \* the batching ring: request numbers, oldest first
    issued,     \* requests the client has put into the ring
    served,     \* requests the server has served, in order
    bell        \* "idle", "rung" (the client signalled the server) or "done" (the server answered)

asVars == <<live, mappings, mdb>>
ipcVars == <<home, ver, st, queue, callers, mr, res, delivered, calledOf, deletedIds>>
noteVars == <<note, owed, got>>
batchVars == <<ring, issued, served, bell>>
vars == <<asVars, ipcVars, noteVars, batchVars>>

AS == INSTANCE AddressSpaces WITH Bug <- "none"

AllSpaces == {Sigma0} \cup Spaces
Versions == 0..MaxVersion
ThreadIds == [slot : Threads, ver : Versions]
Id(t) == [slot |-> t, ver |-> ver[t]]

\* Fpages of every order up to FpageOrder: 2^ord pages from an aligned base.
Fps == UNION {{[base |-> v, ord |-> k] : v \in {v \in AS!VPages : v % (2^k) = 0}} : k \in 0..FpageOrder}
FpPages(fp) == fp.base..(fp.base + 2^fp.ord - 1)
\* Send bases: only their offset within the larger fpage matters.
SendBases == 0..(2^FpageOrder - 1)
Items == {NoItem}
         \cup (IF "map" \in Ops THEN [kind : {"map"}, fp : Fps, sb : SendBases, rights : AS!Rights] ELSE {})
         \cup (IF "grant" \in Ops THEN [kind : {"grant"}, fp : Fps, sb : SendBases, rights : AS!Rights] ELSE {})
Windows == {NoWindow} \cup (IF Items = {NoItem} THEN {} ELSE Fps)
Msgs == [w : Words, item : Items]
\* The sender IDs a sender may claim: only with the forging bug does it claim any.
Claims == IF Bug = "forge_sender" THEN ThreadIds ELSE {NoThread}

Ready == [kind |-> "ready"]
Dead == [kind |-> "dead"]
Waiting == [kind |-> "wait"]
Sending(to, m, call, win, tmo) == [kind |-> "send", to |-> to, msg |-> m, call |-> call, win |-> win, tmo |-> tmo]
Receiving(from, reply, win, tmo) == [kind |-> "recv", from |-> from, reply |-> reply, win |-> win, tmo |-> tmo]
\* What the kernel writes into the receiver's registers: the reported sender
\* (from), and the ghosts: the thread that sent, the ID it addressed, and the
\* receiver's request (the partner it asked for, or Any, and its window), and
\* the sender's request for the pages: the item it sent (kind, fpage, send
\* base and rights), whatever became of it (NoItem when there was none or the
\* receiver opened no window).
Got(from, sender, to, m, reply, asked, win) ==
    [from |-> from, sender |-> sender, to |-> to, w |-> m.w,
     item |-> IF win = NoWindow THEN NoItem ELSE m.item,
     reply |-> reply, asked |-> asked, win |-> win]

\* The kernel's check of a thread ID.
Valid(id) == /\ st[id.slot].kind # "dead"
             /\ IF Bug = "stale_id_unchecked" THEN TRUE ELSE ver[id.slot] = id.ver

\* Whether thread r, as it stands, takes a message from thread s now.
Accepts(r, s) == /\ st[r].kind = "recv"
                 /\ ~st[r].reply
                 /\ (st[r].from = Any \/ st[r].from = Id(s))

\* Whether op is allowed to thread t under Ops and the roles of IPC-6.
Allowed(t, op) == /\ op \in Ops
                  /\ IF Server = NoThread THEN TRUE
                     ELSE IF t = Server THEN op \in {"recv", "replywait"} ELSE op = "call"

Min(S) == CHOOSE i \in S : \A j \in S : i <= j
Max(S) == CHOOSE i \in S : \A j \in S : i >= j
Without(q, i) == [j \in 1..(Len(q) - 1) |-> IF j < i THEN q[j] ELSE q[j + 1]]
Flip(f, t) == [f EXCEPT ![t] = ~@]

-----------------------------------------------------------------------------
(* Map and grant items, as functions of the database so that one step can  *)
(* apply two of them (ReplyWait's reply and the message it then receives). *)
(* The rules are AddressSpaces' SpaceMap and SpaceGrant (every space is    *)
(* live here: spaces are neither created nor deleted).                     *)

\* The offsets of the 2^k pages from v that space s maps.
ItemOffsets(db, s, v, k) == {i \in 0..(2^k - 1) : db.map[s][v + i] # NoMapping}

\* Where an item meets a window (see the header): the first page that moves
\* (from), the page it lands on (to), and the order of the part that moves.
Meet(item, w) ==
    LET s == item.fp.ord
        r == w.ord
        sb == IF Bug = "map_item_ignores_send_base" THEN 0 ELSE item.sb
    IN IF s <= r
       THEN [from |-> item.fp.base, to |-> w.base + ((sb % 2^r) \div 2^s) * 2^s, ord |-> s]
       ELSE [from |-> item.fp.base + ((sb % 2^s) \div 2^r) * 2^r, to |-> w.base, ord |-> r]

ItemOk(db, src, item, dst, mt) ==
    LET is == ItemOffsets(db, src, mt.from, mt.ord)
    IN /\ dst # Sigma0
       /\ is # {}
       /\ item.kind = "grant" => src # Sigma0
       /\ (item.kind = "map" /\ Bug = "map_item_unchecked")
          \/ \A i \in is : item.rights \subseteq db.map[src][mt.from + i].rights
       /\ ~\E i, j \in is : <<dst, mt.to + j>> \in AS!Above(db, {<<src, mt.from + i>>})

\* The database after delivering item from space src into window w of space
\* dst (the bug uses the item's own fpage when there is no window).
Transfer(db, src, item, dst, w) ==
    LET win == IF w = NoWindow /\ Bug = "map_item_no_window" /\ item # NoItem THEN item.fp ELSE w
    IN IF item = NoItem \/ win = NoWindow THEN db
       ELSE LET mt == Meet(item, win)
                all == ItemOffsets(db, src, mt.from, mt.ord)
                is == IF Bug = "map_item_one_page" /\ all # {} THEN {AS!First(all)} ELSE all
                R == IF Bug = "map_item_source_rights" /\ all # {}
                     THEN db.map[src][mt.from + AS!First(all)].rights ELSE item.rights
            IN IF ~ItemOk(db, src, item, dst, mt) THEN db
               ELSE IF item.kind = "map" \/ Bug = "grant_item_maps"
                    THEN AS!MapPages(db, src, mt.from, dst, mt.to, R, is)
                    ELSE AS!GrantPages(db, src, mt.from, dst, mt.to, item.rights, is)

-----------------------------------------------------------------------------

Init ==
    /\ AS!Init
    /\ home \in [Threads -> ThreadSpaces]
    /\ ver = [t \in Threads |-> 0]
    /\ st = [t \in Threads |-> Ready]
    /\ queue = [t \in Threads |-> <<>>]
    /\ callers = [t \in Threads |-> {}]
    /\ mr = [t \in Threads |-> NoMsg]
    /\ res = [t \in Threads |-> "none"]
    /\ delivered = [t \in Threads |-> FALSE]
    /\ calledOf = [t \in Threads |-> NoThread]
    /\ deletedIds = {}
    /\ note = [t \in Threads |-> {}]
    /\ owed = [t \in Threads |-> {}]
    /\ got = [t \in Threads |-> {}]
    /\ ring = <<>>
    /\ issued = 0
    /\ served = <<>>
    /\ bell = "idle"

\* A call's timeout holds for its send; its wait for the reply has the same
\* timeout, but a zero-timeout call still waits for the reply (a zero wait
\* would end every call before the server could answer).
ReplyTimeout(tmo) == IF tmo = "zero" THEN "inf" ELSE tmo

\* A system call of t that ends at once with result r and changes nothing else.
Fail(t, r) ==
    /\ mr' = [mr EXCEPT ![t] = NoMsg]
    /\ res' = [res EXCEPT ![t] = r]
    /\ delivered' = [delivered EXCEPT ![t] = FALSE]
    /\ UNCHANGED <<asVars, home, ver, deletedIds, st, queue, callers, calledOf, noteVars, batchVars>>

\* Send (call = FALSE) and the send phase of Call (call = TRUE): t sends m
\* to the ID to, claiming the sender ID claim (NoThread: its own), with
\* timeout tmo; win is the window for the reply of a call.
SendOrCall(t, to, m, tmo, win, claim, call) ==
    LET r == to.slot
        from == IF claim = NoThread THEN Id(t) ELSE claim
    IN
    /\ st[t].kind = "ready"
    /\ r # t
    /\ IF ~Valid(to) THEN Fail(t, "nopartner")
       ELSE IF Accepts(r, t) THEN
          /\ mr' = [mr EXCEPT ![t] = NoMsg, ![r] = Got(from, Id(t), to, m, FALSE, st[r].from, st[r].win)]
          /\ st' = [st EXCEPT ![r] = Ready,
                              ![t] = IF call THEN Receiving(Id(r), TRUE, win, ReplyTimeout(tmo)) ELSE Ready]
          /\ res' = [res EXCEPT ![r] = "ok", ![t] = IF call THEN "none" ELSE "ok"]
          /\ delivered' = [delivered EXCEPT ![t] = TRUE]
          /\ callers' = IF call THEN [callers EXCEPT ![r] = @ \cup {Id(t)}] ELSE callers
          /\ calledOf' = IF call THEN [calledOf EXCEPT ![t] = Id(r)] ELSE calledOf
          /\ AS!SetDb(Transfer(AS!Db, home[t], m.item, home[r], st[r].win))
          /\ UNCHANGED <<live, home, ver, deletedIds, queue, noteVars, batchVars>>
       ELSE IF tmo = "zero" THEN Fail(t, "timeout")
       ELSE
          /\ st' = [st EXCEPT ![t] = Sending(to, m, call, win, tmo)]
          /\ queue' = [queue EXCEPT ![r] = Append(@, t)]
          /\ mr' = [mr EXCEPT ![t] = NoMsg]
          /\ res' = [res EXCEPT ![t] = "none"]
          /\ delivered' = [delivered EXCEPT ![t] = FALSE]
          /\ UNCHANGED <<asVars, home, ver, deletedIds, callers, calledOf, noteVars, batchVars>>

Send(t, to, m, tmo, claim) ==
    /\ Allowed(t, "send")
    /\ SendOrCall(t, to, m, tmo, NoWindow, claim, FALSE)

Call(t, to, m, tmo, win, claim) ==
    /\ Allowed(t, "call")
    /\ IF Server = NoThread THEN TRUE ELSE to.slot = Server
    /\ SendOrCall(t, to, m, tmo, win, claim, TRUE)

\* The queue positions of senders that thread t, receiving from `from`, accepts.
Matching(t, from) == {i \in 1..Len(queue[t]) : from = Any \/ from = Id(queue[t][i])}

\* The position a receive takes from.
Pick(t, from) == IF Bug = "queue_lifo" THEN Max(Matching(t, from))
                 ELSE IF Bug = "closed_takes_head" THEN 1
                 ELSE Min(Matching(t, from))

\* The receive of thread t from `from` with window win and timeout tmo, after
\* the database has become db0 and the registers mr0, results res0, callers
\* callers0, states st0 and delivered0 (ReplyWait's reply comes first; a
\* plain Receive passes the current values).
ReceivePhase(t, from, win, tmo, db0, mr0, res0, callers0, st0, delivered0) ==
    IF Matching(t, from) # {} THEN
        LET i == Pick(t, from)
            s == queue[t][i]
            m == st0[s].msg
            call == st0[s].call
        IN
        IF Bug = "receive_keeps_sender" THEN
            /\ mr' = [mr0 EXCEPT ![t] = Got(Id(s), Id(s), st0[s].to, m, FALSE, from, win)]
            /\ st' = [st0 EXCEPT ![t] = Ready]
            /\ res' = [res0 EXCEPT ![t] = "ok"]
            /\ delivered' = [delivered0 EXCEPT ![s] = TRUE]
            /\ UNCHANGED <<queue, calledOf>>
            /\ callers' = callers0
            /\ AS!SetDb(Transfer(db0, home[s], m.item, home[t], win))
        ELSE
            /\ mr' = [mr0 EXCEPT ![t] = Got(Id(s), Id(s), st0[s].to, m, FALSE, from, win)]
            /\ st' = [st0 EXCEPT ![t] = Ready,
                                 ![s] = IF call THEN Receiving(Id(t), TRUE, st0[s].win, st0[s].tmo) ELSE Ready]
            /\ res' = [res0 EXCEPT ![t] = "ok", ![s] = IF call THEN "none" ELSE "ok"]
            /\ delivered' = [delivered0 EXCEPT ![s] = TRUE]
            /\ queue' = [queue EXCEPT ![t] = Without(@, i)]
            /\ callers' = IF call THEN [callers0 EXCEPT ![t] = @ \cup {Id(s)}] ELSE callers0
            /\ calledOf' = IF call THEN [calledOf EXCEPT ![s] = Id(t)] ELSE calledOf
            /\ AS!SetDb(Transfer(db0, home[s], m.item, home[t], win))
    ELSE IF tmo = "zero" /\ Bug # "zero_timeout_blocks" THEN
        /\ mr' = IF Bug = "timeout_keeps_registers" THEN [mr0 EXCEPT ![t] = mr[t]] ELSE mr0
        /\ st' = st0
        /\ res' = IF Bug = "zero_keeps_result" THEN res0 ELSE [res0 EXCEPT ![t] = "timeout"]
        /\ delivered' = delivered0
        /\ callers' = callers0
        /\ UNCHANGED <<queue, calledOf>>
        /\ AS!SetDb(db0)
    ELSE
        /\ mr' = IF Bug = "block_keeps_registers" THEN [mr0 EXCEPT ![t] = mr[t]] ELSE mr0
        /\ st' = [st0 EXCEPT ![t] = Receiving(from, FALSE, win, tmo)]
        /\ res' = [res0 EXCEPT ![t] = "none"]
        /\ delivered' = delivered0
        /\ callers' = callers0
        /\ UNCHANGED <<queue, calledOf>>
        /\ AS!SetDb(db0)

Receive(t, from, tmo, win) ==
    /\ Allowed(t, "recv")
    /\ st[t].kind = "ready"
    /\ from # Id(t)
    /\ IF t = Server THEN from = Any /\ callers[t] = {} ELSE TRUE
    /\ IF from # Any /\ (~Valid(from) \/ Bug = "closed_receive_fails") THEN Fail(t, "nopartner")
       ELSE /\ ReceivePhase(t, from, win, tmo, AS!Db, [mr EXCEPT ![t] = NoMsg], res, callers, st,
                            [delivered EXCEPT ![t] = FALSE])
            /\ UNCHANGED <<live, home, ver, deletedIds, noteVars, batchVars>>

\* Whether t may reply to the ID to: to is a caller whose call t received
\* (with the bug: any thread receiving from t).
MayReply(t, to) ==
    \/ to \in callers[t]
    \/ /\ Bug = "reply_any"
       /\ Valid(to)
       /\ st[to.slot].kind = "recv"
       /\ (st[to.slot].from = Any \/ st[to.slot].from = Id(t))

ReplyWait(t, to, m, win) ==
    LET r == to.slot
    IN
    /\ Allowed(t, "replywait")
    /\ st[t].kind = "ready"
    /\ r # t
    /\ IF ~MayReply(t, to) THEN Fail(t, "nopartner")
       ELSE /\ ReceivePhase(t, Any, win, "inf",
                            Transfer(AS!Db, home[t], m.item, home[r], st[r].win),
                            [mr EXCEPT ![t] = NoMsg, ![r] = Got(Id(t), Id(t), to, m, TRUE, st[r].from, st[r].win)],
                            [res EXCEPT ![r] = "ok"],
                            [callers EXCEPT ![t] = @ \ {to}],
                            [st EXCEPT ![r] = Ready],
                            [delivered EXCEPT ![t] = TRUE])
            /\ UNCHANGED <<live, home, ver, deletedIds, noteVars, batchVars>>

\* A finite timeout ends a blocked send or receive.
TimeoutFires(t) ==
    /\ st[t].kind \in {"send", "recv"}
    /\ st[t].tmo = "finite"
    /\ st' = [st EXCEPT ![t] = Ready]
    /\ res' = [res EXCEPT ![t] = "timeout"]
    /\ queue' = IF st[t].kind = "send"
                THEN [queue EXCEPT ![st[t].to.slot] = SelectSeq(@, LAMBDA s : s # t)]
                ELSE queue
    /\ callers' = IF st[t].kind = "recv" /\ st[t].reply
                  THEN [callers EXCEPT ![st[t].from.slot] = @ \ {Id(t)}]
                  ELSE callers
    /\ UNCHANGED <<asVars, home, ver, deletedIds, mr, delivered, calledOf, noteVars, batchVars>>

ThreadDelete(t) ==
    LET me == Id(t)
        woken == {s \in Threads \ {t} :
                     IF st[s].kind = "send" THEN st[s].to = me
                     ELSE IF st[s].kind = "recv"
                          THEN st[s].from = me \/ (Bug = "delete_aborts_open" /\ st[s].from = Any)
                     ELSE FALSE}
    IN
    /\ "delete" \in Ops
    /\ st[t].kind # "dead"
    /\ Bug = "delete_refuses_blocked" => st[t].kind = "ready"
    /\ st' = [s \in Threads |-> IF s = t THEN Dead ELSE IF s \in woken THEN Ready ELSE st[s]]
    /\ res' = [s \in Threads |-> IF s = t THEN "none" ELSE IF s \in woken THEN "aborted" ELSE res[s]]
    /\ queue' = [x \in Threads |-> IF x = t THEN <<>>
                                   ELSE IF Bug = "delete_keeps_queued" THEN queue[x]
                                   ELSE SelectSeq(queue[x], LAMBDA s : s # t)]
    /\ callers' = [x \in Threads |-> IF x = t THEN {} ELSE callers[x] \ {me}]
    /\ mr' = [mr EXCEPT ![t] = NoMsg]
    /\ delivered' = [delivered EXCEPT ![t] = FALSE]
    /\ calledOf' = [calledOf EXCEPT ![t] = NoThread]
    /\ note' = [note EXCEPT ![t] = {}]
    /\ owed' = [owed EXCEPT ![t] = {}]
    /\ got' = [got EXCEPT ![t] = IF Bug = "delete_keeps_wait_result" THEN @ ELSE {}]
    /\ deletedIds' = deletedIds \cup {me}
    /\ UNCHANGED <<asVars, home, ver, batchVars>>

ThreadCreate(t) ==
    /\ "create" \in Ops
    /\ st[t].kind = "dead"
    /\ Bug = "version_overflow" \/ ver[t] < MaxVersion
    /\ ver' = [ver EXCEPT ![t] = IF Bug = "create_keeps_version" THEN @ ELSE @ + 1]
    /\ st' = [st EXCEPT ![t] = Ready]
    /\ UNCHANGED <<asVars, home, queue, callers, mr, res, delivered, calledOf, deletedIds, noteVars, batchVars>>

Signal(t, to, b) ==
    LET r == to.slot
    IN
    /\ Allowed(t, "signal")
    /\ st[t].kind = "ready"
    /\ r # t
    /\ IF ~Valid(to) THEN Fail(t, "nopartner")
       ELSE IF st[r].kind = "wait" THEN
          \* The waiter wakes with the word and the new bit; the word is clear again.
          /\ st' = [st EXCEPT ![r] = Ready]
          /\ res' = IF Bug = "signal_wake_no_result" THEN [res EXCEPT ![t] = "ok"]
                    ELSE [res EXCEPT ![t] = "ok", ![r] = "ok"]
          /\ owed' = [owed EXCEPT ![r] = @ \ (note[r] \cup {b})]
          /\ note' = [note EXCEPT ![r] = {}]
          /\ got' = [got EXCEPT ![r] = IF Bug = "wake_without_bits" THEN {} ELSE note[r] \cup {b}]
          /\ mr' = [mr EXCEPT ![t] = NoMsg]
          /\ delivered' = [delivered EXCEPT ![t] = FALSE]
          /\ UNCHANGED <<asVars, home, ver, deletedIds, queue, callers, calledOf, batchVars>>
       ELSE
          /\ note' = [note EXCEPT ![r] = @ \cup {b}]
          /\ owed' = [owed EXCEPT ![r] = @ \cup {b}]
          /\ UNCHANGED got
          /\ res' = [res EXCEPT ![t] = "ok"]
          /\ mr' = [mr EXCEPT ![t] = NoMsg]
          /\ delivered' = [delivered EXCEPT ![t] = FALSE]
          /\ UNCHANGED <<asVars, home, ver, deletedIds, st, queue, callers, calledOf, batchVars>>

Wait(t) ==
    /\ Allowed(t, "wait")
    /\ st[t].kind = "ready"
    /\ mr' = [mr EXCEPT ![t] = NoMsg]
    /\ delivered' = [delivered EXCEPT ![t] = FALSE]
    /\ IF note[t] # {} THEN
          \* Take the word and clear it; the bug clears it first and so reads nothing.
          /\ owed' = [owed EXCEPT ![t] = IF Bug = "wait_clears_first" THEN @ ELSE @ \ note[t]]
          /\ note' = [note EXCEPT ![t] = {}]
          /\ got' = [got EXCEPT ![t] = IF Bug = "wait_clears_first" THEN {} ELSE note[t]]
          /\ res' = [res EXCEPT ![t] = "ok"]
          /\ UNCHANGED <<asVars, home, ver, deletedIds, st, queue, callers, calledOf, batchVars>>
       ELSE IF Bug = "wait_polls" THEN
          \* The bug returns at once with an empty word, as a poll would.
          /\ res' = [res EXCEPT ![t] = "ok"]
          /\ got' = [got EXCEPT ![t] = {}]
          /\ UNCHANGED <<asVars, home, ver, deletedIds, st, queue, callers, calledOf, note, owed, batchVars>>
       ELSE
          /\ st' = [st EXCEPT ![t] = Waiting]
          /\ res' = [res EXCEPT ![t] = "none"]
          /\ UNCHANGED <<asVars, home, ver, deletedIds, queue, callers, calledOf, noteVars, batchVars>>

\* Batching. The client puts request issued+1 into the ring; a full ring
\* refuses it (the bug overwrites the oldest request instead).
BatchPut ==
    /\ "batch" \in Ops
    /\ issued < NRequests
    /\ IF Len(ring) < RingSize THEN ring' = Append(ring, issued + 1)
       ELSE /\ Bug = "ring_overwrite"
            /\ ring' = Append(Tail(ring), issued + 1)
    /\ issued' = issued + 1
    /\ UNCHANGED <<asVars, ipcVars, noteVars, served, bell>>

\* One signal to the server for everything in the ring.
BatchRing ==
    /\ "batch" \in Ops
    /\ bell = "idle"
    /\ ring # <<>>
    /\ Bug = "ring_when_first" => Len(ring) = 1
    /\ bell' = "rung"
    /\ UNCHANGED <<asVars, ipcVars, noteVars, ring, issued, served>>

\* The server drains the ring and answers with one notification.
BatchDrain ==
    /\ "batch" \in Ops
    /\ bell = "rung"
    /\ served' = served \o ring
    /\ ring' = <<>>
    /\ bell' = "done"
    /\ UNCHANGED <<asVars, ipcVars, noteVars, issued>>

\* The client takes the server's answer.
BatchAnswer ==
    /\ "batch" \in Ops
    /\ bell = "done"
    /\ bell' = "idle"
    /\ UNCHANGED <<asVars, ipcVars, noteVars, ring, issued, served>>

\* A ready thread revokes R from its space's fpage at v (see the header);
\* its registers and result are left alone: the model tracks IPC results.
Unmap(t, v, R, own) ==
    LET is == ItemOffsets(AS!Db, home[t], v.base, v.ord)
    IN /\ Allowed(t, "unmap")
       /\ st[t].kind = "ready"
       /\ is # {}
       /\ AS!SetDb(AS!RevokePages(AS!Db, home[t], v.base, R, own, is))
    /\ UNCHANGED <<live, ipcVars, noteVars, batchVars>>

\* The partners Next tries for a receive (the bug tries only open receives).
ReceiveFroms == IF Bug = "next_only_open_receive" THEN {Any} ELSE ThreadIds \cup {Any}

\* Quantifying over constant sets lets TLC split Next into one action per
\* operator, so that its state graph labels each step with the operator.

Next ==
    \/ \E t \in Threads, to \in ThreadIds, m \in Msgs, tmo \in Timeouts, c \in Claims : Send(t, to, m, tmo, c)
    \/ \E t \in Threads, to \in ThreadIds, m \in Msgs, tmo \in Timeouts, w \in Windows, c \in Claims :
          Call(t, to, m, tmo, w, c)
    \/ \E t \in Threads, from \in ReceiveFroms, tmo \in Timeouts, w \in Windows : Receive(t, from, tmo, w)
    \/ \E t \in Threads, to \in ThreadIds, m \in Msgs, w \in Windows : ReplyWait(t, to, m, w)
    \/ \E t \in Threads : TimeoutFires(t)
    \/ \E t \in Threads : ThreadDelete(t)
    \/ \E t \in Threads : ThreadCreate(t)
    \/ \E t \in Threads, to \in ThreadIds, b \in Bits : Signal(t, to, b)
    \/ \E t \in Threads : Wait(t)
    \/ BatchPut
    \/ BatchRing
    \/ BatchDrain
    \/ BatchAnswer
    \/ \E t \in Threads, v \in Fps, R \in AS!Rights, own \in BOOLEAN : Unmap(t, v, R, own)

Spec == Init /\ [][Next]_vars

\* IPC-6's fairness: the server keeps taking steps while it can.
ServerStep ==
    \/ \E from \in ThreadIds \cup {Any}, tmo \in Timeouts, w \in Windows : Receive(Server, from, tmo, w)
    \/ \E to \in ThreadIds, m \in Msgs, w \in Windows : ReplyWait(Server, to, m, w)
FairSpec == Spec /\ WF_vars(ServerStep)

\* IPC-15's fairness: the bell is rung, answered and taken while it can be.
BatchFairSpec == Spec /\ WF_vars(BatchRing) /\ WF_vars(BatchDrain) /\ WF_vars(BatchAnswer)

-----------------------------------------------------------------------------
(* Invariants. Their IDs are in specs/invariants.yaml.                      *)

\* IPC-1: a thread is in x's send queue exactly when it is blocked sending to
\* x's current thread; queues hold no duplicates and no dead threads.
QueuesConsistent ==
    /\ \A x \in Threads : \A i, j \in 1..Len(queue[x]) : i # j => queue[x][i] # queue[x][j]
    /\ \A x \in Threads : \A i \in 1..Len(queue[x]) : st[queue[x][i]].kind # "dead"
    /\ \A x, s \in Threads :
          (\E i \in 1..Len(queue[x]) : queue[x][i] = s) <=> (st[s].kind = "send" /\ st[s].to.slot = x)
    /\ \A s \in Threads : st[s].kind = "send" => st[s].to = Id(st[s].to.slot) /\ st[st[s].to.slot].kind # "dead"

\* IPC-2: a message is delivered once: no thread is still blocked sending a
\* message that has been delivered, and a message reaches the slot it was
\* addressed to. (The word itself is copied unchanged by construction here;
\* kernel-impl's copy is what a refinement check would test.)
DeliveredOnce ==
    /\ \A s \in Threads : st[s].kind = "send" => ~delivered[s]
    /\ \A r \in Threads : mr[r] # NoMsg => mr[r].to.slot = r

\* IPC-3: a reply reaches only a thread whose call the server received, and
\* the server's reply authority covers exactly callers still waiting for it.
ReplyAuthority ==
    /\ \A x \in Threads : \A c \in callers[x] :
          /\ ver[c.slot] = c.ver
          /\ st[c.slot].kind = "recv" /\ st[c.slot].reply /\ st[c.slot].from = Id(x)
    /\ \A c \in Threads : mr[c] # NoMsg /\ mr[c].reply => mr[c].sender = calledOf[c]

\* IPC-4: the sender ID a receiver sees is the thread that sent.
SenderIdTrue == \A r \in Threads : mr[r] # NoMsg => mr[r].from = mr[r].sender

\* IPC-5: a message addressed to an old version of a thread ID never reaches
\* a newer incarnation of the slot.
NoStaleDelivery == \A r \in Threads : mr[r] # NoMsg => mr[r].to = Id(r)

\* IPC-22: thread IDs are never reused: once its thread is deleted, an ID
\* never again names a live thread, so a thread created in the slot gets an
\* ID no earlier thread had, and every copy of the old ID stays invalid.
\* Stated against deletedIds (the ghost ThreadDelete writes from the ID
\* before the step), not against the slot's version: IPC-5 compares with
\* Id(r), which reads ver, and cannot see a version that does not move. The
\* second conjunct keeps the ghost honest: a dead slot's last ID is recorded.
IdsNeverReused ==
    /\ \A t \in Threads : st[t].kind # "dead" => Id(t) \notin deletedIds
    /\ \A t \in Threads : st[t].kind = "dead" => Id(t) \in deletedIds

\* IPC-8: no signal is lost: every bit signalled to a thread and not yet
\* returned by a Wait is still in its notification word.
NoLostSignal == \A t \in Threads : owed[t] \subseteq note[t]

\* IPC-9: every request put into the ring is served exactly once, and the
\* ring never holds more than RingSize requests.
Elems(q) == {q[i] : i \in 1..Len(q)}
BatchExactlyOnce ==
    /\ Len(ring) <= RingSize
    /\ \A i, j \in 1..Len(served) : i # j => served[i] # served[j]
    /\ Elems(served) \cap Elems(ring) = {}
    /\ Elems(served) \cup Elems(ring) = 1..issued

\* IPC-10: map and grant items keep the address-space invariants AS-1 to
\* AS-6 and AS-10; with AS-3, an item gives at most the sender's rights.
MapItemsSafe ==
    /\ AS!TypeOK
    /\ AS!FrameMatchesParent
    /\ AS!RightsWithinParent
    /\ AS!MdbIsForest
    /\ AS!MdbMatchesMappings
    /\ AS!AuthorityFromSigma0
    /\ AS!Sigma0Intact

(***************************************************************************)
(* The values the rules range over, written from the constants apart from *)
(* Next's own domains (ThreadIds, Fps, SendBases, Items, Windows, Msgs):   *)
(* IPC-13, IPC-16, IPC-19 and IPC-20 read these, so that a Next whose      *)
(* domains lose or gain a value is judged against the constants, and not  *)
(* against the same changed definition.                                    *)
(***************************************************************************)
AllIds == [slot : Threads, ver : 0..MaxVersion]
AllFps == {fp \in [base : 0..(NPages - 1), ord : 0..FpageOrder] : fp.base % (2^fp.ord) = 0}
ItemKinds == Ops \cap {"map", "grant"}
\* A send base names an offset within the largest fpage.
AllOffsets == 0..(2^FpageOrder - 1)
AllItems == {NoItem} \cup [kind : ItemKinds, fp : AllFps, sb : AllOffsets, rights : AS!Rights]
AllWindows == IF ItemKinds = {} THEN {NoWindow} ELSE AllFps \cup {NoWindow}
AllMsgs == [w : Words, item : AllItems]

\* IPC-20: every variable holds a value of its type, the types written from
\* the constants (AllIds, AllMsgs, AllWindows), not from Next's domains: a
\* Next that offers a value outside them (a send base past the largest
\* fpage, a window on no page, a version past MaxVersion) puts it into some
\* thread's state.
Results == {"none", "ok", "timeout", "nopartner", "aborted"}
Registers == [from : AllIds, sender : AllIds, to : AllIds, w : Words,
              item : AllItems, reply : BOOLEAN,
              asked : AllIds \cup {Any}, win : AllWindows]
TypeOK ==
    /\ AS!TypeOK
    /\ home \in [Threads -> ThreadSpaces]
    /\ ver \in [Threads -> 0..MaxVersion]
    /\ \A t \in Threads :
          \/ st[t] \in {Ready, Dead, Waiting}
          \/ st[t] \in [kind : {"send"}, to : AllIds, msg : AllMsgs, call : BOOLEAN, win : AllWindows, tmo : Timeouts]
          \* (ReplyWait, and a call with timeout zero for its reply, wait with no timeout)
          \/ st[t] \in [kind : {"recv"}, from : AllIds \cup {Any}, reply : BOOLEAN, win : AllWindows,
                        tmo : Timeouts \cup {"inf"}]
    /\ queue \in [Threads -> Seq(Threads)]
    /\ callers \in [Threads -> SUBSET AllIds]
    /\ mr \in [Threads -> Registers \cup {NoMsg}]
    /\ res \in [Threads -> Results]
    /\ delivered \in [Threads -> BOOLEAN]
    /\ calledOf \in [Threads -> AllIds \cup {NoThread}]
    /\ deletedIds \subseteq AllIds
    /\ note \in [Threads -> SUBSET Bits] /\ owed \in [Threads -> SUBSET Bits] /\ got \in [Threads -> SUBSET Bits]
    /\ ring \in Seq(1..NRequests) /\ served \in Seq(1..NRequests) /\ issued \in 0..NRequests
    /\ bell \in {"idle", "rung", "done"}

\* IPC-11: a closed receive gets its message from the thread it named: the
\* thread that sent is the partner the receiver asked for, unless it asked
\* for Any. (Stated against the receiver's request, recorded in mr from the
\* receiver's state; the sender is recorded from the queue or the sending
\* thread.)
ClosedReceiveFromNamed ==
    \A r \in Threads : mr[r] # NoMsg /\ mr[r].asked # Any => mr[r].sender = mr[r].asked

\* IPC-12: map and grant items land only inside a window that the receiver
\* opened: in every step, a page that gains access (a mapping where there
\* was none, another frame, or a right it did not hold) belongs to a space
\* with a thread that received a message in a window covering the page.
GainsAccess(s, p) ==
    /\ mappings'[s][p] # NoMapping
    /\ \/ mappings[s][p] = NoMapping
       \/ mappings'[s][p].frame # mappings[s][p].frame
       \/ ~(mappings'[s][p].rights \subseteq mappings[s][p].rights)
ItemsLandInWindows ==
    [][\A s \in AllSpaces, p \in AS!VPages :
          GainsAccess(s, p) =>
             \E r \in Threads : /\ home[r] = s
                               /\ mr'[r] # NoMsg
                               /\ mr'[r].win # NoWindow
                               /\ p \in FpPages(mr'[r].win)]_vars

\* IPC-18: an item and a window meet at the send base: a page p that gains
\* access in a receiver's window lies as far from the point the send base
\* names in the window as the page it got lies from the point it names in
\* the item's fpage; that page q is inside the item's fpage, and p now maps
\* q's frame. Stated per page from the item and window in the receiver's
\* ghost, not with Meet. q's frame is read before the step (a grant takes
\* it away) or after it (a ReplyWait's reply may have placed q just before
\* the receive passed it on); a page the reply placed and the receive
\* then granted away is excused by the reply's own record (a reply from r
\* that carried an item into a window over q).
Hot(fp, sb) == fp.base + (sb % (2^fp.ord))
MapItemsMeetAtSendBase ==
    [][\A s \in AllSpaces, p \in AS!VPages :
          GainsAccess(s, p) =>
             \E r \in Threads :
                LET g == mr'[r]
                IN /\ home[r] = s
                   /\ g # NoMsg
                   /\ g.win # NoWindow /\ g.item # NoItem
                   /\ p \in FpPages(g.win)
                   /\ LET q == p + Hot(g.item.fp, g.item.sb) - Hot(g.win, g.item.sb)
                          src == home[g.sender.slot]
                      IN /\ q \in FpPages(g.item.fp)
                         /\ \/ mappings[src][q] # NoMapping /\ mappings'[s][p].frame = mappings[src][q].frame
                            \/ mappings'[src][q] # NoMapping /\ mappings'[s][p].frame = mappings'[src][q].frame
                            \/ \E c \in Threads : /\ home[c] = src /\ mr'[c] # NoMsg /\ mr'[c].reply
                                                /\ mr'[c].sender.slot = r /\ mr'[c].item # NoItem
                                                /\ q \in FpPages(mr'[c].win)]_vars

\* IPC-14: a Wait returns exactly the bits signalled to the thread since its
\* last Wait returned (owed, which no action reads): a Wait that finds the
\* word set returns the bits owed, and a Signal that wakes a waiter hands it
\* the bits owed and the new one. Stated against the signals (the ghost),
\* not against the word the kernel cleared.
WaitGetsSignalledBits ==
    [][\A t \in Threads :
          /\ Wait(t) /\ note[t] # {} => got'[t] = owed[t]
          /\ \A s \in Threads, b \in Bits :
                st[t].kind = "wait" /\ Signal(s, Id(t), b) => got'[t] = owed[t] \cup {b}]_vars

\* IPC-17: a thread blocked in a system call (sending, receiving, or waiting
\* for a signal) has no result yet and nothing in its registers: every call
\* clears them, and only its completion fills them; and a thread whose last
\* call failed (timeout, aborted, no partner) holds no message either, so
\* that a message received before is never taken for one received now.
BlockedHoldNothing ==
    \A t \in Threads :
       /\ st[t].kind \in {"send", "recv", "wait"} => mr[t] = NoMsg /\ res[t] = "none"
       /\ res[t] \in {"timeout", "aborted", "nopartner"} => mr[t] = NoMsg

\* IPC-23: a thread created in a slot starts with nothing of the slot's
\* previous thread: it is ready, with no message in its registers, no
\* result, no notification bits pending and none returned by a Wait. Stated
\* of the step in which a dead slot comes alive, whatever action takes it.
NewThreadStartsClean ==
    [][\A t \in Threads :
          st[t].kind = "dead" /\ st'[t].kind # "dead" =>
             /\ st'[t] = Ready
             /\ mr'[t] = NoMsg /\ res'[t] = "none"
             /\ note'[t] = {} /\ got'[t] = {}]_vars

\* IPC-24: a Wait does what it was asked: with bits pending it returns "ok"
\* at once, with the word taken (got is the bits the word held and the word
\* is clear); with none pending it blocks, with no result and the bits of
\* the last Wait left in got. Stated against the word before the step. IPC-14
\* says which bits a Wait returns, not that it returns or blocks at all.
WaitDoesWhatWasAsked ==
    [][\A t \in Threads :
          Wait(t) =>
             IF note[t] # {}
             THEN st'[t] = Ready /\ res'[t] = "ok" /\ got'[t] = note[t] /\ note'[t] = {}
             ELSE st'[t] = Waiting /\ res'[t] = "none" /\ got'[t] = got[t]]_vars

\* IPC-16: the results mean what happened, stated against the request and
\* the thread the caller was blocked on: no thread stays blocked on a zero
\* timeout; a send, call or receive made with a longer timeout never ends in
\* "timeout" in the step that makes it; a thread is woken with "aborted"
\* only when the thread it was sending to or receiving from (a named,
\* current thread) is deleted in that step; and a thread woken from a
\* blocked send, receive or wait has its result (a waiter a signal wakes,
\* "ok"), and a signal returns "ok" to a current thread, "nopartner" else;
\* a send, call or closed receive naming a current thread never ends in
\* "nopartner" in the step that makes it; and a receive with timeout zero that
\* gets no message ends in "timeout" or "nopartner", not with the result of the
\* call before it. (A step that changes none of t's
\* registers is not tried: a failing call that changes nothing is a
\* stuttering step, which no property sees.)
NonZero == Timeouts \ {"zero"}
ResultsMeanWhatHappened ==
    [][/\ \A t \in Threads : st'[t].kind \in {"send", "recv"} => st'[t].tmo # "zero"
       /\ \A t \in Threads :
             st[t].kind = "ready" /\ res'[t] = "timeout" =>
                /\ ~\E to \in AllIds, m \in AllMsgs, tmo \in NonZero, c \in Claims :
                      Send(t, to, m, tmo, c) \/ \E w \in AllWindows : Call(t, to, m, tmo, w, c)
                /\ ~\E from \in AllIds \cup {Any}, tmo \in NonZero, w \in AllWindows : Receive(t, from, tmo, w)
       /\ \A s \in Threads :
             st[s].kind \in {"send", "recv"} /\ st'[s].kind = "ready" /\ res'[s] = "aborted" =>
                LET p == IF st[s].kind = "send" THEN st[s].to ELSE st[s].from
                IN /\ p # Any
                   /\ st[p.slot].kind # "dead" /\ ver[p.slot] = p.ver
                   /\ st'[p.slot].kind = "dead"
       /\ \A t \in Threads :
             st[t].kind \in {"send", "recv", "wait"} /\ st'[t].kind = "ready" =>
                /\ res'[t] # "none"
                /\ st[t].kind = "wait" => res'[t] = "ok"
       /\ \A t \in Threads :
             /\ st[t].kind = "ready"
             /\ res'[t] = "nopartner"
             /\ <<res[t], mr[t], delivered[t]>> # <<res'[t], mr'[t], delivered'[t]>>
             => /\ ~\E to \in AllIds, m \in AllMsgs, tmo \in Timeouts, c \in Claims :
                      Valid(to) /\ (Send(t, to, m, tmo, c) \/ \E w \in AllWindows : Call(t, to, m, tmo, w, c))
                /\ ~\E from \in AllIds, tmo \in Timeouts, w \in AllWindows : Valid(from) /\ Receive(t, from, tmo, w)
       /\ \A t \in Threads :
             /\ st[t].kind = "ready" /\ st'[t].kind = "ready" /\ mr'[t] = NoMsg
             /\ res'[t] \notin {"timeout", "nopartner"}
             /\ <<res[t], mr[t]>> # <<res'[t], mr'[t]>>
             => ~\E from \in AllIds \cup {Any}, w \in AllWindows : Receive(t, from, "zero", w)
       /\ \A t \in Threads, to \in AllIds, b \in Bits :
             Signal(t, to, b) => res'[t] = IF Valid(to) THEN "ok" ELSE "nopartner"]_vars

\* IPC-21: an item moves every page it should, and exactly as the rules
\* say: when a receiver gets an item in its window, every page q of the
\* item's fpage that the sender maps and whose place p (at the send base, as
\* in IPC-18) lies in the window maps q's frame afterwards; a map gives p
\* exactly the item's rights (with those p held if it already mapped that
\* frame derived from q: a re-map extends) and derives p from q; a grant
\* gives p exactly the item's rights, unmaps q and moves q's node to p (p
\* derived from what q was derived from) - unless the rules refuse the item
\* whole: the receiver is Sigma0, a grant from Sigma0, a page the sender
\* holds with fewer rights than the item asks, or a place that is one of
\* those pages or one they were derived from (the mapping would be its own
\* ancestor). IPC-18 is the other half: nothing lands anywhere else. Stated
\* from the sender's request (the item in the receiver's ghost) and the
\* database before the step; a step in which another delivery also carried
\* an item (a ReplyWait's reply and its receive) is not judged, as the
\* second item sees the first one's pages.
Dest(g, q) == q + Hot(g.win, g.item.sb) - Hot(g.item.fp, g.item.sb)
Moving(g, src) == {q \in FpPages(g.item.fp) : Dest(g, q) \in FpPages(g.win) /\ mappings[src][q] # NoMapping}
\* Whether r got a message in this step: it was blocked receiving (a send,
\* call or reply reached it), or it took the message of a sender queued to
\* it (delivered is cleared by every call, so it turns TRUE only in the step
\* that delivers).
GotNow(r) ==
    /\ mr'[r] # NoMsg
    /\ \/ st[r].kind = "recv" /\ st'[r].kind = "ready"
       \/ LET snd == mr'[r].sender.slot
          IN st[snd].kind = "send" /\ st[snd].to.slot = r /\ delivered'[snd]
NewItem(r) == GotNow(r) /\ mr'[r].item # NoItem
Parents(db, n) == {e[2] : e \in {e \in db : e[1] = n}}
\* Where a grant of the item moves node x (itself if it is not one of the moving pages).
Moved(g, s, src, x) == IF x[1] = src /\ x[2] \in Moving(g, src) THEN <<s, Dest(g, x[2])>> ELSE x
MapItemsMoveEveryPage ==
    [][\A r \in Threads :
          LET g == mr'[r]
              s == home[r]
              src == home[g.sender.slot]
          IN /\ NewItem(r)
             /\ \A x \in Threads \ {r} : ~NewItem(x)
             /\ s # Sigma0
             /\ g.item.kind = "grant" => src # Sigma0
             /\ \A q \in Moving(g, src) : g.item.rights \subseteq mappings[src][q].rights
             /\ \A q, q2 \in Moving(g, src) : <<s, Dest(g, q2)>> \notin AS!Above(AS!Db, {<<src, q>>})
             => \A q \in Moving(g, src) :
                   LET p == Dest(g, q)
                       remap == /\ mappings[s][p] # NoMapping
                                /\ mappings[s][p].frame = mappings[src][q].frame
                                /\ <<<<s, p>>, <<src, q>>>> \in mdb
                   IN /\ mappings'[s][p] # NoMapping
                      /\ mappings'[s][p].frame = mappings[src][q].frame
                      /\ IF g.item.kind = "map"
                         THEN /\ mappings'[s][p].rights = g.item.rights \cup (IF remap THEN mappings[s][p].rights ELSE {})
                              /\ <<<<s, p>>, <<src, q>>>> \in mdb'
                         ELSE /\ mappings'[s][p].rights = g.item.rights
                              /\ mappings'[src][q] = NoMapping
                              /\ Parents(mdb', <<s, p>>) = {Moved(g, s, src, x) : x \in Parents(mdb, <<src, q>>)}]_vars

\* IPC-15: every request put into the ring is eventually served (under
\* BatchFairSpec: no request waits for ever behind a bell nobody rings).
BatchServed == \A i \in 1..NRequests : issued >= i ~> i \in Elems(served)

\* IPC-6: while the server loops in ReplyWait, every call returns.
InCall(c) == \/ st[c].kind = "send" /\ st[c].call
             \/ st[c].kind = "recv" /\ st[c].reply
CallsReturn == \A c \in Threads : InCall(c) ~> st[c].kind = "ready"
(***************************************************************************)
(* Availability. The properties above judge the steps that happen; a      *)
(* kernel that refuses a system call it should take, or takes one it     *)
(* should refuse, is judged by none of them when the refusal only removes *)
(* steps. This states, apart from the actions, when each step is possible:*)
(* a system call whenever the thread is ready, Ops and the roles allow it *)
(* and it does not address itself (its outcome, success or an error      *)
(* result, is the action's business); the kernel's own steps (timeouts,   *)
(* deletion, creation) and the batching steps under their conditions.     *)
(***************************************************************************)

\* The thread a thread ID names is not t itself.
NotSelf(t, id) == id.slot # t

\* Which calls the roles allow, stated apart from Allowed (the actions' own test),
\* so that IPC-13 judges that test: Ops allows the call, and with a server the
\* server only receives (in Receive or ReplyWait) and every other thread only calls.
\* (A CASE, not a disjunction: RulesSpec's steps use it, and TLC would generate a
\* step once for each true disjunct.)
RoleRule(t, op) == /\ op \in Ops
                   /\ CASE Server = NoThread -> TRUE
                        [] t = Server -> op \in {"recv", "replywait"}
                        [] OTHER -> op = "call"

\* The rules, one per step, named for IPC-13 and RuleStep (an Unmap needs a
\* mapped page in the thread's fpage).
SendRule(t, to) == RoleRule(t, "send") /\ st[t].kind = "ready" /\ NotSelf(t, to)
CallRule(t, to) == /\ RoleRule(t, "call") /\ st[t].kind = "ready" /\ NotSelf(t, to)
                   /\ (Server # NoThread => to.slot = Server)
ReceiveRule(t, from) == /\ RoleRule(t, "recv") /\ st[t].kind = "ready" /\ from # Id(t)
                        /\ (t = Server => from = Any /\ callers[t] = {})
ReplyWaitRule(t, to) == RoleRule(t, "replywait") /\ st[t].kind = "ready" /\ NotSelf(t, to)
SignalRule(t, to) == RoleRule(t, "signal") /\ st[t].kind = "ready" /\ NotSelf(t, to)
WaitRule(t) == RoleRule(t, "wait") /\ st[t].kind = "ready"
UnmapRule(t, v) == /\ RoleRule(t, "unmap") /\ st[t].kind = "ready"
                   /\ \E p \in FpPages(v) : mappings[home[t]][p] # NoMapping
TimeoutRule(t) == st[t].kind \in {"send", "recv"} /\ st[t].tmo = "finite"
DeleteRule(t) == "delete" \in Ops /\ st[t].kind # "dead"
CreateRule(t) == "create" \in Ops /\ st[t].kind = "dead" /\ ver[t] < MaxVersion
PutRule == "batch" \in Ops /\ issued < NRequests /\ Len(ring) < RingSize
RingRule == "batch" \in Ops /\ bell = "idle" /\ ring # <<>>
DrainRule == "batch" \in Ops /\ bell = "rung"
AnswerRule == "batch" \in Ops /\ bell = "done"

\* IPC-13: each step is enabled exactly when its rule allows it.
CallsAvailable ==
    /\ \A t \in Threads :
          /\ \A to \in AllIds, m \in AllMsgs, tmo \in Timeouts :
                /\ \A c \in Claims :
                      /\ (ENABLED Send(t, to, m, tmo, c)) <=> SendRule(t, to)
                      /\ \A w \in AllWindows : (ENABLED Call(t, to, m, tmo, w, c)) <=> CallRule(t, to)
          /\ \A from \in AllIds \cup {Any}, tmo \in Timeouts, w \in AllWindows :
                (ENABLED Receive(t, from, tmo, w)) <=> ReceiveRule(t, from)
          /\ \A to \in AllIds, m \in AllMsgs, w \in AllWindows : (ENABLED ReplyWait(t, to, m, w)) <=> ReplyWaitRule(t, to)
          /\ \A to \in AllIds, b \in Bits : (ENABLED Signal(t, to, b)) <=> SignalRule(t, to)
          /\ (ENABLED Wait(t)) <=> WaitRule(t)
          /\ \A v \in AllFps, R \in AS!Rights, own \in BOOLEAN : (ENABLED Unmap(t, v, R, own)) <=> UnmapRule(t, v)
          /\ (ENABLED TimeoutFires(t)) <=> TimeoutRule(t)
          /\ (ENABLED ThreadDelete(t)) <=> DeleteRule(t)
          /\ (ENABLED ThreadCreate(t)) <=> CreateRule(t)
    /\ (ENABLED BatchPut) <=> PutRule
    /\ (ENABLED BatchRing) <=> RingRule
    /\ (ENABLED BatchDrain) <=> DrainRule
    /\ (ENABLED BatchAnswer) <=> AnswerRule

(***************************************************************************)
(* IPC-13 is stated of the operators (Send, Call, ...), so it cannot see   *)
(* Next leave a request out: a thread, ID, message, timeout or window it  *)
(* never quantifies over, or arguments passed in the wrong places. The    *)
(* rules are written here as a next-state relation of their own, every    *)
(* step each rule allows over the whole of the constants, and IPC-19      *)
(* checks, in RulesSpec's behaviours, that each of its steps is a step of *)
(* Next (as AS-17 does for AddressSpaces).                                *)
(***************************************************************************)
RuleStep ==
    \/ \E t \in Threads, to \in AllIds, m \in AllMsgs, tmo \in Timeouts, c \in Claims :
          SendRule(t, to) /\ Send(t, to, m, tmo, c)
    \/ \E t \in Threads, to \in AllIds, m \in AllMsgs, tmo \in Timeouts, w \in AllWindows, c \in Claims :
          CallRule(t, to) /\ Call(t, to, m, tmo, w, c)
    \/ \E t \in Threads, from \in AllIds \cup {Any}, tmo \in Timeouts, w \in AllWindows :
          ReceiveRule(t, from) /\ Receive(t, from, tmo, w)
    \/ \E t \in Threads, to \in AllIds, m \in AllMsgs, w \in AllWindows : ReplyWaitRule(t, to) /\ ReplyWait(t, to, m, w)
    \/ \E t \in Threads : TimeoutRule(t) /\ TimeoutFires(t)
    \/ \E t \in Threads : DeleteRule(t) /\ ThreadDelete(t)
    \/ \E t \in Threads : CreateRule(t) /\ ThreadCreate(t)
    \/ \E t \in Threads, to \in AllIds, b \in Bits : SignalRule(t, to) /\ Signal(t, to, b)
    \/ \E t \in Threads : WaitRule(t) /\ Wait(t)
    \/ PutRule /\ BatchPut
    \/ RingRule /\ BatchRing
    \/ DrainRule /\ BatchDrain
    \/ AnswerRule /\ BatchAnswer
    \/ \E t \in Threads, v \in AllFps, R \in AS!Rights, own \in BOOLEAN : UnmapRule(t, v) /\ Unmap(t, v, R, own)

RulesSpec == Init /\ [][RuleStep]_vars

\* IPC-19: checked of RulesSpec, every step the rules allow is a step of Next.
NextServesEveryCall == [][Next]_vars
=============================================================================
