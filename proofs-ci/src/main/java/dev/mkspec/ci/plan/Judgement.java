package dev.mkspec.ci.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Compares what a tool reported with what a manifest expects, and collects every difference.
 */
final class Judgement {
    private final List<String> mismatches = new ArrayList<>();

    void count(String what, OptionalLong expected, OptionalLong actual) {
        if (expected.isEmpty()) {
            return;
        }
        if (actual.isEmpty()) {
            mismatches.add(what + ": expected " + String.format("%,d", expected.getAsLong()) + ", but the tool did not report it");
        } else if (expected.getAsLong() != actual.getAsLong()) {
            long diff = actual.getAsLong() - expected.getAsLong();
            mismatches.add(String.format("%s: expected %,d, got %,d (%+,d); the state space drifted from the manifest",
                    what, expected.getAsLong(), actual.getAsLong(), diff));
        }
    }

    void count(String what, OptionalInt expected, OptionalInt actual) {
        count(what, expected.isPresent() ? OptionalLong.of(expected.getAsInt()) : OptionalLong.empty(),
                actual.isPresent() ? OptionalLong.of(actual.getAsInt()) : OptionalLong.empty());
    }

    void fail(String mismatch) {
        mismatches.add(mismatch);
    }

    List<String> mismatches() {
        return mismatches;
    }

    boolean ok() {
        return mismatches.isEmpty();
    }

    /** The expectation in words, e.g. {@code success, 1,234 distinct, depth 9}. */
    static String describe(Manifest.Expect e) {
        StringBuilder sb = new StringBuilder(e.result());
        e.violated().ifPresent(v -> sb.append(": ").append(v));
        e.distinctStates().ifPresent(d -> sb.append(String.format(", %,d distinct", d)));
        e.totalStates().ifPresent(d -> sb.append(String.format(", %,d generated", d)));
        e.stateDepth().ifPresent(d -> sb.append(", depth ").append(d));
        e.traceLength().ifPresent(d -> sb.append(", trace of ").append(d));
        return sb.toString();
    }
}
