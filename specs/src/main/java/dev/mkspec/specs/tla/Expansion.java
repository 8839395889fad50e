package dev.mkspec.specs.tla;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the lazy set forms that TLC sometimes prints into explicit sets, or into an
 * {@link TlaValue.Opaque} when the set is infinite or larger than
 * {@link TlaValueParser#EXPANSION_LIMIT}.
 */
final class Expansion {
    private Expansion() {
    }

    static TlaValue interval(BigInteger lo, BigInteger hi) {
        if (hi.compareTo(lo) < 0) {
            return TlaValue.SetValue.of(List.of());
        }
        BigInteger size = hi.subtract(lo).add(BigInteger.ONE);
        if (size.compareTo(BigInteger.valueOf(TlaValueParser.EXPANSION_LIMIT)) > 0) {
            return new TlaValue.Opaque(lo + ".." + hi);
        }
        List<TlaValue> out = new ArrayList<>(size.intValue());
        for (BigInteger i = lo; i.compareTo(hi) <= 0; i = i.add(BigInteger.ONE)) {
            out.add(new TlaValue.Int(i));
        }
        return TlaValue.SetValue.of(out);
    }

    static TlaValue powerset(TlaValue base, String text) {
        if (!(base instanceof TlaValue.SetValue s) || s.size() > 16) {
            return new TlaValue.Opaque(text.trim());
        }
        List<TlaValue> elems = s.elements();
        List<TlaValue> out = new ArrayList<>(1 << elems.size());
        for (int mask = 0; mask < (1 << elems.size()); mask++) {
            List<TlaValue> subset = new ArrayList<>();
            for (int i = 0; i < elems.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    subset.add(elems.get(i));
                }
            }
            out.add(TlaValue.SetValue.of(subset));
        }
        return TlaValue.SetValue.of(out);
    }

    static TlaValue product(List<TlaValue> factors, String text) {
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

    static TlaValue functionSet(TlaValue domain, TlaValue range, String text) {
        if (!(domain instanceof TlaValue.SetValue d) || !(range instanceof TlaValue.SetValue r)) {
            return new TlaValue.Opaque(text);
        }
        double size = Math.pow(r.size(), d.size());
        if (size > TlaValueParser.EXPANSION_LIMIT) {
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

    static TlaValue recordSet(Map<String, TlaValue> fields, String text) {
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
