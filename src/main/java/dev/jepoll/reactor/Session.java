package dev.jepoll.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One connection's side of a {@link Protocol}. Called on the event-loop thread only; an
 * exception closes this connection alone ({@code IOException} as an I/O failure, anything
 * else as {@link CloseReason#PROTOCOL_ERROR}).
 */
@FunctionalInterface
public interface Session {
    /**
     * Bytes arrived. {@code data} is the loop's shared read buffer in read mode: it is valid
     * only during this call, so keep what you need by copying or by {@link Link#write}.
     */
    void onData(ByteBuffer data) throws IOException;

    /** The peer shut down its output (read returned -1); what is owed to it is still sent. */
    default void onInputClosed() throws IOException {
    }

    /** The connection is closed; nothing more can be sent to it. */
    default void onClosed(CloseReason reason) {
    }

    /**
     * Bytes this session keeps between calls (a line not yet ended, say), counted against the
     * server's memory budget; asked after each event.
     */
    default long heldBytes() {
        return 0;
    }
}
