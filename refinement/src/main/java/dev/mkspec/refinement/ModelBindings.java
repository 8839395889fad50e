package dev.mkspec.refinement;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Java models that manifests and {@code ./mkspec explore} can name. The list is written out
 * here, in code, rather than discovered by reflection; a model is added by adding a line.
 */
public final class ModelBindings {
    private final Map<String, ModelBinding<?>> bindings;

    private ModelBindings(List<ModelBinding<?>> list) {
        Map<String, ModelBinding<?>> m = new TreeMap<>();
        for (ModelBinding<?> b : list) {
            if (m.put(b.name(), b) != null) {
                throw new IllegalStateException("two models are named " + b.name());
            }
        }
        this.bindings = Map.copyOf(m);
    }

    /** Every model mkspec ships. */
    public static ModelBindings standard() {
        return new ModelBindings(List.of(new AddressSpacesBinding(), new TlbBinding(), new IpcBinding(),
                new SegmentsBinding(), new SmallSpacesBinding()));
    }

    /** A registry of the given models, for tests and for users who add their own. */
    public static ModelBindings of(List<ModelBinding<?>> list) {
        return new ModelBindings(list);
    }

    public Optional<ModelBinding<?>> find(String name) {
        return Optional.ofNullable(bindings.get(name));
    }

    /** The names, sorted. */
    public List<String> names() {
        return List.copyOf(new TreeMap<>(bindings).keySet());
    }
}
