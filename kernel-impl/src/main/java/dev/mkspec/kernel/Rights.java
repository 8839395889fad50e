package dev.mkspec.kernel;

/** Access rights as a bit set: {@link #R}, {@link #W}, {@link #X}. */
public final class Rights {
    public static final int R = 1;
    public static final int W = 2;
    public static final int X = 4;
    public static final int ALL = R | W | X;

    private Rights() {
    }

    public static boolean within(int rights, int of) {
        return (rights & ~of) == 0;
    }

    public static String show(int r) {
        return ((r & R) != 0 ? "r" : "") + ((r & W) != 0 ? "w" : "") + ((r & X) != 0 ? "x" : "") + (r == 0 ? "-" : "");
    }
}
