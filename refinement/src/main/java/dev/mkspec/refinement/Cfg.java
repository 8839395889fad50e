package dev.mkspec.refinement;

import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tla.TlaValueParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads constants of particular kinds from a cfg, with messages that name the file and constant. */
final class Cfg {
    private Cfg() {
    }

    /** {@code e} with its message prefixed by the cfg's name, unless it already starts with it. */
    static IllegalArgumentException located(String where, IllegalArgumentException e) {
        String m = String.valueOf(e.getMessage());
        return m.startsWith(where) ? e : new IllegalArgumentException(where + ": " + m, e);
    }

    private static String where(CfgFile cfg) {
        return cfg.path() == null ? "the cfg" : cfg.path().toString();
    }

    static int integer(CfgFile cfg, String name) {
        if (cfg.constant(name) instanceof TlaValue.Int i) {
            return small(cfg, name, i);
        }
        throw new IllegalArgumentException(where(cfg) + ": " + name + " must be a number, not " + cfg.constant(name));
    }

    /**
     * A number that a Java model can hold. The cfg parser reads integers of any size, as TLC
     * does; the models count in ints.
     */
    private static int small(CfgFile cfg, String name, TlaValue.Int i) {
        if (i.value().bitLength() > 31) {
            throw new IllegalArgumentException(where(cfg) + cfg.lineOf(name).map(l -> ":" + l).orElse("") + ": " + name
                    + " = " + i.value() + " is too large for the Java models, which count up to " + Integer.MAX_VALUE);
        }
        return i.value().intValue();
    }

    static String string(CfgFile cfg, String name) {
        if (cfg.constant(name) instanceof TlaValue.Str s) {
            return s.value();
        }
        throw new IllegalArgumentException(where(cfg) + ": " + name + " must be a string, not " + cfg.constant(name));
    }

    static boolean bool(CfgFile cfg, String name) {
        if (cfg.constant(name) instanceof TlaValue.Bool b) {
            return b.value();
        }
        throw new IllegalArgumentException(where(cfg) + ": " + name + " must be TRUE or FALSE, not " + cfg.constant(name));
    }

    /** The names of a set of model values, in the cfg's order. */
    static java.util.List<String> modelValues(CfgFile cfg, String name) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (TlaValue v : set(cfg, name).elements()) {
            out.add(modelValueName(v, name, where(cfg)));
        }
        return out;
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

    /** The members of a set of strings, in the cfg's order. */
    static java.util.List<String> strings(CfgFile cfg, String name) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (TlaValue v : set(cfg, name).elements()) {
            if (!(v instanceof TlaValue.Str s)) {
                throw new IllegalArgumentException(where(cfg) + ": " + name + " must be a set of strings, not "
                        + cfg.constant(name));
            }
            out.add(s.value());
        }
        return out;
    }

    /** The members of a set of numbers, in increasing order. */
    static java.util.List<Integer> integers(CfgFile cfg, String name) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (TlaValue v : set(cfg, name).elements()) {
            if (!(v instanceof TlaValue.Int i)) {
                throw new IllegalArgumentException(where(cfg) + ": " + name + " must be a set of numbers, not "
                        + cfg.constant(name));
            }
            out.add(small(cfg, name, i));
        }
        java.util.Collections.sort(out);
        return out;
    }

    /**
     * The value of a constant: assigned in the cfg, or substituted by a definition of the
     * folder's root module {@code rootModule}, such as {@code MCSegments.tla} (its right-hand side must be a value in TLC's syntax).
     */
    static TlaValue valueOrDefinition(CfgFile cfg, String name, String rootModule) {
        String op = cfg.substitutions().get(name);
        if (op == null) {
            return cfg.constant(name);
        }
        if (cfg.path() == null) {
            throw new IllegalArgumentException(name + " <- " + op + ": the cfg has no folder to find " + rootModule + " in");
        }
        Path mc = cfg.path().toAbsolutePath().getParent().resolve(rootModule);
        String text;
        try {
            text = Files.readString(mc);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + " <- " + op + ": cannot read " + mc + " (" + e.getMessage() + ")");
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(op) + "\\s*==\\s*").matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException(name + " <- " + op + ": " + mc + " defines no " + op);
        }
        // The definition runs to the next line that starts a comment, a definition or the end.
        int end = text.length();
        Matcher next = Pattern.compile("(?m)^(\\\\\\*|\\S+\\s*==|====)").matcher(text);
        if (next.find(m.end())) {
            end = next.start();
        }
        try {
            return TlaValueParser.parse(text.substring(m.end(), end).trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " <- " + op + ": the definition in " + mc
                    + " must be a value as TLC prints one (" + e.getMessage() + ")");
        }
    }
}
