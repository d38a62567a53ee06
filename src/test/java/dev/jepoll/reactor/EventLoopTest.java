package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the loop does to a socket it adopts, checked on the socket itself. */
class EventLoopTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private ServerSocketChannel listener;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private EventLoop loop(UnaryOperator<ServerConfig.Builder> tweak) throws IOException {
        Selector selector = Selector.open();
        open.add(selector);
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        open.add(listener);
        return new EventLoop(tweak.apply(ServerConfig.builder().log(line -> { })).build(), selector, link -> data -> { });
    }

    /** A real accepted socket, as the acceptor would hand it over. */
    private SocketChannel accepted() throws IOException {
        SocketChannel client = SocketChannel.open(listener.getLocalAddress());
        open.add(client);
        SocketChannel server = listener.accept();
        open.add(server);
        return server;
    }

    @Test
    void anAdoptedSocketIsNonBlockingWithNagleOff() throws IOException {
        EventLoop loop = loop(b -> b);
        SocketChannel socket = accepted();
        loop.adopt(socket);
        assertFalse(socket.isBlocking(), "the chapter's fcntl(O_NONBLOCK)");
        assertTrue(socket.getOption(StandardSocketOptions.TCP_NODELAY));
        assertEquals(1, loop.connectionCount());
    }

    @Test
    void nagleStaysOnWhenAskedAndTheSendBufferIsSet() throws IOException {
        EventLoop loop = loop(b -> b.tcpNoDelay(false).sendBufferSize(32 * 1024));
        SocketChannel socket = accepted();
        loop.adopt(socket);
        assertFalse(socket.getOption(StandardSocketOptions.TCP_NODELAY));
        assertTrue(socket.getOption(StandardSocketOptions.SO_SNDBUF) >= 32 * 1024); // Linux doubles it
    }

    @Test
    void socketsPastMaxConnectionsAreClosedAtOnceAndCounted() throws IOException {
        EventLoop loop = loop(b -> b.maxConnections(1));
        loop.adopt(accepted());
        SocketChannel extra = accepted();
        loop.adopt(extra);
        assertFalse(extra.isOpen());
        assertEquals(1, loop.connectionCount());
        assertEquals(2, loop.counters().get(Counter.ACCEPTS));
        assertEquals(1, loop.counters().get(Counter.REJECTED));
    }
}
