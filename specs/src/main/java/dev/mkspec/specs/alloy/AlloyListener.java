package dev.mkspec.specs.alloy;

import java.util.List;

/** Hears about an Alloy run while it goes on. */
public interface AlloyListener {
    /** The file parsed; these commands will run. */
    default void parsed(List<AlloyCommandInfo> commands) {
    }

    /** A command started. */
    default void started(AlloyCommandInfo command) {
    }

    /** A command finished. */
    default void finished(AlloyCommandResult result) {
    }

    AlloyListener NONE = new AlloyListener() {
    };
}
