package dev.jepoll.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test's helper threads (senders, mostly), whose failures fail the test with their own
 * message, at once, instead of surfacing as a timeout while the test waits for what a dead
 * thread never sent.
 */
public final class Workers {
    /** A worker's body: it may throw anything. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, Throwable> failures = new ConcurrentHashMap<>();

    /** Starts {@code task} on a thread named {@code name}. */
    public void start(String name, Task task) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                failures.put(name, e);
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Fails now if any worker has failed, with the first failure's message and cause. */
    public void check() {
        failures.entrySet().stream().findFirst().ifPresent(f -> {
            throw new AssertionError(f.getKey() + " failed: " + f.getValue(), f.getValue());
        });
    }

    /** Waits for every worker to end, failing at once with a worker's failure, or when {@code timeout} passes. */
    public void awaitAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            while (t.isAlive()) {
                check();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(t.getName() + " still running after " + timeout.toSeconds() + " s");
                }
                t.join(20);
            }
        }
        check();
    }
}
