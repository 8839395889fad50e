package dev.mkspec.model.smallspaces;

import java.util.ArrayList;
import java.util.List;

/**
 * The constants of {@code SmallSpaces.tla}. Spaces are numbered large first, then small, each in
 * the order given; a small space {@code s} (numbered {@code large.size() + i}) has its window at
 * linear pages {@code base[i]} to {@code base[i] + size[i] - 1}.
 *
 * @param large the large spaces' names
 * @param small the small spaces' names
 * @param cpus the CPUs' names
 * @param pages NPages: the pages of a large space's user half
 * @param base each small space's first linear page
 * @param size each small space's window, in pages (1 to {@code pages - 1})
 * @param firstRun the large space (its number) each CPU runs at the start
 * @param bug the bug variant
 */
public record SmallSpacesConstants(List<String> large, List<String> small, List<String> cpus, int pages, int[] base,
        int[] size, int[] firstRun, SmallSpacesBug bug) {

    public SmallSpacesConstants {
        large = List.copyOf(large);
        small = List.copyOf(small);
        cpus = List.copyOf(cpus);
        base = base.clone();
        size = size.clone();
        firstRun = firstRun.clone();
        if (large.isEmpty()) {
            throw new IllegalArgumentException("Large must name at least one large space");
        }
        if (pages < 1 || pages > 16) {
            throw new IllegalArgumentException("NPages must be 1 to 16, not " + pages);
        }
        if (base.length != small.size() || size.length != small.size()) {
            throw new IllegalArgumentException("Base and Size must give a value for each small space");
        }
        for (int i = 0; i < small.size(); i++) {
            if (size[i] < 1 || size[i] >= pages) {
                throw new IllegalArgumentException("Size[" + small.get(i) + "] must be 1 to NPages - 1, not " + size[i]);
            }
            if (base[i] < pages || base[i] + size[i] > 60) {
                throw new IllegalArgumentException("Base[" + small.get(i) + "] must be at least NPages (the region is above "
                        + "the user half) and the window must end below linear page 60, not " + base[i]);
            }
            for (int j = 0; j < i; j++) {
                if (base[i] < base[j] + size[j] && base[j] < base[i] + size[i]) {
                    throw new IllegalArgumentException("the windows of " + small.get(j) + " and " + small.get(i) + " overlap");
                }
            }
        }
        if (firstRun.length != cpus.size()) {
            throw new IllegalArgumentException("FirstRun must give a large space for each CPU");
        }
        for (int r : firstRun) {
            if (r < 0 || r >= large.size()) {
                throw new IllegalArgumentException("FirstRun must give each CPU a large space");
            }
        }
    }

    public int spaceCount() {
        return large.size() + small.size();
    }

    public boolean isSmall(int s) {
        return s >= large.size();
    }

    /** The name of space {@code s}. */
    public String space(int s) {
        return isSmall(s) ? small.get(s - large.size()) : large.get(s);
    }

    /** All spaces' names, large first. */
    public List<String> spaces() {
        List<String> out = new ArrayList<>(large);
        out.addAll(small);
        return out;
    }

    /** The pages space {@code s} has: its window's for a small space. */
    public int pagesOf(int s) {
        return isSmall(s) ? size[s - large.size()] : pages;
    }

    /** The first linear page of space {@code s}'s segment (0 for a large space). */
    public int segBase(int s) {
        return isSmall(s) ? base[s - large.size()] : 0;
    }

    /** The limit, in pages, of space {@code s}'s segment. */
    public int segLimit(int s) {
        return isSmall(s) ? size[s - large.size()] : pages;
    }

    /** The highest linear page: the user half's last, or a window's (TLA+ {@code Top}). */
    public int top() {
        int top = pages - 1;
        for (int i = 0; i < small.size(); i++) {
            top = Math.max(top, base[i] + size[i] - 1);
        }
        return top;
    }

    /** The small space whose window holds linear page {@code l}, or -1. */
    public int windowOf(int l) {
        for (int i = 0; i < small.size(); i++) {
            if (base[i] <= l && l < base[i] + size[i]) {
                return large.size() + i;
            }
        }
        return -1;
    }

    /** One past the highest linear page any segment's base and limit (plus one page) can name. */
    public int linearPages() {
        int top = pages + 1;
        for (int i = 0; i < small.size(); i++) {
            top = Math.max(top, base[i] + size[i] + 1);
        }
        return top;
    }
}
