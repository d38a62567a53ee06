package dev.jepoll.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A listening {@link ServerSocketChannel}; accepted channels come out non-blocking and configured. */
final class NioListener implements Listener {
    private final ServerSocketChannel channel;
    private final ServerConfig config;
    private final InetSocketAddress address;
    private SelectionKey key;

    NioListener(ServerSocketChannel channel, ServerConfig config) throws IOException {
        this.channel = channel;
        this.config = config;
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
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, config.tcpNoDelay());
            if (config.sendBufferSize() > 0) {
                accepted.setOption(StandardSocketOptions.SO_SNDBUF, config.sendBufferSize());
            }
            return new NioEndpoint(accepted);
        } catch (IOException e) {
            EventLoop.closeQuietly(accepted);
            throw new SetupFailed(e);
        }
    }

    @Override
    public void close() {
        if (key != null) {
            key.cancel();
        }
        EventLoop.closeQuietly(channel);
    }
}
