package dev.mkspec.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Forward simulation under random system calls: the kernel, on several profiles and designs, is
 * checked call by call against the address-space model (and its hardware against the abstraction).
 */
class KernelRefinementProperties {
    /** AddressSpaces' fast bounds with Perms r and w: two user spaces, two pages. */
    static final KernelBounds TWO = KernelBounds.of(AddressSpacesConstants.of(List.of("s1", "s2"), 2, List.of("r", "w"), 0));
    /** Three user spaces, two pages, every right. */
    static final KernelBounds THREE = KernelBounds.of(AddressSpacesConstants.of(List.of("s1", "s2", "s3"), 2,
            List.of("r", "w", "x"), 0));

    @Property(tries = 250)
    void theL4KernelOnAnUntaggedTlbRefinesTheModel(@ForAll long seed, @ForAll @IntRange(min = 20, max = 120) int steps) {
        check(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4), TWO, seed, steps);
    }

    @Property(tries = 250)
    void theL4KernelWithPcidsRefinesTheModel(@ForAll long seed, @ForAll @IntRange(min = 20, max = 120) int steps) {
        check(KernelConfig.of(CpuProfile.load("haswell"), KernelDesign.L4), THREE, seed, steps);
    }

    @Property(tries = 150)
    void theL4KernelUnderPageTableIsolationRefinesTheModel(@ForAll long seed, @ForAll @IntRange(min = 20, max = 120) int steps) {
        check(KernelConfig.of(CpuProfile.load("skylake"), KernelDesign.L4).withMitigations(true), TWO, seed, steps);
    }

    @Property(tries = 150)
    void theMachPathRefinesTheModel(@ForAll long seed, @ForAll @IntRange(min = 20, max = 120) int steps) {
        check(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.MACH), TWO, seed, steps);
    }

    /** Three user spaces: two small (both windows), one large; the switches between them load segments, CR3, or both. */
    @Property(tries = 150)
    void smallSpacesRefineTheModel(@ForAll long seed, @ForAll @IntRange(min = 20, max = 120) int steps) {
        check(KernelConfig.of(CpuProfile.load("pentium"), KernelDesign.L4_SMALL), THREE, seed, steps);
    }

    static void check(KernelConfig c, KernelBounds b, long seed, int steps) {
        RandomKernelRuns.Outcome o = new RandomKernelRuns(c, b).run(seed, steps);
        assertTrue(o.ok(), () -> o.failure().getMessage());
    }
}
