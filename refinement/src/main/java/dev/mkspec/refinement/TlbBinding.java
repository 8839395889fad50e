package dev.mkspec.refinement;

import dev.mkspec.check.StateMachine;
import dev.mkspec.model.tlb.TlbBug;
import dev.mkspec.model.tlb.TlbConstants;
import dev.mkspec.model.tlb.TlbModel;
import dev.mkspec.model.tlb.TlbState;
import dev.mkspec.specs.tla.CfgFile;

/**
 * Builds the TLB model from the constants of a {@code Tlb} cfg: CPUs, Spaces, NPages, NFrames,
 * Tagged, NAsids, Deletions, the model values Idle, NoEntry, Free and NoShootdown, and Bug; CPU symmetry when
 * the cfg names a SYMMETRY.
 */
public final class TlbBinding implements ModelBinding<TlbState> {
    @Override
    public String name() {
        return "Tlb";
    }

    @Override
    public String description() {
        return "TLBs, shootdown and ASID rollover on several CPUs (specs/tla/Tlb)";
    }

    @Override
    public StateMachine<TlbState> fromConfig(CfgFile cfg) {
        return new TlbModel(constants(cfg));
    }

    /** The model's constants from the cfg. */
    public static TlbConstants constants(CfgFile cfg) {
        String where = cfg.path() == null ? "the cfg" : cfg.path().toString();
        try {
            return new TlbConstants(Cfg.modelValues(cfg, "CPUs"), Cfg.modelValues(cfg, "Spaces"),
                    Cfg.integer(cfg, "NPages"), Cfg.integer(cfg, "NFrames"), Cfg.bool(cfg, "Tagged"),
                    Cfg.integer(cfg, "NAsids"), Cfg.modelValueName(cfg.constant("Idle"), "Idle", where),
                    Cfg.modelValueName(cfg.constant("NoEntry"), "NoEntry", where),
                    Cfg.modelValueName(cfg.constant("Free"), "Free", where),
                    Cfg.modelValueName(cfg.constant("NoShootdown"), "NoShootdown", where),
                    TlbBug.fromSpecName(Cfg.string(cfg, "Bug")), cfg.symmetry().isPresent(), Cfg.bool(cfg, "Deletions"));
        } catch (IllegalArgumentException e) {
            throw Cfg.located(where, e);
        }
    }
}
