package dev.mkspec.ci.view;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The definitions the report shows beside each catalog entry, from this repository's sources. */
class SourceExcerptsTests {
    private static final SourceExcerpts SOURCES = new SourceExcerpts(Path.of("..").toAbsolutePath().normalize());

    @Test
    void aTlaOperatorIsShownWholeWithItsFileAndLine() {
        SourceExcerpts.Excerpt x = SOURCES.tla("AddressSpaces", "MdbIsForest").orElseThrow();
        assertTrue(x.file().equals("specs/tla/AddressSpaces/AddressSpaces.tla") && x.line() > 1, x.toString());
        assertTrue(x.text().startsWith("MdbIsForest ==") && x.text().contains("e[1] \\notin SigmaNodes"), x.text());
        assertFalse(x.cut());
    }

    @Test
    void aJavaPropertyStatedAsNamedConjunctsIsShownWithEveryConjunct() {
        SourceExcerpts.Excerpt x = SOURCES.java("AddressSpaces", "AS-4").orElseThrow();
        for (String c : new String[] {"Cardinality", "Mapped(Db, e[2])", "Derived(Db, n)", "\\\\E e \\\\in mdb : e[1] = n", "e[1] \\\\notin SigmaNodes"}) {
            assertTrue(x.text().contains(c), c + " in\n" + x.text());
        }
    }

    @Test
    void aJavaPropertyByMethodReferenceIsShownAsItsMethod() {
        SourceExcerpts.Excerpt x = SOURCES.java("AddressSpaces", "AS-3").orElseThrow();
        assertTrue(x.text().contains("boolean rightsWithinParent("), x.text());
    }

    @Test
    void anAlloyAssertionAndAKernelInvariantResolve() {
        assertTrue(SOURCES.alloy("addressSpaces", "wellFormed").orElseThrow().text().contains("wellFormed"));
        assertTrue(SOURCES.kernel("KernelInvariants", "K-5").isPresent());
        assertTrue(SOURCES.tla("AddressSpaces", "NoSuchOperator").isEmpty());
    }
}
