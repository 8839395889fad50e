package dev.mkspec.ci.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.ci.Durations;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tlc.TlcVerdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads and validates a {@code manifest.json}. Every mistake is reported with the manifest's path
 * and the key at fault, as {@link Problem#MANIFEST_INVALID}.
 *
 * <p>The format:
 * <pre>{@code
 * {
 *   "area": "AddressSpaces",                 (optional; defaults to the folder's name)
 *   "description": "map, grant and flush",   (optional)
 *   "library": ["../AddressSpaces"],         (optional: folders of modules the specs INSTANCE)
 *   "models": [
 *     { "name": "fast",
 *       "spec": "MCAddressSpaces.tla", "config": "MCAddressSpaces_fast.cfg",
 *       "profile": "fast",                   (fast | deep; default fast)
 *       "workers": 1,                        (a number, or "auto"; default 1)
 *       "timeout": "10m", "heap": "2g",      (optional)
 *       "expect": { "result": "success", "distinctStates": 1234, "totalStates": 5678,
 *                   "stateDepth": 9 },
 *       "explorer": { "model": "AddressSpaces", "compare": "graph" } }   (optional)
 *   ]
 * }
 * }</pre>
 */
public final class ManifestReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP = Set.of("area", "description", "models", "library");
    private static final Set<String> MODEL = Set.of("name", "spec", "config", "profile", "workers", "timeout",
            "heap", "expect", "explorer", "note");
    private static final Set<String> EXPECT = Set.of("result", "violated", "distinctStates", "totalStates",
            "stateDepth", "traceLength");
    private static final Set<String> EXPLORER = Set.of("model", "compare");

    private final Path file;

    private ManifestReader(Path file) {
        this.file = file;
    }

    /** Reads the manifest at {@code file}. */
    public static Manifest read(Path file) {
        return new ManifestReader(file).manifest();
    }

    private Manifest manifest() {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw Problem.FILE_NOT_FOUND.exception(file);
        } catch (IOException e) {
            throw Problem.IO_ERROR.exception(e, "cannot read " + file + ": " + e.getMessage());
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw error("it is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw error("the top level must be a JSON object");
        }
        keys(root, TOP, "the top level");
        String folderName = file.toAbsolutePath().getParent().getFileName().toString();
        String area = text(root, "area", "the top level").orElse(folderName);
        String description = text(root, "description", "the top level").orElse("");
        JsonNode models = root.get("models");
        if (models == null || !models.isArray() || models.isEmpty()) {
            throw error("'models' must be a non-empty array of configurations");
        }
        List<Manifest.Model> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            Manifest.Model m = model(models.get(i), "models[" + i + "]");
            if (!names.add(m.name())) {
                throw error("two models are named '" + m.name() + "'");
            }
            out.add(m);
        }
        return new Manifest(file, area, description, out, library(root));
    }

    private List<Path> library(JsonNode root) {
        JsonNode lib = root.get("library");
        if (lib == null) {
            return List.of();
        }
        if (!lib.isArray()) {
            throw error("'library' must be an array of folders, relative to the manifest");
        }
        List<Path> out = new ArrayList<>();
        for (JsonNode d : lib) {
            if (!d.isTextual()) {
                throw error("'library' must hold folder names as strings, not " + d);
            }
            Path dir = file.toAbsolutePath().getParent().resolve(d.asText()).normalize();
            if (!Files.isDirectory(dir)) {
                throw error("library folder '" + d.asText() + "' does not exist (looked for " + dir + ")");
            }
            out.add(dir);
        }
        return out;
    }

    private Manifest.Model model(JsonNode n, String where) {
        if (!n.isObject()) {
            throw error(where + " must be an object");
        }
        keys(n, MODEL, where);
        String name = required(n, "name", where);
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw error(where + ".name '" + name + "' may hold only letters, digits, '_', '.' and '-'");
        }
        String at = where + " ('" + name + "')";
        Path folder = file.toAbsolutePath().getParent();
        Path spec = existing(folder, required(n, "spec", at), at + ".spec", ".tla");
        Path config = existing(folder, required(n, "config", at), at + ".config", ".cfg");
        String profile = text(n, "profile", at).orElse("fast");
        if (!profile.equals("fast") && !profile.equals("deep")) {
            throw error(at + ".profile must be \"fast\" or \"deep\", not \"" + profile + "\"");
        }
        OptionalInt workers = OptionalInt.of(1);
        if (n.has("workers")) {
            JsonNode w = n.get("workers");
            if (w.isTextual() && w.asText().equals("auto")) {
                workers = OptionalInt.empty();
            } else if (w.isInt() && w.asInt() >= 1) {
                workers = OptionalInt.of(w.asInt());
            } else {
                throw error(at + ".workers must be a number of at least 1, or \"auto\"");
            }
        }
        Optional<Duration> timeout = Optional.empty();
        if (n.has("timeout")) {
            try {
                timeout = Optional.of(Durations.parse(n.get("timeout").asText()));
            } catch (MkspecException e) {
                throw error(at + ".timeout: " + e.getMessage().replaceFirst("^MK-\\d+: ", ""));
            }
        }
        Optional<String> heap = text(n, "heap", at);
        if (heap.isPresent() && !heap.get().matches("\\d+[kKmMgG]?")) {
            throw error(at + ".heap must look like 512m or 4g");
        }
        JsonNode e = n.get("expect");
        if (e == null || !e.isObject()) {
            throw error(at + " needs an 'expect' object with at least a 'result'");
        }
        keys(e, EXPECT, at + ".expect");
        String result = required(e, "result", at + ".expect");
        if (TlcVerdict.acceptedNames().stream().noneMatch(r -> r.equalsIgnoreCase(result.trim()))) {
            throw error(at + ".expect.result \"" + result + "\" is not a verdict; use one of "
                    + String.join(", ", TlcVerdict.acceptedNames()));
        }
        Manifest.Expect expect = new Manifest.Expect(result, text(e, "violated", at + ".expect"),
                count(e, "distinctStates", at), count(e, "totalStates", at), count(e, "stateDepth", at),
                e.has("traceLength") ? OptionalInt.of((int) count(e, "traceLength", at).getAsLong())
                        : OptionalInt.empty());
        Optional<Manifest.Explorer> explorer = Optional.empty();
        if (n.has("explorer")) {
            JsonNode x = n.get("explorer");
            if (!x.isObject()) {
                throw error(at + ".explorer must be an object with a 'model'");
            }
            keys(x, EXPLORER, at + ".explorer");
            String compare = text(x, "compare", at + ".explorer").orElse("counts");
            if (!compare.equals("counts") && !compare.equals("graph")) {
                throw error(at + ".explorer.compare must be \"counts\" or \"graph\"");
            }
            explorer = Optional.of(new Manifest.Explorer(required(x, "model", at + ".explorer"), compare));
        }
        return new Manifest.Model(name, spec, config, profile, workers, timeout, heap, expect, explorer);
    }

    private OptionalLong count(JsonNode n, String key, String where) {
        if (!n.has(key)) {
            return OptionalLong.empty();
        }
        JsonNode v = n.get(key);
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw error(where + ".expect." + key + " must be a whole number of at least 0");
        }
        return OptionalLong.of(v.asLong());
    }

    private Path existing(Path folder, String relative, String where, String extension) {
        if (!relative.endsWith(extension)) {
            throw error(where + " must name a " + extension + " file, not '" + relative + "'");
        }
        Path p = folder.resolve(relative).normalize();
        if (!Files.isRegularFile(p)) {
            throw error(where + " names " + relative + ", which does not exist in " + folder);
        }
        return p;
    }

    private void keys(JsonNode n, Set<String> allowed, String where) {
        Iterator<String> it = n.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw error(where + " has an unknown key '" + k + "'; the keys are " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private String required(JsonNode n, String key, String where) {
        return text(n, key, where).orElseThrow(() -> error(where + " needs a '" + key + "'"));
    }

    private Optional<String> text(JsonNode n, String key, String where) {
        if (!n.has(key)) {
            return Optional.empty();
        }
        JsonNode v = n.get(key);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw error(where + "." + key + " must be a non-empty string");
        }
        return Optional.of(v.asText());
    }

    private MkspecException error(String what) {
        return Problem.MANIFEST_INVALID.exception(file, what);
    }
}
