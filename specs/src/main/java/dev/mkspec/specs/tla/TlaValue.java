package dev.mkspec.specs.tla;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A TLA+ value as TLC prints it, and as mkspec's traces carry it.
 *
 * <p>Values are immutable and canonical: sets hold their elements sorted and without duplicates,
 * functions and records hold their entries sorted by key. Two values that are equal as Java
 * objects print the same. {@link #normalize()} goes one step further and applies TLA+'s own
 * equalities (a tuple is a function on {@code 1..n}, a record is a function on strings), so that
 * values from different tools compare by meaning: {@code a.normalize().equals(b.normalize())}.
 *
 * <p>The total order ({@link #compareTo}) ranks kinds first (booleans, integers, strings, model
 * values, sets, sequences, tuples, records, functions, opaque values), then contents. It is an
 * arbitrary but fixed order; TLC orders sets in its own way, which is why parsed values are
 * re-sorted.
 */
public sealed interface TlaValue extends Comparable<TlaValue>
        permits TlaValue.Bool, TlaValue.Int, TlaValue.Str, TlaValue.ModelValue, TlaValue.SetValue,
        TlaValue.Seq, TlaValue.Tuple, TlaValue.Record, TlaValue.Fun, TlaValue.Opaque {

    /** The value in TLA+ syntax, in the form TLC prints it, on one line. */
    String toTla();

    /**
     * This value with TLA+'s identities applied, for comparing values by meaning: tuples become
     * sequences, functions on {@code 1..n} become sequences, functions on strings become records,
     * and every empty function becomes the empty sequence.
     */
    TlaValue normalize();

    /** The kind's rank in the total order. */
    int rank();

    // ------------------------------------------------------------------------------------------
    // Factories

    static Bool bool(boolean b) {
        return b ? Bool.TRUE : Bool.FALSE;
    }

    static Int integer(long n) {
        return new Int(BigInteger.valueOf(n));
    }

    static Str str(String s) {
        return new Str(s);
    }

    static ModelValue model(String name) {
        return new ModelValue(name);
    }

    static SetValue set(TlaValue... elements) {
        return SetValue.of(List.of(elements));
    }

    static Seq seq(TlaValue... elements) {
        return new Seq(List.of(elements));
    }

    // ------------------------------------------------------------------------------------------
    // Kinds

    /** {@code TRUE} or {@code FALSE}. */
    record Bool(boolean value) implements TlaValue {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);

        @Override
        public String toTla() {
            return value ? "TRUE" : "FALSE";
        }

        @Override
        public TlaValue normalize() {
            return this;
        }

        @Override
        public int rank() {
            return 0;
        }

        @Override
        public int compareTo(TlaValue o) {
            return o instanceof Bool b ? Boolean.compare(value, b.value) : Integer.compare(rank(), o.rank());
        }

        @Override
        public String toString() {
            return toTla();
        }
    }

    /** An integer of any size. */
    record Int(BigInteger value) implements TlaValue {
        public Int {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toTla() {
            return value.toString();
        }

        @Override
        public TlaValue normalize() {
            return this;
        }

        @Override
        public int rank() {
            return 1;
        }

        @Override
        public int compareTo(TlaValue o) {
            return o instanceof Int i ? value.compareTo(i.value) : Integer.compare(rank(), o.rank());
        }

        @Override
        public String toString() {
            return toTla();
        }
    }

    /** A string. */
    record Str(String value) implements TlaValue {
        public Str {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toTla() {
            StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    case '\r' -> sb.append("\\r");
                    case '\f' -> sb.append("\\f");
                    default -> sb.append(c);
                }
            }
            return sb.append('"').toString();
        }

        @Override
        public TlaValue normalize() {
            return this;
        }

        @Override
        public int rank() {
            return 2;
        }

        @Override
        public int compareTo(TlaValue o) {
            return o instanceof Str s ? value.compareTo(s.value) : Integer.compare(rank(), o.rank());
        }

        @Override
        public String toString() {
            return toTla();
        }
    }

    /**
     * A model value (a TLC constant that equals only itself), or an Alloy atom such as
     * {@code Node$0}.
     */
    record ModelValue(String name) implements TlaValue {
        public ModelValue {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a model value needs a name");
            }
        }

        @Override
        public String toTla() {
            return name;
        }

        @Override
        public TlaValue normalize() {
            return this;
        }

        @Override
        public int rank() {
            return 3;
        }

        @Override
        public int compareTo(TlaValue o) {
            return o instanceof ModelValue m ? name.compareTo(m.name) : Integer.compare(rank(), o.rank());
        }

        @Override
        public String toString() {
            return toTla();
        }
    }

    /** A finite set; its elements are kept sorted and distinct. */
    record SetValue(List<TlaValue> elements) implements TlaValue {
        public SetValue {
            elements = List.copyOf(new TreeSet<>(elements));
        }

        public static SetValue of(Collection<? extends TlaValue> elements) {
            return new SetValue(new ArrayList<>(elements));
        }

        public int size() {
            return elements.size();
        }

        public boolean contains(TlaValue v) {
            return Collections.binarySearch(elements, v) >= 0;
        }

        @Override
        public String toTla() {
            return Printing.join("{", elements, "}");
        }

        @Override
        public TlaValue normalize() {
            List<TlaValue> out = new ArrayList<>(elements.size());
            for (TlaValue e : elements) {
                out.add(e.normalize());
            }
            return new SetValue(out);
        }

        @Override
        public int rank() {
            return 4;
        }

        @Override
        public int compareTo(TlaValue o) {
            return o instanceof SetValue s ? Printing.compareLists(elements, s.elements)
                    : Integer.compare(rank(), o.rank());
        }

        @Override
        public String toString() {
            return toTla();
        }
    }

    /** A sequence, printed {@code <<a, b>>}. TLC prints tuples the same way. */
    record Seq(List<TlaValue> elements) implements TlaValue {
        public Seq {
            elements = List.copyOf(elements);
        }

        @Override
        public String toTla() {
            return Printing.join("<<", elements, ">>");
        }

        @Override
        public TlaValue normalize() {
            List<TlaValue> out = new ArrayList<>(elements.size());
            for (TlaValue e : elements) {
                out.add(e.normalize());
            }
            return new Seq(out);
        }

        @Override
        public int rank() {
            return 5;
        }

        @Override
        public int compareTo(TlaValue o) {
            return o instanceof Seq s ? Printing.compareLists(elements, s.elements)
                    : Integer.compare(rank(), o.rank());
        }

        @Override
        public String toString() {
            return toTla();
        }
    }

    /**
     * A tuple of a relation, as Alloy has them. In TLA+ a tuple is a sequence, and
     * {@link #normalize()} makes it one; the distinction only lets the ITF writer use
     * {@code #tup}.
     */
    record Tuple(List<TlaValue> elements) implements TlaValue {
        public Tuple {
            elements = List.copyOf(elements);
        }

        @Override
        public String toTla() {
            return Printing.join("<<", elements, ">>");
        }

        @Override
        public TlaValue normalize() {
            return new Seq(elements).normalize();
        }

        @Override
        public int rank() {
            return 6;
        }

        @Override
        public int compareTo(TlaValue o) {
            return o instanceof Tuple t ? Printing.compareLists(elements, t.elements)
                    : Integer.compare(rank(), o.rank());
        }

        @Override
        public String toString() {
            return toTla();
        }
    }

    /** A record, printed {@code [f |-> v, g |-> w]}; fields are kept sorted by name. */
    record Record(Map<String, TlaValue> fields) implements TlaValue {
        public Record {
            fields = Collections.unmodifiableMap(new TreeMap<>(fields));
        }

        public TlaValue get(String field) {
            return fields.get(field);
        }

        @Override
        public String toTla() {
            if (fields.isEmpty()) {
                return "<<>>";
            }
            StringBuilder sb = new StringBuilder("[");
            Iterator<Map.Entry<String, TlaValue>> it = fields.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, TlaValue> e = it.next();
                sb.append(e.getKey()).append(" |-> ").append(e.getValue().toTla());
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            return sb.append(']').toString();
        }

        @Override
        public TlaValue normalize() {
            if (fields.isEmpty()) {
                return new Seq(List.of());
            }
            Map<String, TlaValue> out = new LinkedHashMap<>();
            fields.forEach((k, v) -> out.put(k, v.normalize()));
            return new Record(out);
        }

        @Override
        public int rank() {
            return 7;
        }

        @Override
        public int compareTo(TlaValue o) {
            if (!(o instanceof Record r)) {
                return Integer.compare(rank(), o.rank());
            }
            Iterator<Map.Entry<String, TlaValue>> a = fields.entrySet().iterator();
            Iterator<Map.Entry<String, TlaValue>> b = r.fields.entrySet().iterator();
            while (a.hasNext() && b.hasNext()) {
                Map.Entry<String, TlaValue> x = a.next();
                Map.Entry<String, TlaValue> y = b.next();
                int c = x.getKey().compareTo(y.getKey());
                if (c != 0) {
                    return c;
                }
                c = x.getValue().compareTo(y.getValue());
                if (c != 0) {
                    return c;
                }
            }
            return Boolean.compare(a.hasNext(), b.hasNext());
        }

        @Override
        public String toString() {
            return toTla();
        }
    }

    /**
     * A function with a finite domain, printed {@code (k1 :> v1 @@ k2 :> v2)}. Its entries are
     * kept sorted by key; a key occurs once.
     */
    record Fun(Map<TlaValue, TlaValue> entries) implements TlaValue {
        public Fun {
            entries = Collections.unmodifiableMap(new TreeMap<>(entries));
        }

        public TlaValue apply(TlaValue key) {
            return entries.get(key);
        }

        public SetValue domain() {
            return SetValue.of(entries.keySet());
        }

        @Override
        public String toTla() {
            if (entries.isEmpty()) {
                return "<<>>";
            }
            StringBuilder sb = new StringBuilder("(");
            Iterator<Map.Entry<TlaValue, TlaValue>> it = entries.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<TlaValue, TlaValue> e = it.next();
                sb.append(e.getKey().toTla()).append(" :> ").append(e.getValue().toTla());
                if (it.hasNext()) {
                    sb.append(" @@ ");
                }
            }
            return sb.append(')').toString();
        }

        @Override
        public TlaValue normalize() {
            if (entries.isEmpty()) {
                return new Seq(List.of());
            }
            boolean allStrings = true;
            boolean isSequence = true;
            int expected = 1;
            for (TlaValue k : entries.keySet()) {
                allStrings &= k instanceof Str;
                isSequence &= k instanceof Int i && i.value().equals(BigInteger.valueOf(expected));
                expected++;
            }
            if (isSequence) {
                List<TlaValue> out = new ArrayList<>();
                entries.values().forEach(v -> out.add(v.normalize()));
                return new Seq(out);
            }
            if (allStrings) {
                Map<String, TlaValue> out = new LinkedHashMap<>();
                entries.forEach((k, v) -> out.put(((Str) k).value(), v.normalize()));
                return new Record(out);
            }
            Map<TlaValue, TlaValue> out = new LinkedHashMap<>();
            entries.forEach((k, v) -> out.put(k.normalize(), v.normalize()));
            return new Fun(out);
        }

        @Override
        public int rank() {
            return 8;
        }

        @Override
        public int compareTo(TlaValue o) {
            if (!(o instanceof Fun f)) {
                return Integer.compare(rank(), o.rank());
            }
            Iterator<Map.Entry<TlaValue, TlaValue>> a = entries.entrySet().iterator();
            Iterator<Map.Entry<TlaValue, TlaValue>> b = f.entries.entrySet().iterator();
            while (a.hasNext() && b.hasNext()) {
                Map.Entry<TlaValue, TlaValue> x = a.next();
                Map.Entry<TlaValue, TlaValue> y = b.next();
                int c = x.getKey().compareTo(y.getKey());
                if (c != 0) {
                    return c;
                }
                c = x.getValue().compareTo(y.getValue());
                if (c != 0) {
                    return c;
                }
            }
            return Boolean.compare(a.hasNext(), b.hasNext());
        }

        @Override
        public String toString() {
            return toTla();
        }
    }

    /**
     * A value that cannot be enumerated, such as {@code Nat} or a set too large to expand. It is
     * kept as the text TLC printed and compares by that text.
     */
    record Opaque(String text) implements TlaValue {
        public Opaque {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toTla() {
            return text;
        }

        @Override
        public TlaValue normalize() {
            return this;
        }

        @Override
        public int rank() {
            return 9;
        }

        @Override
        public int compareTo(TlaValue o) {
            return o instanceof Opaque x ? text.compareTo(x.text) : Integer.compare(rank(), o.rank());
        }

        @Override
        public String toString() {
            return toTla();
        }
    }
}
