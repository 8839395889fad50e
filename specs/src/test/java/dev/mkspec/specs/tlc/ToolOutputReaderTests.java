package dev.mkspec.specs.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.specs.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolOutputReaderTests {

    private static final class Collect implements ToolOutputReader.Sink {
        final List<ToolMessage> messages = new ArrayList<>();
        final List<String> plain = new ArrayList<>();

        @Override
        public void message(ToolMessage message) {
            messages.add(message);
        }

        @Override
        public void plainLine(String line) {
            plain.add(line);
        }
    }

    private static Collect read(String text) {
        Collect c = new Collect();
        ToolOutputReader r = new ToolOutputReader(c);
        text.lines().forEach(r::accept);
        r.finish();
        return c;
    }

    @Test
    void splitsACapturedRunIntoMessagesAndPlainLines() {
        Collect c = read(Fixtures.read("tlc-output/stale-tlb-bug.out"));
        assertEquals(2262, c.messages.get(0).code());
        assertEquals("TLC2 Version 2.18 of 20 March 2023", c.messages.get(0).body());
        assertTrue(c.messages.stream().anyMatch(m -> m.code() == 2110 && m.severity() == 1));
        assertEquals(4, c.messages.stream().filter(m -> m.code() == 2217).count());
        assertTrue(c.plain.stream().anyMatch(l -> l.startsWith("Parsing file")), "SANY's lines are plain text");
    }

    @Test
    void deliversANestedMessageAndKeepsItsTextInTheOuterOne() {
        Collect c = read(Fixtures.read("tlc-output/cfg-syntax.out"));
        ToolMessage inner = c.messages.stream().filter(m -> m.code() == 5006).findFirst().orElseThrow();
        ToolMessage outer = c.messages.stream().filter(m -> m.code() == 1000).findFirst().orElseThrow();
        assertTrue(inner.nested());
        assertFalse(outer.nested());
        assertTrue(c.messages.indexOf(inner) < c.messages.indexOf(outer));
        assertTrue(outer.body().contains("at line 3"), outer.body());
    }

    @Test
    void closesAMessageThatTheProcessLeftOpen() {
        Collect c = read("@!@!@STARTMSG 2200:0 @!@!@\nProgress(3) at ...");
        assertEquals(1, c.messages.size());
        assertEquals("Progress(3) at ...", c.messages.get(0).body());
    }
}
