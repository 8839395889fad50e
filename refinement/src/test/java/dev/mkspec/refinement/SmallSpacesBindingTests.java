package dev.mkspec.refinement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.model.smallspaces.SmallSpacesConstants;
import dev.mkspec.specs.tla.CfgParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small-space binding reads every repository cfg, takes Base, Size and FirstRun from
 * MCSmallSpaces.tla's definitions, and says what is wrong in a bad cfg.
 */
class SmallSpacesBindingTests {
    static final Path FOLDER = Path.of("..", "specs", "tla", "SmallSpaces");

    @Test
    void everySmallSpacesCfgBuildsTheModel() throws IOException {
        List<Path> cfgs;
        try (Stream<Path> files = Files.list(FOLDER)) {
            cfgs = files.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        }
        assertTrue(cfgs.size() >= 8, "found " + cfgs);
        for (Path cfg : cfgs) {
            SmallSpacesBinding.constants(CfgParser.parse(cfg));
        }
        SmallSpacesConstants fast = SmallSpacesBinding.constants(CfgParser.parse(FOLDER.resolve("MCSmallSpaces_fast.cfg")));
        assertEquals(List.of("L1", "L2", "S1", "S2"), fast.spaces());
        assertArrayEquals(new int[] {2, 3}, fast.base());
        assertEquals(3, fast.windowOf(3));
        assertEquals(-1, fast.windowOf(4));
    }

    private static String error(Path dir, UnaryOperator<String> cfgEdit, UnaryOperator<String> moduleEdit)
            throws IOException {
        Files.writeString(dir.resolve("MCSmallSpaces.tla"),
                moduleEdit.apply(Files.readString(FOLDER.resolve("MCSmallSpaces.tla"))));
        Files.copy(FOLDER.resolve("SmallSpaces.tla"), dir.resolve("SmallSpaces.tla"), StandardCopyOption.REPLACE_EXISTING);
        Path cfg = dir.resolve("MCSmallSpaces_bad.cfg");
        Files.writeString(cfg, cfgEdit.apply(Files.readString(FOLDER.resolve("MCSmallSpaces_fast.cfg"))));
        return assertThrows(IllegalArgumentException.class, () -> SmallSpacesBinding.constants(CfgParser.parse(cfg)))
                .getMessage();
    }

    @Test
    void overlappingWindowsAreNamed(@TempDir Path dir) throws IOException {
        String m = error(dir, t -> t, t -> t.replace("Base2 == (S1 :> 2 @@ S2 :> 3)", "Base2 == (S1 :> 2 @@ S2 :> 2)"));
        assertTrue(m.contains("MCSmallSpaces_bad.cfg") && m.contains("the windows of S1 and S2 overlap"), m);
    }

    @Test
    void aWindowBelowTheRegionAndAMissingSpaceAreNamed(@TempDir Path dir) throws IOException {
        String low = error(dir, t -> t, t -> t.replace("Base2 == (S1 :> 2 @@ S2 :> 3)", "Base2 == (S1 :> 1 @@ S2 :> 3)"));
        assertTrue(low.contains("Base[S1] must be at least NPages"), low);
        String missing = error(dir, t -> t, t -> t.replace("Size2 == (S1 :> 1 @@ S2 :> 1)", "Size2 == (S1 :> 1)"));
        assertTrue(missing.contains("Size must be a function giving a value for S2"), missing);
        String run = error(dir, t -> t, t -> t.replace("Run1 == (c1 :> L1)", "Run1 == (c1 :> S1)"));
        assertTrue(run.contains("FirstRun must give each CPU one of Large"), run);
        String bug = error(dir, t -> t.replace("Bug = \"none\"", "Bug = \"limit_of_by_one\""), t -> t);
        assertTrue(bug.contains("not a bug variant of SmallSpaces") && bug.contains("\"limit_off_by_one\""), bug);
    }
}
