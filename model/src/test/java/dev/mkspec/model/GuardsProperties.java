package dev.mkspec.model;

import static dev.mkspec.check.GuardChecks.guardsAgreeWithSuccessors;
import static dev.mkspec.check.GuardChecks.reachable;
import static dev.mkspec.check.GuardChecks.reportsEverySchema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.Action;
import dev.mkspec.check.Guard;
import dev.mkspec.check.Restricted;
import dev.mkspec.check.StateMachine;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import dev.mkspec.model.addressspaces.AddressSpacesModel;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import dev.mkspec.model.addressspaces.Bug;
import dev.mkspec.model.ipc.IpcBug;
import dev.mkspec.model.ipc.IpcConstants;
import dev.mkspec.model.ipc.IpcModel;
import dev.mkspec.model.ipc.IpcState;
import dev.mkspec.model.segments.SegmentsBug;
import dev.mkspec.model.segments.SegmentsConstants;
import dev.mkspec.model.segments.SegmentsConstants.FirstGrant;
import dev.mkspec.model.segments.SegmentsConstants.Op;
import dev.mkspec.model.segments.SegmentsModel;
import dev.mkspec.model.segments.SegmentsState;
import dev.mkspec.model.smallspaces.SmallSpacesBug;
import dev.mkspec.model.smallspaces.SmallSpacesConstants;
import dev.mkspec.model.smallspaces.SmallSpacesModel;
import dev.mkspec.model.smallspaces.SmallSpacesState;
import dev.mkspec.model.tlb.TlbBug;
import dev.mkspec.model.tlb.TlbConstants;
import dev.mkspec.model.tlb.TlbModel;
import dev.mkspec.model.tlb.TlbState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The guards a model names are the conditions its successor relation evaluates: at the bounds of
 * each area's fast configurations and of the bug variants that change a guard, in every reachable
 * state (or, above {@value #SAMPLE} states, in a fixed random sample of them), and for every
 * instance of every action schema, the action is enabled exactly when its guards all hold, and
 * when it is not, the last guard is the one that is false. The actions reported over an area's
 * fast bounds are exactly those its schemas name. AddressSpaces, Ipc, Tlb, Segments and
 * SmallSpaces name their guards.
 */
class GuardsProperties {
    private static final int SAMPLE = 4000;
    private static final int CAP = 40_000;

    private static <S> Set<String> agree(StateMachine<S> model, String bounds) {
        return guardsAgreeWithSuccessors(model, reachable(model, SAMPLE, CAP), bounds);
    }

    private static AddressSpacesModel spaces(List<String> spaces, int pages, List<String> perms, int order, Bug bug) {
        return new AddressSpacesModel(AddressSpacesConstants.of(spaces, pages, perms, order).withBug(bug));
    }

    private static IpcModel ipc(int pages, int order, List<String> spaces, List<String> perms, List<String> threads,
            List<Integer> threadSpaces, int maxVersion, List<String> timeouts, Set<String> ops, List<Integer> bits,
            int server, int ringSize, int requests, IpcBug bug) {
        AddressSpacesConstants as = AddressSpacesConstants.of(spaces, pages, perms, order);
        return new IpcModel(new IpcConstants(as, threads, threadSpaces, maxVersion, List.of(1), timeouts, ops, bits,
                server, ringSize, requests, "NoThread", "Any", "NoMsg", "NoItem", "NoWindow", bug));
    }

    private static final List<String> ALL_TIMEOUTS = List.of("zero", "finite", "inf");
    private static final Set<String> CALLS = Set.of("send", "recv", "call", "replywait", "delete", "create");

    /** MCIpc_fast's bounds, with a bug. */
    private static IpcModel ipcFast(IpcBug bug) {
        return ipc(1, 0, List.of("s1"), List.of("r"), List.of("a", "b"), List.of(1), 1, ALL_TIMEOUTS, CALLS, List.of(), -1,
                1, 0, bug);
    }

    /** MCIpc_fast_notify's bounds, with a bug. */
    private static IpcModel ipcNotify(IpcBug bug) {
        return ipc(1, 0, List.of("s1"), List.of("r"), List.of("a", "b"), List.of(1), 1, List.of("inf"),
                Set.of("signal", "wait", "delete", "create"), List.of(1, 2), -1, 1, 0, bug);
    }

    /** MCIpc_fast_batch's bounds, with a bug. */
    private static IpcModel ipcBatch(IpcBug bug) {
        return ipc(1, 0, List.of("s1"), List.of("r"), List.of("a", "b"), List.of(1), 1, List.of("inf"), Set.of("batch"),
                List.of(), -1, 2, 3, bug);
    }

    @Test
    void addressSpacesActionsAreEnabledExactlyWhenTheirGuardsHoldAtTheFastBounds() {
        AddressSpacesModel fast = spaces(List.of("s1", "s2"), 2, List.of("w"), 0, Bug.NONE);
        Set<String> reported = new HashSet<>(agree(fast, "fast"));
        reported.addAll(agree(spaces(List.of("s1"), 2, List.of("r", "w"), 0, Bug.NONE), "fast_rights"));
        reported.addAll(agree(spaces(List.of("s1", "s2"), 2, List.of("w"), 1, Bug.NONE), "fast_fpage"));
        reported.addAll(agree(spaces(List.of("s1", "s2", "s3"), 1, List.of("r", "w"), 0, Bug.NONE), "fast_grant"));
        reportsEverySchema(fast, reported);
    }

    @Test
    void addressSpacesBugVariantsThatChangeAGuardNameItAndAgreeWithTheirSuccessors() {
        agree(spaces(List.of("s1"), 1, List.of("w"), 0, Bug.SIGMA0_GRANT), "bug_sigma0_grant");
        agree(spaces(List.of("s1"), 2, List.of("r", "w"), 0, Bug.MAP_NO_RIGHTS_CHECK), "bug_map_no_rights_check");
        agree(spaces(List.of("s1"), 2, List.of("r", "w"), 0, Bug.MAP_EXACT_RIGHTS), "bug_map_exact_rights");
        agree(spaces(List.of("s1"), 2, List.of("r", "w"), 0, Bug.NEXT_SKIPS_SIGMA0_MAP), "bug_next_skips_sigma0_map");
        agree(spaces(List.of("s1"), 2, List.of("r", "w"), 0, Bug.UNMAP_NO_COMMIT), "bug_unmap_no_commit");
        agree(spaces(List.of("s1"), 2, List.of("r", "w"), 0, Bug.GRANT_NO_COMMIT), "bug_grant_no_commit");
    }

    @Test
    void ipcActionsAreEnabledExactlyWhenTheirGuardsHoldAtTheFastBounds() {
        IpcModel fast = ipcFast(IpcBug.NONE);
        Set<String> reported = new HashSet<>(agree(fast, "fast"));
        reported.addAll(agree(ipc(1, 0, List.of("s1"), List.of("r"), List.of("a", "b", "c"), List.of(1), 0, List.of("inf"),
                Set.of("send", "recv"), List.of(), -1, 1, 0, IpcBug.NONE), "fast_closed"));
        reported.addAll(agree(ipc(1, 0, List.of("s1"), List.of("r", "w"), List.of("p", "c"), List.of(0, 1), 0,
                List.of("inf"), Set.of("recv", "call", "replywait", "map", "grant"), List.of(), -1, 1, 0, IpcBug.NONE),
                "fast_map"));
        reported.addAll(agree(ipc(1, 0, List.of("s1"), List.of("r", "w"), List.of("p", "c"), List.of(0, 1), 0,
                List.of("inf"), Set.of("send", "recv", "map", "unmap"), List.of(), -1, 1, 0, IpcBug.NONE), "fast_revoke"));
        reported.addAll(agree(ipc(2, 1, List.of("s1"), List.of("w"), List.of("p", "c"), List.of(0, 1), 0, List.of("inf"),
                Set.of("send", "recv", "map", "unmap"), List.of(), -1, 1, 0, IpcBug.NONE), "fast_sizes"));
        reported.addAll(agree(ipc(1, 0, List.of("s1", "s2"), List.of("w"), List.of("p", "c", "d"), List.of(0, 1, 2), 0,
                List.of("inf"), Set.of("recv", "call", "replywait", "map", "grant"), List.of(), 1, 1, 0, IpcBug.NONE),
                "fast_grant (a server)"));
        reported.addAll(agree(ipcNotify(IpcBug.NONE), "fast_notify"));
        reported.addAll(agree(ipcBatch(IpcBug.NONE), "fast_batch"));
        reportsEverySchema(fast, reported);
    }

    @Test
    void ipcBugVariantsThatChangeAGuardNameItAndAgreeWithTheirSuccessors() {
        agree(ipc(1, 0, List.of("s1"), List.of("r"), List.of("a", "b"), List.of(0, 1), 1, ALL_TIMEOUTS,
                Set.of("send", "recv", "call", "replywait", "delete", "create", "signal", "wait", "unmap"), List.of(1), -1, 1,
                0, IpcBug.NEXT_ONLY_OPEN_RECEIVE), "bug_next_only_open_receive");
        agree(ipcFast(IpcBug.DELETE_REFUSES_BLOCKED), "bug_delete_refuses_blocked");
        agree(ipcNotify(IpcBug.VERSION_OVERFLOW), "bug_version_overflow");
        agree(ipcBatch(IpcBug.RING_OVERWRITE), "bug_ring_overwrite");
        agree(ipcBatch(IpcBug.RING_WHEN_FIRST), "bug_ring_when_first");
        agree(ipcFast(IpcBug.STALE_ID_UNCHECKED), "bug_stale_id_unchecked");
    }

    @Test
    void tlbActionsAreEnabledExactlyWhenTheirGuardsHoldAtTheFastBounds() {
        TlbModel fast = new TlbModel(TlbConstants.of(2, 2, 1, 2, true, 1));
        Set<String> reported = new HashSet<>(agree(fast, "fast"));
        reported.addAll(agree(new TlbModel(TlbConstants.of(2, 2, 1, 2, false, 0)), "fast_untagged"));
        reported.addAll(agree(new TlbModel(TlbConstants.of(3, 1, 1, 1, true, 1)), "fast_cpus3"));
        reported.addAll(agree(new TlbModel(TlbConstants.of(2, 3, 1, 1, true, 2)), "fast_asids"));
        reported.addAll(agree(new TlbModel(TlbConstants.of(2, 2, 2, 2, true, 1)), "fast_pages"));
        reported.addAll(agree(new TlbModel(TlbConstants.of(2, 2, 1, 2, true, 1).withDeletions(true)), "fast_delete"));
        reported.addAll(agree(new TlbModel(TlbConstants.of(2, 2, 1, 2, false, 0).withDeletions(true)),
                "fast_delete_untagged"));
        reported.addAll(agree(new TlbModel(TlbConstants.of(2, 2, 1, 1, true, 2).withDeletions(true)), "fast_delete_asids"));
        reportsEverySchema(fast, reported);
    }

    @Test
    void tlbBugVariantsThatChangeAGuardNameItAndAgreeWithTheirSuccessors() {
        agree(new TlbModel(TlbConstants.of(2, 3, 1, 1, true, 2).withBug(TlbBug.ACK_ONLY_RUNNING)), "bug_ack_only_running");
    }

    // ---------------------------------------------------------------------------------------------
    // What the guards say, case by case

    private static final AddressSpacesModel FAST = spaces(List.of("s1", "s2"), 2, List.of("w"), 0, Bug.NONE);

    private static List<Guard> guards(StateMachine<AddressSpacesState> m, AddressSpacesState s, String name,
            String... args) {
        return m.guards(s, new Action(name, List.of(args))).orElseThrow();
    }

    @Test
    void sigma0GrantingIsRefusedBySrcIsNotSigma0() {
        AddressSpacesState init = FAST.initialStates().get(0);
        assertEquals(List.of(new Guard("src \\in live", true), new Guard("dst \\in live", true),
                new Guard("dst # Sigma0", true), new Guard("src # Sigma0", false)),
                guards(FAST, init, "SpaceGrant", "Sigma0", "0", "s1", "0", "{\"w\"}"));
        AddressSpacesModel buggy = spaces(List.of("s1", "s2"), 2, List.of("w"), 0, Bug.SIGMA0_GRANT);
        assertTrue(guards(buggy, init, "SpaceGrant", "Sigma0", "0", "s1", "0", "{\"w\"}").stream().allMatch(Guard::holds),
                "the variant sigma0_grant has no such guard");
    }

    @Test
    void aMapFromAnEmptyFpageIsRefusedAfterTheSpacesAreChecked() {
        AddressSpacesState init = FAST.initialStates().get(0);
        List<Guard> g = guards(FAST, init, "SpaceMap", "s1", "1", "s2", "0", "{\"w\"}");
        assertEquals(new Guard("some page of the source fpage is mapped", false), g.get(g.size() - 1));
        assertEquals(4, g.size());
    }

    @Test
    void theVariantWhoseNextSkipsSigma0MapsNamesItsNarrowerQuantifier() {
        AddressSpacesModel buggy = spaces(List.of("s1", "s2"), 2, List.of("w"), 0, Bug.NEXT_SKIPS_SIGMA0_MAP);
        List<Guard> g = guards(buggy, buggy.initialStates().get(0), "SpaceMap", "Sigma0", "0", "s1", "0", "{\"w\"}");
        assertEquals(1, g.size());
        assertTrue(g.get(0).name().startsWith("src \\in MapSources") && !g.get(0).holds(), g.toString());
    }

    @Test
    void creatingASpaceThatExistsIsRefusedBySNotInLive() {
        assertEquals(List.of(new Guard("s \\notin live", false)),
                guards(FAST, FAST.initialStates().get(0), "SpaceCreate", "s1"));
    }

    @Test
    void anUnknownActionOrArgumentIsRefusedWithTheDomainInTheMessage() {
        AddressSpacesState init = FAST.initialStates().get(0);
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> guards(FAST, init, "SpaceFly", "s1"));
        assertTrue(name.getMessage().contains("SpaceMap"), name.getMessage());
        IllegalArgumentException arity = assertThrows(IllegalArgumentException.class,
                () -> guards(FAST, init, "SpaceCreate", "s1", "s2"));
        assertTrue(arity.getMessage().contains("1 arguments"), arity.getMessage());
        IllegalArgumentException domain = assertThrows(IllegalArgumentException.class,
                () -> guards(FAST, init, "SpaceCreate", "Sigma0"));
        assertTrue(domain.getMessage().contains("[s1, s2]"), domain.getMessage());
        assertThrows(IllegalArgumentException.class, () -> guards(FAST, init, "SpaceFlush", "s1", "3", "{\"w\"}"));
        assertThrows(IllegalArgumentException.class, () -> guards(FAST, init, "SpaceFlush", "s1", "0", "{\"r\"}"));
    }

    @Test
    void aRestrictedModelForwardsItsSchemasAndGuards() {
        StateMachine<AddressSpacesState> restricted = Restricted.to(FAST, List.of("TypeOK"), List.of());
        AddressSpacesState init = FAST.initialStates().get(0);
        assertEquals(FAST.actionSchemas(), restricted.actionSchemas());
        assertEquals(guards(FAST, init, "SpaceDelete", "s2"), guards(restricted, init, "SpaceDelete", "s2"));
    }

    @Test
    void aRolloverWithUntaggedTlbsIsRefusedByTagged() {
        TlbModel m = new TlbModel(TlbConstants.of(2, 2, 1, 2, false, 0));
        TlbState init = m.initialStates().get(0);
        assertEquals(List.of(new Guard("Tagged", false)),
                m.guards(init, new Action("AsidRollover", List.of("c1", "s1"))).orElseThrow());
    }

    @Test
    void anOperationOutsideOpsIsRefusedByItsOpsGuard() {
        IpcModel m = ipcFast(IpcBug.NONE);
        IpcState init = m.initialStates().get(0);
        assertEquals(List.of(new Guard("\"wait\" \\in Ops", false)),
                m.guards(init, new Action("Wait", List.of("a"))).orElseThrow());
        assertEquals(List.of(new Guard("\"batch\" \\in Ops", false)),
                m.guards(init, new Action("BatchPut", List.of())).orElseThrow());
    }

    @Test
    void aSendToItselfIsRefusedAndASendToADeadThreadIsEnabled() {
        IpcModel m = ipcFast(IpcBug.NONE);
        IpcState init = m.initialStates().get(0);
        Action self = new Action("Send", List.of("a", m.idTla(0), "[w |-> 1, item |-> NoItem]", "\"inf\"", "NoThread"));
        List<Guard> g = m.guards(init, self).orElseThrow();
        assertEquals(new Guard("to.slot # t", false), g.get(g.size() - 1));
        Action stale = new Action("Send", List.of("a", m.idTla(3), "[w |-> 1, item |-> NoItem]", "\"inf\"", "NoThread"));
        assertTrue(m.guards(init, stale).orElseThrow().stream().allMatch(Guard::holds),
                "a send naming a stale ID is enabled: it ends with \"nopartner\"");
        assertTrue(m.enabled(init).contains(stale));
    }

    // ---------------------------------------------------------------------------------------------
    // Segments and SmallSpaces

    private static final int R = SegmentsConstants.R;
    private static final int C = SegmentsConstants.C;
    /** MCSegments' CallsS: C may call S. */
    private static final List<FirstGrant> CALLS_S = List.of(new FirstGrant(0, 2, 2, C));
    /** MCSegments' GrantedSC: S has granted C its segment with every right. */
    private static final List<FirstGrant> GRANTED_SC = List.of(new FirstGrant(0, 2, 2, R | C));

    /**
     * The bounds of MCSegments' fast cfgs but fast_budget: domains C and S, t1 C's thread and t2
     * S's, two slots (C's and S's), two selectors, Rights {"r", "c"}, MaxDepth 1, nothing hostile,
     * no budget.
     */
    private static SegmentsModel segments(List<String> regs, List<FirstGrant> grants, int segs, Set<Op> ops, int server,
            int requests, SegmentsBug bug) {
        return new SegmentsModel(new SegmentsConstants(List.of("C", "S"), List.of("t1", "t2"), new int[] {0, 1}, regs, 2,
                new int[] {0, 1}, grants, 2, segs, R | C, ops, 1, 0, 0, server, requests, "NoDomain", "NoThread", bug));
    }

    /** MCSegments_fast_lend's bounds, with a bug. */
    private static SegmentsModel segmentsLend(SegmentsBug bug) {
        return segments(List.of("ds"), CALLS_S, 2, EnumSet.of(Op.LOAD, Op.SPILL, Op.CALL, Op.GRANTREG), -1, 0, bug);
    }

    /** MCSegments_fast_revoke's bounds, with a bug. */
    private static SegmentsModel segmentsRevoke(SegmentsBug bug) {
        return segments(List.of("ds"), GRANTED_SC, 2, EnumSet.of(Op.LOAD, Op.GRANT, Op.REVOKE), -1, 0, bug);
    }

    /** MCSegments_fast_revoke_frames' bounds, with a bug. */
    private static SegmentsModel segmentsRevokeFrames(SegmentsBug bug) {
        return segments(List.of("ds"), GRANTED_SC, 2, EnumSet.of(Op.LOAD, Op.CALL, Op.REVOKE), -1, 0, bug);
    }

    /**
     * MCSegments_fast_budget's bounds, with a bug: domains C, S and U, C's thread t1 alone, slot 1
     * S's and slot 2 U's, C may call S and S (hostile) may call U, MaxDepth 2, Budget 2.
     */
    private static SegmentsModel segmentsBudget(SegmentsBug bug) {
        return new SegmentsModel(new SegmentsConstants(List.of("C", "S", "U"), List.of("t1"), new int[] {0}, List.of(), 2,
                new int[] {1, 2}, List.of(new FirstGrant(0, 1, 1, C), new FirstGrant(1, 2, 2, C)), 2, 2, R | C,
                EnumSet.of(Op.CALL), 2, 0b010, 2, -1, 0, "NoDomain", "NoThread", bug));
    }

    @Test
    void segmentsActionsAreEnabledExactlyWhenTheirGuardsHoldAtTheFastBounds() {
        SegmentsModel lend = segmentsLend(SegmentsBug.NONE);
        Set<String> reported = new HashSet<>(agree(lend, "fast_lend"));
        reported.addAll(agree(segmentsRevoke(SegmentsBug.NONE), "fast_revoke"));
        reported.addAll(agree(segmentsRevokeFrames(SegmentsBug.NONE), "fast_revoke_frames"));
        reported.addAll(agree(segments(List.of("ds"), GRANTED_SC, 3, EnumSet.of(Op.LOAD, Op.TLB, Op.DELETE, Op.CREATE), -1,
                0, SegmentsBug.NONE), "fast_delete"));
        reported.addAll(agree(segmentsBudget(SegmentsBug.NONE), "fast_budget"));
        reported.addAll(agree(segments(List.of(), CALLS_S, 2, EnumSet.of(Op.CALL, Op.RING), 1, 2, SegmentsBug.NONE),
                "fast_ring"));
        reportsEverySchema(lend, reported);
    }

    @Test
    void segmentsBugVariantsThatChangeAGuardNameItAndAgreeWithTheirSuccessors() {
        agree(segmentsRevokeFrames(SegmentsBug.REVOKE_RETURNS_EARLY), "bug_revoke_returns_early");
        agree(segmentsLend(SegmentsBug.CALLEE_COPIES_LENT), "bug_callee_copies_lent");
        agree(segmentsRevoke(SegmentsBug.GRANT_FULL_ONLY), "bug_grant_full_only");
        agree(segmentsBudget(SegmentsBug.ABORT_EARLY), "bug_abort_early");
    }

    /** MCSmallSpaces_fast's bounds (two large spaces, two small ones of a page each, one CPU), with a bug. */
    private static SmallSpacesModel smallSpacesFast(SmallSpacesBug bug) {
        return new SmallSpacesModel(new SmallSpacesConstants(List.of("L1", "L2"), List.of("S1", "S2"), List.of("c1"), 2,
                new int[] {2, 3}, new int[] {1, 1}, new int[] {0}, bug));
    }

    @Test
    void smallSpacesActionsAreEnabledExactlyWhenTheirGuardsHoldAtTheFastBounds() {
        SmallSpacesModel fast = smallSpacesFast(SmallSpacesBug.NONE);
        Set<String> reported = new HashSet<>(agree(fast, "fast"));
        reported.addAll(agree(new SmallSpacesModel(new SmallSpacesConstants(List.of("L1"), List.of("S1"),
                List.of("c1", "c2"), 2, new int[] {2}, new int[] {1}, new int[] {0, 0}, SmallSpacesBug.NONE)), "fast_cpus2"));
        reportsEverySchema(fast, reported);
    }

    @Test
    void smallSpacesBugVariantsThatChangeAGuardNameItAndAgreeWithTheirSuccessors() {
        agree(smallSpacesFast(SmallSpacesBug.MAP_SHORT_WINDOW), "bug_map_short_window");
        // A window of two pages, so that the bug's guard holds for one of them.
        agree(new SmallSpacesModel(new SmallSpacesConstants(List.of("L1"), List.of("S1", "S2"), List.of("c1"), 3,
                new int[] {3, 5}, new int[] {2, 1}, new int[] {0}, SmallSpacesBug.MAP_SHORT_WINDOW)),
                "bug_map_short_window (NPages 3, a window of two pages)");
    }

    /** The successor of {@code s} by {@code action}, which must be enabled. */
    private static <S> S after(StateMachine<S> m, S s, String name, String... args) {
        Action a = new Action(name, List.of(args));
        List<S> next = new ArrayList<>();
        m.successors(s, (b, n) -> {
            if (b.equals(a)) {
                next.add(n);
            }
        });
        assertEquals(1, next.size(), a + " is not enabled once: " + m.enabled(s));
        return next.get(0);
    }

    private static <S> List<Guard> guardsOf(StateMachine<S> m, S s, String name, String... args) {
        return m.guards(s, new Action(name, List.of(args))).orElseThrow();
    }

    private static <S> Guard last(StateMachine<S> m, S s, String name, String... args) {
        List<Guard> g = guardsOf(m, s, name, args);
        return g.get(g.size() - 1);
    }

    @Test
    void aCalleeGrantingARegisterItWasLentIsRefusedUnlessTheBugLetsIt() {
        for (SegmentsBug bug : List.of(SegmentsBug.NONE, SegmentsBug.CALLEE_COPIES_LENT)) {
            SegmentsModel m = segmentsLend(bug);
            SegmentsState loaded = after(m, m.initialStates().get(0), "RegLoad", "t1", "\"ds\"", "1");
            SegmentsState inS = after(m, loaded, "FarCall", "t1", "2");
            List<Guard> g = guardsOf(m, inS, "GrantFromReg", "t1", "\"ds\"", "S", "1", "{\"r\"}");
            if (bug == SegmentsBug.NONE) {
                assertEquals(new Guard("reg[t][r].from = dom[t]", false), g.get(g.size() - 1));
            } else {
                assertTrue(g.stream().allMatch(Guard::holds), g.toString());
                assertTrue(g.contains(new Guard("R \\subseteq reg[t][r].rights (bug callee_copies_lent)", true)),
                        g.toString());
            }
        }
    }

    @Test
    void aNarrowedGrantIsRefusedOnlyByTheVariantThatGrantsAllRights() {
        SegmentsModel good = segmentsRevoke(SegmentsBug.NONE);
        SegmentsModel buggy = segmentsRevoke(SegmentsBug.GRANT_FULL_ONLY);
        SegmentsState init = good.initialStates().get(0);
        String[] narrowed = {"t1", "1", "S", "1", "{\"r\"}"};
        assertTrue(guardsOf(good, init, "GrantEntry", narrowed).stream().allMatch(Guard::holds));
        assertEquals(new Guard("R = vst[dom[t]][s].rights (bug grant_full_only)", false),
                last(buggy, init, "GrantEntry", narrowed));
        assertEquals(new Guard("R # {}", false), last(good, init, "GrantEntry", "t1", "1", "S", "1", "{}"));
        assertEquals(new Guard("d2 # dom[t]", false), last(good, init, "GrantEntry", "t1", "1", "C", "1", "{\"r\"}"));
    }

    @Test
    void theAbortWaitsForTheBudgetOrWithTheBugOneTickLess() {
        for (SegmentsBug bug : List.of(SegmentsBug.NONE, SegmentsBug.ABORT_EARLY)) {
            SegmentsModel m = segmentsBudget(bug);
            SegmentsState called = after(m, m.initialStates().get(0), "FarCall", "t1", "1");
            SegmentsState ticked = after(m, called, "BudgetTick", "t1");
            Guard g = last(m, ticked, "CallAbort", "t1");
            assertEquals(bug == SegmentsBug.NONE ? new Guard("spent[t] >= Budget", false)
                    : new Guard("spent[t] >= Budget - 1 (bug abort_early)", true), g);
        }
    }

    @Test
    void theAskerOfARevocationWaitsUnlessTheBugReturnsEarly() {
        for (SegmentsBug bug : List.of(SegmentsBug.NONE, SegmentsBug.REVOKE_RETURNS_EARLY)) {
            SegmentsModel m = segmentsRevokeFrames(bug);
            SegmentsState revoking = after(m, m.initialStates().get(0), "SegRevoke", "t2", "C", "2");
            List<Guard> load = guardsOf(m, revoking, "RegLoad", "t2", "\"ds\"", "2");
            assertEquals(bug == SegmentsBug.NONE ? List.of(new Guard("\"load\" \\in Ops", true), new Guard("~Busy(t)", false))
                    : List.of(new Guard("\"load\" \\in Ops", true)), load);
        }
    }

    @Test
    void theRingsServerIsNamedConjunctByConjunctAndARestoreOfAnUnsavedValueIsRefused() {
        SegmentsModel lend = segmentsLend(SegmentsBug.NONE);
        SegmentsState init = lend.initialStates().get(0);
        assertEquals(List.of(new Guard("Server # NoThread", false)), guardsOf(lend, init, "ServerTake"));
        assertEquals(new Guard("v \\in mem[dom[t]]", false), last(lend, init, "RegRestore", "t1", "\"ds\"",
                "[slot |-> 0, rights |-> {}, from |-> NoDomain, sel |-> 1]"));
        assertEquals(List.of(new Guard("\"ring\" \\in Ops", false)), guardsOf(lend, init, "RingPut", "t1"));
    }

    @Test
    void anAccessHasNoGuardsAndAnEvictionOfAnEntryNotCachedIsRefused() {
        SmallSpacesModel m = smallSpacesFast(SmallSpacesBug.NONE);
        SmallSpacesState init = m.initialStates().get(0);
        assertEquals(List.of(), guardsOf(m, init, "Access", "c1", "3"));
        assertEquals(List.of(new Guard("e \\in tlb[c]", false)), guardsOf(m, init, "Evict", "c1", "<<2, <<S1, 0>>>>"));
        assertEquals(List.of(new Guard("p \\in PagesOf(s)", false)), guardsOf(m, init, "Map", "S1", "1"));
        SmallSpacesModel buggy = smallSpacesFast(SmallSpacesBug.MAP_SHORT_WINDOW);
        assertEquals(new Guard("p < Size[s] - 1 (bug map_short_window)", false), last(buggy, init, "Map", "S1", "0"));
        assertEquals(2, guardsOf(buggy, init, "Map", "L1", "1").size(), "a map into a large space has no such guard");
    }
}
