package dev.jepoll.reactor.backend.nio;

import dev.jepoll.reactor.backend.Backends;
import dev.jepoll.reactor.backend.Handler;
import dev.jepoll.reactor.backend.Poller;
import dev.jepoll.reactor.backend.Watched;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link Poller} on a JDK {@link Selector}: {@code select} is the chapter's
 * {@code epoll_wait}, {@code register} and {@code interestOps} its {@code epoll_ctl}.
 *
 * <p>{@code maxEvents} is the chapter's {@code EPOLL_SIZE}: at most that many ready keys are
 * handed out per dispatch. The JDK has no such knob (a select reports every ready key), so the
 * rest wait in a FIFO backlog, served first on the next dispatch, and {@link #hasBacklog()}
 * tells the loop not to block meanwhile.
 *
 * <p>The ready keys are collected by the selector's action form of {@code select}
 * ({@link Selector#select(java.util.function.Consumer, long)}) into an array this poller keeps,
 * not into the selector's selected-key set: that set is a {@code HashSet}, an object allocated
 * per ready key per wakeup (and an iterator per wakeup), which in an echo benchmark is most of
 * what the loop allocates; the array is allocated once and grows only with the most keys ever
 * ready at once.
 */
final class NioPoller implements Poller {
    private final Selector selector;
    private final int maxEvents;
    private final ArrayDeque<SelectionKey> backlog = new ArrayDeque<>();
    private final Set<SelectionKey> inBacklog = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The keys the last select found ready, in {@code ready[0..readyCount)}. */
    private SelectionKey[] ready = new SelectionKey[64];
    private int readyCount;
    private final Consumer<SelectionKey> collect = this::collect;

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
        readyCount = 0;
        if (timeoutMillis == 0) {
            selector.selectNow(collect);
        } else if (timeoutMillis < 0) {
            selector.select(collect);
        } else {
            selector.select(collect, timeoutMillis);
        }
        return readyCount + backlog.size();
    }

    private void collect(SelectionKey key) {
        if (readyCount == ready.length) {
            ready = Arrays.copyOf(ready, ready.length * 2);
        }
        ready[readyCount++] = key;
    }

    @Override
    public int dispatchReady(Dispatcher dispatcher) {
        int handled = 0;
        if (backlog.isEmpty() && readyCount <= maxEvents) {
            for (int i = 0; i < readyCount; i++) {
                handled += dispatch(ready[i], dispatcher);
            }
        } else {
            for (int i = 0; i < readyCount; i++) {
                if (inBacklog.add(ready[i])) {
                    backlog.add(ready[i]);
                }
            }
            SelectionKey key;
            while (handled < maxEvents && (key = backlog.poll()) != null) {
                inBacklog.remove(key);
                handled += dispatch(key, dispatcher);
            }
        }
        Arrays.fill(ready, 0, readyCount, null); // no closed connection kept reachable
        readyCount = 0;
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
        Backends.closeQuietly(selector);
    }
}
