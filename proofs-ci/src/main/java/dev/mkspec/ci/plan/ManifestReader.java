package dev.mkspec.ci.plan;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkspec.ci.Durations;
import dev.mkspec.specs.InputText;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.Problem;
import dev.mkspec.specs.tlc.TlcVerdict;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
 * Reads and validates a {@code manifest.json}. Every mistake is reported as
 * {@link Problem#MANIFEST_INVALID} with the manifest's path, the line and column, and the key at
 * fault: {@code manifest.json:12:9: models[1] ('deep').profile must be ...}.
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
 *       "coverage": false,                   (optional, success models only: run TLC without
 *                                             -coverage; default true)
 *       "expect": { "result": "success", "distinctStates": 1234, "totalStates": 5678,
 *                   "stateDepth": 9 },
 *       "explorer": { "model": "AddressSpaces", "compare": "graph" },    (optional)
 *       "simulate": { "depth": 50, "traces": 1000, "seed": 0 } }   (optional: random walks in TLC
 *                                             (-simulate) and the explorer instead of exhaustive
 *                                             search; the expect gives the result only)
 *   ],
 *   "kernel": [                              (optional: the kernel checked against the model, in
 *                                             AddressSpaces, Ipc, Tlb, or FlushShootdown (trace only);
 *                                             "cpus": N spreads an Ipc forward check's threads over N CPUs)
 *     { "name": "graph_fast", "check": "graph",   (graph | forward | trace | invariants)
 *       "config": "MCAddressSpaces_fast.cfg",     (its constants are the bounds)
 *       "cpu": "i486", "design": "L4",            (defaults; "mitigations": true for KPTI)
 *       "bug": "NONE", "expect": "refines",       (a bug variant expects "caught";
 *                                                  invariants: "violates": "K-5")
 *       "runs": 200, "steps": 100,                (forward and trace: runs, calls per run)
 *       "profile": "fast" }
 *   ]
 * }
 * }</pre>
 */
public final class ManifestReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP = Set.of("area", "description", "models", "library", "kernel");
    private static final Set<String> KERNEL = Set.of("name", "check", "config", "cpu", "design", "mitigations", "bug",
            "runs", "steps", "profile", "expect", "violates", "note", "cpus");
    private static final Set<String> MODEL = Set.of("name", "spec", "config", "profile", "workers", "timeout",
            "heap", "expect", "explorer", "note", "coverage", "simulate");
    private static final Set<String> SIMULATE = Set.of("depth", "traces", "seed");
    private static final Set<String> EXPECT = Set.of("result", "violated", "distinctStates", "totalStates",
            "stateDepth", "traceLength");
    private static final Set<String> EXPLORER = Set.of("model", "compare");

    private final Path file;
    private String text;

    private ManifestReader(Path file) {
        this.file = file;
    }

    /** Reads the manifest at {@code file}. */
    public static Manifest read(Path file) {
        return new ManifestReader(file).manifest();
    }

    private Manifest manifest() {
        text = InputText.read(file, (where, what) -> Problem.MANIFEST_INVALID.exception(where, what));
        JsonNode root = InputText.tree(JSON, text, file.toString(),
                (where, what) -> Problem.MANIFEST_INVALID.exception(where, "it is not valid JSON: " + what));
        JsonPointer top = JsonPointer.empty();
        if (root == null || !root.isObject()) {
            throw error(top, "the top level must be a JSON object");
        }
        keys(root, top, TOP, "the top level");
        String folderName = file.toAbsolutePath().getParent().getFileName().toString();
        String area = text(root, top, "area", "the top level").orElse(folderName);
        String description = text(root, top, "description", "the top level").orElse("");
        JsonNode models = root.get("models");
        if (models == null || !models.isArray() || models.isEmpty()) {
            throw error(top.appendProperty("models"), "'models' must be a non-empty array of configurations");
        }
        List<Manifest.Model> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            JsonPointer at = top.appendProperty("models").appendIndex(i);
            Manifest.Model m = model(models.get(i), at, "models[" + i + "]");
            if (!names.add(m.name())) {
                throw error(at.appendProperty("name"), "two models are named '" + m.name() + "'");
            }
            out.add(m);
        }
        return new Manifest(file, area, description, out, library(root), kernel(root, area));
    }

    private List<Manifest.KernelRun> kernel(JsonNode root, String area) {
        JsonNode k = root.get("kernel");
        JsonPointer kAt = JsonPointer.empty().appendProperty("kernel");
        if (k == null) {
            return List.of();
        }
        if (!k.isArray()) {
            throw error(kAt, "'kernel' must be an array of kernel refinement checks");
        }
        List<Manifest.KernelRun> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < k.size(); i++) {
            JsonPointer ptr = kAt.appendIndex(i);
            JsonNode n = k.get(i);
            String where = "kernel[" + i + "]";
            if (!n.isObject()) {
                throw error(ptr, where + " must be an object");
            }
            keys(n, ptr, KERNEL, where);
            String name = required(n, ptr, "name", where);
            if (!name.matches("[A-Za-z0-9_.-]+") || !names.add(name)) {
                throw error(ptr.appendProperty("name"), where + ".name '" + name
                        + "' must be unique and hold only letters, digits, '_', '.' and '-'");
            }
            String at = where + " ('" + name + "')";
            String check = required(n, ptr, "check", at);
            if (!List.of("forward", "graph", "trace", "invariants").contains(check)) {
                throw error(ptr.appendProperty("check"), at + ".check must be \"forward\", \"graph\", \"trace\" or "
                        + "\"invariants\", not \"" + check + "\"");
            }
            if (!List.of("AddressSpaces", "Ipc", "Tlb", "FlushShootdown").contains(area)) {
                throw error(kAt, "kernel checks abstract the kernel to AddressSpaces, Ipc, Tlb or FlushShootdown; the area "
                        + area + " has none");
            }
            if ("FlushShootdown".equals(area) && (!check.equals("trace") || n.has("design") || n.has("mitigations"))) {
                throw error(ptr.appendProperty("check"), at + ": the FlushShootdown area has trace kernel checks only (TLC "
                        + "judges recorded runs of the kernel on several CPUs; the spec has no Java model), on the L4 design "
                        + "with mitigations off");
            }
            if ("Tlb".equals(area) && !check.equals("forward")) {
                throw error(ptr.appendProperty("check"), at + ".check: the Tlb area has forward kernel checks only (the "
                        + "kernel on several CPUs, step by step)");
            }
            if ("Ipc".equals(area) && check.equals("invariants")) {
                throw error(ptr.appendProperty("check"), at + ".check: the Ipc area has forward, graph and trace kernel checks;"
                        + " the kernel's invariants are checked in AddressSpaces");
            }
            Path config = existing(file.toAbsolutePath().getParent(), required(n, ptr, "config", at),
                    ptr.appendProperty("config"), at + ".config", ".cfg");
            String cpu = text(n, ptr, "cpu", at).orElse("i486");
            if (!dev.mkspec.hw.CpuProfile.BUILT_IN.contains(cpu)) {
                throw error(ptr.appendProperty("cpu"), at + ".cpu must be a built-in profile, one of "
                        + dev.mkspec.hw.CpuProfile.BUILT_IN + ", not \"" + cpu + "\"");
            }
            String design = oneOf(n, ptr, "design", at, "L4", dev.mkspec.kernel.KernelDesign.class);
            String bug = oneOf(n, ptr, "bug", at, "NONE", dev.mkspec.kernel.KernelBug.class);
            boolean mitigations = false;
            if (n.has("mitigations")) {
                if (!n.get("mitigations").isBoolean()) {
                    throw error(ptr.appendProperty("mitigations"), at + ".mitigations must be true or false");
                }
                mitigations = n.get("mitigations").asBoolean();
            }
            int runs = positive(n, ptr, "runs", at, check.equals("forward") || check.equals("invariants") ? 200
                    : check.equals("trace") ? 5 : 1);
            int steps = positive(n, ptr, "steps", at, 100);
            String profile = text(n, ptr, "profile", at).orElse("fast");
            if (!profile.equals("fast") && !profile.equals("deep")) {
                throw error(ptr.appendProperty("profile"), at + ".profile must be \"fast\" or \"deep\"");
            }
            String expect = text(n, ptr, "expect", at).orElse(bug.equals("NONE") ? "refines" : "caught");
            if (!expect.equals("refines") && !expect.equals("caught")) {
                throw error(ptr.appendProperty("expect"), at + ".expect must be \"refines\" or \"caught\"");
            }
            Optional<String> violates = text(n, ptr, "violates", at);
            if (violates.isPresent() && (!check.equals("invariants") || !expect.equals("caught")
                    || !dev.mkspec.kernel.KernelInvariants.IDS.contains(violates.get()))) {
                throw error(ptr.appendProperty("violates"), at + ".violates names the kernel invariant ("
                        + dev.mkspec.kernel.KernelInvariants.IDS + ") that an 'invariants' bug variant must break");
            }
            int cpus = positive(n, ptr, "cpus", at, 1);
            dev.mkspec.kernel.KernelDesign kd = dev.mkspec.kernel.KernelDesign.valueOf(design);
            if ((kd == dev.mkspec.kernel.KernelDesign.L4_SMALL || kd == dev.mkspec.kernel.KernelDesign.VST)
                    && (!kd.runsOn(dev.mkspec.hw.CpuProfile.load(cpu)) || mitigations || cpus > 1)) {
                throw error(ptr.appendProperty("design"), at + ": the " + design + " design runs on one "
                        + (kd == dev.mkspec.kernel.KernelDesign.VST ? "haswell or skylake CPU (a tagged TLB for its global "
                                + "segment indexes)" : "i486 or pentium CPU (x86-32 segments)")
                        + " without mitigations; change cpu, cpus or mitigations");
            }
            if (n.has("cpus") && "Tlb".equals(area)) {
                throw error(ptr.appendProperty("cpus"), at + ".cpus: a Tlb kernel check runs on the cfg's CPUs; remove \"cpus\"");
            }
            if (cpus > 1 && (!check.equals("forward") || !"Ipc".equals(area))) {
                throw error(ptr.appendProperty("cpus"), at + ".cpus: only the Ipc forward check spreads its threads over "
                        + "several CPUs; the other kernel checks run on one");
            }
            if (cpus > 1 && !List.of("haswell", "skylake").contains(cpu)) {
                throw error(ptr.appendProperty("cpus"), at + ".cpus: the " + cpu + " profile has no IPI costs, so the kernel "
                        + "runs it on one CPU; use haswell or skylake");
            }
            out.add(new Manifest.KernelRun(name, check, config, cpu, design, mitigations, bug, runs, steps, profile, expect,
                    violates, cpus));
        }
        return out;
    }

    private <E extends Enum<E>> String oneOf(JsonNode n, JsonPointer ptr, String key, String at, String dflt, Class<E> type) {
        String v = text(n, ptr, key, at).orElse(dflt);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return v;
            }
        }
        throw error(ptr.appendProperty(key), at + "." + key + " must be one of "
                + java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList() + ", not \"" + v + "\"");
    }

    private int positive(JsonNode n, JsonPointer ptr, String key, String at, int dflt) {
        if (!n.has(key)) {
            return dflt;
        }
        JsonNode v = n.get(key);
        if (!v.isInt() || v.asInt() < 1 || v.asInt() > 1_000_000) {
            throw error(ptr.appendProperty(key), at + "." + key + " must be a whole number from 1 to 1000000");
        }
        return v.asInt();
    }

    private List<Path> library(JsonNode root) {
        JsonNode lib = root.get("library");
        JsonPointer libAt = JsonPointer.empty().appendProperty("library");
        if (lib == null) {
            return List.of();
        }
        if (!lib.isArray()) {
            throw error(libAt, "'library' must be an array of folders, relative to the manifest");
        }
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < lib.size(); i++) {
            JsonNode d = lib.get(i);
            if (!d.isTextual()) {
                throw error(libAt.appendIndex(i), "'library' must hold folder names as strings, not " + d);
            }
            Path dir;
            try {
                dir = file.toAbsolutePath().getParent().resolve(d.asText()).normalize();
            } catch (InvalidPathException e) {
                throw error(libAt.appendIndex(i), "library folder '" + d.asText() + "' is not a path: " + e.getReason());
            }
            if (!Files.isDirectory(dir)) {
                throw error(libAt.appendIndex(i), "library folder '" + d.asText() + "' does not exist (looked for " + dir + ")");
            }
            out.add(dir);
        }
        return out;
    }

    private Manifest.Model model(JsonNode n, JsonPointer ptr, String where) {
        if (!n.isObject()) {
            throw error(ptr, where + " must be an object");
        }
        keys(n, ptr, MODEL, where);
        String name = required(n, ptr, "name", where);
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw error(ptr.appendProperty("name"), where + ".name '" + name
                    + "' may hold only letters, digits, '_', '.' and '-'");
        }
        String at = where + " ('" + name + "')";
        Path folder = file.toAbsolutePath().getParent();
        Path spec = existing(folder, required(n, ptr, "spec", at), ptr.appendProperty("spec"), at + ".spec", ".tla");
        Path config = existing(folder, required(n, ptr, "config", at), ptr.appendProperty("config"), at + ".config",
                ".cfg");
        String profile = text(n, ptr, "profile", at).orElse("fast");
        if (!profile.equals("fast") && !profile.equals("deep")) {
            throw error(ptr.appendProperty("profile"), at + ".profile must be \"fast\" or \"deep\", not \""
                    + profile + "\"");
        }
        OptionalInt workers = OptionalInt.of(1);
        if (n.has("workers")) {
            JsonNode w = n.get("workers");
            if (w.isTextual() && w.asText().equals("auto")) {
                workers = OptionalInt.empty();
            } else if (w.isInt() && w.asInt() >= 1) {
                workers = OptionalInt.of(w.asInt());
            } else {
                throw error(ptr.appendProperty("workers"), at + ".workers must be a number of at least 1, or \"auto\"");
            }
        }
        Optional<Duration> timeout = Optional.empty();
        if (n.has("timeout")) {
            try {
                timeout = Optional.of(Durations.parse(n.get("timeout").asText()));
            } catch (MkspecException e) {
                throw error(ptr.appendProperty("timeout"), at + ".timeout: "
                        + e.getMessage().replaceFirst("^MK-\\d+: ", ""));
            }
        }
        Optional<String> heap = text(n, ptr, "heap", at);
        if (heap.isPresent() && !heap.get().matches("\\d{1,9}[kKmMgG]?")) {
            throw error(ptr.appendProperty("heap"), at + ".heap must look like 512m or 4g");
        }
        JsonNode e = n.get("expect");
        JsonPointer ePtr = ptr.appendProperty("expect");
        if (e == null || !e.isObject()) {
            throw error(e == null ? ptr : ePtr, at + " needs an 'expect' object with at least a 'result'");
        }
        keys(e, ePtr, EXPECT, at + ".expect");
        String result = required(e, ePtr, "result", at + ".expect");
        if (TlcVerdict.acceptedNames().stream().noneMatch(r -> r.equalsIgnoreCase(result.trim()))) {
            throw error(ePtr.appendProperty("result"), at + ".expect.result \"" + result
                    + "\" is not a verdict; use one of " + String.join(", ", TlcVerdict.acceptedNames()));
        }
        OptionalLong traceLength = count(e, ePtr, "traceLength", at);
        if (traceLength.isPresent() && traceLength.getAsLong() > Integer.MAX_VALUE) {
            throw error(ePtr.appendProperty("traceLength"), at + ".expect.traceLength is longer than any trace");
        }
        Manifest.Expect expect = new Manifest.Expect(result, text(e, ePtr, "violated", at + ".expect"),
                count(e, ePtr, "distinctStates", at), count(e, ePtr, "totalStates", at),
                count(e, ePtr, "stateDepth", at),
                traceLength.isPresent() ? OptionalInt.of((int) traceLength.getAsLong()) : OptionalInt.empty());
        Optional<Manifest.Explorer> explorer = Optional.empty();
        if (n.has("explorer")) {
            JsonNode x = n.get("explorer");
            JsonPointer xPtr = ptr.appendProperty("explorer");
            if (!x.isObject()) {
                throw error(xPtr, at + ".explorer must be an object with a 'model'");
            }
            keys(x, xPtr, EXPLORER, at + ".explorer");
            String compare = text(x, xPtr, "compare", at + ".explorer").orElse("counts");
            if (!compare.equals("counts") && !compare.equals("graph")) {
                throw error(xPtr.appendProperty("compare"), at + ".explorer.compare must be \"counts\" or \"graph\"");
            }
            explorer = Optional.of(new Manifest.Explorer(required(x, xPtr, "model", at + ".explorer"), compare));
        }
        boolean coverage = true;
        if (n.has("coverage")) {
            if (!n.get("coverage").isBoolean()) {
                throw error(ptr.appendProperty("coverage"), at + ".coverage must be true or false");
            }
            if (!profile.equals("fast")) {
                throw error(ptr.appendProperty("coverage"), at + ".coverage applies only to a fast model (the deep"
                        + " profile collects no coverage); remove it");
            }
            if (!result.trim().equalsIgnoreCase("success")) {
                throw error(ptr.appendProperty("coverage"), at + ".coverage applies only to a model that expects"
                        + " success (a bug variant always runs without TLC's coverage); remove it");
            }
            coverage = n.get("coverage").asBoolean();
        }
        Optional<Manifest.Simulate> simulate = Optional.empty();
        if (n.has("simulate")) {
            JsonNode m = n.get("simulate");
            JsonPointer mPtr = ptr.appendProperty("simulate");
            if (!m.isObject()) {
                throw error(mPtr, at + ".simulate must be an object: { \"depth\": 50, \"traces\": 1000, \"seed\": 0 }");
            }
            if (!profile.equals("deep")) {
                throw error(mPtr, at + ".simulate is for the deep profile (bounds exhaustive search cannot finish; the "
                        + "fast profile searches its bounds whole): add \"profile\": \"deep\"");
            }
            keys(m, mPtr, SIMULATE, at + ".simulate");
            OptionalLong depth = count(m, mPtr, "depth", at + ".simulate");
            OptionalLong traces = count(m, mPtr, "traces", at + ".simulate");
            if (depth.isEmpty() || depth.getAsLong() < 1 || depth.getAsLong() > 1_000_000) {
                throw error(mPtr.appendProperty("depth"), at + ".simulate.depth must be the steps per walk, 1 to 1000000");
            }
            if (traces.isEmpty() || traces.getAsLong() < 1) {
                throw error(mPtr.appendProperty("traces"), at + ".simulate.traces must be the walks to take, at least 1");
            }
            long seed = 0;
            if (m.has("seed")) {
                if (!m.get("seed").canConvertToLong()) {
                    throw error(mPtr.appendProperty("seed"), at + ".simulate.seed must be a whole number");
                }
                seed = m.get("seed").asLong();
            }
            if (expect.distinctStates().isPresent() || expect.totalStates().isPresent()
                    || expect.stateDepth().isPresent() || expect.traceLength().isPresent()) {
                throw error(ePtr, at + ".expect gives counts, which a simulation does not reach the same way twice "
                        + "(nor TLC as the explorer); give only the result (and what is violated)");
            }
            if (explorer.isPresent() && explorer.get().compare().equals("graph")) {
                throw error(ptr.appendProperty("explorer"), at + ".explorer.compare \"graph\" needs the whole state "
                        + "graph, which a simulation does not make; use \"counts\" (a simulation compares verdicts)");
            }
            if (n.has("coverage")) {
                throw error(ptr.appendProperty("coverage"), at + ".coverage does not apply to a simulation; remove it");
            }
            simulate = Optional.of(new Manifest.Simulate((int) depth.getAsLong(), traces.getAsLong(), seed));
        }
        return new Manifest.Model(name, spec, config, profile, workers, timeout, heap, expect, explorer,
                simulate.isPresent() ? false : coverage, simulate);
    }

    private OptionalLong count(JsonNode n, JsonPointer ptr, String key, String where) {
        if (!n.has(key)) {
            return OptionalLong.empty();
        }
        JsonNode v = n.get(key);
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw error(ptr.appendProperty(key), where + ".expect." + key + " must be a whole number of at least 0");
        }
        return OptionalLong.of(v.asLong());
    }

    private Path existing(Path folder, String relative, JsonPointer ptr, String where, String extension) {
        if (!relative.endsWith(extension)) {
            throw error(ptr, where + " must name a " + extension + " file, not '" + relative + "'");
        }
        Path p;
        try {
            p = folder.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            throw error(ptr, where + " '" + relative + "' is not a path: " + e.getReason());
        }
        if (!Files.isRegularFile(p)) {
            throw error(ptr, where + " names " + relative + ", which does not exist in " + folder);
        }
        return p;
    }

    private void keys(JsonNode n, JsonPointer ptr, Set<String> allowed, String where) {
        Iterator<String> it = n.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw error(ptr.appendProperty(k), where + " has an unknown key '" + k + "'; the keys are "
                        + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private String required(JsonNode n, JsonPointer ptr, String key, String where) {
        return text(n, ptr, key, where).orElseThrow(() -> error(ptr, where + " needs a '" + key + "'"));
    }

    private Optional<String> text(JsonNode n, JsonPointer ptr, String key, String where) {
        if (!n.has(key)) {
            return Optional.empty();
        }
        JsonNode v = n.get(key);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw error(ptr.appendProperty(key), where + "." + key + " must be a non-empty string");
        }
        return Optional.of(v.asText());
    }

    /** The problem at {@code at}, reported as {@code manifest.json:line:column: what}. */
    private MkspecException error(JsonPointer at, String what) {
        return Problem.MANIFEST_INVALID.exception(InputText.locate(JSON, text, file.toString(), at), what);
    }
}
