package dev.mkspec.specs.tlc;

import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of a configuration's PROPERTIES TLC's distributed server would skip. The server checks
 * invariants and the properties TLC turns into implied actions ({@code [][A]_v}); it drops every
 * other temporal formula (liveness, fairness) without a word, also a conjunct of a property whose
 * other conjunct it checks, so a run that passed would claim what was never checked.
 *
 * <p>A property counts as an action property when its definition's whole body, comments left out,
 * is one {@code [][A]_v}. The definition is looked up in the root module and the modules it EXTENDS
 * (found beside it or on the library path), in that order; a property whose definition is not
 * found there, or that takes arguments, cannot be told, and is listed too.
 */
public final class DistributedProperties {
    private static final Pattern EXTENDS = Pattern.compile("(?m)^\\s*EXTENDS\\s+([\\w\\s,]+?)\\s*$");

    private DistributedProperties() {
    }

    /** The PROPERTIES of the request's configuration that distributed TLC would not check. */
    public static List<String> notChecked(TlcRequest request) {
        CfgFile cfg = CfgParser.parse(request.effectiveConfig());
        if (cfg.properties().isEmpty()) {
            return List.of();
        }
        List<String> texts = moduleTexts(request);
        List<String> out = new ArrayList<>();
        for (String name : cfg.properties()) {
            if (!isActionProperty(name, texts)) {
                out.add(name);
            }
        }
        return out;
    }

    /** The root module's text and those of the modules it EXTENDS, transitively, without comments. */
    private static List<String> moduleTexts(TlcRequest request) {
        List<Path> dirs = new ArrayList<>();
        Optional.ofNullable(request.spec().toAbsolutePath().getParent()).ifPresent(dirs::add);
        request.libraryPaths().forEach(p -> dirs.add(p.toAbsolutePath()));
        Map<String, String> texts = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(request.spec().getFileName().toString().replaceFirst("\\.tla$", ""));
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            String module = todo.poll();
            if (!seen.add(module)) {
                continue;
            }
            for (Path dir : dirs) {
                Path f = dir.resolve(module + ".tla");
                if (Files.isRegularFile(f)) {
                    try {
                        String text = withoutComments(Files.readString(f, StandardCharsets.UTF_8));
                        texts.put(module, text);
                        Matcher m = EXTENDS.matcher(text);
                        if (m.find()) {
                            for (String e : m.group(1).split(",")) {
                                todo.add(e.trim());
                            }
                        }
                    } catch (IOException | java.io.UncheckedIOException e) {
                        // An unreadable module defines nothing we can see; its properties are listed.
                    }
                    break;
                }
            }
        }
        return new ArrayList<>(texts.values());
    }

    /** Whether the first definition of {@code name} in {@code texts} is exactly one {@code [][A]_v}. */
    static boolean isActionProperty(String name, List<String> texts) {
        Pattern def = Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(name) + "[ \\t]*==");
        for (String text : texts) {
            Matcher m = def.matcher(text);
            if (m.find()) {
                return isBoxAction(body(text, m.end()).strip());
            }
        }
        return false;
    }

    /** A definition's body: from {@code from} to the next line that starts in the first column. */
    private static String body(String text, int from) {
        Matcher next = Pattern.compile("(?m)^\\S").matcher(text);
        int end = next.find(from) ? next.start() : text.length();
        return text.substring(from, end);
    }

    /** Whether {@code s} is {@code [][A]_v} and nothing else, with v a name or a tuple. */
    private static boolean isBoxAction(String s) {
        if (!s.startsWith("[][")) {
            return false;
        }
        int close = matching(s, 2, '[', ']');
        if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != '_') {
            return false;
        }
        String sub = s.substring(close + 2).strip();
        if (sub.startsWith("<<")) {
            int end = sub.indexOf(">>");
            return end > 0 && sub.substring(end + 2).isBlank();
        }
        return sub.matches("[A-Za-z_][A-Za-z0-9_]*");
    }

    /** The index of the bracket that closes the one at {@code open}, or -1. */
    private static int matching(String s, int open, char o, char c) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == o) {
                depth++;
            } else if (s.charAt(i) == c && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The text with {@code (* ... *)} (nested) and {@code \*} comments blanked out, lines and
     * columns kept.
     */
    static String withoutComments(String text) {
        StringBuilder b = new StringBuilder(text);
        int depth = 0;
        for (int i = 0; i < b.length(); i++) {
            if (i + 1 < b.length() && b.charAt(i) == '(' && b.charAt(i + 1) == '*') {
                depth++;
                b.setCharAt(i, ' ');
                b.setCharAt(++i, ' ');
            } else if (depth > 0 && i + 1 < b.length() && b.charAt(i) == '*' && b.charAt(i + 1) == ')') {
                depth--;
                b.setCharAt(i, ' ');
                b.setCharAt(++i, ' ');
            } else if (depth > 0) {
                if (b.charAt(i) != '\n') {
                    b.setCharAt(i, ' ');
                }
            } else if (i + 1 < b.length() && b.charAt(i) == '\\' && b.charAt(i + 1) == '*') {
                while (i < b.length() && b.charAt(i) != '\n') {
                    b.setCharAt(i++, ' ');
                }
            } else if (b.charAt(i) == '"') {
                // A string may hold "(*" or "\*": skip to its end.
                for (i++; i < b.length() && b.charAt(i) != '"' && b.charAt(i) != '\n'; i++) {
                    if (b.charAt(i) == '\\') {
                        i++;
                    }
                }
            }
        }
        return b.toString();
    }
}
