package dev.mkspec.ci.view;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkspec.check.StateMachine;
import dev.mkspec.refinement.ExplorerGraph;
import dev.mkspec.refinement.ModelBinding;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.alloy.AlloyCommandInfo;
import dev.mkspec.specs.alloy.AlloyCommandResult;
import dev.mkspec.specs.alloy.AlloyRunner;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.trace.ItfReader;
import dev.mkspec.specs.trace.ItfWriter;
import dev.mkspec.specs.trace.Trace;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * The state pictures, drawn from real states: states the Java models reach from the specs' own
 * cfgs (rendered as TLC prints them, and passed through ITF as traces carry them), a TLC
 * counterexample for FlushShootdown, which has no Java model, and an Alloy instance.
 */
class StatePicturesTests {
    private static final Path TLA = Path.of("..", "specs", "tla").toAbsolutePath().normalize();

    // ------------------------------------------------------------------------------------------
    // AddressSpaces

    @Test
    void theMappingDatabaseHasOneNodePerMappedPageAndOneEdgePerDerivation() {
        List<Map<String, TlaValue>> states = reachable("AddressSpaces", "MCAddressSpaces_fast.cfg", 1500);
        int withEdges = 0;
        for (Map<String, TlaValue> s : states) {
            Document d = picture("AddressSpaces", s);
            Set<String> drawn = new TreeSet<>();
            for (Element e : withClass(d, "mdb-node")) {
                assertEquals("mdb-node", e.getAttribute("class"));
                assertEquals("g", e.getTagName());
                drawn.add(e.getAttribute("data-node"));
            }
            assertEquals(withClass(d, "mdb-node").size(), drawn.size(), "one element per node");
            assertEquals(mappedPages(s), drawn, "the nodes are the mapped pages");
            Set<String> edges = new TreeSet<>();
            for (Element e : withClass(d, "mdb-edge")) {
                edges.add(e.getAttribute("data-child") + " -> " + e.getAttribute("data-parent"));
            }
            assertEquals(derivations(s), edges);
            assertEquals(edges.size(), withClass(d, "mdb-edge").size());
            withEdges += edges.isEmpty() ? 0 : 1;
        }
        assertTrue(withEdges > 100, "the sample reaches derived mappings: " + withEdges);
    }

    @Test
    void anEdgeIsLabelledWithTheChildsRightsAndSigma0sPagesAreTheRoots() {
        Map<String, TlaValue> s = firstReachable("AddressSpaces", "MCAddressSpaces_fast_rights.cfg", 20_000,
                v -> derivations(v).size() >= 2);
        String svg = StatePictures.svg("AddressSpaces", s).orElseThrow();
        Document d = parse(svg);
        for (Element e : withClass(d, "mdb-edge-label")) {
            String label = e.getTextContent();
            assertTrue(label.matches("[rwx]+"), label);
        }
        for (Element n : withClass(d, "mdb-node")) {
            String rights = n.getAttribute("data-rights");
            assertTrue(n.getTextContent().contains(rights), n.getTextContent());
        }
        assertTrue(svg.contains("Sigma0 (roots)"), "Sigma0's column comes first, as the roots");
        assertTrue(svg.indexOf("data-node=\"Sigma0/0\"") < svg.indexOf("data-node=\"s"), "Sigma0's nodes come first");
    }

    @Test
    void aDatabaseNodeWhosePageMapsNothingIsDrawnApartFromTheMappedPages() {
        Map<String, TlaValue> s = firstReachable("AddressSpaces", "MCAddressSpaces_bug_unmap_keeps_node.cfg", 50_000,
                v -> !mappedPages(v).containsAll(nodesInMdb(v)));
        Document d = picture("AddressSpaces", s);
        Set<String> ghosts = new TreeSet<>(nodesInMdb(s));
        ghosts.removeAll(mappedPages(s));
        assertFalse(ghosts.isEmpty());
        Set<String> drawnGhosts = new TreeSet<>();
        for (Element e : withClass(d, "mdb-ghost")) {
            drawnGhosts.add(e.getAttribute("data-node"));
        }
        assertEquals(ghosts, drawnGhosts);
        assertEquals(mappedPages(s).size(), withClass(d, "mdb-node").size());
    }

    // ------------------------------------------------------------------------------------------
    // Tlb

    @Test
    void staleTlbEntriesAreMarkedAndOnlyThey() {
        int stale = 0;
        for (String cfg : List.of("MCTlb_fast.cfg", "MCTlb_fast_untagged.cfg", "MCTlb_bug_skip_local_invlpg.cfg")) {
            for (Map<String, TlaValue> s : reachable("Tlb", cfg, 1500)) {
                Document d = picture("Tlb", s);
                int entries = 0;
                for (TlaValue e : fun(s.get("tlb")).values()) {
                    entries += ((TlaValue.SetValue) e).size();
                }
                assertEquals(entries, withClass(d, "tlb-entry").size(), cfg);
                assertEquals(staleTlbEntries(s), withClass(d, "stale").size(), cfg + ": " + s);
                for (Element e : withClass(d, "stale")) {
                    assertTrue(hasClass(e, "tlb-entry"));
                }
                stale += staleTlbEntries(s);
            }
        }
        assertTrue(stale > 10, "the samples reach stale entries: " + stale);
    }

    @Test
    void aStaleEntryIsMarkedOnItsCpuAndAPendingShootdownIsShown() {
        Map<String, TlaValue> s = firstReachable("Tlb", "MCTlb_fast.cfg", 20_000,
                v -> staleTlbEntries(v) > 0 && v.get("shootdown") instanceof TlaValue.Record);
        String svg = StatePictures.svg("Tlb", s).orElseThrow();
        Document d = parse(svg);
        Element stale = withClass(d, "stale").get(0);
        Element cpu = (Element) stale.getParentNode().getParentNode();
        assertTrue(hasClass(cpu, "cpu"), cpu.getAttribute("class"));
        TlaValue entries = fun(s.get("tlb")).get(new TlaValue.ModelValue(cpu.getAttribute("data-cpu")));
        assertFalse(((TlaValue.SetValue) entries).elements().isEmpty());
        assertTrue(svg.contains("Shootdown in progress"), svg);
        assertTrue(svg.contains("fill=\"#fde2e2\""), "stale entries are red");
    }

    // ------------------------------------------------------------------------------------------
    // FlushShootdown, from a TLC counterexample (the spec has no Java model)

    @Test
    void flushShootdownShowsTheDatabaseAndTheEntryLeftBehindByTheFlush() {
        Trace t = ItfReader.fromJson(FLUSH_SHOOTDOWN_TRACE, "bug_ipi_caller_only");
        for (Trace.Step step : t.steps()) {
            Document d = picture("FlushShootdown", step.values());
            assertEquals(mappedPages(step.values()).size(), withClass(d, "mdb-node").size());
            assertEquals(derivations(step.values()).size(), withClass(d, "mdb-edge").size());
        }
        // After the map and the fill: s1's page is derived from Sigma0's, and c2 caches it.
        Document filled = picture("FlushShootdown", t.steps().get(4).values());
        Element edge = withClass(filled, "mdb-edge").get(0);
        assertEquals("s1/0", edge.getAttribute("data-child"));
        assertEquals("Sigma0/0", edge.getAttribute("data-parent"));
        assertEquals(1, withClass(filled, "tlb-entry").size());
        assertTrue(withClass(filled, "stale").isEmpty());
        // The flush sent no IPI to c2, which still caches the page: the violation, marked.
        Document flushed = picture("FlushShootdown", t.last().values());
        List<Element> stale = withClass(flushed, "stale");
        assertEquals(1, stale.size());
        assertEquals("s1", stale.get(0).getAttribute("data-space"));
        assertEquals("c2", ((Element) stale.get(0).getParentNode().getParentNode()).getAttribute("data-cpu"));
    }

    @Test
    void modelValuesWrittenAsPlainStringsDrawTheSamePicture() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(FLUSH_SHOOTDOWN_TRACE);
        ((ObjectNode) root.get("#meta")).putArray("modelValues");
        Trace plain = ItfReader.fromJson(json.writeValueAsString(root), "no model values");
        Trace typed = ItfReader.fromJson(FLUSH_SHOOTDOWN_TRACE, "model values");
        assertTrue(plain.steps().get(0).values().get("running").toTla().contains("\"Idle\""), "strings, not model values");
        for (int i = 0; i < typed.steps().size(); i++) {
            assertEquals(StatePictures.svg("FlushShootdown", typed.steps().get(i).values()),
                    StatePictures.svg("FlushShootdown", plain.steps().get(i).values()));
        }
        for (String[] area : List.of(new String[] {"AddressSpaces", "MCAddressSpaces_fast.cfg"},
                new String[] {"Tlb", "MCTlb_fast.cfg"}, new String[] {"Ipc", "MCIpc_fast.cfg"},
                new String[] {"Segments", "MCSegments_fast_lend.cfg"}, new String[] {"SmallSpaces", "MCSmallSpaces_fast.cfg"})) {
            List<Map<String, TlaValue>> states = reachable(area[0], area[1], 300);
            for (int i = 0; i < states.size(); i += 7) {
                Optional<String> direct = StatePictures.svg(area[0], states.get(i));
                assertTrue(direct.isPresent(), area[0]);
                assertEquals(direct, StatePictures.svg(area[0], throughItf(states.get(i), true)), area[0]);
                assertEquals(direct, StatePictures.svg(area[0], throughItf(states.get(i), false)), area[0]);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Ipc

    @Test
    void ipcShowsEveryThreadItsSendQueueInOrderAndWhoAwaitsWhoseReply() {
        int queued = 0;
        int awaiting = 0;
        for (Map<String, TlaValue> s : reachable("Ipc", "MCIpc_fast.cfg", 3000)) {
            Document d = picture("Ipc", s);
            Map<TlaValue, TlaValue> st = fun(s.get("st"));
            assertEquals(st.size(), withClass(d, "thread").size());
            for (Map.Entry<TlaValue, TlaValue> q : fun(s.get("queue")).entrySet()) {
                List<String> expected = new ArrayList<>();
                for (TlaValue t : ((TlaValue.Seq) q.getValue()).elements()) {
                    expected.add(name(t));
                }
                List<String> drawn = new ArrayList<>();
                for (Element e : withClass(d, "queue")) {
                    if (e.getAttribute("data-receiver").equals(name(q.getKey()))) {
                        for (Element x : withClass(e, "queued")) {
                            drawn.add(x.getAttribute("data-thread"));
                        }
                    }
                }
                assertEquals(expected, drawn);
                queued += expected.size();
            }
            Set<String> replies = new TreeSet<>();
            for (Map.Entry<TlaValue, TlaValue> t : st.entrySet()) {
                TlaValue.Record r = (TlaValue.Record) t.getValue();
                if (r.get("kind").equals(TlaValue.str("recv")) && r.get("reply").equals(TlaValue.bool(true))) {
                    replies.add(name(t.getKey()) + " -> " + name(((TlaValue.Record) r.get("from")).get("slot")));
                }
            }
            Set<String> drawn = new TreeSet<>();
            for (Element e : withClass(d, "ipc-edge")) {
                if (e.getAttribute("data-kind").equals("awaits reply")) {
                    drawn.add(e.getAttribute("data-from") + " -> " + e.getAttribute("data-to"));
                }
            }
            assertEquals(replies, drawn);
            awaiting += replies.size();
        }
        assertTrue(queued > 0 && awaiting > 0, "the sample reaches queues (" + queued + ") and calls (" + awaiting + ")");
    }

    @Test
    void ipcShowsTheNotificationWord() {
        Map<String, TlaValue> s = firstReachable("Ipc", "MCIpc_fast_notify.cfg", 5000,
                v -> v.get("note").toTla().contains("{1, 2}"));
        String svg = StatePictures.svg("Ipc", s).orElseThrow();
        assertTrue(svg.contains("notification word {1, 2}"), svg);
    }

    // ------------------------------------------------------------------------------------------
    // Segments

    @Test
    void segmentsShowEveryVstEntryGlobalSlotAndRegister() {
        for (Map<String, TlaValue> s : reachable("Segments", "MCSegments_fast_lend.cfg", 1500)) {
            Document d = picture("Segments", s);
            int entries = 0;
            for (TlaValue table : fun(s.get("vst")).values()) {
                entries += sizeOfFunction(table);
            }
            assertEquals(entries, withClass(d, "vst-entry").size());
            assertEquals(sizeOfFunction(s.get("gst")), withClass(d, "gst-slot").size());
            int registers = 0;
            for (TlaValue regs : fun(s.get("reg")).values()) {
                registers += sizeOfFunction(regs);
            }
            assertEquals(registers, withClass(d, "register").size());
            assertTrue(withClass(d, "stale").isEmpty(), "the spec keeps every register backed: " + s);
        }
    }

    @Test
    void aRegisterWhoseEntryARevocationRemovedIsMarkedStale() {
        Map<String, TlaValue> s = firstReachable("Segments", "MCSegments_bug_revoke_local_only.cfg", 50_000,
                v -> !staleRegisters(v).isEmpty());
        Document d = picture("Segments", s);
        Set<String> drawn = new TreeSet<>();
        for (Element e : withClass(d, "register")) {
            if (hasClass(e, "stale")) {
                drawn.add(e.getAttribute("data-thread") + "." + e.getAttribute("data-reg"));
            }
        }
        assertEquals(staleRegisters(s), drawn);
    }

    // ------------------------------------------------------------------------------------------
    // SmallSpaces

    @Test
    void smallSpacesShowEachCpusSegmentWindowAndTlb() {
        for (String cfg : List.of("MCSmallSpaces_fast.cfg", "MCSmallSpaces_fast_cpus2.cfg")) {
            for (Map<String, TlaValue> s : reachable("SmallSpaces", cfg, 1500)) {
                Document d = picture("SmallSpaces", s);
                for (Element cpu : withClass(d, "cpu")) {
                    TlaValue.ModelValue c = new TlaValue.ModelValue(cpu.getAttribute("data-cpu"));
                    TlaValue.Record seg = (TlaValue.Record) fun(s.get("seg")).get(c);
                    assertEquals(((TlaValue.Int) seg.get("limit")).value().intValue(), withClass(cpu, "in-segment").size());
                    assertEquals(((TlaValue.SetValue) fun(s.get("tlb")).get(c)).size(), withClass(cpu, "tlb-entry").size());
                }
                assertEquals(fun(s.get("cur")).size(), withClass(d, "cpu").size());
                assertTrue(withClass(d, "stale").isEmpty(), cfg + ": the TLBs match the tables: " + s);
            }
        }
    }

    @Test
    void anEntryForAnUnmappedPageLeftOnAnotherCpuIsMarkedStale() {
        Map<String, TlaValue> s = firstReachable("SmallSpaces", "MCSmallSpaces_bug_unmap_local_flush.cfg", 50_000,
                v -> staleSmallSpaceEntries(v) > 0);
        Document d = picture("SmallSpaces", s);
        assertEquals(staleSmallSpaceEntries(s), withClass(d, "stale").size());
    }

    // ------------------------------------------------------------------------------------------
    // Odd values

    @Test
    void unknownAreasAndMissingStatesGiveNoPicture() {
        Map<String, TlaValue> s = reachable("AddressSpaces", "MCAddressSpaces_fast.cfg", 1).get(0);
        assertTrue(StatePictures.svg("Nowhere", s).isEmpty());
        assertTrue(StatePictures.svg(null, s).isEmpty());
        assertTrue(StatePictures.svg("AddressSpaces", null).isEmpty());
        for (String area : List.of("AddressSpaces", "Tlb", "Ipc", "Segments", "SmallSpaces", "FlushShootdown")) {
            assertTrue(StatePictures.svg(area, Map.of()).isEmpty(), area);
        }
        assertTrue(StatePictures.svg("Tlb", s).isEmpty(), "an AddressSpaces state is no Tlb state");
    }

    @Test
    void valuesOfTheWrongShapeGiveNoPictureRatherThanAnException() {
        List<TlaValue> odd = List.of(TlaValue.integer(7), TlaValue.str("x"), TlaValue.model("NoMapping"), TlaValue.set(),
                TlaValue.set(TlaValue.integer(1), TlaValue.str("a")), TlaValue.seq(TlaValue.integer(1)),
                new TlaValue.Record(Map.of("a", TlaValue.integer(1))), new TlaValue.Fun(Map.of(TlaValue.integer(1), TlaValue.set())),
                new TlaValue.Opaque("Nat"), TlaValue.bool(true), new TlaValue.Tuple(List.of(TlaValue.integer(1), TlaValue.integer(2),
                        TlaValue.integer(3))));
        Map<String, Map<String, TlaValue>> real = new LinkedHashMap<>();
        real.put("AddressSpaces", firstReachable("AddressSpaces", "MCAddressSpaces_fast.cfg", 5000, v -> derivations(v).size() > 1));
        real.put("Tlb", firstReachable("Tlb", "MCTlb_fast.cfg", 20_000, v -> staleTlbEntries(v) > 0));
        real.put("Ipc", firstReachable("Ipc", "MCIpc_fast.cfg", 5000, v -> v.get("queue").toTla().contains("<<a>>")));
        real.put("Segments", last(reachable("Segments", "MCSegments_fast_lend.cfg", 40)));
        real.put("SmallSpaces", last(reachable("SmallSpaces", "MCSmallSpaces_fast.cfg", 40)));
        real.put("FlushShootdown", ItfReader.fromJson(FLUSH_SHOOTDOWN_TRACE, "trace").last().values());
        int empty = 0;
        for (Map.Entry<String, Map<String, TlaValue>> area : real.entrySet()) {
            assertTrue(StatePictures.svg(area.getKey(), area.getValue()).isPresent(), area.getKey());
            for (String var : area.getValue().keySet()) {
                for (TlaValue v : odd) {
                    Map<String, TlaValue> bad = new LinkedHashMap<>(area.getValue());
                    bad.put(var, v);
                    Optional<String> svg = assertDoesNotThrow(() -> StatePictures.svg(area.getKey(), bad),
                            area.getKey() + " with " + var + " = " + v);
                    if (svg.isPresent()) {
                        parse(svg.get());
                    } else {
                        empty++;
                    }
                }
                Map<String, TlaValue> missing = new LinkedHashMap<>(area.getValue());
                missing.remove(var);
                assertDoesNotThrow(() -> StatePictures.svg(area.getKey(), missing)).ifPresent(StatePicturesTests::parse);
            }
        }
        assertTrue(empty > 100, "most odd values give no picture: " + empty);
        Map<String, TlaValue> as = real.get("AddressSpaces");
        assertTrue(StatePictures.svg("AddressSpaces", with(as, "mappings", TlaValue.integer(3))).isEmpty());
        assertTrue(StatePictures.svg("AddressSpaces", with(as, "mdb", TlaValue.set(TlaValue.integer(1)))).isEmpty());
        assertTrue(StatePictures.svg("Tlb", with(real.get("Tlb"), "tlb", TlaValue.str("x"))).isEmpty());
        assertTrue(StatePictures.svg("Ipc", with(real.get("Ipc"), "st", TlaValue.integer(3))).isEmpty());
    }

    @Test
    void textIsEscapedForXml() {
        String odd = "<s&\"1'>\u0001]]>";
        TlaValue sigma0 = TlaValue.model("Sigma0");
        TlaValue space = TlaValue.str(odd);
        TlaValue page = TlaValue.integer(0);
        TlaValue m = new TlaValue.Record(Map.of("frame", page, "rights", TlaValue.set(TlaValue.str("w&<"))));
        Map<String, TlaValue> s = new LinkedHashMap<>();
        s.put("live", TlaValue.set(sigma0, space));
        s.put("mappings", new TlaValue.Fun(Map.of(sigma0, new TlaValue.Fun(Map.of(page, m)), space,
                new TlaValue.Fun(Map.of(page, m)))));
        s.put("mdb", TlaValue.set(TlaValue.seq(TlaValue.seq(space, page), TlaValue.seq(sigma0, page))));
        Document d = picture("AddressSpaces", s);
        Set<String> nodes = new TreeSet<>();
        for (Element e : withClass(d, "mdb-node")) {
            nodes.add(e.getAttribute("data-node"));
        }
        assertEquals(Set.of("Sigma0/0", "<s&\"1'>\uFFFD]]>/0"), nodes);
    }

    @Test
    void thePictureIsTheSameWhateverTheOrderOfTheVariables() {
        Map<String, TlaValue> s = firstReachable("Tlb", "MCTlb_fast.cfg", 20_000, v -> staleTlbEntries(v) > 0);
        List<String> names = new ArrayList<>(s.keySet());
        Collections.reverse(names);
        Map<String, TlaValue> reversed = new LinkedHashMap<>();
        names.forEach(n -> reversed.put(n, s.get(n)));
        assertEquals(StatePictures.svg("Tlb", s), StatePictures.svg("Tlb", reversed));
    }

    // ------------------------------------------------------------------------------------------
    // Alloy

    @Test
    void anAlloyInstanceIsDrawnAsAtomsAndLabelledEdges() {
        AlloyRunner runner = new AlloyRunner();
        AlloyRunner.Parsed parsed = runner.parse(Path.of("..", "specs", "alloy", "segments.als"));
        AlloyCommandInfo witness = parsed.commands().stream().filter(c -> c.name().equals("RegLoadWitness")).findFirst()
                .orElseThrow();
        AlloyCommandResult result = runner.execute(parsed, witness);
        Map<String, TlaValue> s = result.instance().orElseThrow().steps().get(0).values();

        Set<String> atoms = new TreeSet<>();
        int pairs = 0;
        Set<String> ternary = new TreeSet<>();
        for (Map.Entry<String, TlaValue> v : s.entrySet()) {
            for (TlaValue e : ((TlaValue.SetValue) v.getValue()).elements()) {
                if (e instanceof TlaValue.Tuple t) {
                    t.elements().forEach(x -> atoms.add(name(x)));
                    pairs += t.elements().size() == 2 ? 1 : 0;
                    if (t.elements().size() > 2) {
                        ternary.add(v.getKey());
                    }
                } else {
                    atoms.add(name(e));
                }
            }
        }
        String svg = StatePictures.alloyGraph(s);
        Document d = parse(svg, "Alloy");
        Set<String> drawn = new TreeSet<>();
        for (Element e : withClass(d, "atom")) {
            drawn.add(e.getAttribute("data-atom"));
        }
        assertEquals(atoms, drawn);
        assertEquals(pairs, withClass(d, "relation-edge").size());
        for (Element e : withClass(d, "relation-edge")) {
            assertTrue(s.get(e.getAttribute("data-relation")).toTla().contains(
                    "<<" + e.getAttribute("data-from") + ", " + e.getAttribute("data-to") + ">>"));
        }
        Element entry = withClass(d, "atom").stream().filter(e -> e.getAttribute("data-atom").startsWith("Entry$"))
                .findFirst().orElseThrow();
        assertEquals("Entry", entry.getAttribute("data-sig"), "an atom's group is its signature");
        assertTrue(svg.contains("$RegLoadWitness_e"), "Skolem constants tag their atoms");
        for (String rel : ternary) {
            assertTrue(svg.contains(rel + " = {("), rel + " is listed as text");
        }
        Map<String, TlaValue> reversed = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(s.keySet());
        Collections.reverse(keys);
        keys.forEach(k -> reversed.put(k, s.get(k)));
        assertEquals(svg, StatePictures.alloyGraph(reversed));
        assertEquals(svg, StatePictures.alloyGraph(throughItf(s, true)));
    }

    @Test
    void anAlloyStateOfOddValuesStillGivesAPicture() {
        Map<String, TlaValue> s = new LinkedHashMap<>();
        s.put("Node", TlaValue.set(TlaValue.model("Node$0"), TlaValue.model("Node$1")));
        s.put("next", TlaValue.set(new TlaValue.Tuple(List.of(TlaValue.model("Node$0"), TlaValue.model("Node$0")))));
        s.put("n", TlaValue.integer(3));
        s.put("mixed", TlaValue.set(TlaValue.integer(1), TlaValue.seq(TlaValue.integer(1), TlaValue.integer(2))));
        s.put("opaque", new TlaValue.Opaque("Int"));
        s.put("<&>", TlaValue.set(TlaValue.str("\u0002<x>")));
        Document d = parse(StatePictures.alloyGraph(s), "Alloy");
        assertEquals(3, withClass(d, "atom").size());
        assertEquals(1, withClass(d, "relation-edge").size());
        parse(StatePictures.alloyGraph(Map.of()), "Alloy");
        parse(StatePictures.alloyGraph(null), "Alloy");
    }

    // ------------------------------------------------------------------------------------------
    // Real states from the Java models

    /** Up to {@code limit} states the area's Java model reaches from the cfg, breadth first, as TLC prints them. */
    private static List<Map<String, TlaValue>> reachable(String area, String cfg, int limit) {
        ModelBinding<?> binding = ModelBindings.standard().find(area).orElseThrow();
        return reachable(binding, TLA.resolve(area).resolve(cfg), limit, v -> true, false);
    }

    private static Map<String, TlaValue> firstReachable(String area, String cfg, int limit,
            Predicate<Map<String, TlaValue>> wanted) {
        ModelBinding<?> binding = ModelBindings.standard().find(area).orElseThrow();
        List<Map<String, TlaValue>> found = reachable(binding, TLA.resolve(area).resolve(cfg), limit, wanted, true);
        assertFalse(found.isEmpty(), "no state of " + cfg + " within " + limit + " states has the shape the test needs");
        return found.get(0);
    }

    private static <S> List<Map<String, TlaValue>> reachable(ModelBinding<S> binding, Path cfg, int limit,
            Predicate<Map<String, TlaValue>> wanted, boolean firstOnly) {
        assertTrue(Files.isRegularFile(cfg), cfg + " is missing");
        StateMachine<S> model = binding.fromConfig(CfgParser.parse(cfg));
        List<Map<String, TlaValue>> out = new ArrayList<>();
        Set<S> seen = new HashSet<>();
        ArrayDeque<S> todo = new ArrayDeque<>(model.initialStates());
        seen.addAll(todo);
        while (!todo.isEmpty() && seen.size() <= limit) {
            S s = todo.poll();
            Map<String, TlaValue> values = ExplorerGraph.valuesOf(model, s);
            if (wanted.test(values)) {
                out.add(values);
                if (firstOnly || out.size() >= limit) {
                    return out;
                }
            }
            model.successors(s, (action, next) -> {
                if (seen.add(next)) {
                    todo.add(next);
                }
            });
        }
        return out;
    }

    /** The state as an ITF trace carries it: written and read back, with or without the list of model values. */
    private static Map<String, TlaValue> throughItf(Map<String, TlaValue> state, boolean modelValues) {
        Trace t = Trace.builder("test", "test", "").step("Init", Optional.empty(), state).build();
        String json = ItfWriter.toJson(t);
        if (!modelValues) {
            try {
                ObjectMapper mapper = new ObjectMapper();
                ObjectNode root = (ObjectNode) mapper.readTree(json);
                ((ObjectNode) root.get("#meta")).putArray("modelValues");
                json = mapper.writeValueAsString(root);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return ItfReader.fromJson(json, "test").last().values();
    }

    // ------------------------------------------------------------------------------------------
    // What the pictures must show, computed from the values as the specs define them

    private static Map<TlaValue, TlaValue> fun(TlaValue v) {
        if (v instanceof TlaValue.Fun f) {
            return f.entries();
        }
        if (v instanceof TlaValue.Record r) {
            Map<TlaValue, TlaValue> out = new LinkedHashMap<>();
            r.fields().forEach((k, x) -> out.put(TlaValue.str(k), x));
            return out;
        }
        if (v instanceof TlaValue.Seq q) {
            Map<TlaValue, TlaValue> out = new LinkedHashMap<>();
            for (int i = 0; i < q.elements().size(); i++) {
                out.put(TlaValue.integer(i + 1), q.elements().get(i));
            }
            return out;
        }
        throw new AssertionError("not a function: " + v);
    }

    private static int sizeOfFunction(TlaValue v) {
        return fun(v).size();
    }

    private static String name(TlaValue v) {
        return v instanceof TlaValue.ModelValue m ? m.name() : v instanceof TlaValue.Str s ? s.value() : v.toTla();
    }

    private static TlaValue get(TlaValue f, String key) {
        for (Map.Entry<TlaValue, TlaValue> e : fun(f).entrySet()) {
            if (name(e.getKey()).equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static Map<String, TlaValue> with(Map<String, TlaValue> s, String var, TlaValue v) {
        Map<String, TlaValue> out = new LinkedHashMap<>(s);
        out.put(var, v);
        return out;
    }

    /** The pages that map a frame, as "space/page". */
    private static Set<String> mappedPages(Map<String, TlaValue> s) {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<TlaValue, TlaValue> space : fun(s.get("mappings")).entrySet()) {
            for (Map.Entry<TlaValue, TlaValue> page : fun(space.getValue()).entrySet()) {
                if (page.getValue() instanceof TlaValue.Record) {
                    out.add(name(space.getKey()) + "/" + name(page.getKey()));
                }
            }
        }
        return out;
    }

    private static List<TlaValue> pairOf(TlaValue v) {
        return v instanceof TlaValue.Tuple t ? t.elements() : ((TlaValue.Seq) v).elements();
    }

    private static String node(TlaValue v) {
        List<TlaValue> p = pairOf(v);
        return name(p.get(0)) + "/" + name(p.get(1));
    }

    /** The database's pairs, as "child -> parent". */
    private static Set<String> derivations(Map<String, TlaValue> s) {
        Set<String> out = new TreeSet<>();
        for (TlaValue e : ((TlaValue.SetValue) s.get("mdb")).elements()) {
            out.add(node(pairOf(e).get(0)) + " -> " + node(pairOf(e).get(1)));
        }
        return out;
    }

    private static Set<String> nodesInMdb(Map<String, TlaValue> s) {
        Set<String> out = new TreeSet<>();
        for (TlaValue e : ((TlaValue.SetValue) s.get("mdb")).elements()) {
            out.add(node(pairOf(e).get(0)));
            out.add(node(pairOf(e).get(1)));
        }
        return out;
    }

    /**
     * The TLB entries that disagree with the page table of the space that owns their tag (Tlb's
     * TlbMatchesPageTable): the page maps nothing, another frame, or not writable for a writable entry.
     */
    private static int staleTlbEntries(Map<String, TlaValue> s) {
        int stale = 0;
        for (Map.Entry<TlaValue, TlaValue> cpu : fun(s.get("tlb")).entrySet()) {
            TlaValue running = get(s.get("running"), name(cpu.getKey()));
            for (TlaValue ev : ((TlaValue.SetValue) cpu.getValue()).elements()) {
                TlaValue.Record e = (TlaValue.Record) ev;
                BigInteger tag = ((TlaValue.Int) e.get("asid")).value();
                List<String> holders = new ArrayList<>();
                if (tag.signum() != 0) {
                    fun(s.get("asid")).forEach((sp, a) -> {
                        if (a.equals(new TlaValue.Int(tag))) {
                            holders.add(name(sp));
                        }
                    });
                } else if (get(s.get("pt"), name(running)) != null) {
                    holders.add(name(running));
                }
                boolean bad = holders.isEmpty();
                for (String h : holders) {
                    TlaValue pte = get(get(s.get("pt"), h), name(e.get("vp")));
                    bad |= !(pte instanceof TlaValue.Record p) || !p.get("frame").equals(e.get("frame"))
                            || (e.get("w").equals(TlaValue.bool(true)) && p.get("w").equals(TlaValue.bool(false)));
                }
                stale += bad ? 1 : 0;
            }
        }
        return stale;
    }

    /** The loaded registers whose Vst entry no longer names their slot, as "thread.reg". */
    private static Set<String> staleRegisters(Map<String, TlaValue> s) {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<TlaValue, TlaValue> t : fun(s.get("reg")).entrySet()) {
            for (Map.Entry<TlaValue, TlaValue> r : fun(t.getValue()).entrySet()) {
                TlaValue.Record reg = (TlaValue.Record) r.getValue();
                if (reg.get("slot").equals(TlaValue.integer(0))) {
                    continue;
                }
                TlaValue table = get(s.get("vst"), name(reg.get("from")));
                TlaValue entry = table == null ? null : get(table, name(reg.get("sel")));
                if (!(entry instanceof TlaValue.Record e) || !e.get("slot").equals(reg.get("slot"))) {
                    out.add(name(t.getKey()) + "." + name(r.getKey()));
                }
            }
        }
        return out;
    }

    /** The small-space TLB entries whose frame's space no longer maps that page. */
    private static int staleSmallSpaceEntries(Map<String, TlaValue> s) {
        int stale = 0;
        for (TlaValue entries : fun(s.get("tlb")).values()) {
            for (TlaValue e : ((TlaValue.SetValue) entries).elements()) {
                List<TlaValue> frame = pairOf(pairOf(e).get(1));
                TlaValue.SetValue mapped = (TlaValue.SetValue) get(s.get("mapped"), name(frame.get(0)));
                stale += mapped.contains(frame.get(1)) ? 0 : 1;
            }
        }
        return stale;
    }

    // ------------------------------------------------------------------------------------------
    // Reading the SVG

    /** The picture of the state, which must exist and be a well-formed, self-contained SVG document. */
    private static Document picture(String area, Map<String, TlaValue> state) {
        Optional<String> svg = StatePictures.svg(area, state);
        assertTrue(svg.isPresent(), area + " has no picture of " + state);
        assertEquals(svg, StatePictures.svg(area, state), "the picture is deterministic");
        return parse(svg.get(), area);
    }

    private static Document parse(String svg) {
        return parse(svg, null);
    }

    /** Parses the SVG with the JDK's parser, and checks the root and that nothing in it is active or external. */
    private static Document parse(String svg, String area) {
        Document d;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + svg, e);
        }
        Element root = d.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        assertEquals("state-picture", root.getAttribute("class"));
        if (area != null) {
            assertEquals(area, root.getAttribute("data-area"));
        }
        double w = Double.parseDouble(root.getAttribute("width"));
        double h = Double.parseDouble(root.getAttribute("height"));
        assertTrue(w > 0 && h > 0);
        assertEquals("0 0 " + root.getAttribute("width") + " " + root.getAttribute("height"), root.getAttribute("viewBox"));
        Element first = (Element) root.getElementsByTagName("*").item(0);
        assertEquals("title", first.getTagName());
        assertFalse(first.getTextContent().isBlank());
        NodeList all = d.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            assertFalse(Set.of("script", "foreignObject", "image", "use", "a", "style").contains(e.getLocalName()),
                    e.getLocalName());
            NamedNodeMap attrs = e.getAttributes();
            for (int j = 0; j < attrs.getLength(); j++) {
                String attr = attrs.item(j).getNodeName();
                assertFalse(attr.startsWith("on") || attr.endsWith("href") || attr.equals("id"), attr);
            }
        }
        return d;
    }

    private static boolean hasClass(Element e, String cls) {
        return List.of(e.getAttribute("class").split(" ")).contains(cls);
    }

    /** The elements at or under {@code root} whose class list holds {@code cls}, in document order. */
    private static List<Element> withClass(Object root, String cls) {
        NodeList all = root instanceof Document d ? d.getElementsByTagName("*") : ((Element) root).getElementsByTagName("*");
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (hasClass(e, cls)) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * A TLC counterexample of FlushShootdown's bug variant ipi_caller_only (./mkspec check --only
     * 'tlc:FlushShootdown/bug_ipi_caller_only'): s1 maps Sigma0's page, c2 running s1 caches it, and
     * s1's flush on c1 sends no IPI to c2.
     */
    private static final String FLUSH_SHOOTDOWN_TRACE = """
            {"#meta": {"format": "ITF", "source": "MCFlushShootdown.tla", "description": "invariant violated: NoAccessAfterFlush", "tool": "TLC 2.18", "modelValues": ["Sigma0", "s1", "NoMapping", "s2", "c1", "c2", "Idle", "NoOp"], "ending": "finite"},
             "vars": ["mappings", "tlb", "mayCache", "running", "pending", "mdb", "live"],
             "states": [
              {"#meta":{"index":0,"action":"Init"},"mappings":{"#map":[["Sigma0",{"#map":[[{"#bigint":"0"},{"frame":{"#bigint":"0"},"rights":{"#set":["w"]}}]]}],["s1",{"#map":[[{"#bigint":"0"},"NoMapping"]]}],["s2",{"#map":[[{"#bigint":"0"},"NoMapping"]]}]]},"tlb":{"#map":[["c1",{"#set":[]}],["c2",{"#set":[]}]]},"mayCache":{"#map":[["Sigma0",{"#set":[]}],["s1",{"#set":[]}],["s2",{"#set":[]}]]},"running":{"#map":[["c1","Idle"],["c2","Idle"]]},"pending":"NoOp","mdb":{"#set":[]},"live":{"#set":["Sigma0","s1","s2"]}},
              {"#meta":{"index":1,"action":"SpaceSwitch"},"mappings":{"#map":[["Sigma0",{"#map":[[{"#bigint":"0"},{"frame":{"#bigint":"0"},"rights":{"#set":["w"]}}]]}],["s1",{"#map":[[{"#bigint":"0"},"NoMapping"]]}],["s2",{"#map":[[{"#bigint":"0"},"NoMapping"]]}]]},"tlb":{"#map":[["c1",{"#set":[]}],["c2",{"#set":[]}]]},"mayCache":{"#map":[["Sigma0",{"#set":["c1"]}],["s1",{"#set":[]}],["s2",{"#set":[]}]]},"running":{"#map":[["c1","Sigma0"],["c2","Idle"]]},"pending":"NoOp","mdb":{"#set":[]},"live":{"#set":["Sigma0","s1","s2"]}},
              {"#meta":{"index":2,"action":"SpaceSwitch"},"mappings":{"#map":[["Sigma0",{"#map":[[{"#bigint":"0"},{"frame":{"#bigint":"0"},"rights":{"#set":["w"]}}]]}],["s1",{"#map":[[{"#bigint":"0"},"NoMapping"]]}],["s2",{"#map":[[{"#bigint":"0"},"NoMapping"]]}]]},"tlb":{"#map":[["c1",{"#set":[]}],["c2",{"#set":[]}]]},"mayCache":{"#map":[["Sigma0",{"#set":["c1"]}],["s1",{"#set":["c2"]}],["s2",{"#set":[]}]]},"running":{"#map":[["c1","Sigma0"],["c2","s1"]]},"pending":"NoOp","mdb":{"#set":[]},"live":{"#set":["Sigma0","s1","s2"]}},
              {"#meta":{"index":3,"action":"OpMap"},"mappings":{"#map":[["Sigma0",{"#map":[[{"#bigint":"0"},{"frame":{"#bigint":"0"},"rights":{"#set":["w"]}}]]}],["s1",{"#map":[[{"#bigint":"0"},{"frame":{"#bigint":"0"},"rights":{"#set":["w"]}}]]}],["s2",{"#map":[[{"#bigint":"0"},"NoMapping"]]}]]},"tlb":{"#map":[["c1",{"#set":[]}],["c2",{"#set":[]}]]},"mayCache":{"#map":[["Sigma0",{"#set":["c1"]}],["s1",{"#set":["c2"]}],["s2",{"#set":[]}]]},"running":{"#map":[["c1","Sigma0"],["c2","s1"]]},"pending":"NoOp","mdb":{"#set":[[["s1",{"#bigint":"0"}],["Sigma0",{"#bigint":"0"}]]]},"live":{"#set":["Sigma0","s1","s2"]}},
              {"#meta":{"index":4,"action":"TlbFill"},"mappings":{"#map":[["Sigma0",{"#map":[[{"#bigint":"0"},{"frame":{"#bigint":"0"},"rights":{"#set":["w"]}}]]}],["s1",{"#map":[[{"#bigint":"0"},{"frame":{"#bigint":"0"},"rights":{"#set":["w"]}}]]}],["s2",{"#map":[[{"#bigint":"0"},"NoMapping"]]}]]},"tlb":{"#map":[["c1",{"#set":[]}],["c2",{"#set":[{"frame":{"#bigint":"0"},"rights":{"#set":["w"]},"space":"s1","vp":{"#bigint":"0"}}]}]]},"mayCache":{"#map":[["Sigma0",{"#set":["c1"]}],["s1",{"#set":["c2"]}],["s2",{"#set":[]}]]},"running":{"#map":[["c1","Sigma0"],["c2","s1"]]},"pending":"NoOp","mdb":{"#set":[[["s1",{"#bigint":"0"}],["Sigma0",{"#bigint":"0"}]]]},"live":{"#set":["Sigma0","s1","s2"]}},
              {"#meta":{"index":5,"action":"OpFlush"},"mappings":{"#map":[["Sigma0",{"#map":[[{"#bigint":"0"},{"frame":{"#bigint":"0"},"rights":{"#set":["w"]}}]]}],["s1",{"#map":[[{"#bigint":"0"},"NoMapping"]]}],["s2",{"#map":[[{"#bigint":"0"},"NoMapping"]]}]]},"tlb":{"#map":[["c1",{"#set":[]}],["c2",{"#set":[{"frame":{"#bigint":"0"},"rights":{"#set":["w"]},"space":"s1","vp":{"#bigint":"0"}}]}]]},"mayCache":{"#map":[["Sigma0",{"#set":["c1"]}],["s1",{"#set":["c2"]}],["s2",{"#set":[]}]]},"running":{"#map":[["c1","Sigma0"],["c2","s1"]]},"pending":"NoOp","mdb":{"#set":[]},"live":{"#set":["Sigma0","s1","s2"]}}
            ]}
            """;
}
