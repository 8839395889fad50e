package dev.mkspec.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.StateCodec;
import dev.mkspec.check.StateMachine;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import dev.mkspec.model.addressspaces.AddressSpacesModel;
import dev.mkspec.model.addressspaces.Bug;
import dev.mkspec.model.ipc.IpcBug;
import dev.mkspec.model.ipc.IpcConstants;
import dev.mkspec.model.ipc.IpcModel;
import dev.mkspec.model.ipc.IpcState;
import dev.mkspec.model.ipc.IpcState.Kind;
import dev.mkspec.model.segments.SegmentsBug;
import dev.mkspec.model.segments.SegmentsConstants;
import dev.mkspec.model.segments.SegmentsConstants.FirstGrant;
import dev.mkspec.model.segments.SegmentsConstants.Op;
import dev.mkspec.model.segments.SegmentsModel;
import dev.mkspec.model.smallspaces.SmallSpacesBug;
import dev.mkspec.model.smallspaces.SmallSpacesConstants;
import dev.mkspec.model.smallspaces.SmallSpacesModel;
import dev.mkspec.model.tlb.TlbBug;
import dev.mkspec.model.tlb.TlbConstants;
import dev.mkspec.model.tlb.TlbModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Every model's {@link StateMachine#codec} reads back what it wrote: in every reachable state of
 * one or more of each area's fast cfgs, the state read back is {@code equals} to the one written,
 * with its hash code and fingerprint, and writing it again gives the same bytes. The cfgs are read
 * from {@code specs/tla}; the operators of their {@code MC} modules that a cfg substitutes for a
 * constant ({@code Home <- HomeCS}) are written out here. The states reached and the bytes per
 * state are published as report entries. The variable-length ints the codecs write read back at
 * their extremes.
 */
class StateCodecTests {
    /** Beyond this many states a cfg is explored no further (the fast cfgs stay well below it). */
    private static final int CAP = 300_000;

    @Test
    void addressSpacesStatesRoundTrip(TestReporter report) throws IOException {
        for (String name : List.of("MCAddressSpaces_fast.cfg", "MCAddressSpaces_fast_grant.cfg")) {
            AddressSpacesModel model = new AddressSpacesModel(Cfg.read("AddressSpaces", name).addressSpaces());
            report.publishEntry(name, roundTripEveryReachableState(model, (a, b) -> { }).toString());
        }
    }

    @Test
    void ipcStatesRoundTripAndKeepTheSharedThreadStates(TestReporter report) throws IOException {
        for (String name : List.of("MCIpc_fast.cfg", "MCIpc_fast_grant.cfg", "MCIpc_fast_notify.cfg",
                "MCIpc_fast_batch.cfg")) {
            IpcModel model = new IpcModel(Cfg.read("Ipc", name).ipc());
            int threads = model.constants().threads().size();
            Set<Kind> shared = EnumSet.of(Kind.READY, Kind.DEAD, Kind.WAIT);
            report.publishEntry(name, roundTripEveryReachableState(model, (IpcState a, IpcState b) -> {
                for (int t = 0; t < threads; t++) {
                    if (shared.contains(a.thread(t).kind())) {
                        assertSame(a.thread(t), b.thread(t), "a thread state the model shares");
                    }
                }
            }).toString());
        }
    }

    @Test
    void tlbStatesRoundTrip(TestReporter report) throws IOException {
        for (String name : List.of("MCTlb_fast_pages.cfg", "MCTlb_fast_delete.cfg")) {
            TlbModel model = new TlbModel(Cfg.read("Tlb", name).tlb());
            report.publishEntry(name, roundTripEveryReachableState(model, (a, b) -> { }).toString());
        }
    }

    @Test
    void segmentsStatesRoundTrip(TestReporter report) throws IOException {
        for (String name : List.of("MCSegments_fast_lend.cfg", "MCSegments_fast_revoke.cfg",
                "MCSegments_fast_revoke_frames.cfg", "MCSegments_fast_delete.cfg", "MCSegments_fast_ring.cfg")) {
            SegmentsModel model = new SegmentsModel(Cfg.read("Segments", name).segments());
            report.publishEntry(name, roundTripEveryReachableState(model, (a, b) -> { }).toString());
        }
    }

    @Test
    void smallSpacesStatesRoundTrip(TestReporter report) throws IOException {
        for (String name : List.of("MCSmallSpaces_fast.cfg", "MCSmallSpaces_fast_cpus2.cfg")) {
            SmallSpacesModel model = new SmallSpacesModel(Cfg.read("SmallSpaces", name).smallSpaces());
            report.publishEntry(name, roundTripEveryReachableState(model, (a, b) -> { }).toString());
        }
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

    // ---------------------------------------------------------------------------------------------
    // The round trip

    /** The states a cfg reaches and the bytes their encodings take. */
    private record Encoded(int states, long bytes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d states, %.2f bytes a state", states, (double) bytes / states);
        }
    }

    /**
     * Writes and reads back every state reachable from the model's initial states (up to
     * {@link #CAP}), checking each as the class comment says, and {@code also} on the state and the
     * one read back.
     */
    private static <S> Encoded roundTripEveryReachableState(StateMachine<S> model, BiConsumer<S, S> also) {
        StateCodec<S> codec = model.codec().orElseThrow();
        Set<S> seen = new HashSet<>(model.initialStates());
        ArrayDeque<S> frontier = new ArrayDeque<>(seen);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        long bytes = 0;
        while (!frontier.isEmpty()) {
            S s = frontier.poll();
            byte[] written = write(codec, s, buffer);
            S read = read(codec, written);
            assertEquals(s, read);
            assertEquals(s.hashCode(), read.hashCode(), () -> "the hash code of " + s);
            assertEquals(model.fingerprint(s), model.fingerprint(read), () -> "the fingerprint of " + s);
            byte[] again = write(codec, read, buffer);
            assertArrayEquals(written, again, () -> "the bytes of " + s + " written twice");
            also.accept(s, read);
            bytes += written.length;
            model.successors(s, (a, next) -> {
                if (seen.size() < CAP && seen.add(next)) {
                    frontier.add(next);
                }
            });
        }
        assertTrue(seen.size() > 1, "the cfg reaches more than its initial state");
        return new Encoded(seen.size(), bytes);
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

    // ---------------------------------------------------------------------------------------------
    // The cfgs

    private static Path specs() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("specs").resolve("tla");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no specs/tla above " + Path.of("").toAbsolutePath());
    }

    /**
     * The operators of MCSegments and MCSmallSpaces that the fast cfgs substitute for constants, as
     * the modules define them (domains, threads, spaces and CPUs by their index in the cfg's sets).
     */
    private static final Map<String, Object> MC = Map.of(
            "HomeCS", new int[] {0, 1}, // t1 :> C @@ t2 :> S
            "OwnersCS", new int[] {0, 1}, // 1 :> C @@ 2 :> S
            "CallsS", List.of(new FirstGrant(0, 2, 2, SegmentsConstants.C)), // C may call S
            "GrantedSC", List.of(new FirstGrant(0, 2, 2, SegmentsConstants.R | SegmentsConstants.C)),
            "Base2", new int[] {2, 3}, // S1 :> 2 @@ S2 :> 3
            "Size2", new int[] {1, 1},
            "Run1", new int[] {0}, // c1 :> L1
            "Base1", new int[] {2}, // S1 :> 2
            "Size1", new int[] {1},
            "Run11", new int[] {0, 0}); // c1 :> L1 @@ c2 :> L1

    /** A cfg's {@code Name = value} lines and its substitutions {@code Name <- Op}. */
    private record Cfg(Map<String, String> values, Map<String, String> substitutions) {
        private static final Pattern SETTING = Pattern.compile("(\\w+)\\s*(=|<-)\\s*(.+)");

        static Cfg read(String area, String name) throws IOException {
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, String> substitutions = new LinkedHashMap<>();
            for (String raw : Files.readAllLines(specs().resolve(area).resolve(name))) {
                int comment = raw.indexOf("\\*");
                Matcher m = SETTING.matcher((comment >= 0 ? raw.substring(0, comment) : raw).trim());
                if (m.matches()) {
                    (m.group(2).equals("=") ? values : substitutions).put(m.group(1), m.group(3).trim());
                }
            }
            return new Cfg(values, substitutions);
        }

        /** The value of the MC module's operator the cfg substitutes for {@code name}. */
        @SuppressWarnings("unchecked")
        private <T> T substituted(String name) {
            String op = substitutions.get(name);
            if (op == null || !MC.containsKey(op)) {
                throw new IllegalArgumentException("the cfg substitutes " + op + " for " + name + "; this test knows "
                        + MC.keySet());
            }
            return (T) MC.get(op);
        }

        private String value(String name) {
            String v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("the cfg sets no " + name);
            }
            return v;
        }

        private static String unquote(String v) {
            return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
        }

        private String string(String name) {
            return unquote(value(name));
        }

        /** A set's elements, in the cfg's order, strings unquoted. */
        private List<String> set(String name) {
            String v = value(name);
            if (!v.startsWith("{") || !v.endsWith("}")) {
                throw new IllegalArgumentException(name + " is not a set: " + v);
            }
            String inner = v.substring(1, v.length() - 1).trim();
            return inner.isEmpty() ? List.of()
                    : Arrays.stream(inner.split(",")).map(String::trim).map(Cfg::unquote).toList();
        }

        private List<Integer> integers(String name) {
            return set(name).stream().map(Integer::parseInt).toList();
        }

        private int integer(String name) {
            return Integer.parseInt(value(name));
        }

        private boolean bool(String name) {
            return Boolean.parseBoolean(value(name).toLowerCase(Locale.ROOT));
        }

        /** The index of {@code name} in {@code names}, or -1 if it is {@code none}. */
        private static int indexOr(List<String> names, String name, String none) {
            return name.equals(none) ? -1 : names.indexOf(name);
        }

        AddressSpacesConstants addressSpaces() {
            return new AddressSpacesConstants(value("Sigma0"), set("Spaces"), integer("NPages"), set("Perms"),
                    integer("FpageOrder"), value("NoMapping"), Bug.fromSpecName(string("Bug")), false);
        }

        IpcConstants ipc() {
            String sigma0 = value("Sigma0");
            AddressSpacesConstants spaces = new AddressSpacesConstants(sigma0, set("Spaces"), integer("NPages"),
                    set("Perms"), integer("FpageOrder"), value("NoMapping"), Bug.NONE, false);
            List<String> threads = set("Threads");
            List<Integer> threadSpaces = set("ThreadSpaces").stream()
                    .map(s -> s.equals(sigma0) ? 0 : spaces.spaces().indexOf(s) + 1).toList();
            return new IpcConstants(spaces, threads, threadSpaces, integer("MaxVersion"), integers("Words"),
                    set("Timeouts"), new HashSet<>(set("Ops")), integers("Bits"),
                    indexOr(threads, value("Server"), value("NoThread")), integer("RingSize"), integer("NRequests"),
                    value("NoThread"), value("Any"), value("NoMsg"), value("NoItem"), value("NoWindow"),
                    IpcBug.fromSpecName(string("Bug")));
        }

        TlbConstants tlb() {
            return new TlbConstants(set("CPUs"), set("Spaces"), integer("NPages"), integer("NFrames"), bool("Tagged"),
                    integer("NAsids"), value("Idle"), value("NoEntry"), value("Free"), value("NoShootdown"),
                    TlbBug.fromSpecName(string("Bug")), false, bool("Deletions"));
        }

        SegmentsConstants segments() {
            List<String> domains = set("Domains");
            List<String> threads = set("Threads");
            int rights = 0;
            for (String r : set("Rights")) {
                rights |= SegmentsConstants.right(r);
            }
            Set<Op> ops = EnumSet.noneOf(Op.class);
            for (String o : set("Ops")) {
                ops.add(Op.fromSpecName(o));
            }
            int hostile = 0;
            for (String d : set("Hostile")) {
                hostile |= 1 << domains.indexOf(d);
            }
            return new SegmentsConstants(domains, threads, substituted("Home"), set("Regs"), integer("NSlots"),
                    substituted("FirstOwner"), substituted("FirstGrants"),
                    integer("NSels"), integer("NSegs"), rights, ops, integer("MaxDepth"), hostile, integer("Budget"),
                    indexOr(threads, value("Server"), value("NoThread")), integer("NReq"), value("NoDomain"),
                    value("NoThread"), SegmentsBug.fromSpecName(string("Bug")));
        }

        SmallSpacesConstants smallSpaces() {
            return new SmallSpacesConstants(set("Large"), set("Small"), set("Cpus"), integer("NPages"),
                    substituted("Base"), substituted("Size"), substituted("FirstRun"),
                    SmallSpacesBug.fromSpecName(string("Bug")));
        }
    }
}
