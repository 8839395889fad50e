package dev.mkspec.specs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The checks every input file goes through before a tool sees it, so that a user who names the
 * wrong thing hears what is wrong with it (missing, a directory, unreadable, empty, binary, the
 * wrong kind) instead of a tool's confusing second-hand error.
 *
 * <p>Paths are taken as the user typed them: relative paths resolve against the current
 * directory, and messages repeat the path as given.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Requires {@code file} to be a readable regular file.
     *
     * @param what what the file is for, in a few words ("the spec", "the configuration given with --config")
     * @throws MkspecException {@link Problem#FILE_NOT_FOUND}, {@link Problem#NOT_A_FILE} or
     *     {@link Problem#FILE_UNREADABLE}
     */
    public static void requireFile(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw Problem.NOT_A_FILE.exception(file, what);
        }
        if (!Files.exists(file)) {
            throw Problem.FILE_NOT_FOUND.exception(file + (what.isEmpty() ? "" : " (" + what + ")"));
        }
        if (!Files.isRegularFile(file)) {
            throw Problem.NOT_A_FILE.exception(file, what);
        }
        if (!Files.isReadable(file)) {
            throw Problem.FILE_UNREADABLE.exception(file, "permission denied");
        }
    }

    /** As {@link #requireFile}, and requires the name to end in {@code extension} (e.g. ".tla"). */
    public static void requireFile(Path file, String what, String extension, String kind) {
        requireFile(file, what);
        if (!file.getFileName().toString().endsWith(extension)) {
            String article = "AEIOU".indexOf(Character.toUpperCase(kind.charAt(0))) >= 0 ? "an " : "a ";
            throw Problem.WRONG_FILE_TYPE.exception(file, article + kind + " (" + extension + ")");
        }
    }

    /**
     * Reads a text file that must not be empty, as UTF-8.
     *
     * @param kind what the file should hold, for the message ("a TLA+ module", "an Alloy model")
     * @throws MkspecException as {@link #requireFile}, or {@link Problem#NOT_TEXT} if it is empty,
     *     holds a NUL byte or is not UTF-8
     */
    public static String readText(Path file, String what, String kind) {
        requireFile(file, what);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw Problem.FILE_NOT_FOUND.exception(file);
        } catch (AccessDeniedException e) {
            throw Problem.FILE_UNREADABLE.exception(file, "permission denied");
        } catch (IOException e) {
            throw Problem.FILE_UNREADABLE.exception(file, String.valueOf(e.getMessage()));
        }
        return text(bytes, file.toString(), kind);
    }

    /**
     * Decodes file content as UTF-8 text, refusing empty and binary content.
     *
     * @param origin the file's name for the message
     */
    public static String text(byte[] bytes, String origin, String kind) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw Problem.NOT_TEXT.exception(origin, "it holds binary data (a NUL byte at offset " + i
                        + "), not " + kind);
            }
        }
        int bad = firstNonUtf8Byte(bytes);
        if (bad >= 0) {
            throw Problem.NOT_TEXT.exception(origin, "it is not UTF-8 text (a malformed byte at offset " + bad
                    + "), so it cannot be " + kind);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw Problem.NOT_TEXT.exception(origin, "it is empty; it should hold " + kind);
        }
        return text;
    }

    /** The offset of the first byte that does not decode as UTF-8, or -1 if every byte does. */
    static int firstNonUtf8Byte(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, CharBuffer.allocate(bytes.length + 1), true);
        return result.isError() ? in.position() : -1;
    }
}
