package dev.mkspec.refinement.kernel;

import dev.mkspec.check.Action;
import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.Probe;
import dev.mkspec.hw.Pte;
import dev.mkspec.kernel.Fpage;
import dev.mkspec.kernel.Kernel;
import dev.mkspec.kernel.KernelBug;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.kernel.Layout;
import dev.mkspec.kernel.Rights;
import dev.mkspec.kernel.SpaceId;
import dev.mkspec.kernel.Syscall;
import dev.mkspec.kernel.SyscallResult;
import dev.mkspec.kernel.ThreadId;
import dev.mkspec.kernel.Timeout;
import dev.mkspec.model.tlb.TlbBug;
import dev.mkspec.model.tlb.TlbConstants;
import dev.mkspec.model.tlb.TlbModel;
import dev.mkspec.model.tlb.TlbState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Forward simulation of the kernel on several CPUs by {@code Tlb.tla}'s Java model: the TLBs of
 * the real kernel's CPUs, its page tables and its shootdowns, seen through {@link #alpha}, move
 * only as the model allows, one kernel step at a time.
 *
 * <p>The run: Sigma0's thread creates the cfg's spaces and, in each, one thread per CPU
 * ({@link Kernel#setProcessor}), then parks. Each step is one of
 * <ul>
 *   <li>a context switch: the thread of space s on CPU c makes a null call (model:
 *       {@code SpaceSwitch(c, s)} when c ran another space);</li>
 *   <li>a user read or write of page v by CPU c's running thread ({@code TlbFill(c, v)} when it
 *       walked);</li>
 *   <li>Sigma0's pager maps frame f at page v of s, writable or not
 *       ({@code PageMap(s, v, f, w)});</li>
 *   <li>CPU c's thread flushes an fpage F of one or more pages with all rights ({@code PageUnmap(c, s, F)}) or with the
 *       write right only ({@code PageDowngrade(c, s, F)}), one round of IPIs for all its pages;</li>
 *   <li>{@link Kernel#step} of a CPU: it takes its IPI ({@code ShootdownAck(d)}), or, as the
 *       initiator with every acknowledgement in, finishes ({@code ShootdownFinish});</li>
 *   <li>with {@code Deletions = TRUE}: Sigma0's pager on CPU c deletes space s
 *       ({@code SpaceDelete(c, s)}); CPUs running s leave it when they take the IPI, and once the
 *       deletion is over the pager creates s again, unused.</li>
 * </ul>
 * Every label is built from the step's own arguments. After each step, the abstraction must be
 * the labelled model step's successor of the abstraction before (or the same state when the model
 * does not enable the action), followed by any number of {@code TlbEvict}s (the hardware may evict
 * at any time), and, for an operation that needed no IPI, the {@code ShootdownFinish} the kernel
 * does at once.
 *
 * <p>The abstraction: page v of abstract space s is the user page {@link #BASE} + v pages; frame f
 * is Sigma0's page f; {@code pt} is read from the page tables, {@code tlb} from every CPU's TLBs,
 * {@code mayCache} from the kernel's CPU sets, the shootdown from {@link Kernel#shootdown}. Two
 * things are history (ghost) variables of the run, since the kernel has no such state: ASIDs,
 * since the kernel's PCIDs are fixed per space slot (an abstract space gets, at its first switch,
 * the lowest ASID no space holds, which is what the model's allocation gives when no rollover is
 * needed; constants with fewer ASIDs than spaces are refused), and which user space a CPU last ran
 * (the kernel runs Sigma0 after set-up only for a pager's deletion, during which the CPU runs the
 * same user space in the model; checked). A deletion adds a third: the deleted space's entries,
 * CPU set and ASID as the abstraction stood before it, which the kernel forgets at once and the
 * model keeps until the shootdown finishes; the TLB entries themselves are read from the hardware
 * by the slot's PCID. Untagged constants run the kernel on the profile with PCIDs off, so that
 * every CR3 write flushes; deletions there are refused (the pager's switch would flush).
 */
public final class TlbRefinement {
    /** The kinds of step a passing run set must reach (evictions and rollovers are the hardware's and the model's, not the kernel's to choose). */
    public static final List<String> REACHES = List.of("SpaceSwitch", "TlbFill", "PageMap", "PageUnmap", "PageDowngrade",
            "ShootdownAck", "ShootdownFinish", "stutter");

    /**
     * The kinds of step a passing run set on {@code constants} must reach: {@link #REACHES}, and
     * with more than one page, unmaps and downgrades of fpages of several pages (one round of IPIs
     * for them all).
     */
    public static List<String> reaches(TlbConstants constants) {
        List<String> out = new ArrayList<>(REACHES);
        if (constants.pages() >= 2) {
            out.add("PageUnmap of several pages");
            out.add("PageDowngrade of several pages");
        }
        if (constants.deletions()) {
            out.add("SpaceDelete");
            out.add("ShootdownAck leaving a deleted space");
        }
        return List.copyOf(out);
    }

    /** The first user page of the abstraction. */
    public static final long BASE = Layout.USER_DATA;

    /** What a run did: its steps, the model steps they stood for by name, and the failure, if any. */
    public record Result(int steps, int modelSteps, Map<String, Integer> counts, RefinementFailure failure) {
    }

    private final TlbConstants k;
    private final TlbModel model;
    private final Kernel kernel;
    private final SpaceId[] spaces;
    private final ThreadId[][] threads;
    private final long[] sigma0Page;
    private final Map<Long, Integer> frameIndex = new HashMap<>();
    private final int[] rank;
    private final int[] lastUser;
    /** Each space slot's PCID (fixed per slot), read while the space lives: its TLB entries are read by it even once it is deleted. */
    private final int[] pcid;
    /** With deletions: Sigma0's thread on each CPU that deletes and re-creates spaces there (the spaces' owner). */
    private final ThreadId[] pagers;
    /**
     * The deletion in progress, a history variable: the space, the page-table entries it had and
     * the CPUs the kernel recorded as caching it, as the abstraction stood before the deletion. The
     * kernel forgets a deleted space at once (its tables are emptied, its ID retired); the model
     * keeps its CPU set and its draining frames until the shootdown finishes.
     */
    private Deleting deleting;
    private final List<String> trace = new ArrayList<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private TlbState state;
    private int modelSteps;

    private record Deleting(int space, int[] pt, int mayCache, int asid) {
    }

    /** Why {@code k} cannot be realised by the kernel, or null. */
    public static String unrealisable(TlbConstants k) {
        if (k.deletions() && !k.tagged()) {
            return "Deletions = TRUE with Tagged = FALSE: the kernel deletes a space from Sigma0's thread, and switching an "
                    + "untagged CPU to it flushes its TLB and takes it out of the user space's CPU set, which no model step does";
        }
        if (k.tagged() && k.asids() < k.spaceCount()) {
            return "NAsids = " + k.asids() + " < " + k.spaceCount() + " spaces: the kernel's PCIDs are fixed per space, so it never "
                    + "rolls ASIDs over; give at least one ASID per space";
        }
        if (k.bug() != TlbBug.NONE) {
            return "the cfg selects the model bug " + k.bug() + "; refinement is checked against the correct model";
        }
        return null;
    }

    /** A kernel on {@code profile} with {@code bug}, set up for {@code constants}. */
    public TlbRefinement(TlbConstants constants, CpuProfile profile, KernelBug bug) {
        String why = unrealisable(constants);
        if (why != null) {
            throw new IllegalArgumentException("these constants cannot be realised by the kernel: " + why);
        }
        this.k = constants;
        this.model = new TlbModel(constants);
        if (k.tagged() && !profile.pcid()) {
            throw new IllegalArgumentException("Tagged = TRUE needs a profile with PCIDs; " + profile.name() + " has none");
        }
        // Untagged constants run the kernel with PCIDs off: every CR3 write flushes the TLB.
        this.kernel = new Kernel(KernelConfig.of(profile, KernelDesign.L4).withPcid(k.tagged()).withCpus(k.cpuCount())
                .withBug(bug));
        this.spaces = new SpaceId[k.spaceCount()];
        this.threads = new ThreadId[k.spaceCount()][k.cpuCount()];
        ThreadId root = kernel.sigma0Thread();
        for (int s = 0; s < spaces.length; s++) {
            SyscallResult r = must(root, new Syscall.CreateSpace());
            spaces[s] = r.space();
            threads[s][0] = r.from();
            for (int c = 1; c < k.cpuCount(); c++) {
                threads[s][c] = must(root, new Syscall.CreateThread(spaces[s])).from();
            }
            for (int c = 0; c < k.cpuCount(); c++) {
                kernel.setProcessor(threads[s][c], c);
            }
        }
        this.pcid = new int[k.spaceCount()];
        for (int s = 0; s < spaces.length; s++) {
            pcid[s] = kernel.tagOf(spaces[s]);
        }
        this.pagers = new ThreadId[k.cpuCount()];
        if (k.deletions()) {
            // Created last, so that each CPU's ready queue holds them behind the spaces' threads.
            for (int c = 0; c < k.cpuCount(); c++) {
                pagers[c] = must(root, new Syscall.CreateThread(kernel.sigma0Space())).from();
                kernel.setProcessor(pagers[c], c);
            }
        }
        this.sigma0Page = new long[k.frames()];
        for (int f = 0; f < sigma0Page.length; f++) {
            sigma0Page[f] = kernel.sigma0Address(f);
            frameIndex.put(kernel.mapping(kernel.sigma0Space(), sigma0Page[f])[0], f);
        }
        kernel.sigma0Map(kernel.sigma0Space(), Layout.messageBuffer(root.number()), 1, Rights.R | Rights.W);
        this.rank = new int[k.spaceCount()];
        this.lastUser = new int[k.cpuCount()];
        java.util.Arrays.fill(lastUser, -1);
        this.state = alpha();
        List<TlbState> init = model.initialStates();
        if (!init.contains(state)) {
            throw new IllegalStateException("set-up: the kernel's initial abstraction is not the model's initial state: "
                    + model.render(state));
        }
        // Sigma0's thread parks in an open receive; CPU 0 runs its next ready thread, the first
        // space's: the run's first step, a switch like any other.
        judge("Sigma0's thread parks; CPU 0 runs " + k.spaces().get(0) + "'s thread",
                Action.of("SpaceSwitch", k.cpus().get(0), k.spaces().get(0)), () -> {
                    if (kernel.syscall(root, new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, null)) != null
                            || !threads[0][0].equals(kernel.current(0))) {
                        throw new IllegalStateException("set-up: Sigma0's thread did not hand CPU 0 to " + threads[0][0]);
                    }
                    switched(0, 0);
                });
        counts.clear();
    }

    /** The ghost variables follow CPU {@code c}'s switch to space {@code s}. */
    private void switched(int c, int s) {
        if (lastUser[c] != s) {
            if (rank[s] == 0) {
                // The model hands out the lowest free ASID; with deletions a freed one comes back.
                int a = 1;
                while (taken(a)) {
                    a++;
                }
                rank[s] = a;
            }
            lastUser[c] = s;
        }
    }

    private boolean taken(int a) {
        for (int r : rank) {
            if (r == a) {
                return true;
            }
        }
        return false;
    }

    private SyscallResult must(ThreadId t, Syscall call) {
        SyscallResult r = kernel.syscall(t, call);
        if (r == null || !r.ok()) {
            throw new IllegalStateException("set-up: " + call + " gave " + r);
        }
        return r;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The abstract state now. */
    public TlbState state() {
        return state;
    }

    /** The abstraction of the kernel's present state. */
    public TlbState alpha() {
        int pages = k.pages();
        int[] pt = new int[k.spaceCount() * pages];
        int[] owner = new int[k.frames()];
        java.util.Arrays.fill(owner, -1);
        Kernel.ShootdownView sd = kernel.shootdown();
        TlbState.Shootdown shootdown = null;
        if (sd != null && !sd.deletedSpaces().isEmpty()) {
            if (deleting == null || sd.deletedSpaces().size() != 1 || !sd.pages().isEmpty()
                    || sd.deletedSpaces().get(0).number() != spaces[deleting.space()].number()) {
                throw fail("bounds", "the shootdown in progress deletes " + sd.deletedSpaces() + " and covers " + sd.pages().size()
                        + " pages; the model deletes one space, the one the run asked to delete, and nothing else");
            }
            int s = deleting.space();
            int shot = 0;
            List<Integer> old = new ArrayList<>();
            for (int v = 0; v < pages; v++) {
                int pte = deleting.pt()[v];
                old.add(pte);
                if (pte != TlbState.NONE) {
                    shot |= 1 << v;
                    owner[pte >> 1] = s;
                }
            }
            shootdown = new TlbState.Shootdown(sd.initiator(), s, shot, old, deleting.asid(), true, true, (int) sd.waiting());
        } else if (sd != null) {
            if (sd.pages().isEmpty()) {
                throw fail("bounds", "the shootdown in progress covers " + sd.pages().size() + " pages and "
                        + sd.deletedSpaces().size() + " deleted spaces; the model shoots down pages of one space");
            }
            int s = spaceIndex(sd.pages().get(0).space());
            boolean unmap = sd.pages().get(0).unmap();
            int shot = 0;
            List<Integer> old = new ArrayList<>(java.util.Collections.nCopies(pages, TlbState.NONE));
            for (Kernel.ShootdownPage p : sd.pages()) {
                if (spaceIndex(p.space()) != s || p.unmap() != unmap) {
                    throw fail("bounds", "the shootdown in progress mixes spaces or kinds (" + sd.pages()
                            + "); the model shoots down the pages of one space, all unmapped or all downgraded");
                }
                int v = pageIndex(p.vaddr());
                int f = frame(p.frame());
                shot |= 1 << v;
                old.set(v, f << 1 | (p.writable() ? 1 : 0));
                if (unmap) {
                    owner[f] = s;
                }
            }
            shootdown = new TlbState.Shootdown(sd.initiator(), s, shot, old, k.tagged() ? rank[s] : 0, unmap, false,
                    (int) sd.waiting());
        }
        for (int s = 0; s < spaces.length; s++) {
            for (int v = 0; v < pages; v++) {
                long[] es = kernel.ptes(spaces[s], BASE + ((long) v << Fpage.PAGE_SHIFT));
                long e = es.length == 0 ? 0 : es[0]; // a deleted space has no tables
                if ((e & Pte.P) == 0) {
                    pt[s * pages + v] = -1;
                    continue;
                }
                int f = frame((e & kernel.profile().paging().addressMask()) >>> Fpage.PAGE_SHIFT);
                pt[s * pages + v] = f << 1 | ((e & Pte.RW) != 0 ? 1 : 0);
                if (owner[f] != -1 && owner[f] != s) {
                    throw fail("bounds", "frame " + f + " is held by two spaces; the model gives a frame one owner");
                }
                owner[f] = s;
            }
        }
        long[] tlb = new long[k.cpuCount()];
        int[] running = new int[k.cpuCount()];
        int[] active = new int[k.cpuCount()];
        for (int c = 0; c < k.cpuCount(); c++) {
            SpaceId loaded = kernel.loadedSpace(c);
            if (loaded != null && kernel.tagOf(loaded) == -1 && !(deleting != null && sd != null
                    && loaded.number() == spaces[deleting.space()].number() && (sd.waiting() & (1L << c)) != 0)) {
                throw fail("step", "CPU " + c + " still has the deleted space " + loaded + " loaded, and no deletion waits for it");
            }
            if (loaded == null && lastUser[c] >= 0) {
                throw fail("step", "CPU " + c + " has no space loaded, but the run has it running " + k.spaces().get(lastUser[c]));
            }
            int now = loaded == null ? -2 : spaceIndexOrMinus(loaded);
            if (now >= 0 && now != lastUser[c]) {
                throw fail("bounds", "CPU " + c + " has " + k.spaces().get(now) + " loaded, but the run switched it to "
                        + (lastUser[c] < 0 ? "nothing" : k.spaces().get(lastUser[c])));
            }
            running[c] = lastUser[c];
            active[c] = lastUser[c] < 0 || !k.tagged() ? 0 : rank[lastUser[c]];
            for (int s = 0; s < spaces.length; s++) {
                if (k.tagged() && rank[s] == 0) {
                    // A slot with no ASID (never run, or deleted): its PCID must tag no entry, or a
                    // deletion left entries behind (the model has none to map them to).
                    for (int v = 0; v < pages; v++) {
                        if (!kernel.tlbEntries(c, BASE + ((long) v << Fpage.PAGE_SHIFT), pcid[s]).isEmpty()) {
                            throw fail("step", "CPU " + c + "'s TLB holds an entry for page " + v + " under the PCID of "
                                    + k.spaces().get(s) + ", which has no ASID (never run, or deleted)");
                        }
                    }
                    continue;
                }
                if (rank[s] == 0 || (!k.tagged() && s != lastUser[c])) {
                    // Untagged: every entry is tag 0 and belongs to the space the CPU runs.
                    continue;
                }
                for (int v = 0; v < pages; v++) {
                    for (Probe e : kernel.tlbEntries(c, BASE + ((long) v << Fpage.PAGE_SHIFT), pcid[s])) {
                        tlb[c] |= 1L << k.entryIndex(k.tagged() ? rank[s] : 0, v, frame(e.frame()), e.writable());
                    }
                }
            }
        }
        int[] mayCache = new int[k.spaceCount()];
        for (int s = 0; s < spaces.length; s++) {
            mayCache[s] = deleting != null && deleting.space() == s ? deleting.mayCache() : (int) kernel.cpusCaching(spaces[s]);
        }
        return TlbState.of(pt, owner, tlb, running, active, k.tagged() ? rank.clone() : new int[k.spaceCount()], mayCache,
                shootdown);
    }

    private int frame(long concrete) {
        Integer f = frameIndex.get(concrete);
        if (f == null) {
            throw fail("bounds", "frame " + Long.toHexString(concrete) + " is not one of Sigma0's first " + k.frames() + " frames");
        }
        return f;
    }

    private int spaceIndexOrMinus(SpaceId id) {
        for (int s = 0; s < spaces.length; s++) {
            if (spaces[s].equals(id)) {
                return s;
            }
        }
        return -1;
    }

    private int spaceIndex(SpaceId id) {
        int s = spaceIndexOrMinus(id);
        if (s < 0) {
            throw fail("bounds", id + " is not one of the run's spaces");
        }
        return s;
    }

    private int pageIndex(long vaddr) {
        long v = (vaddr - BASE) >> Fpage.PAGE_SHIFT;
        if (vaddr < BASE || v >= k.pages()) {
            throw fail("bounds", "page " + Long.toHexString(vaddr) + " is outside the run's " + k.pages() + " pages");
        }
        return (int) v;
    }

    private RefinementFailure fail(String check, String message) {
        return new RefinementFailure(check, message, trace);
    }

    /** A random run of {@code steps} steps from {@code seed}. */
    public static Result run(TlbConstants constants, CpuProfile profile, KernelBug bug, long seed, int steps) {
        TlbRefinement r = new TlbRefinement(constants, profile, bug);
        Random rnd = new Random(seed);
        try {
            for (int i = 0; i < steps; i++) {
                r.randomStep(rnd);
            }
            return new Result(steps, r.modelSteps, Map.copyOf(r.counts), null);
        } catch (RefinementFailure f) {
            return new Result(r.trace.size(), r.modelSteps, Map.copyOf(r.counts), f);
        }
    }

    private void randomStep(Random rnd) {
        int c = rnd.nextInt(k.cpuCount());
        int s = rnd.nextInt(k.spaceCount());
        int v = rnd.nextInt(k.pages());
        if (kernel.shootdownPending()) {
            switch (rnd.nextInt(3)) {
                case 0 -> access(c, v, rnd.nextBoolean());
                default -> step(c);
            }
            return;
        }
        // Deletions draw from one more kind of step; without them the runs are those of before.
        switch (rnd.nextInt(k.deletions() ? 8 : 7)) {
            case 0, 1 -> switchTo(c, s);
            case 2 -> access(c, v, rnd.nextBoolean());
            case 3 -> map(s, v, rnd.nextInt(k.frames()), rnd.nextBoolean());
            case 4 -> flush(c, randomFpage(rnd), Rights.ALL);
            case 5 -> flush(c, randomFpage(rnd), Rights.W);
            case 7 -> delete(c, s);
            default -> step(c);
        }
    }

    /** One of the model's fpages; with one page per space, that page (and no draw). */
    private int randomFpage(Random rnd) {
        List<Integer> fpages = model.fpages();
        return fpages.size() == 1 ? fpages.get(0) : fpages.get(rnd.nextInt(fpages.size()));
    }

    /** CPU {@code c} switches to space {@code s}: its thread there makes a null call. */
    public void switchTo(int c, int s) {
        String what = "CPU " + c + ": " + k.spaces().get(s) + "'s thread makes a null call";
        Action a = Action.of("SpaceSwitch", k.cpus().get(c), k.spaces().get(s));
        judge(what, a, () -> {
            kernel.syscall(threads[s][c], new Syscall.Null());
            switched(c, s);
        });
    }

    /** CPU {@code c}'s running thread reads or writes page {@code v}. */
    public void access(int c, int v, boolean write) {
        ThreadId t = kernel.current(c);
        Kernel.ShootdownView sd = kernel.shootdown();
        if (t == null || lastUser[c] < 0 || (sd != null && sd.initiator() == c)) {
            // no user thread runs (or only a pager, which the abstraction does not see), or it waits in the kernel
            return;
        }
        String what = "CPU " + c + ": user " + (write ? "write" : "read") + " of page " + v;
        judge(what, Action.of("TlbFill", k.cpus().get(c), v),
                () -> kernel.userAccess(t, BASE + ((long) v << Fpage.PAGE_SHIFT), 8, write));
    }

    /** Sigma0's pager maps frame {@code f} at page {@code v} of {@code s}. */
    public void map(int s, int v, int f, boolean w) {
        long va = BASE + ((long) v << Fpage.PAGE_SHIFT);
        if (kernel.mapping(spaces[s], va) != null) {
            return;
        }
        for (int t = 0; t < spaces.length; t++) {
            for (int u = 0; u < k.pages(); u++) {
                long[] m = kernel.mapping(spaces[t], BASE + ((long) u << Fpage.PAGE_SHIFT));
                if (m != null && frameIndex.get(m[0]) == f) {
                    return;
                }
            }
        }
        Kernel.ShootdownView sd = kernel.shootdown();
        if (sd != null) {
            return;
        }
        String what = "Sigma0 maps frame " + f + " at page " + v + " of " + k.spaces().get(s) + (w ? " writable" : " read-only");
        judge(what, Action.of("PageMap", k.spaces().get(s), v, f, w ? "TRUE" : "FALSE"),
                () -> kernel.sigma0MapShared(spaces[s], va, sigma0Page[f], Rights.R | (w ? Rights.W : 0)));
    }

    /**
     * CPU {@code c}'s running thread flushes {@code rights} of the fpage {@code f} (a bit set of
     * pages, one of the model's {@code Fpages}): one system call, one round of IPIs for all its
     * pages. An fpage the bounds cut short is flushed whole; the pages beyond the bounds map
     * nothing.
     */
    public void flush(int c, int f, int rights) {
        ThreadId t = kernel.current(c);
        if (t == null || lastUser[c] < 0) {
            return;
        }
        int s = lastUser[c];
        int first = Integer.numberOfTrailingZeros(f);
        int order = 32 - Integer.numberOfLeadingZeros(Integer.bitCount(f) - 1);
        String what = "CPU " + c + ": " + k.spaces().get(s) + "'s thread flushes " + (rights == Rights.W ? "the write right of " : "")
                + "pages " + TlbModel.fpageTla(f);
        Action a = Action.of(rights == Rights.W ? "PageDowngrade" : "PageUnmap", k.cpus().get(c), k.spaces().get(s),
                TlbModel.fpageTla(f));
        judge(what, a, () -> kernel.syscall(t, new Syscall.Flush(new Fpage(BASE + ((long) first << Fpage.PAGE_SHIFT), order,
                rights))));
    }

    /**
     * Sigma0's pager on CPU {@code c} deletes space {@code s} (Sigma0 created every space and owns
     * it). CPU c leaves the user space it runs for the call, which with PCIDs changes nothing the
     * model sees, and returns to it when the call does. Once the deletion is over, the pager
     * creates the space again in the same slot, with a thread per CPU: a fresh, unused space, as
     * the model's deleted space is.
     */
    public void delete(int c, int s) {
        if (!k.deletions() || lastUser[c] == s || kernel.shootdownPending()) {
            return;
        }
        String what = "CPU " + c + ": Sigma0's pager deletes " + k.spaces().get(s);
        judge(what, Action.of("SpaceDelete", k.cpus().get(c), k.spaces().get(s)), () -> {
            int[] pt = new int[k.pages()];
            for (int v = 0; v < pt.length; v++) {
                pt[v] = state.pte(s * k.pages() + v);
            }
            deleting = new Deleting(s, pt, state.mayCache(s), k.tagged() ? rank[s] : 0);
            SyscallResult r = kernel.syscall(pagers[c], new Syscall.DeleteSpace(spaces[s]));
            if (r != null) {
                if (!r.ok()) {
                    throw fail("step", "Sigma0's pager could not delete " + spaces[s] + ": " + r);
                }
                deleted(c);
            }
        });
    }

    /** The deletion is over (its call returned on CPU {@code c}): re-create the space, and return c to its user space. */
    private void deleted(int c) {
        int s = deleting.space();
        deleting = null;
        rank[s] = 0;
        SyscallResult r = must(pagers[c], new Syscall.CreateSpace(spaces[s].number()));
        spaces[s] = r.space();
        threads[s][0] = r.from();
        for (int d = 1; d < k.cpuCount(); d++) {
            threads[s][d] = must(pagers[c], new Syscall.CreateThread(spaces[s])).from();
        }
        for (int d = 0; d < k.cpuCount(); d++) {
            kernel.setProcessor(threads[s][d], d);
        }
        if (kernel.tagOf(spaces[s]) != pcid[s]) {
            throw fail("bounds", "the space created again in slot " + spaces[s].number() + " has PCID " + kernel.tagOf(spaces[s])
                    + ", not its slot's " + pcid[s]);
        }
        if (lastUser[c] >= 0) {
            ThreadId back = threads[lastUser[c]][c];
            SyscallResult r2 = kernel.syscall(back, new Syscall.Null());
            if (r2 == null || !r2.ok() || !back.equals(kernel.current(c))) {
                throw fail("step", "CPU " + c + " did not return to " + k.spaces().get(lastUser[c]) + "'s thread after the deletion: "
                        + r2 + ", running " + kernel.current(c));
            }
        }
    }

    /** CPU {@code c} reaches a step boundary. */
    public void step(int c) {
        Kernel.ShootdownView sd = kernel.shootdown();
        boolean finishing = sd != null && sd.initiator() == c && sd.waiting() == 0;
        Action a = finishing ? Action.of("ShootdownFinish") : Action.of("ShootdownAck", k.cpus().get(c));
        boolean leaves = !finishing && sd != null && deleting != null && (sd.waiting() & (1L << c)) != 0
                && lastUser[c] == deleting.space();
        judge("CPU " + c + " reaches a step boundary", a, () -> {
            Kernel.CpuStep did = kernel.step(c);
            if (leaves && did == Kernel.CpuStep.ACKNOWLEDGED) {
                // the model's CPU that ran the deleted space runs nothing after its acknowledgement
                lastUser[c] = -1;
            }
            if (finishing && deleting != null && did == Kernel.CpuStep.FINISHED) {
                deleted(c);
            }
        });
        if (leaves && lastUser[c] == -1) {
            counts.merge("ShootdownAck leaving a deleted space", 1, Integer::sum);
        }
    }

    private void judge(String what, Action label, Runnable kernelStep) {
        trace.add((trace.size() + 1) + ". " + what + "  [" + label + "]");
        TlbState before = state;
        try {
            kernelStep.run();
        } catch (RefinementFailure f) {
            throw f;
        } catch (RuntimeException e) {
            throw fail("crash", "the kernel threw " + e);
        }
        TlbState after = alpha();
        TlbState next = null;
        List<Action> labels = new ArrayList<>();
        List<TlbState> nexts = new ArrayList<>();
        model.successors(before, (act, n) -> {
            labels.add(act);
            nexts.add(n);
        });
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).equals(label)) {
                next = nexts.get(i);
            }
        }
        List<TlbState> allowed = new ArrayList<>();
        allowed.add(next == null ? before : next);
        if (next != null && !label.name().equals("ShootdownFinish") && model.finish(next) != null) {
            // An operation that needed no IPI: the kernel finishes it in the same call.
            allowed.add(model.finish(next));
        }
        for (int i = 0; i < allowed.size(); i++) {
            TlbState x = allowed.get(i);
            if (evictionsOf(x, after)) {
                counts.merge(next == null ? "stutter" : label.name(), 1, Integer::sum);
                if (next != null && label.name().startsWith("Page") && next.shootdown() != null
                        && Integer.bitCount(next.shootdown().pages()) > 1) {
                    // one round of IPIs for two pages or more: what SHOOTDOWN_FIRST_PAGE_ONLY gets wrong
                    counts.merge(label.name() + " of several pages", 1, Integer::sum);
                }
                if (i == 1) {
                    counts.merge("ShootdownFinish", 1, Integer::sum);
                }
                if (!after.equals(x)) {
                    counts.merge("TlbEvict", 1, Integer::sum);
                }
                modelSteps += (next == null ? 0 : 1) + i;
                state = after;
                return;
            }
        }
        throw fail("step", "the kernel's step is not the model's " + label + (next == null ? " (which the model does not enable here, so "
                + "the kernel must change nothing)" : "") + "\n  before: " + model.render(before) + "\n  model:  "
                + model.render(allowed.get(allowed.size() - 1)) + "\n  kernel: " + model.render(after));
    }

    /** Whether {@code after} is {@code x} with some TLB entries evicted and nothing else changed. */
    private boolean evictionsOf(TlbState x, TlbState after) {
        if (x.equals(after)) {
            return true;
        }
        long[] mine = after.tlbs();
        long[] theirs = x.tlbs();
        for (int c = 0; c < mine.length; c++) {
            if ((mine[c] & ~theirs[c]) != 0) {
                return false;
            }
        }
        return x.withTlbs(mine).equals(after);
    }

    /** The steps so far, numbered. */
    public List<String> trace() {
        return List.copyOf(trace);
    }

    /** How often each model step was taken ({@code stutter} for none). */
    public Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }
}
