package dev.mkspec.refinement.kernel;

import dev.mkspec.hw.PagingMode;
import dev.mkspec.hw.Probe;
import dev.mkspec.hw.Pte;
import dev.mkspec.kernel.Kernel;
import dev.mkspec.kernel.Kernel.MappingNode;
import dev.mkspec.kernel.Layout;
import dev.mkspec.kernel.SpaceId;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The abstraction function from a running {@link Kernel} to the address-space model's state
 * ({@code alpha}), and the check that the hardware agrees with it.
 *
 * <p>{@link #alpha}: {@code live} is the set of live space slots; a page's mapping and the
 * database's edges come from the kernel's mapping-database nodes, each node in the bounds being the
 * model node ({@code space}, {@code page}) and its parent pointer the edge. A node outside the
 * window that maps none of the bounded frames (a message buffer Sigma0's pager lent at set-up) is
 * outside the abstraction: it shares no frame, and so no edge, with the nodes inside. Sigma0's rights are
 * cut to Perms (the kernel's Sigma0 holds every right; the model's holds Perms).
 *
 * <p>{@link #hardwareDisagreements}: what the CPU would use must say what {@code alpha} says, for
 * every page in the bounds: each space's page-table leaves (all its tables), the TLB entries that
 * wait for a space under its PCID, and for the running space what a user access would use now (the
 * TLBs, else the tables CR3 points at). A right outside Perms is not compared; {@code x} is
 * compared only where the paging format has NX. And nothing beyond the bounds: every translation
 * user-mode code of a user space can reach ({@link Kernel#userReachable}: under page-table
 * isolation, every present leaf of its user-mode tables, supervisor ones included) must be one of
 * that space's mapping-database nodes, with the node's frame: user code reaches no frame the
 * database does not give its space.
 *
 * <p>Stateless; the bounds fix everything.
 */
public final class KernelAbstraction {
    private final KernelBounds b;

    public KernelAbstraction(KernelBounds bounds) {
        this.b = bounds;
    }

    public KernelBounds bounds() {
        return b;
    }

    /** A kernel state with no image under the bounds, and why. */
    public static final class OutOfBounds extends RuntimeException {
        OutOfBounds(String message) {
            super(message);
        }
    }

    /** The live space of each model space index, or null where the slot is dead. */
    SpaceId[] spaceIds(Kernel k) {
        SpaceId[] ids = new SpaceId[b.spaces()];
        for (SpaceId s : k.spaces()) {
            if (s.number() >= b.spaces()) {
                throw new OutOfBounds("space slot " + s.number() + " (" + s + ") is live, but the bounds have "
                        + (b.spaces() - 1) + " user spaces (slots 1.." + (b.spaces() - 1) + ")");
            }
            ids[s.number()] = s;
        }
        if (ids[0] == null || !ids[0].equals(k.sigma0Space())) {
            throw new OutOfBounds("slot 0 is not Sigma0's space");
        }
        return ids;
    }

    /** The kernel frame number of each model frame. */
    long[] frames(Kernel k) {
        long[] f = new long[b.pages()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (k.sigma0Address(b.sigma0First() + i) - Layout.SIGMA0_WINDOW) >>> 12;
        }
        return f;
    }

    /** The kernel address of model page {@code p} of model space {@code s}. */
    long address(Kernel k, int s, int p) {
        return s == 0 ? k.sigma0Address(b.sigma0First() + p) : b.userAddress(p);
    }

    /** {@code alpha}: the model state this kernel state stands for. */
    public AddressSpacesState alpha(Kernel k) {
        SpaceId[] ids = spaceIds(k);
        long[] frames = frames(k);
        Map<Long, Integer> frameIndex = new HashMap<>();
        for (int i = 0; i < frames.length; i++) {
            frameIndex.put(frames[i], i);
        }
        int pages = b.pages();
        int nodes = b.spaces() * pages;
        int[] map = new int[nodes];
        java.util.Arrays.fill(map, -1);
        long[] edges = new long[(nodes * nodes + 63) / 64];
        int live = 0;
        List<MappingNode> all = new ArrayList<>();
        for (int s = 0; s < ids.length; s++) {
            if (ids[s] == null) {
                continue;
            }
            live |= 1 << s;
            if (s == 0) {
                for (int p = 0; p < pages; p++) {
                    MappingNode n = k.mappingNode(ids[0], address(k, 0, p));
                    if (n == null || n.parentSpace() != null || n.frame() != frames[p]) {
                        throw new OutOfBounds("Sigma0's root for frame " + frames[p] + " is " + n);
                    }
                    all.add(n);
                }
                continue;
            }
            for (MappingNode n : k.mappings(ids[s])) {
                if (b.userPage(n.vaddr()) < 0 && !frameIndex.containsKey(n.frame())) {
                    // set-up outside the bounds (a message buffer the pager lent): another frame, no edge into them
                    continue;
                }
                if (b.userPage(n.vaddr()) < 0) {
                    throw new OutOfBounds(ids[s] + " maps " + Long.toHexString(n.vaddr()) + ", outside the window "
                            + Long.toHexString(b.userBase()) + ".." + Long.toHexString(b.userAddress(pages) - 1));
                }
                all.add(n);
            }
        }
        for (MappingNode n : all) {
            int s = n.space().number();
            int node = nodeOf(k, s, n.vaddr());
            Integer f = frameIndex.get(n.frame());
            if (f == null) {
                throw new OutOfBounds(n.space() + " maps frame " + n.frame() + " at " + Long.toHexString(n.vaddr())
                        + ", which is not one of the bounded frames " + java.util.Arrays.toString(frames));
            }
            int rights = s == 0 ? n.rights() & b.perms() : n.rights();
            if ((rights & ~b.perms()) != 0 || rights == 0) {
                throw new OutOfBounds(n.space() + "'s mapping of " + Long.toHexString(n.vaddr()) + " has rights "
                        + n.rights() + ", outside Perms " + b.constants().perms());
            }
            map[node] = (f << 3) | rights;
            if (n.parentSpace() != null) {
                int ps = n.parentSpace().number();
                if (ps >= b.spaces() || ids[ps] == null || !ids[ps].equals(n.parentSpace())) {
                    throw new OutOfBounds(n + " derives from a node of " + n.parentSpace() + ", which is not live in the bounds");
                }
                int parent = nodeOf(k, ps, n.parentVaddr());
                if (parent < 0) {
                    throw new OutOfBounds(n + " derives from " + n.parentSpace() + ":" + Long.toHexString(n.parentVaddr())
                            + ", outside the bounds");
                }
                int i = node * nodes + parent;
                edges[i >> 6] |= 1L << (i & 63);
            }
        }
        return AddressSpacesState.of(live, map, edges);
    }

    /** The model page of {@code vaddr} in space slot {@code s}, or -1 outside the bounds. */
    int page(Kernel k, int s, long vaddr) {
        if (s >= b.spaces()) {
            return -1;
        }
        if (s == 0) {
            for (int p = 0; p < b.pages(); p++) {
                if (address(k, 0, p) == vaddr) {
                    return p;
                }
            }
            return -1;
        }
        return b.userPage(vaddr);
    }

    /** The model node of ({@code space slot}, {@code vaddr}), or -1 outside the bounds. */
    private int nodeOf(Kernel k, int s, long vaddr) {
        int p = page(k, s, vaddr);
        return p < 0 ? -1 : s * b.pages() + p;
    }

    /**
     * Where the hardware disagrees with {@code a} (which is {@code alpha(k)}): page-table leaves
     * of every live space in the bounds, TLB entries tagged for spaces that do not run, and what
     * the running space would use now. Empty when it agrees.
     */
    public List<String> hardwareDisagreements(Kernel k, AddressSpacesState a) {
        List<String> out = new ArrayList<>();
        SpaceId[] ids = spaceIds(k);
        long[] frames = frames(k);
        PagingMode mode = k.profile().paging();
        SpaceId running = k.current() == null ? null : k.spaceOf(k.current());
        for (int s = 0; s < ids.length; s++) {
            if (ids[s] == null) {
                continue;
            }
            if (s > 0) {
                beyondTheDatabase(k, ids[s], mode, out);
            }
            for (int p = 0; p < b.pages(); p++) {
                long va = address(k, s, p);
                int n = s * b.pages() + p;
                String want = a.mapped(n) ? "frame " + frames[a.frame(n)] + " with rights " + a.rights(n) : "nothing";
                long[] ptes = k.ptes(ids[s], va);
                for (int t = 0; t < ptes.length; t++) {
                    long e = ptes[t];
                    Probe leaf = (e & Pte.P) == 0 ? Probe.NONE
                            : new Probe(true, (e & mode.addressMask()) >>> 12, (e & Pte.RW) != 0, (e & Pte.US) != 0,
                                    mode == PagingMode.X86_64 && (e & Pte.NX) != 0, t == 0 ? "page tables" : "user page tables");
                    if (!agrees(leaf, a, n, frames, mode)) {
                        out.add(ids[s] + " " + Long.toHexString(va) + ": the " + leaf.source() + " give " + leaf
                                + " but the mapping database says " + want);
                    }
                }
                if (ids[s].equals(running)) {
                    Probe now = k.userView(va);
                    if (!agrees(now, a, n, frames, mode)) {
                        out.add(ids[s] + " (running) " + Long.toHexString(va) + ": a user access would use " + now
                                + " but the mapping database says " + want);
                    }
                } else {
                    for (Probe c : k.cachedFor(ids[s], va)) {
                        if (!agrees(c, a, n, frames, mode)) {
                            out.add(ids[s] + " " + Long.toHexString(va) + ": a TLB entry kept while another space ran (its PCID, or a small space's window) gives " + c
                                    + " but the mapping database says " + want);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Translations user mode of {@code space} can reach that no mapping-database node of the space
     * stands for (the first few, to keep a failure readable).
     */
    private static void beyondTheDatabase(Kernel k, SpaceId space, PagingMode mode, List<String> out) {
        int found = 0;
        for (Kernel.Reachable r : k.userReachable(space)) {
            long frame = (r.entry() & mode.addressMask()) >>> 12;
            MappingNode n = k.mappingNode(space, r.vaddr());
            if (n == null || n.frame() != frame) {
                if (found++ < 3) {
                    out.add(space + " " + Long.toHexString(r.vaddr()) + ": user mode can reach frame " + frame + " ("
                            + Pte.describe(r.entry(), mode) + ") but the mapping database gives the space "
                            + (n == null ? "nothing there" : "frame " + n.frame()));
                }
            }
        }
        if (found > 3) {
            out.add(space + ": " + (found - 3) + " more translations user mode can reach beyond the mapping database");
        }
    }

    /** Whether what the hardware would use for model node {@code n} is what {@code a} says. */
    private boolean agrees(Probe h, AddressSpacesState a, int n, long[] frames, PagingMode mode) {
        boolean usable = h.present() && h.user();
        if (!a.mapped(n)) {
            return !usable;
        }
        if (!usable || h.frame() != frames[a.frame(n)]) {
            return false;
        }
        int perms = b.perms();
        int r = a.rights(n);
        if ((perms & 2) != 0 && h.writable() != ((r & 2) != 0)) {
            return false;
        }
        return mode != PagingMode.X86_64 || (perms & 4) == 0 || h.noExecute() == ((r & 4) == 0);
    }
}
