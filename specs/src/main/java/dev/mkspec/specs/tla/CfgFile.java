package dev.mkspec.specs.tla;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A TLC configuration file, as TLC reads it. mkspec reads the same file so that one configuration
 * drives TLC and the Java models alike.
 *
 * @param path where the file was read from, or {@code null} if it was parsed from a string
 * @param constants constant assignments {@code Name = value}, in file order
 * @param substitutions operator substitutions {@code Name <- Op}, in file order
 * @param init the INIT operator, if any
 * @param next the NEXT operator, if any
 * @param specification the SPECIFICATION operator, if any
 * @param invariants the INVARIANT and INVARIANTS names, in file order
 * @param properties the PROPERTY and PROPERTIES names, in file order
 * @param constraints the CONSTRAINT names
 * @param actionConstraints the ACTION_CONSTRAINT names
 * @param symmetry the SYMMETRY operator, if any
 * @param view the VIEW operator, if any
 * @param alias the ALIAS operator, if any
 * @param postcondition the POSTCONDITION operator, if any
 * @param checkDeadlock the CHECK_DEADLOCK setting; empty means TLC's default (check)
 * @param lines the 1-based line on which each name first appears, for error messages
 */
public record CfgFile(
        Path path,
        Map<String, TlaValue> constants,
        Map<String, String> substitutions,
        Optional<String> init,
        Optional<String> next,
        Optional<String> specification,
        List<String> invariants,
        List<String> properties,
        List<String> constraints,
        List<String> actionConstraints,
        Optional<String> symmetry,
        Optional<String> view,
        Optional<String> alias,
        Optional<String> postcondition,
        Optional<Boolean> checkDeadlock,
        Map<String, Integer> lines) {

    public CfgFile {
        constants = Map.copyOf(constants);
        substitutions = Map.copyOf(substitutions);
        invariants = List.copyOf(invariants);
        properties = List.copyOf(properties);
        constraints = List.copyOf(constraints);
        actionConstraints = List.copyOf(actionConstraints);
        lines = Map.copyOf(lines);
    }

    /**
     * The value assigned to a constant.
     *
     * @throws IllegalArgumentException if the file does not assign it; the message names the file
     */
    public TlaValue constant(String name) {
        TlaValue v = constants.get(name);
        if (v == null) {
            throw new IllegalArgumentException((path == null ? "the configuration" : path.toString())
                    + " does not assign the constant " + name + "; add '" + name + " = ...' under CONSTANTS");
        }
        return v;
    }

    /** The line on which a name first appears, if it does. */
    public Optional<Integer> lineOf(String name) {
        return Optional.ofNullable(lines.get(name));
    }

    /** Whether TLC checks for deadlock under this configuration. */
    public boolean checksDeadlock() {
        return checkDeadlock.orElse(true);
    }
}
