package dev.mkspec.model.addressspaces;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.state.ActionChain;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The random-operation property catches every bug variant: chains drawn as the property draws
 * them break an invariant or an action property on the buggy model. (MAP_EXACT_RIGHTS and
 * NEXT_SKIPS_SIGMA0_MAP break only the availability invariant AS-14, which the chains do not check;
 * the explorer and TLC check the first in bug_map_exact_rights, AddressSpacesModelTests the second,
 * and TLC its spec twin with AS-17 in bug_next_skips_sigma0_map.)
 */
class BugVariantTests {

    @ParameterizedTest
    @EnumSource(value = Bug.class, names = {"NONE", "MAP_EXACT_RIGHTS", "NEXT_SKIPS_SIGMA0_MAP"}, mode = EnumSource.Mode.EXCLUDE)
    void randomOperationsBreakTheBuggyModel(Bug bug) {
        int order = bug == Bug.FPAGE_OFFSET ? 1 : 0;
        AddressSpacesConstants k = AddressSpacesConstants.of(List.of("s1", "s2", "s3"), 4, List.of("r", "w", "x"), order)
                .withBug(bug);
        AddressSpacesModel model = new AddressSpacesModel(k);
        Arbitrary<ActionChain<AddressSpacesState>> chains = AddressSpacesProperties.chains(model, 40);
        Optional<String> failure = dev.mkspec.check.Chains.firstFailure(model, chains, 500);
        assertTrue(failure.isPresent(), "500 random chains did not break the model with bug " + bug);
    }
}
