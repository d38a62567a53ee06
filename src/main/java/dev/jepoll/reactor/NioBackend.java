package dev.jepoll.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The JDK's selector, pinned by {@link SelectorPinning} to the provider the configuration
 * names ({@code EPollSelectorProvider} by default). The listener, every channel and every
 * loop's selector come from that one provider.
 *
 * <p>The JDK registers every channel level-triggered (its {@code EPollSelectorImpl} never
 * sets {@code EPOLLET}), so {@link TriggerMode#EDGE} runs here as an emulation: the
 * edge-triggered discipline of draining until {@code EAGAIN}, on a level-triggered poller.
 */
final class NioBackend implements Backend {
    private final SelectorPinning.Pinned pinned;
    private volatile String selectorClass = "?";

    NioBackend(ServerConfig config) {
        this.pinned = SelectorPinning.pin(config.selector(), config.selectorExplicit());
    }

    SelectorProvider provider() {
        return pinned.provider();
    }

    @Override
    public Listener listen(ServerConfig config) throws IOException {
        ServerSocketChannel channel = provider().openServerSocketChannel();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(config.bindAddress(), config.port()), config.backlog());
            channel.configureBlocking(false);
            return new NioListener(channel, config);
        } catch (IOException | RuntimeException e) {
            EventLoop.closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public Poller openPoller(ServerConfig config) throws IOException {
        NioPoller poller = new NioPoller(provider().openSelector(), config.maxEvents());
        selectorClass = poller.selectorClass();
        return poller;
    }

    @Override
    public String describe() {
        return provider().getClass().getName() + " -> " + selectorClass;
    }

    String selectorClass() {
        return selectorClass;
    }

    @Override
    public String mismatch() {
        return pinned.mismatch();
    }
}
