package dev.jepoll.reactor;

import dev.jepoll.reactor.backend.Endpoint;
import dev.jepoll.reactor.backend.Handler;
import dev.jepoll.reactor.backend.Listener;
import dev.jepoll.reactor.backend.Poller;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    /** What its connections only read: among it, the one direct read buffer they all share. */
    private final LoopContext context;
    private final TaskQueue tasks;
    private final List<Connection> dirty = new ArrayList<>();
    private final List<Runnable> endOfWakeupHooks = new ArrayList<>();
    private final ReadAgainList readAgain = new ReadAgainList();
    private final Timers timers = new Timers();
    private final Set<Connection> connections = new HashSet<>();
    /** Connections handed to this loop and not yet closed: the acceptor balances on it. */
    private final AtomicInteger load = new AtomicInteger();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Poller.Dispatcher dispatcher = this::dispatchPolled;
    private final java.util.function.Consumer<Connection> readAgainRead = c -> dispatch(c, SelectionKey.OP_READ);
    /**
     * Set by each wait; the chapter's {@code return epoll_wait} is printed before the first event
     * the wait delivers. A wait that ends for a timer or a hand-over delivers none and prints
     * nothing: the chapter's server waits with no timeout, so its line means "events arrived".
     */
    private boolean waitUntraced;
    private final MemoryBudget budget;
    private final LoopChores chores;
    private long now = System.nanoTime();
    private volatile Throwable failure;
    private List<EventLoop> peers = List.of(this);
    private String tracePrefix = "";
    private Acceptor acceptor;
    private boolean running = true;
    private boolean stopWhenIdle;

    EventLoop(int index, ServerConfig config, Poller poller, Protocol protocol, MemoryBudget budget, ServerLog log) {
        this.index = index;
        this.config = config;
        this.poller = poller;
        this.protocol = protocol;
        this.budget = budget;
        this.chores = new LoopChores(this, config, budget);
        this.tasks = new TaskQueue(poller::wakeup, this::log);
        this.context = new LoopContext(config, ByteBuffer.allocateDirect(config.bufferSize()),
                config.mode().strategy(config.edgeReadBudget(), config.edgeReadOnce()), counters, budget, log,
                poller.reportsOnce());
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

    /** Queues {@code task} and wakes the loop; once the loop has stopped, discards it ({@link TaskQueue}). */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public void schedule(long delayMillis, Runnable task) {
        timers.schedule(delayMillis, task);
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

    /** What ended the loop, if it ended on its own; null while it runs or after a clean stop. */
    Throwable failure() {
        return failure;
    }

    private void select() throws IOException {
        poller.select(mustNotBlock() ? 0 : timers.waitMillis());
        now = System.nanoTime();
        counters.add(Counter.WAKEUPS, 1);
        waitUntraced = true;
    }

    /** Anything that would otherwise wait for an unrelated event to wake the loop. */
    private boolean mustNotBlock() {
        return poller.hasBacklog() || !tasks.isEmpty() || !readAgain.isEmpty() || !dirty.isEmpty()
                || !endOfWakeupHooks.isEmpty();
    }

    /** The poller's ready sockets, then those due a read again ({@link ReadAgainList}): one read each per turn. */
    private void dispatchReady() {
        boolean due = readAgain.takeTurn();
        int handled = poller.dispatchReady(dispatcher);
        counters.add(Counter.READY_EVENTS, handled);
        counters.max(Counter.PEAK_EVENTS_PER_WAKEUP, handled);
        if (due) {
            readAgain.serveDue(readAgainRead);
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
        tasks.runQueued(this::runGuarded);
    }

    private void runTimers() {
        timers.runDue(this::runGuarded);
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

    void lingerDeadline(Connection connection) {
        schedule(config.lingerMillis(), connection::lingerExpired);
    }

    /** Counts and logs the close of {@code connection}, which wrote {@code line} about it. */
    void onClosed(Connection connection, CloseReason reason, long droppedBytes, String line) {
        connections.remove(connection);
        load.decrementAndGet();
        counters.closed(reason);
        if (droppedBytes > 0) {
            counters.add(Counter.BYTES_DROPPED, droppedBytes);
            counters.add(Counter.CLOSES_DROPPING_BYTES, 1);
        }
        trace("closed client : " + connection.id());
        if (reason.abnormal() || droppedBytes > 0) {
            warn("closes (" + reason.label() + ")", line);
        } else {
            context.log().debug(line);
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

    /**
     * The loop's last act, whatever ended it: nothing it owns stays open, whatever fails on the
     * way (each step is tried on its own, so a failing one cannot keep the poller open). The
     * task queue stops before the poller closes: nothing wakes a closed eventfd.
     */
    private void closeEverything() {
        for (Connection c : new ArrayList<>(connections)) {
            lastly(() -> c.close(CloseReason.SHUTDOWN, "event loop stopped"), null);
        }
        if (acceptor != null) {
            lastly(acceptor::close, null);
        }
        lastly(() -> protocol.loopStopped(this), "the protocol failed as loop " + index + " stopped");
        lastly(tasks::stop, null);
        lastly(poller::close, null);
    }

    private void lastly(Runnable step, String failureLine) {
        try {
            step.run();
        } catch (Throwable t) {
            if (failureLine != null) {
                log(failureLine + ": " + t);
            }
        }
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /** What this loop's connections only read of it, in one value. */
    LoopContext context() {
        return context;
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
        context.log().warn(kind, line);
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

}
