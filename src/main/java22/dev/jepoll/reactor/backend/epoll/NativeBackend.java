package dev.jepoll.reactor.backend.epoll;

import dev.jepoll.reactor.backend.Backend;
import dev.jepoll.reactor.backend.BackendSettings;
import dev.jepoll.reactor.backend.Listener;
import dev.jepoll.reactor.backend.Poller;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Epoll through {@code java.lang.foreign} (Java 22 and later): sockets created and used by
 * jepoll itself, one epoll instance per loop ({@link NativePoller}), no JDK selector and no
 * {@code --add-opens}, {@code --add-exports} or {@code Unsafe}. Loaded by
 * {@link NativeSupport} when {@code --selector native} is asked for.
 */
public final class NativeBackend implements Backend {
    private final BackendSettings settings;
    private final EpollEventLayout layout;
    private final List<Integer> epollFds = new CopyOnWriteArrayList<>();

    public NativeBackend(BackendSettings settings) {
        this.settings = settings;
        this.layout = EpollEventLayout.forArch(System.getProperty("os.arch", "?"));
    }

    @Override
    public Listener listen(BackendSettings settings) throws IOException {
        return NativeListener.open(settings);
    }

    @Override
    public Poller openPoller(BackendSettings settings) throws IOException {
        NativePoller poller = new NativePoller(settings, layout);
        epollFds.add(poller.epfd());
        return poller;
    }

    @Override
    public String describe() {
        String fds = epollFds.size() == 1 ? "epoll fd " + epollFds.get(0)
                : "epoll fds " + epollFds.stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + " (one per loop)";
        String events = settings.edgeTriggered() ? "EPOLLIN|EPOLLRDHUP|EPOLLET" : "EPOLLIN|EPOLLRDHUP";
        return "native epoll through java.lang.foreign (" + layout.arch() + "), " + fds + "; connections registered "
                + events + (settings.edgeReadOnce() ? "; --edge-read-once: one read per edge, the rest left in the kernel"
                        : "");
    }
}
