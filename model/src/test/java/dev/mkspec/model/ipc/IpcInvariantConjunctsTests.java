package dev.mkspec.model.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.ExplorationResult;
import dev.mkspec.check.Explorer;
import dev.mkspec.check.ExplorerOptions;
import dev.mkspec.check.ExplorerVerdict;
import dev.mkspec.check.Invariant;
import dev.mkspec.check.Restricted;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import dev.mkspec.model.addressspaces.Bug;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Ipc invariants stated as the TLA+ operators' named conjuncts ({@link Invariant#allOf}) name
 * the conjunct that fails: for every bug variant in {@code specs/tla/Ipc/manifest.json} whose
 * expected violation is one of them, exploring the Java model built from the variant's cfg (its
 * constants and its INVARIANTS) finds a violation of that invariant, and in the violating state
 * {@link Invariant#failingConjunct} names a conjunct of it, the one pinned here. The cfgs are read
 * with a reader of the few forms they use ({@code Name = value}, sets, strings, integers and
 * model values), as the model module cannot depend on the specs module's parser.
 */
class IpcInvariantConjunctsTests {
    /** The invariants stated as named conjuncts. */
    private static final Set<String> CONVERTED = Set.of("QueuesConsistent", "DeliveredOnce", "ReplyAuthority",
            "BatchExactlyOnce", "MapItemsSafe", "BlockedHoldNothing", "TypeOK", "IdsNeverReused");

    /** The conjunct each bug variant's first violating state breaks. */
    private static final Map<String, String> EXPECTED = Map.of(
            "bug_reply_any", "\\A c \\in Threads : mr[c] # NoMsg /\\ mr[c].reply => mr[c].sender = calledOf[c]",
            "bug_delete_keeps_queued", "\\A x \\in Threads : \\A i \\in 1..Len(queue[x]) : st[queue[x][i]].kind # \"dead\"",
            "bug_receive_keeps_sender", "\\A s \\in Threads : st[s].kind = \"send\" => ~delivered[s]",
            "bug_ring_overwrite", "Elems(served) \\cup Elems(ring) = 1..issued",
            "bug_map_item_unchecked", "AS!RightsWithinParent",
            "bug_version_overflow", "ver \\in [Threads -> 0..MaxVersion]",
            "bug_block_keeps_registers", "\\A t \\in Threads : st[t].kind \\in {\"send\", \"recv\", \"wait\"} "
                    + "=> mr[t] = NoMsg /\\ res[t] = \"none\"",
            "bug_timeout_keeps_registers", "\\A t \\in Threads : res[t] \\in {\"timeout\", \"aborted\", \"nopartner\"} "
                    + "=> mr[t] = NoMsg",
            "bug_create_keeps_version", "\\A t \\in Threads : st[t].kind # \"dead\" => Id(t) \\notin deletedIds");

    @Test
    void theConvertedInvariantsNameTheirConjuncts() {
        IpcModel model = new IpcModel(IpcProperties.constants(IpcBug.NONE));
        Set<String> stated = new HashSet<>();
        for (Invariant<IpcState> inv : model.invariants()) {
            if (!inv.conjuncts().isEmpty()) {
                stated.add(inv.name());
                Set<String> names = new HashSet<>();
                inv.conjuncts().forEach(c -> assertTrue(names.add(c.name()), inv + " names " + c.name() + " twice"));
                assertTrue(inv.conjuncts().size() >= 2, inv + " has one conjunct");
            }
        }
        assertEquals(CONVERTED, stated);
        assertTrue(model.invariants() == model.invariants(), "the invariants are built once");
    }

    @Test
    void everyBugVariantThatBreaksAConvertedInvariantNamesTheConjunctThatFails() throws IOException {
        Map<String, String> named = new TreeMap<>();
        for (Variant bug : bugVariants()) {
            Cfg cfg = Cfg.read(IPC.resolve(bug.config()));
            IpcModel model = new IpcModel(cfg.constants());
            ExplorationResult<IpcState> r = Explorer.explore(Restricted.to(model, cfg.invariants(), List.of()),
                    ExplorerOptions.defaults().withWorkers(1).withCheckDeadlock(false).withTimeout(Duration.ofMinutes(2)));
            assertEquals(ExplorerVerdict.INVARIANT_VIOLATED, r.verdict(), bug.name() + ": " + r.message());
            assertEquals(Optional.of(bug.violated()), r.violatedName(), bug.name());
            IpcState bad = r.counterexample().orElseThrow().last();
            Invariant<IpcState> inv = model.invariants().stream().filter(i -> i.name().equals(bug.violated())).findFirst()
                    .orElseThrow();
            assertFalse(inv.holds().test(bad), bug.name());
            Optional<String> conjunct = inv.failingConjunct(bad);
            assertTrue(conjunct.isPresent(), bug.name() + ": " + inv + " names no failing conjunct");
            assertTrue(inv.conjuncts().stream().anyMatch(c -> c.name().equals(conjunct.get())), conjunct.get());
            named.put(bug.name(), conjunct.get());
        }
        assertEquals(new TreeMap<>(EXPECTED), named, "the manifest's bug variants of the converted invariants");
    }

    // ---------------------------------------------------------------------------------------------
    // The manifest and the cfgs

    private static final Path IPC = specs().resolve("Ipc");

    private static Path specs() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("specs").resolve("tla");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no specs/tla above " + Path.of("").toAbsolutePath());
    }

    private record Variant(String name, String config, String violated) {
    }

    /** The manifest's bug variants whose expected violation is one of {@link #CONVERTED}. */
    private static List<Variant> bugVariants() throws IOException {
        String json = Files.readString(IPC.resolve("manifest.json"));
        Matcher m = Pattern.compile("\"name\"\\s*:\\s*\"(bug_\\w+)\"\\s*,\\s*\"spec\"[^}]*?\"config\"\\s*:\\s*\"([^\"]+)\""
                + "[^}]*?\"expect\"\\s*:\\s*\\{([^}]*)\\}").matcher(json);
        List<Variant> out = new ArrayList<>();
        while (m.find()) {
            Matcher v = Pattern.compile("\"violated\"\\s*:\\s*\"(\\w+)\"").matcher(m.group(3));
            if (v.find() && CONVERTED.contains(v.group(1))) {
                out.add(new Variant(m.group(1), m.group(2), v.group(1)));
            }
        }
        assertFalse(out.isEmpty(), "no bug variants read from the manifest");
        return out;
    }

    /** A cfg's constants and INVARIANTS. */
    record Cfg(Map<String, String> values, List<String> invariants) {
        static Cfg read(Path path) throws IOException {
            Map<String, String> constants = new LinkedHashMap<>();
            List<String> invariants = new ArrayList<>();
            boolean inInvariants = false;
            for (String raw : Files.readAllLines(path)) {
                int comment = raw.indexOf("\\*");
                String line = (comment >= 0 ? raw.substring(0, comment) : raw).trim();
                if (line.isEmpty()) {
                    continue;
                }
                Matcher kv = Pattern.compile("(\\w+)\\s*=\\s*(.+)").matcher(line);
                String[] words = line.split("\\s+");
                if (kv.matches()) {
                    constants.put(kv.group(1), kv.group(2));
                    inInvariants = false;
                } else if (words[0].equals("INVARIANT") || words[0].equals("INVARIANTS")) {
                    invariants.addAll(List.of(words).subList(1, words.length));
                    inInvariants = true;
                } else if (inInvariants && words[0].matches("\\w+") && !words[0].equals(words[0].toUpperCase())) {
                    invariants.addAll(List.of(words));
                } else {
                    inInvariants = false;
                }
            }
            return new Cfg(constants, invariants);
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

        /** A set's elements, in the cfg's order, strings unquoted. */
        private List<String> set(String name) {
            String v = value(name);
            if (!v.startsWith("{") || !v.endsWith("}")) {
                throw new IllegalArgumentException(name + " is not a set: " + v);
            }
            String inner = v.substring(1, v.length() - 1).trim();
            return inner.isEmpty() ? List.of() : java.util.Arrays.stream(inner.split(",")).map(String::trim)
                    .map(Cfg::unquote).toList();
        }

        private List<Integer> integers(String name) {
            return set(name).stream().map(Integer::parseInt).toList();
        }

        private int integer(String name) {
            return Integer.parseInt(value(name));
        }

        /** The model's constants, as IpcBinding builds them from a cfg. */
        IpcConstants constants() {
            String sigma0 = value("Sigma0");
            AddressSpacesConstants spaces = new AddressSpacesConstants(sigma0, set("Spaces"), integer("NPages"),
                    set("Perms"), integer("FpageOrder"), value("NoMapping"), Bug.NONE, false);
            List<String> threads = set("Threads");
            List<Integer> threadSpaces = set("ThreadSpaces").stream()
                    .map(s -> s.equals(sigma0) ? 0 : spaces.spaces().indexOf(s) + 1).toList();
            String server = value("Server");
            return new IpcConstants(spaces, threads, threadSpaces, integer("MaxVersion"), integers("Words"),
                    set("Timeouts"), new HashSet<>(set("Ops")), integers("Bits"),
                    server.equals(value("NoThread")) ? -1 : threads.indexOf(server), integer("RingSize"),
                    integer("NRequests"), value("NoThread"), value("Any"), value("NoMsg"), value("NoItem"),
                    value("NoWindow"), IpcBug.fromSpecName(unquote(value("Bug"))));
        }
    }
}
