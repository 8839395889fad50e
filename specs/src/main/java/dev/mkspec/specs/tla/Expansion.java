package dev.mkspec.specs.tla;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the lazy set forms that TLC sometimes prints into explicit sets, or into an
 * {@link TlaValue.Opaque} when the set is infinite, has more than
 * {@link TlaValueParser#EXPANSION_LIMIT} elements, or would take more of the parse's
 * {@link Budget} than is left.
 *
 * <p>Sizes are counted in nodes: a scalar is one node, a set, sequence, record or function is one
 * plus its parts. Each expansion computes the size of what it would build before building it, so
 * a short text such as {@code SUBSET {1..100000, 1..99999, ...}} cannot make the parser build
 * (and sort) a huge value.
 */
final class Expansion {
    private Expansion() {
    }

    /** The nodes that the expansions of one parse may still build. */
    static final class Budget {
        private long left;

        Budget(long nodes) {
            this.left = nodes;
        }

        /** Takes {@code nodes} from the budget if that many are left. */
        boolean take(long nodes) {
            if (nodes < 0 || nodes > left) {
                return false;
            }
            left -= nodes;
            return true;
        }
    }

    /** The number of nodes of a value. */
    static long weight(TlaValue v) {
        if (v instanceof TlaValue.SetValue s) {
            return 1 + weights(s.elements());
        }
        if (v instanceof TlaValue.Seq s) {
            return 1 + weights(s.elements());
        }
        if (v instanceof TlaValue.Tuple t) {
            return 1 + weights(t.elements());
        }
        if (v instanceof TlaValue.Record r) {
            return 1 + r.fields().size() + weights(r.fields().values());
        }
        if (v instanceof TlaValue.Fun f) {
            return 1 + weights(f.entries().keySet()) + weights(f.entries().values());
        }
        return 1;
    }

    private static long weights(java.util.Collection<TlaValue> vs) {
        long w = 0;
        for (TlaValue v : vs) {
            w += weight(v);
        }
        return w;
    }

    static TlaValue interval(BigInteger lo, BigInteger hi, Budget budget) {
        if (hi.compareTo(lo) < 0) {
            return TlaValue.SetValue.of(List.of());
        }
        BigInteger size = hi.subtract(lo).add(BigInteger.ONE);
        if (size.compareTo(BigInteger.valueOf(TlaValueParser.EXPANSION_LIMIT)) > 0
                || !budget.take(1 + size.longValue())) {
            return new TlaValue.Opaque(lo + ".." + hi);
        }
        List<TlaValue> out = new ArrayList<>(size.intValue());
        for (BigInteger i = lo; i.compareTo(hi) <= 0; i = i.add(BigInteger.ONE)) {
            out.add(new TlaValue.Int(i));
        }
        return TlaValue.SetValue.of(out);
    }

    static TlaValue powerset(TlaValue base, String text, Budget budget) {
        if (!(base instanceof TlaValue.SetValue s) || s.size() > 16) {
            return new TlaValue.Opaque(text.trim());
        }
        List<TlaValue> elems = s.elements();
        int n = elems.size();
        // Each element is in half of the 2^n subsets.
        long nodes = 1 + (1L << n) + (n == 0 ? 0 : (1L << (n - 1)) * weights(elems));
        if (!budget.take(nodes)) {
            return new TlaValue.Opaque(text.trim());
        }
        List<TlaValue> out = new ArrayList<>(1 << n);
        for (int mask = 0; mask < (1 << n); mask++) {
            List<TlaValue> subset = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) != 0) {
                    subset.add(elems.get(i));
                }
            }
            out.add(TlaValue.SetValue.of(subset));
        }
        return TlaValue.SetValue.of(out);
    }

    static TlaValue product(List<TlaValue> factors, String text, Budget budget) {
        long size = 1;
        for (TlaValue f : factors) {
            if (!(f instanceof TlaValue.SetValue s)) {
                return new TlaValue.Opaque(text);
            }
            size *= s.size();
            if (size > TlaValueParser.EXPANSION_LIMIT) {
                return new TlaValue.Opaque(text);
            }
        }
        // Each element of a factor of n elements is in size/n of the tuples.
        long nodes = 1 + size;
        for (TlaValue f : factors) {
            TlaValue.SetValue s = (TlaValue.SetValue) f;
            nodes += s.size() == 0 ? 0 : size / s.size() * weights(s.elements());
        }
        if (!budget.take(nodes)) {
            return new TlaValue.Opaque(text);
        }
        List<List<TlaValue>> tuples = new ArrayList<>();
        tuples.add(List.of());
        for (TlaValue f : factors) {
            List<List<TlaValue>> next = new ArrayList<>();
            for (List<TlaValue> prefix : tuples) {
                for (TlaValue e : ((TlaValue.SetValue) f).elements()) {
                    List<TlaValue> t = new ArrayList<>(prefix);
                    t.add(e);
                    next.add(t);
                }
            }
            tuples = next;
        }
        List<TlaValue> out = new ArrayList<>(tuples.size());
        tuples.forEach(t -> out.add(new TlaValue.Seq(t)));
        return TlaValue.SetValue.of(out);
    }

    static TlaValue functionSet(TlaValue domain, TlaValue range, String text, Budget budget) {
        if (!(domain instanceof TlaValue.SetValue d) || !(range instanceof TlaValue.SetValue r)) {
            return new TlaValue.Opaque(text);
        }
        double size = Math.pow(r.size(), d.size());
        if (size > TlaValueParser.EXPANSION_LIMIT) {
            return new TlaValue.Opaque(text);
        }
        long count = (long) size;
        // Every function holds every key; each value of the range is at each key in count/|R| functions.
        long nodes = 1 + count * (1 + weights(d.elements()))
                + (r.size() == 0 ? 0 : d.size() * (count / r.size()) * weights(r.elements()));
        if (!budget.take(nodes)) {
            return new TlaValue.Opaque(text);
        }
        List<Map<TlaValue, TlaValue>> functions = new ArrayList<>();
        functions.add(new LinkedHashMap<>());
        for (TlaValue k : d.elements()) {
            List<Map<TlaValue, TlaValue>> next = new ArrayList<>();
            for (Map<TlaValue, TlaValue> f : functions) {
                for (TlaValue v : r.elements()) {
                    Map<TlaValue, TlaValue> g = new LinkedHashMap<>(f);
                    g.put(k, v);
                    next.add(g);
                }
            }
            functions = next;
        }
        List<TlaValue> out = new ArrayList<>(functions.size());
        functions.forEach(f -> out.add(new TlaValue.Fun(f)));
        return TlaValue.SetValue.of(out);
    }

    static TlaValue recordSet(Map<String, TlaValue> fields, String text, Budget budget) {
        double size = 1;
        for (TlaValue v : fields.values()) {
            if (!(v instanceof TlaValue.SetValue s)) {
                return new TlaValue.Opaque(text);
            }
            size *= s.size();
        }
        if (size > TlaValueParser.EXPANSION_LIMIT) {
            return new TlaValue.Opaque(text);
        }
        long count = (long) size;
        long nodes = 1 + count * (1 + fields.size());
        for (TlaValue v : fields.values()) {
            TlaValue.SetValue s = (TlaValue.SetValue) v;
            nodes += s.size() == 0 ? 0 : count / s.size() * weights(s.elements());
        }
        if (!budget.take(nodes)) {
            return new TlaValue.Opaque(text);
        }
        List<Map<String, TlaValue>> records = new ArrayList<>();
        records.add(new LinkedHashMap<>());
        for (Map.Entry<String, TlaValue> field : fields.entrySet()) {
            List<Map<String, TlaValue>> next = new ArrayList<>();
            for (Map<String, TlaValue> r : records) {
                for (TlaValue v : ((TlaValue.SetValue) field.getValue()).elements()) {
                    Map<String, TlaValue> g = new LinkedHashMap<>(r);
                    g.put(field.getKey(), v);
                    next.add(g);
                }
            }
            records = next;
        }
        List<TlaValue> out = new ArrayList<>(records.size());
        records.forEach(r -> out.add(new TlaValue.Record(r)));
        return TlaValue.SetValue.of(out);
    }
}
