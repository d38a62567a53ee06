package dev.jepoll.reactor.backend.epoll;

import dev.jepoll.reactor.backend.BackendSettings;
import dev.jepoll.reactor.backend.Endpoint;
import dev.jepoll.reactor.backend.Listener;
import dev.jepoll.reactor.backend.SetupFailed;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * The native backend's listening socket: {@code socket}, {@code setsockopt},
 * {@code bind}, {@code listen} on the starting thread, then {@code accept4} with
 * {@code SOCK_NONBLOCK|SOCK_CLOEXEC} on the first loop's, which also sets each accepted
 * socket's options. Registered level-triggered: the acceptor accepts until {@code EAGAIN}
 * either way, and a level-triggered listener needs no care when accepting resumes after a
 * back-off.
 */
final class NativeListener implements Listener {
    private final Arena arena = Arena.ofShared();
    private final LibC libc = new LibC(arena);
    private final MemorySegment value = arena.allocate(JAVA_INT);
    private final BackendSettings settings;
    private final int fd;
    private final InetSocketAddress address;
    private NativePoller poller;
    private int slot = -1;
    private boolean open = true;

    private NativeListener(BackendSettings settings) throws IOException {
        this.settings = settings;
        int domain = Sockaddr.family(settings.bindAddress());
        int socket = libc.socket(domain, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (socket < 0) {
            IOException e = libc.lastError("socket");
            arena.close();
            throw e;
        }
        this.fd = socket;
        try {
            option(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, 1);
            MemorySegment sockaddr = arena.allocate(Sockaddr.MAX_SIZE, 8);
            int length = Sockaddr.write(sockaddr, settings.bindAddress(), settings.port());
            if (libc.bind(fd, sockaddr, length) < 0) {
                throw libc.lastError("bind");
            }
            if (libc.listen(fd, settings.backlog()) < 0) {
                throw libc.lastError("listen");
            }
            MemorySegment size = arena.allocate(JAVA_INT);
            size.set(JAVA_INT, 0, Sockaddr.MAX_SIZE);
            if (libc.getsockname(fd, sockaddr, size) < 0) {
                throw libc.lastError("getsockname");
            }
            this.address = Sockaddr.read(sockaddr);
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            arena.close();
            throw e;
        }
    }

    static NativeListener open(BackendSettings settings) throws IOException {
        return new NativeListener(settings);
    }

    int fd() {
        return fd;
    }

    void attach(NativePoller poller, int slot) {
        this.poller = poller;
        this.slot = slot;
    }

    @Override
    public InetSocketAddress localAddress() {
        return address;
    }

    @Override
    public void interest(int ops) {
        if (open && poller != null) {
            poller.modify(slot, fd, ops);
        }
    }

    @Override
    public Endpoint accept() throws IOException {
        for (;;) {
            int accepted = libc.accept4(fd, LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
            if (accepted >= 0) {
                return configured(accepted);
            }
            int errno = libc.errno();
            if (errno == LibC.EAGAIN) {
                return null; // nothing pending: the chapter's EAGAIN on accept
            }
            if (errno != LibC.EINTR && errno != LibC.ECONNABORTED) { // those two: just try the next
                throw LibC.error("accept4", errno);
            }
        }
    }

    private Endpoint configured(int accepted) throws SetupFailed {
        try {
            option(accepted, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, settings.tcpNoDelay() ? 1 : 0);
            if (settings.sendBufferSize() > 0) {
                option(accepted, LibC.SOL_SOCKET, LibC.SO_SNDBUF, settings.sendBufferSize());
            }
            return new NativeEndpoint(accepted);
        } catch (IOException e) {
            LibC.close(accepted);
            throw new SetupFailed(e);
        }
    }

    private void option(int socket, int level, int name, int setting) throws IOException {
        value.set(JAVA_INT, 0, setting);
        if (libc.setsockopt(socket, level, name, value, 4) < 0) {
            throw libc.lastError("setsockopt");
        }
    }

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
        arena.close();
    }
}
