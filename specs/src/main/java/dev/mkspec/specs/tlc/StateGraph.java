package dev.mkspec.specs.tlc;

import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tla.TlaValueParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A labelled state graph: states as maps from variable to value, initial states, and edges
 * labelled with the action's name. States are kept with their values normalized
 * ({@link TlaValue#normalize()}), so that graphs from TLC and from a Java model compare by meaning
 * whatever the printing.
 *
 * @param states every state
 * @param initial the initial states
 * @param edges every transition
 */
public record StateGraph(Set<Map<String, TlaValue>> states, Set<Map<String, TlaValue>> initial, Set<Edge> edges) {

    public StateGraph {
        states = Set.copyOf(states);
        initial = Set.copyOf(initial);
        edges = Set.copyOf(edges);
    }

    /** A transition from one state to another by the named action. */
    public record Edge(Map<String, TlaValue> from, String action, Map<String, TlaValue> to) {
    }

    /**
     * A state with every value normalized, for comparison. The map computes its hash once: graphs
     * of tens of thousands of states hash each state many times (as a set element, and inside
     * every edge), and a deep hash of nested TLA+ values each time dominated the comparison.
     */
    public static Map<String, TlaValue> normalized(Map<String, TlaValue> state) {
        Map<String, TlaValue> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.normalize()));
        return new HashedState(Map.copyOf(out));
    }

    /** An unmodifiable state whose hash is computed once; equal to any map with the same entries. */
    private static final class HashedState extends java.util.AbstractMap<String, TlaValue> {
        private final Map<String, TlaValue> values;
        private final int hash;

        HashedState(Map<String, TlaValue> values) {
            this.values = values;
            // Not Map's hash (the sum of key ^ value over the entries, and the same sum inside every
            // record and function value): states that differ by values swapped between two
            // variables or two threads collide under it, and each collision costs a deep
            // comparison. The hash of the state's TLA+ text (its variables in order, each value
            // printed in normal form) tells them apart; equal states print alike, so it stays
            // consistent with equals among HashedStates, the only maps graphs hold.
            StringBuilder text = new StringBuilder();
            new java.util.TreeMap<>(values).forEach((k, v) -> text.append(k).append('=').append(v.toTla()).append(';'));
            this.hash = text.toString().hashCode();
        }

        @Override
        public Set<Map.Entry<String, TlaValue>> entrySet() {
            return values.entrySet();
        }

        @Override
        public TlaValue get(Object key) {
            return values.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return values.containsKey(key);
        }

        @Override
        public int size() {
            return values.size();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (o instanceof HashedState h) {
                return h.hash == hash && values.equals(h.values);
            }
            return values.equals(o);
        }
    }

    private static final Pattern NODE = Pattern.compile("^(-?\\d+) \\[label=\"(.*)\"(,style = filled)?\\]\\s*;?\\s*$");
    private static final Pattern EDGE = Pattern.compile("^(-?\\d+) -> (-?\\d+) \\[label=\"(.*?)\".*$");

    /**
     * Reads the graph that {@code tlc2.TLC -dump dot,actionlabels FILE} writes: one line per state
     * (its fingerprint and its variables as a label, filled if initial) and one line per transition
     * (two fingerprints and the action's name).
     *
     * @throws dev.mkspec.specs.MkspecException if the file is missing or a state does not parse
     */
    public static StateGraph readTlcDot(Path file) {
        Map<Long, Map<String, TlaValue>> byFingerprint = new HashMap<>();
        Set<Map<String, TlaValue>> initial = new HashSet<>();
        record RawEdge(long from, String action, long to) {
        }
        Set<RawEdge> raw = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                Matcher e = EDGE.matcher(line);
                if (e.matches()) {
                    raw.add(new RawEdge(Long.parseLong(e.group(1)), e.group(3), Long.parseLong(e.group(2))));
                    continue;
                }
                Matcher n = NODE.matcher(line);
                if (n.matches()) {
                    Map<String, TlaValue> state;
                    try {
                        state = normalized(TlaValueParser.parseState(unescape(n.group(2))));
                    } catch (RuntimeException ex) {
                        throw Problem.TLA_VALUE_SYNTAX.exception(ex, file + ":" + lineNo + ": " + ex.getMessage());
                    }
                    byFingerprint.put(Long.parseLong(n.group(1)), state);
                    if (n.group(3) != null) {
                        initial.add(state);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw Problem.FILE_NOT_FOUND.exception(file);
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot read " + file + ": " + e.getMessage());
        }
        Set<Edge> edges = new HashSet<>();
        for (RawEdge r : raw) {
            Map<String, TlaValue> from = byFingerprint.get(r.from());
            Map<String, TlaValue> to = byFingerprint.get(r.to());
            if (from == null || to == null) {
                throw Problem.TLA_VALUE_SYNTAX.exception(file + ": an edge names a state the file does not list ("
                        + (from == null ? r.from() : r.to()) + ")");
            }
            edges.add(new Edge(from, r.action(), to));
        }
        return new StateGraph(new HashSet<>(byFingerprint.values()), initial, edges);
    }

    /** Undoes DOT's escapes in a label: {@code \\}, {@code \"} and {@code \n}. */
    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(++i);
                switch (d) {
                    case 'n' -> sb.append('\n');
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    default -> sb.append('\\').append(d);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
