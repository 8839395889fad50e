package dev.mkspec.ci.plan;

import dev.mkspec.ci.report.AtomicFiles;
import dev.mkspec.specs.trace.ItfWriter;
import dev.mkspec.specs.trace.Trace;
import dev.mkspec.specs.trace.TraceTable;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A check's trace written beside the reports, as ITF JSON and as a text table.
 *
 * @param itf the ITF file, if there was a trace
 * @param text the text table, if there was a trace
 */
record TraceFiles(Optional<Path> itf, Optional<Path> text) {

    /** Writes {@code trace}, if there is one, under the check's ID. */
    static TraceFiles write(PlanContext context, String id, Optional<Trace> trace) {
        if (trace.isEmpty()) {
            return new TraceFiles(Optional.empty(), Optional.empty());
        }
        Path itf = context.traceFile(id, ".itf.json");
        Path text = context.traceFile(id, ".txt");
        AtomicFiles.write(itf, ItfWriter.toJson(trace.get()));
        AtomicFiles.write(text, TraceTable.render(trace.get()));
        return new TraceFiles(Optional.of(itf), Optional.of(text));
    }
}
