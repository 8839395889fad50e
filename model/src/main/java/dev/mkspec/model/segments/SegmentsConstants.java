package dev.mkspec.model.segments;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The constants of {@code Segments.tla}, as a cfg gives them. Domains, threads and registers are
 * numbered in the given order; slots and selectors count from 1 as in the spec.
 *
 * @param domains the domains' names (model values)
 * @param threads the threads' names (model values); each runs on a CPU of its own
 * @param home for each thread, the index of its home domain
 * @param regs the data segment registers' names (strings)
 * @param slots the number of gst slots; slot i starts with segment i
 * @param firstOwner for slot i (index i - 1), the index of its first segment's owner
 * @param firstGrants entries granted before the start
 * @param sels selectors 1..sels per Vst
 * @param segs segments 1..segs
 * @param rights the rights in play, as a mask ({@link #R}, {@link #W}, {@link #C})
 * @param ops the operations in play
 * @param maxDepth the deepest far-call nesting
 * @param hostile the hostile domains, as a mask of domain indices
 * @param budget the budget of ticks away from home; 0 for none
 * @param server the index of the thread that drains the ring, or -1
 * @param requests the requests the clients put into the ring, in all
 * @param noDomain the model value NoDomain
 * @param noThread the model value NoThread
 * @param bug the bug variant
 */
public record SegmentsConstants(List<String> domains, List<String> threads, int[] home, List<String> regs, int slots,
        int[] firstOwner, List<FirstGrant> firstGrants, int sels, int segs, int rights, Set<Op> ops, int maxDepth,
        int hostile, int budget, int server, int requests, String noDomain, String noThread, SegmentsBug bug) {

    /** The read right. */
    public static final int R = 1;
    /** The write right. */
    public static final int W = 2;
    /** The far-call right. */
    public static final int C = 4;
    /** The data rights. */
    public static final int DATA = R | W;

    /** An entry granted before the start: domain {@code d}'s selector {@code s} names {@code slot}. */
    public record FirstGrant(int d, int s, int slot, int rights) {
    }

    /** The operations a cfg can put in play (the constant {@code Ops}). */
    public enum Op {
        LOAD, SPILL, TLB, CALL, GRANT, GRANTREG, CREATE, REVOKE, DELETE, RING;

        public String specName() {
            return dev.mkspec.model.SpecNames.of(this);
        }

        public static Op fromSpecName(String name) {
            return dev.mkspec.model.SpecNames.parse(Op.class, name, "operation of Segments (Ops)");
        }
    }

    public SegmentsConstants {
        domains = List.copyOf(domains);
        threads = List.copyOf(threads);
        home = home.clone();
        regs = List.copyOf(regs);
        firstOwner = firstOwner.clone();
        firstGrants = List.copyOf(firstGrants);
        ops = ops.isEmpty() ? EnumSet.noneOf(Op.class) : EnumSet.copyOf(ops);
        Objects.requireNonNull(bug, "bug");
        if (domains.isEmpty() || domains.size() > 8) {
            throw new IllegalArgumentException("Domains must name 1 to 8 domains, not " + domains.size());
        }
        if (threads.isEmpty() || threads.size() > 8) {
            throw new IllegalArgumentException("Threads must name 1 to 8 threads, not " + threads.size());
        }
        if (home.length != threads.size()) {
            throw new IllegalArgumentException("Home must give a domain for each of the " + threads.size() + " threads");
        }
        if (regs.size() > 4) {
            throw new IllegalArgumentException("Regs may name at most 4 registers, not " + regs.size());
        }
        if (slots < 1 || slots > 7 || sels < slots || sels > 7 || segs < slots || segs > 15) {
            throw new IllegalArgumentException("need 1 <= NSlots <= 7, NSlots <= NSels <= 7 and NSlots <= NSegs <= 15"
                    + " (NSlots = " + slots + ", NSels = " + sels + ", NSegs = " + segs + ")");
        }
        if (slots * segs > 64) {
            throw new IllegalArgumentException("NSlots * NSegs = " + slots * segs
                    + " TLB entries; the Java model holds at most 64 (lower NSlots or NSegs)");
        }
        if (domains.size() * sels > 64) {
            throw new IllegalArgumentException("Domains x NSels = " + domains.size() * sels
                    + " Vst entries; the Java model holds at most 64");
        }
        if (firstOwner.length != slots) {
            throw new IllegalArgumentException("FirstOwner must give an owner for each of the " + slots + " slots");
        }
        if (rights == 0 || (rights & ~(R | W | C)) != 0) {
            throw new IllegalArgumentException("Rights must be a non-empty subset of {\"r\", \"w\", \"c\"}");
        }
        if (maxDepth < 0 || budget < 0 || requests < 0 || requests > 30) {
            throw new IllegalArgumentException("MaxDepth and Budget must not be negative, and NReq must be 0 to 30");
        }
        if (firstGrants.stream().map(g -> g.d() * 8 + g.s()).distinct().count() != firstGrants.size()) {
            throw new IllegalArgumentException("FirstGrants grants two entries at one selector of one domain: "
                    + firstGrants);
        }
        for (FirstGrant g : firstGrants) {
            if (g.s() < 1 || g.s() > sels || g.slot() < 1 || g.slot() > slots || g.rights() == 0
                    || (g.rights() & ~rights) != 0 || (g.s() <= slots && firstOwner[g.s() - 1] == g.d())) {
                throw new IllegalArgumentException("FirstGrants: " + g + " must name a free selector of its domain, a slot,"
                        + " and a non-empty subset of Rights");
            }
        }
    }

    public int domainCount() {
        return domains.size();
    }

    public int threadCount() {
        return threads.size();
    }

    public int regCount() {
        return regs.size();
    }

    public boolean has(Op op) {
        return ops.contains(op);
    }

    /** The domain whose memory holds the ring: the server's home, or -1. */
    public int ringDomain() {
        return server < 0 ? -1 : home[server];
    }

    /** The rights of a mask in TLA+: {@code {"r", "c"}}. */
    public static String rightsTla(int mask) {
        java.util.StringJoiner j = new java.util.StringJoiner(", ", "{", "}");
        if ((mask & R) != 0) {
            j.add("\"r\"");
        }
        if ((mask & W) != 0) {
            j.add("\"w\"");
        }
        if ((mask & C) != 0) {
            j.add("\"c\"");
        }
        return j.toString();
    }

    /** The mask of one right's name. */
    public static int right(String name) {
        return switch (name) {
            case "r" -> R;
            case "w" -> W;
            case "c" -> C;
            default -> throw new IllegalArgumentException("\"" + name + "\" is not a right of Segments (r, w, c)");
        };
    }
}
