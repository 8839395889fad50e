package dev.mkspec.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.ci.plan.Manifest;
import dev.mkspec.ci.plan.ManifestReader;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTests {

    private static Path manifest(Path dir, String json) {
        TestFixtures.copy(dir, "tla/StaleTlb.tla", "tla/StaleTlb_ok.cfg");
        Path f = dir.resolve("manifest.json");
        TestFixtures.write(f, json);
        return f;
    }

    @Test
    void readsEveryField(@TempDir Path dir) {
        Manifest m = ManifestReader.read(manifest(dir, """
                { "area": "Tlb", "models": [ { "name": "deep", "spec": "StaleTlb.tla", "config": "StaleTlb_ok.cfg",
                  "profile": "deep", "workers": "auto", "timeout": "1h30m", "heap": "4g",
                  "expect": { "result": "success", "distinctStates": 12, "totalStates": 21, "stateDepth": 5 },
                  "explorer": { "model": "StaleTlb", "compare": "graph" } } ] }
                """));
        assertEquals("Tlb", m.area());
        Manifest.Model model = m.models().get(0);
        assertEquals("deep", model.profile());
        assertTrue(model.workers().isEmpty());
        assertEquals(Duration.ofMinutes(90), model.timeout().orElseThrow());
        assertEquals(12, model.expect().distinctStates().getAsLong());
        assertEquals("graph", model.explorer().orElseThrow().compare());
    }

    private static String error(Path dir, String json) {
        MkspecException e = assertThrows(MkspecException.class, () -> ManifestReader.read(manifest(dir, json)));
        assertEquals(Problem.MANIFEST_INVALID, e.problem());
        assertTrue(e.getMessage().contains("manifest.json"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void namesTheKeyAtFaultForEveryMistake(@TempDir Path dir) {
        String model = "\"name\": \"a\", \"spec\": \"StaleTlb.tla\", \"config\": \"StaleTlb_ok.cfg\"";
        assertTrue(error(dir, "{ \"models\": [ {").contains("not valid JSON"));
        assertTrue(error(dir, "{ \"models\": [] }").contains("non-empty array"));
        assertTrue(error(dir, "{ \"modles\": [] }").contains("unknown key 'modles'"));
        assertTrue(error(dir, "{ \"models\": [ { " + model + " } ] }").contains("needs an 'expect'"));
        assertTrue(error(dir, "{ \"models\": [ { " + model + ", \"expect\": { \"result\": \"fine\" } } ] }")
                .contains("\"fine\" is not a verdict"));
        assertTrue(error(dir, "{ \"models\": [ { \"name\": \"a\", \"spec\": \"Nope.tla\", \"config\": \"StaleTlb_ok.cfg\","
                + " \"expect\": { \"result\": \"success\" } } ] }").contains("Nope.tla, which does not exist"));
        assertTrue(error(dir, "{ \"models\": [ { " + model + ", \"profile\": \"slow\", \"expect\": { \"result\": \"success\" } } ] }")
                .contains("profile"));
        assertTrue(error(dir, "{ \"models\": [ { " + model + ", \"expect\": { \"result\": \"success\", \"distinctStates\": -1 } } ] }")
                .contains("distinctStates"));
        assertTrue(error(dir, "{ \"models\": [ { " + model + ", \"timeout\": \"soon\", \"expect\": { \"result\": \"success\" } } ] }")
                .contains("timeout"));
        assertTrue(error(dir, "{ \"models\": [ { " + model + ", \"expect\": { \"result\": \"success\" } }, { " + model
                + ", \"expect\": { \"result\": \"success\" } } ] }").contains("two models are named 'a'"));
        assertTrue(error(dir, "{ \"models\": [ { " + model + ", \"coverage\": \"no\", \"expect\": { \"result\": \"success\" } } ] }")
                .contains("coverage must be true or false"));
        assertTrue(error(dir, "{ \"models\": [ { " + model + ", \"coverage\": false, \"expect\": { \"result\": "
                + "\"invariant violated\" } } ] }").contains("coverage applies only to a model that expects success"));
        assertTrue(error(dir, "{ \"models\": [ { " + model + ", \"profile\": \"deep\", \"coverage\": false, \"expect\": "
                + "{ \"result\": \"success\" } } ] }").contains("coverage applies only to a fast model"));
    }

    @Test
    void aSimulationGivesItsWalksAndJudgesTheVerdictOnly(@TempDir Path dir) {
        String model = "\"name\": \"a\", \"spec\": \"StaleTlb.tla\", \"config\": \"StaleTlb_ok.cfg\", \"profile\": \"deep\"";
        Manifest.Simulate s = ManifestReader.read(manifest(dir, "{ \"models\": [ { " + model + ", \"simulate\": "
                + "{ \"depth\": 20, \"traces\": 50 }, \"expect\": { \"result\": \"success\" } } ] }")).models().get(0)
                .simulate().orElseThrow();
        assertEquals(new Manifest.Simulate(20, 50, 0), s, "the seed defaults to 0");
        assertTrue(error(dir, "{ \"models\": [ { " + model + ", \"simulate\": { \"depth\": 20, \"traces\": 50 }, "
                + "\"expect\": { \"result\": \"success\", \"distinctStates\": 12 } } ] }")
                .contains("a simulation does not reach the same way twice"));
        assertTrue(error(dir, "{ \"models\": [ { " + model + ", \"simulate\": { \"traces\": 50 }, "
                + "\"expect\": { \"result\": \"success\" } } ] }").contains("simulate.depth"));
        assertTrue(error(dir, "{ \"models\": [ { " + model + ", \"simulate\": { \"depth\": 20, \"traces\": 50 }, "
                + "\"explorer\": { \"model\": \"StaleTlb\", \"compare\": \"graph\" }, \"expect\": { \"result\": "
                + "\"success\" } } ] }").contains("a simulation does not make"));
        assertTrue(error(dir, "{ \"models\": [ { " + model + ", \"simulate\": { \"depth\": 20, \"traces\": 50, "
                + "\"walks\": 3 }, \"expect\": { \"result\": \"success\" } } ] }").contains("unknown key 'walks'"));
    }

    @Test
    void coverageIsCollectedUnlessTheManifestSaysOtherwise(@TempDir Path dir) {
        String model = "\"name\": \"a\", \"spec\": \"StaleTlb.tla\", \"config\": \"StaleTlb_ok.cfg\"";
        assertTrue(ManifestReader.read(manifest(dir, "{ \"models\": [ { " + model
                + ", \"expect\": { \"result\": \"success\" } } ] }")).models().get(0).coverage());
        assertTrue(!ManifestReader.read(manifest(dir, "{ \"models\": [ { " + model
                + ", \"coverage\": false, \"expect\": { \"result\": \"success\" } } ] }")).models().get(0).coverage());
    }

    @Test
    void kernelChecksAreReadAndEveryMistakeNamed(@TempDir Path dir) {
        String models = "\"area\": \"AddressSpaces\", \"models\": [ { \"name\": \"a\", \"spec\": \"StaleTlb.tla\","
                + " \"config\": \"StaleTlb_ok.cfg\", \"expect\": { \"result\": \"success\" } } ]";
        Manifest m = ManifestReader.read(manifest(dir, "{ " + models + ", \"kernel\": [ { \"name\": \"g\", \"check\": \"graph\","
                + " \"config\": \"StaleTlb_ok.cfg\", \"cpu\": \"haswell\", \"bug\": \"MAP_WRONG_PARENT\" } ] }"));
        Manifest.KernelRun k = m.kernel().get(0);
        assertEquals("graph", k.check());
        assertEquals("haswell", k.cpu());
        assertEquals("L4", k.design());
        assertEquals("caught", k.expect(), "a bug variant expects to be caught unless it says otherwise");
        String kernel = "\"name\": \"g\", \"config\": \"StaleTlb_ok.cfg\"";
        assertTrue(error(dir, "{ " + models + ", \"kernel\": [ { " + kernel + " } ] }").contains("needs a 'check'"));
        assertTrue(error(dir, "{ " + models + ", \"kernel\": [ { " + kernel + ", \"check\": \"fuzz\" } ] }")
                .contains("\"forward\", \"graph\", \"trace\" or \"invariants\""));
        assertTrue(error(dir, "{ " + models + ", \"kernel\": [ { " + kernel + ", \"check\": \"graph\", \"cpu\": \"z80\" } ] }")
                .contains("built-in profile"));
        assertTrue(error(dir, "{ " + models + ", \"kernel\": [ { " + kernel + ", \"check\": \"graph\", \"bug\": \"OOPS\" } ] }")
                .contains("kernel[0] ('g').bug must be one of"));
        assertTrue(error(dir, "{ " + models + ", \"kernel\": [ { " + kernel + ", \"check\": \"forward\", \"runs\": 0 } ] }")
                .contains("runs"));
        assertTrue(error(dir, "{ " + models + ", \"kernel\": { } }").contains("'kernel' must be an array"));
        String ipc = models.replace("AddressSpaces", "Ipc");
        assertTrue(error(dir, "{ " + ipc + ", \"kernel\": [ { " + kernel + ", \"check\": \"invariants\" } ] }")
                .contains("the Ipc area has forward, graph and trace kernel checks"));
        assertEquals("forward", ManifestReader.read(manifest(dir, "{ " + ipc + ", \"kernel\": [ { " + kernel
                + ", \"check\": \"forward\" } ] }")).kernel().get(0).check());
        assertEquals(2, ManifestReader.read(manifest(dir, "{ " + ipc + ", \"kernel\": [ { " + kernel
                + ", \"check\": \"forward\", \"cpu\": \"haswell\", \"cpus\": 2 } ] }")).kernel().get(0).cpus());
        assertTrue(error(dir, "{ " + ipc + ", \"kernel\": [ { " + kernel + ", \"check\": \"forward\", \"cpus\": 2 } ] }")
                .contains("has no IPI costs"));
        assertTrue(error(dir, "{ " + models + ", \"kernel\": [ { " + kernel + ", \"check\": \"graph\", \"cpu\": \"haswell\","
                + " \"cpus\": 2 } ] }").contains("only the Ipc forward check"));
        String tlb = models.replace("AddressSpaces", "Tlb");
        assertEquals("forward", ManifestReader.read(manifest(dir, "{ " + tlb + ", \"kernel\": [ { " + kernel
                + ", \"check\": \"forward\" } ] }")).kernel().get(0).check());
        assertTrue(error(dir, "{ " + tlb + ", \"kernel\": [ { " + kernel + ", \"check\": \"graph\" } ] }")
                .contains("the Tlb area has forward kernel checks only"));
        assertTrue(error(dir, "{ " + models.replace("AddressSpaces", "Ipc2") + ", \"kernel\": [ { " + kernel
                + ", \"check\": \"forward\" } ] }").contains("the area Ipc2 has none"));
    }

    /** Issue 13's promise: every KernelBug is a kernel bug variant of some manifest, which the plan must see caught. */
    @Test
    void everyKernelBugIsABugVariantOfTheRepositorysManifests() {
        java.util.Set<String> variants = new java.util.TreeSet<>();
        for (String area : java.util.List.of("AddressSpaces", "Ipc", "Tlb", "FlushShootdown")) {
            Manifest m = ManifestReader.read(Path.of("..", "specs", "tla", area, "manifest.json"));
            for (Manifest.KernelRun k : m.kernel()) {
                if (!k.bug().equals("NONE")) {
                    assertEquals("caught", k.expect(), k.name());
                    variants.add(k.bug());
                }
            }
        }
        for (dev.mkspec.kernel.KernelBug b : dev.mkspec.kernel.KernelBug.values()) {
            if (b != dev.mkspec.kernel.KernelBug.NONE) {
                assertTrue(variants.contains(b.name()), b + " has no kernel bug variant in any manifest");
            }
        }
    }
}
