package dev.mkspec.model.addressspaces;

import java.util.ArrayList;
import java.util.List;

/** Rights as bit sets: r = 1, w = 2, x = 4. */
public final class Rights {
    private Rights() {
    }

    static int bit(String right) {
        return switch (right) {
            case "r" -> 1;
            case "w" -> 2;
            case "x" -> 4;
            default -> throw new IllegalArgumentException("unknown right " + right);
        };
    }

    /** Every non-empty subset of {@code all}, in increasing order of their bits. */
    public static List<Integer> nonEmptySubsets(int all) {
        List<Integer> out = new ArrayList<>();
        for (int r = 1; r <= 7; r++) {
            if ((r & ~all) == 0) {
                out.add(r);
            }
        }
        return out;
    }

    public static boolean subset(int a, int b) {
        return (a & ~b) == 0;
    }

    /** The rights of a set in TLA+ syntax, as {@link #toTla} writes it: {@code {"r", "w"}} is 3. */
    public static int fromTla(String tla) {
        int r = 0;
        for (String p : List.of("r", "w", "x")) {
            if (tla.contains("\"" + p + "\"")) {
                r |= bit(p);
            }
        }
        return r;
    }

    /** The rights in TLA+ syntax, e.g. {@code {"r", "w"}}. */
    public static String toTla(int rights) {
        List<String> names = new ArrayList<>();
        if ((rights & 1) != 0) {
            names.add("\"r\"");
        }
        if ((rights & 2) != 0) {
            names.add("\"w\"");
        }
        if ((rights & 4) != 0) {
            names.add("\"x\"");
        }
        return "{" + String.join(", ", names) + "}";
    }
}
