package dev.mkspec.specs.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTests {

    @Test
    void theFirstRunWritesTheArchiveAndLaterRunsMapIt(@TempDir Path cache) throws Exception {
        Map<String, String> env = Map.of(ClassDataArchive.CACHE, cache.toString());
        TlcInstallation tlc = TlcInstallation.bundled();
        // A dynamic archive of an earlier version (which may keep TLC's evaluator interpreted) is
        // never mapped, and is deleted when the new archive is written.
        Path dynamic = Files.writeString(cache.resolve("tlc-0123456789abcdef.jsa"), "dynamic");
        ClassDataArchive first = ClassDataArchive.of(tlc, env).orElseThrow();
        assertFalse(Files.exists(dynamic), "the old dynamic archive is deleted");
        String write = first.options().get(0);
        assertTrue(write.startsWith("-XX:DumpLoadedClassList="), write);
        assertTrue(first.options().contains("-Xlog:cds=off"), first.options().toString());
        // While it is being written, another run of this process neither writes nor maps one.
        assertEquals(Optional.empty(), ClassDataArchive.of(tlc, env));
        // A class list as the JVM writes it; the archive is built from it after the run.
        Files.writeString(Path.of(write.substring(write.indexOf('=') + 1)), "java/lang/Object id: 0\n");
        first.finish(0);
        ClassDataArchive later = ClassDataArchive.of(tlc, env).orElseThrow();
        String map = later.options().get(0);
        assertTrue(map.startsWith("-XX:SharedArchiveFile="), map);
        try (var files = Files.list(cache)) {
            List<Path> left = files.toList();
            assertEquals(1, left.size(), "only the archive stays (the class list is deleted): " + left);
            assertTrue(left.get(0).getFileName().toString().endsWith(".jsa"), left.toString());
        }
    }

    @Test
    void anArchiveFromAKilledRunIsDropped(@TempDir Path cache) throws Exception {
        finishAndExpectNothingKept(cache, "cut short", 137, "the next run writes it again");
    }

    /**
     * A writing run whose class list holds {@code list} ends with {@code exitCode}: nothing is kept
     * in the cache, and the next run lists its classes again.
     */
    private static void finishAndExpectNothingKept(Path cache, String list, int exitCode, String again) throws Exception {
        Map<String, String> env = Map.of(ClassDataArchive.CACHE, cache.toString());
        ClassDataArchive first = ClassDataArchive.of(TlcInstallation.bundled(), env).orElseThrow();
        String write = first.options().get(0);
        Files.writeString(Path.of(write.substring(write.indexOf('=') + 1)), list);
        first.finish(exitCode);
        try (var files = Files.list(cache)) {
            assertFalse(files.findAny().isPresent(), "nothing is kept");
        }
        assertTrue(ClassDataArchive.of(TlcInstallation.bundled(), env).orElseThrow().options().get(0)
                .startsWith("-XX:DumpLoadedClassList="), again);
    }

    @Test
    void itCanBeTurnedOff(@TempDir Path cache) {
        assertEquals(Optional.empty(), ClassDataArchive.of(TlcInstallation.bundled(),
                Map.of(ClassDataArchive.CACHE, cache.toString(), ClassDataArchive.SWITCH, "off")));
    }

    @Test
    void aRelativeCacheFolderIsMadeAbsolute() {
        ClassDataArchive a = ClassDataArchive.of(TlcInstallation.bundled(),
                Map.of(ClassDataArchive.CACHE, "target/cds-test-" + System.nanoTime())).orElseThrow();
        String option = a.options().get(0);
        assertTrue(Path.of(option.substring(option.indexOf('=') + 1)).isAbsolute(), option);
        a.finish(-1);
    }

    /**
     * End to end with TLC: the first run writes the archive, the second maps it; an archive cut
     * short (which can crash the JVM that maps it) costs a run again without it, and is dropped.
     */
    @Test
    void tlcRunsWriteMapAndSurviveADamagedArchive(@TempDir Path cache) throws Exception {
        ClassDataArchive.enableAgain();
        try {
            TlcRunner runner = new TlcRunner(TlcInstallation.bundled(), Map.of(ClassDataArchive.CACHE, cache.toString()));
            TlcRequest request = TlcRequest.of(dev.mkspec.specs.Fixtures.fixture("tla/StaleTlb.tla"))
                    .withConfig(dev.mkspec.specs.Fixtures.fixture("tla/StaleTlb_bug.cfg")).withWorkers(1).withHeap("256m");
            assertEquals(TlcVerdict.INVARIANT_VIOLATED, runner.run(request, TlcListener.NONE).verdict());
            Path archive;
            try (var files = Files.list(cache)) {
                archive = files.filter(f -> f.toString().endsWith(".jsa")).findFirst().orElseThrow(
                        () -> new AssertionError("the first run wrote no archive"));
            }
            // The JVM maps it with TLC's options (-Xshare:on fails where -Xshare:auto would go on without it).
            TlcInstallation tlc = TlcInstallation.bundled();
            Process map = new ProcessBuilder(tlc.java().toString(), "-XX:SharedArchiveFile=" + archive, "-Xshare:on",
                    "-XX:+UseParallelGC", "-Xmx256m", "-cp", tlc.jar().toString(), "-version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertEquals(0, map.waitFor(), "a JVM with TLC's options maps the archive");
            assertEquals(TlcVerdict.INVARIANT_VIOLATED, runner.run(request, TlcListener.NONE).verdict());
            byte[] whole = Files.readAllBytes(archive);
            archive.toFile().setWritable(true);
            Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 2));
            TlcResult r = runner.run(request, TlcListener.NONE);
            assertEquals(TlcVerdict.INVARIANT_VIOLATED, r.verdict(), r.message());
            assertFalse(Files.exists(archive), "the damaged archive (the JVM that maps it aborts) is dropped");
        } finally {
            ClassDataArchive.enableAgain();
        }
    }

    @Test
    void aRunWithoutAVerdictBuildsNothingAndTheNextRunListsAgain(@TempDir Path cache) throws Exception {
        // 150: TLC's exit for a parse error; its class list lacks what real runs load.
        finishAndExpectNothingKept(cache, "java/lang/Object id: 0\n", 150, "the next run lists again");
    }

    @Test
    void aBuildThatFailsLeavesNoFilesAndTurnsTheArchiveOff(@TempDir Path cache) throws Exception {
        ClassDataArchive.enableAgain();
        try {
            Map<String, String> env = Map.of(ClassDataArchive.CACHE, cache.toString());
            // A "java" that fails at once, as -Xshare:dump does on a JDK without class-data sharing.
            TlcInstallation broken = new TlcInstallation(TlcInstallation.bundled().jar(), Path.of("/bin/false"));
            ClassDataArchive first = ClassDataArchive.of(broken, env).orElseThrow();
            String write = first.options().get(0);
            Files.writeString(Path.of(write.substring(write.indexOf('=') + 1)), "java/lang/Object id: 0\n");
            first.finish(0);
            try (var files = Files.list(cache)) {
                assertFalse(files.findAny().isPresent(), "neither the list nor a partial archive is left");
            }
            assertEquals(Optional.empty(), ClassDataArchive.of(TlcInstallation.bundled(), env),
                    "no run of this process lists or builds again");
        } finally {
            ClassDataArchive.enableAgain();
        }
    }

    @Test
    void theFilesOfAWriterThatIsGoneAreDeletedAndThoseOfOneRunningStay(@TempDir Path cache) throws Exception {
        Map<String, String> env = Map.of(ClassDataArchive.CACHE, cache.toString());
        long gone = ProcessHandle.current().pid();
        while (ProcessHandle.of(++gone).isPresent()) {
            // The first pid above ours that no process has.
        }
        Path orphan = Files.writeString(cache.resolve("tlc-static-0123456789abcdef.jsa." + gone + ".7.part"), "x");
        Path orphanList = Files.writeString(cache.resolve(orphan.getFileName() + ".classlist"), "x");
        Path running = Files.writeString(cache.resolve("tlc-static-0123456789abcdef.jsa."
                + ProcessHandle.current().pid() + ".7.part"), "x");
        ClassDataArchive.of(TlcInstallation.bundled(), env).orElseThrow().finish(-1);
        assertFalse(Files.exists(orphan));
        assertFalse(Files.exists(orphanList));
        assertTrue(Files.exists(running), "a writer that still runs keeps its files");
    }

    @Test
    void aHeapOf32GbOrMoreGetsNoArchive() {
        assertFalse(TlcRunner.beyondCompressedPointers("31g"));
        assertFalse(TlcRunner.beyondCompressedPointers("32767m"));
        assertTrue(TlcRunner.beyondCompressedPointers("32g"));
        assertTrue(TlcRunner.beyondCompressedPointers("40960m"));
        assertTrue(TlcRunner.beyondCompressedPointers("34359738368"));
        assertFalse(TlcRunner.beyondCompressedPointers("512k"));
    }
}
