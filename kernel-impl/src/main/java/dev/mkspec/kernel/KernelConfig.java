package dev.mkspec.kernel;

import dev.mkspec.hw.CpuProfile;

/**
 * How to build a kernel: the CPU it runs on, the design, whether Meltdown-style page-table
 * isolation is on, whether PCIDs are used when the CPU has them, whether the L4 fast path is
 * enabled (a design switch that tests and budgets use), and a deliberate bug.
 */
public record KernelConfig(CpuProfile profile, KernelDesign design, boolean mitigations, boolean usePcid,
        boolean fastPath, KernelBug bug) {
    public KernelConfig {
        if (mitigations && !profile.mitigationsAvailable()) {
            throw new IllegalArgumentException("the " + profile.name() + " profile does not allow page-table isolation "
                    + "(it is not affected by Meltdown, or lacks what KPTI needs); run it with mitigations off");
        }
        if (usePcid && !profile.pcid()) {
            throw new IllegalArgumentException("the " + profile.name() + " profile has no PCIDs; set usePcid to false");
        }
    }

    /** The design on the profile with its defaults: PCIDs used if present, mitigations off, no bug. */
    public static KernelConfig of(CpuProfile profile, KernelDesign design) {
        return new KernelConfig(profile, design, false, profile.pcid(), design.fastPath(), KernelBug.NONE);
    }

    public KernelConfig withMitigations(boolean on) {
        return new KernelConfig(profile, design, on, usePcid, fastPath, bug);
    }

    public KernelConfig withPcid(boolean on) {
        return new KernelConfig(profile, design, mitigations, on, fastPath, bug);
    }

    public KernelConfig withFastPath(boolean on) {
        return new KernelConfig(profile, design, mitigations, usePcid, on, bug);
    }

    public KernelConfig withBug(KernelBug b) {
        return new KernelConfig(profile, design, mitigations, usePcid, fastPath, b);
    }

    public KernelConfig withProfile(CpuProfile p) {
        return new KernelConfig(p, design, mitigations, usePcid && p.pcid(), fastPath, bug);
    }
}
