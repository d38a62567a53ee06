package dev.jepoll.reactor;

import dev.jepoll.reactor.backend.Backend;
import dev.jepoll.reactor.backend.Backends;
import dev.jepoll.reactor.backend.Listener;
import dev.jepoll.reactor.backend.Poller;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A listening socket and the event loops that serve it, running {@link Protocol} on every
 * accepted connection. The first loop also accepts, and hands each connection to the loop
 * with the fewest; each loop then owns its connections for their whole life.
 */
public final class Server implements AutoCloseable {
    private final List<EventLoop> loops;
    private final List<Thread> threads = new ArrayList<>();
    private final InetSocketAddress address;
    private final Backend backend;
    private final MemoryBudget budget;
    private final ServerLog log;
    private final CountDownLatch anyLoopEnded = new CountDownLatch(1);
    private final CountDownLatch allLoopsEnded;
    private volatile Throwable failure;
    private volatile ServerBean bean;

    private Server(List<EventLoop> loops, InetSocketAddress address, Backend backend, MemoryBudget budget,
                   ServerLog log) {
        this.loops = List.copyOf(loops);
        this.address = address;
        this.backend = backend;
        this.budget = budget;
        this.log = log;
        this.allLoopsEnded = new CountDownLatch(loops.size());
        for (EventLoop loop : loops) {
            String name = loops.size() == 1 ? "jepoll-loop" : "jepoll-loop-" + loop.index();
            threads.add(new Thread(() -> {
                try {
                    loop.run();
                } finally {
                    loopEnded(loop);
                }
            }, name));
        }
    }

    /**
     * A loop that ended on its own takes the whole server down, listener first: a process that
     * keeps listening while one of its loops serves no one would be a zombie.
     */
    private void loopEnded(EventLoop loop) {
        if (loop.failure() != null && failure == null) {
            failure = loop.failure();
            for (EventLoop other : loops) {
                if (other != loop) {
                    other.execute(() -> other.beginShutdown(0));
                }
            }
        }
        anyLoopEnded.countDown();
        allLoopsEnded.countDown();
        if (allLoopsEnded.getCount() == 0) {
            log.flushAll(); // the last second's folded counts, or they would be lost with the server
            if (bean != null) {
                bean.unregister();
            }
        }
    }

    /**
     * Binds, opens a poller per loop, registers the acceptor and starts the loop threads.
     *
     * @param config   how to serve
     * @param protocol what to serve on every connection
     * @return the running server
     * @throws IOException           if the address cannot be bound (port in use, ...)
     * @throws IllegalStateException if the selector was asked for explicitly and is not what runs
     */
    public static Server start(ServerConfig config, Protocol protocol) throws IOException {
        Backend backend = Backends.of(config.backendSettings());
        Listener listener = backend.listen(config.backendSettings());
        List<EventLoop> loops = new ArrayList<>();
        List<Poller> pollers = new ArrayList<>();
        List<EventLoop> holders = new ArrayList<>(); // filled below; the budget counts their connections
        MemoryBudget budget = new MemoryBudget(config.effectiveMemoryBudget(), () -> {
            int n = 0;
            for (EventLoop loop : holders) {
                n += loop.load().get();
            }
            return n;
        });
        ServerLog log = new ServerLog(config.logger(), System::nanoTime);
        try {
            for (int i = 0; i < config.loops(); i++) {
                Poller poller = backend.openPoller(config.backendSettings());
                pollers.add(poller);
                loops.add(new EventLoop(i, config, poller, protocol, budget, log));
            }
            for (EventLoop loop : loops) {
                loop.joinGroup(loops);
            }
            holders.addAll(loops);
            WarmUp.ioPath(backend, config, pollers.get(0));
            loops.get(0).listen(listener);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            listener.close();
            pollers.forEach(Poller::close);
            throw e;
        }
        Server server = new Server(loops, listener.localAddress(), backend, budget, log);
        if (config.jmx()) {
            server.bean = ServerBean.register(server);
        }
        server.threads.forEach(Thread::start);
        return server;
    }

    /** {@return the bound address; its port is the real one when port 0 was asked for} */
    public InetSocketAddress address() {
        return address;
    }

    /** {@return the port listened on: the kernel's pick when port 0 was asked for} */
    public int port() {
        return address.getPort();
    }

    /** {@return every loop's counters added up (peaks: the largest), as of now} */
    public Counters counters() {
        List<Counters> parts = new ArrayList<>();
        for (EventLoop loop : loops) {
            parts.add(loop.context().counters());
        }
        return Counters.sum(parts);
    }

    /** {@return each loop's own counters, by loop number} */
    public List<Counters> loopCounters() {
        List<Counters> parts = new ArrayList<>();
        for (EventLoop loop : loops) {
            parts.add(loop.context().counters());
        }
        return parts;
    }

    /** {@return how many event loops serve} */
    public int loopCount() {
        return loops.size();
    }

    /** {@return connections each loop holds now (accepted and not yet closed), by loop number} */
    public int[] connectionsPerLoop() {
        int[] counts = new int[loops.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = loops.get(i).load().get();
        }
        return counts;
    }

    /** {@return bytes all connections hold now (queued output and partial input)} */
    public long heldBytes() {
        return budget.held();
    }

    /** {@return the most they may hold together: {@link ServerConfig#effectiveMemoryBudget()}} */
    public long memoryBudget() {
        return budget.budget();
    }

    /** {@return what ended a loop on its own (the server then stops), or null} */
    public Throwable failure() {
        return failure;
    }

    /** {@return the name of the server's MXBean while it runs, or null when JMX is off or refused} */
    public javax.management.ObjectName mbeanName() {
        ServerBean b = bean;
        return b == null ? null : b.name();
    }

    /** {@return what the loops wait on, for the banner: the provider and selector, or the native epoll} */
    public String backendDescription() {
        return backend.describe();
    }

    /** {@return the provider's class name, such as {@code sun.nio.ch.EPollSelectorProvider}; null off the NIO backend} */
    public String providerClass() {
        return backend.providerClass();
    }

    /** {@return the selector's class name, such as {@code sun.nio.ch.EPollSelectorImpl}; null off the NIO backend} */
    public String selectorClass() {
        return backend.selectorClass();
    }

    /** {@return why the selector in use is not the one asked for, or null when it is} */
    public String selectorMismatch() {
        return backend.mismatch();
    }

    /**
     * Runs {@code task} on the first event loop's thread.
     *
     * @param task what to run; what it throws is logged, and the loop goes on
     */
    public void execute(Runnable task) {
        loops.get(0).execute(task);
    }

    /**
     * Stops accepting, gives connections up to {@code grace} to receive what they are owed,
     * closes everything and waits for the loop threads to end.
     *
     * @param grace how long connections may take to receive what they are owed
     * @throws InterruptedException if interrupted while waiting for the loops
     */
    public void shutdown(Duration grace) throws InterruptedException {
        for (EventLoop loop : loops) {
            loop.execute(() -> loop.beginShutdown(grace.toMillis()));
        }
        long deadline = System.nanoTime() + grace.toNanos() + TimeUnit.SECONDS.toNanos(5);
        for (Thread thread : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            thread.join(Math.max(1, left));
        }
    }

    /**
     * Waits until every loop has stopped (after {@link #shutdown} or a fatal loop error).
     *
     * @param timeout the longest wait
     * @return true if every loop has stopped
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (EventLoop loop : loops) {
            if (!loop.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until any loop has stopped, asked to or not.
     *
     * @param timeout the longest wait
     * @return true if one has
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitAnyLoopEnd(Duration timeout) throws InterruptedException {
        return anyLoopEnded.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@return true once any loop has stopped, whether asked to or not} */
    public boolean isTerminated() {
        return anyLoopEnded.getCount() == 0;
    }

    /** {@link #shutdown} with a two-second grace. */
    @Override
    public void close() {
        try {
            shutdown(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
