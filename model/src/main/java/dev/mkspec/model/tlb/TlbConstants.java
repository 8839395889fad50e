package dev.mkspec.model.tlb;

import java.util.List;
import java.util.Objects;

/**
 * The constants of {@code Tlb.tla}, as a cfg gives them.
 *
 * @param cpus the CPUs' names (model values), in a fixed order
 * @param spaces the spaces' names (model values), in a fixed order
 * @param pages virtual pages per space
 * @param frames physical frames
 * @param tagged whether TLB entries carry ASIDs
 * @param asids the number of ASIDs, 1..asids (0 when untagged is allowed)
 * @param idle the model value a CPU runs before its first switch
 * @param noEntry the model value of an empty page-table entry
 * @param free the model value that owns a free frame
 * @param noShootdown the model value for no shootdown in progress
 * @param bug the bug variant
 * @param cpuSymmetry whether the cfg declares the CPUs symmetric
 * @param deletions whether spaces can be deleted ({@code SpaceDelete}, the constant {@code Deletions})
 */
public record TlbConstants(List<String> cpus, List<String> spaces, int pages, int frames, boolean tagged, int asids,
        String idle, String noEntry, String free, String noShootdown, TlbBug bug, boolean cpuSymmetry,
        boolean deletions) {

    /** The constants without deletions. */
    public TlbConstants(List<String> cpus, List<String> spaces, int pages, int frames, boolean tagged, int asids,
            String idle, String noEntry, String free, String noShootdown, TlbBug bug, boolean cpuSymmetry) {
        this(cpus, spaces, pages, frames, tagged, asids, idle, noEntry, free, noShootdown, bug, cpuSymmetry, false);
    }

    /** At most this many distinct TLB entries ((asids + 1) x pages x frames x 2), so a TLB fits a long. */
    public static final int MAX_ENTRIES = 64;

    public TlbConstants {
        cpus = List.copyOf(cpus);
        spaces = List.copyOf(spaces);
        Objects.requireNonNull(bug, "bug");
        if (cpus.isEmpty() || cpus.size() > 8) {
            throw new IllegalArgumentException("CPUs must name 1 to 8 CPUs, not " + cpus.size());
        }
        if (spaces.isEmpty() || spaces.size() > 8) {
            throw new IllegalArgumentException("Spaces must name 1 to 8 spaces, not " + spaces.size());
        }
        if (pages < 1 || frames < 1) {
            throw new IllegalArgumentException("NPages and NFrames must be at least 1");
        }
        if (asids < 0 || (tagged && asids < 1)) {
            throw new IllegalArgumentException("NAsids must be at least 1 when Tagged is TRUE, and never negative");
        }
        long entries = (long) (asids + 1) * pages * frames * 2;
        if (entries > MAX_ENTRIES) {
            throw new IllegalArgumentException("(NAsids + 1) * NPages * NFrames * 2 = " + entries
                    + " distinct TLB entries; the Java model handles at most " + MAX_ENTRIES
                    + " (lower NAsids, NPages or NFrames)");
        }
    }

    /** Two CPUs, the given spaces, pages, frames and ASIDs, standard model-value names, no bug. */
    public static TlbConstants of(int cpus, int spaces, int pages, int frames, boolean tagged, int asids) {
        List<String> c = new java.util.ArrayList<>();
        for (int i = 1; i <= cpus; i++) {
            c.add("c" + i);
        }
        List<String> s = new java.util.ArrayList<>();
        for (int i = 1; i <= spaces; i++) {
            s.add("s" + i);
        }
        return new TlbConstants(c, s, pages, frames, tagged, asids, "Idle", "NoEntry", "Free", "NoShootdown",
                TlbBug.NONE, false);
    }

    public TlbConstants withBug(TlbBug b) {
        return new TlbConstants(cpus, spaces, pages, frames, tagged, asids, idle, noEntry, free, noShootdown, b,
                cpuSymmetry, deletions);
    }

    public TlbConstants withDeletions(boolean d) {
        return new TlbConstants(cpus, spaces, pages, frames, tagged, asids, idle, noEntry, free, noShootdown, bug,
                cpuSymmetry, d);
    }

    public int cpuCount() {
        return cpus.size();
    }

    public int spaceCount() {
        return spaces.size();
    }

    /** The number of distinct entries a TLB can hold. */
    public int entryCount() {
        return (asids + 1) * pages * frames * 2;
    }

    /** The index of entry {@code [asid |-> tag, vp |-> vp, frame |-> frame, w |-> w]}. */
    public int entryIndex(int tag, int vp, int frame, boolean w) {
        return ((tag * pages + vp) * frames + frame) * 2 + (w ? 1 : 0);
    }

    public int entryTag(int index) {
        return index / 2 / frames / pages;
    }

    public int entryPage(int index) {
        return index / 2 / frames % pages;
    }

    public int entryFrame(int index) {
        return index / 2 % frames;
    }

    public boolean entryWritable(int index) {
        return (index & 1) != 0;
    }
}
