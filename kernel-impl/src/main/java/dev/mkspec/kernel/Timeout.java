package dev.mkspec.kernel;

/** An IPC timeout: 0 (never block) or infinite (block until the partner is ready). */
public enum Timeout {
    ZERO, INFINITE
}
