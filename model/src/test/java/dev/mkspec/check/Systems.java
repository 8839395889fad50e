package dev.mkspec.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Small state machines whose reachable state spaces are known without running the explorer. */
final class Systems {
    private Systems() {
    }

    /** {@code n} counters, each from 0 to {@code k - 1}, incremented one at a time. */
    static StateMachine<List<Integer>> counters(int n, int k, List<Invariant<List<Integer>>> invariants) {
        return new StateMachine<>() {
            @Override
            public String name() {
                return "Counters";
            }

            @Override
            public List<List<Integer>> initialStates() {
                return List.of(java.util.Collections.nCopies(n, 0));
            }

            @Override
            public void successors(List<Integer> s, Successors<List<Integer>> out) {
                for (int i = 0; i < n; i++) {
                    if (s.get(i) < k - 1) {
                        List<Integer> t = new ArrayList<>(s);
                        t.set(i, s.get(i) + 1);
                        out.add(Action.of("Inc", i), List.copyOf(t));
                    }
                }
            }

            @Override
            public List<Invariant<List<Integer>>> invariants() {
                return invariants;
            }

            @Override
            public long fingerprint(List<Integer> s) {
                Fingerprint f = new Fingerprint();
                s.forEach(f::add);
                return f.value();
            }

            @Override
            public Map<String, String> render(List<Integer> s) {
                return Map.of("c", "<<" + String.join(", ", s.stream().map(String::valueOf).toList()) + ">>");
            }
        };
    }

    /** The permutations of {@code 0..n-1}, reached by swapping neighbours. */
    static StateMachine<List<Integer>> permutations(int n) {
        return new StateMachine<>() {
            @Override
            public String name() {
                return "Permutations";
            }

            @Override
            public List<List<Integer>> initialStates() {
                List<Integer> id = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    id.add(i);
                }
                return List.of(List.copyOf(id));
            }

            @Override
            public void successors(List<Integer> s, Successors<List<Integer>> out) {
                for (int i = 0; i + 1 < n; i++) {
                    List<Integer> t = new ArrayList<>(s);
                    t.set(i, s.get(i + 1));
                    t.set(i + 1, s.get(i));
                    out.add(Action.of("Swap", i), List.copyOf(t));
                }
            }

            @Override
            public List<Invariant<List<Integer>>> invariants() {
                return List.of();
            }

            @Override
            public long fingerprint(List<Integer> s) {
                Fingerprint f = new Fingerprint();
                s.forEach(f::add);
                return f.value();
            }
        };
    }

    /** Towers of Hanoi with {@code discs} discs; a state gives each disc's peg, smallest first. */
    static StateMachine<int[]> hanoi(int discs) {
        return new StateMachine<>() {
            @Override
            public String name() {
                return "Hanoi";
            }

            @Override
            public List<int[]> initialStates() {
                return List.<int[]>of(new int[discs]);
            }

            @Override
            public void successors(int[] s, Successors<int[]> out) {
                for (int from = 0; from < 3; from++) {
                    int top = top(s, from);
                    if (top < 0) {
                        continue;
                    }
                    for (int to = 0; to < 3; to++) {
                        int other = top(s, to);
                        if (to != from && (other < 0 || other > top)) {
                            int[] t = s.clone();
                            t[top] = to;
                            out.add(Action.of("Move", from, to), t);
                        }
                    }
                }
            }

            private int top(int[] s, int peg) {
                for (int d = 0; d < s.length; d++) {
                    if (s[d] == peg) {
                        return d;
                    }
                }
                return -1;
            }

            @Override
            public List<Invariant<int[]>> invariants() {
                return List.of();
            }

            @Override
            public long fingerprint(int[] s) {
                Fingerprint f = new Fingerprint();
                for (int p : s) {
                    f.add(p);
                }
                return f.value();
            }

            @Override
            public Map<String, String> render(int[] s) {
                return Map.of("pegs", Arrays.toString(s));
            }
        };
    }

    /** Two jugs of 5 and 3 litres, filled, emptied and poured into each other. */
    static StateMachine<int[]> jugs(Predicate<int[]> invariant) {
        return new StateMachine<>() {
            @Override
            public String name() {
                return "Jugs";
            }

            @Override
            public List<int[]> initialStates() {
                return List.<int[]>of(new int[] {0, 0});
            }

            @Override
            public void successors(int[] s, Successors<int[]> out) {
                int big = s[0];
                int small = s[1];
                out.add(Action.of("FillBig"), new int[] {5, small});
                out.add(Action.of("FillSmall"), new int[] {big, 3});
                out.add(Action.of("EmptyBig"), new int[] {0, small});
                out.add(Action.of("EmptySmall"), new int[] {big, 0});
                int toSmall = Math.min(big, 3 - small);
                out.add(Action.of("BigToSmall"), new int[] {big - toSmall, small + toSmall});
                int toBig = Math.min(small, 5 - big);
                out.add(Action.of("SmallToBig"), new int[] {big + toBig, small - toBig});
            }

            @Override
            public List<Invariant<int[]>> invariants() {
                return List.of(new Invariant<>("TEST-1", "NotFour", invariant));
            }

            @Override
            public long fingerprint(int[] s) {
                return new Fingerprint().add(s[0]).add(s[1]).value();
            }
        };
    }

    /** A counter that never stops, carrying {@code ballast} longs per state to use up memory. */
    static StateMachine<long[]> unbounded(int ballast) {
        return new StateMachine<>() {
            @Override
            public String name() {
                return "Unbounded";
            }

            @Override
            public List<long[]> initialStates() {
                return List.<long[]>of(new long[ballast + 1]);
            }

            @Override
            public void successors(long[] s, Successors<long[]> out) {
                for (int i = 1; i <= 3; i++) {
                    long[] t = s.clone();
                    t[0] = s[0] * 3 + i;
                    out.add(Action.of("Step", i), t);
                }
            }

            @Override
            public List<Invariant<long[]>> invariants() {
                return List.of();
            }

            @Override
            public long fingerprint(long[] s) {
                return new Fingerprint().add(s[0]).value();
            }
        };
    }
}
