package dev.mkspec.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One search level's states, encoded by the model's {@link StateCodec}, in a file on disk: the
 * explorer's frontier once the heap passes its budget. Workers append whole chunks (each an
 * offset and a length) and read them back while they insert and expand that level, all at once;
 * the file is deleted once the level after it is built, and in any case when the run ends. Level
 * files can take gigabytes, so a JVM stopped by a signal deletes those still open from a shutdown
 * hook. Where {@code java.io.tmpdir} is a tmpfs, the file is in memory after all.
 */
final class LevelFile implements AutoCloseable {
    /** The level files open in this JVM, for the shutdown hook. */
    private static final java.util.Set<Path> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final Thread HOOK = new Thread(() -> {
        for (Path p : OPEN) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // the JVM is ending; nothing else to do
            }
        }
    }, "mkspec-explorer-level-files");

    static {
        Runtime.getRuntime().addShutdownHook(HOOK);
    }

    private final Path file;
    private final FileChannel channel;
    private long size;

    LevelFile(int level) {
        try {
            file = Files.createTempFile("mkspec-explorer-level" + level + "-", ".bin");
            OPEN.add(file);
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("the explorer cannot create a frontier file in " + tmp() + " ("
                    + e.getMessage() + "); " + WHERE, e);
        }
    }

    /**
     * Appends {@code length} bytes of {@code head} and then {@code tailLength} of {@code tail};
     * returns the offset they start at.
     */
    long append(byte[] head, int length, byte[] tail, int tailLength) {
        long offset;
        synchronized (this) {
            offset = size;
            size += length + tailLength;
        }
        try {
            long at = offset;
            for (ByteBuffer b : new ByteBuffer[] {ByteBuffer.wrap(head, 0, length), ByteBuffer.wrap(tail, 0, tailLength)}) {
                while (b.hasRemaining()) {
                    at += channel.write(b, at);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the explorer cannot write its frontier file " + file + " ("
                    + e.getMessage() + "); " + WHERE, e);
        }
        return offset;
    }

    /** Reads back {@code length} bytes from {@code offset}. */
    byte[] read(long offset, int length) {
        byte[] data = new byte[length];
        ByteBuffer b = ByteBuffer.wrap(data);
        try {
            long at = offset;
            while (b.hasRemaining()) {
                int n = channel.read(b, at);
                if (n < 0) {
                    throw new IOException("the file ends at " + at + ", before " + (offset + length));
                }
                at += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the explorer cannot read its frontier file " + file + " ("
                    + e.getMessage() + ")", e);
        }
        return data;
    }

    private static final String WHERE = "free some space in the temporary folder, or move it with "
            + "MKSPEC_JAVA_OPTS=-Djava.io.tmpdir=DIR (the largest level file and the one after it must fit)";

    private static String tmp() {
        return System.getProperty("java.io.tmpdir");
    }

    /** Bytes written so far. */
    synchronized long size() {
        return size;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // the file goes next
        }
        try {
            Files.deleteIfExists(file);
            OPEN.remove(file);
        } catch (IOException e) {
            // nothing of the result depends on it; the shutdown hook tries again
        }
    }
}
