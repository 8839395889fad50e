package dev.mkspec.check;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How to run an exploration. Immutable; start from {@link #defaults()}.
 *
 * @param workers worker threads; the default is one per core
 * @param checkDeadlock whether a state without successors is an error
 * @param timeout stop after this long
 * @param memoryLimitBytes stop cleanly when the live heap passes this many bytes; the default is
 *     85% of the maximum heap, which leaves room to rebuild and report the verdict
 * @param progressInterval how often to report progress to the observer
 */
public record ExplorerOptions(int workers, boolean checkDeadlock, Optional<Duration> timeout,
        OptionalLong memoryLimitBytes, Duration progressInterval) {

    public ExplorerOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
        timeout.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("the timeout must be positive, not " + t);
            }
        });
        memoryLimitBytes.ifPresent(m -> {
            if (m <= 0) {
                throw new IllegalArgumentException("the memory limit must be positive, not " + m);
            }
        });
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("the progress interval must be positive");
        }
    }

    /** One worker per core, deadlock checked, no time limit, 85% of the heap, progress each second. */
    public static ExplorerOptions defaults() {
        return new ExplorerOptions(Runtime.getRuntime().availableProcessors(), true, Optional.empty(),
                OptionalLong.empty(), Duration.ofSeconds(1));
    }

    public ExplorerOptions withWorkers(int n) {
        return new ExplorerOptions(n, checkDeadlock, timeout, memoryLimitBytes, progressInterval);
    }

    public ExplorerOptions withCheckDeadlock(boolean check) {
        return new ExplorerOptions(workers, check, timeout, memoryLimitBytes, progressInterval);
    }

    public ExplorerOptions withTimeout(Duration t) {
        return new ExplorerOptions(workers, checkDeadlock, Optional.of(t), memoryLimitBytes, progressInterval);
    }

    public ExplorerOptions withMemoryLimit(long bytes) {
        return new ExplorerOptions(workers, checkDeadlock, timeout, OptionalLong.of(bytes), progressInterval);
    }

    public ExplorerOptions withProgressInterval(Duration d) {
        return new ExplorerOptions(workers, checkDeadlock, timeout, memoryLimitBytes, d);
    }

    /** The memory limit in effect: the explicit one, or 85% of the maximum heap. */
    public long effectiveMemoryLimit() {
        return memoryLimitBytes.orElse((long) (Runtime.getRuntime().maxMemory() * 0.85));
    }
}
