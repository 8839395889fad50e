package dev.mkspec.kernel.bench;

import dev.mkspec.hw.CacheModel;
import dev.mkspec.hw.Primitive;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One what-if switch: a change to the kernel a row is measured on, written as {@code NAME=VALUE}
 * so that users, {@code published.json} and the provenance of {@code --compare} name switches the
 * same way. Re-running a row under a switch is how a share of a total is measured rather than
 * argued:
 * <ul>
 *   <li>{@code cache=as-profile|full|direct|ideal}: the caches ({@link CacheModel});
 *   <li>{@code PRIMITIVE=CYCLES}, e.g. {@code movCr3=0}: one primitive of the profile re-priced;
 *   <li>{@code design=KEY}: another design on the same profile, with that design's defaults (its fast
 *       path included; a {@code fastpath=} switch after it changes that), for the mechanisms
 *       {@code published.json} says a row's design lacks;
 *   <li>{@code fastpath=on|off}: L4's IPC fast path, or Mach's RPC fast path (off: the general message
 *       path, counted for CMU Mach 3.0, the {@code mach} design, only);
 *   <li>{@code dualissue=off}: no instruction pairing at all (the Pentium's V pipe idle), where
 *       {@code pairing=0} removes only the assumed share of the paths that declare no pair count;
 *   <li>{@code multiclock=off}: every instruction of a path priced by its class, as before the
 *       paths declared their multi-clock instructions, prefix clocks and address-generation
 *       interlocks ({@link dev.mkspec.kernel.MultiClock}): how much of a row those are;
 *   <li>{@code capdecode=on|off}: the IPC fast path also does what seL4's does to name its partner
 *       by capability ({@link dev.mkspec.kernel.Path#SEL4_CALL_CAPS}), for rows compared with seL4
 *       (64-bit profiles only);
 *   <li>{@code l4=pistachio|liedtke96|liedtke97}: which L4 kernel's code an L4 design is priced by
 *       ({@link dev.mkspec.kernel.L4Kernel}; by default the one measured on the profile: Liedtke's
 *       1997 kernel on the pentium profile, his 1996 kernel on the i486, Pistachio's paths elsewhere).
 * </ul>
 *
 * @param spec the switch as written
 * @param change what it does to a row's configuration
 */
public record WhatIf(String spec, UnaryOperator<KernelConfig> change) {
    /** The keys a switch may name besides a primitive's. */
    public static final List<String> NAMES = List.of("cache", "design", "fastpath", "capdecode", "dualissue", "multiclock",
            "l4");

    /**
     * Parses {@code NAME=VALUE}.
     *
     * @throws IllegalArgumentException saying what is wrong and what is allowed
     */
    public static WhatIf parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("a what-if switch is NAME=VALUE (cache=full, movCr3=0, design=l4-small, "
                    + "fastpath=off, capdecode=on), not '" + spec + "'");
        }
        String name = spec.substring(0, eq).trim();
        String value = spec.substring(eq + 1).trim();
        switch (name) {
            case "cache" -> {
                CacheModel m = CacheModel.byKey(value);
                return new WhatIf(spec, c -> c.withProfile(m.apply(c.profile())));
            }
            case "design" -> {
                KernelDesign d = KernelDesign.byKey(value);
                return new WhatIf(spec, c -> new KernelConfig(c.profile(), d, c.mitigations(), c.usePcid(), d.fastPath(),
                        c.bug(), c.cpus(), c.nodePool(), c.capDecode(), c.l4Kernel()));
            }
            case "fastpath" -> {
                if (!value.equals("on") && !value.equals("off")) {
                    throw new IllegalArgumentException("fastpath=on or fastpath=off, not '" + spec + "'");
                }
                return new WhatIf(spec, c -> c.withFastPath(value.equals("on")));
            }
            case "dualissue" -> {
                if (!value.equals("off")) {
                    throw new IllegalArgumentException("dualissue=off is the only value (a profile pairs instructions "
                            + "when it prices 'pairing'), not '" + spec + "'");
                }
                return new WhatIf(spec, c -> c.withProfile(c.profile().withoutPairing()));
            }
            case "multiclock" -> {
                if (!value.equals("off")) {
                    throw new IllegalArgumentException("multiclock=off is the only value (a profile prices an instruction "
                            + "apart from its class when it gives the instruction's primitive), not '" + spec + "'");
                }
                List<Primitive> prices = new ArrayList<>();
                for (dev.mkspec.kernel.MultiClock k : dev.mkspec.kernel.MultiClock.values()) {
                    prices.add(k.primitive());
                }
                return new WhatIf(spec, c -> c.withProfile(c.profile().without(prices)));
            }
            case "l4" -> {
                dev.mkspec.kernel.L4Kernel k = dev.mkspec.kernel.L4Kernel.byKey(value);
                return new WhatIf(spec, c -> c.withL4Kernel(k));
            }
            case "capdecode" -> {
                if (!value.equals("on") && !value.equals("off")) {
                    throw new IllegalArgumentException("capdecode=on or capdecode=off, not '" + spec + "'");
                }
                return new WhatIf(spec, c -> c.withCapDecode(value.equals("on")));
            }
            default -> {
                Primitive p = Primitive.byKey(name);
                if (p == null) {
                    throw new IllegalArgumentException("'" + name + "' in the what-if switch '" + spec + "' is neither "
                            + String.join(", ", NAMES) + " nor a primitive (" + primitiveKeys() + ")");
                }
                double cycles;
                try {
                    cycles = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("the what-if switch '" + spec + "' prices " + name
                            + " at '" + value + "', which is not a number of cycles");
                }
                if (!(cycles >= 0) || Double.isInfinite(cycles)) {
                    throw new IllegalArgumentException("the what-if switch '" + spec + "' needs a finite number of cycles >= 0");
                }
                if (p == Primitive.PAIRING && cycles > 0.5) {
                    throw new IllegalArgumentException("the what-if switch '" + spec + "': pairing is the share of simple "
                            + "instructions issued beside another, at most 0.5");
                }
                if (p == Primitive.PAIRING) {
                    // A share of V-pipe instructions means nothing on a CPU that does not pair: the
                    // profiles without one stay as they are.
                    return new WhatIf(spec, c -> c.profile().prices(p) ? c.withProfile(c.profile().with(p, cycles)) : c);
                }
                return new WhatIf(spec, c -> c.withProfile(c.profile().with(p, cycles)));
            }
        }
    }

    /**
     * Each row re-measured under this switch, in the order of {@code rows} (null for a row the
     * switch makes impossible, e.g. {@code design=l4-small} on a 64-bit profile). Rows of one
     * configuration and workload are re-run together, once.
     */
    public List<BenchRow> rerun(List<BenchRow> rows) {
        Map<KernelConfig, Map<String, Map<String, BenchRow>>> runs = new IdentityHashMap<>();
        List<BenchRow> out = new ArrayList<>();
        for (BenchRow r : rows) {
            Map<String, BenchRow> got = runs.computeIfAbsent(r.config(), x -> new HashMap<>()).computeIfAbsent(r.workload(), w -> {
                Map<String, BenchRow> m = new LinkedHashMap<>();
                KernelConfig c;
                try {
                    c = change.apply(r.config());
                } catch (IllegalArgumentException impossible) {
                    return m;
                }
                for (BenchRow x : CycleBench.run(c, Workload.byKey(r.workload()))) {
                    m.put(x.variant() + (x.mitigations() ? "/kpti" : ""), x);
                }
                return m;
            });
            out.add(got.get(r.variant() + (r.mitigations() ? "/kpti" : "")));
        }
        return out;
    }

    /** One row re-measured, or null when the switch makes it impossible. */
    public BenchRow rerun(BenchRow row) {
        return rerun(List.of(row)).get(0);
    }

    private static String primitiveKeys() {
        List<String> k = new ArrayList<>();
        for (Primitive p : Primitive.values()) {
            k.add(p.key());
        }
        return String.join(", ", k);
    }
}
