package dev.mkspec.kernel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.kernel.CostCategory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The two data files simulated rows are held against: published measurements
 * ({@code published.json}, for {@code --compare}) and performance budgets ({@code budgets.json},
 * checked in CI). Both are read from the kernel-impl jar.
 */
public final class References {
    private References() {
    }

    /**
     * A published measurement.
     *
     * @param row the row key it compares with ({@link BenchRow#key()})
     * @param part {@code total}, or a {@link CostCategory} key: the part of the row compared
     * @param cycles the published figure
     * @param what what was measured
     * @param source where it was published
     * @param conditions how it was measured (caches warm or cold, message size, clock), as the source says
     * @param missing mechanisms of the measured system that the simulated kernel lacks, each with
     *     the what-if switch that adds it, so that their share is measured ({@link Fidelity})
     * @param phases the source's breakdown of the figure, in order (empty when it gives none); the
     *     parts sum to {@code cycles}
     */
    public record Published(String row, String part, double cycles, String what, String source, String conditions,
            List<Missing> missing, List<PhaseFigure> phases) {
        public Published {
            missing = List.copyOf(missing);
            phases = List.copyOf(phases);
        }

        public Published(String row, String part, double cycles, String what, String source, String conditions,
                List<Missing> missing) {
            this(row, part, cycles, what, source, conditions, missing, List.of());
        }

        /**
         * The simulated cycles of each part of the source's breakdown: the part covers the next
         * {@link PhaseFigure#simulatedPhases} phases of {@code r}'s report, in order.
         *
         * @throws IllegalStateException when the parts do not cover the report's phases exactly
         */
        public List<Double> simulatedPhases(BenchRow r) {
            List<dev.mkspec.kernel.CycleReport.Phase> ph = r.report().phases();
            int need = phases.stream().mapToInt(PhaseFigure::simulatedPhases).sum();
            if (need != ph.size()) {
                throw new IllegalStateException("published.json: the breakdown of " + row + " covers " + need
                        + " simulated phases, and the row has " + ph.size() + ": " + ph.stream()
                                .map(dev.mkspec.kernel.CycleReport.Phase::label).toList());
            }
            List<Double> out = new ArrayList<>();
            int at = 0;
            for (PhaseFigure f : phases) {
                double c = 0;
                for (int i = 0; i < f.simulatedPhases(); i++) {
                    c += ph.get(at++).total();
                }
                out.add(c);
            }
            return out;
        }

        /** The simulated value this measurement compares with. */
        public double simulated(BenchRow r) {
            if (part.equals("total")) {
                return r.total();
            }
            for (CostCategory c : CostCategory.values()) {
                if (c.key().equals(part)) {
                    return r.report().of(c);
                }
            }
            throw new IllegalStateException("published.json: part '" + part + "' of " + row
                    + " is neither total nor a cost category");
        }
    }

    /**
     * A mechanism of a published system that the simulated kernel lacks.
     *
     * @param mechanism what it is, in a sentence
     * @param whatIf the {@link WhatIf} switch that adds it to the simulated row
     */
    public record Missing(String mechanism, String whatIf) {
    }

    /**
     * One part of a published breakdown.
     *
     * @param label the source's name for it ("client", "IPC", "server")
     * @param cycles the source's figure
     * @param simulatedPhases how many consecutive phases of the simulated row it covers
     */
    public record PhaseFigure(String label, double cycles, int simulatedPhases) {
    }

    /** A performance budget: {@code row} costs at most {@code maxCycles}. */
    public record Budget(String row, double maxCycles, String why) {
    }

    public static List<Published> published() {
        List<Published> out = new ArrayList<>();
        for (JsonNode n : read("published.json").get("measurements")) {
            List<Missing> missing = new ArrayList<>();
            if (n.has("missing")) {
                for (JsonNode m : n.get("missing")) {
                    Missing x = new Missing(text(m, "mechanism"), text(m, "whatIf"));
                    WhatIf.parse(x.whatIf()); // a bad switch is the data file's error, found when it is read
                    missing.add(x);
                }
            }
            List<PhaseFigure> phases = new ArrayList<>();
            if (n.has("phases")) {
                double sum = 0;
                for (JsonNode f : n.get("phases")) {
                    phases.add(new PhaseFigure(text(f, "label"), f.get("cycles").asDouble(), f.get("simulatedPhases").asInt()));
                    sum += f.get("cycles").asDouble();
                }
                if (Math.abs(sum - n.get("cycles").asDouble()) > 0.5) {
                    throw new IllegalStateException("published.json: the breakdown of " + text(n, "row") + " sums to " + sum
                            + ", not to its " + n.get("cycles").asDouble() + " cycles");
                }
            }
            out.add(new Published(text(n, "row"), text(n, "part"), n.get("cycles").asDouble(), text(n, "what"),
                    text(n, "source"), text(n, "conditions"), missing, phases));
        }
        return out;
    }

    public static List<Budget> budgets() {
        List<Budget> out = new ArrayList<>();
        for (JsonNode n : read("budgets.json").get("budgets")) {
            out.add(new Budget(text(n, "row"), n.get("maxCycles").asDouble(), text(n, "why")));
        }
        return out;
    }

    /**
     * The median absolute error over every published figure that {@code fidelity.json} records:
     * FidelityTests fails when the simulation is less faithful than this.
     */
    public static double fidelityBudget() {
        JsonNode v = read("fidelity.json").get("medianAbsoluteError");
        if (v == null || !v.isNumber()) {
            throw new IllegalStateException("fidelity.json lacks the number medianAbsoluteError");
        }
        return v.asDouble();
    }

    /** The budgets {@code rows} break, as sentences; empty when every budgeted row is within budget. */
    public static List<String> overBudget(List<BenchRow> rows, List<Budget> budgets) {
        List<String> out = new ArrayList<>();
        for (Budget b : budgets) {
            for (BenchRow r : rows) {
                if (r.key().equals(b.row()) && r.total() > b.maxCycles()) {
                    out.add(String.format("%s costs %.0f cycles, over its budget of %.0f (%s)", b.row(), r.total(),
                            b.maxCycles(), b.why()));
                }
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalStateException("a reference entry lacks the text field '" + field + "': " + n);
        }
        return v.asText();
    }

    private static JsonNode read(String name) {
        try (InputStream in = References.class.getResourceAsStream("/dev/mkspec/kernel/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the kernel-impl jar");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }
}
