package dev.jepoll.reactor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One connection to ourselves before serving anyone: accept, register, read, write, a gathering
 * write, half-close, close, through the backend's own classes. Whatever JDK class the I/O path
 * initialises on first use is initialised now, while descriptors and memory are plenty, and not
 * on a client's first write under {@code ulimit -n} or a full heap (where a failing static
 * initialiser would break that path for the life of the process). Best effort: a failure here
 * changes nothing.
 */
final class WarmUp {
    private static final long DEADLINE_NANOS = 2_000_000_000L;

    private WarmUp() {
    }

    static void ioPath(Listener listener, Poller poller) {
        InetSocketAddress bound = listener.localAddress();
        InetAddress target = bound.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound.getAddress();
        try (SocketChannel client = SocketChannel.open(new InetSocketAddress(target, bound.getPort()))) {
            Endpoint endpoint = accepted(listener);
            if (endpoint == null) {
                return;
            }
            try {
                poller.register(endpoint, 0, readyOps -> { });
                ByteBuffer direct = ByteBuffer.allocateDirect(8);
                direct.put((byte) 1).flip();
                endpoint.write(direct);
                client.read(ByteBuffer.allocate(8));
                client.write(ByteBuffer.wrap(new byte[] {2}));
                direct.clear();
                long deadline = System.nanoTime() + DEADLINE_NANOS;
                while (endpoint.read(direct) == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                direct.clear().put((byte) 3).flip();
                endpoint.write(new ByteBuffer[] {direct, ByteBuffer.wrap(new byte[] {4})}, 0, 2);
                endpoint.interest(SelectionKey.OP_READ);
                endpoint.shutdownOutput();
            } finally {
                endpoint.close();
            }
        } catch (IOException | RuntimeException e) {
            // best effort: serving does not depend on it
        }
    }

    private static Endpoint accepted(Listener listener) throws IOException {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        Endpoint endpoint;
        while ((endpoint = listener.accept()) == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return endpoint;
    }
}
