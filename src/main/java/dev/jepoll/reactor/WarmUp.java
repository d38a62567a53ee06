package dev.jepoll.reactor;

import dev.jepoll.reactor.backend.Backend;
import dev.jepoll.reactor.backend.Endpoint;
import dev.jepoll.reactor.backend.Listener;
import dev.jepoll.reactor.backend.Poller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One connection to ourselves before serving anyone: accept, register, read, write, a gathering
 * write, half-close, close, through the backend's own classes. Whatever JDK class the I/O path
 * initialises on first use is initialised now, while descriptors and memory are plenty, and not
 * on a client's first write under {@code ulimit -n} or a full heap (where a failing static
 * initialiser would break that path for the life of the process).
 *
 * <p>It runs on a listener of its own, on a loopback port nobody knows: a client that connects
 * to the server while it starts waits in the real listener's backlog and is served like any
 * other (warming up on the real listener once took such a client for itself). Every step is
 * non-blocking and bounded in time, so start-up cannot hang here. Best effort: a failure here
 * changes nothing.
 */
final class WarmUp {
    private static final long DEADLINE_NANOS = 2_000_000_000L;

    private WarmUp() {
    }

    static void ioPath(Backend backend, ServerConfig config, Poller poller) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        Listener listener;
        try {
            listener = backend.listen(config.backendSettings().privateLoopback());
        } catch (IOException | RuntimeException e) {
            return; // best effort
        }
        try (listener; SocketChannel client = SocketChannel.open()) {
            client.configureBlocking(false);
            client.connect(listener.localAddress());
            Endpoint endpoint = null;
            while (!client.finishConnect() || (endpoint == null && (endpoint = listener.accept()) == null)) {
                if (System.nanoTime() > deadline) {
                    return;
                }
                Thread.onSpinWait();
            }
            try {
                poller.register(endpoint, 0, readyOps -> { });
                ByteBuffer direct = ByteBuffer.allocateDirect(8);
                direct.put((byte) 1).flip();
                endpoint.write(direct);
                ByteBuffer heard = ByteBuffer.allocate(8);
                while (client.read(heard) == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                client.write(ByteBuffer.wrap(new byte[] {2}));
                direct.clear();
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
}
