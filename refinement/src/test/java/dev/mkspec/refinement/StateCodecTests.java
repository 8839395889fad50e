package dev.mkspec.refinement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.Counterexample;
import dev.mkspec.check.ExplorationResult;
import dev.mkspec.check.Explorer;
import dev.mkspec.check.ExplorerOptions;
import dev.mkspec.check.ExplorerVerdict;
import dev.mkspec.check.StateCodec;
import dev.mkspec.check.StateMachine;
import dev.mkspec.model.ipc.IpcState;
import dev.mkspec.model.ipc.IpcState.Kind;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Every model's {@link StateMachine#codec} reads back what it wrote, and the explorer with its
 * frontier on disk searches as it does on the heap. The models are built from the areas' cfgs
 * through {@link ModelBindings}, as {@code ./mkspec explore} builds them.
 */
class StateCodecTests {
    private static final Path SPECS = Path.of("..", "specs", "tla");
    /** Beyond this many states a cfg is explored no further (the fast cfgs stay well below it). */
    private static final int CAP = 300_000;

    private static CfgFile cfg(String area, String name) {
        return CfgParser.parse(SPECS.resolve(area).resolve("MC" + area + "_" + name + ".cfg"));
    }

    private static StateMachine<?> model(String area, String name) {
        return ModelBindings.standard().find(area).orElseThrow().fromConfig(cfg(area, name));
    }

    private static StateMachine<?> configured(String area, String name) {
        return ModelBindings.standard().find(area).orElseThrow().configured(cfg(area, name));
    }

    @Test
    void everyReachableStateReadsBackEqualWithItsFingerprint() {
        List<String[]> cfgs = List.of(new String[] {"AddressSpaces", "fast"}, new String[] {"AddressSpaces", "fast_grant"},
                new String[] {"AddressSpaces", "fast_fpage"}, new String[] {"Ipc", "fast_grant"},
                new String[] {"Ipc", "fast_batch"}, new String[] {"Tlb", "fast_pages"}, new String[] {"Tlb", "fast_delete"},
                new String[] {"Segments", "fast_lend"}, new String[] {"Segments", "fast_revoke_frames"},
                new String[] {"Segments", "fast_delete"}, new String[] {"Segments", "fast_ring"},
                new String[] {"SmallSpaces", "fast"}, new String[] {"SmallSpaces", "fast_cpus2"});
        for (String[] c : cfgs) {
            roundTripEveryReachableState(model(c[0], c[1]), (a, b) -> { });
        }
    }

    @Test
    void ipcReadsBackTheThreadStatesItShares() {
        for (String name : List.of("fast", "fast_notify")) {
            StateMachine<?> model = model("Ipc", name);
            int threads = ((dev.mkspec.model.ipc.IpcModel) model).constants().threads().size();
            Set<Kind> shared = EnumSet.of(Kind.READY, Kind.DEAD, Kind.WAIT);
            roundTripEveryReachableState(model, (x, y) -> {
                IpcState a = (IpcState) x;
                IpcState b = (IpcState) y;
                for (int t = 0; t < threads; t++) {
                    if (shared.contains(a.thread(t).kind())) {
                        assertSame(a.thread(t), b.thread(t), "a thread state the model shares");
                    }
                }
            });
        }
    }

    @Test
    void theFrontierOnDiskGivesTheSameSearchOnEveryModel() {
        // Budget 0: every level after the first goes to disk. One success cfg and one bug variant
        // per area, with the cfg's own invariants and action properties.
        List<String[]> cfgs = List.of(new String[] {"AddressSpaces", "fast_grant"},
                new String[] {"AddressSpaces", "bug_grant_no_narrow"}, new String[] {"Ipc", "fast_notify"},
                new String[] {"Ipc", "bug_closed_takes_head"}, new String[] {"Tlb", "fast_delete"},
                new String[] {"Tlb", "bug_single_ack_flag"}, new String[] {"Segments", "fast_lend"},
                new String[] {"Segments", "bug_revoke_shallow"}, new String[] {"SmallSpaces", "fast_cpus2"},
                new String[] {"SmallSpaces", "bug_switch_keeps_segment"});
        for (String[] c : cfgs) {
            sameSearch(configured(c[0], c[1]), c[0] + "/" + c[1], c[1].startsWith("bug_"));
        }
    }

    private static <S> void sameSearch(StateMachine<S> model, String what, boolean bug) {
        ExplorerOptions o = ExplorerOptions.defaults().withWorkers(2).withTimeout(Duration.ofMinutes(2))
                .withCheckDeadlock(false);
        ExplorationResult<S> heap = Explorer.explore(model, o.withFrontierBudget(Long.MAX_VALUE));
        ExplorationResult<S> disk = Explorer.explore(model, o.withFrontierBudget(0));
        assertEquals(bug, heap.counterexample().isPresent(), what + ": " + heap.summaryLine());
        assertEquals(bug, heap.verdict() != ExplorerVerdict.SUCCESS, what);
        assertEquals(0, heap.frontier().statesOnDisk(), what);
        assertTrue(disk.frontier().statesOnDisk() > 0, what);
        assertEquals(heap.verdict(), disk.verdict(), what);
        assertEquals(heap.violatedId(), disk.violatedId(), what);
        assertEquals(heap.distinctStates(), disk.distinctStates(), what);
        if (!bug) {
            // A violation stops the level while other pieces of it may be under way, so the states
            // generated before the stop depend on how the level was shared out.
            assertEquals(heap.generatedStates(), disk.generatedStates(), what);
        }
        assertEquals(heap.depth(), disk.depth(), what);
        assertEquals(heap.counterexample().map(StateCodecTests::steps), disk.counterexample().map(StateCodecTests::steps),
                what);
    }

    private static <S> List<String> steps(Counterexample<S> cx) {
        return cx.steps().stream().map(s -> s.action().map(Object::toString).orElse("init") + " -> " + s.state()).toList();
    }

    @Test
    void variableLengthIntsAndLongsRoundTripAtTheirExtremes() throws IOException {
        int[] ints = {0, -1, 1, -2, 63, -64, 64, -65, 8191, 8192, Integer.MAX_VALUE, Integer.MIN_VALUE};
        int[] intBytes = {1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 5, 5};
        long[] longs = {0, 1, 127, 128, 1L << 62, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        int[] longBytes = {1, 1, 1, 2, 9, 9, 10, 10};
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (int i = 0; i < ints.length; i++) {
            buffer.reset();
            StateCodec.writeVarInt(new DataOutputStream(buffer), ints[i]);
            assertEquals(intBytes[i], buffer.size(), "the bytes of " + ints[i]);
            assertEquals(ints[i], StateCodec.readVarInt(in(buffer)));
        }
        for (int i = 0; i < longs.length; i++) {
            buffer.reset();
            StateCodec.writeVarLong(new DataOutputStream(buffer), longs[i]);
            assertEquals(longBytes[i], buffer.size(), "the bytes of " + longs[i]);
            assertEquals(longs[i], StateCodec.readVarLong(in(buffer)));
        }
        buffer.reset();
        StateCodec.writeVarInts(new DataOutputStream(buffer), ints);
        assertArrayEquals(ints, StateCodec.readVarInts(in(buffer)));
    }

    private static DataInputStream in(ByteArrayOutputStream written) {
        return new DataInputStream(new ByteArrayInputStream(written.toByteArray()));
    }

    /**
     * Writes and reads back every state reachable from the model's initial states (up to
     * {@link #CAP}): the state read back is {@code equals} to the one written, with its hash code
     * and fingerprint, every byte is read, and writing it again gives the same bytes; then
     * {@code also} on the state and the one read back.
     */
    @SuppressWarnings("unchecked")
    private static <S> void roundTripEveryReachableState(StateMachine<S> model, BiConsumer<Object, Object> also) {
        StateCodec<S> codec = model.codec().orElseThrow();
        Set<S> seen = new HashSet<>(model.initialStates());
        ArrayDeque<S> frontier = new ArrayDeque<>(seen);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        while (!frontier.isEmpty()) {
            S s = frontier.poll();
            byte[] written = write(codec, s, buffer);
            S read = read(codec, written);
            assertEquals(s, read);
            assertEquals(s.hashCode(), read.hashCode(), () -> "the hash code of " + s);
            assertEquals(model.fingerprint(s), model.fingerprint(read), () -> "the fingerprint of " + s);
            assertArrayEquals(written, write(codec, read, buffer), () -> "the bytes of " + s + " written twice");
            also.accept(s, read);
            model.successors(s, (a, next) -> {
                if (seen.size() < CAP && seen.add(next)) {
                    frontier.add(next);
                }
            });
        }
        assertTrue(seen.size() > 1, model.name() + ": the cfg reaches more than its initial state");
    }

    private static <S> byte[] write(StateCodec<S> codec, S s, ByteArrayOutputStream buffer) {
        buffer.reset();
        try {
            codec.write(s, new DataOutputStream(buffer));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static <S> S read(StateCodec<S> codec, byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        try {
            S s = codec.read(new DataInputStream(in));
            assertEquals(0, in.available(), "bytes left unread");
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
