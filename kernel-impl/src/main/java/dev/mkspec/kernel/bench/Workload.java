package dev.mkspec.kernel.bench;

import dev.mkspec.kernel.KernelDesign;
import java.util.EnumSet;
import java.util.Set;

/** The measured workloads, and the designs each one applies to. */
public enum Workload {
    NULL_SYSCALL("null-syscall", "an empty system call",
            EnumSet.of(KernelDesign.MONOLITHIC, KernelDesign.L4, KernelDesign.MACH, KernelDesign.L4_SMALL)),
    IPC_ONEWAY("ipc-oneway", "one IPC between two spaces: half of a warm call and reply, as the published one-way "
            + "figures are defined (l4-small: two small spaces)", EnumSet.of(KernelDesign.L4, KernelDesign.MACH, KernelDesign.L4_SMALL)),
    IPC_SAME_SPACE("ipc-same-space", "one IPC between two threads of one space: half of a warm call and reply",
            EnumSet.of(KernelDesign.L4, KernelDesign.MACH, KernelDesign.L4_SMALL)),
    IPC_CALL_REPLY("ipc-call-reply", "a call and its reply between two spaces, until the client runs again",
            EnumSet.of(KernelDesign.L4, KernelDesign.MACH, KernelDesign.L4_SMALL)),
    GETPID("getpid", "getpid, served as each design serves a Linux call (vst: a far call into the Linux service's segment)",
            EnumSet.of(KernelDesign.MONOLITHIC, KernelDesign.L4LINUX, KernelDesign.L4LINUX_EMU,
                    KernelDesign.MKLINUX_INKERNEL, KernelDesign.MKLINUX_USER, KernelDesign.VST)),
    AS_SWITCH("as-switch", "a call and reply between two spaces, each touching a working set of K pages: "
            + "the refill cost as K grows, tagged (PCID) against untagged TLBs, and (l4-small) small spaces, which keep the TLB",
            EnumSet.of(KernelDesign.L4, KernelDesign.L4_SMALL)),
    MAP_FLUSH("map-flush", "map n pages down a chain of d spaces, then flush them from the top",
            EnumSet.of(KernelDesign.L4)),
    BATCH_OPEN("batch-open", "10 open requests: 10 synchronous calls (l4) against one ring and one notification each way "
            + "(batched); vst: 10 far calls into the service, and 10 far calls that put the requests in a ring in the "
            + "service's segment for a service thread woken by one notification",
            EnumSet.of(KernelDesign.L4, KernelDesign.BATCHED, KernelDesign.VST)),
    SHOOTDOWN("shootdown", "a flush of n pages that k CPUs cache: the flushing CPU's cycles until the flush returns "
            + "(its own invalidations, the IPIs, the wait for the slowest acknowledgement)", EnumSet.of(KernelDesign.L4));

    private final String key;
    private final String description;
    private final Set<KernelDesign> designs;

    Workload(String key, String description, Set<KernelDesign> designs) {
        this.key = key;
        this.description = description;
        this.designs = designs;
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    public boolean appliesTo(KernelDesign d) {
        return designs.contains(d);
    }

    public static Workload byKey(String key) {
        for (Workload w : values()) {
            if (w.key.equals(key)) {
                return w;
            }
        }
        StringBuilder b = new StringBuilder();
        for (Workload w : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(w.key);
        }
        throw new IllegalArgumentException("no workload '" + key + "'; the workloads are " + b);
    }
}
