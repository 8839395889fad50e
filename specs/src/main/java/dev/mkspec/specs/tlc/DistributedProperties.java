package dev.mkspec.specs.tlc;

import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which of a configuration's PROPERTIES TLC's distributed server would skip. The server checks
 * invariants and the properties TLC turns into implied actions ({@code [][A]_v}); it drops every
 * other temporal property (liveness) without a word, so a run that passed would claim what was
 * never checked. A property counts as an action property when its definition's body begins with
 * {@code [][}; one whose definition is not found beside the spec or on the library path cannot be
 * told, and is listed too.
 */
public final class DistributedProperties {
    private DistributedProperties() {
    }

    /** The PROPERTIES of the request's configuration that distributed TLC would not check. */
    public static List<String> notChecked(TlcRequest request) {
        CfgFile cfg = CfgParser.parse(request.effectiveConfig());
        if (cfg.properties().isEmpty()) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        files.add(request.spec());
        Set<Path> dirs = new LinkedHashSet<>();
        Optional.ofNullable(request.spec().toAbsolutePath().getParent()).ifPresent(dirs::add);
        request.libraryPaths().forEach(p -> dirs.add(p.toAbsolutePath()));
        for (Path dir : dirs) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".tla")).sorted().forEach(files::add);
            } catch (IOException e) {
                // An unreadable folder defines nothing we can see; its properties are listed below.
            }
        }
        List<String> texts = new ArrayList<>();
        for (Path f : files) {
            try {
                texts.add(Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException | java.io.UncheckedIOException e) {
                // As above.
            }
        }
        List<String> out = new ArrayList<>();
        for (String name : cfg.properties()) {
            if (!isActionProperty(name, texts)) {
                out.add(name);
            }
        }
        return out;
    }

    /** Whether a definition of {@code name} in one of {@code texts} has a body that begins with {@code [][}. */
    static boolean isActionProperty(String name, List<String> texts) {
        Pattern def = Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(name) + "[ \\t]*==");
        for (String text : texts) {
            Matcher m = def.matcher(text);
            if (m.find()) {
                return stripLeading(text.substring(m.end())).startsWith("[][");
            }
        }
        return false;
    }

    /** The text from its first character that is neither white space nor in a comment. */
    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length()) {
            if (Character.isWhitespace(s.charAt(i))) {
                i++;
            } else if (s.startsWith("\\*", i)) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl + 1;
            } else if (s.startsWith("(*", i)) {
                int end = s.indexOf("*)", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else {
                break;
            }
        }
        return s.substring(i);
    }
}
