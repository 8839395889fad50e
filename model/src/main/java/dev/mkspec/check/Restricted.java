package dev.mkspec.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A model that checks only some of its invariants and action properties, chosen by their TLA+
 * names, as a TLC configuration chooses which to check. Everything else is the underlying model's.
 *
 * @param <S> the state type
 */
public final class Restricted<S> extends ForwardingStateMachine<S> {
    private final List<Invariant<S>> invariants;
    private final List<ActionProperty<S>> actionProperties;

    private Restricted(StateMachine<S> model, List<Invariant<S>> invariants, List<ActionProperty<S>> actionProperties) {
        super(model);
        this.invariants = List.copyOf(invariants);
        this.actionProperties = List.copyOf(actionProperties);
    }

    /**
     * The model checking only the invariants named in {@code invariantNames} and the action
     * properties named in {@code propertyNames}, in the order named. A property name the model
     * does not define is skipped: it is taken to be a temporal property, which the explorer
     * does not check; {@link #unchecked} lists them.
     *
     * @throws IllegalArgumentException if an invariant name is not one of the model's; the message
     *     lists the model's invariants
     */
    public static <S> Restricted<S> to(StateMachine<S> model, List<String> invariantNames, List<String> propertyNames) {
        List<Invariant<S>> inv = new ArrayList<>();
        for (String name : invariantNames) {
            Invariant<S> found = model.invariants().stream().filter(i -> i.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the configuration checks the invariant " + name
                            + ", which the Java model " + model.name() + " does not define; it defines "
                            + model.invariants().stream().map(Invariant::name).toList()));
            inv.add(found);
        }
        List<ActionProperty<S>> props = new ArrayList<>();
        for (String name : propertyNames) {
            model.actionProperties().stream().filter(p -> p.name().equals(name)).findFirst().ifPresent(props::add);
        }
        return new Restricted<>(model, inv, props);
    }

    /** The property names given to {@link #to} that the model does not define as action properties. */
    public static Set<String> unchecked(StateMachine<?> model, List<String> propertyNames) {
        Set<String> out = new TreeSet<>(propertyNames);
        model.actionProperties().forEach(p -> out.remove(p.name()));
        return out;
    }

    @Override
    public List<Invariant<S>> invariants() {
        return invariants;
    }

    @Override
    public List<ActionProperty<S>> actionProperties() {
        return actionProperties;
    }
}
