package dev.mkspec.kernel.bench;

import dev.mkspec.hw.CpuProfile;
import dev.mkspec.kernel.Kernel;
import dev.mkspec.kernel.KernelConfig;
import dev.mkspec.kernel.KernelDesign;
import dev.mkspec.kernel.Message;
import dev.mkspec.kernel.Syscall;
import dev.mkspec.kernel.ThreadId;
import dev.mkspec.kernel.Timeout;
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
 * The simulator's own speed: simulated IPC round trips (call + replyWait between two spaces,
 * every step metered) per second of host time. Not the simulated cycles. Run: scripts/bench-kernel.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IpcSimulationBenchmark {
    @Param({"pentium", "skylake"})
    public String profile;

    @Param({"l4", "mach"})
    public String design;

    private Kernel k;
    private ThreadId client;
    private ThreadId server;
    private final Message request = Message.of(1, 2);
    private final Message reply = Message.of(3);

    @Setup
    public void setUp() {
        k = new Kernel(KernelConfig.of(CpuProfile.load(profile), KernelDesign.byKey(design)));
        client = CycleBench.newSpace(k).thread();
        server = CycleBench.newSpace(k).thread();
        CycleBench.parkSigma0(k);
        k.syscall(server, new Syscall.Receive(ThreadId.ANY, Timeout.INFINITE, 0, 0, null));
    }

    @Benchmark
    public Object roundTrip() {
        k.syscall(client, new Syscall.Call(server, request, 0, 0, null));
        return k.syscall(server, new Syscall.ReplyWait(client, reply, 0, 0, null));
    }
}
