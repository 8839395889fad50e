package dev.mkspec.refinement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.model.segments.SegmentsConstants;
import dev.mkspec.specs.tla.CfgParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segment-table binding reads every repository cfg, takes Home, FirstOwner and FirstGrants
 * from MCSegments.tla's definitions, and says what is wrong in a bad cfg.
 */
class SegmentsBindingTests {
    static final Path FOLDER = Path.of("..", "specs", "tla", "Segments");

    @Test
    void everySegmentsCfgBuildsTheModel() throws IOException {
        List<Path> cfgs;
        try (Stream<Path> files = Files.list(FOLDER)) {
            cfgs = files.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        }
        assertTrue(cfgs.size() >= 18, "found " + cfgs);
        for (Path cfg : cfgs) {
            SegmentsBinding.constants(CfgParser.parse(cfg));
        }
        SegmentsConstants budget = SegmentsBinding.constants(CfgParser.parse(FOLDER.resolve("MCSegments_fast_budget.cfg")));
        assertEquals(List.of("C", "S", "U"), budget.domains());
        assertArrayEquals(new int[] {1, 2}, budget.firstOwner());
        assertEquals(2, budget.firstGrants().size());
        assertEquals(0b010, budget.hostile());
        SegmentsConstants ring = SegmentsBinding.constants(CfgParser.parse(FOLDER.resolve("MCSegments_fast_ring.cfg")));
        assertEquals(1, ring.server());
        assertArrayEquals(new int[] {0, 1}, ring.home());
    }

    /** A copy of the folder with fast_lend's cfg changed by {@code edit}. */
    private static String error(Path dir, java.util.function.UnaryOperator<String> edit) throws IOException {
        Files.copy(FOLDER.resolve("MCSegments.tla"), dir.resolve("MCSegments.tla"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path cfg = dir.resolve("MCSegments_bad.cfg");
        Files.writeString(cfg, edit.apply(Files.readString(FOLDER.resolve("MCSegments_fast_lend.cfg"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SegmentsBinding.constants(CfgParser.parse(cfg)));
        return e.getMessage();
    }

    @Test
    void aSubstitutionOfAMissingDefinitionIsNamed(@TempDir Path dir) throws IOException {
        String m = error(dir, t -> t.replace("Home <- HomeCS", "Home <- HomeXY"));
        assertTrue(m.contains("MCSegments_bad.cfg") && m.contains("Home <- HomeXY") && m.contains("defines no HomeXY"), m);
    }

    @Test
    void aBadConstantIsNamed(@TempDir Path dir) throws IOException {
        String ops = error(dir, t -> t.replace("Ops = {\"load\"", "Ops = {\"teleport\", \"load\""));
        assertTrue(ops.contains("teleport") && ops.contains("Ops"), ops);
        String bug = error(dir, t -> t.replace("Bug = \"none\"", "Bug = \"typo\""));
        assertTrue(bug.contains("typo") && bug.contains("raw_selectors"), bug);
        String rights = error(dir, t -> t.replace("Rights = {\"r\", \"c\"}", "Rights = {\"r\", \"x\"}"));
        assertTrue(rights.contains("\"x\""), rights);
    }
}
