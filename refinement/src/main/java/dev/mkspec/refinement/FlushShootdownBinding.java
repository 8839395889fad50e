package dev.mkspec.refinement;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelBug;
import dev.mkspec.refinement.kernel.FlushShootdownTraces;
import dev.mkspec.specs.tla.CfgFile;

/**
 * The constants of a {@code FlushShootdown} cfg for the kernel's trace validation. The spec has no
 * Java model (TLC alone checks it), so this is not a {@link ModelBinding}.
 */
public final class FlushShootdownBinding {
    private FlushShootdownBinding() {
    }

    /** Kernel runs at the bounds of {@code cfg}: its address-space constants, CPUs, Idle and NoOp. */
    public static FlushShootdownTraces traces(CfgFile cfg, CpuProfile profile, KernelBug bug) {
        String where = cfg.path() == null ? "the cfg" : cfg.path().toString();
        try {
            return new FlushShootdownTraces(AddressSpacesBinding.spaceConstants(cfg), Cfg.modelValues(cfg, "CPUs"),
                    Cfg.modelValueName(cfg.constant("Idle"), "Idle", where),
                    Cfg.modelValueName(cfg.constant("NoOp"), "NoOp", where), profile, bug);
        } catch (IllegalArgumentException e) {
            throw Cfg.located(where, e);
        }
    }
}
