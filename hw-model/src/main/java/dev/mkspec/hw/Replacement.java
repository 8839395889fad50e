package dev.mkspec.hw;

/** How a set-associative TLB picks the way to replace when a set is full. */
public enum Replacement {
    /** Least recently used. */
    LRU,
    /** Tree pseudo-LRU: ways - 1 bits per set point away from the most recently used half. */
    PLRU,
    /** A way chosen by a seeded pseudo-random generator, so that runs repeat. */
    RANDOM
}
