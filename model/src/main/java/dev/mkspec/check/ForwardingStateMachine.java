package dev.mkspec.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A state machine that forwards every call to another; subclasses override what they change.
 *
 * @param <S> the state type
 */
public abstract class ForwardingStateMachine<S> implements StateMachine<S> {
    private final StateMachine<S> delegate;

    protected ForwardingStateMachine(StateMachine<S> delegate) {
        this.delegate = delegate;
    }

    /** The machine calls are forwarded to. */
    protected StateMachine<S> delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<S> initialStates() {
        return delegate.initialStates();
    }

    @Override
    public void successors(S state, Successors<S> out) {
        delegate.successors(state, out);
    }

    @Override
    public List<ActionSchema> actionSchemas() {
        return delegate.actionSchemas();
    }

    @Override
    public Optional<List<Guard>> guards(S state, Action action) {
        return delegate.guards(state, action);
    }

    @Override
    public List<Invariant<S>> invariants() {
        return delegate.invariants();
    }

    @Override
    public List<ActionProperty<S>> actionProperties() {
        return delegate.actionProperties();
    }

    @Override
    public Optional<StateCodec<S>> codec() {
        return delegate.codec();
    }

    @Override
    public long fingerprint(S state) {
        return delegate.fingerprint(state);
    }

    @Override
    public boolean withinBounds(S state) {
        return delegate.withinBounds(state);
    }

    @Override
    public Map<String, String> render(S state) {
        return delegate.render(state);
    }
}
