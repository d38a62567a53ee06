package dev.jepoll.reactor;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The one way into a loop from other threads: tasks queued here, run by the loop's thread in
 * its tasks phase. Once the loop stops taking tasks, every task still queued and every task
 * handed in later is discarded instead: a {@link Loop.Handoff} gives back what it carries (a
 * socket, shared memory), any other task is dropped. Nothing handed to a loop is ever lost.
 */
final class TaskQueue {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Runnable wakeup;
    private final Consumer<String> log;
    /** Set once the loop will run no more tasks: from then on, {@link #add} discards them. */
    private volatile boolean stopped;

    /** {@code wakeup} wakes the loop's poller; {@code log} reports a discard that failed. */
    TaskQueue(Runnable wakeup, Consumer<String> log) {
        this.wakeup = wakeup;
        this.log = log;
    }

    /**
     * Any thread: queues {@code task} and wakes the loop; once the loop has stopped, discards
     * it instead. The flag is read after the task is queued and set by the loop before it
     * drains the queue for the last time, so a task is either run, or discarded by one side or
     * the other, never lost; and the poller is not woken once it may be closed.
     */
    void add(Runnable task) {
        tasks.add(task);
        if (stopped) {
            discardAll();
        } else {
            wakeup.run(); // the poller ignores a wakeup that comes as it closes
        }
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** Loop thread: runs the tasks queued before this call (those they queue wait for the next turn). */
    void runQueued(BiConsumer<Runnable, String> runner) {
        for (int n = tasks.size(); n > 0; n--) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            runner.accept(task, "task");
        }
    }

    /** Loop thread, as it ends: no task runs from now on; what is queued is discarded. */
    void stop() {
        stopped = true;
        discardAll();
    }

    private void discardAll() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            if (task instanceof Loop.Handoff handoff) {
                try {
                    handoff.discard();
                } catch (Throwable t) {
                    if (!Failures.survivable(t)) {
                        throw t;
                    }
                    log.accept("discarding a task failed: " + t);
                }
            }
        }
    }
}
