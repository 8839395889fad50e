package dev.mkspec.hw;

import java.util.Set;
import java.util.TreeSet;

/**
 * The geometry of one TLB.
 *
 * @param name for statistics, e.g. {@code "DTLB"}
 * @param entries the number of entries
 * @param ways the associativity: entries / ways sets (ways = entries is fully associative)
 * @param replacement the replacement policy
 * @param pageShifts the page sizes it holds, as shifts: 12 (4 KiB), 21 (2 MiB), 22 (4 MiB), 30 (1 GiB)
 * @param tagged whether entries carry a PCID (ASID); an untagged TLB ignores PCIDs
 * @param seed the seed of the RANDOM policy
 */
public record TlbConfig(String name, int entries, int ways, Replacement replacement, Set<Integer> pageShifts,
        boolean tagged, long seed) {
    public TlbConfig {
        pageShifts = Set.copyOf(new TreeSet<>(pageShifts));
        if (entries < 1 || ways < 1 || entries % ways != 0) {
            throw new IllegalArgumentException(name + ": " + entries + " entries cannot be split into sets of " + ways
                    + " ways; entries must be a positive multiple of ways");
        }
        if (replacement == Replacement.PLRU && Integer.bitCount(ways) != 1) {
            throw new IllegalArgumentException(name + ": tree pseudo-LRU needs a power-of-two number of ways, not " + ways);
        }
        for (int s : pageShifts) {
            if (s != 12 && s != 21 && s != 22 && s != 30) {
                throw new IllegalArgumentException(name + ": page shift " + s + " is not 12, 21, 22 or 30");
            }
        }
        if (pageShifts.isEmpty()) {
            throw new IllegalArgumentException(name + ": a TLB must hold at least one page size");
        }
    }

    /** A 4 KiB-page TLB. */
    public static TlbConfig of(String name, int entries, int ways, Replacement replacement, boolean tagged) {
        return new TlbConfig(name, entries, ways, replacement, Set.of(12), tagged, 1);
    }

    public TlbConfig withPageShifts(Set<Integer> shifts) {
        return new TlbConfig(name, entries, ways, replacement, shifts, tagged, seed);
    }

    public TlbConfig withSeed(long s) {
        return new TlbConfig(name, entries, ways, replacement, pageShifts, tagged, s);
    }

    public int sets() {
        return entries / ways;
    }
}
