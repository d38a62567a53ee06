package dev.jepoll.reactor;

import java.io.IOException;

/**
 * Where sockets and readiness come from. The default is the JDK's selector pinned to
 * {@code EPollSelectorProvider} ({@link NioBackend}); on Java 22 and later, {@code --selector
 * native} calls epoll itself through {@code java.lang.foreign}. A server uses one backend
 * for its listener and every loop's poller.
 */
interface Backend {
    /** Binds and listens as {@code config} says; accepted sockets get its socket options. */
    Listener listen(ServerConfig config) throws IOException;

    /** A poller for one event loop. */
    Poller openPoller(ServerConfig config) throws IOException;

    /** For the banner: which backend, which provider or epoll instance. */
    String describe();

    /** Why the backend in use is not the one asked for, or null when it is. */
    default String mismatch() {
        return null;
    }
}
