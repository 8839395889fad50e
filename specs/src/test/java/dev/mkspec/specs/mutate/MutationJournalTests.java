package dev.mkspec.specs.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.mutate.MutationReport.MutantResult;
import dev.mkspec.specs.mutate.MutationReport.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal that lets a stopped mutation run go on: what it keeps, and what it refuses to reuse. */
class MutationJournalTests {
    private static Mutant mutant(String id, String text) {
        return new Mutant(id, MutationOperator.NEGATE_GUARD, "Inc", "Counter.tla", 6, 8, "x < Max", "x >= Max", text);
    }

    private static MutantResult killed(Mutant m) {
        return new MutantResult(m, MutantClass.KILLED, "fast", Optional.of("counter"), "invariant violated: Bounded",
                List.of(new RunSummary("counter", "fast", "invariant violated", Optional.of("Bounded"), OptionalLong.of(3),
                        OptionalLong.of(4), OptionalLong.empty(), Duration.ofMillis(1234))));
    }

    @Test
    void aResultComesBackAsItWasWrittenFoundByTheMutatedTextNotTheId(@TempDir Path dir) {
        Path file = dir.resolve("j.jsonl");
        Mutant m = mutant("M001", "---- MODULE Counter ----\n====\n");
        try (MutationJournal j = MutationJournal.open(file, "inputs-1", false, w -> { })) {
            j.record("fast", "C", killed(m));
        }
        List<String> warnings = new ArrayList<>();
        try (MutationJournal j = MutationJournal.open(file, "inputs-1", true, warnings::add)) {
            assertEquals(List.of(), warnings);
            Mutant renumbered = mutant("M007", m.mutatedText());
            assertEquals(Optional.of(killed(renumbered)), j.find(renumbered, "fast", "C"));
            assertEquals(Optional.empty(), j.find(renumbered, "deep", "C"), "a fast result is not a deep one");
            assertEquals(Optional.empty(), j.find(mutant("M001", "other text"), "fast", "C"));
        }
    }

    @Test
    void aLineCutShortIsJudgedAgainAndTheNextResultStartsALineOfItsOwn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("j.jsonl");
        Mutant a = mutant("M001", "a");
        Mutant b = mutant("M002", "b");
        try (MutationJournal j = MutationJournal.open(file, "inputs-1", false, w -> { })) {
            j.record("fast", "C", killed(a));
            j.record("fast", "C", killed(b));
        }
        List<String> lines = Files.readAllLines(file);
        Files.writeString(file, lines.get(0) + "\n" + lines.get(1) + "\n" + lines.get(2).substring(0, 30));
        List<String> warnings = new ArrayList<>();
        try (MutationJournal j = MutationJournal.open(file, "inputs-1", true, warnings::add)) {
            assertTrue(warnings.size() == 1 && warnings.get(0).contains(":3 is not a complete result"), warnings.toString());
            assertTrue(j.find(a, "fast", "C").isPresent());
            assertTrue(j.find(b, "fast", "C").isEmpty());
            j.record("fast", "C", killed(b));
        }
        try (MutationJournal j = MutationJournal.open(file, "inputs-1", true, w -> { })) {
            assertTrue(j.find(b, "fast", "C").isPresent(), Files.readString(file));
        }
    }

    @Test
    void aJournalOfOtherInputsOrOfNoKnownFormatIsNotReused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("j.jsonl");
        Mutant a = mutant("M001", "a");
        try (MutationJournal j = MutationJournal.open(file, "inputs-1", false, w -> { })) {
            j.record("fast", "C", killed(a));
        }
        List<String> warnings = new ArrayList<>();
        try (MutationJournal j = MutationJournal.open(file, "inputs-2", true, warnings::add)) {
            assertTrue(j.find(a, "fast", "C").isEmpty());
            assertTrue(warnings.get(0).contains("was written for other inputs"), warnings.toString());
        }
        Files.writeString(file, "not json\n");
        warnings.clear();
        try (MutationJournal j = MutationJournal.open(file, "inputs-2", true, warnings::add)) {
            assertEquals(0, j.size());
            assertTrue(warnings.get(0).contains("is not a journal"), warnings.toString());
        }
        // Without --resume the journal starts again, and the old one is kept beside it.
        warnings.clear();
        try (MutationJournal j = MutationJournal.open(file, "inputs-2", false, warnings::add)) {
            j.record("fast", "C", killed(a));
        }
        try (MutationJournal j = MutationJournal.open(file, "inputs-2", false, warnings::add)) {
            assertTrue(warnings.get(warnings.size() - 1).contains("kept as"), warnings.toString());
        }
        assertEquals(1, Files.readAllLines(file).size());
        assertEquals(2, Files.readAllLines(dir.resolve("j.jsonl.bak")).size());
    }

    @Test
    void twoRunsCannotWriteOneJournal(@TempDir Path dir) {
        Path file = dir.resolve("j.jsonl");
        try (MutationJournal j = MutationJournal.open(file, "inputs-1", false, w -> { })) {
            dev.mkspec.specs.MkspecException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.mkspec.specs.MkspecException.class, () -> MutationJournal.open(file, "inputs-1", true, w -> { }));
            assertTrue(e.getMessage().contains("another --out"), e.getMessage());
        }
        try (MutationJournal j = MutationJournal.open(file, "inputs-1", true, w -> { })) {
            assertEquals(0, j.size(), "the lock went with the first run");
        }
    }

    @Test
    void aResultStandsForTheConfigurationsOfItsPass(@TempDir Path dir) {
        Path file = dir.resolve("j.jsonl");
        Mutant a = mutant("M001", "a");
        try (MutationJournal j = MutationJournal.open(file, "inputs-1", false, w -> { })) {
            j.record("fast", "C", killed(a));
        }
        try (MutationJournal j = MutationJournal.open(file, "inputs-1", true, w -> { })) {
            assertTrue(j.find(a, "fast", "C").isPresent());
            assertTrue(j.find(a, "fast", "D").isEmpty(), "other fast configurations: judged again");
        }
    }

    @Test
    void theDigestsChangeWithAnyFileOfTheFolderAndWithTheConfigurations(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("Counter.tla");
        Files.writeString(spec, "---- MODULE Counter ----\n====\n");
        Path cfg = dir.resolve("Counter.cfg");
        Files.writeString(cfg, "INIT Init\n");
        Path cfg2 = dir.resolve("Counter2.cfg");
        Files.writeString(cfg2, "INIT Init\n");
        String d1 = MutationJournal.inputsDigest(spec, List.of(), Duration.ofSeconds(60));
        assertEquals(d1, MutationJournal.inputsDigest(spec, List.of(), Duration.ofSeconds(60)));
        Files.writeString(dir.resolve("Other.tla"), "---- MODULE Other ----\n====\n");
        String d2 = MutationJournal.inputsDigest(spec, List.of(), Duration.ofSeconds(60));
        assertTrue(!d1.equals(d2), "a module beside the spec");
        assertTrue(!d2.equals(MutationJournal.inputsDigest(spec, List.of(), Duration.ofSeconds(90))), "--timeout");
        MutationRunner.Configuration one = new MutationRunner.Configuration("one", cfg, "fast", Optional.empty(),
                Optional.empty());
        MutationRunner.Configuration two = new MutationRunner.Configuration("two", cfg2, "fast", Optional.empty(),
                Optional.empty());
        assertEquals(MutationJournal.configsDigest(List.of(one, two)), MutationJournal.configsDigest(List.of(two, one)),
                "the order a pass runs them in (cheapest first) does not matter");
        assertTrue(!MutationJournal.configsDigest(List.of(one)).equals(MutationJournal.configsDigest(List.of(one, two))));
        assertTrue(!MutationJournal.configsDigest(List.of(one)).equals(MutationJournal.configsDigest(List.of(
                new MutationRunner.Configuration("one", cfg, "deep", Optional.empty(), Optional.empty())))), "the profile");
        Files.writeString(cfg, "INIT Init2\n");
        assertTrue(!MutationJournal.configsDigest(List.of(one)).equals(MutationJournal.configsDigest(List.of(
                new MutationRunner.Configuration("one", dir.resolve("Counter2.cfg"), "fast", Optional.empty(),
                        Optional.empty())))), "the cfg's text");
    }
}
