package dev.mkspec.kernel.bench;

import dev.mkspec.hw.Cost;
import dev.mkspec.kernel.CostCategory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * How faithful the simulated rows are to the published ones, and why they differ, measured by
 * re-running each compared row under what-if switches ({@link WhatIf}) rather than explained by
 * hand. For every published measurement of a row: the ratio simulated/published; the three
 * switches that move the compared figure most (its provenance); each primitive the profile marks
 * {@code assumption:} on which the figure depends for more than {@link #ASSUMED_SHARE} of it
 * (measured by pricing it at 0); and the mechanisms {@code published.json} says the simulated
 * kernel lacks, each with the cycles its switch moves; and what a cold start would add
 * ({@code cache=cold}, kept apart from the provenance: it is the most misses could add, not a
 * mechanism). A row is {@link Verdict#WITHIN} the tolerance, {@link Verdict#EXPLAINED} when its
 * missing mechanisms switched on together bring it within, or {@link Verdict#OUTSIDE}.
 */
public final class Fidelity {
    /** The tolerance a row must meet: |simulated / published - 1| at most this. */
    public static final double TOLERANCE = 0.15;
    /** A row depends on an assumed primitive when pricing it at 0 moves the figure by more than this share. */
    public static final double ASSUMED_SHARE = 0.10;
    /** Switches tried on every compared row besides its assumed primitives and missing mechanisms. */
    public static final List<String> GENERAL = List.of("cache=ideal", "cache=full", "multiclock=off");

    private Fidelity() {
    }

    /** What one switch does to a compared figure. */
    public record Move(String whatIf, String why, double delta, CostCategory category) {
    }

    public enum Verdict {
        WITHIN("within ±15%"), EXPLAINED("outside, explained by missing mechanisms"), OUTSIDE("outside, unexplained");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One published measurement held against its row.
     *
     * @param explained the figure with every missing mechanism switched on, or NaN when none is declared
     */
    public record Comparison(BenchRow row, References.Published published, double simulated, List<Move> provenance,
            List<Move> assumed, List<Move> missing, double explained, Verdict verdict, Move coldStart) {
        public double ratio() {
            return simulated / published.cycles();
        }

        /** |ratio - 1|. */
        public double error() {
            return Math.abs(ratio() - 1);
        }
    }

    /** The median absolute error over every comparison, and the worst one. */
    public record Summary(int comparisons, double medianError, Comparison worst, int within, int explained, int outside) {
    }

    /** Every published measurement of {@code rows}, compared and explained. */
    public static List<Comparison> compare(List<BenchRow> rows, List<References.Published> published) {
        List<Comparison> out = new ArrayList<>();
        for (BenchRow r : rows) {
            for (References.Published p : published) {
                if (p.row().equals(r.key())) {
                    out.add(compare(r, p));
                }
            }
        }
        return out;
    }

    static Comparison compare(BenchRow r, References.Published p) {
        double base = p.simulated(r);
        List<Move> moves = new ArrayList<>();
        for (String g : GENERAL) {
            Move m = move(r, p, base, WhatIf.parse(g), switch (g) {
                case "cache=ideal" -> "every cache access hits";
                case "cache=full" -> "no conflict misses (fully associative caches of the same size)";
                default -> "every instruction priced by its class: no multi-clock instructions, prefix clocks or "
                        + "address-generation interlocks";
            });
            if (m != null && m.delta() != 0) {
                moves.add(m);
            }
        }
        List<Move> assumed = new ArrayList<>();
        for (Cost c : r.config().profile().costs().values()) {
            if (!c.assumed() || c.cycles() == 0) {
                continue;
            }
            Move m = move(r, p, base, WhatIf.parse(c.primitive().key() + "=0"), c.primitive().key() + " (assumed "
                    + num(c.cycles()) + ")");
            if (m != null && m.delta() != 0) {
                moves.add(m);
                if (Math.abs(m.delta()) > ASSUMED_SHARE * base) {
                    assumed.add(m);
                }
            }
        }
        List<Move> missing = new ArrayList<>();
        UnaryOperator<dev.mkspec.kernel.KernelConfig> all = c -> c;
        for (References.Missing x : p.missing()) {
            WhatIf w = WhatIf.parse(x.whatIf());
            Move m = move(r, p, base, w, x.mechanism());
            if (m == null) {
                throw new IllegalStateException("published.json: the what-if '" + x.whatIf() + "' of " + p.row()
                        + " cannot run on that row");
            }
            missing.add(m);
            moves.add(m);
            UnaryOperator<dev.mkspec.kernel.KernelConfig> before = all;
            all = c -> w.change().apply(before.apply(c));
        }
        double explained = Double.NaN;
        if (!missing.isEmpty()) {
            BenchRow x = new WhatIf("all missing mechanisms", all).rerun(r);
            if (x == null) {
                throw new IllegalStateException("published.json: the missing mechanisms of " + p.row()
                        + " cannot all be switched on together");
            }
            explained = p.simulated(x);
        }
        moves.sort(Comparator.comparingDouble((Move m) -> -Math.abs(m.delta())));
        double ratio = base / p.cycles();
        Verdict v = Math.abs(ratio - 1) <= TOLERANCE + 1e-9 ? Verdict.WITHIN
                : !Double.isNaN(explained) && Math.abs(explained / p.cycles() - 1) <= TOLERANCE + 1e-9 ? Verdict.EXPLAINED
                : Verdict.OUTSIDE;
        Move cold = move(r, p, base, WhatIf.parse("cache=cold"), "caches and TLBs emptied before the measured run");
        return new Comparison(r, p, base, List.copyOf(moves.subList(0, Math.min(3, moves.size()))), assumed, missing,
                explained, v, cold);
    }

    private static Move move(BenchRow r, References.Published p, double base, WhatIf w, String why) {
        BenchRow x = w.rerun(r);
        if (x == null) {
            return null;
        }
        CostCategory most = null;
        double mostDelta = 0;
        for (CostCategory c : CostCategory.values()) {
            double d = x.report().of(c) - r.report().of(c);
            if (Math.abs(d) > Math.abs(mostDelta)) {
                most = c;
                mostDelta = d;
            }
        }
        return new Move(w.spec(), why, p.simulated(x) - base, most);
    }

    /**
     * For every row, each primitive its profile marks {@code assumption:} on which the row's total
     * depends for more than {@link #ASSUMED_SHARE} of it, measured by re-running the rows with the
     * primitive priced at 0 (each switch re-runs every configuration and workload once). In the
     * order of {@code rows}; an empty list for a row that depends on no assumption that much.
     */
    public static List<List<Move>> assumptionDependence(List<BenchRow> rows) {
        java.util.Set<String> assumed = new java.util.TreeSet<>();
        for (BenchRow r : rows) {
            for (Cost c : r.config().profile().costs().values()) {
                if (c.assumed() && c.cycles() != 0) {
                    assumed.add(c.primitive().key());
                }
            }
        }
        List<List<Move>> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            out.add(new ArrayList<>());
        }
        for (String key : assumed) {
            List<Integer> idx = new ArrayList<>();
            List<BenchRow> affected = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Cost c = rows.get(i).config().profile().costs().get(dev.mkspec.hw.Primitive.byKey(key));
                if (c != null && c.assumed() && c.cycles() != 0) {
                    idx.add(i);
                    affected.add(rows.get(i));
                }
            }
            List<BenchRow> again = WhatIf.parse(key + "=0").rerun(affected);
            for (int j = 0; j < affected.size(); j++) {
                BenchRow r = affected.get(j);
                BenchRow x = again.get(j);
                if (x == null) {
                    continue;
                }
                double delta = x.total() - r.total();
                if (Math.abs(delta) > ASSUMED_SHARE * r.total()) {
                    Cost c = r.config().profile().costs().get(dev.mkspec.hw.Primitive.byKey(key));
                    out.get(idx.get(j)).add(new Move(key + "=0", key + " (assumed " + num(c.cycles()) + ")", delta, null));
                }
            }
        }
        return out;
    }

    public static Summary summary(List<Comparison> cs) {
        if (cs.isEmpty()) {
            return new Summary(0, Double.NaN, null, 0, 0, 0);
        }
        List<Double> errors = new ArrayList<>();
        Comparison worst = cs.get(0);
        int within = 0;
        int explained = 0;
        for (Comparison c : cs) {
            errors.add(c.error());
            if (c.error() > worst.error()) {
                worst = c;
            }
            within += c.verdict() == Verdict.WITHIN ? 1 : 0;
            explained += c.verdict() == Verdict.EXPLAINED ? 1 : 0;
        }
        errors.sort(null);
        int n = errors.size();
        double median = n % 2 == 1 ? errors.get(n / 2) : (errors.get(n / 2 - 1) + errors.get(n / 2)) / 2;
        return new Summary(n, median, worst, within, explained, n - within - explained);
    }

    static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
