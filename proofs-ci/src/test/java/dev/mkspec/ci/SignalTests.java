package dev.mkspec.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * mkspec stopped by SIGTERM, as CI systems and {@code timeout(1)} stop it: in a process of its own,
 * because the signal ends the JVM.
 */
@DisabledOnOs(OS.WINDOWS)
class SignalTests {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Starts {@code mkspec ARGS} in a JVM of its own, with its temporary folder at {@code tmp}. */
    private static Process start(Path tmp, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitText(Path log, String text, int seconds) throws Exception {
        for (int i = 0; i < seconds * 10; i++) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + text + "' did not appear in:\n" + Files.readString(log));
    }

    @Test
    void aCheckStoppedBySigtermRecordsItAndExitsWithTheSignalsStatus(@TempDir Path root) throws Exception {
        CheckCommandTests.goodRepository(root);
        Path area = root.resolve("specs/tla/Slow");
        TestFixtures.copy(area, "tla/Forever.tla", "tla/Forever.cfg");
        TestFixtures.write(area.resolve("manifest.json"), """
                { "models": [ { "name": "forever", "spec": "Forever.tla", "config": "Forever.cfg", "timeout": "5m",
                                "workers": 1, "expect": { "result": "success" } } ] }
                """);
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Path log = root.resolve("console.txt");
        Process p = start(tmp, log, "check", "--root", root.toString(), "--only", "Slow", "--jobs", "1");
        awaitText(log, "1 check", 60);
        Thread.sleep(3000);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "mkspec ended after SIGTERM");
        String console = Files.readString(log);
        assertEquals(143, p.exitValue(), console);
        assertTrue(console.contains("interrupted by SIGTERM"), console);
        JsonNode report = JSON.readTree(root.resolve("target/mkspec/report.json").toFile());
        assertEquals(143, report.path("exitCode").asInt(), report.toString());
        assertEquals("SIGTERM", report.path("signal").asText());
        assertTrue(report.path("interrupted").asBoolean());
        assertEquals("tlc:Slow/forever", report.path("pending").get(0).asText(),
                "the check that was killed is listed as not run, not as a tool failure");
        assertFalse(report.path("checks").toString().contains("tool_failure"), report.toString());
        assertTrue(Files.readString(root.resolve("target/mkspec/summary.md")).contains("by SIGTERM (exit 143)"));
    }

    @Test
    void aTlcRunStoppedBySigtermStopsTlcAndLeavesNoTemporaryFolder(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path log = dir.resolve("console.txt");
        Process p = start(tmp, log, "tlc", TestFixtures.fixtures().resolve("tla/Forever.tla").toString(),
                "--workers", "1");
        awaitText(log, "TLC: model checking", 60);
        for (int i = 0; i < 100 && listing(tmp).isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertFalse(listing(tmp).isEmpty(), "TLC's run folder exists while it runs");
        Thread.sleep(2000);
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue());
        assertEquals(List.of(), listing(tmp), "the run folder is removed");
    }

    @Test
    void theExplorersServerStopsCleanlyOnCtrlC(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path log = dir.resolve("console.txt");
        Process p = start(tmp, log, "serve", "Tlb", "--config", Path.of("..", "specs", "tla", "Tlb", "MCTlb_fast.cfg").toString(),
                "--out", dir.resolve("walks").toString());
        awaitText(log, "Ctrl-C stops it", 60);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(Files.readString(log));
        assertTrue(m.find(), Files.readString(log));
        int port = Integer.parseInt(m.group(1));
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + port + "/api/model")
                .toURL().openConnection();
        assertEquals(200, c.getResponseCode());
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server ended after SIGINT");
        String console = Files.readString(log);
        assertEquals(130, p.exitValue(), console);
        assertTrue(console.contains("mkspec explorer stopped"), console);
        assertThrows(java.io.IOException.class, () -> new java.net.Socket("127.0.0.1", port).close(), "the port is closed");
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).filter(n -> n.startsWith("mkspec-tlc-")).toList();
        }
    }
}
