package dev.mkspec.model.ipc;

import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import dev.mkspec.model.addressspaces.Bug;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The constants of the IPC model: the same as the spec's CONSTANTS.
 *
 * @param spaces the address spaces map items act on (its bug is ignored: the IPC bug
 *     {@link IpcBug#MAP_ITEM_UNCHECKED} stands for the unchecked map)
 * @param threads the thread slots' names
 * @param threadSpaces the spaces threads live in, as indices of {@code spaces} (0 is Sigma0)
 * @param maxVersion versions are {@code 0..maxVersion}
 * @param words the message words
 * @param timeouts a non-empty subset of {@code zero}, {@code finite}, {@code inf}
 * @param ops the operations allowed, as the spec's {@code Ops}
 * @param bits the notification bits
 * @param server the index of the IPC-6 server in {@code threads}, or -1 for {@code NoThread}
 * @param ringSize slots of the batching ring
 * @param nRequests requests the client puts into the ring
 * @param noThread the model value for "no thread"
 * @param any the model value of an open receive
 * @param noMsg the model value of empty message registers
 * @param noItem the model value of a message without an item
 * @param noWindow the model value of a receive without a window
 * @param bug the deliberate mistake, or {@link IpcBug#NONE}
 */
public record IpcConstants(AddressSpacesConstants spaces, List<String> threads, List<Integer> threadSpaces,
        int maxVersion, List<Integer> words, List<String> timeouts, Set<String> ops, List<Integer> bits,
        int server, int ringSize, int nRequests, String noThread, String any, String noMsg, String noItem,
        String noWindow, IpcBug bug) {

    /** The operations a cfg may name in {@code Ops}. */
    public static final Set<String> OP_NAMES = Set.of("send", "recv", "call", "replywait", "map", "grant", "delete",
            "create", "signal", "wait", "batch", "unmap");
    /** The timeouts, in the order of their codes 0, 1, 2. */
    public static final List<String> TIMEOUT_NAMES = List.of("zero", "finite", "inf");

    public IpcConstants {
        Objects.requireNonNull(spaces, "spaces");
        threads = List.copyOf(threads);
        threadSpaces = List.copyOf(threadSpaces);
        words = List.copyOf(words);
        timeouts = List.copyOf(timeouts);
        ops = Set.copyOf(ops);
        bits = List.copyOf(bits);
        Objects.requireNonNull(bug, "bug");
        if (threads.isEmpty() || threadSpaces.isEmpty() || words.isEmpty() || timeouts.isEmpty()) {
            throw new IllegalArgumentException("Threads, ThreadSpaces, Words and Timeouts must not be empty");
        }
        if (maxVersion < 0) {
            throw new IllegalArgumentException("MaxVersion must be at least 0, not " + maxVersion);
        }
        if (threads.size() * (maxVersion + 1) > 64) {
            throw new IllegalArgumentException("at most 64 thread IDs (|Threads| * (MaxVersion + 1)), not "
                    + threads.size() * (maxVersion + 1));
        }
        if (bits.size() > 30) {
            throw new IllegalArgumentException("at most 30 notification bits, not " + bits.size());
        }
        for (String t : timeouts) {
            if (!TIMEOUT_NAMES.contains(t)) {
                throw new IllegalArgumentException("Timeouts must be a subset of " + TIMEOUT_NAMES + ", not " + timeouts);
            }
        }
        for (String o : ops) {
            if (!OP_NAMES.contains(o)) {
                throw new IllegalArgumentException("Ops may name only " + new java.util.TreeSet<>(OP_NAMES) + ", not \""
                        + o + "\"");
            }
        }
        for (int s : threadSpaces) {
            if (s < 0 || s >= spaces.spaceCount()) {
                throw new IllegalArgumentException("ThreadSpaces must be spaces of Sigma0 and Spaces");
            }
        }
        if (server < -1 || server >= threads.size()) {
            throw new IllegalArgumentException("Server must be one of Threads, or NoThread");
        }
        if (ringSize < 1 || nRequests < 0) {
            throw new IllegalArgumentException("RingSize must be at least 1 and NRequests at least 0");
        }
    }

    /** The address-space model's constants with the bug that stands for unchecked map items. */
    public AddressSpacesConstants spacesForItems() {
        return spaces.withBug(bug == IpcBug.MAP_ITEM_UNCHECKED ? Bug.MAP_NO_RIGHTS_CHECK : Bug.NONE).withSymmetry(false);
    }

    /** Versions per slot. */
    public int versions() {
        return maxVersion + 1;
    }

    /** Thread IDs: {@code slot * versions() + version}. */
    public int ids() {
        return threads.size() * versions();
    }

    public boolean allows(String op) {
        return ops.contains(op);
    }
}
