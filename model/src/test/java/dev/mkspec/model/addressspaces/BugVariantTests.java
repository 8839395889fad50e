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
 * them break an invariant or an action property on the buggy model.
 */
class BugVariantTests {

    @ParameterizedTest
    @EnumSource(value = Bug.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
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
