package dev.mkspec.check;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A model's compact encoding of its states, with which the explorer moves a level's states to disk
 * when they would not fit on the heap.
 *
 * <p>Contract: {@code read(write(s))} is {@code equals} to {@code s} and has its fingerprint; the
 * encoding may depend on the model's constants (a codec belongs to one model instance), never on
 * other states. Both methods may be called from several threads at once, each with its own stream.
 *
 * @param <S> the state type
 */
public interface StateCodec<S> {

    /** Writes {@code state} to {@code out}. */
    void write(S state, DataOutput out) throws IOException;

    /** Reads back one state that {@link #write} wrote. */
    S read(DataInput in) throws IOException;

    /**
     * Writes an int in one to five bytes, the fewer the nearer it is to zero: ZigZag (so that -1
     * takes one byte), then seven bits a byte, the lowest first.
     */
    static void writeVarInt(DataOutput out, int x) throws IOException {
        int v = (x << 1) ^ (x >> 31);
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    /** Reads what {@link #writeVarInt} wrote. */
    static int readVarInt(DataInput in) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = in.readByte();
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                return (v >>> 1) ^ -(v & 1);
            }
        }
        throw new IOException("a variable-length int longer than five bytes");
    }

    /**
     * Writes a long as unsigned, for bit sets: one to ten bytes, the fewer the lower its highest
     * set bit, seven bits a byte, the lowest first.
     */
    static void writeVarLong(DataOutput out, long x) throws IOException {
        long v = x;
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    /** Reads what {@link #writeVarLong} wrote. */
    static long readVarLong(DataInput in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = in.readByte();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IOException("a variable-length long longer than ten bytes");
    }

    /** Writes an int array's length and elements, each with {@link #writeVarInt}. */
    static void writeVarInts(DataOutput out, int[] a) throws IOException {
        writeVarInt(out, a.length);
        for (int x : a) {
            writeVarInt(out, x);
        }
    }

    /** Reads what {@link #writeVarInts} wrote. */
    static int[] readVarInts(DataInput in) throws IOException {
        int n = readVarInt(in);
        if (n < 0) {
            throw new IOException("a negative array length: " + n);
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = readVarInt(in);
        }
        return a;
    }
}
