package dev.jepoll.reactor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One thread, one selector, and everything registered with it. Its body is five named phases:
 * {@code select(); dispatchReady(); flushDirty(); runTasks(); runTimers();}.
 *
 * <p>All state here is confined to the loop thread; other threads only call
 * {@link #execute}, which queues a task and wakes the selector. There is no static mutable
 * state, so running one loop per core is a matter of starting more of them.
 *
 * <p>{@code maxEvents} is the chapter's {@code EPOLL_SIZE}: at most that many ready keys are
 * handled per wakeup. The JDK has no such knob (its selected-key set holds every ready key),
 * so the rest wait in a FIFO backlog, served first on the next wakeup, and the loop does not
 * block while the backlog is not empty.
 */
final class EventLoop implements Runnable {
    private final ServerConfig config;
    private final Selector selector;
    private final Protocol protocol;
    private final Counters counters = new Counters();
    /** The one read buffer of this loop, shared by all its connections; direct, so reads copy once. */
    private final ByteBuffer readBuffer;
    private final ReadStrategy readStrategy;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<SelectionKey> backlog = new ArrayDeque<>();
    private final Set<SelectionKey> inBacklog = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Connection> dirty = new ArrayList<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Set<Connection> connections = new HashSet<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private Acceptor acceptor;
    private int nextClientId;
    private long timerSeq;
    private boolean running = true;
    private boolean stopWhenIdle;

    private record Timer(long dueNanos, long seq, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int byTime = Long.compare(dueNanos, o.dueNanos);
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }
    }

    EventLoop(ServerConfig config, Selector selector, Protocol protocol) {
        this.config = config;
        this.selector = selector;
        this.protocol = protocol;
        this.readBuffer = ByteBuffer.allocateDirect(config.bufferSize());
        this.readStrategy = config.mode().strategy(config.edgeReadBudget());
    }

    void listen(ServerSocketChannel server) throws IOException {
        SelectionKey key = server.register(selector, SelectionKey.OP_ACCEPT);
        acceptor = new Acceptor(server, key, this);
        key.attach(acceptor);
    }

    /** Runs {@code task} on the loop thread; callable from any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                select();
                dispatchReady();
                flushDirty();
                runTasks();
                runTimers();
                if (stopWhenIdle && connections.isEmpty()) {
                    running = false;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            log("event loop failed, closing everything: " + e);
        } finally {
            closeEverything();
            terminated.countDown();
        }
    }

    private void select() throws IOException {
        if (!backlog.isEmpty() || !tasks.isEmpty()) {
            selector.selectNow();
        } else if (!timers.isEmpty()) {
            long waitNanos = timers.peek().dueNanos() - System.nanoTime();
            if (waitNanos <= 0) {
                selector.selectNow();
            } else {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
            }
        } else {
            selector.select();
        }
        counters.add(Counter.WAKEUPS, 1);
        trace("return epoll_wait");
    }

    private void dispatchReady() {
        Set<SelectionKey> selected = selector.selectedKeys();
        int budget = config.maxEvents();
        int handled = 0;
        if (backlog.isEmpty() && selected.size() <= budget) {
            for (SelectionKey key : selected) {
                dispatch(key);
                handled++;
            }
        } else {
            for (SelectionKey key : selected) {
                if (inBacklog.add(key)) {
                    backlog.add(key);
                }
            }
            SelectionKey key;
            while (handled < budget && (key = backlog.poll()) != null) {
                inBacklog.remove(key);
                dispatch(key);
                handled++;
            }
        }
        selected.clear();
        counters.add(Counter.READY_EVENTS, handled);
        counters.max(Counter.PEAK_EVENTS_PER_WAKEUP, handled);
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return; // closed by an earlier handler in this wakeup
        }
        try {
            ((Handler) key.attachment()).handle(key.readyOps());
        } catch (RuntimeException e) {
            log("handler failed: " + e); // handlers catch their own; this is the last fence
        }
    }

    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).onFlushPhase();
        }
        dirty.clear();
    }

    private void runTasks() {
        for (int n = tasks.size(); n > 0; n--) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            runGuarded(task, "task");
        }
    }

    private void runTimers() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().dueNanos() - now <= 0) {
            runGuarded(timers.poll().task(), "timer");
        }
    }

    /** A failing task or timer is logged; it must not take the loop, and every connection, with it. */
    private void runGuarded(Runnable task, String what) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log(what + " failed: " + e);
        }
    }

    // ---- services for the acceptor and connections (loop thread only) ----

    void schedule(long delayMillis, Runnable task) {
        timers.add(new Timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis), timerSeq++, task));
    }

    void adopt(SocketChannel channel) {
        counters.add(Counter.ACCEPTS, 1);
        if (connections.size() >= config.maxConnections() || stopWhenIdle) {
            counters.add(Counter.REJECTED, 1);
            closeQuietly(channel);
            return;
        }
        Connection connection;
        try {
            channel.configureBlocking(false); // the chapter's fcntl(fd, F_SETFL, flag | O_NONBLOCK)
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, config.tcpNoDelay());
            if (config.sendBufferSize() > 0) {
                channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, config.sendBufferSize());
            }
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            connection = new Connection(++nextClientId, channel, key, this);
            key.attach(connection);
        } catch (IOException e) {
            log("could not set up an accepted socket: " + e.getMessage());
            closeQuietly(channel);
            return;
        }
        connections.add(connection);
        trace("connected client : " + connection.id());
        try {
            connection.open(protocol);
        } catch (RuntimeException e) {
            connection.close(CloseReason.PROTOCOL_ERROR, e.toString());
        }
    }

    void flushAtEndOfWakeup(Connection connection) {
        dirty.add(connection);
    }

    void lingerDeadline(Connection connection) {
        schedule(config.lingerMillis(), connection::lingerExpired);
    }

    void onClosed(Connection connection, CloseReason reason, String detail, long droppedBytes) {
        connections.remove(connection);
        counters.closed(reason);
        trace("closed client : " + connection.id());
        if (reason.abnormal() || droppedBytes > 0) {
            StringBuilder line = new StringBuilder("closed client ").append(connection.id())
                    .append(" (").append(reason.label());
            if (detail != null) {
                line.append(": ").append(detail);
            }
            line.append(')');
            if (droppedBytes > 0) {
                line.append("; ").append(droppedBytes).append(" bytes it was owed were dropped");
            }
            log(line.toString());
        }
        if (config.trace() != null) {
            trace("counters: " + counters.summary());
        }
    }

    /** Stops accepting, lets every connection flush for up to {@code graceMillis}, then stops. */
    void beginShutdown(long graceMillis) {
        if (stopWhenIdle) {
            return;
        }
        stopWhenIdle = true;
        if (acceptor != null) {
            acceptor.close();
        }
        for (Connection c : new ArrayList<>(connections)) {
            c.closeAfterFlush(CloseReason.SHUTDOWN, "server shutting down");
        }
        schedule(graceMillis, () -> {
            for (Connection c : new ArrayList<>(connections)) {
                c.close(CloseReason.SHUTDOWN, "shutdown grace period over");
            }
            running = false;
        });
    }

    private void closeEverything() {
        for (Connection c : new ArrayList<>(connections)) {
            c.close(CloseReason.SHUTDOWN, "event loop stopped");
        }
        if (acceptor != null) {
            acceptor.close();
        }
        try {
            selector.close();
        } catch (IOException e) {
            log("closing the selector: " + e.getMessage());
        }
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    // ---- plumbing ----

    ServerConfig config() {
        return config;
    }

    ReadStrategy readStrategy() {
        return readStrategy;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    Counters counters() {
        return counters;
    }

    int connectionCount() {
        return connections.size();
    }

    void trace(String line) {
        PrintStream out = config.trace();
        if (out != null) {
            out.println(line);
        }
    }

    void log(String line) {
        config.log().accept(line);
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing useful to do about a failed close of a socket we are discarding
        }
    }
}
