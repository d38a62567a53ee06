package dev.jepoll.reactor.backend;

import java.io.IOException;

/**
 * What an event loop waits on: the chapter's {@code epoll_wait} and {@code epoll_ctl}, behind
 * one small interface so that the loop, connections, echo and chat do not know which backend
 * runs under them. One poller per loop, used on that loop's thread only, except
 * {@link #wakeup()}.
 */
public interface Poller extends AutoCloseable {
    /** Receives ready sockets from {@link #dispatchReady}. */
    @FunctionalInterface
    interface Dispatcher {
        void dispatch(Handler handler, int readyOps);
    }

    /**
     * Starts watching {@code socket} (an {@link Endpoint} or a {@link Listener} of this
     * backend) for {@code ops}; the poller hands {@code handler} its ready events.
     */
    void register(Watched socket, int ops, Handler handler) throws IOException;

    /**
     * Waits until something is ready, {@link #wakeup()} is called, or {@code timeoutMillis}
     * pass (-1: no limit; 0: do not wait). Returns the number of ready sockets found.
     */
    int select(long timeoutMillis) throws IOException;

    /** Hands at most {@code maxEvents} ready sockets to {@code dispatcher}; returns how many. */
    int dispatchReady(Dispatcher dispatcher);

    /** True while ready sockets wait that the last dispatch had no room for: do not block then. */
    boolean hasBacklog();

    /** Makes a blocked or the next {@link #select} return at once; callable from any thread. */
    void wakeup();

    /**
     * True if a socket is reported once per arrival of data ({@code EPOLLET}), not for as long
     * as data remains: whoever stops reading before {@code EAGAIN} must come back by itself.
     */
    boolean reportsOnce();

    @Override
    void close();
}
