package dev.jepoll.reactor.backend;

import java.io.IOException;

/**
 * Where sockets and readiness come from: the JDK's selector pinned to its epoll provider
 * ({@code backend.nio}), or, on Java 22 and later, epoll called through {@code java.lang.foreign}
 * ({@code backend.epoll}). A server uses one backend for its listener and every loop's poller.
 */
public interface Backend {
    /** Binds and listens as {@code settings} say; accepted sockets get their socket options. */
    Listener listen(BackendSettings settings) throws IOException;

    /** A poller for one event loop. */
    Poller openPoller(BackendSettings settings) throws IOException;

    /** For the banner: which backend, which provider or epoll instance. */
    String describe();

    /** {@return the JDK selector provider's class name, such as {@code sun.nio.ch.EPollSelectorProvider}; null for a backend without one} */
    default String providerClass() {
        return null;
    }

    /** {@return the class of the selectors opened so far, such as {@code sun.nio.ch.EPollSelectorImpl}; null for a backend without one} */
    default String selectorClass() {
        return null;
    }

    /** Why the backend in use is not the one asked for, or null when it is. */
    default String mismatch() {
        return null;
    }
}
