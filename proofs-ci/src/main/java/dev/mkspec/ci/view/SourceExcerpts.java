package dev.mkspec.ci.view;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where each tool defines a catalog entry, as a short excerpt of the source with its file and
 * line: the TLA+ operator, the Alloy predicate or assertion, the Java model's property and the
 * kernel's invariant. The report shows them beside the sentence a review quotes, so that the
 * reader can see what was checked, not only its name.
 *
 * <p>Each lookup reads the files of one folder; a reference that does not resolve gives empty (the
 * catalog check reports those).
 */
public final class SourceExcerpts {
    /** The longest excerpt, in lines; a longer definition is cut and says so. */
    static final int MAX_LINES = 90;

    private final Path root;
    private final java.util.Map<String, Optional<Excerpt>> cache = new java.util.concurrent.ConcurrentHashMap<>();

    /** Excerpts from the repository rooted at {@code root}; each is read once and kept. */
    public SourceExcerpts(Path root) {
        this.root = root;
    }

    /**
     * One excerpt.
     *
     * @param file the file, relative to the repository root
     * @param line the first line shown, from 1
     * @param text the lines
     * @param cut whether the definition goes on past the last line shown
     */
    public record Excerpt(String file, int line, String text, boolean cut) {
    }

    /** The definition {@code operator ==} in the module {@code module}.tla under specs/tla. */
    public Optional<Excerpt> tla(String module, String operator) {
        return cache.computeIfAbsent("tla:" + module + "!" + operator, k -> tlaUncached(module, operator));
    }

    private Optional<Excerpt> tlaUncached(String module, String operator) {
        return find(root.resolve("specs").resolve("tla"), module + ".tla").flatMap(f -> {
            List<String> lines = read(f);
            Pattern start = Pattern.compile("^" + Pattern.quote(operator) + "(\\s*\\(.*\\))?\\s*==");
            for (int i = 0; i < lines.size(); i++) {
                if (start.matcher(lines.get(i)).find()) {
                    int end = i + 1;
                    // The definition runs on while lines are indented (or blank and followed by indented ones).
                    while (end < lines.size() && (lines.get(end).startsWith(" ") || lines.get(end).startsWith("\t")
                            || lines.get(end).isBlank() && end + 1 < lines.size() && lines.get(end + 1).startsWith(" "))) {
                        end++;
                    }
                    return Optional.of(excerpt(f, lines, i, end));
                }
            }
            return Optional.empty();
        });
    }

    /** The {@code pred}, {@code assert}, {@code fact} or command named {@code name} in specs/alloy/{@code file}.als. */
    public Optional<Excerpt> alloy(String file, String name) {
        return cache.computeIfAbsent("alloy:" + file + "!" + name, k -> alloyUncached(file, name));
    }

    private Optional<Excerpt> alloyUncached(String file, String name) {
        Path f = root.resolve("specs").resolve("alloy").resolve(file + ".als");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        List<String> lines = read(f);
        Pattern start = Pattern.compile("^\\s*(pred|assert|fact|fun|check|run)\\s+" + Pattern.quote(name) + "\\b");
        for (int i = 0; i < lines.size(); i++) {
            if (start.matcher(lines.get(i)).find()) {
                return Optional.of(excerpt(f, lines, i, braced(lines, i)));
            }
        }
        return Optional.empty();
    }

    /**
     * The Java model's definition of the property with catalog ID {@code id} in the model named
     * {@code model}: the method that its {@code Invariant} or {@code ActionProperty} refers to
     * ({@code this::rightsWithinParent}), or the lines around the ID.
     */
    public Optional<Excerpt> java(String model, String id) {
        return javaIn(root.resolve("model").resolve("src").resolve("main").resolve("java"), model + "Model.java", id);
    }

    /** The kernel's definition of {@code id} ({@code K-5}) in {@code file}.java under kernel-impl. */
    public Optional<Excerpt> kernel(String file, String id) {
        return javaIn(root.resolve("kernel-impl").resolve("src").resolve("main").resolve("java"), file + ".java", id);
    }

    private Optional<Excerpt> javaIn(Path dir, String fileName, String id) {
        return cache.computeIfAbsent(dir + "/" + fileName + "!" + id, k -> javaInUncached(dir, fileName, id));
    }

    private Optional<Excerpt> javaInUncached(Path dir, String fileName, String id) {
        return find(dir, fileName).flatMap(f -> {
            List<String> lines = read(f);
            String quoted = "\"" + id + "\"";
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).contains(quoted)) {
                    continue;
                }
                Matcher ref = Pattern.compile("this::(\\w+)").matcher(lines.get(i));
                if (ref.find()) {
                    Pattern def = Pattern.compile("^\\s*(private|public|protected|static|final|\\s)*[\\w<>\\[\\], ]+\\s"
                            + Pattern.quote(ref.group(1)) + "\\s*\\(");
                    for (int j = 0; j < lines.size(); j++) {
                        if (def.matcher(lines.get(j)).find()) {
                            int from = j;
                            while (from > 0 && (lines.get(from - 1).trim().startsWith("*") || lines.get(from - 1).trim().startsWith("/**"))) {
                                from--;
                            }
                            return Optional.of(excerpt(f, lines, from, braced(lines, j)));
                        }
                    }
                }
                // A property stated in place (Invariant.allOf with its conjuncts): the method around it.
                Pattern decl = Pattern.compile("^\\s*(private|public|protected)[\\w<>\\[\\], ]*\\s\\w+\\s*\\(");
                for (int j = i; j >= 0; j--) {
                    if (decl.matcher(lines.get(j)).find()) {
                        int end = braced(lines, j);
                        if (end > i && !lines.get(j).contains(" invariants(") && !lines.get(j).contains(" actionProperties(")) {
                            int from = j;
                            while (from > 0 && (lines.get(from - 1).trim().startsWith("*") || lines.get(from - 1).trim().startsWith("/**"))) {
                                from--;
                            }
                            return Optional.of(excerpt(f, lines, from, end));
                        }
                        break;
                    }
                }
                int from = Math.max(0, i - 2);
                Excerpt near = excerpt(f, lines, from, Math.min(lines.size(), i + 10));
                return Optional.of(new Excerpt(near.file(), near.line(), near.text(), true));
            }
            return Optional.empty();
        });
    }

    /** The index after the line that closes the first brace opened from line {@code start}. */
    private static int braced(List<String> lines, int start) {
        int depth = 0;
        boolean opened = false;
        for (int i = start; i < lines.size(); i++) {
            for (char c : lines.get(i).toCharArray()) {
                if (c == '{') {
                    depth++;
                    opened = true;
                } else if (c == '}') {
                    depth--;
                }
            }
            if (opened && depth <= 0) {
                return i + 1;
            }
        }
        return Math.min(lines.size(), start + 1);
    }

    private Excerpt excerpt(Path file, List<String> lines, int from, int to) {
        boolean cut = to - from > MAX_LINES;
        int end = cut ? from + MAX_LINES : to;
        while (end > from + 1 && lines.get(end - 1).isBlank()) {
            end--;
        }
        return new Excerpt(root.relativize(file).toString().replace('\\', '/'), from + 1,
                String.join("\n", lines.subList(from, end)), cut);
    }

    private static Optional<Path> find(Path dir, String fileName) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().equals(fileName)).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<String> read(Path f) {
        try {
            return new ArrayList<>(Files.readAllLines(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }
}
