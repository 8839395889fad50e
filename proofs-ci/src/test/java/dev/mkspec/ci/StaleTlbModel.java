package dev.mkspec.ci;

import dev.mkspec.check.Action;
import dev.mkspec.check.Fingerprint;
import dev.mkspec.check.Invariant;
import dev.mkspec.check.StateMachine;
import dev.mkspec.refinement.ModelBinding;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.TlaValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Java twin of the harness fixture {@code StaleTlb.tla}, used to test the explorer's path
 * through the check plan: it must reach the counts TLC reaches on the same cfg.
 */
final class StaleTlbModel implements StateMachine<StaleTlbModel.State> {
    /** {@code pt} and {@code tlb} hold a frame's name or "none". */
    record State(String pt, String tlb, TreeSet<String> free) {
    }

    private final List<String> frames;
    private final boolean skipInvalidate;

    StaleTlbModel(List<String> frames, boolean skipInvalidate) {
        this.frames = List.copyOf(frames);
        this.skipInvalidate = skipInvalidate;
    }

    static final ModelBinding<State> BINDING = new ModelBinding<>() {
        @Override
        public String name() {
            return "StaleTlb";
        }

        @Override
        public String description() {
            return "the harness fixture StaleTlb.tla";
        }

        @Override
        public StateMachine<State> fromConfig(CfgFile cfg) {
            List<String> frames = new ArrayList<>();
            for (TlaValue v : ((TlaValue.SetValue) cfg.constant("Frames")).elements()) {
                frames.add(((TlaValue.ModelValue) v).name());
            }
            return new StaleTlbModel(frames, ((TlaValue.Bool) cfg.constant("SkipInvalidate")).value());
        }
    };

    @Override
    public String name() {
        return "StaleTlb";
    }

    @Override
    public List<State> initialStates() {
        return List.of(new State("none", "none", new TreeSet<>()));
    }

    @Override
    public void successors(State s, Successors<State> out) {
        for (String f : frames) {
            if (s.pt().equals("none") && !s.free().contains(f)) {
                out.add(Action.of("KernelMap", f), new State(f, s.tlb(), s.free()));
            }
        }
        if (!s.pt().equals("none")) {
            out.add(Action.of("TlbFill"), new State(s.pt(), s.pt(), s.free()));
            TreeSet<String> free = new TreeSet<>(s.free());
            free.add(s.pt());
            out.add(Action.of("KernelUnmap"), new State("none", skipInvalidate ? s.tlb() : "none", free));
        }
    }

    @Override
    public List<Invariant<State>> invariants() {
        return List.of(new Invariant<>("TEST-1", "TypeOK", s -> true),
                new Invariant<>("TEST-2", "NoStaleTranslation", s -> s.tlb().equals("none") || !s.free().contains(s.tlb())));
    }

    @Override
    public long fingerprint(State s) {
        Fingerprint f = new Fingerprint().add(s.pt()).add(s.tlb()).add(s.free().size());
        s.free().forEach(f::add);
        return f.value();
    }

    @Override
    public Map<String, String> render(State s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pt", s.pt().equals("none") ? "\"none\"" : s.pt());
        m.put("tlb", s.tlb().equals("none") ? "\"none\"" : s.tlb());
        m.put("free", "{" + String.join(", ", s.free()) + "}");
        return m;
    }
}
