package dev.mkspec.kernel;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.hw.Primitive;
import java.util.List;

/**
 * How to build a kernel: the CPU it runs on, the design, whether Meltdown-style page-table
 * isolation is on, whether PCIDs are used when the CPU has them, whether the IPC fast path (L4's,
 * or Mach's RPC fast path) is enabled (a design switch that tests, budgets and what-ifs use), a
 * deliberate bug, how many CPUs, how many mapping-database nodes its pool holds, and whether the
 * IPC fast path also does the work of seL4's capability-based naming ({@code capDecode}, a
 * what-if for comparing with seL4: see {@link Path#SEL4_CALL_CAPS}), and which L4 kernel's code an
 * L4 design is priced by ({@link L4Kernel}; by default the one measured on the profile).
 *
 * <p>The pool is {@link Layout#MAX_NODES} nodes unless set smaller: the refinement checks give the
 * kernel exactly the nodes their bounds can need, so that a kernel that loses nodes runs out, and
 * its refusal shows as a step the model allows and the kernel does not take.
 */
public record KernelConfig(CpuProfile profile, KernelDesign design, boolean mitigations, boolean usePcid,
        boolean fastPath, KernelBug bug, int cpus, int nodePool, boolean capDecode, L4Kernel l4Kernel) {
    /** The most CPUs a kernel runs on (a space's CPU set is one machine word). */
    public static final int MAX_CPUS = 64;

    /** Priced by the L4 kernel measured on the profile. */
    public KernelConfig(CpuProfile profile, KernelDesign design, boolean mitigations, boolean usePcid,
            boolean fastPath, KernelBug bug, int cpus, int nodePool, boolean capDecode) {
        this(profile, design, mitigations, usePcid, fastPath, bug, cpus, nodePool, capDecode, L4Kernel.measuredOn(profile));
    }

    /** Naming IPC partners by thread ID, as L4 does. */
    public KernelConfig(CpuProfile profile, KernelDesign design, boolean mitigations, boolean usePcid,
            boolean fastPath, KernelBug bug, int cpus, int nodePool) {
        this(profile, design, mitigations, usePcid, fastPath, bug, cpus, nodePool, false);
    }

    /** On one CPU. */
    public KernelConfig(CpuProfile profile, KernelDesign design, boolean mitigations, boolean usePcid,
            boolean fastPath, KernelBug bug) {
        this(profile, design, mitigations, usePcid, fastPath, bug, 1, Layout.MAX_NODES);
    }

    /** With the whole node pool. */
    public KernelConfig(CpuProfile profile, KernelDesign design, boolean mitigations, boolean usePcid,
            boolean fastPath, KernelBug bug, int cpus) {
        this(profile, design, mitigations, usePcid, fastPath, bug, cpus, Layout.MAX_NODES);
    }

    public KernelConfig {
        if (nodePool < 1 || nodePool > Layout.MAX_NODES) {
            throw new IllegalArgumentException("the mapping database's pool holds 1 to " + Layout.MAX_NODES
                    + " nodes, not " + nodePool);
        }
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("a kernel runs on 1 to " + MAX_CPUS + " CPUs, not " + cpus);
        }
        if (cpus > 1) {
            for (Primitive p : List.of(Primitive.IPI_SEND, Primitive.IPI_RECEIVE, Primitive.IPI_LATENCY)) {
                if (!profile.prices(p)) {
                    throw new IllegalArgumentException("the " + profile.name() + " profile has no cost for " + p.key()
                            + ", which a shootdown on several CPUs needs; add it to the profile's primitives or run on one CPU");
                }
            }
            if (mitigations) {
                throw new IllegalArgumentException("page-table isolation is simulated on one CPU only; "
                        + "run several CPUs with mitigations off");
            }
        }
        if (mitigations && !profile.mitigationsAvailable()) {
            throw new IllegalArgumentException("the " + profile.name() + " profile does not allow page-table isolation "
                    + "(it is not affected by Meltdown, or lacks what KPTI needs); run it with mitigations off");
        }
        if (design.smallSpaces()) {
            if (profile.paging() != dev.mkspec.hw.PagingMode.X86_32 || !profile.prices(Primitive.MOV_SEG)) {
                throw new IllegalArgumentException("the " + design.key() + " design confines spaces with x86-32 segments; the "
                        + profile.name() + " profile " + (profile.paging() != dev.mkspec.hw.PagingMode.X86_32
                                ? "runs " + profile.paging() + " paging" : "has no cost for " + Primitive.MOV_SEG.key())
                        + ": use i486 or pentium");
            }
            if (usePcid || mitigations || cpus > 1) {
                throw new IllegalArgumentException("the " + design.key() + " design is built for one CPU without PCIDs or "
                        + "page-table isolation (the shootdown of small spaces' entries across CPUs is not built); "
                        + "drop --cpus, PCIDs and mitigations");
            }
        }
        if (design == KernelDesign.VST) {
            if (!design.runsOn(profile) || !usePcid) {
                throw new IllegalArgumentException("the vst design tags TLB entries with global segment indexes and prices "
                        + "far calls: it needs a profile with PCIDs (used) and the primitives farCall, farReturn and movSeg "
                        + "(haswell or skylake), not " + profile.name() + (usePcid ? "" : " with PCIDs off"));
            }
            if (mitigations || cpus > 1) {
                throw new IllegalArgumentException("the vst design runs on one CPU without page-table isolation (its "
                        + "segment tables are one CPU's); drop --cpus and mitigations");
            }
        }
        if (capDecode && profile.paging() == dev.mkspec.hw.PagingMode.X86_32) {
            throw new IllegalArgumentException("the capdecode=on what-if counts seL4's x86-64 fast path (two-word "
                    + "capabilities); the " + profile.name() + " profile is x86-32: use haswell or skylake");
        }
        if (!fastPath && design.ipc() == KernelDesign.Ipc.MACH && !design.machKernel().hasGeneralPath()) {
            throw new IllegalArgumentException("without its fast path a Mach design takes the general message path, "
                    + "counted for CMU Mach 3.0 (the mach design) only; " + design.key() + " runs OSF MK, whose "
                    + "general path was not counted: use fastpath=off with --design mach, or leave the mklinux "
                    + "designs out (e.g. --design l4,mach)");
        }
        java.util.Objects.requireNonNull(l4Kernel, "l4Kernel");
        String refused = runsAnL4(design) ? l4Kernel.refusal(profile) : null;
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        if (usePcid && !profile.pcid()) {
            throw new IllegalArgumentException("the " + profile.name() + " profile has no PCIDs; set usePcid to false");
        }
    }

    /** The design on the profile with its defaults: PCIDs used if present, mitigations off, no bug. */
    public static KernelConfig of(CpuProfile profile, KernelDesign design) {
        return new KernelConfig(profile, design, false, profile.pcid(), design.fastPath(), KernelBug.NONE, 1, Layout.MAX_NODES);
    }

    public KernelConfig withMitigations(boolean on) {
        return new KernelConfig(profile, design, on, usePcid, fastPath, bug, cpus, nodePool, capDecode, l4Kernel);
    }

    public KernelConfig withPcid(boolean on) {
        return new KernelConfig(profile, design, mitigations, on, fastPath, bug, cpus, nodePool, capDecode, l4Kernel);
    }

    public KernelConfig withFastPath(boolean on) {
        return new KernelConfig(profile, design, mitigations, usePcid, on, bug, cpus, nodePool, capDecode, l4Kernel);
    }

    public KernelConfig withBug(KernelBug b) {
        return new KernelConfig(profile, design, mitigations, usePcid, fastPath, b, cpus, nodePool, capDecode, l4Kernel);
    }

    /** On {@code n} CPUs. */
    public KernelConfig withCpus(int n) {
        return new KernelConfig(profile, design, mitigations, usePcid, fastPath, bug, n, nodePool, capDecode, l4Kernel);
    }

    /** With a pool of {@code n} mapping-database nodes (at most {@link Layout#MAX_NODES}). */
    public KernelConfig withNodePool(int n) {
        return new KernelConfig(profile, design, mitigations, usePcid, fastPath, bug, cpus, n, capDecode, l4Kernel);
    }

    /** With or without the work of seL4's capability-based naming on the IPC fast path. */
    public KernelConfig withCapDecode(boolean on) {
        return new KernelConfig(profile, design, mitigations, usePcid, fastPath, bug, cpus, nodePool, on, l4Kernel);
    }

    /**
     * The L4 kernel whose paths price this design's entry, IPC fast path, thread switch, space
     * check and exit: {@link #l4Kernel()} for the designs that run an L4 (l4, l4-small, the L4Linux
     * designs, batched); Pistachio's for the monolithic kernel, vst and the Mach designs, whose own
     * paths (or Pistachio's generic ones) are not Liedtke's.
     */
    public L4Kernel l4Paths() {
        return runsAnL4(design) ? l4Kernel : L4Kernel.PISTACHIO;
    }

    /** Whether {@code d} runs an L4 kernel whose paths {@link #l4Kernel()} chooses. */
    static boolean runsAnL4(KernelDesign d) {
        return d.ipc() == KernelDesign.Ipc.L4 && d != KernelDesign.MONOLITHIC && d != KernelDesign.VST;
    }

    /** On another profile; an L4 kernel that was the old profile's default becomes the new one's. */
    public KernelConfig withProfile(CpuProfile p) {
        L4Kernel k = l4Kernel == L4Kernel.measuredOn(profile) ? L4Kernel.measuredOn(p) : l4Kernel;
        return new KernelConfig(p, design, mitigations, usePcid && p.pcid(), fastPath, bug, cpus, nodePool, capDecode, k);
    }

    /** Priced by the code of another L4 kernel. */
    public KernelConfig withL4Kernel(L4Kernel k) {
        return new KernelConfig(profile, design, mitigations, usePcid, fastPath, bug, cpus, nodePool, capDecode, k);
    }
}
