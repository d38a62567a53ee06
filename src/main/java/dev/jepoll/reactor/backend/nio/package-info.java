/**
 * Internal: the default backend, the JDK's {@code java.nio} {@code Selector} pinned to
 * {@code sun.nio.ch.EPollSelectorProvider} ({@code SelectorPinning}, through the documented
 * system property, checked after). {@code NioBackend} makes the listener
 * ({@code NioListener}), the pollers ({@code NioPoller}: a selector, with a FIFO backlog for
 * {@code maxEvents}, since the JDK has no such knob) and the connections' endpoints
 * ({@code NioEndpoint}: a non-blocking {@code SocketChannel}).
 *
 * <p>The JDK registers every channel level-triggered; edge-triggered mode here is the core's
 * discipline of draining until {@code read()} returns 0, on a level-triggered poller.
 */
package dev.jepoll.reactor.backend.nio;
