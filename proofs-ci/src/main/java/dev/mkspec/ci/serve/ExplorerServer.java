package dev.mkspec.ci.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mkspec.check.Action;
import dev.mkspec.check.ActionProperty;
import dev.mkspec.check.ActionSchema;
import dev.mkspec.check.Guard;
import dev.mkspec.check.Invariant;
import dev.mkspec.check.StateMachine;
import dev.mkspec.ci.report.AtomicFiles;
import dev.mkspec.ci.view.StatePictures;
import dev.mkspec.ci.view.Resources;
import dev.mkspec.ci.view.ValueTree;
import dev.mkspec.refinement.ExplorerGraph;
import dev.mkspec.refinement.TraceEvaluation;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.trace.ItfReader;
import dev.mkspec.specs.trace.ItfWriter;
import dev.mkspec.specs.trace.Trace;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * The interactive explorer: a small HTTP server on the loopback interface that lets a person walk
 * a Java model by hand. From an initial state (or any state of a loaded ITF trace, TLC's
 * included) the page lists every enabled action with its arguments, as the model's successor
 * relation reports them; taking one shows the successor's picture, its variables with what
 * changed, and the configuration's invariants and action properties there. For an action that is
 * not enabled the page names the guard that is false, from the model's own named guards. A walk is
 * saved as ITF, which {@code ./mkspec replay} turns into a regression test.
 *
 * <p>The server listens on 127.0.0.1 only, answers only requests that come from a loopback address
 * and name a loopback host (so that a web page elsewhere cannot reach it through DNS rebinding),
 * and is meant for one person: states are interned as they are seen, and each gets a number the
 * page uses. {@link #close()} stops it.
 *
 * @param <S> the model's state type
 */
public final class ExplorerServer<S> implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateMachine<S> model;
    private final String area;
    private final String configLabel;
    private final Path saveDir;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<S> states = new ArrayList<>();
    private final Map<S, Integer> ids = new HashMap<>();
    private final Optional<Trace> initialTrace;
    private ObjectNode openedTrace;

    /**
     * Starts the server.
     *
     * @param model the model, configured (its invariants are the cfg's)
     * @param area the spec area, for the state pictures
     * @param configLabel the cfg, as the page and saved traces name it
     * @param port the port, or 0 for any free one
     * @param saveDir where saved traces go
     * @param trace a trace to load at start, if any
     * @throws UncheckedIOException if the port cannot be bound
     */
    public ExplorerServer(StateMachine<S> model, String area, String configLabel, int port, Path saveDir, Optional<Trace> trace) {
        this.model = model;
        this.area = area;
        this.configLabel = configLabel;
        this.saveDir = saveDir;
        this.initialTrace = trace;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mkspec-explorer-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The page's address. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRemoteAddress().getAddress().isLoopbackAddress() || !loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
                send(ex, 403, "text/plain", "mkspec's explorer answers only requests from this machine (127.0.0.1)");
                return;
            }
            String origin = ex.getRequestHeaders().getFirst("Origin");
            if (origin != null && !origin.equals("http://127.0.0.1:" + port()) && !origin.equals("http://localhost:" + port())) {
                // A page from elsewhere that the user has open: the browser names it.
                send(ex, 403, "text/plain", "mkspec's explorer answers only its own page, not " + origin);
                return;
            }
            URI uri = ex.getRequestURI();
            String path = uri.getPath();
            Map<String, List<String>> q = query(uri.getRawQuery());
            try {
                switch (path) {
                    case "/" -> send(ex, 200, "text/html; charset=utf-8", page());
                    case "/api/model" -> json(ex, modelInfo());
                    case "/api/state" -> json(ex, state(intParam(q, "id"), q.containsKey("prev") ? intParam(q, "prev") : -1));
                    case "/api/why" -> json(ex, why(intParam(q, "id"), one(q, "action"), q.getOrDefault("arg", List.of())));
                    case "/api/load" -> json(ex, load(body(ex)));
                    case "/api/save" -> json(ex, save(JSON.readTree(body(ex))));
                    default -> send(ex, 404, "text/plain", "no such page: " + path);
                }
            } catch (TooLarge e) {
                error(ex, 413, e.getMessage());
            } catch (BadRequest | IllegalArgumentException | MkspecException e) {
                error(ex, 400, e.getMessage());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                error(ex, 400, "the request is not JSON: " + e.getOriginalMessage());
            } catch (RuntimeException e) {
                // A bug (in a model or here): the page says so, and the terminal keeps the trace.
                System.err.println("mkspec explorer: " + uri + " failed:");
                e.printStackTrace();
                error(ex, 500, "mkspec's explorer failed on this request (" + e + "); the terminal that runs it has the details");
            }
        }
    }

    private static void error(HttpExchange ex, int code, String message) throws IOException {
        ObjectNode err = JSON.createObjectNode();
        err.put("error", String.valueOf(message));
        send(ex, code, "application/json", JSON.writeValueAsString(err));
    }

    private static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.replaceFirst(":\\d+$", "");
        return h.equals("127.0.0.1") || h.equals("localhost") || h.equals("[::1]");
    }

    private String page() {
        return Resources.text("explorer.html").replace("/*CSS*/", Resources.text("report.css") + Resources.text("explorer.css"))
                .replace("/*JS*/", Resources.text("explorer.js"));
    }

    private ObjectNode modelInfo() {
        ObjectNode n = JSON.createObjectNode();
        n.put("model", model.name());
        n.put("area", area);
        n.put("config", configLabel);
        ArrayNode inv = n.putArray("invariants");
        for (Invariant<S> i : model.invariants()) {
            inv.addObject().put("id", i.id()).put("name", i.name());
        }
        ArrayNode props = n.putArray("actionProperties");
        for (ActionProperty<S> p : model.actionProperties()) {
            props.addObject().put("id", p.id()).put("name", p.name());
        }
        ArrayNode schemas = n.putArray("schemas");
        for (ActionSchema a : model.actionSchemas()) {
            ObjectNode s = schemas.addObject();
            s.put("name", a.name());
            ArrayNode params = s.putArray("params");
            for (ActionSchema.Param p : a.params()) {
                ObjectNode pn = params.addObject();
                pn.put("name", p.name());
                p.values().forEach(pn.putArray("values")::add);
            }
        }
        ArrayNode init = n.putArray("initial");
        synchronized (this) {
            for (S s : model.initialStates()) {
                init.add(intern(s));
            }
        }
        initialTrace.ifPresent(t -> n.set("trace", openedTrace()));
        return n;
    }

    private synchronized int intern(S s) {
        Integer id = ids.get(s);
        if (id == null) {
            id = states.size();
            states.add(s);
            ids.put(s, id);
        }
        return id;
    }

    private synchronized S stateOf(int id) {
        if (id < 0 || id >= states.size()) {
            throw new BadRequest("no state " + id + " (the page knows states 0 to " + (states.size() - 1) + ")");
        }
        return states.get(id);
    }

    private ObjectNode state(int id, int prev) {
        S s = stateOf(id);
        Map<String, TlaValue> values = ExplorerGraph.valuesOf(model, s);
        Map<String, TlaValue> before = prev < 0 ? null : ExplorerGraph.valuesOf(model, stateOf(prev));
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("tree", ValueTree.html(values, before));
        if (before != null) {
            ValueTree.changedPaths(values, before).forEach(n.putArray("changed")::add);
        }
        n.put("picture", StatePictures.svg(area, values).orElse(""));
        ArrayNode inv = n.putArray("invariants");
        for (Invariant<S> i : model.invariants()) {
            ObjectNode x = inv.addObject().put("id", i.id()).put("name", i.name());
            try {
                boolean holds = i.holds().test(s);
                x.put("holds", holds);
                if (!holds) {
                    i.failingConjunct(s).ifPresent(c -> x.put("conjunct", c));
                }
            } catch (RuntimeException e) {
                x.putNull("holds");
                x.put("error", String.valueOf(e));
            }
        }
        ArrayNode enabled = n.putArray("enabled");
        List<Object[]> found = new ArrayList<>();
        model.successors(s, (a, next) -> found.add(new Object[] {a, next}));
        for (Object[] f : found) {
            @SuppressWarnings("unchecked")
            S next = (S) f[1];
            Action a = (Action) f[0];
            ObjectNode e = enabled.addObject();
            e.put("label", a.toString());
            e.put("name", a.name());
            a.args().forEach(e.putArray("args")::add);
            e.put("to", intern(next));
            ArrayNode props = e.putArray("properties");
            TraceEvaluation.actionProperties(model, s, a, next).forEach((name, holds) -> {
                ObjectNode p = props.addObject().put("name", name);
                if (holds == null) {
                    p.putNull("holds");
                } else {
                    p.put("holds", holds);
                }
            });
        }
        return n;
    }

    private ObjectNode why(int id, String action, List<String> args) {
        S s = stateOf(id);
        Action a = new Action(action, args);
        ObjectNode n = JSON.createObjectNode();
        n.put("action", a.toString());
        boolean enabled = model.enabled(s).contains(a);
        n.put("enabled", enabled);
        Optional<List<Guard>> guards = model.guards(s, a);
        ArrayNode g = n.putArray("guards");
        guards.ifPresent(list -> list.forEach(x -> g.addObject().put("name", x.name()).put("holds", x.holds())));
        boolean allHold = guards.map(list -> list.stream().allMatch(Guard::holds)).orElse(false);
        if (guards.isEmpty()) {
            n.put("message", model.name() + " does not name the guards of " + action + "; the enabled actions are listed above");
        } else if (enabled && allHold) {
            n.put("message", a + " is enabled: every guard holds");
        } else if (!enabled && !allHold) {
            Guard bad = guards.get().stream().filter(x -> !x.holds()).findFirst().orElseThrow();
            n.put("message", a + " is not enabled: the guard \"" + bad.name() + "\" is false");
        } else {
            n.put("message", a + (enabled ? " is enabled, yet a guard is false" : " is not enabled, yet every guard holds")
                    + ": the model's guards and its successor relation disagree (a bug in the model)");
        }
        return n;
    }

    /** The trace given at start, replayed once. */
    private synchronized ObjectNode openedTrace() {
        if (openedTrace == null) {
            openedTrace = load(initialTrace.orElseThrow(), "the trace given with --trace");
        }
        return openedTrace;
    }

    private ObjectNode load(String itf) {
        return load(ItfReader.fromJson(itf, "the trace loaded into the page"), "the loaded trace");
    }

    private ObjectNode load(Trace trace, String origin) {
        TraceEvaluation.Result r = TraceEvaluation.evaluate(model, trace, origin);
        ObjectNode n = JSON.createObjectNode();
        n.put("replayed", r.replay().replayed());
        n.put("message", r.replay().message());
        ArrayNode steps = n.putArray("steps");
        for (int i = 0; i < r.replay().states().size(); i++) {
            @SuppressWarnings("unchecked")
            S s = (S) r.replay().states().get(i);
            ObjectNode st = steps.addObject();
            st.put("id", intern(s));
            st.put("label", i == 0 ? "Init" : r.actions().get(i).map(Object::toString).orElse(trace.steps().get(i).action()));
        }
        return n;
    }

    private ObjectNode save(JsonNode body) {
        JsonNode trail = body.path("steps");
        if (!trail.isArray() || trail.isEmpty()) {
            throw new BadRequest("nothing to save: the walk has no states");
        }
        // The walk is checked against the model before it is offered as a regression test: the first
        // state initial, each later one a successor of the one before, labelled with the model's action.
        Trace.Builder b = Trace.builder("mkspec explorer", model.name() + " with " + configLabel, "a walk built by hand");
        S before = null;
        for (int i = 0; i < trail.size(); i++) {
            S s = stateOf(trail.get(i).path("id").asInt(-1));
            String label;
            if (i == 0) {
                if (!model.initialStates().contains(s)) {
                    throw new BadRequest("state 0 of the walk is not an initial state of " + model.name());
                }
                label = "Init";
            } else {
                String asked = trail.get(i).path("label").asText("");
                List<String> labels = new ArrayList<>();
                S from = before;
                model.successors(from, (a, next) -> {
                    if (next.equals(s)) {
                        labels.add(a.toString());
                    }
                });
                if (labels.isEmpty()) {
                    throw new BadRequest("state " + i + " of the walk is not a successor of state " + (i - 1) + " in " + model.name());
                }
                label = labels.contains(asked) ? asked : labels.get(0);
            }
            b.step(label, Optional.empty(), ExplorerGraph.valuesOf(model, s));
            before = s;
        }
        Path file;
        synchronized (this) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            int n = 1;
            do {
                file = saveDir.resolve("walk-" + stamp + (n == 1 ? "" : "-" + n) + ".itf.json");
                n++;
            } while (java.nio.file.Files.exists(file));
            AtomicFiles.write(file, ItfWriter.toJson(b.build()));
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("path", file.toString());
        n.put("replay", "./mkspec replay " + quote(file.toString()) + " --model " + model.name() + " --config " + quote(configLabel));
        return n;
    }

    /** A path as a POSIX shell takes it: quoted when it holds anything but plain characters. */
    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./@%+=:,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    // ---------------------------------------------------------------------------------------------

    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String one(Map<String, List<String>> q, String key) {
        List<String> v = q.get(key);
        if (v == null || v.isEmpty()) {
            throw new BadRequest("the request lacks ?" + key + "=");
        }
        return v.get(0);
    }

    private static int intParam(Map<String, List<String>> q, String key) {
        String v = one(q, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadRequest("?" + key + "= must be a state number, not '" + v + "'");
        }
    }

    /** The largest request body taken: a trace of a few thousand states. */
    static final int MAX_BODY = 8 << 20;

    private static String body(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            throw new BadRequest(ex.getRequestURI().getPath() + " takes a POST");
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            // A form or text/plain POST is what a page elsewhere can send without asking; the page sends JSON.
            throw new BadRequest(ex.getRequestURI().getPath() + " takes Content-Type: application/json");
        }
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BODY) {
            throw new TooLarge("the request has " + length + " bytes; the explorer takes at most " + MAX_BODY);
        }
        byte[] bytes = ex.getRequestBody().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new TooLarge("the request has more than " + MAX_BODY + " bytes; the explorer takes at most that");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange ex, JsonNode n) throws IOException {
        send(ex, 200, "application/json", JSON.writeValueAsString(n));
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
