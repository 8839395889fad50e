package dev.mkspec.ci.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mkspec.specs.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The invariant catalog, {@code specs/invariants.yaml}: the one list of the properties mkspec
 * checks, each with a stable ID, a sentence a design review can quote, where each tool defines
 * it, and the checks that verify it and the bug variants that break it.
 *
 * @param file where it was read from
 * @param entries the entries, in file order
 */
public record InvariantCatalog(Path file, List<Entry> entries) {
    /** The kinds of property the catalog knows. */
    public static final List<String> KINDS = List.of("invariant", "action property", "liveness", "deadlock freedom");


    public InvariantCatalog {
        entries = List.copyOf(entries);
    }

    /**
     * One property.
     *
     * @param id the stable ID, e.g. {@code AS-3}
     * @param title a few words
     * @param statement one sentence
     * @param kind {@code invariant}, {@code action property}, {@code liveness} (a temporal
     *     property TLC checks under the cfg's fairness) or {@code deadlock freedom} (TLC's and the
     *     explorer's deadlock check; the TLA+ reference names the spec's next-state action)
     * @param tla {@code Module!Operator}, or null for a property only Alloy states
     * @param java {@code Model!ID}; null when tla is, and for liveness and deadlock freedom
     * @param alloy {@code file!predicate}, if Alloy states it
     * @param checkedBy the checks that verify it
     * @param failsIn the bug variants that break it
     */
    public record Entry(String id, String title, String statement, String kind, String tla, String java,
            Optional<String> alloy, List<String> checkedBy, List<String> failsIn) {

        public Entry {
            checkedBy = List.copyOf(checkedBy);
            failsIn = List.copyOf(failsIn);
        }

        /** The TLA+ module. */
        /** Whether a TLA+ operator (and so a Java twin) states it; else only Alloy does. */
        public boolean hasTla() {
            return tla != null;
        }

        public String tlaModule() {
            return tla == null ? "" : tla.substring(0, tla.indexOf('!'));
        }

        /** The TLA+ operator. */
        public String tlaOperator() {
            return tla == null ? "" : tla.substring(tla.indexOf('!') + 1);
        }

        public String javaModel() {
            return java == null ? "" : java.substring(0, java.indexOf('!'));
        }

        public String javaId() {
            return java == null ? "" : java.substring(java.indexOf('!') + 1);
        }
    }

    /** The catalog under a repository root, if the root has one. */
    public static Optional<InvariantCatalog> find(Path root) {
        Path file = root.resolve("specs").resolve("invariants.yaml");
        return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
    }

    /**
     * Reads and checks the form of a catalog: every field present, IDs unique and well-formed,
     * references of the form {@code A!B}. Whether the references resolve is for
     * {@link CatalogCheck}.
     *
     * @throws dev.mkspec.specs.MkspecException ({@link Problem#MANIFEST_INVALID}) naming the entry at fault
     */
    public static InvariantCatalog read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw Problem.FILE_NOT_FOUND.exception(file);
        } catch (IOException e) {
            throw Problem.MANIFEST_INVALID.exception(file, "it is not valid YAML: " + e.getMessage());
        }
        if (root == null || !root.path("invariants").isArray()) {
            throw Problem.MANIFEST_INVALID.exception(file, "it needs a list 'invariants'");
        }
        List<Entry> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int i = 0;
        for (JsonNode n : root.get("invariants")) {
            String where = "invariants[" + i++ + "]";
            String id = text(file, n, "id", where);
            if (!id.matches("[A-Z]+-\\d+")) {
                throw Problem.MANIFEST_INVALID.exception(file, where + ".id '" + id + "' must look like AS-3");
            }
            if (!ids.add(id)) {
                throw Problem.MANIFEST_INVALID.exception(file, "the ID " + id + " appears twice; IDs are never reused");
            }
            where = id;
            String kind = text(file, n, "kind", where);
            if (!KINDS.contains(kind)) {
                throw Problem.MANIFEST_INVALID.exception(file, where + ".kind must be one of " + KINDS + ", not '" + kind
                        + "'");
            }
            Optional<String> alloy = n.has("alloy") ? Optional.of(reference(file, n, "alloy", where)) : Optional.empty();
            if (!n.has("tla") && alloy.isEmpty()) {
                throw Problem.MANIFEST_INVALID.exception(file, where + " names neither a TLA+ operator (tla) nor an"
                        + " Alloy predicate (alloy); a property must be stated somewhere");
            }
            String tla = n.has("tla") || n.has("java") ? reference(file, n, "tla", where) : null;
            // Liveness and deadlock freedom stay with TLC (the explorer checks deadlock, but no model
            // states it as a predicate), so they have no Java twin.
            boolean twin = kind.equals("invariant") || kind.equals("action property");
            String java = tla == null || !twin ? null : reference(file, n, "java", where);
            if (!twin && n.has("java")) {
                throw Problem.MANIFEST_INVALID.exception(file, where + ": a " + kind + " property has no Java twin;"
                        + " remove 'java'");
            }
            out.add(new Entry(id, text(file, n, "title", where), text(file, n, "statement", where), kind, tla, java,
                    alloy, list(file, n, "checkedBy", where), list(file, n, "failsIn", where)));
        }
        return new InvariantCatalog(file, out);
    }

    public Optional<Entry> entry(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    private static String text(Path file, JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw Problem.MANIFEST_INVALID.exception(file, where + " needs a '" + key + "'");
        }
        return v.asText().trim();
    }

    private static String reference(Path file, JsonNode n, String key, String where) {
        String r = text(file, n, key, where);
        if (!r.matches("[\\w.-]+![\\w-]+")) {
            throw Problem.MANIFEST_INVALID.exception(file, where + "." + key + " '" + r + "' must look like Name!Item");
        }
        return r;
    }

    private static List<String> list(Path file, JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || !v.isArray()) {
            throw Problem.MANIFEST_INVALID.exception(file, where + " needs a list '" + key + "'");
        }
        List<String> out = new ArrayList<>();
        v.forEach(x -> out.add(x.asText()));
        return out;
    }
}
