package dev.mkspec.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mkspec cite} on reports written for the test: a verified entry at the current commit
 * is cited; the same evidence from another commit is refused, and cited as stale with
 * {@code --allow-stale}; JSON output is one document. (The refusals with their codes are in
 * {@link BadInputBatteryTests}; a citation from a real run is in {@link RepositoryChecksTests}.)
 */
class CiteCommandTests {
    /** A repository of its own, so that "clean" and "the current commit" do not depend on the tree the tests run in. */
    private static Path repo(Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("repo"));
        git(root, "init", "-q");
        Files.writeString(root.resolve("spec.tla"), "---- MODULE spec ----\n====\n");
        git(root, "add", "spec.tla");
        git(root, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-q", "-m", "spec");
        return root;
    }

    private static void git(Path root, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("git", "-C", root.toString()));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    record Run(int exit, String out, String err) {
    }

    static Run mkspec(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private static Path report(Path dir, String commit) throws Exception {
        String json = """
                {"format": "mkspec-report/1", "complete": true, "profile": "fast", "started": "2026-12-05T10:00:00Z",
                 "finished": "2026-12-05T10:09:00Z",
                 "environment": {"mkspec": "dev", "commit": "%s", "dirty": false, "java": "OpenJDK 17", "alloy": "6.2.0", "tlc": "TLC 2.18"},
                 "invariants": [{"id": "AS-3", "title": "Rights within parent", "statement": "A mapping never has more rights than the mapping it came from.",
                   "kind": "invariant", "status": "verified",
                   "verifiedBy": [{"check": "tlc:AddressSpaces/fast", "status": "passed", "tool": "TLC 2.18", "bounds": "NPages = 2", "distinctStates": 1204, "seconds": 3.5},
                                  {"check": "tlc:AddressSpaces/deep", "status": "passed", "tool": "TLC 2.18", "bounds": "NPages = 3", "distinctStates": 90000, "seconds": 60.0},
                                  {"check": "alloy:addressSpaces/MapKeepsRights", "status": "passed", "tool": "Alloy 6.2.0", "bounds": "for 5", "seconds": 1.0}],
                   "shownToFailBy": [{"check": "tlc:AddressSpaces/bug_map_no_rights_check", "status": "passed"}]}]}
                """.formatted(commit);
        Path f = dir.resolve("report.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void aVerifiedEntryAtTheCurrentCommitIsCitedWithItsEvidenceAndLink(@TempDir Path dir) throws Exception {
        Path root = repo(dir);
        Path f = report(dir, RunEnvironment.of(root).commit());
        Run r = mkspec("cite", "AS-3", "--report", f.toString(), "--root", root.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("> **AS-3 (Rights within parent).** A mapping never has more rights"), r.out());
        assertTrue(r.out().contains("TLC 2.18, 2 checks; largest: `tlc:AddressSpaces/deep`, 90,000 distinct states, bounds `NPages = 3`"), r.out());
        assertTrue(r.out().contains("Alloy 6.2.0, 1 check"), r.out());
        assertTrue(r.out().contains("shown to fail by `tlc:AddressSpaces/bug_map_no_rights_check`"), r.out());
        assertTrue(r.out().contains("report.html#AS-3"), r.out());
        assertTrue(!r.out().contains("stale"), r.out());
    }

    @Test
    void evidenceFromAnotherCommitIsRefusedAndCitedAsStaleOnlyWhenAllowed(@TempDir Path dir) throws Exception {
        Path root = repo(dir);
        Path f = report(dir, "0123456789abcdef0123456789abcdef01234567");
        Run refused = mkspec("cite", "AS-3", "--report", f.toString(), "--root", root.toString());
        assertEquals(1, refused.exit());
        assertEquals("", refused.out(), "nothing is cited when one is refused");
        assertTrue(refused.err().contains("MK-126") && refused.err().contains("the run checked commit 0123456789ab"), refused.err());
        Run allowed = mkspec("cite", "AS-3", "--report", f.toString(), "--root", root.toString(), "--allow-stale");
        assertEquals(0, allowed.exit(), allowed.err());
        assertTrue(allowed.out().contains("**stale**: the run checked commit 0123456789ab"), allowed.out());
    }

    @Test
    void aWorkTreeChangedSinceTheRunIsStale(@TempDir Path dir) throws Exception {
        Path root = repo(dir);
        Path f = report(dir, RunEnvironment.of(root).commit());
        Files.writeString(root.resolve("spec.tla"), "---- MODULE spec ----\nx == 1\n====\n");
        Run r = mkspec("cite", "AS-3", "--report", f.toString(), "--root", root.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("the work tree now has uncommitted changes"), r.err());
    }

    @Test
    void aReportFromOutsideGitIsStale(@TempDir Path dir) throws Exception {
        Path f = report(dir, "unknown");
        Run r = mkspec("cite", "AS-3", "--report", f.toString(), "--root", repo(dir).toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("the run's commit is unknown"), r.err());
    }

    @Test
    void jsonOutputIsOneDocumentWithTheCitations(@TempDir Path dir) throws Exception {
        Path root = repo(dir);
        Path f = report(dir, RunEnvironment.of(root).commit());
        Run r = mkspec("cite", "AS-3", "--report", f.toString(), "--root", root.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readTree(r.out());
        assertEquals(1, doc.path("citations").size());
        JsonNode c = doc.path("citations").get(0);
        assertEquals("AS-3", c.path("id").asText());
        assertEquals(3, c.path("verifiedBy").size());
        assertTrue(c.path("link").asText().endsWith("report.html#AS-3"));
        assertEquals(false, doc.path("stale").asBoolean());
    }
}
