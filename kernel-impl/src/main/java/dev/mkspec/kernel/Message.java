package dev.mkspec.kernel;

import java.util.List;

/**
 * An IPC message: untyped words, strings to copy, and map or grant items.
 *
 * @param words the untyped words; up to the profile's register count they travel in registers
 * @param strings byte ranges of the sender's space copied into the receiver's string buffer
 * @param items fpages mapped or granted into the receiver's receive window
 */
public record Message(long[] words, List<StringItem> strings, List<MapItem> items) {
    /** The most words a message may carry. */
    public static final int MAX_WORDS = 64;

    public Message {
        words = words.clone();
        strings = List.copyOf(strings);
        items = List.copyOf(items);
    }

    public static Message of(long... words) {
        return new Message(words, List.of(), List.of());
    }

    public Message withString(long vaddr, int length) {
        List<StringItem> s = new java.util.ArrayList<>(strings);
        s.add(new StringItem(vaddr, length));
        return new Message(words, s, items);
    }

    public Message withItem(Fpage fpage, boolean grant) {
        return withItem(fpage, grant, 0);
    }

    /** The message with a map or grant item of {@code fpage} whose send base is {@code sendBase}. */
    public Message withItem(Fpage fpage, boolean grant, long sendBase) {
        List<MapItem> m = new java.util.ArrayList<>(items);
        m.add(new MapItem(fpage, grant, sendBase));
        return new Message(words, strings, m);
    }

    /** Whether only untyped words travel, and few enough for registers. */
    public boolean registersOnly(int registerWords) {
        return strings.isEmpty() && items.isEmpty() && words.length <= registerWords;
    }

    @Override
    public long[] words() {
        return words.clone();
    }

    int wordCount() {
        return words.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && java.util.Arrays.equals(words, m.words) && strings.equals(m.strings)
                && items.equals(m.items);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(words) * 31 + strings.hashCode() * 7 + items.hashCode();
    }

    @Override
    public String toString() {
        return "msg" + java.util.Arrays.toString(words) + (strings.isEmpty() ? "" : " strings" + strings)
                + (items.isEmpty() ? "" : " items" + items);
    }

    /** A string: {@code length} bytes at {@code vaddr} in the sender's space. */
    public record StringItem(long vaddr, int length) {
    }

    /**
     * A map (or, with {@code grant}, grant) of {@code fpage} from the sender's space. The send base
     * (L4 X.2's "hot spot", an address) names one point in both the fpage and the receiver's
     * window when their sizes differ: the smaller of the two moves, and it is the part of the
     * larger one that holds the send base's offset (the send base modulo the larger size).
     */
    public record MapItem(Fpage fpage, boolean grant, long sendBase) {
        public MapItem(Fpage fpage, boolean grant) {
            this(fpage, grant, 0);
        }
    }
}
