package dev.mkspec.specs.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tla.TlaValue;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads ITF JSON back into a {@link Trace}: the traces mkspec writes, and ITF from Apalache or
 * Quint. It accepts integers both as JSON numbers and as {@code #bigint}. Strings listed in
 * {@code #meta.modelValues} become model values again.
 */
public final class ItfReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ItfReader() {
    }

    /** Reads an ITF file. */
    public static Trace read(Path file) {
        try {
            return fromJson(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw Problem.FILE_NOT_FOUND.exception(file);
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Parses ITF JSON text; {@code origin} names it in error messages. */
    public static Trace fromJson(String json, String origin) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw Problem.TLA_VALUE_SYNTAX.exception(origin + " is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.has("states") || !root.get("states").isArray()) {
            throw Problem.TLA_VALUE_SYNTAX.exception(origin + " is not an ITF trace: it has no 'states' array");
        }
        JsonNode meta = root.path("#meta");
        Set<String> modelValues = new HashSet<>();
        meta.path("modelValues").forEach(n -> modelValues.add(n.asText()));
        List<String> vars = new ArrayList<>();
        root.path("vars").forEach(n -> vars.add(n.asText()));

        Trace.Builder b = Trace.builder(meta.path("tool").asText("ITF"),
                meta.path("source").asText(origin), meta.path("description").asText(""));
        if (!vars.isEmpty()) {
            b.vars(vars);
        }
        for (JsonNode state : root.get("states")) {
            Map<String, TlaValue> values = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = state.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!f.getKey().startsWith("#")) {
                    values.put(f.getKey(), value(f.getValue(), modelValues, origin));
                }
            }
            JsonNode sm = state.path("#meta");
            String action = sm.path("action").asText(b.size() == 0 ? "Init" : "");
            Optional<String> location = sm.has("location") ? Optional.of(sm.get("location").asText())
                    : Optional.empty();
            b.step(action, location, values);
        }
        String ending = meta.path("ending").asText("");
        if (ending.equals("stuttering")) {
            b.ending(new Trace.Ending.Stuttering());
        } else if (root.has("loop")) {
            b.ending(new Trace.Ending.Loop(root.get("loop").asInt(), meta.path("loopAction").asText("")));
        }
        return b.build();
    }

    static TlaValue value(JsonNode n, Set<String> modelValues, String origin) {
        if (n.isBoolean()) {
            return TlaValue.bool(n.booleanValue());
        }
        if (n.isIntegralNumber()) {
            return new TlaValue.Int(n.bigIntegerValue());
        }
        if (n.isTextual()) {
            String s = n.textValue();
            return modelValues.contains(s) ? new TlaValue.ModelValue(s) : new TlaValue.Str(s);
        }
        if (n.isArray()) {
            return new TlaValue.Seq(list(n, modelValues, origin));
        }
        if (n.isObject()) {
            if (n.has("#bigint")) {
                return new TlaValue.Int(new BigInteger(n.get("#bigint").asText()));
            }
            if (n.has("#set")) {
                return TlaValue.SetValue.of(list(n.get("#set"), modelValues, origin));
            }
            if (n.has("#tup")) {
                return new TlaValue.Tuple(list(n.get("#tup"), modelValues, origin));
            }
            if (n.has("#map")) {
                Map<TlaValue, TlaValue> entries = new LinkedHashMap<>();
                for (JsonNode pair : n.get("#map")) {
                    if (!pair.isArray() || pair.size() != 2) {
                        throw Problem.TLA_VALUE_SYNTAX.exception(origin + ": a #map entry must be [key, value]");
                    }
                    entries.put(value(pair.get(0), modelValues, origin), value(pair.get(1), modelValues, origin));
                }
                return new TlaValue.Fun(entries);
            }
            if (n.has("#unserializable")) {
                return new TlaValue.Opaque(n.get("#unserializable").asText());
            }
            Map<String, TlaValue> fields = new LinkedHashMap<>();
            n.fields().forEachRemaining(f -> fields.put(f.getKey(), value(f.getValue(), modelValues, origin)));
            return new TlaValue.Record(fields);
        }
        throw Problem.TLA_VALUE_SYNTAX.exception(origin + ": unsupported ITF value " + n);
    }

    private static List<TlaValue> list(JsonNode array, Set<String> modelValues, String origin) {
        List<TlaValue> out = new ArrayList<>(array.size());
        array.forEach(e -> out.add(value(e, modelValues, origin)));
        return out;
    }
}
