package dev.jepoll.reactor.backend;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * All a backend is told about the server: where to listen, the accepted sockets' options, how
 * many events a wait returns, and which backend and trigger were asked for. The loop core
 * derives it from its configuration; backends see nothing else of the core.
 *
 * @param bindAddress      the address to listen on
 * @param port             the port, 0 for any
 * @param backlog          the listen backlog
 * @param tcpNoDelay       {@code TCP_NODELAY} on accepted sockets
 * @param sendBufferSize   {@code SO_SNDBUF} of accepted sockets, 0 for the kernel's
 * @param maxEvents        ready sockets handed out per wait ({@code epoll_wait}'s {@code maxevents})
 * @param jdkProvider      the JDK {@code SelectorProvider} class to pin, or null for the native backend
 * @param explicit         whether the user asked for this backend (a mismatch then refuses to start)
 * @param edgeTriggered    register connections {@code EPOLLET} where the backend can
 * @param edgeReadOnce     the teaching mistake: one read per edge (native edge mode only; for the banner)
 */
public record BackendSettings(InetAddress bindAddress, int port, int backlog, boolean tcpNoDelay, int sendBufferSize,
        int maxEvents, String jdkProvider, boolean explicit, boolean edgeTriggered, boolean edgeReadOnce) {

    /** The same, for a listener of the server's own on the loopback address of the same family, any port. */
    public BackendSettings privateLoopback() {
        return new BackendSettings(loopback(bindAddress instanceof Inet6Address), 0, 1, tcpNoDelay, sendBufferSize,
                maxEvents, jdkProvider, explicit, edgeTriggered, edgeReadOnce);
    }

    private static InetAddress loopback(boolean ipv6) {
        try {
            return InetAddress.getByAddress(ipv6 ? new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
                    : new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
