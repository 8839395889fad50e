package dev.mkspec.refinement;

import dev.mkspec.check.StateMachine;
import dev.mkspec.model.smallspaces.SmallSpacesBug;
import dev.mkspec.model.smallspaces.SmallSpacesConstants;
import dev.mkspec.model.smallspaces.SmallSpacesModel;
import dev.mkspec.model.smallspaces.SmallSpacesState;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.TlaValue;
import java.math.BigInteger;
import java.util.List;

/**
 * Builds the small-space model from a {@code SmallSpaces} cfg: Large, Small, Cpus, NPages and Bug as
 * constants; Base, Size and FirstRun given either as constants or, as the repository's cfgs do, by
 * substitution ({@code Base <- Base2}) of a definition of the folder's {@code MCSmallSpaces.tla}
 * written as TLC prints a value.
 */
public final class SmallSpacesBinding implements ModelBinding<SmallSpacesState> {
    @Override
    public String name() {
        return "SmallSpaces";
    }

    @Override
    public String description() {
        return "L4's small address spaces on x86-32: segment limits, shared region, TLB kept across switches (specs/tla/SmallSpaces)";
    }

    @Override
    public StateMachine<SmallSpacesState> fromConfig(CfgFile cfg) {
        return new SmallSpacesModel(constants(cfg));
    }

    /** The model's constants from the cfg. */
    public static SmallSpacesConstants constants(CfgFile cfg) {
        String where = cfg.path() == null ? "the cfg" : cfg.path().toString();
        try {
            List<String> large = Cfg.modelValues(cfg, "Large");
            List<String> small = Cfg.modelValues(cfg, "Small");
            List<String> cpus = Cfg.modelValues(cfg, "Cpus");
            TlaValue base = Cfg.valueOrDefinition(cfg, "Base", "MCSmallSpaces.tla");
            TlaValue size = Cfg.valueOrDefinition(cfg, "Size", "MCSmallSpaces.tla");
            TlaValue run = Cfg.valueOrDefinition(cfg, "FirstRun", "MCSmallSpaces.tla");
            int[] bases = new int[small.size()];
            int[] sizes = new int[small.size()];
            for (int i = 0; i < small.size(); i++) {
                bases[i] = number(apply(base, small.get(i), "Base"), "Base");
                sizes[i] = number(apply(size, small.get(i), "Size"), "Size");
            }
            int[] firstRun = new int[cpus.size()];
            for (int c = 0; c < cpus.size(); c++) {
                TlaValue v = apply(run, cpus.get(c), "FirstRun");
                if (!(v instanceof TlaValue.ModelValue m) || !large.contains(m.name())) {
                    throw new IllegalArgumentException("FirstRun must give each CPU one of Large " + large + ", not " + v);
                }
                firstRun[c] = large.indexOf(m.name());
            }
            return new SmallSpacesConstants(large, small, cpus, Cfg.integer(cfg, "NPages"), bases, sizes, firstRun,
                    SmallSpacesBug.fromSpecName(Cfg.string(cfg, "Bug")));
        } catch (IllegalArgumentException e) {
            throw Cfg.located(where, e);
        }
    }

    private static TlaValue apply(TlaValue f, String arg, String constant) {
        TlaValue v = f instanceof TlaValue.Fun fun ? fun.entries().get(new TlaValue.ModelValue(arg)) : null;
        if (v == null) {
            throw new IllegalArgumentException(constant + " must be a function giving a value for " + arg + ", not " + f);
        }
        return v;
    }

    private static int number(TlaValue v, String constant) {
        if (v instanceof TlaValue.Int i && i.value().compareTo(BigInteger.valueOf(1000)) < 0
                && i.value().signum() >= 0) {
            return i.value().intValue();
        }
        throw new IllegalArgumentException(constant + " must give small natural numbers, not " + v);
    }
}
