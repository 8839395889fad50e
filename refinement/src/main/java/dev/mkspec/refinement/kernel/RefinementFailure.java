package dev.mkspec.refinement.kernel;

import java.util.List;

/**
 * A kernel step that no model step explains, or a kernel whose hardware disagrees with its
 * abstraction: what was expected, what the kernel did, and the system calls that led there.
 */
public final class RefinementFailure extends AssertionError {
    private final String check;
    private final List<String> trace;

    RefinementFailure(String check, String message, List<String> trace) {
        super(check + ": " + message + "\nafter the calls:\n  " + String.join("\n  ", trace));
        this.check = check;
        this.trace = List.copyOf(trace);
    }

    /**
     * Which check failed: {@code step} (the abstract state after the call is not the model's),
     * {@code ipc} (a message went where no request sent it), {@code hardware} (page tables or TLBs
     * disagree with the abstraction), {@code access} (a user access the abstraction forbids
     * succeeded), {@code bounds} (the kernel left the bounds the abstraction sees) or {@code crash}
     * (the kernel threw); for runs
     * judged by the kernel's own invariants ({@link RandomKernelRuns#runInvariants}) the ID of the
     * invariant broken ({@code K-5}), and {@code also} for a test's extra check.
     */
    public String check() {
        return check;
    }

    /** The calls, numbered from the start of the run, the last one being the one that failed. */
    public List<String> trace() {
        return trace;
    }
}
