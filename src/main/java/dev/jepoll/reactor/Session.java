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
     * Bytes arrived.
     *
     * @param data the loop's shared read buffer in read mode: valid only during this call, so
     *             keep what you need by copying it or by {@link Link#write}
     * @throws IOException to close the connection as an I/O failure
     */
    void onData(ByteBuffer data) throws IOException;

    /**
     * The peer shut down its output (read returned -1); what is owed to it is still sent.
     *
     * @throws IOException to close the connection as an I/O failure
     */
    default void onInputClosed() throws IOException {
    }

    /**
     * The connection is closed; nothing more can be sent to it.
     *
     * @param reason why
     */
    default void onClosed(CloseReason reason) {
    }

    /**
     * {@return how many more bytes this session will take now}: reads are capped by it, and 0
     * stops reading this connection (its interest in reading is withdrawn) until the session
     * calls {@link Link#resumeInput()}. Asked before every read and after every event, so it
     * must answer without changing anything. A protocol uses it to slow senders (chat's flow
     * control); the default takes everything.
     */
    default long inputAllowance() {
        return Long.MAX_VALUE;
    }

    /**
     * The connection's pending output fell to the mark asked for with
     * {@link Link#notifyWhenDrained(long)}; asked once per request.
     */
    default void onDrained() {
    }

    /**
     * {@return bytes this session keeps between calls (a line not yet ended, say)}, counted
     * against the server's memory budget; asked after each event.
     */
    default long heldBytes() {
        return 0;
    }
}
