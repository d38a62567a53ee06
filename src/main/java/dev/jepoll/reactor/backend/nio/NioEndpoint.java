package dev.jepoll.reactor.backend.nio;

import dev.jepoll.reactor.backend.Backends;
import dev.jepoll.reactor.backend.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** An accepted {@link SocketChannel} and, once registered, its selection key. */
public final class NioEndpoint implements Endpoint {
    private final SocketChannel channel;
    private SelectionKey key;

    NioEndpoint(SocketChannel channel) {
        this.channel = channel;
    }

    /** The JDK channel underneath, for tests that check its blocking mode and options. */
    public SocketChannel channel() {
        return channel;
    }

    void registered(SelectionKey key) {
        this.key = key;
    }

    @Override
    public void interest(int ops) {
        key.interestOps(ops); // the JDK applies it, as an epoll_ctl(MOD), at the next select
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return channel.write(srcs, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return channel.write(srcs);
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public String peer() {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        if (key != null) {
            key.cancel();
        }
        Backends.closeQuietly(channel);
    }
}
