package dev.mkspec.specs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.specs.tlc.SourcePosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the files that users write (cfgs, ITF traces, manifests, the invariant catalog) so that
 * every way they can be wrong ends in a {@link MkspecException} that points at a line and column:
 * bytes that are not UTF-8, JSON or YAML that does not parse, and values in the wrong place.
 *
 * <p>Jackson's trees carry no positions, so {@link #locate} reads the text again to find where a
 * value starts. That costs one pass over the text, and only when there is an error to report.
 */
public final class InputText {
    private InputText() {
    }

    /** Makes the exception for something wrong at a position of a user's file. */
    @FunctionalInterface
    public interface Complaint {
        MkspecException at(SourcePosition where, String what);
    }

    /**
     * Reads a file as UTF-8 text.
     *
     * @throws MkspecException {@link Problem#FILE_NOT_FOUND} or {@link Problem#IO_ERROR}, or what
     *     {@code notText} makes of the first byte that is not UTF-8
     */
    public static String read(Path file, Complaint notText) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw Problem.FILE_NOT_FOUND.exception(file);
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot read " + file + ": " + e.getMessage());
        }
        int bad = InputFiles.firstNonUtf8Byte(bytes);
        if (bad < 0) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        String before = new String(bytes, 0, bad, StandardCharsets.UTF_8);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < before.length(); i++) {
            if (before.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        throw notText.at(new SourcePosition(file.toString(), line, before.length() - lineStart + 1),
                String.format("the file is not UTF-8 text (byte 0x%02x)", bytes[bad] & 0xff));
    }

    /**
     * Parses JSON or YAML (whichever {@code mapper} reads) into a tree. A key that occurs twice in
     * one object and text after the value are errors, as a person editing the file would expect.
     *
     * @throws MkspecException what {@code malformed} makes of the position and a description of
     *     the first syntax error
     */
    public static JsonNode tree(ObjectMapper mapper, String text, String origin, Complaint malformed) {
        try {
            return mapper.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            SourcePosition where = loc == null ? new SourcePosition(origin, 1, 0)
                    : new SourcePosition(origin, Math.max(1, loc.getLineNr()), Math.max(0, loc.getColumnNr()));
            throw malformed.at(where, describe(e));
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot read " + origin + ": " + e.getMessage());
        }
    }

    /** Jackson's name for the input and a position in it, as in {@code [Source: (String)"..."; line: 3, column: 7]}. */
    private static final Pattern SOURCE = Pattern.compile(
            "\\[Source: .*?; line: (\\d+)(?:, column: (\\d+))?\\]", Pattern.DOTALL);

    /** Jackson's words for a file that ends inside an object or array, after {@link #SOURCE} is replaced. */
    private static final Pattern UNCLOSED = Pattern.compile(
            "expected close marker for (Object|Array) \\(start marker at (line \\d+(?:, column \\d+)?)\\)");

    /**
     * Jackson's or SnakeYAML's description of a syntax error, without the parts meant for
     * programmers: the source excerpt, the name of a setting, the class of the parser.
     */
    static String describe(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (m.startsWith("Trailing token")) {
            return "there is more text after the end of the value";
        }
        Matcher source = SOURCE.matcher(m);
        StringBuilder sb = new StringBuilder();
        while (source.find()) {
            source.appendReplacement(sb, Matcher.quoteReplacement("line " + source.group(1)
                    + (source.group(2) == null ? "" : ", column " + source.group(2))));
        }
        m = source.appendTail(sb).toString();
        m = m.replaceAll(",? from `[^`]*`", "");
        // SnakeYAML adds "in 'reader', line N, column M:" and an excerpt of the text, indented.
        List<String> kept = new ArrayList<>();
        for (String line : m.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                kept.add(line.trim());
            }
        }
        m = String.join("; ", kept);
        if (m.isEmpty()) {
            m = "it cannot be parsed";
        }
        if (e instanceof JsonEOFException || m.startsWith("Unexpected end-of-input")) {
            Matcher open = UNCLOSED.matcher(m);
            return open.find() ? "it ends early: the " + open.group(1).toLowerCase(java.util.Locale.ROOT)
                    + " that opens at " + open.group(2) + " is not closed" : "it ends early: " + m;
        }
        return m;
    }

    /**
     * Where the value at {@code at} starts in {@code text} (for a member of an object, where its
     * key is), or where its nearest enclosing value starts if it has none. Falls back to line 1.
     */
    public static SourcePosition locate(ObjectMapper mapper, String text, String origin, JsonPointer at) {
        for (JsonPointer p = at; p != null; p = p.head()) {
            SourcePosition found = find(mapper, text, origin, p);
            if (found != null) {
                return found;
            }
        }
        return new SourcePosition(origin, 1, 1);
    }

    private static SourcePosition find(ObjectMapper mapper, String text, String origin, JsonPointer at) {
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                JsonStreamContext c = p.getParsingContext();
                // A start token already belongs to the context it opens; its place is the parent's.
                boolean opens = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
                JsonStreamContext owner = opens ? c.getParent() : c;
                if (t.isStructEnd() || owner == null) {
                    continue;
                }
                if (owner.pathAsPointer().toString().equals(at.toString())) {
                    return position(p, origin);
                }
            }
        } catch (IOException e) {
            // The text parsed once already; if it does not now, fall back to the enclosing value.
        }
        return null;
    }

    private static SourcePosition position(JsonParser p, String origin) {
        var loc = p.currentTokenLocation();
        return new SourcePosition(origin, Math.max(1, loc.getLineNr()), Math.max(0, loc.getColumnNr()));
    }
}
