package dev.jepoll.reactor.backend;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A bound, listening, non-blocking socket. Its accepted sockets come out configured. */
public interface Listener extends Watched, AutoCloseable {
    InetSocketAddress localAddress();

    /**
     * Accepts one pending connection, already non-blocking and with the server's socket
     * options set, not yet registered with any poller; null when none is pending.
     *
     * @throws IOException when accepting fails, for instance with "Too many open files"
     */
    Endpoint accept() throws IOException;

    @Override
    void close();
}
