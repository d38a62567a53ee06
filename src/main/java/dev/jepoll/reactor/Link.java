package dev.jepoll.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a {@link Session} may do to a connection. Every method must be called on the
 * connection's event-loop thread.
 */
public interface Link {
    /** A number naming the connection in logs and traces ({@code connected client : 7}). */
    int id();

    /**
     * Writes {@code bytes} now, as much as the socket takes; the rest is copied to the
     * connection's queue and sent when the socket is writable. The caller keeps
     * {@code bytes} (it may be the loop's shared read buffer).
     */
    void write(ByteBuffer bytes) throws IOException;

    /**
     * Hands {@code bytes} over to the connection: the buffer now belongs to it, untouched
     * until sent. Queued buffers leave in one gathering write at the end of the wakeup.
     * Give each connection its own {@link ByteBuffer#duplicate() view} of shared bytes.
     */
    void enqueue(ByteBuffer bytes);

    /** Bytes accepted for this connection and not yet written to its socket. */
    long pendingBytes();

    /** False once the connection is closing or closed. */
    boolean isOpen();

    /**
     * Stops reading from the peer, sends what is queued, then closes; logs {@code detail}
     * under {@code reason}.
     */
    void closeAfterFlush(CloseReason reason, String detail);

    /** Closes now; queued bytes are dropped, and the log says how many. */
    void close(CloseReason reason, String detail);
}
