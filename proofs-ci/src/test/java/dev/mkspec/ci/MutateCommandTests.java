package dev.mkspec.ci;

import static dev.mkspec.ci.CheckCommandTests.mkspec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.ci.CheckCommandTests.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mkspec mutate} as a user types it: options, exit codes and reports, on a counter. */
class MutateCommandTests {
    private static final String SPEC = "---- MODULE Counter ----\nEXTENDS Naturals\nCONSTANTS Max\nVARIABLES x\n"
            + "Init == x = 0\nInc == /\\ x < Max\n       /\\ x' = x + 1\nNext == Inc\nSpec == Init /\\ [][Next]_x\n"
            + "Bounded == x <= Max\n====\n";

    private static Path counter(Path dir) throws Exception {
        Files.writeString(dir.resolve("Counter.tla"), SPEC);
        Files.writeString(dir.resolve("Counter.cfg"), "CONSTANT Max = 2\nSPECIFICATION Spec\nINVARIANT Bounded\n"
                + "CHECK_DEADLOCK FALSE\n");
        return dir;
    }

    @Test
    void aTlaTargetNeedsAConfigAndOperatorsMustExist(@TempDir Path dir) throws Exception {
        counter(dir);
        Run noConfig = mkspec("mutate", dir.resolve("Counter.tla").toString());
        assertEquals(2, noConfig.exit(), noConfig.err());
        assertTrue(noConfig.err().contains("--config"), noConfig.err());
        Run badOp = mkspec("mutate", dir.resolve("Counter.tla").toString(), "--config",
                dir.resolve("Counter.cfg").toString(), "--operators", "flip");
        assertEquals(2, badOp.exit());
        assertTrue(badOp.err().contains("drop-conjunct"), badOp.err());
        Run missing = mkspec("mutate", dir.resolve("Nope").toString());
        assertEquals(3, missing.exit());
    }

    @Test
    void listsMutantsWithoutRunningThem(@TempDir Path dir) throws Exception {
        counter(dir);
        Run r = mkspec("mutate", dir.resolve("Counter.tla").toString(), "--config", dir.resolve("Counter.cfg").toString(),
                "--list", "--operators", "negate-guard");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("M001 negate-guard Inc Counter.tla:6:"), r.out());
        assertTrue(r.out().contains("+ Inc == /\\ x <= Max"), r.out());
    }

    @Test
    void actionTakesSeveralDefinitionsAndNamesTheOnesThatGiveNoMutant(@TempDir Path dir) throws Exception {
        counter(dir);
        Files.writeString(dir.resolve("Counter.tla"), SPEC.replace("Next == Inc", "Dec == /\\ x > 0\n       /\\ x' = x - 1\n"
                + "Next == Inc \\/ Dec"));
        String tla = dir.resolve("Counter.tla").toString();
        String cfg = dir.resolve("Counter.cfg").toString();
        Run both = mkspec("mutate", tla, "--config", cfg, "--list", "--operators", "negate-guard", "--action", "Inc, Dec");
        assertEquals(0, both.exit(), both.err());
        assertTrue(both.out().contains(" Inc Counter.tla") && both.out().contains(" Dec Counter.tla"), both.out());
        Run one = mkspec("mutate", tla, "--config", cfg, "--list", "--operators", "negate-guard", "--action", "Dec");
        assertTrue(!one.out().contains(" Inc Counter.tla"), one.out());
        Run typo = mkspec("mutate", tla, "--config", cfg, "--list", "--action", "Inc,Dek");
        assertEquals(2, typo.exit(), typo.err());
        assertTrue(typo.err().contains("--action Dek gives no mutant"), typo.err());
        for (String blank : new String[] {",", "", "Inc,,Dec"}) {
            Run empty = mkspec("mutate", tla, "--config", cfg, "--list", "--action", blank);
            assertEquals(2, empty.exit(), "'" + blank + "': " + empty.out() + empty.err());
            assertTrue(empty.err().contains("--action needs definition names"), empty.err());
        }
    }

    @Test
    void runsAndWritesTheReportsAndJson(@TempDir Path dir) throws Exception {
        counter(dir);
        Path out = dir.resolve("reports");
        Run r = mkspec("mutate", dir.resolve("Counter.tla").toString(), "--config", dir.resolve("Counter.cfg").toString(),
                "--operators", "negate-guard", "--action", "Inc", "--format", "json", "--out", out.toString(),
                "--min-kill", "60");
        assertEquals(1, r.exit(), "half the mutants are killed, below --min-kill 60: " + r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.path("judged").asInt());
        // ~(x < Max): Inc never fires, fewer states, no property notices; TLC's coverage does.
        assertEquals("disabled", json.path("mutants").get(0).path("class").asText(), r.out());
        // x <= Max: the counter overshoots and Bounded fails.
        assertEquals("killed", json.path("mutants").get(1).path("class").asText(), r.out());
        assertEquals(0.5, json.path("killRatio").asDouble());
        assertEquals(1.0, json.path("killRatioWithCoverage").asDouble());
        assertTrue(Files.readString(out.resolve("mutate-report.md")).contains("# Mutation testing: Counter"));
        assertTrue(Files.isRegularFile(out.resolve("mutate-report.json")));
    }
    /** A stopped run goes on where it stopped: the journal keeps each result as it is judged (MutationJournalTests). */
    @Test
    void resumeTakesWhatTheJournalHasAndJudgesOnlyTheRest(@TempDir Path dir) throws Exception {
        counter(dir);
        Path out = dir.resolve("reports");
        String[] args = {"mutate", dir.resolve("Counter.tla").toString(), "--config", dir.resolve("Counter.cfg").toString(),
            "--operators", "negate-guard", "--action", "Inc", "--format", "json", "--out", out.toString()};
        Run first = mkspec(args);
        assertEquals(0, first.exit(), first.err());
        Path journal = out.resolve("mutate-journal.jsonl");
        java.util.List<String> lines = Files.readAllLines(journal);
        assertEquals(3, lines.size(), "a header and one line per judged mutant: " + lines);

        String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
        resume[args.length] = "--resume";
        Run again = mkspec(resume);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("fast pass: 2 mutant(s) judged by an earlier run"), again.err());
        assertTrue(!again.err().contains("[fast"), "nothing is judged again: " + again.err());
        JsonNode before = new ObjectMapper().readTree(first.out());
        JsonNode after = new ObjectMapper().readTree(again.out());
        for (int i = 0; i < 2; i++) {
            assertEquals(before.path("mutants").get(i).path("class"), after.path("mutants").get(i).path("class"));
            assertEquals(before.path("mutants").get(i).path("runs"), after.path("mutants").get(i).path("runs"));
        }

    }

    @Test
    void nextNamesTheRelationToMutateWhenAConfigurationExploresAnother(@TempDir Path dir) throws Exception {
        counter(dir);
        // A spec of the rules (count up to Max) whose steps must all be steps of Next.
        Files.writeString(dir.resolve("Counter.tla"), SPEC.replace("====\n",
                "Rule == x < Max /\\ x' = x + 1\nRules == Init /\\ [][Rule]_x\nServes == [][Next]_x\n====\n"));
        Files.writeString(dir.resolve("Rules.cfg"), "CONSTANT Max = 2\nSPECIFICATION Rules\nPROPERTY Serves\n"
                + "CHECK_DEADLOCK FALSE\n");
        String tla = dir.resolve("Counter.tla").toString();
        Run byDefault = mkspec("mutate", tla, "--config", dir.resolve("Rules.cfg").toString(), "--list",
                "--operators", "negate-guard");
        assertEquals(0, byDefault.exit(), byDefault.err());
        assertTrue(byDefault.out().contains("next-state relation Rule)"), byDefault.out());
        Path out = dir.resolve("reports");
        Run r = mkspec("mutate", tla, "--config", dir.resolve("Rules.cfg").toString(), "--next", "Next",
                "--operators", "negate-guard", "--format", "json", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        // Both mutants of Inc drop or add a step that Rule takes or does not: ~(x < Max) never counts up, and
        // Serves fails on Rule's first step; x <= Max only adds steps, which Rules never takes.
        assertEquals("killed", json.path("mutants").get(0).path("class").asText(), r.out());
        Run unknown = mkspec("mutate", tla, "--config", dir.resolve("Rules.cfg").toString(), "--next", "Nxt", "--list");
        assertEquals(2, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("--next Nxt"), unknown.err());
    }
}
