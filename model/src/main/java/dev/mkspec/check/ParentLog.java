package dev.mkspec.check;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Each visited state's fingerprint with the fingerprint of the state it was first reached from,
 * appended to a file on disk (16 bytes a state) in the order the search accepts them, so that
 * the fingerprint table need not hold them. It is read only to rebuild a counterexample: a
 * state's parent was accepted in an earlier level, so one pass from the end of the file to its
 * start finds the whole chain back to an initial state. The file is deleted when the log is
 * closed, which the explorer does when its run ends, however it ends. (No deleteOnExit: a
 * long-lived JVM runs many explorations, and that list would only grow.) Where
 * {@code java.io.tmpdir} is a tmpfs, the file is in memory after all.
 */
final class ParentLog implements AutoCloseable {
    private static final int RECORD = 16;

    private final Path file;
    private final OutputStream out;
    private final ByteBuffer record = ByteBuffer.allocate(RECORD);
    private long records;

    ParentLog() {
        try {
            file = Files.createTempFile("mkspec-explorer-parents-", ".bin");
            out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("the explorer cannot create its parent log in "
                    + System.getProperty("java.io.tmpdir") + " (" + e.getMessage()
                    + "); free some space there or point java.io.tmpdir elsewhere", e);
        }
    }

    /** Records that {@code fp} was first reached from {@code parent} ({@link FingerprintTable#NO_PARENT} for an initial state). */
    void append(long fp, long parent) {
        record.clear();
        record.putLong(fp).putLong(parent);
        try {
            out.write(record.array());
        } catch (IOException e) {
            throw new UncheckedIOException("the explorer cannot write its parent log " + file + " (" + e.getMessage() + ")", e);
        }
        records++;
    }

    /** Records written so far. */
    long records() {
        return records;
    }

    /** Bytes on disk. */
    long bytes() {
        return records * RECORD;
    }

    /**
     * The fingerprints from an initial state to {@code fp}, initial state first, read from the end
     * of the file backwards.
     */
    List<Long> chainTo(long fp) {
        try {
            out.flush();
            List<Long> chain = new ArrayList<>();
            chain.add(fp);
            long want = fp;
            byte[] block = new byte[RECORD * 4096];
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long end = records * RECORD;
                while (end > 0 && want != FingerprintTable.NO_PARENT) {
                    int len = (int) Math.min(block.length, end);
                    long start = end - len;
                    in.seek(start);
                    in.readFully(block, 0, len);
                    ByteBuffer b = ByteBuffer.wrap(block, 0, len);
                    for (int off = len - RECORD; off >= 0 && want != FingerprintTable.NO_PARENT; off -= RECORD) {
                        if (b.getLong(off) == want) {
                            want = b.getLong(off + 8);
                            if (want != FingerprintTable.NO_PARENT) {
                                chain.add(want);
                            }
                        }
                    }
                    end = start;
                }
            }
            if (want != FingerprintTable.NO_PARENT) {
                throw new IllegalStateException("the parent log " + file + " has no record of fingerprint " + want);
            }
            java.util.Collections.reverse(chain);
            return chain;
        } catch (IOException e) {
            throw new UncheckedIOException("the explorer cannot read its parent log " + file + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // the file goes next; nothing of the result depends on it
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // deleteOnExit remains
        }
    }
}
