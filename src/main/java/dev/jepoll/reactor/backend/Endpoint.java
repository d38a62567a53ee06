package dev.jepoll.reactor.backend;

import java.io.IOException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * One accepted, non-blocking socket as a connection of the loop core uses it, whatever the backend
 * underneath (the JDK's {@code SocketChannel}, or a file descriptor driven through
 * {@code java.lang.foreign}).
 *
 * <p>{@code read} returns the bytes read, 0 when nothing is there ({@code EAGAIN}) and -1 at
 * the peer's EOF; {@code write} returns the bytes the socket took, possibly 0. A reset or
 * any other failure is an {@link IOException}.
 */
public interface Endpoint extends Watched, ReadableByteChannel, GatheringByteChannel {
    /**
     * The most buffers one gathering write passes to the kernel: Linux's {@code IOV_MAX}. The
     * loop core's output queue gathers at most this many, and the native backend sizes its
     * {@code iovec} array by it.
     */
    int MAX_GATHER = 1024;

    /** Half-closes: our FIN goes out after what the socket already holds. */
    void shutdownOutput() throws IOException;

    /** The peer's address, for logs. */
    String peer();

    /** Bytes waiting in the kernel to be read ({@code FIONREAD}), or -1 where the backend cannot tell. */
    default int bytesWaiting() {
        return -1;
    }

    /** Stops watching the socket (before the descriptor can be reused) and closes it; never throws. */
    @Override
    void close();
}
