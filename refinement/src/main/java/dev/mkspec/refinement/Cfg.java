package dev.mkspec.refinement;

import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.TlaValue;

/** Reads constants of particular kinds from a cfg, with messages that name the file and constant. */
final class Cfg {
    private Cfg() {
    }

    private static String where(CfgFile cfg) {
        return cfg.path() == null ? "the cfg" : cfg.path().toString();
    }

    static int integer(CfgFile cfg, String name) {
        if (cfg.constant(name) instanceof TlaValue.Int i) {
            return i.value().intValueExact();
        }
        throw new IllegalArgumentException(where(cfg) + ": " + name + " must be a number, not " + cfg.constant(name));
    }

    static String string(CfgFile cfg, String name) {
        if (cfg.constant(name) instanceof TlaValue.Str s) {
            return s.value();
        }
        throw new IllegalArgumentException(where(cfg) + ": " + name + " must be a string, not " + cfg.constant(name));
    }

    static TlaValue.SetValue set(CfgFile cfg, String name) {
        if (cfg.constant(name) instanceof TlaValue.SetValue s) {
            return s;
        }
        throw new IllegalArgumentException(where(cfg) + ": " + name + " must be a set, not " + cfg.constant(name));
    }

    static String modelValueName(TlaValue v, String constant, String where) {
        if (v instanceof TlaValue.ModelValue m) {
            return m.name();
        }
        throw new IllegalArgumentException(where + ": " + constant + " must be a model value (Name = Name), not " + v);
    }
}
