package dev.mkspec.hw;

import java.util.ArrayDeque;
import java.util.BitSet;

/**
 * Physical memory: a number of 4 KiB frames of bytes, with little-endian word access and a simple
 * frame allocator. Frames are materialised on first write, so a large memory costs nothing until
 * it is used; an untouched frame reads as zeros.
 *
 * <p>Contract: a word may not straddle two frames (x86 allows it; nothing here needs it), and an
 * address outside memory throws {@link IllegalArgumentException}. Not thread-safe: one simulated machine is stepped by one
 * thread.
 */
public final class PhysicalMemory {
    /** Bytes per frame. */
    public static final int FRAME_SIZE = 4096;
    /** log2 of {@link #FRAME_SIZE}. */
    public static final int FRAME_SHIFT = 12;

    private final byte[][] frames;
    private final BitSet allocated;
    private final ArrayDeque<Integer> freed = new ArrayDeque<>();
    private int nextFresh;
    private long reads;
    private long writes;

    /**
     * @param frameCount the number of frames; physical addresses are 0 .. frameCount * 4096 - 1
     * @param reservedFrames frames 0 .. reservedFrames - 1 are never handed out by {@link #allocateFrame()}
     */
    public PhysicalMemory(int frameCount, int reservedFrames) {
        if (frameCount < 1 || reservedFrames < 0 || reservedFrames > frameCount) {
            throw new IllegalArgumentException("a memory needs at least one frame and at most frameCount reserved ones");
        }
        this.frames = new byte[frameCount][];
        this.allocated = new BitSet(frameCount);
        this.allocated.set(0, reservedFrames);
        this.nextFresh = reservedFrames;
    }

    public PhysicalMemory(int frameCount) {
        this(frameCount, 1);
    }

    public int frameCount() {
        return frames.length;
    }

    /** The size in bytes. */
    public long size() {
        return (long) frames.length * FRAME_SIZE;
    }

    /**
     * Hands out a zeroed frame.
     *
     * @return its frame number
     * @throws IllegalStateException when every frame is in use
     */
    public int allocateFrame() {
        int f;
        if (!freed.isEmpty()) {
            f = freed.pop();
        } else if (nextFresh < frames.length) {
            f = nextFresh++;
        } else {
            throw new IllegalStateException("physical memory is full: all " + frames.length + " frames are allocated");
        }
        allocated.set(f);
        frames[f] = null;
        return f;
    }

    /** Returns frame {@code f} to the allocator. */
    public void freeFrame(int f) {
        checkFrame(f);
        if (!allocated.get(f)) {
            throw new IllegalStateException("frame " + f + " is not allocated");
        }
        allocated.clear(f);
        frames[f] = null;
        freed.push(f);
    }

    public boolean isAllocated(int f) {
        checkFrame(f);
        return allocated.get(f);
    }

    /** The number of frames the allocator has handed out and not taken back, reserved ones included. */
    public int allocatedFrames() {
        return allocated.cardinality();
    }

    private void checkFrame(int f) {
        if (f < 0 || f >= frames.length) {
            throw new IllegalArgumentException("frame " + f + " is outside memory (0.." + (frames.length - 1) + ")");
        }
    }

    private byte[] frameFor(long paddr, int width, boolean forWrite) {
        if (paddr < 0 || paddr + width > size()) {
            throw new IllegalArgumentException(String.format("physical address %#x (%d bytes) is outside memory of %#x bytes",
                    paddr, width, size()));
        }
        int f = (int) (paddr >>> FRAME_SHIFT);
        if ((paddr & (FRAME_SIZE - 1)) + width > FRAME_SIZE) {
            throw new IllegalArgumentException(String.format("a %d-byte access at %#x crosses a frame boundary", width, paddr));
        }
        byte[] b = frames[f];
        if (b == null && forWrite) {
            b = new byte[FRAME_SIZE];
            frames[f] = b;
        }
        return b;
    }

    public int readByte(long paddr) {
        reads++;
        byte[] b = frameFor(paddr, 1, false);
        return b == null ? 0 : b[(int) (paddr & (FRAME_SIZE - 1))] & 0xFF;
    }

    public void writeByte(long paddr, int value) {
        writes++;
        frameFor(paddr, 1, true)[(int) (paddr & (FRAME_SIZE - 1))] = (byte) value;
    }

    /** A little-endian 32-bit word, zero-extended. */
    public long read32(long paddr) {
        reads++;
        byte[] b = frameFor(paddr, 4, false);
        if (b == null) {
            return 0;
        }
        int o = (int) (paddr & (FRAME_SIZE - 1));
        return (b[o] & 0xFFL) | (b[o + 1] & 0xFFL) << 8 | (b[o + 2] & 0xFFL) << 16 | (b[o + 3] & 0xFFL) << 24;
    }

    public void write32(long paddr, long value) {
        writes++;
        byte[] b = frameFor(paddr, 4, true);
        int o = (int) (paddr & (FRAME_SIZE - 1));
        for (int i = 0; i < 4; i++) {
            b[o + i] = (byte) (value >>> (8 * i));
        }
    }

    /** A little-endian 64-bit word. */
    public long read64(long paddr) {
        reads++;
        byte[] b = frameFor(paddr, 8, false);
        if (b == null) {
            return 0;
        }
        int o = (int) (paddr & (FRAME_SIZE - 1));
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[o + i] & 0xFFL);
        }
        return v;
    }

    public void write64(long paddr, long value) {
        writes++;
        byte[] b = frameFor(paddr, 8, true);
        int o = (int) (paddr & (FRAME_SIZE - 1));
        for (int i = 0; i < 8; i++) {
            b[o + i] = (byte) (value >>> (8 * i));
        }
    }

    /** Reads a page-table entry of {@code width} bytes (4 or 8). */
    public long readEntry(long paddr, int width) {
        return width == 4 ? read32(paddr) : read64(paddr);
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * The index of the first entry, at or after {@code from}, of the {@code count} entries of
     * {@code width} bytes (4 or 8) of the table at {@code table} that is not zero; {@code count} if
     * every one is. For walks over whole tables, which skip zero (not present) entries: an
     * inspection, not an access, so the read counter is left alone. The table must lie in one frame.
     */
    public int nextNonZeroEntry(long table, int width, int from, int count) {
        byte[] b = frameFor(table, width * count, false);
        if (b == null) {
            return count;
        }
        int base = (int) (table & (FRAME_SIZE - 1));
        int i = from;
        // eight bytes at a time where the table is aligned to them (every table is: it starts a frame)
        if ((base & 7) == 0) {
            int perLong = 8 / width;
            while (i < count && i % perLong != 0) {
                if (entryBytesNonZero(b, base + i * width, width)) {
                    return i;
                }
                i++;
            }
            while (i + perLong <= count && (long) LONGS.get(b, base + i * width) == 0L) {
                i += perLong;
            }
        }
        for (; i < count; i++) {
            if (entryBytesNonZero(b, base + i * width, width)) {
                return i;
            }
        }
        return count;
    }

    private static boolean entryBytesNonZero(byte[] b, int at, int width) {
        for (int j = 0; j < width; j++) {
            if (b[at + j] != 0) {
                return true;
            }
        }
        return false;
    }

    public void writeEntry(long paddr, int width, long value) {
        if (width == 4) {
            write32(paddr, value);
        } else {
            write64(paddr, value);
        }
    }

    /** Zeroes frame {@code f}. */
    public void zeroFrame(int f) {
        checkFrame(f);
        frames[f] = null;
    }

    /** Word and byte reads so far, of any width. */
    public long reads() {
        return reads;
    }

    public long writes() {
        return writes;
    }
}
