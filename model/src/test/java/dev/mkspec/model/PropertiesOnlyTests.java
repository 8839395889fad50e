package dev.mkspec.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mkspec.check.Action;
import dev.mkspec.check.ExplorationObserver;
import dev.mkspec.check.ExplorationResult;
import dev.mkspec.check.Explorer;
import dev.mkspec.check.ExplorerOptions;
import dev.mkspec.check.ExplorerVerdict;
import dev.mkspec.check.StateMachine;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import dev.mkspec.model.addressspaces.AddressSpacesModel;
import dev.mkspec.model.ipc.IpcBug;
import dev.mkspec.model.ipc.IpcConstants;
import dev.mkspec.model.ipc.IpcModel;
import dev.mkspec.model.tlb.TlbConstants;
import dev.mkspec.model.tlb.TlbModel;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;

/**
 * The Java models judged by their properties alone, at the bounds of the fast configurations: no
 * pinned state count, no comparison with TLC's graph. This is the test that mutation testing of
 * the Java models runs (the {@code mutation} profile: PIT mutates the model's code and counts a
 * mutant killed when an invariant or action property here fails), so that the models' properties
 * are measured as the TLA+ ones are by {@code ./mkspec mutate}. Like the fast profile's coverage
 * check, each area's bounds together must also take every action: a model whose code stops taking
 * one (or that has no initial state) passes every safety property.
 */
class PropertiesOnlyTests {

    /** Explores the model, asserts that no property fails, and adds the actions taken to {@code fired}. */
    private static <S> void holds(StateMachine<S> model, String bounds, Set<String> fired) {
        ExplorationObserver<S> observer = new ExplorationObserver<>() {
            @Override
            public void edge(long from, Action action, long to) {
                fired.add(action.name());
            }

            @Override
            public boolean wantsGraph() {
                return true;
            }
        };
        ExplorationResult<S> r = Explorer.explore(model, ExplorerOptions.defaults().withWorkers(1).withCheckDeadlock(false),
                observer);
        assertEquals(ExplorerVerdict.SUCCESS, r.verdict(), bounds + ": " + r.message());
    }

    private static void allTaken(Set<String> fired, String... actions) {
        assertEquals(new TreeSet<>(List.of(actions)), new TreeSet<>(fired), "the actions the fast bounds take");
    }

    /** The bounds of MCAddressSpaces_fast, fast_rights, fast_fpage and fast_grant. */
    @Test
    void addressSpacesAtTheFastBounds() {
        Set<String> fired = new ConcurrentSkipListSet<>();
        holds(new AddressSpacesModel(AddressSpacesConstants.of(List.of("s1", "s2"), 2, List.of("w"), 0)), "fast", fired);
        holds(new AddressSpacesModel(AddressSpacesConstants.of(List.of("s1"), 2, List.of("r", "w"), 0)), "fast_rights", fired);
        holds(new AddressSpacesModel(AddressSpacesConstants.of(List.of("s1", "s2"), 2, List.of("w"), 1)), "fast_fpage", fired);
        holds(new AddressSpacesModel(AddressSpacesConstants.of(List.of("s1", "s2", "s3"), 1, List.of("r", "w"), 0)),
                "fast_grant", fired);
        allTaken(fired, "SpaceMap", "SpaceGrant", "SpaceFlush", "SpaceUnmap", "SpaceCreate", "SpaceDelete");
    }

    /** The bounds of MCTlb_fast, fast_untagged, fast_cpus3, fast_asids, fast_pages, fast_delete, fast_delete_untagged and fast_delete_asids. */
    @Test
    void tlbAtTheFastBounds() {
        Set<String> fired = new ConcurrentSkipListSet<>();
        holds(new TlbModel(TlbConstants.of(2, 2, 1, 2, true, 1)), "fast", fired);
        holds(new TlbModel(TlbConstants.of(2, 2, 1, 2, false, 0)), "fast_untagged", fired);
        holds(new TlbModel(TlbConstants.of(3, 1, 1, 1, true, 1)), "fast_cpus3", fired);
        holds(new TlbModel(TlbConstants.of(2, 3, 1, 1, true, 2)), "fast_asids", fired);
        holds(new TlbModel(TlbConstants.of(2, 2, 2, 2, true, 1)), "fast_pages", fired);
        holds(new TlbModel(TlbConstants.of(2, 2, 1, 2, true, 1).withDeletions(true)), "fast_delete", fired);
        holds(new TlbModel(TlbConstants.of(2, 2, 1, 2, false, 0).withDeletions(true)), "fast_delete_untagged", fired);
        holds(new TlbModel(TlbConstants.of(2, 2, 1, 1, true, 2).withDeletions(true)), "fast_delete_asids", fired);
        allTaken(fired, "TlbFill", "TlbEvict", "PageMap", "PageUnmap", "PageDowngrade", "ShootdownAck", "ShootdownFinish",
                "SpaceSwitch", "AsidRollover", "SpaceDelete");
    }

    private static IpcModel ipc(List<String> perms, List<String> threads, List<Integer> threadSpaces, int maxVersion,
            List<String> timeouts, Set<String> ops, List<Integer> bits, int ringSize, int requests) {
        return ipc(1, 0, perms, threads, threadSpaces, maxVersion, timeouts, ops, bits, ringSize, requests);
    }

    private static IpcModel ipc(int pages, int fpageOrder, List<String> perms, List<String> threads,
            List<Integer> threadSpaces, int maxVersion, List<String> timeouts, Set<String> ops, List<Integer> bits,
            int ringSize, int requests) {
        AddressSpacesConstants spaces = AddressSpacesConstants.of(List.of("s1"), pages, perms, fpageOrder);
        return new IpcModel(new IpcConstants(spaces, threads, threadSpaces, maxVersion, List.of(1), timeouts, ops, bits,
                -1, ringSize, requests, "NoThread", "Any", "NoMsg", "NoItem", "NoWindow", IpcBug.NONE));
    }

    /** The bounds of MCIpc_fast, fast_closed, fast_map, fast_revoke, fast_sizes, fast_notify and fast_batch. */
    @Test
    void ipcAtTheFastBounds() {
        Set<String> fired = new ConcurrentSkipListSet<>();
        holds(ipc(List.of("r"), List.of("a", "b"), List.of(1), 1, List.of("zero", "finite", "inf"),
                Set.of("send", "recv", "call", "replywait", "delete", "create"), List.of(), 1, 0), "fast", fired);
        holds(ipc(List.of("r"), List.of("a", "b", "c"), List.of(1), 0, List.of("inf"), Set.of("send", "recv"), List.of(),
                1, 0), "fast_closed", fired);
        holds(ipc(List.of("r", "w"), List.of("p", "c"), List.of(0, 1), 0, List.of("inf"),
                Set.of("recv", "call", "replywait", "map", "grant"), List.of(), 1, 0), "fast_map", fired);
        holds(ipc(List.of("r", "w"), List.of("p", "c"), List.of(0, 1), 0, List.of("inf"),
                Set.of("send", "recv", "map", "unmap"), List.of(), 1, 0), "fast_revoke", fired);
        holds(ipc(2, 1, List.of("w"), List.of("p", "c"), List.of(0, 1), 0, List.of("inf"),
                Set.of("send", "recv", "map", "unmap"), List.of(), 1, 0), "fast_sizes", fired);
        holds(ipc(List.of("r"), List.of("a", "b"), List.of(1), 1, List.of("inf"), Set.of("signal", "wait", "delete", "create"),
                List.of(1, 2), 1, 0), "fast_notify", fired);
        holds(ipc(List.of("r"), List.of("a", "b"), List.of(1), 1, List.of("inf"), Set.of("batch"), List.of(), 2, 3),
                "fast_batch", fired);
        allTaken(fired, "Send", "Call", "Receive", "ReplyWait", "TimeoutFires", "ThreadDelete", "ThreadCreate", "Signal",
                "Wait", "BatchPut", "BatchRing", "BatchDrain", "BatchAnswer", "Unmap");
    }
}
