package dev.mkspec.ci.bench;

import dev.mkspec.check.Action;
import dev.mkspec.check.Fingerprint;
import dev.mkspec.check.Invariant;
import dev.mkspec.check.StateCodec;
import dev.mkspec.check.StateMachine;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A synthetic system for measuring the explorer: {@code n} counters modulo {@code k}, each of
 * which may be incremented, and two neighbours of which may be swapped. Every assignment of
 * counter values is reachable, so it has exactly {@code k^n} states, each with {@code 2n - 1}
 * successors; one invariant is checked in every state. A state is an {@code int[]}; the cost per
 * state is dominated by the explorer's own work (hashing, the fingerprint table, the queues).
 */
public final class SyntheticCounters implements StateMachine<int[]> {
    private final int n;
    private final int k;

    public SyntheticCounters(int n, int k) {
        if (n < 1 || k < 2) {
            throw new IllegalArgumentException("need at least 1 counter and a range of at least 2, not " + n
                    + " counters modulo " + k);
        }
        if (states(n, k) < 0) {
            throw new IllegalArgumentException(k + "^" + n + " states is more than 2^63; choose fewer counters "
                    + "or a smaller range");
        }
        this.n = n;
        this.k = k;
    }

    /** {@code k^n}, or -1 if it does not fit in a long. */
    public static long states(int n, int k) {
        long s = 1;
        try {
            for (int i = 0; i < n; i++) {
                s = Math.multiplyExact(s, k);
            }
        } catch (ArithmeticException e) {
            return -1;
        }
        return s;
    }

    /** The number of reachable states, {@code k^n}. */
    public long expectedStates() {
        return states(n, k);
    }

    @Override
    public String name() {
        return "SyntheticCounters(" + n + "," + k + ")";
    }

    @Override
    public List<int[]> initialStates() {
        return List.<int[]>of(new int[n]);
    }

    @Override
    public void successors(int[] s, Successors<int[]> out) {
        for (int i = 0; i < n; i++) {
            int[] t = s.clone();
            t[i] = (s[i] + 1) % k;
            out.add(new Action("Inc", List.of(Integer.toString(i))), t);
        }
        for (int i = 0; i + 1 < n; i++) {
            int[] t = s.clone();
            t[i] = s[i + 1];
            t[i + 1] = s[i];
            out.add(new Action("Swap", List.of(Integer.toString(i))), t);
        }
    }

    /** Each counter in one byte when the range allows (up to 256), else in an int. */
    @Override
    public java.util.Optional<StateCodec<int[]>> codec() {
        return java.util.Optional.of(new StateCodec<>() {
            @Override
            public void write(int[] s, java.io.DataOutput out) throws java.io.IOException {
                for (int x : s) {
                    if (k <= 256) {
                        out.writeByte(x);
                    } else {
                        out.writeInt(x);
                    }
                }
            }

            @Override
            public int[] read(java.io.DataInput in) throws java.io.IOException {
                int[] s = new int[n];
                for (int i = 0; i < n; i++) {
                    s[i] = k <= 256 ? in.readUnsignedByte() : in.readInt();
                }
                return s;
            }
        });
    }

    @Override
    public List<Invariant<int[]>> invariants() {
        return List.of(new Invariant<>("BENCH-1", "InRange", s -> {
            for (int v : s) {
                if (v < 0 || v >= k) {
                    return false;
                }
            }
            return true;
        }));
    }

    @Override
    public long fingerprint(int[] s) {
        Fingerprint f = new Fingerprint();
        for (int v : s) {
            f.add(v);
        }
        return f.value();
    }

    @Override
    public Map<String, String> render(int[] s) {
        return Map.of("c", Arrays.toString(s).replace('[', '<').replace(']', '>'));
    }
}
