package dev.mkspec.specs.alloy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.trace.ItfWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The child-process side of {@link AlloyProcessRunner}: runs an Alloy file's commands and writes
 * one event per line to standard output, each line prefixed with {@link #PREFIX} and holding a
 * JSON object. Not meant to be started by hand.
 *
 * <p>Arguments: {@code FILE [--command NAME]... [--from INDEX]}. Events: {@code parsed} (the
 * commands), {@code start} (a command began), {@code result} (its outcome, time, and instance as
 * ITF), and {@code error} (the file could not be parsed).
 */
public final class AlloyWorker {
    static final String PREFIX = "@@mkspec-alloy ";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlloyWorker() {
    }

    /**
     * The parent never writes to this process's standard input and keeps the pipe open while it
     * runs; when the parent dies, even by SIGKILL (which runs no shutdown hook to stop this
     * worker), the pipe closes and the worker stops instead of solving on, unseen, for as long as
     * the command takes (a killed session once left one running for an hour).
     */
    private static void exitWhenTheParentDies() {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // nothing is ever sent
                }
            } catch (java.io.IOException e) {
                // a broken pipe means the same
            }
            Runtime.getRuntime().halt(3);
        }, "mkspec-alloy-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        // Whatever Alloy prints goes to standard error, so that standard output holds only events.
        System.setOut(System.err);
        exitWhenTheParentDies();
        Path file = null;
        List<String> command = new java.util.ArrayList<>();
        int from = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--command" -> command.add(args[++i]);
                case "--from" -> from = Integer.parseInt(args[++i]);
                default -> file = Path.of(args[i]);
            }
        }
        if (file == null) {
            System.err.println("usage: AlloyWorker FILE [--command NAME] [--from INDEX]");
            System.exit(2);
        }
        AlloyRunner runner = new AlloyRunner();
        AlloyRunner.Parsed parsed;
        List<AlloyCommandInfo> selected;
        try {
            parsed = runner.parse(file);
            selected = AlloyRunner.select(parsed, command);
        } catch (MkspecException e) {
            ObjectNode err = MAPPER.createObjectNode();
            err.put("event", "error");
            err.put("problem", e.problem().name());
            err.put("message", e.getMessage());
            emit(out, err);
            System.exit(e.exitClass().code());
            return;
        }
        ObjectNode p = MAPPER.createObjectNode();
        p.put("event", "parsed");
        p.put("version", AlloyRunner.alloyVersion());
        ArrayNode warnings = p.putArray("warnings");
        parsed.warnings().forEach(warnings::add);
        ArrayNode cmds = p.putArray("commands");
        for (AlloyCommandInfo c : selected) {
            ObjectNode n = cmds.addObject();
            n.put("index", c.index());
            n.put("name", c.name());
            n.put("check", c.check());
            n.put("line", c.line());
            n.put("text", c.text());
            c.expectation().ifPresent(e -> n.put("expect", e.id()));
            ArrayNode witnessOf = n.putArray("witnessOf");
            c.witnessOf().forEach(witnessOf::add);
        }
        emit(out, p);
        for (AlloyCommandInfo c : selected) {
            if (c.index() < from) {
                continue;
            }
            ObjectNode s = MAPPER.createObjectNode();
            s.put("event", "start");
            s.put("index", c.index());
            emit(out, s);
            ObjectNode r = MAPPER.createObjectNode();
            r.put("event", "result");
            r.put("index", c.index());
            try {
                AlloyCommandResult result = runner.execute(parsed, c);
                r.put("outcome", result.outcome().id());
                r.put("nanos", result.elapsed().toNanos());
                r.put("message", result.message());
                if (result.instance().isPresent()) {
                    r.set("instance", MAPPER.readTree(ItfWriter.toJson(result.instance().get())));
                }
            } catch (OutOfMemoryError e) {
                r.put("outcome", AlloyOutcome.OUT_OF_MEMORY.id());
                r.put("message", "the solver ran out of memory: " + e.getMessage());
                emit(out, r);
                System.exit(AlloyOutcome.OUT_OF_MEMORY.exitClassWhenUnexpected().code());
            } catch (RuntimeException | java.io.IOException e) {
                r.put("outcome", AlloyOutcome.ERROR.id());
                r.put("message", e.toString());
            }
            emit(out, r);
        }
        System.exit(0);
    }

    private static void emit(PrintStream out, ObjectNode event) {
        out.println(PREFIX + event.toString());
        out.flush();
    }
}
