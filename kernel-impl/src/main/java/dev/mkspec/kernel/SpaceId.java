package dev.mkspec.kernel;

/** An address space's ID: its slot and the slot's version, as for {@link ThreadId}. Slot 0 is Sigma0. */
public record SpaceId(int number, int version) {
    @Override
    public String toString() {
        return number == 0 ? "sigma0" : "s" + number + "v" + version;
    }
}
