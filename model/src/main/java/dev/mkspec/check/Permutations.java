package dev.mkspec.check;

import java.util.ArrayList;
import java.util.List;

/** Permutations of model-value indices, for models that reduce by symmetry. */
public final class Permutations {
    private Permutations() {
    }

    /**
     * Every permutation of 0..n-1 that fixes 0..fixed-1 and is not the identity; perm[i] is the new
     * index of i.
     */
    public static List<int[]> nonIdentity(int n, int fixed) {
        List<int[]> out = new ArrayList<>();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        from(perm, fixed, out);
        out.remove(0);
        return out;
    }

    private static void from(int[] perm, int at, List<int[]> out) {
        if (at >= perm.length) {
            out.add(perm.clone());
            return;
        }
        for (int i = at; i < perm.length; i++) {
            int t = perm[at];
            perm[at] = perm[i];
            perm[i] = t;
            from(perm, at + 1, out);
            perm[i] = perm[at];
            perm[at] = t;
        }
    }
}
