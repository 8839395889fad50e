package dev.mkspec.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.ExplorerOptions;
import dev.mkspec.check.StateMachine;
import dev.mkspec.model.addressspaces.AddressSpacesState;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tlc.StateGraph;
import dev.mkspec.specs.tlc.TlcInstallation;
import dev.mkspec.specs.tlc.TlcListener;
import dev.mkspec.specs.tlc.TlcRequest;
import dev.mkspec.specs.tlc.TlcResult;
import dev.mkspec.specs.tlc.TlcRunner;
import dev.mkspec.specs.tlc.TlcVerdict;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java address-space model and the TLA+ spec, run on the same fast cfg, have the same labelled
 * state graph: TLC's {@code -dump dot,actionlabels} against the explorer's. (Two small cfgs here, as
 * a unit test of the comparison; every fast cfg is compared by the plan's refinement checks, which
 * {@code RepositoryChecksTests} runs.)
 */
class AddressSpacesConformanceTests {
    static final Path AREA = Path.of("..", "specs", "tla", "AddressSpaces").toAbsolutePath().normalize();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"MCAddressSpaces_fast_rights.cfg", "MCAddressSpaces_fast_fpage.cfg"})
    void theExplorersStateGraphIsTlcs(String cfgName, @TempDir Path dir) {
        Path cfg = AREA.resolve(cfgName);
        Path dot = dir.resolve("tlc.dot");
        TlcResult tlc = new TlcRunner(TlcInstallation.bundled()).run(TlcRequest.of(AREA.resolve("MCAddressSpaces.tla"))
                .withConfig(cfg).withWorkers(1).withTimeout(Duration.ofMinutes(5)).withDumpDot(dot), TlcListener.NONE);
        assertEquals(TlcVerdict.SUCCESS, tlc.verdict(), tlc.message());

        StateMachine<AddressSpacesState> model = new AddressSpacesBinding().fromConfig(CfgParser.parse(cfg));
        ExplorerGraph.Recorded<AddressSpacesState> explored = ExplorerGraph.explore(model,
                ExplorerOptions.defaults().withCheckDeadlock(false));
        GraphComparison c = GraphComparison.compare(StateGraph.readTlcDot(dot), "TLC", explored.graph(), "the explorer");
        assertTrue(c.equal(), c.summary());
        assertEquals(tlc.distinctStates().getAsLong(), explored.result().distinctStates());
        assertEquals(tlc.generatedStates().getAsLong(), explored.result().generatedStates());
        assertEquals(tlc.depth().getAsLong(), explored.result().depth());
    }
}
