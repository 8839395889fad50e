package dev.mkspec.hw;

/** The kind of a memory access: a data read, a data write, or an instruction fetch. */
public enum Access {
    READ, WRITE, EXECUTE
}
