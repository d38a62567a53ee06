package dev.jepoll.reactor;

import java.io.IOException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * One accepted, non-blocking socket as a {@link Connection} uses it, whatever the backend
 * underneath (the JDK's {@code SocketChannel}, or a file descriptor driven through
 * {@code java.lang.foreign}).
 *
 * <p>{@code read} returns the bytes read, 0 when nothing is there ({@code EAGAIN}) and -1 at
 * the peer's EOF; {@code write} returns the bytes the socket took, possibly 0. A reset or
 * any other failure is an {@link IOException}.
 */
interface Endpoint extends Watched, ReadableByteChannel, GatheringByteChannel {
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
