package dev.mkspec.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.KernelBug;
import dev.mkspec.refinement.FlushShootdownBinding;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tlc.TlcInstallation;
import dev.mkspec.specs.tlc.TlcRunner;
import dev.mkspec.specs.tlc.TraceValidator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel on two CPUs, with maps between user spaces, judged by TLC against FlushShootdown.tla. */
class FlushShootdownTracesTests {
    private static final Path SPEC = Path.of("..", "specs", "tla", "FlushShootdown");
    private static final List<Path> LIBRARY = List.of(Path.of("..", "specs", "tla", "AddressSpaces"));
    private static final CfgFile CFG = CfgParser.parse(SPEC.resolve("MCFlushShootdown_kernel.cfg"));
    private static final TlcRunner TLC = new TlcRunner(TlcInstallation.bundled());

    private static TraceValidator.Verdict validate(KernelBug bug, long seed, Path dir) {
        FlushShootdownTraces t = FlushShootdownBinding.traces(CFG, CpuProfile.load("haswell"), bug);
        return t.check(TLC, SPEC, LIBRARY, dir, CFG, t.trace(seed, 60), Duration.ofMinutes(2));
    }

    /**
     * Two runs, accepted, each starting with a flush that must reach a CPU the caller never ran
     * on. (The plan's kernel:FlushShootdown/trace_haswell runs more, and requires every kind of step.)
     */
    @Test
    void theKernelsRunsAreBehavioursOfTheSpec(@TempDir Path dir) {
        FlushShootdownTraces t = FlushShootdownBinding.traces(CFG, CpuProfile.load("haswell"), KernelBug.NONE);
        Map<String, Integer> reached = new TreeMap<>();
        for (long seed = 1; seed <= 2; seed++) {
            FlushShootdownTraces.Recorded r = t.trace(seed, 60);
            r.counts().forEach((k, n) -> reached.merge(k, n, Integer::sum));
            TraceValidator.Verdict v = t.check(TLC, SPEC, LIBRARY, dir.resolve("seed" + seed), CFG, r, Duration.ofMinutes(2));
            assertTrue(v.accepted(), () -> v.message() + "\n" + String.join("\n", r.steps()));
        }
        assertTrue(reached.getOrDefault("a shootdown with IPIs beyond the caller's CPUs", 0) >= 2, reached.toString());
    }

    /** IPIs only to the caller's CPUs: a CPU that runs a space derived from the caller keeps the revoked page. */
    @Test
    void ipisOnlyToTheCallersCpusAreCaught(@TempDir Path dir) {
        TraceValidator.Verdict v = validate(KernelBug.SHOOTDOWN_CALLER_ONLY, 1, dir.resolve("seed1"));
        assertFalse(v.accepted(), "SHOOTDOWN_CALLER_ONLY was not caught");
        // at the first run's opening flush, the one whose IPI goes beyond the caller's CPUs
        assertTrue(v.message().contains("OpFlush(") || v.message().contains("OpUnmap("), v.message());
    }
}
