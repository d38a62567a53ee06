package dev.jepoll.reactor.backend.nio;

import dev.jepoll.reactor.backend.Backend;
import dev.jepoll.reactor.backend.BackendSettings;
import dev.jepoll.reactor.backend.Backends;
import dev.jepoll.reactor.backend.Listener;
import dev.jepoll.reactor.backend.Poller;
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
 * sets {@code EPOLLET}), so edge-triggered mode runs here as an emulation: the
 * edge-triggered discipline of draining until {@code EAGAIN}, on a level-triggered poller.
 */
public final class NioBackend implements Backend {
    private final SelectorPinning.Pinned pinned;
    private volatile String selectorClass = "?";

    public NioBackend(BackendSettings settings) {
        this.pinned = SelectorPinning.pin(settings.jdkProvider(), settings.explicit());
    }

    SelectorProvider provider() {
        return pinned.provider();
    }

    @Override
    public String providerClass() {
        return provider().getClass().getName();
    }

    @Override
    public Listener listen(BackendSettings settings) throws IOException {
        ServerSocketChannel channel = provider().openServerSocketChannel();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(settings.bindAddress(), settings.port()), settings.backlog());
            channel.configureBlocking(false);
            return new NioListener(channel, settings);
        } catch (IOException | RuntimeException e) {
            Backends.closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public Poller openPoller(BackendSettings settings) throws IOException {
        NioPoller poller = new NioPoller(provider().openSelector(), settings.maxEvents());
        selectorClass = poller.selectorClass();
        return poller;
    }

    @Override
    public String describe() {
        return provider().getClass().getName() + " -> " + selectorClass;
    }

    @Override
    public String selectorClass() {
        return selectorClass;
    }

    @Override
    public String mismatch() {
        return pinned.mismatch();
    }
}
