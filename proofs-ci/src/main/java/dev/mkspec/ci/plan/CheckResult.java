package dev.mkspec.ci.plan;

import dev.mkspec.specs.ExitClass;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The outcome of one check of the plan: one TLC configuration, one explorer run, or one Alloy
 * command.
 *
 * @param id the check's stable ID, e.g. {@code tlc:AddressSpaces/fast}
 * @param kind which tool ran it
 * @param area the spec area or Alloy file
 * @param name the configuration or command
 * @param profile {@code fast} or {@code deep}
 * @param status how it came out
 * @param expected what the manifest or the file's comment expects, in words
 * @param actual what the tool said, in words
 * @param mismatches each way in which actual differs from expected; empty if it matched
 * @param message details for a person: the tool's own words on an error
 * @param distinctStates distinct states (TLC, explorer)
 * @param generatedStates states generated (TLC, explorer)
 * @param depth search depth (TLC, explorer)
 * @param statesPerSecond distinct states per second (TLC, explorer)
 * @param elapsed wall-clock time of the check
 * @param tool the tool and its version
 * @param properties the invariants and properties checked (operator names, or the Alloy command)
 * @param bounds the bounds checked: the cfg's constants, or the Alloy command's scope
 * @param itf the counterexample or instance as ITF JSON, if there is one
 * @param traceText the same as a text table
 * @param log the tool's raw output, if kept
 * @param toolTime the tool's own time, without starting it or recording a graph: TLC's reported
 *     time, or the explorer's exploration; empty for other checks
 * @param memory the explorer's memory per distinct state; empty for other checks
 */
public record CheckResult(
        String id,
        Kind kind,
        String area,
        String name,
        String profile,
        Status status,
        String expected,
        String actual,
        List<String> mismatches,
        String message,
        OptionalLong distinctStates,
        OptionalLong generatedStates,
        OptionalLong depth,
        OptionalDouble statesPerSecond,
        Duration elapsed,
        String tool,
        List<String> properties,
        String bounds,
        Optional<Path> itf,
        Optional<Path> traceText,
        Optional<Path> log,
        Optional<Duration> toolTime,
        Optional<Memory> memory) {

    public CheckResult {
        mismatches = List.copyOf(mismatches);
        properties = List.copyOf(properties);
    }

    /**
     * What an explorer run held: its fingerprint table, and the most heap in use at its samples
     * (garbage included), in bytes; per state is these over {@link #distinctStates}; and the
     * states and bytes of its frontier that went to disk.
     */
    public record Memory(long fingerprintBytes, long peakHeapBytes, long frontierStatesOnDisk, long frontierBytesOnDisk) {
    }

    /** A result without a memory report. */
    public CheckResult(String id, Kind kind, String area, String name, String profile, Status status, String expected,
            String actual, List<String> mismatches, String message, OptionalLong distinctStates,
            OptionalLong generatedStates, OptionalLong depth, OptionalDouble statesPerSecond, Duration elapsed,
            String tool, List<String> properties, String bounds, Optional<Path> itf, Optional<Path> traceText,
            Optional<Path> log, Optional<Duration> toolTime) {
        this(id, kind, area, name, profile, status, expected, actual, mismatches, message, distinctStates,
                generatedStates, depth, statesPerSecond, elapsed, tool, properties, bounds, itf, traceText, log,
                toolTime, Optional.empty());
    }

    /** A result without a separate tool time. */
    public CheckResult(String id, Kind kind, String area, String name, String profile, Status status, String expected,
            String actual, List<String> mismatches, String message, OptionalLong distinctStates,
            OptionalLong generatedStates, OptionalLong depth, OptionalDouble statesPerSecond, Duration elapsed,
            String tool, List<String> properties, String bounds, Optional<Path> itf, Optional<Path> traceText,
            Optional<Path> log) {
        this(id, kind, area, name, profile, status, expected, actual, mismatches, message, distinctStates,
                generatedStates, depth, statesPerSecond, elapsed, tool, properties, bounds, itf, traceText, log,
                Optional.empty(), Optional.empty());
    }

    /** Which tool a check runs. */
    public enum Kind {
        TLC("tlc"), EXPLORER("explorer"), ALLOY("alloy"), REFINEMENT("refinement"), KERNEL("kernel"), PLAN("plan");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** How a check came out. */
    public enum Status {
        /** The tool's verdict and counts are what was expected. */
        PASSED("pass", ExitClass.OK),
        /** The tool ran and gave something other than what was expected. */
        FAILED("FAIL", ExitClass.UNEXPECTED),
        /** The input is wrong (a parse, configuration or manifest error). */
        BAD_INPUT("BAD INPUT", ExitClass.BAD_INPUT),
        /** The tool crashed or could not be run. */
        TOOL_FAILURE("TOOL FAILURE", ExitClass.TOOL_FAILURE),
        TIMEOUT("TIMEOUT", ExitClass.TIMEOUT),
        OUT_OF_MEMORY("OUT OF MEMORY", ExitClass.OUT_OF_MEMORY),
        /** The tool ran, and nothing says what to expect: reported, not judged. */
        NOT_JUDGED("reported", ExitClass.OK),
        /** The check does not apply to this tool (liveness with the explorer); said, not skipped silently. */
        NOT_APPLICABLE("n/a", ExitClass.OK);

        private final String label;
        private final ExitClass exitClass;

        Status(String label, ExitClass exitClass) {
            this.label = label;
            this.exitClass = exitClass;
        }

        public String label() {
            return label;
        }

        public ExitClass exitClass() {
            return exitClass;
        }

        /** The status for a run that ended in this exit class. */
        public static Status of(ExitClass c) {
            return switch (c) {
                case OK -> PASSED;
                case UNEXPECTED -> FAILED;
                case BAD_INPUT, USAGE -> BAD_INPUT;
                case TOOL_FAILURE -> TOOL_FAILURE;
                case TIMEOUT -> TIMEOUT;
                case OUT_OF_MEMORY -> OUT_OF_MEMORY;
            };
        }
    }

    /** Whether the check came out as it should. */
    public boolean ok() {
        return status.exitClass() == ExitClass.OK;
    }

    /** A result for a check that could not run at all, because of {@code e}. */
    public static CheckResult error(String id, Kind kind, String area, String name, String profile,
            ExitClass exitClass, String expected, String message, Duration elapsed) {
        return new CheckResult(id, kind, area, name, profile, Status.of(exitClass), expected,
                exitClass.description(), List.of(message), message, OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalDouble.empty(), elapsed, "", List.of(), "", Optional.empty(),
                Optional.empty(), Optional.empty());
    }
}
