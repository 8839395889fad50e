package dev.mkspec.kernel;

/** Whose activity a phase of a measurement is: the columns of a client/server cycle table. */
public enum Side {
    /** The client, and the kernel working on its behalf before the server runs. */
    CLIENT,
    /** The server, and the kernel working on its behalf. */
    SERVER
}
