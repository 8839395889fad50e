package dev.mkspec.ci.catalog;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mkspec.specs.InputText;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import java.nio.file.Files;
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
     * Why an entry is redundant: the entries that together imply it, the argument in one
     * sentence, and the checks (if any) that prove the implication by machine. A redundant entry
     * is kept (IDs are never retired) and still checked; the mark tells a review that citing it
     * adds nothing to citing the entries that imply it.
     *
     * @param ids the implying entries
     * @param reason the argument
     * @param provedBy checks that prove the implication (for example an Alloy check); may be empty
     */
    public record Implication(List<String> ids, String reason, List<String> provedBy) {
        public Implication {
            ids = List.copyOf(ids);
            provedBy = List.copyOf(provedBy);
        }
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
     * @param impliedBy the entries that together imply this one, if it is redundant
     * @param noJava why no Java model states this invariant or action property yet, if none does
     */
    public record Entry(String id, String title, String statement, String kind, String tla, String java,
            Optional<String> alloy, List<String> checkedBy, List<String> failsIn, Optional<Implication> impliedBy,
            Optional<String> noJava, Optional<String> kernel) {

        public Entry(String id, String title, String statement, String kind, String tla, String java,
                Optional<String> alloy, List<String> checkedBy, List<String> failsIn, Optional<Implication> impliedBy,
                Optional<String> noJava) {
            this(id, title, statement, kind, tla, java, alloy, checkedBy, failsIn, impliedBy, noJava, Optional.empty());
        }

        public Entry {
            checkedBy = List.copyOf(checkedBy);
            failsIn = List.copyOf(failsIn);
        }

        /** An entry without an implication. */
        public Entry(String id, String title, String statement, String kind, String tla, String java,
                Optional<String> alloy, List<String> checkedBy, List<String> failsIn) {
            this(id, title, statement, kind, tla, java, alloy, checkedBy, failsIn, Optional.empty(), Optional.empty());
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
     *     and its line and column
     */
    public static InvariantCatalog read(Path file) {
        return new Reader(file).catalog();
    }

    /** Reads one catalog file, reporting each mistake at its line and column. */
    private static final class Reader {
        private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

        private final Path file;
        private String text;

        Reader(Path file) {
            this.file = file;
        }

        InvariantCatalog catalog() {
            text = InputText.read(file, (where, what) -> Problem.MANIFEST_INVALID.exception(where, what));
            JsonNode root = InputText.tree(YAML, text, file.toString(),
                    (where, what) -> Problem.MANIFEST_INVALID.exception(where, "it is not valid YAML: " + what));
            JsonPointer list = JsonPointer.empty().appendProperty("invariants");
            if (root == null || !root.path("invariants").isArray()) {
                throw error(JsonPointer.empty(), "it needs a list 'invariants'");
            }
            List<Entry> out = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            JsonNode entries = root.get("invariants");
            for (int i = 0; i < entries.size(); i++) {
                JsonNode n = entries.get(i);
                JsonPointer at = list.appendIndex(i);
                String where = "invariants[" + i + "]";
                if (!n.isObject()) {
                    throw error(at, where + " must be an entry with an id, a title, a statement and a kind");
                }
                String id = text(n, at, "id", where);
                if (!id.matches("[A-Z]+-\\d+")) {
                    throw error(at.appendProperty("id"), where + ".id '" + id + "' must look like AS-3");
                }
                if (!ids.add(id)) {
                    throw error(at.appendProperty("id"), "the ID " + id + " appears twice; IDs are never reused");
                }
                where = id;
                String kind = text(n, at, "kind", where);
                if (!KINDS.contains(kind)) {
                    throw error(at.appendProperty("kind"), where + ".kind must be one of " + KINDS + ", not '" + kind + "'");
                }
                Optional<String> alloy = n.has("alloy") ? Optional.of(reference(n, at, "alloy", where)) : Optional.empty();
                Optional<String> kernelRef = n.has("kernel") ? Optional.of(reference(n, at, "kernel", where)) : Optional.empty();
                if (kernelRef.isPresent() && (n.has("tla") || n.has("java") || alloy.isPresent() || !kind.equals("invariant"))) {
                    throw error(at.appendProperty("kernel"), where + ": a kernel invariant (kernel) is stated in kernel-impl"
                            + " only: an invariant with no tla, java or alloy");
                }
                if (!n.has("tla") && alloy.isEmpty() && kernelRef.isEmpty()) {
                    throw error(at, where + " names neither a TLA+ operator (tla), an Alloy predicate (alloy) nor a"
                            + " kernel invariant (kernel); a property must be stated somewhere");
                }
                String tla = n.has("tla") || n.has("java") ? reference(n, at, "tla", where) : null;
                // Liveness and deadlock freedom stay with TLC (the explorer checks deadlock, but no model
                // states it as a predicate), so they have no Java twin.
                boolean twin = kind.equals("invariant") || kind.equals("action property");
                // A property the Java models do not state yet says why instead (noJava), so that the
                // gap is visible in the catalog and the reports rather than hidden.
                Optional<String> noJava = n.has("noJava") ? Optional.of(text(n, at, "noJava", where)) : Optional.empty();
                if (noJava.isPresent() && (n.has("java") || !twin)) {
                    throw error(at.appendProperty("noJava"), where + ": 'noJava' is for an invariant or action property"
                            + " that names no Java twin; " + (n.has("java") ? "remove one of 'java' and 'noJava'"
                            : "a " + kind + " property has no Java twin anyway; remove 'noJava'"));
                }
                String java = tla == null || !twin || noJava.isPresent() ? null : reference(n, at, "java", where);
                if (!twin && n.has("java")) {
                    throw error(at.appendProperty("java"), where + ": a " + kind + " property has no Java twin;"
                            + " remove 'java'");
                }
                Optional<Implication> implied = Optional.empty();
                if (n.has("impliedBy")) {
                    JsonNode ib = n.get("impliedBy");
                    JsonPointer ibAt = at.appendProperty("impliedBy");
                    if (!ib.isObject()) {
                        throw error(ibAt, where + ".impliedBy must be a map with 'ids', a 'reason' and optionally"
                                + " 'provedBy'");
                    }
                    List<String> by = list(ib, ibAt, "ids", where + ".impliedBy");
                    if (by.isEmpty()) {
                        throw error(ibAt, where + ".impliedBy.ids names no entry");
                    }
                    implied = Optional.of(new Implication(by, text(ib, ibAt, "reason", where + ".impliedBy"),
                            ib.has("provedBy") ? list(ib, ibAt, "provedBy", where + ".impliedBy") : List.of()));
                }
                out.add(new Entry(id, text(n, at, "title", where), text(n, at, "statement", where), kind, tla, java,
                        alloy, list(n, at, "checkedBy", where), list(n, at, "failsIn", where), implied, noJava, kernelRef));
            }
            return new InvariantCatalog(file, out);
        }

        private String text(JsonNode n, JsonPointer at, String key, String where) {
            JsonNode v = n.get(key);
            if (v == null || !v.isTextual() || v.asText().isBlank()) {
                throw error(v == null ? at : at.appendProperty(key), where + " needs a '" + key + "'");
            }
            return v.asText().trim();
        }

        private String reference(JsonNode n, JsonPointer at, String key, String where) {
            String r = text(n, at, key, where);
            if (!r.matches("[\\w.-]+![\\w-]+")) {
                throw error(at.appendProperty(key), where + "." + key + " '" + r + "' must look like Name!Item");
            }
            return r;
        }

        private List<String> list(JsonNode n, JsonPointer at, String key, String where) {
            JsonNode v = n.get(key);
            if (v == null || !v.isArray()) {
                throw error(v == null ? at : at.appendProperty(key), where + " needs a list '" + key + "'");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                JsonNode x = v.get(i);
                if (!x.isValueNode() || x.isNull()) {
                    throw error(at.appendProperty(key).appendIndex(i), where + "." + key
                            + " must list checks by name, such as tlc:Area/fast");
                }
                out.add(x.asText());
            }
            return out;
        }

        /** The problem at {@code at}, reported as {@code invariants.yaml:line:column: what}. */
        private MkspecException error(JsonPointer at, String what) {
            return Problem.MANIFEST_INVALID.exception(InputText.locate(YAML, text, file.toString(), at), what);
        }
    }

    public Optional<Entry> entry(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }
}
