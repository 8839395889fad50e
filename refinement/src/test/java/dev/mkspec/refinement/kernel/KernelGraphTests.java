package dev.mkspec.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exhaustive comparison at the bounds of AddressSpaces' fast cfgs: the kernel's abstract graph
 * is the model's. (Every fast bound, and each bug variant, also runs as a {@code kernel:} check of the fast plan.)
 */
class KernelGraphTests {

    @Test
    void fastRights() {
        run(AddressSpacesConstants.of(List.of("s1"), 2, List.of("r", "w"), 0));
    }


    private static void run(AddressSpacesConstants c) {
        KernelGraph.Result r = new KernelGraph(KernelConfig.of(CpuProfile.load("i486"), KernelDesign.L4), KernelBounds.of(c))
                .compare(x -> { });
        assertTrue(r.equal(), () -> r.difference().get());
        assertEquals(r.modelStates(), r.abstractStates());
        assertEquals(r.modelEdges(), r.abstractEdges());
    }
}
