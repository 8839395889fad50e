package dev.mkspec.ci.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * A status line that keeps itself current while a long run goes on. On a terminal it rewrites one
 * line in place about once a second; elsewhere (a CI log) it prints a line every
 * {@code quietInterval} seconds, so logs show progress without filling up.
 */
public final class LiveLine implements AutoCloseable {
    private final PrintWriter out;
    private final boolean terminal;
    private final Supplier<String> text;
    private final Thread thread;
    private volatile boolean running = true;
    private int lastLength;

    /**
     * @param out where to print
     * @param terminal whether {@code out} is a terminal that understands carriage returns
     * @param text the line to show, computed at each refresh
     * @param quietIntervalSeconds how often to print when not on a terminal
     */
    public LiveLine(PrintWriter out, boolean terminal, Supplier<String> text, int quietIntervalSeconds) {
        this.out = out;
        this.terminal = terminal;
        this.text = text;
        this.thread = new Thread(() -> loop(quietIntervalSeconds), "mkspec-progress");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether standard output is a terminal. */
    public static boolean stdoutIsTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    private void loop(int quietIntervalSeconds) {
        long last = System.nanoTime();
        while (running) {
            try {
                Thread.sleep(terminal ? 1000 : 1000L);
            } catch (InterruptedException e) {
                return;
            }
            if (!running) {
                return;
            }
            if (terminal) {
                show();
            } else if (System.nanoTime() - last > quietIntervalSeconds * 1_000_000_000L) {
                last = System.nanoTime();
                synchronized (this) {
                    String s = text.get();
                    if (!s.isEmpty()) {
                        out.println(s);
                        out.flush();
                    }
                }
            }
        }
    }

    private synchronized void show() {
        String s = text.get();
        out.print("\r" + s + " ".repeat(Math.max(0, lastLength - s.length())));
        out.flush();
        lastLength = s.length();
    }

    /** Prints a line above the status line. */
    public synchronized void println(String line) {
        if (terminal && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
        out.println(line);
        out.flush();
    }

    @Override
    public synchronized void close() {
        running = false;
        thread.interrupt();
        if (terminal && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
    }
}
