package dev.mkspec.specs.tla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.Fixtures;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CfgParserTests {

    @Test
    void readsConstantsSectionsAndDeadlockFlag() {
        CfgFile cfg = CfgParser.parse(Fixtures.fixture("tla/StaleTlb_bug.cfg"));
        assertEquals(TlaValue.set(TlaValue.model("f1"), TlaValue.model("f2")), cfg.constant("Frames"));
        assertEquals(TlaValue.Bool.TRUE, cfg.constant("SkipInvalidate"));
        assertEquals(Optional.of("Spec"), cfg.specification());
        assertEquals(List.of("TypeOK", "NoStaleTranslation"), cfg.invariants());
        assertFalse(cfg.checksDeadlock());
        assertEquals(Optional.of(5), cfg.lineOf("NoStaleTranslation"));
    }

    @Test
    void readsSeveralAssignmentsOnOneLineAndSubstitutions() {
        CfgFile cfg = CfgParser.parse("""
                \\* a comment
                CONSTANTS a = a  b = b
                  N <- MCN  (* a block
                  comment *) Limit = 3
                INIT Init NEXT Next
                PROPERTIES Live Fair
                SYMMETRY Perms
                CONSTRAINT Bound
                ACTION_CONSTRAINT Steps
                VIEW v
                CHECK_DEADLOCK TRUE
                """, null);
        assertEquals(TlaValue.model("a"), cfg.constant("a"));
        assertEquals(TlaValue.integer(3), cfg.constant("Limit"));
        assertEquals("MCN", cfg.substitutions().get("N"));
        assertEquals(Optional.of("Init"), cfg.init());
        assertEquals(Optional.of("Next"), cfg.next());
        assertEquals(List.of("Live", "Fair"), cfg.properties());
        assertEquals(Optional.of("Perms"), cfg.symmetry());
        assertEquals(List.of("Bound"), cfg.constraints());
        assertEquals(List.of("Steps"), cfg.actionConstraints());
        assertTrue(cfg.checksDeadlock());
        assertEquals(Optional.of(4), cfg.lineOf("Limit"));
    }

    @Test
    void namesTheFileAndLineOfASyntaxError() {
        Path broken = Fixtures.fixture("tla/Broken.cfg");
        MkspecException e = assertThrows(MkspecException.class, () -> CfgParser.parse(broken));
        assertEquals(Problem.CFG_SYNTAX_ERROR, e.problem());
        assertTrue(e.getMessage().contains("Broken.cfg:3"), e.getMessage());
        assertTrue(e.getMessage().contains("SkipInvalidate"), e.getMessage());
    }

    @Test
    void reportsAMissingFileAndAMissingConstantClearly() {
        MkspecException e = assertThrows(MkspecException.class, () -> CfgParser.parse(Path.of("no/such.cfg")));
        assertEquals(Problem.FILE_NOT_FOUND, e.problem());
        CfgFile cfg = CfgParser.parse("SPECIFICATION Spec", null);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> cfg.constant("N"));
        assertTrue(missing.getMessage().contains("N = ..."));
        assertThrows(MkspecException.class, () -> CfgParser.parse("INVARIANTS", null));
        assertThrows(MkspecException.class, () -> CfgParser.parse("FOO Bar", null));
        assertThrows(MkspecException.class, () -> CfgParser.parse("CHECK_DEADLOCK maybe", null));
    }
}
