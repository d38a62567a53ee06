package dev.jepoll.reactor;

/** Why a connection was closed; counted per reason, and logged (rate-limited) when abnormal. */
public enum CloseReason {
    /** The peer shut down its output and everything owed to it was sent. */
    PEER_CLOSED(false),
    /** The peer reset the connection or the pipe broke: normal on the internet, not logged unless bytes were owed. */
    PEER_RESET(false),
    /** Any other I/O error on the socket. */
    IO_ERROR(true),
    /** Its queue passed the protocol's limit (a reader too slow for the chat room). */
    SLOW_CONSUMER(true),
    /** It sent a line longer than the protocol allows. */
    LINE_TOO_LONG(true),
    /** It owed output and the socket took none of it for the write timeout. */
    WRITE_TIMEOUT(true),
    /** No byte moved either way for the idle timeout. */
    IDLE_TIMEOUT(true),
    /** The server's memory budget was exceeded and this connection held the most. */
    MEMORY_BUDGET(true),
    /** The protocol code threw: a bug, isolated to this connection. */
    PROTOCOL_ERROR(true),
    /** The server is shutting down. */
    SHUTDOWN(false);

    private final boolean abnormal;

    CloseReason(boolean abnormal) {
        this.abnormal = abnormal;
    }

    /** {@return whether a close for this reason is worth a log line even when nothing owed was dropped} */
    public boolean abnormal() {
        return abnormal;
    }

    /** {@return a human form, such as {@code slow consumer}} */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
