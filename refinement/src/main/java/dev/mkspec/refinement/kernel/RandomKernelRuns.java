package dev.mkspec.refinement.kernel;

import dev.mkspec.kernel.Fpage;
import dev.mkspec.kernel.Kernel;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.Layout;
import dev.mkspec.kernel.Message;
import dev.mkspec.kernel.SpaceId;
import dev.mkspec.kernel.Syscall;
import dev.mkspec.kernel.SyscallResult;
import dev.mkspec.kernel.ThreadId;
import dev.mkspec.kernel.ThreadState;
import dev.mkspec.kernel.Timeout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random system calls from several threads in several spaces, hostile arguments included (stale
 * and invented thread and space IDs, unaligned fpages, kernel addresses, rights the caller lacks,
 * windows that cannot hold an item), driven through a {@link ForwardSimulation}, so that every
 * call is checked against the address-space model and the hardware against the abstraction.
 *
 * <p>Arguments that would succeed stay inside the bounds (Sigma0 lends only the bounded frames,
 * windows and fpages lie in the user window, rights within Perms): the abstraction has no image
 * for a kernel state outside them. Arguments that must fail go anywhere.
 *
 * <p>Set-up is itself checked: Sigma0's thread creates the bounds' user spaces one by one, after
 * which the kernel must stand for the model's initial state.
 */
public final class RandomKernelRuns {
    /**
     * How a run ended.
     *
     * @param calls the calls made (set-up included)
     * @param modelSteps the model steps they stood for
     * @param actions the model steps by kind ({@link ForwardSimulation#actionCounts})
     * @param trace the calls, numbered
     * @param failure the refinement failure, or null
     */
    public record Outcome(long seed, int calls, int modelSteps, java.util.Map<String, Integer> actions,
            List<String> trace, RefinementFailure failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    private final KernelConfig config;
    private final KernelBounds bounds;
    private final java.util.function.Function<Kernel, List<String>> alsoCheck;

    public RandomKernelRuns(KernelConfig config, KernelBounds bounds) {
        this(config, bounds, k -> List.of());
    }

    /**
     * Runs that also apply {@code alsoCheck} after every call (the kernel's own invariants, say):
     * a run whose {@code alsoCheck} finds something ends there, with a failure whose check is
     * {@code also}. Tests use it to show that a bug only refinement catches passes the others.
     */
    public RandomKernelRuns(KernelConfig config, KernelBounds bounds, java.util.function.Function<Kernel, List<String>> alsoCheck) {
        this.config = withBoundedPool(config, bounds);
        this.bounds = bounds;
        this.alsoCheck = alsoCheck;
    }

    /**
     * {@code config} with a mapping-database pool of exactly the nodes a run inside {@code bounds}
     * can hold at once: those the kernel has at boot (Sigma0's roots, one per frame, the bounded
     * ones among them), one per page of every user space in the bounds (the model's other nodes),
     * and on the Mach path one per frame the pager can lend for a message buffer. A kernel that
     * loses nodes then runs out within a long enough run, and the model step it cannot take is a
     * refinement failure (a crash: "the mapping database is full"); the kernel's own bookkeeping
     * (K-1) is not consulted.
     */
    public static KernelConfig withBoundedPool(KernelConfig config, KernelBounds bounds) {
        int boot = new Kernel(config.withNodePool(Layout.MAX_NODES)).nodeCount();
        int lent = config.design().ipc() == dev.mkspec.kernel.KernelDesign.Ipc.MACH ? KernelBounds.FIRST_BOUNDED_FRAME : 0;
        return config.withNodePool(Math.min(Layout.MAX_NODES, boot + (bounds.spaces() - 1) * bounds.pages() + lent));
    }

    /**
     * A recorded run for trace validation: the state after set-up, and every later call that
     * changed the abstract state with the model actions its arguments stand for.
     *
     * @param start the state after set-up (the model's initial state)
     * @param calls the calls that changed something, in order
     */
    public record Recorded(dev.mkspec.model.addressspaces.AddressSpacesState start, List<ForwardSimulation.Call> calls) {
    }

    /**
     * One run recorded for trace validation, nothing compared with the Java model.
     *
     * @throws RefinementFailure if the kernel leaves the bounds, its hardware disagrees with the
     *     abstraction, or a message goes where no request sent it
     */
    public Recorded trace(long seed, int steps) {
        Kernel k = new Kernel(config);
        ForwardSimulation sim = ForwardSimulation.recording(k, bounds);
        Driver d = new Driver(sim, new Random(seed));
        int setUp = d.setUp();
        d.steps(steps);
        List<ForwardSimulation.Call> changed = new ArrayList<>();
        dev.mkspec.model.addressspaces.AddressSpacesState at = sim.history().get(setUp);
        List<ForwardSimulation.Call> all = sim.calls();
        for (int i = setUp; i < all.size(); i++) {
            if (!all.get(i).state().equals(at)) {
                changed.add(all.get(i));
                at = all.get(i).state();
            }
        }
        return new Recorded(sim.history().get(setUp), changed);
    }

    /**
     * One run judged by the kernel's own invariants alone (K-1..K-7 after every call, and K-8, which
     * the CPU raises when the kernel touches an unmapped address); nothing is abstracted. A
     * failure's check is the ID of the first invariant broken.
     */
    public Outcome runInvariants(long seed, int steps) {
        Kernel k = new Kernel(config);
        ForwardSimulation sim = ForwardSimulation.driving(k, bounds);
        Driver d = new Driver(sim, new Random(seed));
        try {
            d.setUp();
            for (int i = 0; i < steps; i++) {
                if (!d.step()) {
                    break;
                }
                List<String> v = dev.mkspec.kernel.KernelInvariants.check(k);
                if (!v.isEmpty()) {
                    throw new RefinementFailure(v.get(0).replaceFirst(":.*", ""),
                            String.join("\n  ", v).replaceFirst("^K-\\d+: ", ""), sim.trace());
                }
            }
            return new Outcome(seed, sim.steps(), 0, java.util.Map.of(), sim.trace(), null);
        } catch (IllegalStateException e) {
            String id = e.getMessage() != null && e.getMessage().startsWith("K-") ? e.getMessage().replaceFirst("[ :].*", "")
                    : "crash";
            return new Outcome(seed, sim.steps(), 0, java.util.Map.of(), sim.trace(),
                    new RefinementFailure(id, String.valueOf(e.getMessage()).replaceFirst("^K-\\d+ ?:? ?", ""), sim.trace()));
        } catch (RefinementFailure f) {
            return new Outcome(seed, sim.steps(), 0, java.util.Map.of(), sim.trace(), f);
        }
    }

    /** One run of {@code steps} random actions from {@code seed}. */
    public Outcome run(long seed, int steps) {
        Kernel k = new Kernel(config);
        ForwardSimulation sim;
        try {
            sim = new ForwardSimulation(k, bounds);
        } catch (RefinementFailure f) {
            return new Outcome(seed, 0, 0, java.util.Map.of(), f.trace(), f);
        }
        try {
            new Driver(sim, new Random(seed)).run(steps);
            return new Outcome(seed, sim.steps(), sim.modelSteps(), sim.actionCounts(), sim.trace(), null);
        } catch (RefinementFailure f) {
            return new Outcome(seed, sim.steps(), sim.modelSteps(), sim.actionCounts(), f.trace(), f);
        } catch (RuntimeException e) {
            // the kernel itself failed (a null pointer in a corrupt queue, say): a finding, not a driver error
            return new Outcome(seed, sim.steps(), sim.modelSteps(), sim.actionCounts(), sim.trace(),
                    new RefinementFailure("crash", "the kernel threw " + e, sim.trace()));
        }
    }

    /**
     * On the Mach path every message travels through the threads' message buffers, so the pager
     * lends each new thread one (from Sigma0's frames below the bounded ones: outside the
     * abstraction). L4's register messages need none.
     */
    static void equip(Kernel k, ThreadId t) {
        if (k.config().design().ipc() != dev.mkspec.kernel.KernelDesign.Ipc.MACH) {
            return;
        }
        SpaceId s = k.spaceOf(t);
        long buffer = Layout.messageBuffer(t.number());
        if (s != null && k.mapping(s, buffer) == null) {
            if (k.sigma0FramesHandedOut() >= KernelBounds.FIRST_BOUNDED_FRAME) {
                throw new IllegalStateException("the pager has lent all " + KernelBounds.FIRST_BOUNDED_FRAME
                        + " frames below the bounded ones; shorten the run");
            }
            k.sigma0Map(s, buffer, 1, dev.mkspec.kernel.Rights.R | dev.mkspec.kernel.Rights.W);
        }
    }

    private final class Driver {
        private final ForwardSimulation sim;
        private final Kernel k;
        private final Random rnd;
        private final List<ThreadId> known = new ArrayList<>();
        private final List<SpaceId> spaces = new ArrayList<>();

        Driver(ForwardSimulation sim, Random rnd) {
            this.sim = sim;
            this.k = sim.kernel();
            this.rnd = rnd;
        }

        void run(int steps) {
            setUp();
            steps(steps);
        }

        /** Sigma0 creates the bounds' spaces; returns the number of calls that took. */
        int setUp() {
            ThreadId root = k.sigma0Thread();
            equip(k, root);
            known.add(root);
            for (int i = 1; i < bounds.spaces(); i++) {
                remember(sim.syscall(root, new Syscall.CreateSpace()));
            }
            if (sim.state() != null && !sim.model().initialStates().contains(sim.state())) {
                throw new IllegalStateException("after set-up the kernel should stand for the model's initial state, not "
                        + sim.model().render(sim.state()));
            }
            return bounds.spaces() - 1;
        }

        /** One random action of a runnable thread; false when no thread can run. */
        boolean step() {
            List<ThreadId> runnable = k.runnableThreads();
            if (runnable.isEmpty()) {
                return false;
            }
            act(runnable.get(rnd.nextInt(runnable.size())));
            return true;
        }

        void steps(int steps) {
            for (int step = 0; step < steps; step++) {
                if (!step()) {
                    return;
                }
                List<String> also = alsoCheck.apply(k);
                if (!also.isEmpty()) {
                    throw new RefinementFailure("also", String.join("\n  ", also), sim.trace());
                }
            }
        }

        private void remember(SyscallResult r) {
            if (r != null && r.ok() && r.from() != null && !r.from().equals(ThreadId.NIL) && r.msg() == null) {
                equip(k, r.from());
                known.add(r.from());
                if (r.space() != null) {
                    spaces.add(r.space());
                }
            }
        }

        private void act(ThreadId t) {
            SpaceId mine = k.spaceOf(t);
            int roll = rnd.nextInt(100);
            Syscall call;
            if (mine.number() == 0) {
                // Sigma0's thread is the pager: it mostly lends pages, and never blocks, so runs go on.
                if (roll < 50) {
                    call = new Syscall.Send(anyId(), message(mine), Timeout.ZERO);
                } else if (roll < 60) {
                    call = new Syscall.Unmap(fpage(mine, 1 + rnd.nextInt(7)));
                } else if (roll < 65) {
                    call = new Syscall.Flush(fpage(mine, 1 + rnd.nextInt(7)));
                } else if (roll < 75) {
                    call = spaceCall();
                } else if (roll < 93) {
                    call = threadCall();
                } else {
                    call = otherCall(mine);
                }
            } else if (roll < 25) {
                call = new Syscall.Receive(rnd.nextInt(3) != 0 ? ThreadId.ANY : anyId(),
                        rnd.nextInt(4) != 0 ? Timeout.INFINITE : Timeout.ZERO, 0, 0, window());
            } else if (roll < 45) {
                call = new Syscall.Send(anyId(), message(mine), rnd.nextInt(4) == 0 ? Timeout.INFINITE : Timeout.ZERO);
            } else if (roll < 52) {
                call = new Syscall.Call(anyId(), message(mine), 0, 0, window());
            } else if (roll < 59) {
                call = new Syscall.ReplyWait(rnd.nextInt(4) == 0 ? ThreadId.NIL : anyId(), message(mine), 0, 0, window());
            } else if (roll < 65) {
                call = new Syscall.Flush(fpage(mine, 1 + rnd.nextInt(7)));
            } else if (roll < 71) {
                call = new Syscall.Unmap(fpage(mine, 1 + rnd.nextInt(7)));
            } else if (roll >= 75 && k.config().design() == dev.mkspec.kernel.KernelDesign.VST && rnd.nextInt(4) != 0) {
                vstAct(t, mine); // a fifth of a vst run's steps: far calls, loads, accesses, Vst edits
                return;
            } else if (roll < 75) {
                call = spaceCall();
            } else if (roll < 79) {
                call = threadCall();
            } else if (roll < 84) {
                call = otherCall(mine);
            } else {
                List<Integer> mapped = mappedPages(mine);
                int p = !mapped.isEmpty() && rnd.nextBoolean() ? mapped.get(rnd.nextInt(mapped.size()))
                        : rnd.nextInt(bounds.pages());
                sim.touch(t, bounds.userAddress(p) + rnd.nextInt(4096), rnd.nextBoolean());
                return;
            }
            remember(sim.syscall(t, call));
        }

        private final List<Integer> segments = new ArrayList<>();

        /**
         * vst: the hardware and set-up actions around far calls, none of them a model step (the
         * address-space model does not see segments): the space makes a segment (at most four a run)
         * and gives it to a domain's selector, or the kernel revokes a selector; the thread far-calls,
         * returns, loads its data register or accesses through it. Selectors 1 and 2 in every domain,
         * and mostly the thread's own, so that a load and a revocation of the same entry meet.
         */
        private void vstAct(ThreadId t, SpaceId mine) {
            int sel = 1 + rnd.nextInt(2);
            switch (rnd.nextInt(8)) {
                case 0, 1 -> {
                    if (segments.size() < 4 && rnd.nextBoolean()) {
                        int pages = 1 + rnd.nextInt(2);
                        sim.outside(null, mine + " makes a segment of " + pages + " pages", () -> {
                            segments.add(k.vstSegment(mine, pages));
                            return "global " + segments.get(segments.size() - 1);
                        });
                    }
                    if (!segments.isEmpty()) {
                        int rights = new int[] {dev.mkspec.hw.VstMmu.R, dev.mkspec.hw.VstMmu.R | dev.mkspec.hw.VstMmu.W,
                            dev.mkspec.hw.VstMmu.CALL, dev.mkspec.hw.VstMmu.R | dev.mkspec.hw.VstMmu.X
                                    | dev.mkspec.hw.VstMmu.CALL}[rnd.nextInt(4)];
                        int seg = segments.get(rnd.nextInt(segments.size()));
                        SpaceId to = rnd.nextInt(4) != 0 ? mine : anySpace();
                        if (mine.equals(k.segmentOwner(seg)) && k.spaces().contains(to)) {
                            sim.outside(null, "the kernel gives " + to + "'s selector " + sel + " global segment " + seg
                                    + " with rights " + rights, () -> {
                                        k.vstGrant(to, sel, seg, rights);
                                        return null;
                                    });
                        }
                    }
                }
                case 6 -> {
                    SpaceId from = rnd.nextInt(4) != 0 ? mine : anySpace();
                    sim.outside(null, "the kernel revokes " + from + "'s selector " + sel, () -> {
                        k.vstRevoke(from, sel);
                        return null;
                    });
                }
                case 2, 3 -> sim.outside(t, "far call or return through selector " + sel, () -> {
                    if (k.inFarCall(t)) {
                        k.farReturn(t);
                        return "returned";
                    }
                    return k.farCall(t, sel) ? "in " + k.domainOf(t) : "#GP";
                });
                case 4, 5 -> {
                    int s = rnd.nextInt(4) == 0 ? 0 : sel;
                    sim.outside(t, "loads its data segment through selector " + s, () -> k.segmentLoad(t, s) ? "ok" : "#GP");
                }
                default -> {
                    long off = rnd.nextInt(2) * 4096L + rnd.nextInt(4096);
                    boolean write = rnd.nextBoolean();
                    sim.outside(t, (write ? "writes" : "reads") + " its data segment at " + Long.toHexString(off),
                            () -> k.segmentAccess(t, off, 8, write) ? "ok" : "fault");
                }
            }
        }

        private Syscall spaceCall() {
            boolean free = k.spaces().size() < bounds.spaces();
            return free && rnd.nextBoolean() ? new Syscall.CreateSpace() : new Syscall.DeleteSpace(anySpace());
        }

        private Syscall threadCall() {
            return rnd.nextBoolean() && k.threads().size() < 2 * bounds.spaces() + 2
                    ? new Syscall.CreateThread(anySpace()) : new Syscall.DeleteThread(anyId());
        }

        private Syscall otherCall(SpaceId mine) {
            return switch (rnd.nextInt(3)) {
                case 0 -> new Syscall.Signal(anyId(), 1L << rnd.nextInt(2));
                case 1 -> mine.number() == 0 ? new Syscall.Null() : new Syscall.Wait(1L << rnd.nextInt(2));
                default -> new Syscall.Null();
            };
        }

        /**
         * Half the time a thread that waits in a receive (so that sends meet a partner), else a
         * live thread, else (one time in five) a stale, dead or invented ID.
         */
        private ThreadId anyId() {
            List<ThreadId> live = k.threads();
            List<ThreadId> receiving = new ArrayList<>();
            for (ThreadId r : live) {
                if (k.state(r) == ThreadState.RECEIVING) {
                    receiving.add(r);
                }
            }
            int roll = rnd.nextInt(10);
            if (roll < 5 && !receiving.isEmpty()) {
                return receiving.get(rnd.nextInt(receiving.size()));
            }
            if (roll < 8) {
                return live.get(rnd.nextInt(live.size()));
            }
            ThreadId t = known.get(rnd.nextInt(known.size()));
            return switch (rnd.nextInt(4)) {
                case 0 -> new ThreadId(t.number(), t.version() + 1);
                case 1 -> new ThreadId(rnd.nextInt(8), rnd.nextInt(3));
                case 2 -> t.version() > 0 ? new ThreadId(t.number(), t.version() - 1) : t;
                default -> t;
            };
        }

        private SpaceId anySpace() {
            if (spaces.isEmpty() || rnd.nextInt(8) == 0) {
                return new SpaceId(rnd.nextInt(bounds.spaces() + 1), rnd.nextInt(3));
            }
            SpaceId s = spaces.get(rnd.nextInt(spaces.size()));
            return rnd.nextInt(6) == 0 ? new SpaceId(s.number(), s.version() + 1) : s;
        }

        private Timeout timeout() {
            return rnd.nextBoolean() ? Timeout.INFINITE : Timeout.ZERO;
        }

        /** Rights within Perms, non-empty; now and then more than Perms (which the caller must lack). */
        private int rights(boolean hostile) {
            if (hostile) {
                return 1 + rnd.nextInt(7);
            }
            List<Integer> subsets = dev.mkspec.model.addressspaces.Rights.nonEmptySubsets(bounds.perms());
            return subsets.get(rnd.nextInt(subsets.size()));
        }

        /** A page of the caller's own in the bounds (Sigma0: one of the bounded frames). */
        private long ownPage(SpaceId s, int p) {
            return s.number() == 0 ? k.sigma0Address(bounds.sigma0First() + p) : bounds.userAddress(p);
        }

        private long hostileAddress() {
            return switch (rnd.nextInt(3)) {
                case 0 -> Layout.of(k.profile().paging()).kernelBase() + rnd.nextInt(4) * 4096L;
                case 1 -> bounds.userAddress(rnd.nextInt(bounds.pages())) + 1 + rnd.nextInt(4095);
                default -> -4096L;
            };
        }

        private Fpage fpage(SpaceId s, int rightsForRevoke) {
            if (rnd.nextInt(10) == 0) {
                return new Fpage(hostileAddress(), rnd.nextInt(2), rightsForRevoke);
            }
            int order = bounds.pages() >= 2 && s.number() != 0 && rnd.nextInt(4) == 0 ? 1 : 0;
            int p = rnd.nextInt(bounds.pages() >> order) << order;
            List<Integer> mapped = mappedPages(s);
            if (order == 0 && !mapped.isEmpty() && rnd.nextInt(4) != 0) {
                p = mapped.get(rnd.nextInt(mapped.size()));
            }
            return new Fpage(ownPage(s, p), order, rightsForRevoke);
        }

        /** The window pages space {@code s} maps (for Sigma0, every bounded page). */
        private List<Integer> mappedPages(SpaceId s) {
            List<Integer> out = new ArrayList<>();
            for (int p = 0; p < bounds.pages(); p++) {
                if (s.number() == 0 || k.mapping(s, bounds.userAddress(p)) != null) {
                    out.add(p);
                }
            }
            return out;
        }

        private Message message(SpaceId s) {
            Message m = Message.of(rnd.nextInt(100));
            if (rnd.nextInt(3) != 0) {
                boolean grant = s.number() != 0 && rnd.nextInt(3) == 0;
                boolean hostile = s.number() != 0 && rnd.nextInt(6) == 0;
                Fpage f = fpage(s, rights(hostile));
                long[] held = s.number() == 0 ? null : k.mapping(s, f.base());
                if (!hostile && held != null && f.order() == 0) {
                    // rights the sender holds, so that the item goes through
                    List<Integer> subsets = dev.mkspec.model.addressspaces.Rights.nonEmptySubsets((int) held[1]);
                    f = new Fpage(f.base(), 0, subsets.get(rnd.nextInt(subsets.size())));
                }
                // a send base anywhere in the bounds: only its offset within the larger of item
                // and window counts (Ipc.tla's Meet)
                m = m.withItem(f, grant, rnd.nextInt(2) == 0 ? 0 : bounds.userAddress(rnd.nextInt(bounds.pages())));
            }
            return m;
        }

        /** A receive window in the bounds (maybe smaller than an item), none, or a bad one. */
        private Fpage window() {
            return switch (rnd.nextInt(8)) {
                case 0 -> null;
                case 1 -> new Fpage(hostileAddress(), 0, 0);
                default -> {
                    int order = bounds.pages() >= 2 && rnd.nextInt(3) == 0 ? 1 : 0;
                    int p = rnd.nextInt(bounds.pages() >> order) << order;
                    yield new Fpage(bounds.userAddress(p), order, 0);
                }
            };
        }
    }
}
