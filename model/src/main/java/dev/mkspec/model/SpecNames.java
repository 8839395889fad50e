package dev.mkspec.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * The names the specs give the values of an enum (a bug variant, an operation): the constant's
 * name in lower case, as {@code Bug = "revoke_local_only"} in a cfg names {@code REVOKE_LOCAL_ONLY}.
 */
public final class SpecNames {
    private SpecNames() {
    }

    /** The spec's name of {@code value}. */
    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The value of {@code type} the spec names {@code name}.
     *
     * @param what what the values are, for the message ("bug variant of Segments")
     * @throws IllegalArgumentException naming the names there are
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String name, String what) {
        for (E e : type.getEnumConstants()) {
            if (of(e).equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("\"" + name + "\" is not a " + what + "; the names are "
                + Arrays.stream(type.getEnumConstants()).map(e -> "\"" + of(e) + "\"").toList());
    }
}
