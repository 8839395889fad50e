package dev.mkspec.specs.trace;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.specs.InputText;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.tlc.SourcePosition;
import java.math.BigInteger;
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
 *
 * <p>Every state must give a value to every variable that {@code vars} lists. Anything wrong with
 * a file is reported as {@link Problem#TRACE_INVALID} at the line and column where it is, as
 * {@code origin:line:column: what}.
 */
public final class ItfReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The longest {@code #bigint} read, in digits: as long as the longest JSON number Jackson reads. */
    static final int MAX_BIGINT_DIGITS = 1000;

    private final String json;
    private final String origin;
    private final Set<String> modelValues = new HashSet<>();

    private ItfReader(String json, String origin) {
        this.json = json;
        this.origin = origin;
    }

    /**
     * Reads an ITF file.
     *
     * @throws MkspecException {@link Problem#TRACE_INVALID} at the position of the first mistake,
     *     also for a file that is not UTF-8 text; {@link Problem#FILE_NOT_FOUND}
     */
    public static Trace read(Path file) {
        String text = InputText.read(file, ItfReader::invalid);
        return fromJson(text, file.toString());
    }

    /** Parses ITF JSON text; {@code origin} names it in error messages. */
    public static Trace fromJson(String json, String origin) {
        return new ItfReader(json, origin).trace();
    }

    private static MkspecException invalid(SourcePosition where, String what) {
        return Problem.TRACE_INVALID.exception(where + ": " + what);
    }

    private MkspecException error(JsonPointer at, String what) {
        return invalid(InputText.locate(MAPPER, json, origin, at), what);
    }

    private Trace trace() {
        JsonNode root = InputText.tree(MAPPER, json, origin,
                (where, what) -> invalid(where, "the ITF file is not valid JSON (" + what + ")"));
        JsonPointer top = JsonPointer.empty();
        if (root == null || !root.isObject() || !root.path("states").isArray()) {
            throw error(top, "not an ITF trace: it needs a 'states' array at the top level");
        }
        JsonNode meta = root.path("#meta");
        JsonPointer metaAt = top.appendProperty("#meta");
        JsonNode names = meta.path("modelValues");
        for (int i = 0; i < names.size(); i++) {
            JsonNode n = names.get(i);
            if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
                throw error(metaAt.appendProperty("modelValues").appendIndex(i),
                        "#meta.modelValues must hold the names of model values, as non-empty strings");
            }
            modelValues.add(n.textValue());
        }
        List<String> vars = new ArrayList<>();
        JsonNode varsNode = root.path("vars");
        if (!varsNode.isMissingNode() && !varsNode.isArray()) {
            throw error(top.appendProperty("vars"), "'vars' must be an array of variable names");
        }
        for (int i = 0; i < varsNode.size(); i++) {
            JsonNode v = varsNode.get(i);
            if (!v.isTextual() || v.textValue().isEmpty()) {
                throw error(top.appendProperty("vars").appendIndex(i), "'vars' must hold variable names as strings");
            }
            vars.add(v.textValue());
        }

        Trace.Builder b = Trace.builder(meta.path("tool").asText("ITF"),
                meta.path("source").asText(origin), meta.path("description").asText(""));
        if (!vars.isEmpty()) {
            b.vars(vars);
        }
        JsonNode states = root.get("states");
        JsonPointer statesAt = top.appendProperty("states");
        if (states.isEmpty()) {
            throw error(statesAt, "the trace has no states; an ITF trace holds at least its initial state");
        }
        for (int i = 0; i < states.size(); i++) {
            JsonNode state = states.get(i);
            JsonPointer stateAt = statesAt.appendIndex(i);
            if (!state.isObject()) {
                throw error(stateAt, "state " + i + " must be an object holding the value of each variable");
            }
            Map<String, TlaValue> values = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = state.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!f.getKey().startsWith("#")) {
                    values.put(f.getKey(), value(f.getValue(), stateAt.appendProperty(f.getKey())));
                }
            }
            for (String var : vars) {
                if (!values.containsKey(var)) {
                    throw error(stateAt, "state " + i + " has no value for the variable " + var
                            + ", which 'vars' lists");
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
            JsonNode loop = root.get("loop");
            if (!loop.canConvertToInt() || !loop.isIntegralNumber() || loop.intValue() < 0
                    || loop.intValue() >= states.size()) {
                throw error(top.appendProperty("loop"), "'loop' must be the index of a state, from 0 to "
                        + (states.size() - 1) + ", not " + loop);
            }
            b.ending(new Trace.Ending.Loop(loop.intValue(), meta.path("loopAction").asText("")));
        }
        return b.build();
    }

    private TlaValue value(JsonNode n, JsonPointer at) {
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
            return new TlaValue.Seq(list(n, at));
        }
        if (n.isObject()) {
            if (n.has("#bigint")) {
                JsonNode digits = n.get("#bigint");
                if (!digits.isTextual() || !digits.textValue().matches("-?[0-9]{1," + MAX_BIGINT_DIGITS + "}")) {
                    throw error(at.appendProperty("#bigint"), "#bigint must be a string of at most "
                            + MAX_BIGINT_DIGITS + " decimal digits, with an optional '-'");
                }
                return new TlaValue.Int(new BigInteger(digits.textValue()));
            }
            if (n.has("#set")) {
                return TlaValue.SetValue.of(list(array(n, "#set", at), at.appendProperty("#set")));
            }
            if (n.has("#tup")) {
                return new TlaValue.Tuple(list(array(n, "#tup", at), at.appendProperty("#tup")));
            }
            if (n.has("#map")) {
                JsonNode pairs = array(n, "#map", at);
                Map<TlaValue, TlaValue> entries = new LinkedHashMap<>();
                for (int i = 0; i < pairs.size(); i++) {
                    JsonNode pair = pairs.get(i);
                    JsonPointer pairAt = at.appendProperty("#map").appendIndex(i);
                    if (!pair.isArray() || pair.size() != 2) {
                        throw error(pairAt, "a #map entry must be [key, value]");
                    }
                    entries.put(value(pair.get(0), pairAt.appendIndex(0)), value(pair.get(1), pairAt.appendIndex(1)));
                }
                return new TlaValue.Fun(entries);
            }
            if (n.has("#unserializable")) {
                return new TlaValue.Opaque(n.get("#unserializable").asText());
            }
            Map<String, TlaValue> fields = new LinkedHashMap<>();
            n.fields().forEachRemaining(f -> fields.put(f.getKey(), value(f.getValue(), at.appendProperty(f.getKey()))));
            return new TlaValue.Record(fields);
        }
        throw error(at, "unsupported ITF value " + abbreviate(n.toString())
                + "; ITF has booleans, integers, strings, arrays and objects (#bigint, #set, #tup, #map, records)");
    }

    private JsonNode array(JsonNode n, String key, JsonPointer at) {
        JsonNode a = n.get(key);
        if (!a.isArray()) {
            throw error(at.appendProperty(key), key + " must be an array");
        }
        return a;
    }

    private List<TlaValue> list(JsonNode array, JsonPointer at) {
        List<TlaValue> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(value(array.get(i), at.appendIndex(i)));
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
