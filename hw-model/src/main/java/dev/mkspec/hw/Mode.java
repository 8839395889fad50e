package dev.mkspec.hw;

/** The privilege of an access: user (CPL 3) or supervisor (CPL 0 to 2). */
public enum Mode {
    USER, SUPERVISOR
}
