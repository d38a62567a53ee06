package dev.jepoll.reactor;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A {@link Poller} on a JDK {@link Selector}: {@code select} is the chapter's
 * {@code epoll_wait}, {@code register} and {@code interestOps} its {@code epoll_ctl}.
 *
 * <p>{@code maxEvents} is the chapter's {@code EPOLL_SIZE}: at most that many ready keys are
 * handed out per dispatch. The JDK has no such knob (its selected-key set holds every ready
 * key), so the rest wait in a FIFO backlog, served first on the next dispatch, and
 * {@link #hasBacklog()} tells the loop not to block meanwhile.
 */
final class NioPoller implements Poller {
    private final Selector selector;
    private final int maxEvents;
    private final ArrayDeque<SelectionKey> backlog = new ArrayDeque<>();
    private final Set<SelectionKey> inBacklog = Collections.newSetFromMap(new IdentityHashMap<>());

    NioPoller(Selector selector, int maxEvents) {
        this.selector = selector;
        this.maxEvents = maxEvents;
    }

    String selectorClass() {
        return selector.getClass().getName();
    }

    @Override
    public void register(Watched socket, int ops, Handler handler) throws IOException {
        if (socket instanceof NioEndpoint endpoint) {
            endpoint.registered(endpoint.channel().register(selector, ops, handler));
        } else if (socket instanceof NioListener listener) {
            listener.registered(listener.channel().register(selector, ops, handler));
        } else {
            throw new IllegalArgumentException("not a socket of this backend: " + socket);
        }
    }

    @Override
    public int select(long timeoutMillis) throws IOException {
        int ready;
        if (timeoutMillis == 0) {
            ready = selector.selectNow();
        } else if (timeoutMillis < 0) {
            ready = selector.select();
        } else {
            ready = selector.select(timeoutMillis);
        }
        return ready + backlog.size();
    }

    @Override
    public int dispatchReady(Dispatcher dispatcher) {
        Set<SelectionKey> selected = selector.selectedKeys();
        int handled = 0;
        if (backlog.isEmpty() && selected.size() <= maxEvents) {
            for (SelectionKey key : selected) {
                handled += dispatch(key, dispatcher);
            }
        } else {
            for (SelectionKey key : selected) {
                if (inBacklog.add(key)) {
                    backlog.add(key);
                }
            }
            SelectionKey key;
            while (handled < maxEvents && (key = backlog.poll()) != null) {
                inBacklog.remove(key);
                handled += dispatch(key, dispatcher);
            }
        }
        selected.clear();
        return handled;
    }

    private static int dispatch(SelectionKey key, Dispatcher dispatcher) {
        if (!key.isValid()) {
            return 0; // closed by an earlier handler in this wakeup
        }
        dispatcher.dispatch((Handler) key.attachment(), key.readyOps());
        return 1;
    }

    @Override
    public boolean hasBacklog() {
        return !backlog.isEmpty();
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public boolean reportsOnce() {
        return false; // the JDK's selector is level-triggered
    }

    @Override
    public void close() {
        EventLoop.closeQuietly(selector);
    }
}
