package dev.mkspec.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An action of a model with the domain of each of its parameters: the disjunct
 * {@code \E src \in AllSpaces, v \in Fpages, ... : SpaceMap(src, v, ...)} of a spec's
 * {@code Next}, at the model's constants. Every {@link Action} the model reports under this name
 * is one of its {@link #instances}.
 *
 * @param name the action's name, as {@link Action#name}
 * @param params the parameters, in the order of {@link Action#args}
 */
public record ActionSchema(String name, List<Param> params) {
    public ActionSchema {
        Objects.requireNonNull(name, "name");
        params = List.copyOf(params);
    }

    /** A schema with these parameters. */
    public static ActionSchema of(String name, Param... params) {
        return new ActionSchema(name, List.of(params));
    }

    /**
     * One parameter and its whole domain.
     *
     * @param name the parameter's name in the spec, e.g. {@code "src"}
     * @param values the values it ranges over, in TLA+ syntax exactly as {@link Action#args}
     *     renders them, in the order the model tries them
     */
    public record Param(String name, List<String> values) {
        public Param {
            Objects.requireNonNull(name, "name");
            values = List.copyOf(values);
        }

        /** A parameter over the integers {@code from..to - 1}, as TLA+ writes them. */
        public static Param ints(String name, int from, int to) {
            List<String> out = new ArrayList<>();
            for (int i = from; i < to; i++) {
                out.add(Integer.toString(i));
            }
            return new Param(name, out);
        }
    }

    /** The number of instances: the product of the domains' sizes. */
    public long size() {
        long n = 1;
        for (Param p : params) {
            n *= p.values().size();
        }
        return n;
    }

    /**
     * Every instance of the action: the cartesian product of the parameters' values, the last
     * parameter varying fastest. Cost: {@link #size} actions.
     */
    public List<Action> instances() {
        List<Action> out = new ArrayList<>();
        if (size() == 0) {
            return out;
        }
        int[] at = new int[params.size()];
        while (true) {
            List<String> args = new ArrayList<>(at.length);
            for (int i = 0; i < at.length; i++) {
                args.add(params.get(i).values().get(at[i]));
            }
            out.add(new Action(name, args));
            int i = at.length - 1;
            while (i >= 0 && ++at[i] == params.get(i).values().size()) {
                at[i--] = 0;
            }
            if (i < 0) {
                return out;
            }
        }
    }

    /**
     * The position of each of the action's arguments among its parameter's values: what a model
     * decodes an action from.
     *
     * @throws IllegalArgumentException if the action is not named so, has the wrong number of
     *     arguments, or an argument outside its parameter's domain; the message lists the domain
     */
    public int[] positions(Action action) {
        if (!action.name().equals(name)) {
            throw new IllegalArgumentException("the action " + action + " is not an instance of " + name);
        }
        if (action.args().size() != params.size()) {
            throw new IllegalArgumentException(name + " takes " + params.size() + " arguments "
                    + params.stream().map(Param::name).toList() + ", not " + action.args().size() + " (" + action + ")");
        }
        int[] out = new int[params.size()];
        for (int i = 0; i < out.length; i++) {
            Param p = params.get(i);
            out[i] = p.values().indexOf(action.args().get(i));
            if (out[i] < 0) {
                throw new IllegalArgumentException("the argument " + p.name() + " of " + name + " must be one of "
                        + p.values() + ", not " + action.args().get(i));
            }
        }
        return out;
    }

    /**
     * The schema named {@code name} among {@code schemas}.
     *
     * @throws IllegalArgumentException naming the actions there are
     */
    public static ActionSchema named(List<ActionSchema> schemas, String name) {
        for (ActionSchema s : schemas) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no action named " + name + "; the actions are "
                + schemas.stream().map(ActionSchema::name).toList());
    }
}
