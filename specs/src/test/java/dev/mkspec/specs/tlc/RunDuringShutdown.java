package dev.mkspec.specs.tlc;

import java.nio.file.Path;

/**
 * A JVM that starts a TLC run from a shutdown hook, as a mutation run's worker can when a signal
 * stops mkspec: the runner cannot register its own hook then. Prints what the run came to.
 * Started by {@link TlcRunnerTests#aRunThatStartsWhileMkspecIsStoppingEndsAsInterrupted}.
 */
public final class RunDuringShutdown {
    private RunDuringShutdown() {
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                TlcResult r = new TlcRunner(TlcInstallation.bundled()).run(
                        TlcRequest.of(Path.of(args[0])).withConfig(Path.of(args[1])).withWorkers(1), TlcListener.NONE);
                System.out.println("verdict " + r.verdict() + ", interrupted " + Thread.currentThread().isInterrupted());
            } catch (Throwable t) {
                System.out.println("threw " + t);
            }
        }));
        System.exit(0);
    }
}
