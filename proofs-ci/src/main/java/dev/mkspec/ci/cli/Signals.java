package dev.mkspec.ci.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Catches SIGINT and SIGTERM for a long command, so that it knows which signal stopped it: the
 * action runs (recording the signal), then the JVM exits with the shell's status for that signal,
 * 128 + its number, running the shutdown hooks that stop child processes and write the reports.
 *
 * <p>Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}); where that is not available the
 * JVM's default handling stays, and only the signal's name is lost. {@link #close()} restores the
 * handlers that were there before, so that a command run inside another program (a test) leaves
 * its signals as it found them.
 */
final class Signals implements AutoCloseable {
    private final List<Object[]> previous = new ArrayList<>();

    /**
     * @param onSignal told the signal's name ({@code SIGTERM}, {@code SIGINT}) before the JVM exits
     */
    Signals(Consumer<String> onSignal) {
        for (String name : List.of("INT", "TERM")) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler old = sun.misc.Signal.handle(signal, s -> {
                    onSignal.accept("SIG" + s.getName());
                    // exit, not halt: the shutdown hooks stop TLC and Alloy and remove their folders.
                    new Thread(() -> System.exit(128 + s.getNumber()), "mkspec-exit-on-signal").start();
                });
                previous.add(new Object[] {signal, old});
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                // The signal cannot be caught here (e.g. the JVM runs with -Xrs); keep the default.
            }
        }
    }

    @Override
    public void close() {
        for (Object[] p : previous) {
            try {
                sun.misc.Signal.handle((sun.misc.Signal) p[0], (sun.misc.SignalHandler) p[1]);
            } catch (IllegalArgumentException e) {
                // Nothing to restore.
            }
        }
    }
}
