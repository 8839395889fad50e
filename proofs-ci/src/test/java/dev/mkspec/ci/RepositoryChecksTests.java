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
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast profile of every check in this repository, run as {@code ./mkspec check} runs it:
 * every fast TLC configuration, every explorer and refinement check, every Alloy command, and the
 * invariant catalog. This is how {@code mvn -B verify} runs the checks in CI. The report.html it
 * writes is then checked in headless Chromium ({@link dev.mkspec.ci.browser.ReportPageChecks}).
 *
 * <p>It runs beside the module's other JUnit Jupiter test classes (see junit-platform.properties),
 * which run one after another; the jqwik property classes run in their own engine, not beside it.
 */
@Execution(ExecutionMode.CONCURRENT)
class RepositoryChecksTests {

    @Test
    void everyFastCheckOfTheRepositoryComesOutAsExpected(@TempDir Path out) throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int exit = Main.execute(new String[] {"check", "--root", root.toString(), "--out", out.toString()},
                new PrintWriter(stdout, true), new PrintWriter(stderr, true));
        Files.copy(out.resolve("summary.md"), root.resolve("proofs-ci/target/repository-checks-summary.md"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(0, exit, stdout + "\n" + stderr);
        JsonNode report = new ObjectMapper().readTree(Files.readString(out.resolve("report.json")));
        assertTrue(report.path("complete").asBoolean());
        assertTrue(report.path("checks").size() >= 70, "the plan found " + report.path("checks").size() + " checks");
        java.util.Set<String> ids = new java.util.HashSet<>();
        report.path("checks").forEach(c -> ids.add(c.path("id").asText()));
        assertTrue(ids.contains("plan:catalog"));
        assertTrue(ids.contains("refinement:AddressSpaces/fast"));
        assertTrue(ids.contains("alloy:addressSpaces/MapKeepsMdbIsForest"));
        report.path("invariants").forEach(i -> assertEquals("verified", i.path("status").asText(), i.toString()));
        // A citation from this run: on a clean tree (CI) it is current; with uncommitted changes (a developer's
        // machine) it is refused as stale, and cited with --allow-stale.
        boolean clean = !RunEnvironment.of(root).dirty();
        StringWriter cited = new StringWriter();
        StringWriter citeErr = new StringWriter();
        java.util.List<String> cite = new java.util.ArrayList<>(java.util.List.of("cite", "AS-3", "IPC-3", "--report",
                out.resolve("report.json").toString(), "--root", root.toString()));
        if (!clean) {
            assertEquals(1, Main.execute(cite.toArray(String[]::new), new PrintWriter(new StringWriter(), true),
                    new PrintWriter(citeErr, true)), "a dirty tree's evidence is refused without --allow-stale");
            cite.add("--allow-stale");
        }
        assertEquals(0, Main.execute(cite.toArray(String[]::new), new PrintWriter(cited, true), new PrintWriter(citeErr, true)),
                citeErr.toString());
        assertEquals(clean, !cited.toString().contains("**stale**"), cited.toString());
        assertTrue(cited.toString().contains("> **AS-3 (") && cited.toString().contains("`tlc:AddressSpaces/")
                && cited.toString().contains("> **IPC-3 ("), cited.toString());
        // report.html in headless Chromium, on this run's report; the screenshots stay for people to look at.
        dev.mkspec.ci.browser.ReportPageChecks.check(out, report, root.resolve("target/mkspec/screens"), out);
    }
}
