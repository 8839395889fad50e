package dev.mkspec.ci.plan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the plan is doing right now: which checks are running and what each last reported. Tasks
 * write to it from their threads; the progress line reads it.
 */
public final class ProgressBoard {
    private final Map<String, Entry> running = new LinkedHashMap<>();
    private int done;
    private int total;

    /** A running check and its latest news. */
    public record Entry(String id, long startNanos, String detail) {
    }

    public synchronized void total(int n) {
        total = n;
    }

    public synchronized void started(String id) {
        running.put(id, new Entry(id, System.nanoTime(), ""));
    }

    public synchronized void update(String id, String detail) {
        Entry e = running.get(id);
        if (e != null) {
            running.put(id, new Entry(id, e.startNanos(), detail));
        }
    }

    public synchronized void finished(String id, int checks) {
        running.remove(id);
        done += checks;
    }

    public synchronized Map<String, Entry> running() {
        return Map.copyOf(running);
    }

    public synchronized int done() {
        return done;
    }

    public synchronized int total() {
        return total;
    }
}
