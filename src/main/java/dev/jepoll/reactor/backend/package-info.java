/**
 * Internal: the seam between the event-loop core and the operating system. Not part of the
 * public API (excluded from the Javadoc); its types are public only so that the core and the
 * two backends, in packages of their own, can share them.
 *
 * <ul>
 * <li>{@code Backend} opens a {@code Listener} and one {@code Poller} per loop, from
 *     {@code BackendSettings} (all a backend is told about the server).
 * <li>{@code Poller}: register, wait, hand out ready sockets, wake up from another thread, and
 *     the one property the core asks: {@code reportsOnce()} (true for {@code EPOLLET}).
 * <li>{@code Endpoint}: one connection's socket (read, gathering write, half-close, interest,
 *     close); {@code Listener}: accept. Both are {@code Watched}: their interest is set as
 *     {@code SelectionKey} bits whatever the backend.
 * <li>{@code Handler}: what a registration carries; the core's acceptor and connections are
 *     handlers.
 * <li>{@code Backends}: the one place that names the implementations, {@code backend.nio}
 *     (the JDK's selector) and {@code backend.epoll} (epoll through {@code java.lang.foreign},
 *     loaded by name on Java 22+).
 * </ul>
 *
 * <p>The rule, checked by {@code ArchitectureTest}: no class under {@code reactor.backend}
 * imports the core ({@code dev.jepoll.reactor} itself), and the core imports nothing of
 * {@code backend.nio} or {@code backend.epoll}. So a backend can be read, tested and replaced
 * without the loop, and the loop without a backend.
 */
package dev.jepoll.reactor.backend;
