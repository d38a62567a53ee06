package dev.jepoll.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a {@link Session} may do to a connection. Every method must be called on the
 * connection's event-loop thread, {@link #loop()}.
 */
public interface Link {
    /**
     * Heap a queued buffer lent by a {@link BufferOwner} costs besides its bytes: a read-only
     * direct buffer object (64 bytes on a 64-bit JVM with compressed pointers, measured with a
     * class histogram) and its two slots in the queue's arrays, rounded up.
     */
    int QUEUE_ENTRY_HEAP_BYTES = 80;

    /** A number naming the connection in logs and traces ({@code connected client : 7}). */
    int id();

    /** The event loop this connection lives on. */
    Loop loop();

    /**
     * Writes {@code bytes} now, as much as the socket takes; the rest is copied to the
     * connection's queue and sent when the socket is writable. The caller keeps
     * {@code bytes} (it may be the loop's shared read buffer).
     */
    void write(ByteBuffer bytes) throws IOException;

    /**
     * Hands {@code bytes} over to the connection: the buffer now belongs to it, untouched
     * until sent. Queued buffers leave in one gathering write at the end of the wakeup.
     */
    default void enqueue(ByteBuffer bytes) {
        enqueue(bytes, null);
    }

    /**
     * As {@link #enqueue(ByteBuffer)}, for a buffer lent by {@code owner} (a view of shared
     * memory): {@code owner} is {@linkplain BufferOwner#release() told} once the connection is
     * done with it, sent or dropped. A null owner lends nothing.
     */
    void enqueue(ByteBuffer bytes, BufferOwner owner);

    /** Bytes accepted for this connection and not yet written to its socket. */
    long pendingBytes();

    /** Buffers in this connection's queue: each costs a few dozen bytes of heap besides its bytes. */
    int pendingBuffers();

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
