package dev.mkspec.specs.tlc;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMISocketFactory;
import java.util.Arrays;

/**
 * Starts TLC's distributed server or a worker with every socket that Java RMI listens on bound to
 * the loopback address, for a run whose workers are all on this machine. TLC itself listens on
 * every interface (its registry and each exported object), so without this any host that reaches
 * the machine could register as a worker, and a worker that returned no successors would make the
 * run pass. The child JVM runs this class with TLC's jar and this class's on its class path.
 *
 * <p>Arguments: the class whose {@code main} to run ({@link TlcRunner#SERVER_CLASS} or
 * {@link TlcRunner#WORKER_CLASS}), then its own arguments.
 */
public final class LoopbackRmi {
    private LoopbackRmi() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("name the class to run, e.g. " + TlcRunner.SERVER_CLASS);
        }
        RMISocketFactory.setSocketFactory(new RMISocketFactory() {
            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return new Socket(host, port);
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return new ServerSocket(port, 0, InetAddress.getLoopbackAddress());
            }
        });
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
