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

    /** Writes an int array's length and elements. */
    static void writeInts(DataOutput out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int x : a) {
            out.writeInt(x);
        }
    }

    /** Reads what {@link #writeInts} wrote. */
    static int[] readInts(DataInput in) throws IOException {
        int[] a = new int[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    /** Writes a long array's length and elements. */
    static void writeLongs(DataOutput out, long[] a) throws IOException {
        out.writeInt(a.length);
        for (long x : a) {
            out.writeLong(x);
        }
    }

    /** Reads what {@link #writeLongs} wrote. */
    static long[] readLongs(DataInput in) throws IOException {
        long[] a = new long[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readLong();
        }
        return a;
    }
}
