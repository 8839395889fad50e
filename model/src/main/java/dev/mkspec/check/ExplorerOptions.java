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
 * @param frontierBudgetBytes once the heap in use passes this many bytes, the states of the level
 *     being built go to disk, encoded by the model's {@link StateCodec} (a model without one keeps
 *     them on the heap); the default is half the maximum heap, and 0 sends every level after the
 *     first to disk
 */
public record ExplorerOptions(int workers, boolean checkDeadlock, Optional<Duration> timeout,
        OptionalLong memoryLimitBytes, Duration progressInterval, OptionalLong frontierBudgetBytes) {

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
        frontierBudgetBytes.ifPresent(b -> {
            if (b < 0) {
                throw new IllegalArgumentException("the frontier budget must not be negative, not " + b);
            }
        });
    }

    /** One worker per core, deadlock checked, no time limit, 85% of the heap, progress each second. */
    public static ExplorerOptions defaults() {
        return new ExplorerOptions(Runtime.getRuntime().availableProcessors(), true, Optional.empty(),
                OptionalLong.empty(), Duration.ofSeconds(1), OptionalLong.empty());
    }

    public ExplorerOptions withWorkers(int n) {
        return new ExplorerOptions(n, checkDeadlock, timeout, memoryLimitBytes, progressInterval, frontierBudgetBytes);
    }

    public ExplorerOptions withCheckDeadlock(boolean check) {
        return new ExplorerOptions(workers, check, timeout, memoryLimitBytes, progressInterval, frontierBudgetBytes);
    }

    public ExplorerOptions withTimeout(Duration t) {
        return new ExplorerOptions(workers, checkDeadlock, Optional.of(t), memoryLimitBytes, progressInterval, frontierBudgetBytes);
    }

    public ExplorerOptions withMemoryLimit(long bytes) {
        return new ExplorerOptions(workers, checkDeadlock, timeout, OptionalLong.of(bytes), progressInterval, frontierBudgetBytes);
    }

    public ExplorerOptions withProgressInterval(Duration d) {
        return new ExplorerOptions(workers, checkDeadlock, timeout, memoryLimitBytes, d, frontierBudgetBytes);
    }

    public ExplorerOptions withFrontierBudget(long bytes) {
        return new ExplorerOptions(workers, checkDeadlock, timeout, memoryLimitBytes, progressInterval, OptionalLong.of(bytes));
    }

    /** The frontier budget in effect: the explicit one, or half the maximum heap. */
    public long effectiveFrontierBudget() {
        return frontierBudgetBytes.orElse(Runtime.getRuntime().maxMemory() / 2);
    }

    /** The memory limit in effect: the explicit one, or 85% of the maximum heap. */
    public long effectiveMemoryLimit() {
        return memoryLimitBytes.orElse((long) (Runtime.getRuntime().maxMemory() * 0.85));
    }
}
