package dev.mkspec.hw.bench;

import dev.mkspec.hw.Access;
import dev.mkspec.hw.Mmu;
import dev.mkspec.hw.MmuConfig;
import dev.mkspec.hw.Mode;
import dev.mkspec.hw.PageTables;
import dev.mkspec.hw.PagingMode;
import dev.mkspec.hw.PhysicalMemory;
import dev.mkspec.hw.Pte;
import dev.mkspec.hw.Replacement;
import dev.mkspec.hw.TlbConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Mmu.translate} on TLB hits (8 pages cycled through a 64-entry TLB) and on misses (a
 * 4-level walk every time: 4096 pages cycled through the same TLB), for x86-64 with PCIDs.
 * Run: see README "Measurements".
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MmuBenchmark {
    @Param({"8", "4096"})
    public int pages;

    private Mmu mmu;
    private int i;

    @Setup
    public void setUp() {
        PhysicalMemory mem = new PhysicalMemory(8192);
        PageTables pt = new PageTables(mem, PagingMode.X86_64);
        for (int p = 0; p < pages; p++) {
            pt.map(0x4000_0000L + ((long) p << 12), (long) (4096 + p % 2048) << 12, 12, Pte.US | Pte.RW | Pte.A | Pte.D);
        }
        mmu = new Mmu(MmuConfig.unified(PagingMode.X86_64, TlbConfig.of("DTLB", 64, 4, Replacement.LRU, true)), mem);
        mmu.writeCr3(pt.root(), 1, false);
    }

    @Benchmark
    public long translate() {
        i = (i + 1) % pages;
        return mmu.translate(0x4000_0000L + ((long) i << 12) + 16, Access.READ, Mode.USER);
    }
}
