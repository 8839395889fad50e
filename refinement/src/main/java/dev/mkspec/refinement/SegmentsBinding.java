package dev.mkspec.refinement;

import dev.mkspec.check.StateMachine;
import dev.mkspec.model.segments.SegmentsBug;
import dev.mkspec.model.segments.SegmentsConstants;
import dev.mkspec.model.segments.SegmentsConstants.FirstGrant;
import dev.mkspec.model.segments.SegmentsConstants.Op;
import dev.mkspec.model.segments.SegmentsModel;
import dev.mkspec.model.segments.SegmentsState;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.TlaValue;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the segment-table model from a {@code Segments} cfg: Domains, Threads, Regs, NSlots, NSels,
 * NSegs, Rights, Ops, MaxDepth, Hostile, Budget, Server, NReq, NoDomain, NoThread and Bug as
 * constants; Home, FirstOwner and FirstGrants given either as constants or, as the repository's
 * cfgs do, by substitution ({@code Home <- HomeCS}) of a definition of the folder's
 * {@code MCSegments.tla} written as TLC prints a value. The cfg's temporal properties (SEG-7,
 * SEG-8) stay with TLC.
 */
public final class SegmentsBinding implements ModelBinding<SegmentsState> {
    @Override
    public String name() {
        return "Segments";
    }

    @Override
    public String description() {
        return "segment tables, the VST scheme: Gst, Vsts, registers, far call, grant and revocation (specs/tla/Segments)";
    }

    @Override
    public StateMachine<SegmentsState> fromConfig(CfgFile cfg) {
        return new SegmentsModel(constants(cfg));
    }

    /** The model's constants from the cfg. */
    public static SegmentsConstants constants(CfgFile cfg) {
        String where = cfg.path() == null ? "the cfg" : cfg.path().toString();
        try {
            List<String> domains = Cfg.modelValues(cfg, "Domains");
            List<String> threads = Cfg.modelValues(cfg, "Threads");
            TlaValue home = valueOf(cfg, "Home");
            int[] homes = new int[threads.size()];
            for (int t = 0; t < threads.size(); t++) {
                homes[t] = index(domains, name(apply(home, new TlaValue.ModelValue(threads.get(t)), "Home")), "Home");
            }
            int slots = Cfg.integer(cfg, "NSlots");
            TlaValue owners = valueOf(cfg, "FirstOwner");
            int[] firstOwner = new int[slots];
            for (int i = 1; i <= slots; i++) {
                firstOwner[i - 1] = index(domains, name(apply(owners, new TlaValue.Int(java.math.BigInteger.valueOf(i)), "FirstOwner")), "FirstOwner");
            }
            List<FirstGrant> grants = new ArrayList<>();
            if (!(valueOf(cfg, "FirstGrants") instanceof TlaValue.SetValue set)) {
                throw new IllegalArgumentException("FirstGrants must be a set of records [d, s, slot, rights]");
            }
            for (TlaValue g : set.elements()) {
                if (!(g instanceof TlaValue.Record r)) {
                    throw new IllegalArgumentException("FirstGrants must be a set of records [d, s, slot, rights], not " + g);
                }
                Map<String, TlaValue> f = r.fields();
                grants.add(new FirstGrant(index(domains, name(f.get("d")), "FirstGrants"), number(f.get("s")),
                        number(f.get("slot")), rights(f.get("rights"))));
            }
            int rights = 0;
            for (String x : Cfg.strings(cfg, "Rights")) {
                rights |= SegmentsConstants.right(x);
            }
            Set<Op> ops = EnumSet.noneOf(Op.class);
            for (String x : Cfg.strings(cfg, "Ops")) {
                ops.add(Op.fromSpecName(x));
            }
            int hostile = 0;
            for (String d : Cfg.modelValues(cfg, "Hostile")) {
                hostile |= 1 << index(domains, d, "Hostile");
            }
            String noThread = Cfg.modelValueName(cfg.constant("NoThread"), "NoThread", where);
            String server = Cfg.modelValueName(cfg.constant("Server"), "Server", where);
            int serverIndex = server.equals(noThread) ? -1 : index(threads, server, "Server");
            return new SegmentsConstants(domains, threads, homes, Cfg.strings(cfg, "Regs"), slots, firstOwner, grants,
                    Cfg.integer(cfg, "NSels"), Cfg.integer(cfg, "NSegs"), rights, ops, Cfg.integer(cfg, "MaxDepth"),
                    hostile, Cfg.integer(cfg, "Budget"), serverIndex, Cfg.integer(cfg, "NReq"),
                    Cfg.modelValueName(cfg.constant("NoDomain"), "NoDomain", where), noThread,
                    SegmentsBug.fromSpecName(Cfg.string(cfg, "Bug")));
        } catch (IllegalArgumentException e) {
            throw Cfg.located(where, e);
        }
    }

    static TlaValue valueOf(CfgFile cfg, String name) {
        return Cfg.valueOrDefinition(cfg, name, "MCSegments.tla");
    }

    private static TlaValue apply(TlaValue f, TlaValue arg, String constant) {
        TlaValue v = null;
        List<TlaValue> positional = f instanceof TlaValue.Seq seq ? seq.elements()
                : f instanceof TlaValue.Tuple tup ? tup.elements() : null;
        if (f instanceof TlaValue.Fun fun) {
            v = fun.entries().get(arg);
        } else if (positional != null && arg instanceof TlaValue.Int i && i.value().intValue() >= 1
                && i.value().intValue() <= positional.size()) {
            v = positional.get(i.value().intValue() - 1);
        }
        if (v == null) {
            throw new IllegalArgumentException(constant + " gives no value for " + arg + " (it is " + f + ")");
        }
        return v;
    }

    private static String name(TlaValue v) {
        if (v instanceof TlaValue.ModelValue m) {
            return m.name();
        }
        throw new IllegalArgumentException("expected a domain (a model value), not " + v);
    }

    private static int index(List<String> names, String name, String constant) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(constant + " names " + name + ", which is not one of " + names);
        }
        return i;
    }

    private static int number(TlaValue v) {
        if (v instanceof TlaValue.Int i) {
            return i.value().intValueExact();
        }
        throw new IllegalArgumentException("expected a number, not " + v);
    }

    private static int rights(TlaValue v) {
        if (!(v instanceof TlaValue.SetValue s)) {
            throw new IllegalArgumentException("expected a set of rights, not " + v);
        }
        int mask = 0;
        for (TlaValue x : s.elements()) {
            if (!(x instanceof TlaValue.Str str)) {
                throw new IllegalArgumentException("expected a set of rights (strings), not " + v);
            }
            mask |= SegmentsConstants.right(str.value());
        }
        return mask;
    }
}
