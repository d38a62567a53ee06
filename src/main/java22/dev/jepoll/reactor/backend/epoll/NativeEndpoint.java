package dev.jepoll.reactor.backend.epoll;

import dev.jepoll.reactor.backend.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An accepted socket of the native backend: a file descriptor from {@code accept4}. It does
 * its I/O through the {@link NativeIo} of the loop it is registered with; before that (while
 * the acceptor hands it over) it only has a descriptor to close.
 */
final class NativeEndpoint implements Endpoint {
    private final int fd;
    private NativePoller poller;
    private NativeIo io;
    private int slot = -1;
    private boolean open = true;

    NativeEndpoint(int fd) {
        this.fd = fd;
    }

    int fd() {
        return fd;
    }

    void attach(NativePoller poller, NativeIo io, int slot) {
        this.poller = poller;
        this.io = io;
        this.slot = slot;
    }

    @Override
    public void interest(int ops) {
        poller.modify(slot, fd, ops);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return io.read(fd, dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return io.write(fd, src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return io.write(fd, srcs, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public void shutdownOutput() throws IOException {
        io.shutdownOutput(fd);
    }

    @Override
    public String peer() {
        return io == null ? "?" : io.peer(fd);
    }

    @Override
    public int bytesWaiting() {
        return io == null ? -1 : io.bytesWaiting(fd);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** {@code EPOLL_CTL_DEL} first (the number may be reused the moment it is closed), then {@code close}. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        if (poller != null) {
            poller.deregister(slot, fd);
        }
        LibC.close(fd);
    }
}
