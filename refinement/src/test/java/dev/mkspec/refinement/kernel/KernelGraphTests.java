package dev.mkspec.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import java.util.List;
import dev.mkspec.kernel.KernelBug;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exhaustive comparison at the bounds of AddressSpaces' fast cfgs: the kernel's abstract graph
 * is the model's. (The comparisons themselves also run as {@code kernel:} checks of the fast plan.)
 */
class KernelGraphTests {
    static final AddressSpacesConstants GRANT = AddressSpacesConstants.of(List.of("s1", "s2", "s3"), 1, List.of("r", "w"), 0);

    @Test
    void fastRights() {
        run(AddressSpacesConstants.of(List.of("s1"), 2, List.of("r", "w"), 0));
    }


    /** Every bug the scripts can reach makes the graphs differ; a too-strict kernel only by a missing model step. */
    @ParameterizedTest
    @EnumSource(value = KernelBug.class, names = {"MAP_IGNORES_RIGHTS", "UNMAP_REVOKES_OWN", "MAP_WRONG_PARENT",
        "MAP_SOURCE_RIGHTS", "MAP_AT_SENDER_ADDRESS", "GRANT_REFUSES_DERIVED"})
    void theComparisonCatchesTheBug(KernelBug bug) {
        KernelGraph.Result r = new KernelGraph(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4).withBug(bug),
                KernelBounds.of(GRANT)).compare(x -> { });
        assertTrue(r.difference().isPresent(), bug + " left the graphs equal");
        if (bug == KernelBug.GRANT_REFUSES_DERIVED) {
            assertTrue(r.difference().get().startsWith("the model steps SpaceGrant"), r.difference().get());
        }
    }

    private static void run(AddressSpacesConstants c) {
        KernelGraph.Result r = new KernelGraph(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4), KernelBounds.of(c))
                .compare(x -> { });
        assertTrue(r.equal(), () -> r.difference().get());
        assertEquals(r.modelStates(), r.abstractStates());
        assertEquals(r.modelEdges(), r.abstractEdges());
    }
}
