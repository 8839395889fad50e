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
        ClassDataArchive first = ClassDataArchive.of(tlc, env).orElseThrow();
        String write = first.options().get(0);
        assertTrue(write.startsWith("-XX:ArchiveClassesAtExit="), write);
        assertTrue(first.options().contains("-Xlog:cds=off"), first.options().toString());
        // While it is being written, another run of this process neither writes nor maps one.
        assertEquals(Optional.empty(), ClassDataArchive.of(tlc, env));
        Files.writeString(Path.of(write.substring(write.indexOf('=') + 1)), "archive");
        first.finish(true);
        ClassDataArchive later = ClassDataArchive.of(tlc, env).orElseThrow();
        String map = later.options().get(0);
        assertTrue(map.startsWith("-XX:SharedArchiveFile="), map);
        try (var files = Files.list(cache)) {
            List<Path> left = files.toList();
            assertEquals(1, left.size(), "only the archive stays: " + left);
            assertTrue(left.get(0).getFileName().toString().endsWith(".jsa"), left.toString());
        }
    }

    @Test
    void anArchiveFromAKilledRunIsDropped(@TempDir Path cache) throws Exception {
        Map<String, String> env = Map.of(ClassDataArchive.CACHE, cache.toString());
        ClassDataArchive first = ClassDataArchive.of(TlcInstallation.bundled(), env).orElseThrow();
        String write = first.options().get(0);
        Files.writeString(Path.of(write.substring(write.indexOf('=') + 1)), "cut short");
        first.finish(false);
        try (var files = Files.list(cache)) {
            assertFalse(files.findAny().isPresent(), "nothing is kept");
        }
        assertTrue(ClassDataArchive.of(TlcInstallation.bundled(), env).orElseThrow().options().get(0)
                .startsWith("-XX:ArchiveClassesAtExit="), "the next run writes it again");
    }

    @Test
    void itCanBeTurnedOff(@TempDir Path cache) {
        assertEquals(Optional.empty(), ClassDataArchive.of(TlcInstallation.bundled(),
                Map.of(ClassDataArchive.CACHE, cache.toString(), ClassDataArchive.SWITCH, "off")));
    }
}
