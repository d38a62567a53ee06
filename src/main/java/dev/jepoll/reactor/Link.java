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

    /** {@return a number naming the connection in logs and traces ({@code connected client : 7})} */
    int id();

    /** {@return the event loop this connection lives on} */
    Loop loop();

    /**
     * Writes {@code bytes} now, as much as the socket takes; the rest is copied to the
     * connection's queue and sent when the socket is writable.
     *
     * @param bytes what to send, in read mode; the caller keeps it (it may be the loop's shared
     *              read buffer), and its position moves past what was taken or copied
     * @throws IOException if the socket fails; the loop then closes the connection
     */
    void write(ByteBuffer bytes) throws IOException;

    /**
     * Hands {@code bytes} over to the connection: the buffer now belongs to it, untouched
     * until sent. Queued buffers leave in one gathering write at the end of the wakeup.
     *
     * @param bytes what to send, in read mode
     */
    default void enqueue(ByteBuffer bytes) {
        enqueue(bytes, null);
    }

    /**
     * As {@link #enqueue(ByteBuffer)}, for a buffer lent by its owner (a view of shared
     * memory).
     *
     * @param bytes what to send, in read mode
     * @param owner told once the connection is done with {@code bytes}, sent or dropped; null
     *              when nothing is lent
     */
    void enqueue(ByteBuffer bytes, BufferOwner owner);

    /** {@return bytes accepted for this connection and not yet written to its socket} */
    long pendingBytes();

    /** {@return buffers in this connection's queue: each costs {@link #QUEUE_ENTRY_HEAP_BYTES} of heap or its own bytes} */
    int pendingBuffers();

    /** {@return false once the connection is closing or closed, or its peer has ended its input} */
    boolean isOpen();

    /**
     * {@return true while output handed to the connection will be sent: it is open, or its peer
     * ended its input and it still sends what it owes; false once it is closing or closed}
     */
    boolean acceptsOutput();

    /**
     * The session's {@link Session#inputAllowance()} may have grown: reading resumes if it has
     * and nothing else holds it (the connection's own watermarks, the memory budget). A no-op
     * for a connection the session did not pause.
     */
    void resumeInput();

    /**
     * Asks for one {@link Session#onDrained()} as soon as pending output is at most
     * {@code bytes} (at once, after the current event, if it already is); a later call replaces
     * an earlier one.
     *
     * @param bytes the mark, 0 or more
     */
    void notifyWhenDrained(long bytes);

    /**
     * {@return for how long the connection has owed output and the socket has taken none of it},
     * in nanoseconds on the loop's clock; 0 when nothing is owed. Every byte written restarts it.
     */
    long stalledNanos();

    /**
     * Stops reading from the peer, sends what is queued, half-closes, then closes.
     *
     * @param reason counted, and logged when abnormal
     * @param detail what the log line says about it, or null
     */
    void closeAfterFlush(CloseReason reason, String detail);

    /**
     * Closes now; queued bytes are dropped, and the log says how many.
     *
     * @param reason counted, and logged when abnormal or when bytes were dropped
     * @param detail what the log line says about it, or null
     */
    void close(CloseReason reason, String detail);
}
