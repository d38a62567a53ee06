package dev.jepoll.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A listening socket and the event loop that serves it, running {@link Protocol} on every
 * accepted connection. The selector and every channel come from the one provider that
 * {@link SelectorPinning} chose.
 */
public final class Server implements AutoCloseable {
    private final EventLoop loop;
    private final Thread thread;
    private final InetSocketAddress address;
    private final SelectorPinning.Pinned pinned;
    private final String selectorClass;

    private Server(EventLoop loop, InetSocketAddress address, SelectorPinning.Pinned pinned, String selectorClass) {
        this.loop = loop;
        this.address = address;
        this.pinned = pinned;
        this.selectorClass = selectorClass;
        this.thread = new Thread(loop, "jepoll-loop");
    }

    /**
     * Binds, registers the acceptor and starts the loop thread.
     *
     * @throws IOException           if the address cannot be bound (port in use, ...)
     * @throws IllegalStateException if the selector was asked for explicitly and is not what runs
     */
    public static Server start(ServerConfig config, Protocol protocol) throws IOException {
        SelectorPinning.Pinned pinned = SelectorPinning.pin(config.selector(), config.selectorExplicit());
        SelectorProvider provider = pinned.provider();
        Selector selector = provider.openSelector();
        ServerSocketChannel listener = provider.openServerSocketChannel();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(config.bindAddress(), config.port()), config.backlog());
            listener.configureBlocking(false);
            EventLoop loop = new EventLoop(config, selector, protocol);
            loop.listen(listener);
            Server server = new Server(loop, (InetSocketAddress) listener.getLocalAddress(), pinned,
                    selector.getClass().getName());
            server.thread.start();
            return server;
        } catch (IOException | RuntimeException e) {
            EventLoop.closeQuietly(listener);
            EventLoop.closeQuietly(selector);
            throw e;
        }
    }

    /** The bound address; its port is the real one when port 0 was asked for. */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    public Counters counters() {
        return loop.counters();
    }

    /** The provider's class name, such as {@code sun.nio.ch.EPollSelectorProvider}. */
    public String providerClass() {
        return pinned.provider().getClass().getName();
    }

    /** The selector's class name, such as {@code sun.nio.ch.EPollSelectorImpl}. */
    public String selectorClass() {
        return selectorClass;
    }

    /** Why the selector in use is not the one asked for, or null when it is. */
    public String selectorMismatch() {
        return pinned.mismatch();
    }

    /** Runs {@code task} on the event-loop thread. */
    public void execute(Runnable task) {
        loop.execute(task);
    }

    /**
     * Stops accepting, gives connections up to {@code grace} to receive what they are owed,
     * closes everything and waits for the loop thread to end.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        loop.execute(() -> loop.beginShutdown(grace.toMillis()));
        thread.join(grace.toMillis() + 5_000);
    }

    /** Waits until the loop has stopped (after {@link #shutdown} or a fatal loop error). */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return loop.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True once the loop has stopped, whether asked to or not. */
    public boolean isTerminated() {
        return loop.isTerminated();
    }

    /** {@link #shutdown} with a two-second grace. */
    @Override
    public void close() {
        try {
            shutdown(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
