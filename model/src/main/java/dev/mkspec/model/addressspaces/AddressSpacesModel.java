package dev.mkspec.model.addressspaces;

import dev.mkspec.check.Action;
import dev.mkspec.check.ActionProperty;
import dev.mkspec.check.ActionSchema;
import dev.mkspec.check.ActionSchema.Param;
import dev.mkspec.check.Fingerprint;
import dev.mkspec.check.Guard;
import dev.mkspec.check.Invariant;
import dev.mkspec.check.StateCodec;
import dev.mkspec.check.StateMachine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * L4 address spaces as a state machine: {@code SpaceMap}, {@code SpaceGrant}, {@code SpaceFlush},
 * {@code SpaceUnmap}, {@code SpaceCreate} and {@code SpaceDelete} over a mapping database, exactly
 * as {@code AddressSpaces.tla} defines them, with the invariants {@code AS-1} to {@code AS-6} and
 * {@code AS-10} and {@code AS-14} and the action properties {@code AS-7} to {@code AS-9}, {@code AS-11} to {@code AS-13} and {@code AS-16}.
 *
 * <p>The successors of a state are enumerated as TLC enumerates the spec's {@code Next}: every
 * combination of arguments whose action is enabled gives one successor, even when two
 * combinations lead to the same state, so that the numbers of states generated agree.
 *
 * <p>Pure and thread-safe.
 */
public final class AddressSpacesModel implements StateMachine<AddressSpacesState> {
    private final AddressSpacesConstants k;
    private final int spaces;
    private final int pages;
    private final int nodes;
    private final List<Integer> rightsSets;
    private final List<int[]> permutations;
    private final List<ActionSchema> schemas;
    private final AddressSpacesStateCodec codec;

    public AddressSpacesModel(AddressSpacesConstants constants) {
        this.k = constants;
        this.spaces = constants.spaceCount();
        this.pages = constants.pages();
        this.nodes = spaces * pages;
        this.rightsSets = Rights.nonEmptySubsets(constants.allRights());
        this.permutations = constants.symmetric() ? dev.mkspec.check.Permutations.nonIdentity(spaces, 1) : List.of();
        this.schemas = schemas();
        this.codec = new AddressSpacesStateCodec(nodes);
    }

    public AddressSpacesConstants constants() {
        return k;
    }

    @Override
    public String name() {
        return "AddressSpaces";
    }

    /** Init: every space exists and is empty, but Sigma0, whose page f maps frame f with every right. */
    @Override
    public List<AddressSpacesState> initialStates() {
        int[] map = new int[nodes];
        java.util.Arrays.fill(map, AddressSpacesState.NONE);
        for (int f = 0; f < pages; f++) {
            map[f] = (f << 3) | k.allRights();
        }
        return List.of(new AddressSpacesState((1 << spaces) - 1, map, new long[(nodes * nodes + 63) / 64]));
    }

    @Override
    public void successors(AddressSpacesState s, Successors<AddressSpacesState> out) {
        Guard.Recorder g = Guard.Recorder.NONE;
        int size = k.fpageSize();
        for (int src = 0; src < spaces; src++) {
            for (int dst = 0; dst < spaces; dst++) {
                for (int v = 0; v < pages; v += size) {
                    for (int w = 0; w < pages; w += size) {
                        for (int r : rightsSets) {
                            AddressSpacesState m = spaceMap(s, src, v, dst, w, r, g);
                            if (m != null) {
                                out.add(action("SpaceMap", src, v, dst, w, r), m);
                            }
                            AddressSpacesState gr = grant(s, src, v, dst, w, r, size, g);
                            if (gr != null) {
                                out.add(action("SpaceGrant", src, v, dst, w, r), gr);
                            }
                        }
                    }
                }
            }
        }
        for (int sp = 0; sp < spaces; sp++) {
            for (int v = 0; v < pages; v += size) {
                for (int r : rightsSets) {
                    AddressSpacesState f = revoke(s, sp, v, r, true, size, g);
                    if (f != null) {
                        out.add(revokeAction("SpaceFlush", sp, v, r), f);
                    }
                    AddressSpacesState u = revoke(s, sp, v, r, false, size, g);
                    if (u != null) {
                        out.add(revokeAction("SpaceUnmap", sp, v, r), u);
                    }
                }
            }
        }
        for (int sp = 1; sp < spaces; sp++) {
            AddressSpacesState c = spaceCreate(s, sp, g);
            if (c != null) {
                out.add(new Action("SpaceCreate", List.of(k.spaceName(sp))), c);
            }
            AddressSpacesState d = spaceDelete(s, sp, g);
            if (d != null) {
                out.add(new Action("SpaceDelete", List.of(k.spaceName(sp))), d);
            }
        }
    }

    /** A map or grant's label, its arguments rendered only when read. */
    private Action action(String name, int src, int v, int dst, int w, int r) {
        return Action.lazy(name, () -> List.of(k.spaceName(src), Integer.toString(v), k.spaceName(dst),
                Integer.toString(w), Rights.toTla(r)));
    }

    /** A flush or unmap's label, its arguments rendered only when read. */
    private Action revokeAction(String name, int sp, int v, int r) {
        return Action.lazy(name, () -> List.of(k.spaceName(sp), Integer.toString(v), Rights.toTla(r)));
    }

    // ---------------------------------------------------------------------------------------------
    // Action schemas and guards

    /**
     * The six disjuncts of the spec's {@code Next}: map and grant over every pair of spaces, fpage
     * and window and non-empty set of rights; flush and unmap over every space, fpage and rights;
     * create and delete over the spaces other than Sigma0. The domain of a map's source is every
     * space, also in the variant whose {@code Next} leaves Sigma0 out ({@code next_skips_sigma0_map}):
     * there the guard {@code src \in MapSources} says why.
     */
    @Override
    public List<ActionSchema> actionSchemas() {
        return schemas;
    }

    private List<ActionSchema> schemas() {
        List<String> all = new ArrayList<>();
        for (int sp = 0; sp < spaces; sp++) {
            all.add(k.spaceName(sp));
        }
        List<String> fpages = new ArrayList<>();
        for (int v = 0; v < pages; v += k.fpageSize()) {
            fpages.add(Integer.toString(v));
        }
        List<String> rights = rightsSets.stream().map(Rights::toTla).toList();
        List<ActionSchema> out = new ArrayList<>();
        for (String name : List.of("SpaceMap", "SpaceGrant")) {
            out.add(ActionSchema.of(name, new Param("src", all), new Param("v", fpages), new Param("dst", all),
                    new Param("w", fpages), new Param("R", rights)));
        }
        for (String name : List.of("SpaceFlush", "SpaceUnmap")) {
            out.add(ActionSchema.of(name, new Param("s", all), new Param("v", fpages), new Param("R", rights)));
        }
        for (String name : List.of("SpaceCreate", "SpaceDelete")) {
            out.add(ActionSchema.of(name, new Param("s", all.subList(1, all.size()))));
        }
        return List.copyOf(out);
    }

    /**
     * The guards of the action, evaluated by the code {@link #successors} runs: {@code SpaceMap}
     * and {@code SpaceGrant} as the spec's conjuncts ({@code src \in live}, {@code dst \in live},
     * {@code dst # Sigma0}, for a grant {@code src # Sigma0}, some page of the source fpage
     * mapped, R within its rights, the implicit flush sparing the source); flush and unmap
     * {@code s \in live} and some page of the fpage mapped; create {@code s \notin live}, delete
     * {@code s \in live}. The bug variants add, drop or change the guards they change.
     */
    @Override
    public Optional<List<Guard>> guards(AddressSpacesState s, Action a) {
        int[] p = ActionSchema.named(schemas, a.name()).positions(a);
        int size = k.fpageSize();
        Guard.Log log = new Guard.Log();
        switch (a.name()) {
            case "SpaceMap" -> spaceMap(s, p[0], p[1] * size, p[2], p[3] * size, rightsSets.get(p[4]), log);
            case "SpaceGrant" -> grant(s, p[0], p[1] * size, p[2], p[3] * size, rightsSets.get(p[4]), size, log);
            case "SpaceFlush" -> revoke(s, p[0], p[1] * size, rightsSets.get(p[2]), true, size, log);
            case "SpaceUnmap" -> revoke(s, p[0], p[1] * size, rightsSets.get(p[2]), false, size, log);
            case "SpaceCreate" -> spaceCreate(s, p[0] + 1, log);
            case "SpaceDelete" -> spaceDelete(s, p[0] + 1, log);
            default -> throw new IllegalStateException("a schema without guards: " + a.name());
        }
        return Optional.of(log.guards());
    }

    private static final String MAP_SOURCES = "src \\in MapSources (bug next_skips_sigma0_map: Next tries no map by Sigma0)";
    private static final String SRC_LIVE = "src \\in live";
    private static final String DST_LIVE = "dst \\in live";
    private static final String DST_NOT_SIGMA0 = "dst # Sigma0";
    private static final String SRC_NOT_SIGMA0 = "src # Sigma0";
    private static final String SOURCE_MAPPED = "some page of the source fpage is mapped";
    private static final String WITHIN_RIGHTS = "R \\subseteq the source's rights";
    private static final String EXACT_RIGHTS = "R = the source's rights (bug map_exact_rights)";
    private static final String SPARES_SOURCE = "the implicit flush of the window spares the source (~FlushHitsSource)";
    private static final String S_LIVE = "s \\in live";
    private static final String S_NOT_LIVE = "s \\notin live";
    private static final String FPAGE_MAPPED = "some page of the fpage is mapped";

    /**
     * The disjunct of {@code Next} that maps: {@code SpaceMap}, whose source the variant
     * {@code next_skips_sigma0_map} never lets be Sigma0.
     */
    private AddressSpacesState spaceMap(AddressSpacesState s, int src, int v, int dst, int w, int r, Guard.Recorder g) {
        if (k.bug() == Bug.NEXT_SKIPS_SIGMA0_MAP && !g.check(MAP_SOURCES, src != 0)) {
            return null;
        }
        return map(s, src, v, dst, w, r, k.fpageSize(), g);
    }

    /** {@code SpaceCreate(s)} with its guard, or null. */
    private AddressSpacesState spaceCreate(AddressSpacesState st, int s, Guard.Recorder g) {
        return g.check(S_NOT_LIVE, !st.isLive(s)) ? create(st, s) : null;
    }

    /** {@code SpaceDelete(s)} with its guard, or null. */
    private AddressSpacesState spaceDelete(AddressSpacesState st, int s, Guard.Recorder g) {
        return g.check(S_LIVE, st.isLive(s)) ? delete(st, s) : null;
    }

    // ---------------------------------------------------------------------------------------------
    // The operations

    /** The offsets of the fpage at {@code v} that space {@code s} maps, in increasing order. */
    private List<Integer> mappedOffsets(AddressSpacesState st, int s, int v) {
        return mappedOffsets(st, s, v, k.fpageSize());
    }

    /** The offsets of the {@code size} pages from {@code v} that space {@code s} maps, in increasing order. */
    private List<Integer> mappedOffsets(AddressSpacesState st, int s, int v, int size) {
        List<Integer> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (st.mapped(s * pages + v + i)) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * The spec's {@code Above(db, {node})}: node and every node it was derived from, directly or
     * not, indexed by node ({@code space * pages + page}).
     */
    public boolean[] above(AddressSpacesState st, int node) {
        MappingDb db = new MappingDb(k, st);
        return db.above(db.single(node));
    }

    /** The spec's {@code FlushHitsSource}: the implicit flush would remove a source page. */
    private boolean flushHitsSource(AddressSpacesState st, int src, int v, int dst, int w, List<Integer> is) {
        MappingDb db = new MappingDb(k, st);
        for (int i : is) {
            boolean[] above = db.above(db.single(src * pages + v + i));
            for (int j : is) {
                if (above[dst * pages + w + j]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether R is within the rights of each of the source's pages at offsets {@code is}. */
    private boolean withinRights(AddressSpacesState st, int src, int v, int r, List<Integer> is) {
        for (int i : is) {
            if (!Rights.subset(r, st.rights(src * pages + v + i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether R equals the rights of each of the source's pages at offsets {@code is}. */
    private boolean exactRights(AddressSpacesState st, int src, int v, int r, List<Integer> is) {
        for (int i : is) {
            if (r != st.rights(src * pages + v + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The guards map and grant share, in the spec's order, each reported to {@code g}: both spaces
     * live, the destination not Sigma0, for a grant the source not Sigma0 (unless the bug lets
     * Sigma0 grant), some page of the source fpage mapped, R within each mapped page's rights
     * (unless the bug skips the check for a map; the bug that compares rights by equality adds
     * that), and the implicit flush not removing a source page.
     *
     * @return the mapped offsets of the source fpage, or null at the first guard that is false
     */
    private List<Integer> transferable(AddressSpacesState st, int src, int v, int dst, int w, int r, boolean isMap,
            int size, Guard.Recorder g) {
        if (!g.check(SRC_LIVE, st.isLive(src)) || !g.check(DST_LIVE, st.isLive(dst))
                || !g.check(DST_NOT_SIGMA0, dst != 0)) {
            return null;
        }
        if (!isMap && k.bug() != Bug.SIGMA0_GRANT && !g.check(SRC_NOT_SIGMA0, src != 0)) {
            return null;
        }
        List<Integer> is = mappedOffsets(st, src, v, size);
        if (!g.check(SOURCE_MAPPED, !is.isEmpty())) {
            return null;
        }
        boolean checkRights = !isMap || k.bug() != Bug.MAP_NO_RIGHTS_CHECK;
        if (checkRights && !g.check(WITHIN_RIGHTS, withinRights(st, src, v, r, is))) {
            return null;
        }
        if (isMap && k.bug() == Bug.MAP_EXACT_RIGHTS && !g.check(EXACT_RIGHTS, exactRights(st, src, v, r, is))) {
            return null;
        }
        return g.check(SPARES_SOURCE, !flushHitsSource(st, src, v, dst, w, is)) ? is : null;
    }

    /** {@code SpaceMap(src, v, dst, w, R)}, or null if it is not enabled. */
    public AddressSpacesState map(AddressSpacesState st, int src, int v, int dst, int w, int r) {
        return map(st, src, v, dst, w, r, k.fpageSize());
    }

    /**
     * {@code SpaceMap} of the {@code size} pages from {@code v} onto those from {@code w} (the
     * Ipc spec's map item, whose fpage and window may differ in size from the constants'), or null.
     */
    public AddressSpacesState map(AddressSpacesState st, int src, int v, int dst, int w, int r, int size) {
        return map(st, src, v, dst, w, r, size, Guard.Recorder.NONE);
    }

    private AddressSpacesState map(AddressSpacesState st, int src, int v, int dst, int w, int r, int size,
            Guard.Recorder g) {
        List<Integer> is = transferable(st, src, v, dst, w, r, true, size, g);
        if (is == null) {
            return null;
        }
        MappingDb db = new MappingDb(k, st);
        int firstMappedFrame = st.frame(src * pages + v + is.get(0));
        for (int i : is) {
            db.mapPage(src * pages + v + i, dst * pages + w + i, r, firstMappedFrame);
        }
        return db.toState(st.live);
    }

    /** {@code SpaceGrant(src, v, dst, w, R)}, or null if it is not enabled. Sigma0 never grants. */
    public AddressSpacesState grant(AddressSpacesState st, int src, int v, int dst, int w, int r) {
        return grant(st, src, v, dst, w, r, k.fpageSize());
    }

    /** {@code SpaceGrant} of the {@code size} pages from {@code v} onto those from {@code w}, or null. */
    public AddressSpacesState grant(AddressSpacesState st, int src, int v, int dst, int w, int r, int size) {
        return grant(st, src, v, dst, w, r, size, Guard.Recorder.NONE);
    }

    private AddressSpacesState grant(AddressSpacesState st, int src, int v, int dst, int w, int r, int size,
            Guard.Recorder g) {
        List<Integer> is = transferable(st, src, v, dst, w, r, false, size, g);
        if (is == null) {
            return null;
        }
        if (k.bug() == Bug.GRANT_NO_COMMIT) {
            return st;
        }
        MappingDb db = new MappingDb(k, st);
        for (int i : is) {
            db.grantPage(src * pages + v + i, dst * pages + w + i, r);
        }
        return db.toState(st.live);
    }

    /** {@code SpaceFlush(s, v, R)} ({@code withOwn}) or {@code SpaceUnmap(s, v, R)}, or null. */
    public AddressSpacesState revoke(AddressSpacesState st, int s, int v, int r, boolean withOwn) {
        return revoke(st, s, v, r, withOwn, k.fpageSize());
    }

    /** A flush or unmap of the {@code size} pages from {@code v}, or null. */
    public AddressSpacesState revoke(AddressSpacesState st, int s, int v, int r, boolean withOwn, int size) {
        return revoke(st, s, v, r, withOwn, size, Guard.Recorder.NONE);
    }

    private AddressSpacesState revoke(AddressSpacesState st, int s, int v, int r, boolean withOwn, int size,
            Guard.Recorder g) {
        return g.check(S_LIVE, st.isLive(s)) ? revokeMapped(st, s, v, r, withOwn, size, g) : null;
    }

    /**
     * A flush or unmap of the {@code size} pages from {@code v} by a space that exists (the Ipc
     * spec's {@code Unmap}, whose spaces all do), or null if it maps none of them; the guard is
     * reported to {@code g}.
     */
    public AddressSpacesState revokeMapped(AddressSpacesState st, int s, int v, int r, boolean withOwn, int size,
            Guard.Recorder g) {
        List<Integer> is = mappedOffsets(st, s, v, size);
        if (!g.check(FPAGE_MAPPED, !is.isEmpty())) {
            return null;
        }
        if (!withOwn && k.bug() == Bug.UNMAP_NO_COMMIT) {
            return st;
        }
        MappingDb db = new MappingDb(k, st);
        for (int i : is) {
            db.revoke(db.flushScope(s, v + i, withOwn), r);
        }
        return db.toState(st.live);
    }

    /** {@code SpaceCreate(s)}: s must not exist. */
    AddressSpacesState create(AddressSpacesState st, int s) {
        return new AddressSpacesState(st.live | (1 << s), st.map, st.edges);
    }

    /** {@code SpaceDelete(s)}: s must exist and not be Sigma0. */
    AddressSpacesState delete(AddressSpacesState st, int s) {
        MappingDb db = new MappingDb(k, st);
        boolean[] own = new boolean[nodes];
        for (int p = 0; p < pages; p++) {
            own[s * pages + p] = st.mapped(s * pages + p);
        }
        if (k.bug() == Bug.DELETE_KEEPS_DERIVED) {
            for (int p = 0; p < pages; p++) {
                db.map[s * pages + p] = AddressSpacesState.NONE;
            }
            for (int c = 0; c < nodes; c++) {
                if (own[c]) {
                    for (int q = 0; q < nodes; q++) {
                        db.setEdge(c, q, false);
                    }
                }
            }
        } else {
            db.remove(own);
        }
        return db.toState(st.live & ~(1 << s));
    }

    // ---------------------------------------------------------------------------------------------
    // Invariants and action properties

    @Override
    public List<Invariant<AddressSpacesState>> invariants() {
        return List.of(
                typeOkInvariant(),
                new Invariant<>("AS-2", "FrameMatchesParent", this::frameMatchesParent),
                new Invariant<>("AS-3", "RightsWithinParent", this::rightsWithinParent),
                mdbIsForestInvariant(),
                mdbMatchesMappingsInvariant(),
                new Invariant<>("AS-6", "AuthorityFromSigma0", this::authorityFromSigma0),
                new Invariant<>("AS-10", "Sigma0Intact", this::sigma0Intact),
                new Invariant<>("AS-15", "OperationsTakeEffect", this::operationsTakeEffect),
                Invariant.availability("AS-14", "OperationsAvailable", this::operationsAvailable));
    }

    @Override
    public List<ActionProperty<AddressSpacesState>> actionProperties() {
        return List.of(
                new ActionProperty<>("AS-7", "FlushRevokesDerived", this::flushRevokesDerived),
                new ActionProperty<>("AS-8", "GrantMoves", this::grantMoves),
                new ActionProperty<>("AS-9", "DeleteLeavesNothing", this::deleteLeavesNothing),
                new ActionProperty<>("AS-11", "MapGivesRequested", this::mapGivesRequested),
                new ActionProperty<>("AS-12", "GrantGivesRequested", this::grantGivesRequested),
                new ActionProperty<>("AS-13", "FlushRevokesExactlyItsScope", this::flushRevokesExactlyItsScope),
                new ActionProperty<>("AS-16", "MapExtendsInPlace", this::mapExtendsInPlace));
    }

    /**
     * AS-14: the operations the model offers in {@code s} are exactly those the rules allow, stated
     * apart from the actions' own guards: map when both spaces exist, the receiver is not Sigma0,
     * the source maps some page of the fpage with at least the rights asked for, and the implicit
     * flush spares the source; grant on the same terms by a space other than Sigma0; flush and
     * unmap of an existing space's fpage that maps some page; create of a space that does not
     * exist, delete of one that does.
     */
    boolean operationsAvailable(AddressSpacesState s) {
        java.util.Set<Action> offered = enabled(s);
        java.util.Set<Action> allowed = new java.util.HashSet<>();
        int size = k.fpageSize();
        for (int src = 0; src < spaces; src++) {
            for (int dst = 0; dst < spaces; dst++) {
                for (int v = 0; v < pages; v += size) {
                    for (int w = 0; w < pages; w += size) {
                        for (int r : rightsSets) {
                            if (transferAllowed(s, src, v, dst, w, r)) {
                                allowed.add(action("SpaceMap", src, v, dst, w, r));
                                if (src != 0) {
                                    allowed.add(action("SpaceGrant", src, v, dst, w, r));
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int sp = 0; sp < spaces; sp++) {
            for (int v = 0; v < pages; v += size) {
                if (s.isLive(sp) && !mappedOffsets(s, sp, v).isEmpty()) {
                    for (int r : rightsSets) {
                        List<String> args = List.of(k.spaceName(sp), Integer.toString(v), Rights.toTla(r));
                        allowed.add(new Action("SpaceFlush", args));
                        allowed.add(new Action("SpaceUnmap", args));
                    }
                }
            }
        }
        for (int sp = 1; sp < spaces; sp++) {
            allowed.add(new Action(s.isLive(sp) ? "SpaceDelete" : "SpaceCreate", List.of(k.spaceName(sp))));
            // ... and takes effect: a create or delete that changes nothing is no step for any action property.
            if (s.isLive(sp) == (s.isLive(sp) ? delete(s, sp) : create(s, sp)).isLive(sp)) {
                return false;
            }
        }
        return offered.equals(allowed);
    }

    /**
     * AS-15: every map, grant, flush and unmap the rules allow takes effect, judged on the state
     * the model's action makes of {@code s} even when it equals {@code s} (AS-11 to AS-13 judge
     * steps, and a step that changes nothing is none): the map leaves the window holding the source
     * pages' frames with at least the rights asked for, the grant as AS-12 states it, the flush or
     * unmap as AS-13 does.
     */
    boolean operationsTakeEffect(AddressSpacesState s) {
        int size = k.fpageSize();
        for (int src = 0; src < spaces; src++) {
            for (int dst = 0; dst < spaces; dst++) {
                for (int v = 0; v < pages; v += size) {
                    for (int w = 0; w < pages; w += size) {
                        for (int r : rightsSets) {
                            if (transferAllowed(s, src, v, dst, w, r) && !mapTakesEffect(s, src, v, dst, w, r)) {
                                return false;
                            }
                        }
                    }
                }
            }
        }
        for (int src = 1; src < spaces; src++) {
            for (int dst = 0; dst < spaces; dst++) {
                for (int v = 0; v < pages; v += size) {
                    for (int w = 0; w < pages; w += size) {
                        for (int r : rightsSets) {
                            if (transferAllowed(s, src, v, dst, w, r)) {
                                AddressSpacesState t = grant(s, src, v, dst, w, r);
                                if (t == null || !grantAsRequested(s, action("SpaceGrant", src, v, dst, w, r), t)) {
                                    return false;
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int sp = 0; sp < spaces; sp++) {
            for (int v = 0; v < pages; v += size) {
                if (!s.isLive(sp) || mappedOffsets(s, sp, v).isEmpty()) {
                    continue;
                }
                for (int r : rightsSets) {
                    List<String> args = List.of(k.spaceName(sp), Integer.toString(v), Rights.toTla(r));
                    AddressSpacesState f = revoke(s, sp, v, r, true);
                    AddressSpacesState u = revoke(s, sp, v, r, false);
                    if (f == null || u == null || !revokedAsRequested(s, new Action("SpaceFlush", args), f)
                            || !revokedAsRequested(s, new Action("SpaceUnmap", args), u)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * AS-15 for a map the rules allow: the receiver's window holds each mapped source page's frame
     * with at least the rights asked for.
     */
    private boolean mapTakesEffect(AddressSpacesState s, int src, int v, int dst, int w, int r) {
        AddressSpacesState t = map(s, src, v, dst, w, r);
        if (t == null) {
            return false;
        }
        for (int i : mappedOffsets(s, src, v)) {
            int to = dst * pages + w + i;
            if (!t.mapped(to) || t.frame(to) != s.frame(src * pages + v + i) || !Rights.subset(r, t.rights(to))) {
                return false;
            }
        }
        return true;
    }

    /** The spec's {@code TransferAllowed}: the rules map and grant share. */
    private boolean transferAllowed(AddressSpacesState s, int src, int v, int dst, int w, int r) {
        if (!s.isLive(src) || !s.isLive(dst) || dst == 0) {
            return false;
        }
        List<Integer> is = mappedOffsets(s, src, v);
        return !is.isEmpty() && is.stream().allMatch(i -> Rights.subset(r, s.rights(src * pages + v + i)))
                && !sourceBelowWindow(s, src, v, dst, w, is);
    }

    /**
     * The spec's rule of the implicit flush, as {@code TransferAllowed} states it (from below, apart
     * from {@link #flushHitsSource}, which the actions use and states it from above): some source
     * page is, or is derived from, a window page that receives one.
     */
    private boolean sourceBelowWindow(AddressSpacesState s, int src, int v, int dst, int w, List<Integer> is) {
        MappingDb db = new MappingDb(k, s);
        for (int j : is) {
            int windowPage = dst * pages + w + j;
            boolean[] below = db.derived(windowPage);
            for (int i : is) {
                int sourcePage = src * pages + v + i;
                if (sourcePage == windowPage || below[sourcePage]) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * AS-1: Sigma0 exists, and every mapping has a frame and a non-empty set of rights within Perms;
     * the spec's conjuncts that the Java state can break ({@code live \subseteq spaces} and
     * {@code mdb \subseteq nodes \X nodes} hold by the state's representation).
     */
    private Invariant<AddressSpacesState> typeOkInvariant() {
        return Invariant.allOf("AS-1", "TypeOK", List.of(
                new Invariant.Conjunct<>("Sigma0 \\in live", s -> s.isLive(0)),
                new Invariant.Conjunct<>("mappings \\in [spaces -> [pages -> [frame : pages, rights : (SUBSET Perms) \\ {{}}] \\cup {NoMapping}]]",
                        s -> {
                            for (int n = 0; n < nodes; n++) {
                                if (s.mapped(n) && (s.frame(n) >= pages || s.rights(n) == 0 || !Rights.subset(s.rights(n), k.allRights()))) {
                                    return false;
                                }
                            }
                            return true;
                        })));
    }

    /** AS-2: every mapping's frame equals its parent's. */
    boolean frameMatchesParent(AddressSpacesState s) {
        for (int c = 0; c < nodes; c++) {
            for (int p = 0; p < nodes; p++) {
                if (s.hasEdge(c, p) && s.mapped(c) && s.mapped(p) && s.frame(c) != s.frame(p)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** AS-3: every mapping's rights are within its parent's. */
    boolean rightsWithinParent(AddressSpacesState s) {
        for (int c = 0; c < nodes; c++) {
            for (int p = 0; p < nodes; p++) {
                if (s.hasEdge(c, p) && s.mapped(c) && s.mapped(p) && !Rights.subset(s.rights(c), s.rights(p))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * AS-4: a forest rooted at Sigma0's identity mappings, as the spec's five conjuncts, so that a
     * counterexample names the one that fails.
     */
    private Invariant<AddressSpacesState> mdbIsForestInvariant() {
        return Invariant.allOf("AS-4", "MdbIsForest", List.of(
                new Invariant.Conjunct<>("\\A n \\in Node : Cardinality({e \\in mdb : e[1] = n}) <= 1", s -> {
                    for (int c = 0; c < nodes; c++) {
                        int parents = 0;
                        for (int p = 0; p < nodes; p++) {
                            parents += s.hasEdge(c, p) ? 1 : 0;
                        }
                        if (parents > 1) {
                            return false;
                        }
                    }
                    return true;
                }),
                new Invariant.Conjunct<>("\\A e \\in mdb : Mapped(Db, e[2])", s -> {
                    for (int c = 0; c < nodes; c++) {
                        for (int p = 0; p < nodes; p++) {
                            if (s.hasEdge(c, p) && !s.mapped(p)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }),
                new Invariant.Conjunct<>("\\A n \\in Node : n \\notin Derived(Db, n)", s -> {
                    MappingDb db = new MappingDb(k, s);
                    for (int c = 0; c < nodes; c++) {
                        if (db.derived(c)[c]) {
                            return false;
                        }
                    }
                    return true;
                }),
                new Invariant.Conjunct<>("\\A n \\in Node : Mapped(Db, n) /\\ n \\notin SigmaNodes => \\E e \\in mdb : e[1] = n", s -> {
                    for (int c = pages; c < nodes; c++) {
                        if (s.mapped(c) && !hasParent(s, c)) {
                            return false;
                        }
                    }
                    return true;
                }),
                new Invariant.Conjunct<>("\\A e \\in mdb : e[1] \\notin SigmaNodes", s -> {
                    for (int c = 0; c < pages; c++) {
                        if (hasParent(s, c)) {
                            return false;
                        }
                    }
                    return true;
                })));
    }

    private boolean hasParent(AddressSpacesState s, int c) {
        for (int p = 0; p < nodes; p++) {
            if (s.hasEdge(c, p)) {
                return true;
            }
        }
        return false;
    }

    /** AS-5: the database's nodes are mapped, and dead spaces map nothing (the spec's two conjuncts). */
    private Invariant<AddressSpacesState> mdbMatchesMappingsInvariant() {
        return Invariant.allOf("AS-5", "MdbMatchesMappings", List.of(
                new Invariant.Conjunct<>("\\A e \\in mdb : Mapped(Db, e[1])", s -> {
                    for (int c = 0; c < nodes; c++) {
                        if (!s.mapped(c) && hasParent(s, c)) {
                            return false;
                        }
                    }
                    return true;
                }),
                new Invariant.Conjunct<>("\\A s \\in AllSpaces \\ live, v \\in VPages : mappings[s][v] = NoMapping", s -> {
                    for (int sp = 0; sp < spaces; sp++) {
                        for (int p = 0; !s.isLive(sp) && p < pages; p++) {
                            if (s.mapped(sp * pages + p)) {
                                return false;
                            }
                        }
                    }
                    return true;
                })));
    }

    /** AS-6: following parents from a mapping of frame f leads to Sigma0's mapping of f. */
    boolean authorityFromSigma0(AddressSpacesState s) {
        MappingDb db = new MappingDb(k, s);
        for (int n = 0; n < nodes; n++) {
            if (s.mapped(n) && !db.above(db.single(n))[s.frame(n)]) {
                return false;
            }
        }
        return true;
    }

    /** AS-10: Sigma0's identity mappings are intact. */
    boolean sigma0Intact(AddressSpacesState s) {
        for (int f = 0; f < pages; f++) {
            if (s.map[f] != ((f << 3) | k.allRights())) {
                return false;
            }
        }
        return true;
    }

    /** AS-7: after a flush or unmap with rights R, nothing derived from the fpage holds a right in R. */
    boolean flushRevokesDerived(AddressSpacesState from, Action a, AddressSpacesState to) {
        if (!a.name().equals("SpaceFlush") && !a.name().equals("SpaceUnmap")) {
            return true;
        }
        int s = spaceIndex(a.args().get(0));
        int v = Integer.parseInt(a.args().get(1));
        int r = Rights.fromTla(a.args().get(2));
        MappingDb db = new MappingDb(k, from);
        for (int i = 0; i < k.fpageSize(); i++) {
            boolean[] derived = db.derived(s * pages + v + i);
            for (int n = 0; n < nodes; n++) {
                if (derived[n] && to.mapped(n) && (to.rights(n) & r) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** AS-8: grant moves access: the source loses each page, the receiver maps its frame, no one else gains. */
    boolean grantMoves(AddressSpacesState from, Action a, AddressSpacesState to) {
        if (!a.name().equals("SpaceGrant")) {
            return true;
        }
        int src = spaceIndex(a.args().get(0));
        int v = Integer.parseInt(a.args().get(1));
        int dst = spaceIndex(a.args().get(2));
        int w = Integer.parseInt(a.args().get(3));
        for (int i : mappedOffsets(from, src, v)) {
            int fn = src * pages + v + i;
            int tn = dst * pages + w + i;
            if (fn != tn && to.mapped(fn)) {
                return false;
            }
            if (!to.mapped(tn) || to.frame(tn) != from.frame(fn)) {
                return false;
            }
        }
        for (int t = 0; t < spaces; t++) {
            if (t == src || t == dst) {
                continue;
            }
            for (int p = 0; p < pages; p++) {
                int n = t * pages + p;
                if (to.mapped(n) && !mapsFrame(from, t, to.frame(n))) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean mapsFrame(AddressSpacesState s, int space, int frame) {
        for (int p = 0; p < pages; p++) {
            int n = space * pages + p;
            if (s.mapped(n) && s.frame(n) == frame) {
                return true;
            }
        }
        return false;
    }

    /** AS-9: after {@code SpaceDelete(s)} (the request), s no longer exists and nothing derived from its mappings remains. */
    boolean deleteLeavesNothing(AddressSpacesState from, Action a, AddressSpacesState to) {
        if (!a.name().equals("SpaceDelete")) {
            return true;
        }
        int s = spaceIndex(a.args().get(0));
        if (to.isLive(s)) {
            return false;
        }
        MappingDb db = new MappingDb(k, from);
        boolean[] own = new boolean[nodes];
        for (int p = 0; p < pages; p++) {
            own[s * pages + p] = true;
        }
        boolean[] below = db.below(own);
        for (int n = 0; n < nodes; n++) {
            if (below[n] && to.mapped(n)) {
                return false;
            }
        }
        return true;
    }

    /**
     * AS-13: after {@code SpaceFlush(s, v, R)} or {@code SpaceUnmap(s, v, R)}, every mapping in
     * the scope (what was derived from s's mapped pages of the fpage, and for a flush by a space
     * other than Sigma0 those pages too) keeps its frame and loses exactly R, and is gone exactly
     * when it had no rights beyond R; every mapping outside it is unchanged.
     */
    boolean flushRevokesExactlyItsScope(AddressSpacesState from, Action a, AddressSpacesState to) {
        if (from.equals(to)) {
            return true;   // a step that changes nothing is no step of [][...]_vars, as in TLA+
        }
        return revokedAsRequested(from, a, to);
    }

    /** AS-13's statement of one flush or unmap, {@code to} being what it made of {@code from}, even if unchanged. */
    private boolean revokedAsRequested(AddressSpacesState from, Action a, AddressSpacesState to) {
        boolean flush = a.name().equals("SpaceFlush");
        if (!flush && !a.name().equals("SpaceUnmap")) {
            return true;
        }
        int s = spaceIndex(a.args().get(0));
        int v = Integer.parseInt(a.args().get(1));
        int r = Rights.fromTla(a.args().get(2));
        MappingDb db = new MappingDb(k, from);
        boolean[] scope = new boolean[nodes];
        for (int i : mappedOffsets(from, s, v)) {
            int own = s * pages + v + i;
            boolean[] derived = db.derived(own);
            for (int n = 0; n < nodes; n++) {
                scope[n] |= derived[n];
            }
            if (flush && s != 0) {
                scope[own] = true;
            }
        }
        for (int n = 0; n < nodes; n++) {
            if (!scope[n]) {
                if (to.map[n] != from.map[n]) {
                    return false;
                }
            } else if (from.mapped(n)) {
                int left = from.rights(n) & ~r;
                boolean ok = left == 0 ? !to.mapped(n)
                        : to.mapped(n) && to.frame(n) == from.frame(n) && to.rights(n) == left;
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * AS-11: after {@code SpaceMap(src, v, dst, w, R)}, each mapped source page v+i appears at
     * dst's page w+i with the source's frame and exactly R (added to the rights it held, when it was
     * already derived from the source page), derived from the source page alone.
     */
    boolean mapGivesRequested(AddressSpacesState from, Action a, AddressSpacesState to) {
        if (from.equals(to)) {
            return true;   // a step that changes nothing is no step of [][...]_vars, as in TLA+
        }
        if (!a.name().equals("SpaceMap")) {
            return true;
        }
        Transfer t = transfer(a);
        int src = t.src();
        int v = t.v();
        int dst = t.dst();
        int w = t.w();
        int r = t.rights();
        for (int i : mappedOffsets(from, src, v)) {
            int fn = src * pages + v + i;
            int tn = dst * pages + w + i;
            int expected = r | (from.hasEdge(tn, fn) ? from.rights(tn) : 0);
            if (!to.mapped(tn) || to.frame(tn) != from.frame(fn) || to.rights(tn) != expected) {
                return false;
            }
            for (int p = 0; p < nodes; p++) {
                if (to.hasEdge(tn, p) != (p == fn)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * AS-16: a map onto a page already derived from the source page extends it in place: the page
     * keeps its frame and gains R, and every mapping derived from it stays as it was, with the same
     * parents.
     */
    boolean mapExtendsInPlace(AddressSpacesState from, Action a, AddressSpacesState to) {
        if (from.equals(to) || !a.name().equals("SpaceMap")) {
            return true;
        }
        Transfer t = transfer(a);
        MappingDb before = new MappingDb(k, from);
        for (int i = 0; i < k.fpageSize(); i++) {
            int fn = t.src() * pages + t.v() + i;
            int tn = t.dst() * pages + t.w() + i;
            if (!from.hasEdge(tn, fn)) {
                continue;
            }
            boolean[] derived = before.derived(tn);
            derived[tn] = true;
            if (!scopeChanged(from, to, derived)) {
                continue;   // as the TLA+ guard: only a map with R within the page's rights leaves it so
            }
            derived[tn] = false;
            if (!to.mapped(tn) || to.frame(tn) != from.frame(tn) || to.rights(tn) != (from.rights(tn) | t.rights())) {
                return false;
            }
            if (scopeChanged(from, to, derived)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the step changed a mapping, or a node's parents, among the nodes in {@code scope}. */
    private boolean scopeChanged(AddressSpacesState from, AddressSpacesState to, boolean[] scope) {
        for (int n = 0; n < nodes; n++) {
            if (!scope[n]) {
                continue;
            }
            if (to.map[n] != from.map[n]) {
                return true;
            }
            for (int p = 0; p < nodes; p++) {
                if (to.hasEdge(n, p) != from.hasEdge(n, p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * AS-12: after {@code SpaceGrant(src, v, dst, w, R)}, each mapped source page v+i appears at
     * dst's page w+i with the source's frame and exactly R, with the source's parent, and what was
     * derived from it (and not under a receiver page, which the grant flushes first) is narrowed to
     * R exactly: it stays, derived from the new place, with its frame and its rights within R, and
     * goes exactly when it held none of R.
     */
    boolean grantGivesRequested(AddressSpacesState from, Action a, AddressSpacesState to) {
        if (from.equals(to)) {
            return true;   // a step that changes nothing is no step of [][...]_vars, as in TLA+
        }
        return grantAsRequested(from, a, to);
    }

    /** AS-12's statement of one grant, {@code to} being what it made of {@code from}, even if unchanged. */
    private boolean grantAsRequested(AddressSpacesState from, Action a, AddressSpacesState to) {
        if (!a.name().equals("SpaceGrant")) {
            return true;
        }
        Transfer t = transfer(a);
        int src = t.src();
        int v = t.v();
        int dst = t.dst();
        int w = t.w();
        int r = t.rights();
        List<Integer> is = mappedOffsets(from, src, v);
        int[] moved = new int[nodes];
        boolean[] receivers = new boolean[nodes];
        for (int n = 0; n < nodes; n++) {
            moved[n] = n;
        }
        for (int j : is) {
            moved[src * pages + v + j] = dst * pages + w + j;
            receivers[dst * pages + w + j] = true;
        }
        MappingDb before = new MappingDb(k, from);
        MappingDb after = new MappingDb(k, to);
        boolean[] flushed = before.below(receivers);
        for (int i : is) {
            int fn = src * pages + v + i;
            int tn = dst * pages + w + i;
            if (!to.mapped(tn) || to.frame(tn) != from.frame(fn) || to.rights(tn) != r) {
                return false;
            }
            for (int p = 0; p < nodes; p++) {
                boolean expected = false;
                for (int q = 0; q < nodes; q++) {
                    expected |= from.hasEdge(fn, q) && moved[q] == p;
                }
                if (to.hasEdge(tn, p) != expected) {
                    return false;
                }
            }
            boolean[] derivedBefore = before.derived(fn);
            boolean[] derivedAfter = after.derived(tn);
            for (int n = 0; n < nodes; n++) {
                if (!derivedBefore[n] || flushed[n]) {
                    continue;
                }
                // narrowed to R exactly: kept, with its frame and rights within R, iff it held some of R
                int m = moved[n];
                int kept = from.rights(n) & r;
                if (to.mapped(m) != (kept != 0)) {
                    return false;
                }
                if (to.mapped(m) && (!derivedAfter[m] || to.frame(m) != from.frame(n) || to.rights(m) != kept)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The request of a {@code SpaceMap} or {@code SpaceGrant} step: source fpage, window, rights. */
    private record Transfer(int src, int v, int dst, int w, int rights) {
    }

    private Transfer transfer(Action a) {
        return new Transfer(spaceIndex(a.args().get(0)), Integer.parseInt(a.args().get(1)), spaceIndex(a.args().get(2)),
                Integer.parseInt(a.args().get(3)), Rights.fromTla(a.args().get(4)));
    }

    private int spaceIndex(String name) {
        for (int s = 0; s < spaces; s++) {
            if (k.spaceName(s).equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no space named " + name);
    }

    // ---------------------------------------------------------------------------------------------
    // Fingerprints, symmetry and rendering

    @Override
    public Optional<StateCodec<AddressSpacesState>> codec() {
        return Optional.of(codec);
    }

    @Override
    public long fingerprint(AddressSpacesState s) {
        long fp = fingerprintOf(s.live, s.map, s.edges);
        for (int[] perm : permutations) {
            fp = Math.min(fp, fingerprintOf(permute(s, perm)));
        }
        return fp;
    }

    private long fingerprintOf(AddressSpacesState s) {
        return fingerprintOf(s.live, s.map, s.edges);
    }

    private static long fingerprintOf(int live, int[] map, long[] edges) {
        Fingerprint f = new Fingerprint().add(live);
        for (int m : map) {
            f.add(m);
        }
        for (long e : edges) {
            f.add(e);
        }
        return f.value();
    }

    /** The state with user spaces renamed by {@code perm} (perm[s] is the new index of space s). */
    private AddressSpacesState permute(AddressSpacesState s, int[] perm) {
        int live = 0;
        int[] map = new int[nodes];
        for (int sp = 0; sp < spaces; sp++) {
            if (s.isLive(sp)) {
                live |= 1 << perm[sp];
            }
            for (int p = 0; p < pages; p++) {
                map[perm[sp] * pages + p] = s.map[sp * pages + p];
            }
        }
        long[] edges = new long[s.edges.length];
        for (int c = 0; c < nodes; c++) {
            for (int p = 0; p < nodes; p++) {
                if (s.hasEdge(c, p)) {
                    int nc = perm[c / pages] * pages + c % pages;
                    int np = perm[p / pages] * pages + p % pages;
                    int i = nc * nodes + np;
                    edges[i >> 6] |= 1L << (i & 63);
                }
            }
        }
        return new AddressSpacesState(live, map, edges);
    }

    /** The state in TLA+ value syntax, variable by variable, as TLC prints the spec's state. */
    @Override
    public Map<String, String> render(AddressSpacesState s) {
        Map<String, String> out = new LinkedHashMap<>();
        TreeSet<String> live = new TreeSet<>();
        for (int sp = 0; sp < spaces; sp++) {
            if (s.isLive(sp)) {
                live.add(k.spaceName(sp));
            }
        }
        out.put("live", "{" + String.join(", ", live) + "}");
        StringBuilder m = new StringBuilder("(");
        for (int sp = 0; sp < spaces; sp++) {
            m.append(sp == 0 ? "" : " @@ ").append(k.spaceName(sp)).append(" :> (");
            for (int p = 0; p < pages; p++) {
                int n = sp * pages + p;
                m.append(p == 0 ? "" : " @@ ").append(p).append(" :> ");
                m.append(s.mapped(n) ? "[frame |-> " + s.frame(n) + ", rights |-> " + Rights.toTla(s.rights(n)) + "]"
                        : k.noMapping());
            }
            m.append(')');
        }
        out.put("mappings", m.append(')').toString());
        List<String> edges = new ArrayList<>();
        for (int c = 0; c < nodes; c++) {
            for (int p = 0; p < nodes; p++) {
                if (s.hasEdge(c, p)) {
                    edges.add("<<" + nodeTla(c) + ", " + nodeTla(p) + ">>");
                }
            }
        }
        out.put("mdb", "{" + String.join(", ", edges) + "}");
        return out;
    }

    private String nodeTla(int n) {
        return "<<" + k.spaceName(n / pages) + ", " + (n % pages) + ">>";
    }
}
