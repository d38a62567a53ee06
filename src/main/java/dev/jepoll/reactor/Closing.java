package dev.jepoll.reactor;

import dev.jepoll.reactor.backend.Endpoint;
import java.io.IOException;

/**
 * How a connection ends once it has begun to: the reason and detail its close will carry (given
 * by {@code closeAfterFlush}, used once what it owes is flushed), and the lingering close. In
 * CLOSING the connection sends what it owes, half-closes, and then reads and discards until the
 * peer's EOF, so that closing does not reset a peer still sending (which could destroy our last
 * bytes, an error line for instance, before the peer reads them). The linger time runs from the
 * half-close, not before: what is owed is never cut short by it.
 */
final class Closing {
    /**
     * A connection's until {@code closeAfterFlush}: no reason, no detail, output not shut. Shared and
     * never changed (only a connection in CLOSING, which has its own, is told {@link #because} or
     * {@link #shutOutput}); it saves every open connection an object.
     */
    static final Closing NOT_YET = new Closing();

    private CloseReason reason;
    private String detail;
    private boolean outputShut;

    void because(CloseReason reason, String detail) {
        this.reason = reason;
        this.detail = detail;
    }

    /** The reason given, or {@code otherwise} if none was (a peer's EOF needs none). */
    CloseReason reason(CloseReason otherwise) {
        return reason != null ? reason : otherwise;
    }

    String detail() {
        return detail;
    }

    /** Whether our FIN went out: from then on nothing more is sent, and input is only discarded. */
    boolean outputShut() {
        return outputShut;
    }

    /** Sends our FIN, once what was owed is flushed; false if the half-close failed. */
    boolean shutOutput(Endpoint endpoint) {
        outputShut = true;
        try {
            endpoint.shutdownOutput();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** How the log names a close: {@code closed client 7 (slow consumer: ...); 123 bytes it was owed were dropped}. */
    static String line(int id, CloseReason reason, String detail, long dropped) {
        StringBuilder line = new StringBuilder("closed client ").append(id).append(" (").append(reason.label());
        if (detail != null) {
            line.append(": ").append(detail);
        }
        line.append(')');
        if (dropped > 0) {
            line.append("; ").append(dropped).append(" bytes it was owed were dropped");
        }
        return line.toString();
    }
}
