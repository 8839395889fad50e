package dev.mkspec.model.addressspaces;

/**
 * A working copy of the mappings and the mapping database, on which an operation is carried out
 * step by step, as the spec composes its operators {@code Remove}, {@code Revoke},
 * {@code MapPage} and {@code GrantPage} on a database value. Each method corresponds to the spec
 * operator of the same name; each computes its sets from the database as it stands when it is
 * called, as the spec does.
 *
 * <p>Not thread-safe; one per operation.
 */
final class MappingDb {
    private final AddressSpacesConstants k;
    private final int nodes;
    final int[] map;
    final long[] edges;

    MappingDb(AddressSpacesConstants k, AddressSpacesState s) {
        this.k = k;
        this.nodes = s.map.length;
        this.map = s.map.clone();
        this.edges = s.edges.clone();
    }

    int node(int space, int page) {
        return space * k.pages() + page;
    }

    boolean mapped(int n) {
        return map[n] != AddressSpacesState.NONE;
    }

    int frame(int n) {
        return map[n] >> 3;
    }

    int rights(int n) {
        return map[n] & 7;
    }

    boolean edge(int child, int parent) {
        int i = child * nodes + parent;
        return (edges[i >> 6] & (1L << (i & 63))) != 0;
    }

    void setEdge(int child, int parent, boolean on) {
        int i = child * nodes + parent;
        if (on) {
            edges[i >> 6] |= 1L << (i & 63);
        } else {
            edges[i >> 6] &= ~(1L << (i & 63));
        }
    }

    /** The spec's {@code Below}: the nodes in {@code s} and everything derived from them. */
    boolean[] below(boolean[] s) {
        boolean[] out = s.clone();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (int c = 0; c < nodes; c++) {
                if (out[c]) {
                    continue;
                }
                for (int p = 0; p < nodes; p++) {
                    if (out[p] && edge(c, p)) {
                        out[c] = true;
                        grew = true;
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** The spec's {@code Above}: the nodes in {@code s} and everything they were derived from. */
    boolean[] above(boolean[] s) {
        boolean[] out = s.clone();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (int p = 0; p < nodes; p++) {
                if (out[p]) {
                    continue;
                }
                for (int c = 0; c < nodes; c++) {
                    if (out[c] && edge(c, p)) {
                        out[p] = true;
                        grew = true;
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** The spec's {@code Derived}: the nodes derived from {@code n}, directly or not. */
    boolean[] derived(int n) {
        boolean[] children = new boolean[nodes];
        for (int c = 0; c < nodes; c++) {
            children[c] = edge(c, n);
        }
        return below(children);
    }

    boolean[] single(int n) {
        boolean[] s = new boolean[nodes];
        s[n] = true;
        return s;
    }

    /** The spec's {@code Remove}: the nodes in {@code s} and everything derived from them go. */
    void remove(boolean[] s) {
        boolean[] gone = below(s);
        for (int n = 0; n < nodes; n++) {
            if (gone[n]) {
                map[n] = AddressSpacesState.NONE;
            }
        }
        if (k.bug() != Bug.UNMAP_KEEPS_NODE) {
            for (int c = 0; c < nodes; c++) {
                if (gone[c]) {
                    for (int p = 0; p < nodes; p++) {
                        setEdge(c, p, false);
                    }
                }
            }
        }
    }

    /**
     * The spec's {@code Revoke}: rights {@code r} are revoked from the nodes in {@code a}; a node
     * left with no rights goes, with everything derived from it.
     */
    void revoke(boolean[] a, int r) {
        if (k.bug() != Bug.FLUSH_KEEPS_EMPTY) {
            boolean[] emptied = new boolean[nodes];
            for (int n = 0; n < nodes; n++) {
                emptied[n] = a[n] && mapped(n) && (Rights.subset(rights(n), r) || k.bug() == Bug.FLUSH_REMOVES_PARTIAL);
            }
            remove(emptied);
        }
        for (int n = 0; n < nodes; n++) {
            if (a[n] && mapped(n)) {
                map[n] = (frame(n) << 3) | (rights(n) & ~r);
            }
        }
    }

    /** The spec's {@code FlushScope}: the nodes a flush of page {@code p} of space {@code s} acts on. */
    boolean[] flushScope(int s, int p, boolean withOwn) {
        int n = node(s, p);
        boolean[] scope;
        if (k.bug() == Bug.FLUSH_SHALLOW) {
            scope = new boolean[nodes];
            for (int c = 0; c < nodes; c++) {
                scope[c] = edge(c, n);
            }
        } else {
            scope = derived(n);
        }
        boolean own = withOwn || k.bug() == Bug.UNMAP_REVOKES_OWN;
        if (own && (s != 0 || k.bug() == Bug.FLUSH_SIGMA0) && k.bug() != Bug.FLUSH_SPARES_OWN) {
            scope[n] = true;
        }
        return scope;
    }

    /** The spec's {@code Extends}: whether a map of {@code from} onto {@code to} extends {@code to}. */
    boolean extendsRights(int from, int to, int frame) {
        return k.bug() != Bug.REMAP_FLUSHES && mapped(to) && frame(to) == frame
                && (edge(to, from) || k.bug() == Bug.REMAP_ANY_PARENT);
    }

    /**
     * The spec's {@code MapPage}: extend dst's page if it is already derived from src's page;
     * otherwise flush it, then derive it from src's page.
     */
    void mapPage(int from, int to, int rights, int firstMappedFrame) {
        int frame = k.bug() == Bug.FPAGE_OFFSET ? firstMappedFrame : frame(from);
        int given = k.bug() == Bug.MAP_SOURCE_RIGHTS ? map[from] & 7 : rights;
        if (extendsRights(from, to, frame)) {
            map[to] |= given;
            return;
        }
        int parent = k.bug() == Bug.MAP_WRONG_PARENT ? frame : from;   // Sigma0's page f is node f
        remove(single(to));
        map[to] = (frame << 3) | given;
        setEdge(to, parent, true);
    }

    /**
     * The spec's {@code GrantPage}: flush dst's page, narrow what was derived from src's page to
     * {@code rights}, and move the node.
     */
    void grantPage(int from, int to, int rights) {
        remove(single(to));
        int old = map[from];
        int oldRights = old & 7;
        if (k.bug() == Bug.GRANT_FLUSHES_DERIVED) {
            revoke(derived(from), oldRights);
        } else if (k.bug() != Bug.GRANT_NO_NARROW) {
            revoke(derived(from), oldRights & ~rights);
        }
        map[to] = ((old >> 3) << 3) | rights;
        map[from] = k.bug() == Bug.GRANT_COPIES ? old : AddressSpacesState.NONE;
        long[] before = edges.clone();
        java.util.Arrays.fill(edges, 0L);
        for (int c = 0; c < nodes; c++) {
            for (int p = 0; p < nodes; p++) {
                int i = c * nodes + p;
                if ((before[i >> 6] & (1L << (i & 63))) == 0) {
                    continue;
                }
                switch (k.bug()) {
                    case GRANT_COPIES -> {
                        setEdge(c, p, true);
                        if (c == from) {
                            setEdge(to, p, true);
                        }
                    }
                    case GRANT_ORPHANS -> setEdge(c == from ? to : c, p, true);
                    default -> setEdge(c == from ? to : c, p == from ? to : p, true);
                }
            }
        }
    }

    AddressSpacesState toState(int live) {
        return new AddressSpacesState(live, map, edges);
    }
}
