package dev.mkspec.kernel;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Charges cycles by category to the current phase of a measurement. The kernel and the
 * simulated CPU charge every step here; nothing else produces a cycle. A phase is a row of the
 * breakdown table ("send", "kernel work", "receive reply"), owned by the client or the server.
 *
 * <p>Not thread-safe: one per simulated CPU.
 */
public final class CycleMeter {
    private final List<Row> rows = new ArrayList<>();
    private Row current;

    public CycleMeter() {
        reset();
    }

    /** Forgets every charge and starts an unnamed client phase. */
    public void reset() {
        rows.clear();
        current = null;
        phase(Side.CLIENT, "(unlabelled)");
    }

    /** Starts (or continues, if it is the current one) the phase {@code label} of {@code side}. */
    public void phase(Side side, String label) {
        if (current != null && current.side == side && current.label.equals(label)) {
            return;
        }
        if (current != null && current.total() == 0 && current.instructions == 0) {
            rows.remove(current);
        }
        current = new Row(side, label);
        rows.add(current);
    }

    /** The label of the phase charges go to now. */
    String currentLabel() {
        return current.label;
    }

    /** The side of the phase charges go to now. */
    Side currentSide() {
        return current.side;
    }

    /** Adds {@code cycles} of {@code category} to the current phase. */
    public void charge(CostCategory category, double cycles) {
        current.cycles.merge(category, cycles, Double::sum);
    }

    void countInstructions(int n) {
        current.instructions += n;
    }

    void countWalk() {
        current.walks++;
    }

    void countCacheMiss() {
        current.cacheMisses++;
    }

    /** Every cycle charged since the last {@link #reset}. */
    public double total() {
        double t = 0;
        for (Row r : rows) {
            t += r.total();
        }
        return t;
    }

    /** The phases charged so far, in order, with their totals. */
    public CycleReport report() {
        List<CycleReport.Phase> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.total() == 0 && r.instructions == 0) {
                continue;
            }
            out.add(new CycleReport.Phase(r.side, r.label, new EnumMap<>(r.cycles), r.instructions, r.walks, r.cacheMisses));
        }
        return new CycleReport(out);
    }

    private static final class Row {
        final Side side;
        final String label;
        final Map<CostCategory, Double> cycles = new EnumMap<>(CostCategory.class);
        long instructions;
        long walks;
        long cacheMisses;

        Row(Side side, String label) {
            this.side = side;
            this.label = label;
        }

        double total() {
            double t = 0;
            for (double c : cycles.values()) {
                t += c;
            }
            return t;
        }
    }
}
