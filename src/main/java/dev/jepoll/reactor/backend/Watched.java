package dev.jepoll.reactor.backend;

/**
 * A socket a {@link Poller} watches. What it should report is set here, as
 * {@link java.nio.channels.SelectionKey} bits ({@code OP_READ}, {@code OP_WRITE}, {@code OP_ACCEPT}),
 * the reactor's one vocabulary for interest whatever the backend.
 */
public interface Watched {
    /** Sets what the poller reports for this socket from now on; 0 for nothing. */
    void interest(int ops);
}
