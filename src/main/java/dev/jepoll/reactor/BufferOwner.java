package dev.jepoll.reactor;

/**
 * Whoever lends a buffer to {@link Link#enqueue(java.nio.ByteBuffer, BufferOwner)} and wants
 * it back: told exactly once, when the connection is done with it (written in full, or
 * dropped because the connection closed). Shared memory such as chat's blocks is returned to
 * its pool this way. Called on the thread of the connection's loop, which need not be the
 * owner's, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface BufferOwner {
    /** The connection is done with the buffer: it was written in full, or dropped at a close. */
    void release();
}
