package dev.mkspec.hw;

/** How a CPU enters the kernel from user mode and leaves it again. */
public enum EntryMechanism {
    /** INT n through an interrupt gate, and IRET. */
    INT(Primitive.INT, Primitive.IRET),
    /** SYSENTER and SYSEXIT. */
    SYSENTER(Primitive.SYSENTER, Primitive.SYSEXIT),
    /** SYSCALL and SYSRET. */
    SYSCALL(Primitive.SYSCALL, Primitive.SYSRET);

    private final Primitive enter;
    private final Primitive exit;

    EntryMechanism(Primitive enter, Primitive exit) {
        this.enter = enter;
        this.exit = exit;
    }

    public Primitive enter() {
        return enter;
    }

    public Primitive exit() {
        return exit;
    }

    /** The lower-case name used in profile files and on the command line. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
