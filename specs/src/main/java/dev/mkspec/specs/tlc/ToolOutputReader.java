package dev.mkspec.specs.tlc;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits TLC's {@code -tool} output, fed to it one line at a time, into messages and plain lines.
 *
 * <p>Markers may appear in the middle of a line, and a message may contain another: TLC wraps a
 * configuration error (5xxx) inside its general error (1000). A nested message is delivered on its
 * own, before the message around it, and its text is also kept in the outer body. Text outside
 * any message, such as SANY's parse errors and JVM stack traces, is delivered as plain lines.
 *
 * <p>Damaged output cannot make the reader slow or make it throw: a marker whose code has more
 * digits than any TLC code is text, and messages nested deeper than {@link #MAX_NESTING} (TLC
 * nests one level) are kept as text of the message around them, so that the copying of nested
 * text into outer messages stays linear.
 */
public final class ToolOutputReader {
    /** Receives what the reader finds, in output order. */
    public interface Sink {
        void message(ToolMessage message);

        void plainLine(String line);
    }

    /** The deepest nesting of messages that the reader delivers as messages. */
    static final int MAX_NESTING = 8;

    private static final Pattern MARKER =
            Pattern.compile("@!@!@(?:STARTMSG (\\d{1,6}):(\\d{1,6})|ENDMSG (\\d{1,6})) @!@!@");

    private final Sink sink;
    private final Deque<Open> open = new ArrayDeque<>();
    /** Start markers past {@link #MAX_NESTING} that were kept as text, whose end markers are text too. */
    private int tooDeep;

    public ToolOutputReader(Sink sink) {
        this.sink = sink;
    }

    private static final class Open {
        final int code;
        final int severity;
        final StringBuilder body = new StringBuilder();

        Open(int code, int severity) {
            this.code = code;
            this.severity = severity;
        }
    }

    /** Feeds one line of output, without its line terminator. */
    public void accept(String line) {
        Matcher m = MARKER.matcher(line);
        int from = 0;
        boolean sawMarker = false;
        while (m.find()) {
            sawMarker = true;
            boolean starts = m.group(1) != null;
            if (starts ? open.size() >= MAX_NESTING : tooDeep > 0) {
                tooDeep += starts ? 1 : -1;
                text(line.substring(from, m.end()), false);
            } else {
                text(line.substring(from, m.start()), false);
                if (starts) {
                    open.push(new Open(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
                } else {
                    close(Integer.parseInt(m.group(3)));
                }
            }
            from = m.end();
        }
        String rest = line.substring(from);
        if (!sawMarker) {
            text(rest, true);
        } else if (!rest.isBlank()) {
            text(rest, true);
        }
    }

    /** Ends the stream: a message still open (the process died mid-message) is delivered as is. */
    public void finish() {
        while (!open.isEmpty()) {
            Open o = open.peek();
            close(o.code);
        }
    }

    private void text(String s, boolean wholeLine) {
        if (open.isEmpty()) {
            if (wholeLine || !s.isBlank()) {
                sink.plainLine(s);
            }
            return;
        }
        Open o = open.peek();
        if (!s.isEmpty() || wholeLine) {
            o.body.append(s);
            if (wholeLine) {
                o.body.append('\n');
            }
        }
    }

    private void close(int code) {
        if (open.isEmpty()) {
            sink.plainLine("(unmatched end of TLC message " + code + ")");
            return;
        }
        Open o = open.pop();
        String body = stripTrailingNewlines(o.body.toString());
        boolean nested = !open.isEmpty();
        sink.message(new ToolMessage(o.code, o.severity, body, nested));
        if (nested) {
            open.peek().body.append(body).append('\n');
        }
    }

    private static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
