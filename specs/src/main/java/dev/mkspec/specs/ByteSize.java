package dev.mkspec.specs;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A memory size written as for Java's {@code -Xmx}: digits and an optional k, m or g. */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgG]?)");

    private ByteSize() {
    }

    /**
     * The size in bytes, {@link Long#MAX_VALUE} for one too large for a long; empty when the text
     * is not a size.
     */
    public static OptionalLong parse(String size) {
        Matcher m = SIZE.matcher(size.trim());
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        long n = m.group(1).length() > 15 ? Long.MAX_VALUE : Long.parseLong(m.group(1));
        int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        return OptionalLong.of(n > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : n << shift);
    }
}
