package dev.mkspec.specs.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.mkspec.specs.tla.TlaValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;

/**
 * Writes a {@link Trace} in the Informal Trace Format (ITF) of Apalache and Quint, ADR-015:
 * a JSON object with {@code #meta}, {@code vars}, {@code states} and, for lassos, {@code loop}.
 *
 * <p>Encodings: integers as {@code {"#bigint": "n"}} (the form the 2023 revision of ADR-015
 * requires), strings and booleans as JSON strings and booleans, sets as {@code {"#set": [..]}},
 * sequences as JSON arrays, Alloy tuples as {@code {"#tup": [..]}}, records as JSON objects,
 * functions as {@code {"#map": [[k, v], ..]}}, and values that cannot be enumerated as
 * {@code {"#unserializable": "text"}}. ITF has no model values; like Apalache, mkspec writes them
 * as strings, and lists their names in {@code #meta.modelValues} so that {@link ItfReader} can
 * restore them.
 *
 * <p>Each state's {@code #meta} holds its {@code index} and the {@code action} that led to it.
 */
public final class ItfWriter {
    /** Where the format is specified; written into every trace's {@code #meta}. */
    public static final String FORMAT_DESCRIPTION = "https://apalache-mc.org/docs/adr/015adr-trace.html";

    private static final JsonFactory JSON = new JsonFactory();

    private ItfWriter() {
    }

    /** The trace as ITF JSON text, pretty-printed. */
    public static String toJson(Trace trace) {
        StringWriter out = new StringWriter();
        write(trace, out);
        return out.toString();
    }

    /** Writes the trace as ITF JSON to {@code out}; does not close it. */
    public static void write(Trace trace, Writer out) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeObjectFieldStart("#meta");
            g.writeStringField("format", "ITF");
            g.writeStringField("format-description", FORMAT_DESCRIPTION);
            g.writeStringField("source", trace.source());
            g.writeStringField("description", trace.verdict());
            g.writeStringField("tool", trace.tool());
            g.writeArrayFieldStart("modelValues");
            for (String m : trace.modelValues()) {
                g.writeString(m);
            }
            g.writeEndArray();
            if (trace.ending() instanceof Trace.Ending.Stuttering) {
                g.writeStringField("ending", "stuttering");
            } else if (trace.ending() instanceof Trace.Ending.Loop loop) {
                g.writeStringField("ending", "loop");
                if (loop.action() != null && !loop.action().isEmpty()) {
                    g.writeStringField("loopAction", loop.action());
                }
            } else {
                g.writeStringField("ending", "finite");
            }
            g.writeEndObject();
            g.writeArrayFieldStart("vars");
            for (String v : trace.vars()) {
                g.writeString(v);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("states");
            for (Trace.Step step : trace.steps()) {
                g.writeStartObject();
                g.writeObjectFieldStart("#meta");
                g.writeNumberField("index", step.index());
                g.writeStringField("action", step.action());
                if (step.location().isPresent()) {
                    g.writeStringField("location", step.location().get());
                }
                g.writeEndObject();
                for (Map.Entry<String, TlaValue> e : step.values().entrySet()) {
                    g.writeFieldName(e.getKey());
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (trace.loopIndex().isPresent()) {
                g.writeNumberField("loop", trace.loopIndex().getAsInt());
            }
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeValue(JsonGenerator g, TlaValue v) throws IOException {
        if (v instanceof TlaValue.Int i) {
            g.writeStartObject();
            g.writeStringField("#bigint", i.value().toString());
            g.writeEndObject();
        } else if (v instanceof TlaValue.Str s) {
            g.writeString(s.value());
        } else if (v instanceof TlaValue.Bool b) {
            g.writeBoolean(b.value());
        } else if (v instanceof TlaValue.ModelValue m) {
            g.writeString(m.name());
        } else if (v instanceof TlaValue.SetValue s) {
            g.writeStartObject();
            g.writeArrayFieldStart("#set");
            for (TlaValue e : s.elements()) {
                writeValue(g, e);
            }
            g.writeEndArray();
            g.writeEndObject();
        } else if (v instanceof TlaValue.Seq s) {
            g.writeStartArray();
            for (TlaValue e : s.elements()) {
                writeValue(g, e);
            }
            g.writeEndArray();
        } else if (v instanceof TlaValue.Tuple t) {
            g.writeStartObject();
            g.writeArrayFieldStart("#tup");
            for (TlaValue e : t.elements()) {
                writeValue(g, e);
            }
            g.writeEndArray();
            g.writeEndObject();
        } else if (v instanceof TlaValue.Record r) {
            g.writeStartObject();
            for (Map.Entry<String, TlaValue> e : r.fields().entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof TlaValue.Fun f) {
            g.writeStartObject();
            g.writeArrayFieldStart("#map");
            for (Map.Entry<TlaValue, TlaValue> e : f.entries().entrySet()) {
                g.writeStartArray();
                writeValue(g, e.getKey());
                writeValue(g, e.getValue());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        } else if (v instanceof TlaValue.Opaque o) {
            g.writeStartObject();
            g.writeStringField("#unserializable", o.text());
            g.writeEndObject();
        } else {
            throw new IllegalStateException("unknown value kind " + v.getClass());
        }
    }
}
