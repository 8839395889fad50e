package dev.mkspec.refinement.kernel;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.Probe;
import dev.mkspec.kernel.Fpage;
import dev.mkspec.kernel.Kernel;
import dev.mkspec.kernel.KernelBug;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.kernel.Message;
import dev.mkspec.kernel.Rights;
import dev.mkspec.kernel.SpaceId;
import dev.mkspec.kernel.Syscall;
import dev.mkspec.kernel.SyscallResult;
import dev.mkspec.kernel.ThreadId;
import dev.mkspec.kernel.Timeout;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import dev.mkspec.model.addressspaces.AddressSpacesModel;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tla.TlaValueParser;
import dev.mkspec.specs.tlc.TlcRunner;
import dev.mkspec.specs.tlc.TraceValidator;
import dev.mkspec.specs.trace.Trace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * TLC trace validation of the kernel on several CPUs against {@code FlushShootdown.tla}: the
 * mapping database and the TLBs together. Where {@link TlbRefinement} lets only Sigma0's pager map
 * (every frame has one owner) and a thread flush its own pages, here user spaces map and grant to
 * each other by IPC on any CPU, so a flush revokes pages derived into other spaces, and its IPIs
 * must reach the CPUs that may cache those spaces, not only the caller's (the kernel bug
 * {@link KernelBug#SHOOTDOWN_CALLER_ONLY}, and the spec's {@code ipi_caller_only}).
 *
 * <p>The run: Sigma0's thread creates the cfg's spaces and threads in every space (Sigma0's
 * too) on some of the CPUs: Sigma0's on the first and maybe others, the first user space's on one
 * (drawn per run), the other user spaces' on all. Every run opens with a revocation across spaces
 * and CPUs ({@link Run#prologue}), then draws its steps at random. Each step is one of:
 * <ul>
 *   <li>a thread's null call (CPU c switches to its space: {@code SpaceSwitch(c, s)});</li>
 *   <li>a user read of a bounded page by the thread CPU c runs: {@code TlbFill(c, v)} if the TLB
 *       filled, else the bare label {@code TlbFill} (a stutter or any step of {@code Next}; the
 *       pinned state decides), since whether it fills depends on what the TLB holds;</li>
 *   <li>a map or grant by IPC: a thread of the destination opens a one-page window in a receive
 *       on some CPU, and a thread of the source on CPU c sends it the page with some rights
 *       ({@code OpMap(c, v, dst, w, R)}, {@code OpGrant});</li>
 *   <li>a flush or unmap of a page by CPU c's thread of some space ({@code OpFlush},
 *       {@code OpUnmap});</li>
 *   <li>Sigma0's thread deleting a user space no CPU has loaded ({@code OpDelete}), or creating a
 *       deleted one again in its slot ({@code OpCreate});</li>
 *   <li>a step boundary of a CPU ({@code ShootdownAck(d)}, or for the initiator once every
 *       acknowledgement is in the bare {@code ShootdownFinish}, which has no arguments to name).</li>
 * </ul>
 * A call that loads another space on a CPU (the caller's, or the next thread's when the caller
 * blocks, or the receiver's when a send hands it the CPU) stands for the {@code SpaceSwitch}es that
 * the loaded spaces show, before and after the operation; only the state after the whole call is
 * compared. An entry a TLB lost during a step is evicted first ({@code TlbEvict}), which the spec
 * allows at any moment. TLC also checks the cfg's invariants ({@code TLB-18}) in every state.
 *
 * <p>The abstraction: {@code live}, {@code mappings} and {@code mdb} are {@link KernelAbstraction}'s;
 * {@code tlb[c]} holds, for every space slot and bounded page, the entries CPU c's data TLBs (the
 * dTLB and the STLB; instruction fetches are not simulated here) keep under the slot's PCID (the
 * frame, and the rights {@code r}, or {@code r} and {@code w}, by the entry's write bit);
 * {@code running[c]} is the space whose tables CPU c's CR3 holds ({@code Idle} before its first);
 * {@code mayCache} is the kernel's CPU sets; {@code pending} is the kernel's shootdown in progress
 * (its pages as model nodes, the CPUs whose IPI is still waiting, and the CPU it runs on). Mapping rights are kept to
 * what a PTE can say: items give {@code r} and {@code w}, or {@code r} alone, and flushes take
 * {@code w}, or {@code r} and {@code w}, so that no mapping is left writable and not readable.
 */
public final class FlushShootdownTraces {
    /** The ITF file each validated run is written to, in its directory. */
    public static final String ITF = TraceValidation.ITF;
    /** The variables of FlushShootdown.tla, in its order. */
    static final List<String> VARS = List.of("live", "mappings", "mdb", "tlb", "running", "mayCache", "pending");

    /** The kinds of step a passing run set must reach. */
    public static final List<String> REACHES = List.of("SpaceSwitch", "TlbFill", "OpMap from Sigma0",
            "OpMap between user spaces", "OpGrant", "OpFlush", "OpUnmap", "OpDelete", "OpCreate", "ShootdownAck",
            "ShootdownFinish", "a shootdown with IPIs beyond the caller's CPUs",
            "OpDelete of a space whose pages were derived into others");

    private final AddressSpacesConstants constants;
    private final List<String> cpus;
    private final String idle;
    private final String noOp;
    private final CpuProfile profile;
    private final KernelBug bug;

    /** A recorded run: the trace, the pinned flag of each state, and how often each kind of step was taken. */
    public record Recorded(Trace trace, List<Boolean> pinned, Map<String, Integer> counts, List<String> steps) {
    }

    /**
     * @param constants the address-space constants of the cfg (FpageOrder 0, Perms within r and w)
     * @param cpus the cfg's CPUs, in the order of the kernel's CPUs
     * @param idle the cfg's Idle
     * @param noOp the cfg's NoOp
     */
    public FlushShootdownTraces(AddressSpacesConstants constants, List<String> cpus, String idle, String noOp,
            CpuProfile profile, KernelBug bug) {
        if (!profile.pcid()) {
            throw new IllegalArgumentException("the spec's TLB entries carry their space (a tag per space): the profile needs "
                    + "PCIDs, and " + profile.name() + " has none");
        }
        if ((constants.allRights() & ~(Rights.R | Rights.W)) != 0 || (constants.allRights() & Rights.R) == 0) {
            throw new IllegalArgumentException("Perms must hold \"r\" (and may hold \"w\"): a PTE cannot say more, and a "
                    + "TLB entry is always readable");
        }
        if (cpus.size() < 2) {
            throw new IllegalArgumentException("CPUs has " + cpus.size() + " member(s); a shootdown needs two");
        }
        KernelBounds.of(constants); // FpageOrder 0 and the slot count, with its messages
        this.constants = constants;
        this.cpus = List.copyOf(cpus);
        this.idle = idle;
        this.noOp = noOp;
        this.profile = profile;
        this.bug = bug;
    }

    /**
     * A random run of {@code steps} steps from {@code seed}, recorded as a trace of FlushShootdown's
     * variables.
     *
     * @throws RefinementFailure if the kernel throws, refuses a call the run needs, or leaves the
     *     abstraction's bounds (what the kernel did wrong); any other exception is the harness's
     */
    public Recorded trace(long seed, int steps) {
        Run r = new Run(new Random(seed));
        try {
            r.prologue();
            for (int i = 0; i < steps; i++) {
                r.randomStep();
            }
        } catch (KernelAbstraction.OutOfBounds e) {
            throw new RefinementFailure("bounds", "the kernel left the abstraction's bounds: " + e.getMessage(), r.steps);
        }
        return new Recorded(r.trace.build(), List.copyOf(r.pinned), Map.copyOf(r.counts), List.copyOf(r.steps));
    }

    /**
     * Records the run of {@code seed} into {@code dir} as {@value #ITF} and has TLC judge it
     * against {@code FlushShootdown.tla} (in {@code specFolder}, with AddressSpaces in
     * {@code library}) with the constants of {@code cfg}, its INVARIANTS holding in every state.
     */
    public TraceValidator.Verdict check(TlcRunner tlc, Path specFolder, List<Path> library, Path dir, CfgFile cfg,
            Recorded run, Duration timeout) {
        TraceValidation.writeItf(dir, run.trace(), run.pinned());
        // The spec's invariants (TLB-18) must hold in every state of the run too: they are
        // model-checked only at the fast cfgs' bounds, and this cfg's are larger.
        return new TraceValidator(tlc).validate(run.trace(), run.pinned(), specFolder.resolve("FlushShootdown.tla"), cfg,
                "Init", "Next", dir, timeout, library, cfg.invariants());
    }

    /** One kernel and its recording. */
    private final class Run {
        private final Random rnd;
        private final Kernel k;
        private final KernelAbstraction abs;
        private final AddressSpacesModel model;
        private final SpaceId[] spaces;
        private final ThreadId[][] threads;
        private final Trace.Builder trace = Trace.builder("mkspec kernel", "the kernel on " + cpus.size()
                + " CPUs, FlushShootdown's variables", "recorded").vars(VARS);
        private final List<Boolean> pinned = new ArrayList<>();
        private final Map<String, Integer> counts = new TreeMap<>();
        private final List<String> steps = new ArrayList<>();
        /** The space each CPU's CR3 held after the last recorded step (-1: none yet). */
        private final int[] loaded;
        /** The CPUs each space has a thread on (a bit each). */
        private final int[] homes;
        /** Each slot's PCID, fixed per slot: a deleted space's entries are read by it until they are shot down. */
        private final int[] pcid;
        /** Whether each user space is deleted (and not yet created again). */
        private final boolean[] dead;
        /**
         * The deletion in progress, a history variable: the space and the pages it mapped when it
         * started. The kernel drops the space's whole PCID on every CPU it shoots down; the spec
         * names the pages the deletion removed.
         */
        private int deleting = -1;
        private final List<Integer> deletingPages = new ArrayList<>();

        Run(Random rnd) {
            this.rnd = rnd;
            KernelBounds bounds = KernelBounds.of(constants);
            this.abs = new KernelAbstraction(bounds);
            this.model = new AddressSpacesModel(constants.withBug(dev.mkspec.model.addressspaces.Bug.NONE)
                    .withSymmetry(false));
            this.k = new Kernel(KernelConfig.of(profile, KernelDesign.L4).withPcid(true).withCpus(cpus.size()).withBug(bug));
            int n = constants.spaceCount();
            this.spaces = new SpaceId[n];
            this.threads = new ThreadId[n][cpus.size()];
            ThreadId root = k.sigma0Thread();
            spaces[0] = k.sigma0Space();
            threads[0][0] = root;
            List<ThreadId> firsts = new ArrayList<>();
            for (int s = 1; s < n; s++) {
                SyscallResult r = must(root, new Syscall.CreateSpace());
                spaces[s] = r.space();
                firsts.add(r.from());
            }
            // Each space runs on some of the CPUs, drawn per run (Sigma0 on the first one and maybe
            // more): a space whose CPUs are not all its derived spaces' is what makes a flush
            // send IPIs beyond the caller's own CPUs.
            this.homes = new int[n];
            for (int s = 0; s < n; s++) {
                int all = (1 << cpus.size()) - 1;
                // The first user space runs on one CPU and the others on all: its flushes of
                // what it derived into them must reach CPUs it never ran on.
                homes[s] = s == 0 ? 1 | (rnd.nextInt(1 << cpus.size()) & all)
                        : s == 1 ? 1 << rnd.nextInt(cpus.size()) : all;
                if (s > 0) {
                    threads[s][Integer.numberOfTrailingZeros(homes[s])] = firsts.get(s - 1);
                }
                for (int c = 0; c < cpus.size(); c++) {
                    if ((homes[s] & (1 << c)) != 0 && threads[s][c] == null) {
                        threads[s][c] = must(root, new Syscall.CreateThread(spaces[s])).from();
                    }
                }
                for (int c = 0; c < cpus.size(); c++) {
                    if (threads[s][c] != null && !threads[s][c].equals(root)) {
                        k.setProcessor(threads[s][c], c);
                    }
                }
            }
            this.loaded = new int[cpus.size()];
            java.util.Arrays.fill(loaded, -1);
            this.pcid = new int[n];
            for (int s = 0; s < n; s++) {
                pcid[s] = k.tagOf(spaces[s]);
            }
            this.dead = new boolean[n];
            // The spec's initial state: every space live, Sigma0 holding every frame, no CPU
            // running anything yet. The kernel's set-up ran Sigma0's thread on the first CPU.
            Map<String, TlaValue> init = new LinkedHashMap<>();
            model.render(model.initialStates().get(0)).forEach((x, v) -> init.put(x, TlaValueParser.parse(v)));
            StringBuilder tlbs = new StringBuilder("(");
            StringBuilder idles = new StringBuilder("(");
            for (int c = 0; c < cpus.size(); c++) {
                tlbs.append(c == 0 ? "" : " @@ ").append(cpus.get(c)).append(" :> {}");
                idles.append(c == 0 ? "" : " @@ ").append(cpus.get(c)).append(" :> ").append(idle);
            }
            init.put("tlb", TlaValueParser.parse(tlbs + ")"));
            init.put("running", TlaValueParser.parse(idles + ")"));
            StringBuilder none = new StringBuilder("(");
            for (int s = 0; s < n; s++) {
                none.append(s == 0 ? "" : " @@ ").append(constants.spaceName(s)).append(" :> {}");
            }
            init.put("mayCache", TlaValueParser.parse(none + ")"));
            init.put("pending", TlaValueParser.parse(noOp));
            trace.step("Init", Optional.empty(), init);
            pinned.add(true);
            steps.add("set-up: Sigma0 creates " + constants.spaces() + " and a thread per CPU in each space");
            List<String> labels = new ArrayList<>();
            for (int c = 0; c < cpus.size(); c++) {
                int now = loadedIndex(c);
                if (now >= 0) {
                    labels.add(switchLabel(c, now));
                    loaded[c] = now;
                }
            }
            record(List.of(), labels);
        }

        private SyscallResult must(ThreadId t, Syscall call) {
            SyscallResult r = k.syscall(t, call);
            if (r == null || !r.ok()) {
                throw new IllegalStateException("set-up: " + call + " gave " + r);
            }
            return r;
        }

        /**
         * What every run starts with, the case this check is for: Sigma0 maps page 0 to the
         * first user space, which runs on one CPU only and maps it on to the second space's thread
         * on another CPU; that thread reads it, and the first space then flushes or unmaps it. The
         * shootdown must send an IPI to a CPU the caller's space never ran on.
         */
        void prologue() {
            if (constants.spaceCount() < 3) {
                return;
            }
            int a = Integer.numberOfTrailingZeros(homes[1]);
            int b = (a + 1) % cpus.size();
            transferTo(home(0), 0, 0, 1, a, 0, constants.allRights(), false);
            transferTo(a, 1, 0, 2, b, 0, constants.allRights(), false);
            switchTo(b, 2);
            access(b, 0);
            revoke(a, 1, 0, rnd.nextBoolean());
            for (int round = 0; k.shootdownPending(); round++) {
                if (round == 10) {
                    throw new RefinementFailure("step", "the opening flush's shootdown did not finish after 10 rounds of"
                            + " step boundaries on every CPU", steps);
                }
                for (int c = 0; c < cpus.size(); c++) {
                    step(c);
                }
            }
        }

        void randomStep() {
            int s = rnd.nextInt(constants.spaceCount());
            int c = home(s);
            int v = page(s);
            if (k.shootdownPending()) {
                c = rnd.nextInt(cpus.size());
                if (rnd.nextInt(3) == 0) {
                    access(c, v);
                } else {
                    step(c);
                }
                return;
            }
            // Deletions are rare: each takes away what the maps built.
            switch (rnd.nextInt(19)) {
                case 0, 1 -> switchTo(c, s);
                case 2, 3, 4, 5 -> access(c, v);
                case 6, 7, 8, 9 -> transfer(c, s, v, false);
                case 10, 11 -> transfer(c, s, v, true);
                case 12, 13 -> revoke(c, s, v, false);
                case 14, 15 -> revoke(c, s, v, true);
                case 16 -> deleteOrCreate(home(0), s);
                default -> step(c);
            }
        }

        /**
         * Sigma0's thread on CPU {@code c} creates a deleted user space again in its slot, or
         * else deletes user space {@code s} (Sigma0 created it). Before a deletion, every CPU that has
         * s loaded switches to another of its spaces (the spec deletes only a space no CPU runs);
         * where a CPU has no other, nothing happens.
         */
        void deleteOrCreate(int c, int s) {
            if (!runnable(threads[0][c])) {
                return;
            }
            for (int t = 1; t < spaces.length; t++) {
                if (dead[t]) {
                    // a deleted space comes back before another goes
                    create(c, t);
                    return;
                }
            }
            if (s == 0) {
                return;
            }
            for (int d = 0; d < cpus.size(); d++) {
                if (loaded[d] == s) {
                    int other = -1;
                    for (int t = 0; t < spaces.length && other < 0; t++) {
                        if (t != s && !dead[t] && threads[t][d] != null && runnable(threads[t][d])) {
                            other = t;
                        }
                    }
                    if (other < 0) {
                        return;
                    }
                    switchTo(d, other);
                    if (k.shootdownPending()) {
                        return;
                    }
                }
            }
            steps.add("CPU " + c + ": Sigma0's thread deletes " + constants.spaceName(s));
            deletingPages.clear();
            AddressSpacesState as = abs.alpha(k);
            int pages = constants.pages();
            boolean derivedElsewhere = false;
            for (int p = 0; p < pages; p++) {
                if (as.mapped(s * pages + p)) {
                    deletingPages.add(p);
                }
                for (int child = 0; child < spaces.length * pages; child++) {
                    derivedElsewhere |= child / pages != s && as.hasEdge(child, s * pages + p);
                }
            }
            if (derivedElsewhere) {
                counts.merge("OpDelete of a space whose pages were derived into others", 1, Integer::sum);
            }
            deleting = s;
            dead[s] = true;
            int[] before = cpuSets();
            SyscallResult r = call(c, 0, threads[0][c], new Syscall.DeleteSpace(spaces[s]),
                    List.of("OpDelete(" + cpus.get(c) + ", " + constants.spaceName(s) + ")"));
            if (r != null && !r.ok()) {
                throw refused("Sigma0 could not delete " + spaces[s], r);
            }
            counts.merge("OpDelete", 1, Integer::sum);
            noteWideShootdown(s, before);
            for (int d = 0; d < cpus.size(); d++) {
                threads[s][d] = null;
            }
        }

        /** Sigma0's thread on CPU {@code c} creates space {@code s} again in its slot, with threads on its CPUs. */
        private void create(int c, int s) {
            steps.add("CPU " + c + ": Sigma0's thread creates " + constants.spaceName(s) + " again");
            List<String> labels = List.of("OpCreate(" + constants.spaceName(s) + ")");
            SyscallResult r = call(c, 0, threads[0][c], new Syscall.CreateSpace(spaces[s].number()), labels);
            if (r == null || !r.ok()) {
                throw refused("Sigma0 could not create " + constants.spaceName(s) + " again", r);
            }
            spaces[s] = r.space();
            if (k.tagOf(spaces[s]) != pcid[s]) {
                throw new RefinementFailure("bounds", "the space created again in slot " + spaces[s].number() + " has PCID "
                        + k.tagOf(spaces[s]) + ", not its slot's " + pcid[s], steps);
            }
            dead[s] = false;
            counts.merge("OpCreate", 1, Integer::sum);
            List<TreeSet<String>> before = tlbs();
            for (int d = 0; d < cpus.size(); d++) {
                if ((homes[s] & (1 << d)) != 0) {
                    if (d == Integer.numberOfTrailingZeros(homes[s])) {
                        threads[s][d] = r.from();
                    } else {
                        SyscallResult t = kernel(() -> k.syscall(threads[0][c], new Syscall.CreateThread(spaces[s])));
                        if (t == null || !t.ok()) {
                            throw refused("Sigma0 could not create a thread in " + constants.spaceName(s), t);
                        }
                        threads[s][d] = t.from();
                    }
                    int cpu = d;
                    kernel(() -> {
                        k.setProcessor(threads[s][cpu], cpu);
                        return null;
                    });
                }
            }
            // The new threads are nothing the spec sees: no change may follow.
            record(before, List.of("FALSE"));
        }

        /** CPU {@code c} runs space {@code s}'s thread there: a null call. */
        void switchTo(int c, int s) {
            ThreadId t = threads[s][c];
            if (!runnable(t)) {
                return;
            }
            steps.add("CPU " + c + ": " + constants.spaceName(s) + "'s thread makes a null call");
            call(c, s, t, new Syscall.Null(), List.of());
        }

        /** The thread CPU {@code c} runs reads page {@code v} of its space. */
        void access(int c, int v) {
            ThreadId t = k.current(c);
            Kernel.ShootdownView sd = k.shootdown();
            if (t == null || (sd != null && sd.initiator() == c)) {
                return;
            }
            int s = k.spaceOf(t).number();
            steps.add("CPU " + c + ": " + constants.spaceName(s) + "'s thread reads page " + v);
            List<TreeSet<String>> before = tlbs();
            kernel(() -> k.userAccess(t, abs.address(k, s, v), 1, false));
            // The hardware's step: a fill of this page (labelled with its arguments), or nothing
            // if the TLB had an entry for it (a bare label: a stutter, or any step of Next, which
            // the pinned state then decides).
            List<TreeSet<String>> after = tlbs();
            boolean filled = !before.get(c).containsAll(after.get(c));
            record(before, List.of(filled ? "TlbFill(" + cpus.get(c) + ", " + v + ")" : "TlbFill"));
            counts.merge("TlbFill", 1, Integer::sum);
        }

        /**
         * Page {@code v} of space {@code src} moves by IPC to a user space: a thread of the
         * destination opens a one-page window in a receive on some CPU, then CPU {@code c}'s
         * thread of {@code src} sends the page with some rights (a grant if {@code grant}).
         */
        void transfer(int c, int src, int v, boolean grant) {
            int dst = 1 + rnd.nextInt(constants.spaceCount() - 1);
            if (dst == src && constants.spaceCount() > 2 && rnd.nextBoolean()) {
                // mostly to another space: derivation across spaces is what this run is for
                dst = 1 + (dst % (constants.spaceCount() - 1));
            }
            transferTo(c, src, v, dst, home(dst), rnd.nextInt(constants.pages()), rights(), grant);
        }

        /**
         * Page {@code v} of {@code src} goes by IPC from its thread on CPU {@code c} to page
         * {@code w} of {@code dst}, whose thread on CPU {@code d} receives it, with {@code rights}.
         */
        void transferTo(int c, int src, int v, int dst, int d, int w, int rights, boolean grant) {
            ThreadId sender = threads[src][c];
            ThreadId receiver = threads[dst][d];
            if (grant && src == 0 || !runnable(sender) || !runnable(receiver) || sender.equals(receiver)) {
                return;
            }
            steps.add("CPU " + d + ": " + constants.spaceName(dst) + "'s thread receives with a window at page " + w);
            SyscallResult got = call(d, dst, receiver, new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0,
                    new Fpage(abs.address(k, dst, w), 0, 0)), List.of());
            if (got != null || !runnable(sender)) {
                // It did not wait: nothing to send to.
                return;
            }
            Message m = Message.of(1).withItem(new Fpage(abs.address(k, src, v), 0, rights), grant, 0);
            String op = grant ? "OpGrant" : "OpMap";
            steps.add("CPU " + c + ": " + constants.spaceName(src) + "'s thread " + (grant ? "grants" : "maps") + " page " + v
                    + " to " + constants.spaceName(dst) + "'s page " + w + " with rights "
                    + dev.mkspec.model.addressspaces.Rights.toTla(rights));
            String label = op + "(" + cpus.get(c) + ", " + v + ", " + constants.spaceName(dst) + ", " + w + ", "
                    + dev.mkspec.model.addressspaces.Rights.toTla(rights & constants.allRights()) + ")";
            int[] before = cpuSets();
            call(c, src, sender, new Syscall.Send(receiver, m, Timeout.ZERO), List.of(label));
            counts.merge(grant ? "OpGrant" : src == 0 ? "OpMap from Sigma0" : "OpMap between user spaces", 1, Integer::sum);
            noteWideShootdown(src, before);
        }

        /** CPU {@code c}'s thread of space {@code s} flushes (or unmaps) page {@code v}. */
        void revoke(int c, int s, int v, boolean unmap) {
            ThreadId t = threads[s][c];
            if (!runnable(t)) {
                return;
            }
            int rights = rnd.nextBoolean() ? Rights.R | Rights.W : Rights.W;
            rights &= constants.allRights();
            if (rights == 0) {
                rights = constants.allRights();
            }
            String op = unmap ? "OpUnmap" : "OpFlush";
            steps.add("CPU " + c + ": " + constants.spaceName(s) + "'s thread " + (unmap ? "unmaps" : "flushes") + " "
                    + dev.mkspec.model.addressspaces.Rights.toTla(rights) + " of page " + v);
            Fpage f = new Fpage(abs.address(k, s, v), 0, rights);
            int[] before = cpuSets();
            call(c, s, t, unmap ? new Syscall.Unmap(f) : new Syscall.Flush(f),
                    List.of(op + "(" + cpus.get(c) + ", " + v + ", " + dev.mkspec.model.addressspaces.Rights.toTla(rights) + ")"));
            counts.merge(op, 1, Integer::sum);
            noteWideShootdown(s, before);
        }

        /** A page of space {@code s}: mostly one it maps, so that maps and flushes have something to move. */
        private int page(int s) {
            List<Integer> mapped = new ArrayList<>();
            if (!dead[s]) {
                for (int p = 0; p < constants.pages(); p++) {
                    if (k.mapping(spaces[s], abs.address(k, s, p)) != null) {
                        mapped.add(p);
                    }
                }
            }
            return !mapped.isEmpty() && rnd.nextInt(4) != 0 ? mapped.get(rnd.nextInt(mapped.size()))
                    : rnd.nextInt(constants.pages());
        }

        /** One of the CPUs space {@code s} has a thread on. */
        private int home(int s) {
            int pick = rnd.nextInt(Integer.bitCount(homes[s]));
            int h = homes[s];
            for (int i = 0; i < pick; i++) {
                h &= h - 1;
            }
            return Integer.numberOfTrailingZeros(h);
        }

        /** A shootdown just started that sends an IPI to a CPU outside the caller's space's CPU set. */
        private void noteWideShootdown(int callerSpace, int[] before) {
            Kernel.ShootdownView sd = k.shootdown();
            if (sd != null && (sd.waiting() & ~before[callerSpace]) != 0) {
                counts.merge("a shootdown with IPIs beyond the caller's CPUs", 1, Integer::sum);
            }
        }

        private int[] cpuSets() {
            int[] out = new int[spaces.length];
            for (int s = 0; s < spaces.length; s++) {
                out[s] = (int) k.cpusCaching(spaces[s]);
            }
            return out;
        }

        /** Item rights: r and w, or r alone where Perms has both (a PTE says nothing finer). */
        private int rights() {
            int all = constants.allRights();
            return all == (Rights.R | Rights.W) && rnd.nextInt(3) == 0 ? Rights.R : all;
        }

        /** CPU {@code c} reaches a step boundary: it takes its IPI, or finishes its shootdown. */
        void step(int c) {
            Kernel.ShootdownView sd = k.shootdown();
            boolean finishing = sd != null && sd.initiator() == c && sd.waiting() == 0;
            steps.add("CPU " + c + " reaches a step boundary");
            List<TreeSet<String>> before = tlbs();
            Kernel.CpuStep did = kernel(() -> k.step(c));
            record(before, List.of(finishing ? "ShootdownFinish" : "ShootdownAck(" + cpus.get(c) + ")"));
            if (did == Kernel.CpuStep.ACKNOWLEDGED) {
                counts.merge("ShootdownAck", 1, Integer::sum);
            } else if (did == Kernel.CpuStep.FINISHED) {
                counts.merge("ShootdownFinish", 1, Integer::sum);
            }
        }

        /** A kernel operation; what it throws is the kernel's failure, reported with the steps so far. */
        private <T> T kernel(java.util.function.Supplier<T> op) {
            try {
                return op.get();
            } catch (KernelAbstraction.OutOfBounds | RefinementFailure e) {
                throw e;
            } catch (RuntimeException e) {
                throw new RefinementFailure("crash", "the kernel threw " + e, steps);
            }
        }

        /** The kernel refused or failed a call the run needs. */
        private RefinementFailure refused(String what, SyscallResult r) {
            return new RefinementFailure("step", what + ": " + r, steps);
        }

        private boolean runnable(ThreadId t) {
            if (t == null) {
                return false;
            }
            dev.mkspec.kernel.ThreadState st = k.state(t);
            return st == dev.mkspec.kernel.ThreadState.RUNNING || st == dev.mkspec.kernel.ThreadState.READY;
        }

        /**
         * Thread {@code t} of space {@code s} on CPU {@code c} makes {@code call}, which stands for
         * {@code ops}: a switch to {@code s} first if c ran another space, then the operations,
         * then a switch for every CPU whose loaded space the call changed otherwise.
         */
        private SyscallResult call(int c, int s, ThreadId t, Syscall call, List<String> ops) {
            List<String> labels = new ArrayList<>();
            if (loaded[c] != s) {
                labels.add(switchLabel(c, s));
                counts.merge("SpaceSwitch", 1, Integer::sum);
                loaded[c] = s;
            }
            labels.addAll(ops);
            List<TreeSet<String>> before = tlbs();
            SyscallResult r = kernel(() -> k.syscall(t, call));
            for (int x = 0; x < cpus.size(); x++) {
                int now = loadedIndex(x);
                if (now != loaded[x] && now >= 0) {
                    labels.add(switchLabel(x, now));
                    counts.merge("SpaceSwitch", 1, Integer::sum);
                    loaded[x] = now;
                }
            }
            if (labels.isEmpty()) {
                // A null call on the CPU's own space: a stutter, which SpaceSwitch(c, s) is here.
                labels.add(switchLabel(c, s));
            }
            record(before, labels);
            return r;
        }

        private String switchLabel(int c, int s) {
            return "SpaceSwitch(" + cpus.get(c) + ", " + constants.spaceName(s) + ")";
        }

        private int loadedIndex(int c) {
            SpaceId l = k.loadedSpace(c);
            if (l == null) {
                return -1;
            }
            for (int s = 0; s < spaces.length; s++) {
                if (spaces[s].equals(l)) {
                    return s;
                }
            }
            throw new IllegalStateException("CPU " + c + " has " + l + " loaded, which is none of the run's spaces");
        }

        /**
         * The kernel's state as the last of {@code labels} leaves it; the states between are not
         * compared. An entry that a TLB held {@code before} and holds no more is evicted first
         * ({@code TlbEvict}, which the spec allows at any moment): the kernel drops more than the
         * spec's operations do (a re-map that extends rights invalidates the page on its CPU), and
         * dropping an entry never lets a CPU reach what it should not. Entries that an operation
         * must remove and does not stay, and fail the step.
         */
        private void record(List<TreeSet<String>> before, List<String> labels) {
            List<String> all = new ArrayList<>();
            List<TreeSet<String>> after = tlbs();
            for (int c = 0; c < before.size(); c++) {
                for (String e : before.get(c)) {
                    if (!after.get(c).contains(e)) {
                        all.add("TlbEvict(" + cpus.get(c) + ", " + e + ")");
                    }
                }
            }
            all.addAll(labels);
            Map<String, TlaValue> now = alpha();
            for (int i = 0; i < all.size(); i++) {
                trace.step(all.get(i), Optional.empty(), now);
                pinned.add(i == all.size() - 1);
            }
        }

        /** Each CPU's TLB entries of the bounded pages, as the spec's records. */
        private List<TreeSet<String>> tlbs() {
            long[] frames = abs.frames(k);
            Map<Long, Integer> frameIndex = new HashMap<>();
            for (int f = 0; f < frames.length; f++) {
                frameIndex.put(frames[f], f);
            }
            boolean hasW = (constants.allRights() & Rights.W) != 0;
            List<TreeSet<String>> out = new ArrayList<>();
            for (int c = 0; c < cpus.size(); c++) {
                TreeSet<String> entries = new TreeSet<>();
                for (int s = 0; s < spaces.length; s++) {
                    int tag = pcid[s];
                    for (int p = 0; p < constants.pages(); p++) {
                        for (Probe e : k.tlbEntries(c, abs.address(k, s, p), tag)) {
                            Integer f = frameIndex.get(e.frame());
                            if (f == null) {
                                throw new IllegalStateException("CPU " + c + " caches page " + p + " of "
                                        + constants.spaceName(s) + " at frame " + Long.toHexString(e.frame())
                                        + ", which is none of the bounded frames");
                            }
                            entries.add("[space |-> " + constants.spaceName(s) + ", vp |-> " + p + ", frame |-> " + f
                                    + ", rights |-> " + (e.writable() && hasW ? "{\"r\", \"w\"}" : "{\"r\"}") + "]");
                        }
                    }
                }
                out.add(entries);
            }
            return out;
        }

        /** FlushShootdown's variables for the kernel's present state. */
        private Map<String, TlaValue> alpha() {
            Map<String, TlaValue> out = new LinkedHashMap<>();
            AddressSpacesState as = abs.alpha(k);
            model.render(as).forEach((x, v) -> out.put(x, TlaValueParser.parse(v)));
            StringBuilder tlb = new StringBuilder("(");
            StringBuilder running = new StringBuilder("(");
            List<TreeSet<String>> tlbs = tlbs();
            for (int c = 0; c < cpus.size(); c++) {
                TreeSet<String> entries = tlbs.get(c);
                tlb.append(c == 0 ? "" : " @@ ").append(cpus.get(c)).append(" :> {").append(String.join(", ", entries))
                        .append('}');
                int l = loadedIndex(c);
                running.append(c == 0 ? "" : " @@ ").append(cpus.get(c)).append(" :> ")
                        .append(l < 0 ? idle : constants.spaceName(l));
            }
            out.put("tlb", TlaValueParser.parse(tlb + ")"));
            out.put("running", TlaValueParser.parse(running + ")"));
            StringBuilder may = new StringBuilder("(");
            for (int s = 0; s < spaces.length; s++) {
                may.append(s == 0 ? "" : " @@ ").append(constants.spaceName(s)).append(" :> ")
                        .append(cpuSet(k.cpusCaching(spaces[s])));
            }
            out.put("mayCache", TlaValueParser.parse(may + ")"));
            Kernel.ShootdownView sd = k.shootdown();
            if (sd == null) {
                deleting = -1;
                out.put("pending", TlaValueParser.parse(noOp));
            } else {
                TreeSet<String> nodes = new TreeSet<>();
                for (SpaceId gone : sd.deletedSpaces()) {
                    if (deleting < 0 || gone.number() != spaces[deleting].number()) {
                        throw new IllegalStateException("the shootdown deletes " + gone + ", which the run did not delete");
                    }
                    for (int p : deletingPages) {
                        nodes.add("<<" + constants.spaceName(deleting) + ", " + p + ">>");
                    }
                }
                for (Kernel.ShootdownPage pg : sd.pages()) {
                    int s = indexOf(pg.space());
                    int p = abs.page(k, s, pg.vaddr());
                    if (p < 0) {
                        throw new IllegalStateException("the shootdown covers " + Long.toHexString(pg.vaddr()) + " of "
                                + pg.space() + ", outside the bounds");
                    }
                    nodes.add("<<" + constants.spaceName(s) + ", " + p + ">>");
                }
                out.put("pending", TlaValueParser.parse("[pages |-> {" + String.join(", ", nodes) + "}, waiting |-> "
                        + cpuSet(sd.waiting()) + ", by |-> " + cpus.get(sd.initiator()) + "]"));
            }
            return out;
        }

        private int indexOf(SpaceId id) {
            for (int s = 0; s < spaces.length; s++) {
                if (spaces[s].equals(id)) {
                    return s;
                }
            }
            throw new IllegalStateException(id + " is none of the run's spaces");
        }

        private String cpuSet(long bits) {
            List<String> in = new ArrayList<>();
            for (int c = 0; c < cpus.size(); c++) {
                if ((bits & (1L << c)) != 0) {
                    in.add(cpus.get(c));
                }
            }
            return "{" + String.join(", ", in) + "}";
        }
    }
}
