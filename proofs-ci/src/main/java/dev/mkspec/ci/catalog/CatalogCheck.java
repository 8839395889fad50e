package dev.mkspec.ci.catalog;

import dev.mkspec.check.ActionProperty;
import dev.mkspec.check.Invariant;
import dev.mkspec.check.StateMachine;
import dev.mkspec.ci.plan.Manifest;
import dev.mkspec.ci.plan.ManifestReader;
import dev.mkspec.refinement.ModelBinding;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.alloy.AlloyCommandInfo;
import dev.mkspec.specs.alloy.AlloyOutcome;
import dev.mkspec.specs.alloy.AlloyRunner;
import dev.mkspec.specs.tla.CfgFile;
import dev.mkspec.specs.tla.CfgParser;
import dev.mkspec.specs.tlc.TlcVerdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks that the invariant catalog and the specs agree: every reference resolves (the TLA+
 * operator, the Java invariant with the same TLA+ name, the Alloy predicate), every configuration
 * that checks an operator is listed under it, every listed check exists and checks it, and every
 * entry names a bug variant whose manifest expects it to fail.
 */
public final class CatalogCheck {
    private final Path root;
    private final ModelBindings models;
    private final Map<String, Manifest.Model> configs = new LinkedHashMap<>();
    private final Map<String, Manifest> manifestOf = new HashMap<>();
    private final List<String> unreadable = new ArrayList<>();
    private final Map<String, Manifest.KernelRun> kernelRuns = new LinkedHashMap<>();

    public CatalogCheck(Path root, ModelBindings models) {
        this.root = root;
        this.models = models;
        Path tla = root.resolve("specs").resolve("tla");
        if (Files.isDirectory(tla)) {
            try (Stream<Path> dirs = Files.list(tla)) {
                for (Path dir : dirs.sorted().toList()) {
                    Path m = dir.resolve("manifest.json");
                    if (Files.isRegularFile(m)) {
                        Manifest manifest;
                        try {
                            manifest = ManifestReader.read(m);
                        } catch (MkspecException e) {
                            // The manifest's own check (plan:AREA) reports what is wrong with it.
                            unreadable.add(root.relativize(m).toString());
                            continue;
                        }
                        for (Manifest.KernelRun k : manifest.kernel()) {
                            kernelRuns.put(manifest.area() + "/" + k.name(), k);
                        }
                        for (Manifest.Model model : manifest.models()) {
                            String key = manifest.area() + "/" + model.name();
                            configs.put(key, model);
                            manifestOf.put(key, manifest);
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Every disagreement between the catalog and the specs; empty if they agree. */
    public List<String> problems(InvariantCatalog catalog) {
        List<String> out = new ArrayList<>();
        for (String m : unreadable) {
            out.add(m + " does not read (see its plan: check), so the catalog's references to its configurations "
                    + "cannot be resolved; fix the manifest first");
        }
        for (InvariantCatalog.Entry e : catalog.entries()) {
            if (e.hasTla()) {
                checkTla(e, out);
                if (e.java() != null) {
                    checkJava(e, out);
                }
            }
            e.alloy().ifPresent(a -> checkAlloy(e, a, out));
            e.kernel().ifPresent(k -> checkKernelRef(e, k, out));
            for (String id : e.checkedBy()) {
                checkListed(e, id, true, out);
            }
            if (e.failsIn().isEmpty()) {
                out.add(e.id() + " names no bug variant in failsIn: every property must be shown to fail");
            }
            for (String id : e.failsIn()) {
                checkListed(e, id, false, out);
            }
            e.impliedBy().ifPresent(i -> checkImplication(catalog, e, i, out));
        }
        checkComplete(catalog, out);
        return out;
    }

    private Optional<Path> moduleFile(String module) {
        Path tla = root.resolve("specs").resolve("tla");
        try (Stream<Path> files = Files.walk(tla, 2)) {
            return files.filter(p -> p.getFileName().toString().equals(module + ".tla")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void checkTla(InvariantCatalog.Entry e, List<String> out) {
        Optional<Path> file = moduleFile(e.tlaModule());
        if (file.isEmpty()) {
            out.add(e.id() + ": no TLA+ module " + e.tlaModule() + " under specs/tla");
            return;
        }
        try {
            String text = Files.readString(file.get());
            if (!Pattern.compile("(?m)^" + Pattern.quote(e.tlaOperator()) + "\\s*==").matcher(text).find()) {
                out.add(e.id() + ": " + file.get().getFileName() + " does not define " + e.tlaOperator());
            }
        } catch (IOException ex) {
            out.add(e.id() + ": cannot read " + file.get());
        }
    }

    private void checkAlloy(InvariantCatalog.Entry e, String ref, List<String> out) {
        String fileName = ref.substring(0, ref.indexOf('!'));
        String name = ref.substring(ref.indexOf('!') + 1);
        Path file = root.resolve("specs").resolve("alloy").resolve(fileName + ".als");
        try {
            String text = Files.readString(file);
            if (!Pattern.compile("(?m)^\\s*(pred|assert|check|run)\\s+" + Pattern.quote(name) + "\\b").matcher(text).find()) {
                out.add(e.id() + ": " + file.getFileName() + " has no pred, assert or command named " + name);
            }
        } catch (IOException ex) {
            out.add(e.id() + ": no Alloy file " + file);
        }
    }

    private void checkJava(InvariantCatalog.Entry e, List<String> out) {
        Optional<StateMachine<?>> model = modelFor(e.javaModel());
        if (model.isEmpty()) {
            out.add(e.id() + ": no Java model " + e.javaModel() + " with a configuration to build it from");
            return;
        }
        StateMachine<?> m = model.get();
        Optional<String> name = Optional.empty();
        boolean action = false;
        for (Invariant<?> i : m.invariants()) {
            if (i.id().equals(e.javaId())) {
                name = Optional.of(i.name());
            }
        }
        for (ActionProperty<?> p : m.actionProperties()) {
            if (p.id().equals(e.javaId())) {
                name = Optional.of(p.name());
                action = true;
            }
        }
        if (name.isEmpty()) {
            out.add(e.id() + ": the Java model " + e.javaModel() + " defines nothing with the ID " + e.javaId());
        } else {
            if (!name.get().equals(e.tlaOperator())) {
                out.add(e.id() + ": the Java model calls it " + name.get() + " but the TLA+ operator is " + e.tlaOperator());
            }
            if (action != e.kind().equals("action property")) {
                out.add(e.id() + ": the catalog says " + e.kind() + " but the Java model defines it as "
                        + (action ? "an action property" : "an invariant"));
            }
        }
    }

    /** The model built from the first configuration whose manifest names it. */
    private Optional<StateMachine<?>> modelFor(String name) {
        Optional<ModelBinding<?>> b = models.find(name);
        if (b.isEmpty()) {
            return Optional.empty();
        }
        for (Manifest.Model m : configs.values()) {
            if (m.explorer().map(x -> x.model().equals(name)).orElse(false)) {
                try {
                    return Optional.of(b.get().fromConfig(CfgParser.parse(m.config())));
                } catch (MkspecException | IllegalArgumentException ex) {
                    continue;
                }
            }
        }
        return Optional.empty();
    }

    private void checkListed(InvariantCatalog.Entry e, String checkId, boolean passing, List<String> out) {
        int colon = checkId.indexOf(':');
        String kind = colon < 0 ? "" : checkId.substring(0, colon);
        String key = colon < 0 ? checkId : checkId.substring(colon + 1);
        if (kind.equals("alloy")) {
            checkAlloyCommand(e, checkId, key, passing, out);
            return;
        }
        if (kind.equals("kernel")) {
            checkKernelRun(e, checkId, key, passing, out);
            return;
        }
        Manifest.Model model = configs.get(key);
        if (!kind.equals("tlc") && !kind.equals("explorer") || model == null) {
            out.add(e.id() + ": " + checkId + " is not a TLC or explorer check of any manifest");
            return;
        }
        if (kind.equals("explorer") && model.explorer().isEmpty()) {
            out.add(e.id() + ": " + checkId + " names a configuration without an explorer check");
        }
        if (model.simulate().isPresent()) {
            out.add(e.id() + ": " + checkId + " is a simulation, which samples behaviours and so verifies nothing; "
                    + "leave it out of checkedBy and failsIn");
        }
        if (kind.equals("explorer") && e.kind().equals("liveness")) {
            out.add(e.id() + ": " + checkId + ": liveness stays with TLC; list only tlc: checks");
        }
        if (!names(model, e)) {
            out.add(e.id() + ": " + checkId + "'s cfg (" + model.config().getFileName() + ") does not check "
                    + e.tlaOperator());
        }
        boolean success = TlcVerdict.SUCCESS.satisfies(model.expect().result());
        if (passing && !success) {
            out.add(e.id() + ": " + checkId + " is listed in checkedBy but its manifest expects "
                    + model.expect().result());
        }
        if (!passing && e.kind().equals("liveness")) {
            // TLC does not say which temporal property failed, so the cfg must check just this one.
            if (!TlcVerdict.TEMPORAL_PROPERTY_VIOLATED.satisfies(model.expect().result())
                    || !model.expect().violated().map(v -> v.equals(e.tlaOperator())).orElse(true)) {
                out.add(e.id() + ": " + checkId + " is listed in failsIn but its manifest does not expect a temporal"
                        + " property to be violated");
            }
            return;
        }
        if (!passing && e.kind().equals("deadlock freedom")) {
            if (!TlcVerdict.DEADLOCK.satisfies(model.expect().result())) {
                out.add(e.id() + ": " + checkId + " is listed in failsIn but its manifest does not expect a deadlock");
            }
            return;
        }
        if (!passing && (success || !model.expect().violated().map(v -> v.equals(e.tlaOperator())).orElse(false))) {
            out.add(e.id() + ": " + checkId + " is listed in failsIn but its manifest does not expect "
                    + e.tlaOperator() + " to be violated");
        }
    }

    private final Map<String, List<AlloyCommandInfo>> alloyCommands = new HashMap<>();

    /** An implication names other entries, and a proof of it is an Alloy check that expects unsat. */
    private void checkImplication(InvariantCatalog catalog, InvariantCatalog.Entry e, InvariantCatalog.Implication i,
            List<String> out) {
        for (String id : i.ids()) {
            if (id.equals(e.id())) {
                out.add(e.id() + ": impliedBy names the entry itself");
            } else if (catalog.entries().stream().noneMatch(x -> x.id().equals(id))) {
                out.add(e.id() + ": impliedBy names " + id + ", which the catalog does not have");
            }
        }
        for (String proof : i.provedBy()) {
            if (!proof.startsWith("alloy:")) {
                out.add(e.id() + ": impliedBy.provedBy " + proof + " must be an Alloy check (alloy:FILE/COMMAND)");
            } else {
                checkAlloyCommand(e, proof, proof.substring("alloy:".length()), true, out);
            }
        }
    }

    private void checkAlloyCommand(InvariantCatalog.Entry e, String checkId, String key, boolean passing, List<String> out) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            out.add(e.id() + ": " + checkId + " must look like alloy:FILE/COMMAND");
            return;
        }
        String file = key.substring(0, slash);
        String command = key.substring(slash + 1);
        List<AlloyCommandInfo> commands = alloyCommands.computeIfAbsent(file, f -> {
            try {
                return new AlloyRunner().parse(root.resolve("specs").resolve("alloy").resolve(f + ".als")).commands();
            } catch (MkspecException ex) {
                return List.of();
            }
        });
        Optional<AlloyCommandInfo> c = commands.stream().filter(x -> x.name().equals(command)).findFirst();
        if (c.isEmpty()) {
            out.add(e.id() + ": " + checkId + " is not a command of specs/alloy/" + file + ".als");
            return;
        }
        AlloyOutcome wanted = passing == c.get().check() ? AlloyOutcome.UNSAT : AlloyOutcome.SAT;
        if (!c.get().expectation().equals(Optional.of(wanted))) {
            out.add(e.id() + ": " + checkId + " is listed in " + (passing ? "checkedBy" : "failsIn")
                    + " but does not expect " + wanted.id());
        }
    }

    /** A kernel invariant's reference names an ID that {@code KernelInvariants} checks. */
    private void checkKernelRef(InvariantCatalog.Entry e, String ref, List<String> out) {
        String cls = ref.substring(0, ref.indexOf('!'));
        String id = ref.substring(ref.indexOf('!') + 1);
        if (!cls.equals("KernelInvariants") || !dev.mkspec.kernel.KernelInvariants.IDS.contains(id)) {
            out.add(e.id() + ": kernel " + ref + " must be KernelInvariants!ID with one of "
                    + dev.mkspec.kernel.KernelInvariants.IDS);
        }
    }

    /**
     * A kernel check listed under a kernel invariant: in checkedBy, an {@code invariants} check that
     * expects the kernel to pass; in failsIn, one whose bug must break exactly this invariant.
     */
    private void checkKernelRun(InvariantCatalog.Entry e, String checkId, String key, boolean passing, List<String> out) {
        Manifest.KernelRun k = kernelRuns.get(key);
        if (k == null) {
            out.add(e.id() + ": " + checkId + " is not a kernel check of any manifest");
            return;
        }
        if (e.kernel().isEmpty() || !k.check().equals("invariants")) {
            out.add(e.id() + ": " + checkId + " is a '" + k.check() + "' kernel check; only 'invariants' checks judge a"
                    + " kernel invariant");
            return;
        }
        String id = e.kernel().get().substring(e.kernel().get().indexOf('!') + 1);
        if (passing && !k.expect().equals("refines")) {
            out.add(e.id() + ": " + checkId + " is listed in checkedBy but expects its bug to be caught");
        }
        if (!passing && !k.violates().equals(Optional.of(id))) {
            out.add(e.id() + ": " + checkId + " is listed in failsIn but its manifest does not expect " + id + " to break");
        }
    }

    private static boolean names(Manifest.Model model, InvariantCatalog.Entry e) {
        try {
            CfgFile cfg = CfgParser.parse(model.config());
            return switch (e.kind()) {
                case "invariant" -> cfg.invariants().contains(e.tlaOperator());
                case "deadlock freedom" -> cfg.checksDeadlock();
                default -> cfg.properties().contains(e.tlaOperator());
            };
        } catch (MkspecException ex) {
            return false;
        }
    }

    /** Every passing configuration that checks a catalogued operator is listed under it. */
    private void checkComplete(InvariantCatalog catalog, List<String> out) {
        for (Map.Entry<String, Manifest.KernelRun> k : kernelRuns.entrySet()) {
            if (!k.getValue().check().equals("invariants") || !k.getValue().expect().equals("refines")) {
                continue;
            }
            for (InvariantCatalog.Entry e : catalog.entries()) {
                if (e.kernel().isPresent() && !e.checkedBy().contains("kernel:" + k.getKey())) {
                    out.add(e.id() + ": checkedBy lacks kernel:" + k.getKey() + ", which checks every kernel invariant");
                }
            }
        }
        for (Map.Entry<String, Manifest.Model> c : configs.entrySet()) {
            Manifest.Model model = c.getValue();
            if (!TlcVerdict.SUCCESS.satisfies(model.expect().result()) || model.simulate().isPresent()) {
                // A simulation that passes verifies nothing, so no entry cites it.
                continue;
            }
            CfgFile cfg;
            try {
                cfg = CfgParser.parse(model.config());
            } catch (MkspecException ex) {
                out.add("tlc:" + c.getKey() + ": " + ex.getMessage());
                continue;
            }
            List<String> operators = new ArrayList<>(cfg.invariants());
            operators.addAll(cfg.properties());
            Path folder = manifestOf.get(c.getKey()).folder();
            for (String op : operators) {
                Optional<InvariantCatalog.Entry> entry = catalog.entries().stream()
                        .filter(e -> e.tlaOperator().equals(op) && Files.isRegularFile(folder.resolve(e.tlaModule() + ".tla")))
                        .findFirst();
                if (entry.isEmpty()) {
                    out.add("tlc:" + c.getKey() + " checks " + op + ", which the catalog does not list");
                    continue;
                }
                if (!entry.get().checkedBy().contains("tlc:" + c.getKey())) {
                    out.add(entry.get().id() + ": checkedBy lacks tlc:" + c.getKey() + ", which checks " + op);
                }
                // The explorer checks what has a Java twin; a property with none (noJava) stays with TLC.
                if (model.explorer().isPresent() && !entry.get().kind().equals("liveness") && entry.get().noJava().isEmpty()
                        && !entry.get().checkedBy().contains("explorer:" + c.getKey())) {
                    out.add(entry.get().id() + ": checkedBy lacks explorer:" + c.getKey() + ", which checks " + op);
                }
            }
        }
    }
}
