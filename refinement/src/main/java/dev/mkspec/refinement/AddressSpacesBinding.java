package dev.mkspec.refinement;

import dev.mkspec.check.StateMachine;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import dev.mkspec.model.addressspaces.AddressSpacesModel;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import dev.mkspec.model.addressspaces.Bug;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.TlaValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the address-space model from the constants of an {@code AddressSpaces} cfg: Sigma0,
 * Spaces, NPages, Perms, FpageOrder, NoMapping and Bug, and the symmetry when the cfg names one.
 */
public final class AddressSpacesBinding implements ModelBinding<AddressSpacesState> {
    @Override
    public String name() {
        return "AddressSpaces";
    }

    @Override
    public String description() {
        return "map, grant and flush over a mapping database (specs/tla/AddressSpaces)";
    }

    @Override
    public StateMachine<AddressSpacesState> fromConfig(CfgFile cfg) {
        return new AddressSpacesModel(constants(cfg));
    }

    /** The model's constants from the cfg. */
    public static AddressSpacesConstants constants(CfgFile cfg) {
        String where = cfg.path() == null ? "the cfg" : cfg.path().toString();
        try {
            return spaceConstants(cfg).withBug(Bug.fromSpecName(Cfg.string(cfg, "Bug")))
                    .withSymmetry(cfg.symmetry().isPresent());
        } catch (IllegalArgumentException e) {
            throw Cfg.located(where, e);
        }
    }

    /**
     * The address-space constants of a cfg of this or another spec that instances it (Ipc), without
     * symmetry and with no bug: Sigma0, Spaces, NPages, Perms, FpageOrder and NoMapping.
     */
    static AddressSpacesConstants spaceConstants(CfgFile cfg) {
        String where = cfg.path() == null ? "the cfg" : cfg.path().toString();
        List<String> spaces = Cfg.modelValues(cfg, "Spaces");
        List<String> perms = new ArrayList<>();
        for (TlaValue v : Cfg.set(cfg, "Perms").elements()) {
            if (!(v instanceof TlaValue.Str s)) {
                throw new IllegalArgumentException(where + ": Perms must be a set of strings such as {\"r\", \"w\"}");
            }
            perms.add(s.value());
        }
        return new AddressSpacesConstants(Cfg.modelValueName(cfg.constant("Sigma0"), "Sigma0", where), spaces,
                Cfg.integer(cfg, "NPages"), perms, Cfg.integer(cfg, "FpageOrder"),
                Cfg.modelValueName(cfg.constant("NoMapping"), "NoMapping", where), Bug.NONE, false);
    }
}
