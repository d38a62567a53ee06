package dev.jepoll.reactor.backend.nio;

import dev.jepoll.reactor.backend.BackendSettings;
import dev.jepoll.reactor.backend.Backends;
import dev.jepoll.reactor.backend.Endpoint;
import dev.jepoll.reactor.backend.Listener;
import dev.jepoll.reactor.backend.SetupFailed;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A listening {@link ServerSocketChannel}; accepted channels come out non-blocking and configured. */
final class NioListener implements Listener {
    private final ServerSocketChannel channel;
    private final BackendSettings settings;
    private final InetSocketAddress address;
    private SelectionKey key;

    NioListener(ServerSocketChannel channel, BackendSettings settings) throws IOException {
        this.channel = channel;
        this.settings = settings;
        this.address = (InetSocketAddress) channel.getLocalAddress();
    }

    ServerSocketChannel channel() {
        return channel;
    }

    void registered(SelectionKey key) {
        this.key = key;
    }

    @Override
    public InetSocketAddress localAddress() {
        return address;
    }

    @Override
    public void interest(int ops) {
        if (key != null && key.isValid()) {
            key.interestOps(ops);
        }
    }

    @Override
    public Endpoint accept() throws IOException {
        SocketChannel accepted = channel.accept();
        if (accepted == null) {
            return null; // nothing pending: the chapter's EAGAIN on accept
        }
        try {
            accepted.configureBlocking(false); // the chapter's fcntl(fd, F_SETFL, flag | O_NONBLOCK)
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, settings.tcpNoDelay());
            if (settings.sendBufferSize() > 0) {
                accepted.setOption(StandardSocketOptions.SO_SNDBUF, settings.sendBufferSize());
            }
            return new NioEndpoint(accepted);
        } catch (IOException e) {
            Backends.closeQuietly(accepted);
            throw new SetupFailed(e);
        }
    }

    @Override
    public void close() {
        if (key != null) {
            key.cancel();
        }
        Backends.closeQuietly(channel);
    }
}
