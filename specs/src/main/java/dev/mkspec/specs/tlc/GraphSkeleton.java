package dev.mkspec.specs.tlc;

import dev.mkspec.specs.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A state graph by TLC's fingerprints alone, without stuttering steps: what two runs of one spec's
 * variants need to compare when they were run with the same fingerprint polynomial ({@code -fp}).
 * Cheaper than {@link StateGraph}, which parses every state's values.
 *
 * @param states the fingerprints of every state
 * @param initial the fingerprints of the initial states
 * @param steps every transition between two different states, ignoring its action label
 */
public record GraphSkeleton(Set<Long> states, Set<Long> initial, Set<Step> steps) {

    /** A transition from one state to a different one. */
    public record Step(long from, long to) {
    }

    private static final Pattern NODE = Pattern.compile("^(-?\\d+) \\[label=.*?(,style = filled)?\\]\\s*;?\\s*$");
    private static final Pattern EDGE = Pattern.compile("^(-?\\d+) -> (-?\\d+)( \\[.*)?$");

    /**
     * Reads what {@code tlc2.TLC -dump dot,actionlabels FILE} writes, dropping the self-loops (a step
     * that leaves every variable unchanged, which no TLA+ property can see).
     *
     * @throws dev.mkspec.specs.MkspecException if the file is missing or unreadable
     */
    public static GraphSkeleton readTlcDot(Path file) {
        Set<Long> states = new HashSet<>();
        Set<Long> initial = new HashSet<>();
        Set<Step> steps = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher e = EDGE.matcher(line);
                if (e.matches()) {
                    long from = Long.parseLong(e.group(1));
                    long to = Long.parseLong(e.group(2));
                    if (from != to) {
                        steps.add(new Step(from, to));
                    }
                    continue;
                }
                Matcher n = NODE.matcher(line);
                if (n.matches()) {
                    long fp = Long.parseLong(n.group(1));
                    states.add(fp);
                    if (n.group(2) != null) {
                        initial.add(fp);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw Problem.FILE_NOT_FOUND.exception(file);
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot read " + file + ": " + e.getMessage());
        }
        return new GraphSkeleton(Set.copyOf(states), Set.copyOf(initial), Set.copyOf(steps));
    }
}
