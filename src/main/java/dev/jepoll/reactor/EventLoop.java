package dev.jepoll.reactor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread, one {@link Poller}, and the connections registered with it. Its body is six
 * named phases:
 * {@code select(); dispatchReady(); runTasks(); runTimers(); endOfWakeup(); flushDirty();}.
 *
 * <p>All state here is confined to the loop thread; other threads only call
 * {@link #execute}, which queues a task and wakes the poller. The flush phase comes last, so
 * output enqueued by a ready socket, a task (a line handed over by another loop) or a timer
 * leaves in the same wakeup; and the loop never blocks while anything waits to be flushed,
 * handed over, or read again.
 */
final class EventLoop implements Runnable, Loop {
    private final int index;
    private final ServerConfig config;
    private final Poller poller;
    private final Protocol protocol;
    private final Counters counters = new Counters();
    /** The one read buffer of this loop, shared by all its connections; direct, so reads copy once. */
    private final ByteBuffer readBuffer;
    private final ReadStrategy readStrategy;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Connection> dirty = new ArrayList<>();
    private final List<Runnable> endOfWakeupHooks = new ArrayList<>();
    /** Connections that stopped reading before EAGAIN on a poller that reports only once. */
    private List<Connection> readAgain = new ArrayList<>();
    private List<Connection> readingAgain = new ArrayList<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Set<Connection> connections = new HashSet<>();
    /** Connections handed to this loop and not yet closed: the acceptor balances on it. */
    private final AtomicInteger load = new AtomicInteger();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Poller.Dispatcher dispatcher = this::dispatchPolled;
    /**
     * Set by each wait; the chapter's {@code return epoll_wait} is printed before the first event
     * the wait delivers. A wait that ends for a timer or a hand-over delivers none and prints
     * nothing: the chapter's server waits with no timeout, so its line means "events arrived".
     */
    private boolean waitUntraced;
    private final MemoryBudget budget;
    private final ServerLog serverLog;
    private final LoopChores chores;
    private long now = System.nanoTime();
    private volatile Throwable failure;
    private List<EventLoop> peers = List.of(this);
    private String tracePrefix = "";
    private Acceptor acceptor;
    private long timerSeq;
    private boolean running = true;
    private boolean stopWhenIdle;
    /** Set once the loop will run no more tasks: from then on, {@link #execute} discards them. */
    private volatile boolean stopped;

    private record Timer(long dueNanos, long seq, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int byTime = Long.compare(dueNanos, o.dueNanos);
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }
    }

    EventLoop(int index, ServerConfig config, Poller poller, Protocol protocol, MemoryBudget budget, ServerLog log) {
        this.index = index;
        this.config = config;
        this.poller = poller;
        this.protocol = protocol;
        this.budget = budget;
        this.serverLog = log;
        this.chores = new LoopChores(this, config, budget);
        this.readBuffer = ByteBuffer.allocateDirect(config.bufferSize());
        this.readStrategy = config.mode().strategy(config.edgeReadBudget(), config.edgeReadOnce());
    }

    /** Called once, before any loop runs, with every loop of the server. */
    void joinGroup(List<EventLoop> group) {
        peers = List.copyOf(group);
        tracePrefix = group.size() > 1 ? "loop " + index + ": " : "";
    }

    /** Watches {@code listener} on this loop; its connections are spread over every loop. */
    void listen(Listener listener) throws IOException {
        acceptor = new Acceptor(listener, this);
        poller.register(listener, SelectionKey.OP_ACCEPT, acceptor);
    }

    // ---- Loop ----

    @Override
    public int index() {
        return index;
    }

    @Override
    public List<EventLoop> peers() {
        return peers;
    }

    /**
     * Queues {@code task} and wakes the loop; once the loop has stopped, discards it instead. The
     * flag is read after the task is queued and set by the loop before it drains the queue for
     * the last time, so a task is either run, or discarded by one side or the other, never lost;
     * and the poller is not woken once it may be closed.
     */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (stopped) {
            discardTasks();
        } else {
            poller.wakeup(); // the poller ignores a wakeup that comes as it closes
        }
    }

    @Override
    public void schedule(long delayMillis, Runnable task) {
        timers.add(new Timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)), timerSeq++, task));
    }

    /** Tasks the loop will never run: a hand-off gives back what it carries; others are dropped. */
    private void discardTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            if (task instanceof Handoff handoff) {
                try {
                    handoff.discard();
                } catch (Throwable t) {
                    if (!Failures.survivable(t)) {
                        throw t;
                    }
                    log("discarding a task failed: " + t);
                }
            }
        }
    }

    @Override
    public void atEndOfWakeup(Runnable hook) {
        endOfWakeupHooks.add(hook);
    }

    @Override
    public void account(long deltaBytes) {
        budget.add(deltaBytes);
    }

    // ---- the loop ----

    @Override
    public void run() {
        try {
            chores.start(index == 0);
            while (running) {
                select();
                dispatchReady();
                runTasks();
                runTimers();
                endOfWakeup();
                flushDirty();
                if (stopWhenIdle && connections.isEmpty()) {
                    running = false;
                }
            }
        } catch (Throwable t) {
            failure = t;
            log("event loop " + index + " failed, closing its connections: " + t);
        } finally {
            closeEverything();
            terminated.countDown();
        }
    }

    /**
     * The loop's thread is done: tasks still queued, and any handed to it from now on, are
     * discarded, then its poller closes. Other loops may still hand it tasks at any time; its
     * descriptors go only after {@link #stopped} is set, and a wakeup racing the close is
     * ignored by the poller.
     */
    private void stopTakingTasks() {
        stopped = true;
        discardTasks();
    }

    /** What ended the loop, if it ended on its own; null while it runs or after a clean stop. */
    Throwable failure() {
        return failure;
    }

    private void select() throws IOException {
        long timeoutMillis;
        if (mustNotBlock()) {
            timeoutMillis = 0;
        } else if (timers.isEmpty()) {
            timeoutMillis = -1;
        } else {
            long waitNanos = timers.peek().dueNanos() - System.nanoTime();
            timeoutMillis = waitNanos <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
        }
        poller.select(timeoutMillis);
        now = System.nanoTime();
        counters.add(Counter.WAKEUPS, 1);
        waitUntraced = true;
    }

    /** Anything that would otherwise wait for an unrelated event to wake the loop. */
    private boolean mustNotBlock() {
        return poller.hasBacklog() || !tasks.isEmpty() || !readAgain.isEmpty() || !dirty.isEmpty()
                || !endOfWakeupHooks.isEmpty();
    }

    /**
     * The poller's ready sockets, then those due a read again. The read-again list is taken
     * first (swapped: those that stop early again this turn go on the other list), and each
     * connection on it is due one read this turn: if a ready event already read it, the
     * list's turn is skipped, so no connection reads twice in one turn.
     */
    private void dispatchReady() {
        List<Connection> due = null;
        if (!readAgain.isEmpty()) {
            due = readAgain;
            readAgain = readingAgain;
            readingAgain = due;
            for (int i = 0; i < due.size(); i++) {
                due.get(i).readAgainDue();
            }
        }
        int handled = poller.dispatchReady(dispatcher);
        counters.add(Counter.READY_EVENTS, handled);
        counters.max(Counter.PEAK_EVENTS_PER_WAKEUP, handled);
        if (due != null) {
            for (int i = 0; i < due.size(); i++) {
                Connection c = due.get(i);
                if (c.takeReadAgainTurn()) {
                    dispatch(c, SelectionKey.OP_READ);
                }
            }
            due.clear();
        }
    }

    private void dispatchPolled(Handler handler, int readyOps) {
        if (waitUntraced) {
            waitUntraced = false;
            trace("return epoll_wait");
        }
        dispatch(handler, readyOps);
    }

    private void dispatch(Handler handler, int readyOps) {
        try {
            handler.handle(readyOps);
        } catch (Throwable t) { // handlers catch their own; this is the last fence
            if (!Failures.survivable(t)) {
                throw t;
            }
            warn("handler failures", "handler failed: " + t);
        }
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

    private void endOfWakeup() {
        for (int i = 0; i < endOfWakeupHooks.size(); i++) { // a hook may add another: it runs too
            runGuarded(endOfWakeupHooks.get(i), "end-of-wakeup hook");
        }
        endOfWakeupHooks.clear();
    }

    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).onFlushPhase();
        }
        dirty.clear();
    }

    /** A failing task or timer is logged; it must not take the loop, and every connection, with it. */
    private void runGuarded(Runnable task, String what) {
        try {
            task.run();
        } catch (Throwable t) {
            if (!Failures.survivable(t)) {
                throw t;
            }
            warn(what + " failures", what + " failed: " + t);
        }
    }

    // ---- services for the acceptor and connections (loop thread only) ----

    /** Connections handed to this loop and not closed yet; read by the acceptor on any loop. */
    AtomicInteger load() {
        return load;
    }

    /** Takes over an accepted socket that the acceptor counted in {@link #load()}. */
    void adopt(Endpoint endpoint, int id) {
        if (stopWhenIdle) {
            endpoint.close();
            load.decrementAndGet();
            counters.add(Counter.REJECTED, 1);
            return;
        }
        Connection connection = new Connection(id, endpoint, this);
        try {
            poller.register(endpoint, SelectionKey.OP_READ, connection);
        } catch (IOException e) {
            log("could not register an accepted socket: " + e.getMessage());
            endpoint.close();
            load.decrementAndGet();
            return;
        }
        connections.add(connection);
        trace("connected client : " + id);
        try {
            connection.open(protocol);
        } catch (RuntimeException e) {
            connection.close(CloseReason.PROTOCOL_ERROR, e.toString());
        }
    }

    void flushAtEndOfWakeup(Connection connection) {
        dirty.add(connection);
    }

    /** For pollers that report once: {@code connection} stopped reading early and is read again next turn. */
    void readAgainNextTurn(Connection connection) {
        readAgain.add(connection);
    }

    boolean pollerReportsOnce() {
        return poller.reportsOnce();
    }

    void lingerDeadline(Connection connection) {
        schedule(config.lingerMillis(), connection::lingerExpired);
    }

    void onClosed(Connection connection, CloseReason reason, String detail, long droppedBytes) {
        connections.remove(connection);
        load.decrementAndGet();
        counters.closed(reason);
        if (droppedBytes > 0) {
            counters.add(Counter.BYTES_DROPPED, droppedBytes);
            counters.add(Counter.CLOSES_DROPPING_BYTES, 1);
        }
        trace("closed client : " + connection.id());
        StringBuilder line = new StringBuilder("closed client ").append(connection.id())
                .append(" (").append(reason.label());
        if (detail != null) {
            line.append(": ").append(detail);
        }
        line.append(')');
        if (droppedBytes > 0) {
            line.append("; ").append(droppedBytes).append(" bytes it was owed were dropped");
        }
        if (reason.abnormal() || droppedBytes > 0) {
            warn("closes (" + reason.label() + ")", line.toString());
        } else {
            serverLog.debug(line.toString());
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

    /** The loop's last act, whatever ended it: nothing it owns stays open, whatever fails on the way. */
    private void closeEverything() {
        for (Connection c : new ArrayList<>(connections)) {
            try {
                c.close(CloseReason.SHUTDOWN, "event loop stopped");
            } catch (Throwable t) {
                // still close the others, the listener and the poller
            }
        }
        if (acceptor != null) {
            try {
                acceptor.close();
            } catch (Throwable t) {
                // the poller must still go
            }
        }
        try {
            protocol.loopStopped(this);
        } catch (Throwable t) {
            log("the protocol failed as loop " + index + " stopped: " + t);
        }
        try {
            stopTakingTasks();
        } catch (Throwable t) {
            // the poller must still go
        }
        try {
            poller.close();
        } catch (Throwable t) {
            // nothing left to do
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
            out.println(tracePrefix + line);
        }
    }

    /** Always logged: the loop's own failure, once. */
    void log(String line) {
        config.logger().log(System.Logger.Level.ERROR, line);
    }

    /** A warning of {@code kind}, at most one line per kind per second for the whole server. */
    void warn(String kind, String line) {
        serverLog.warn(kind, line);
    }

    ServerLog serverLog() {
        return serverLog;
    }

    MemoryBudget budget() {
        return budget;
    }

    /** The loop's clock, read once per wakeup: what connections stamp their activity with. */
    long now() {
        return now;
    }

    java.util.Collection<Connection> connections() {
        return connections;
    }

    void pausedByBudget(Connection connection) {
        chores.pausedByBudget(connection);
    }

    void shedNow() {
        chores.shed();
    }

    /** Any thread: another loop could not get the server under its memory budget alone. */
    void askToShed() {
        chores.askToShed();
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing useful to do about a failed close of something we are discarding
        }
    }
}
