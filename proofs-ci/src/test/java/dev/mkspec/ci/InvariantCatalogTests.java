package dev.mkspec.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.ci.catalog.CatalogCheck;
import dev.mkspec.ci.catalog.InvariantCatalog;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvariantCatalogTests {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theRepositorysCatalogAgreesWithItsSpecs() {
        InvariantCatalog catalog = InvariantCatalog.find(ROOT).orElseThrow();
        assertTrue(catalog.entries().size() >= 10);
        assertEquals(List.of(), new CatalogCheck(ROOT, ModelBindings.standard()).problems(catalog));
    }

    /** A copy of the repository's specs with the catalog edited by {@code edit}. */
    private static List<String> problemsAfter(Path dir, java.util.function.UnaryOperator<String> edit) throws IOException {
        copyTree(ROOT.resolve("specs/tla/AddressSpaces"), dir.resolve("specs/tla/AddressSpaces"));
        copyTree(ROOT.resolve("specs/tla/Ipc"), dir.resolve("specs/tla/Ipc"));
        copyTree(ROOT.resolve("specs/alloy"), dir.resolve("specs/alloy"));
        Path file = dir.resolve("specs/invariants.yaml");
        Files.writeString(file, edit.apply(Files.readString(ROOT.resolve("specs/invariants.yaml"))));
        return new CatalogCheck(dir, ModelBindings.standard()).problems(InvariantCatalog.read(file));
    }

    @Test
    void everyKindOfDisagreementIsReported(@TempDir Path dir) throws IOException {
        List<String> p = problemsAfter(dir, s -> s
                .replace("tla: AddressSpaces!FrameMatchesParent", "tla: AddressSpaces!FramesMatch")
                .replace("java: AddressSpaces!AS-3", "java: AddressSpaces!AS-33")
                .replace("alloy: addressSpaces!mdbIsForest", "alloy: addressSpaces!isForest")
                .replace("    failsIn: [tlc:AddressSpaces/bug_unmap_keeps_node]", "    failsIn: []")
                .replace("    failsIn: [tlc:AddressSpaces/bug_flush_sigma0]", "    failsIn: [tlc:AddressSpaces/fast]")
                .replaceFirst("tlc:AddressSpaces/fast_rights, ", ""));
        String all = String.join("\n", p);
        assertTrue(all.contains("AS-2: AddressSpaces.tla does not define FramesMatch"), all);
        assertTrue(all.contains("AS-3: the Java model AddressSpaces defines nothing with the ID AS-33"), all);
        assertTrue(all.contains("AS-4: addressSpaces.als has no pred, assert or command named isForest"), all);
        assertTrue(all.contains("AS-5 names no bug variant"), all);
        assertTrue(all.contains("AS-10: tlc:AddressSpaces/fast is listed in failsIn"), all);
        assertTrue(all.contains("AS-1: checkedBy lacks tlc:AddressSpaces/fast_rights"), all);
    }

    @Test
    void livenessAndDeadlockEntriesAreJudgedByTheirOwnRules(@TempDir Path dir) throws IOException {
        List<String> p = problemsAfter(dir, s -> s
                .replace("    checkedBy: [tlc:Ipc/live]", "    checkedBy: [tlc:Ipc/live, explorer:Ipc/live]")
                .replace("    failsIn: [tlc:Ipc/live_unfair, tlc:Ipc/bug_queue_lifo]", "    failsIn: [tlc:Ipc/fast]")
                .replace("    failsIn: [tlc:Ipc/deadlock_inf]", "    failsIn: [tlc:Ipc/deadlock_zero]"));
        String all = String.join("\n", p);
        assertTrue(all.contains("IPC-6: explorer:Ipc/live: liveness stays with TLC"), all);
        assertTrue(all.contains("IPC-6: tlc:Ipc/fast is listed in failsIn but its manifest does not expect a temporal"), all);
        assertTrue(all.contains("IPC-7: tlc:Ipc/deadlock_zero is listed in failsIn but its manifest does not expect a deadlock"),
                all);
    }

    @Test
    void anImplicationMustNameEntriesAndProveItWithAnAlloyCheck(@TempDir Path dir) throws IOException {
        String mark = "    failsIn: [tlc:AddressSpaces/bug_flush_sigma0]\n";
        List<String> p = problemsAfter(dir, s -> s.replace(mark, mark
                + "    impliedBy:\n      ids: [AS-10, AS-99]\n      reason: because\n"
                + "      provedBy: [tlc:AddressSpaces/fast, alloy:addressSpaces/NoSuchCheck]\n"));
        String all = String.join("\n", p);
        assertTrue(all.contains("AS-10: impliedBy names the entry itself"), all);
        assertTrue(all.contains("AS-10: impliedBy names AS-99, which the catalog does not have"), all);
        assertTrue(all.contains("AS-10: impliedBy.provedBy tlc:AddressSpaces/fast must be an Alloy check"), all);
        assertTrue(all.contains("AS-10: alloy:addressSpaces/NoSuchCheck is not a command"), all);
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "invariants:\n  - {id: AS-1, title: a, statement: b, kind: invariant, tla: A!B, java: A!AS-1,"
                + " checkedBy: [], failsIn: [], impliedBy: [AS-2]}\n");
        assertTrue(assertThrows(MkspecException.class, () -> InvariantCatalog.read(file)).getMessage()
                .contains("AS-1.impliedBy must be a map"));
    }

    @Test
    void aLivenessEntryWithAJavaTwinIsBadInput(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("invariants.yaml");
        Files.writeString(file, "invariants:\n  - {id: IPC-6, title: a, statement: b, kind: liveness, tla: Ipc!CallsReturn,"
                + " java: Ipc!IPC-6, checkedBy: [], failsIn: []}\n");
        MkspecException e = assertThrows(MkspecException.class, () -> InvariantCatalog.read(file));
        assertTrue(e.getMessage().contains("a liveness property has no Java twin"), e.getMessage());
    }

    @Test
    void anInvariantWithoutAJavaTwinMustSayWhy(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("invariants.yaml");
        Files.writeString(file, "invariants:\n  - {id: TLB-18, title: a, statement: b, kind: invariant, tla: F!P,"
                + " noJava: no Java model yet, checkedBy: [], failsIn: []}\n");
        InvariantCatalog.Entry e = InvariantCatalog.read(file).entries().get(0);
        assertEquals(null, e.java());
        assertEquals(java.util.Optional.of("no Java model yet"), e.noJava());
        // Without either, the twin is required; with both, one is wrong.
        Files.writeString(file, "invariants:\n  - {id: TLB-18, title: a, statement: b, kind: invariant, tla: F!P,"
                + " checkedBy: [], failsIn: []}\n");
        assertTrue(assertThrows(MkspecException.class, () -> InvariantCatalog.read(file)).getMessage()
                .contains("TLB-18 needs a 'java'"));
        Files.writeString(file, "invariants:\n  - {id: TLB-18, title: a, statement: b, kind: invariant, tla: F!P,"
                + " java: F!TLB-18, noJava: why, checkedBy: [], failsIn: []}\n");
        assertTrue(assertThrows(MkspecException.class, () -> InvariantCatalog.read(file)).getMessage()
                .contains("remove one of 'java' and 'noJava'"));
    }

    @Test
    void kernelInvariantsAreJudgedByTheKernelChecks(@TempDir Path dir) throws IOException {
        List<String> p = problemsAfter(dir, s -> s
                .replace("kernel: KernelInvariants!K-2", "kernel: KernelInvariants!K-99")
                .replace("    failsIn: [kernel:AddressSpaces/bug_k3_grant_keeps_pte]",
                        "    failsIn: [kernel:AddressSpaces/bug_k5_flush_skips_tlb]")
                .replace("    failsIn: [kernel:AddressSpaces/bug_k6_delete_keeps_queued]",
                        "    failsIn: [kernel:AddressSpaces/graph_fast]")
                .replaceFirst("kernel:AddressSpaces/invariants_haswell, ", ""));
        String all = String.join("\n", p);
        assertTrue(all.contains("K-2: kernel KernelInvariants!K-99 must be KernelInvariants!ID"), all);
        assertTrue(all.contains("K-3: kernel:AddressSpaces/bug_k5_flush_skips_tlb is listed in failsIn but its manifest does"
                + " not expect K-3 to break"), all);
        assertTrue(all.contains("K-6: kernel:AddressSpaces/graph_fast is a 'graph' kernel check"), all);
        assertTrue(all.contains("K-1: checkedBy lacks kernel:AddressSpaces/invariants_haswell"), all);
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "invariants:\n  - {id: K-1, title: a, statement: b, kind: invariant, tla: A!B,"
                + " kernel: KernelInvariants!K-1, checkedBy: [], failsIn: []}\n");
        assertTrue(assertThrows(MkspecException.class, () -> InvariantCatalog.read(file)).getMessage()
                .contains("stated in kernel-impl only"));
    }

    @Test
    void aMalformedCatalogIsBadInputNamingTheEntry(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("invariants.yaml");
        Files.writeString(file, "invariants:\n  - id: AS-1\n    title: t\n");
        MkspecException e = assertThrows(MkspecException.class, () -> InvariantCatalog.read(file));
        assertEquals(Problem.MANIFEST_INVALID, e.problem());
        assertTrue(e.getMessage().contains("AS-1 needs a 'kind'") || e.getMessage().contains("AS-1 needs a 'statement'"),
                e.getMessage());
        Files.writeString(file, "invariants:\n  - {id: AS-1, title: a, statement: b, kind: invariant, tla: A!B, java: A!AS-1, checkedBy: [], failsIn: []}\n"
                + "  - {id: AS-1, title: a, statement: b, kind: invariant, tla: A!B, java: A!AS-1, checkedBy: [], failsIn: []}\n");
        assertTrue(assertThrows(MkspecException.class, () -> InvariantCatalog.read(file)).getMessage().contains("appears twice"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target);
                }
            }
        }
    }
}
