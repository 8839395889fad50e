package dev.mkspec.specs.tla;

import java.util.List;

/** Helpers shared by the value kinds. */
final class Printing {
    private Printing() {
    }

    static String join(String open, List<TlaValue> elements, String close) {
        StringBuilder sb = new StringBuilder(open);
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(elements.get(i).toTla());
        }
        return sb.append(close).toString();
    }

    static int compareLists(List<TlaValue> a, List<TlaValue> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
