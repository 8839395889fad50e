package dev.mkspec.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.ci.BadInputBatteryTests.Run;
import dev.mkspec.ci.cli.TlcVsExplorerCommand;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mkspec bench tlc-vs-explorer}: both tools on one configuration of this repository, like for like. */
class TlcVsExplorerTests {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void bothToolsRunTheSameConfigurationAndAgreeOnTheCounts() throws Exception {
        Run r = BadInputBatteryTests.mkspec("bench", "tlc-vs-explorer", "--root", ROOT.toString(), "--profile", "fast",
                "--only", "Segments/fast_budget", "--workers", "1", "--warmup", "0", "--format", "json");
        assertEquals(0, r.exit(), r.out() + r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode row = json.path("rows").get(0);
        assertEquals("Segments/fast_budget", row.path("configuration").asText());
        assertTrue(row.path("agree").asBoolean(), r.out());
        assertEquals(7, row.path("tlcDistinct").asLong());
        assertEquals(7, row.path("explorerDistinct").asLong());
        assertTrue(row.path("tlcSeconds").asDouble() > 0 && row.path("explorerSeconds").asDouble() >= 0);
        assertTrue(r.err().contains("Segments/fast_budget, 1 worker"), "progress goes to stderr: " + r.err());
    }

    @Test
    void aPatternThatMatchesNothingIsAUsageError() {
        Run r = BadInputBatteryTests.mkspec("bench", "tlc-vs-explorer", "--root", ROOT.toString(), "--only", "NoSuchArea/*");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("no deep success configuration with a Java model matches 'NoSuchArea/*'"), r.err());
    }

    @Test
    void theCopyOfTheCfgLosesItsPropertiesAndKeepsEverythingElse(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("M.cfg");
        Files.writeString(cfg, "CONSTANTS\n  N = 3\nSPECIFICATION Spec\nPROPERTIES\n  Step\n  Live\nINVARIANTS TypeOK\n"
                + "  Safe\nCHECK_DEADLOCK FALSE\n");
        Path copy = TlcVsExplorerCommand.strippedConfig(cfg, dir.resolve("copy.cfg"));
        CfgFile c = CfgParser.parse(copy);
        assertEquals(List.of(), c.properties());
        assertEquals(List.of("TypeOK", "Safe"), c.invariants());
        assertEquals(CfgParser.parse(cfg).constants(), c.constants());
        assertTrue(!c.checksDeadlock());
    }
}
