package dev.mkspec.kernel;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a measurement cost: its phases in order, each with cycles by category and the events
 * behind them (instructions executed, page walks, cache misses).
 */
public record CycleReport(List<Phase> phases) {
    public CycleReport {
        phases = List.copyOf(phases);
    }

    /** One row of the breakdown. */
    public record Phase(Side side, String label, Map<CostCategory, Double> cycles, long instructions, long walks,
            long cacheMisses) {
        public Phase {
            cycles = java.util.Collections.unmodifiableMap(new EnumMap<>(cycles));
        }

        public double total() {
            double t = 0;
            for (double c : cycles.values()) {
                t += c;
            }
            return t;
        }

        public double of(CostCategory c) {
            return cycles.getOrDefault(c, 0.0);
        }
    }

    /**
     * Half of this report: every phase's cycles halved, and its counts of events halved with the
     * odd ones carried from phase to phase, so that each count's total is half the report's
     * (rounded up when it is odd) while no phase's count is fractional; its label marked so. A
     * one-way figure is half of a warm round trip.
     */
    public CycleReport half() {
        List<Phase> out = new java.util.ArrayList<>();
        long[] carry = {1, 1, 1};
        for (Phase p : phases) {
            Map<CostCategory, Double> c = new EnumMap<>(CostCategory.class);
            p.cycles().forEach((k, v) -> c.put(k, v / 2));
            out.add(new Phase(p.side(), p.label() + " (half)", c, halve(p.instructions(), carry, 0),
                    halve(p.walks(), carry, 1), halve(p.cacheMisses(), carry, 2)));
        }
        return new CycleReport(out);
    }

    private static long halve(long n, long[] carry, int i) {
        long h = (n + carry[i]) / 2;
        carry[i] = (n + carry[i]) % 2;
        return h;
    }

    public double total() {
        double t = 0;
        for (Phase p : phases) {
            t += p.total();
        }
        return t;
    }

    /** Cycles of one category over every phase. */
    public double of(CostCategory c) {
        double t = 0;
        for (Phase p : phases) {
            t += p.of(c);
        }
        return t;
    }

    public Map<CostCategory, Double> byCategory() {
        Map<CostCategory, Double> m = new EnumMap<>(CostCategory.class);
        for (CostCategory c : CostCategory.values()) {
            m.put(c, of(c));
        }
        return m;
    }

    public long walks() {
        return phases.stream().mapToLong(Phase::walks).sum();
    }

    public long cacheMisses() {
        return phases.stream().mapToLong(Phase::cacheMisses).sum();
    }

    public long instructions() {
        return phases.stream().mapToLong(Phase::instructions).sum();
    }
}
