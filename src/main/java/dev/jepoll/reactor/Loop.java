package dev.jepoll.reactor;

import java.util.List;

/**
 * An event loop as a {@link Protocol} sees it: its number, the other loops of its server, a
 * way to run code on any of them, a timer, and a hook at the end of its current wakeup.
 * Everything but {@link #execute} and {@link #account} must be called on this loop's own thread.
 */
public interface Loop {
    /**
     * A task that carries something it owns (shared memory, a socket, credit another loop waits
     * for). Handed to {@link #execute}, it either runs, or, if the loop has stopped and never
     * will run it, is {@linkplain #discard() discarded}: exactly one of the two, once.
     */
    interface Handoff extends Runnable {
        /** Gives back what the task carries; called on whichever thread finds the loop stopped. */
        void discard();
    }

    /** {@return this loop's number, 0 to {@code peers().size() - 1}} */
    int index();

    /** {@return every loop of the server, this one included, by number} */
    List<? extends Loop> peers();

    /**
     * Runs {@code task} on this loop's thread, after the tasks given before it; callable from any
     * thread. Once the loop has stopped, a task is not run: a {@link Handoff} is discarded, any
     * other task is dropped.
     *
     * @param task what to run; what it throws is logged, and the loop goes on
     */
    void execute(Runnable task);

    /**
     * Runs {@code task} on this loop's thread once {@code delayMillis} have passed (or later, if
     * the loop is busy); loop thread only.
     *
     * @param delayMillis how long from now, at least 0
     * @param task        what to run; what it throws is logged, and the loop goes on
     */
    void schedule(long delayMillis, Runnable task);

    /**
     * Runs {@code hook} once on this loop's thread at the end of the current wakeup: after its
     * ready sockets, tasks and timers were handled and before queued output is written. Chat
     * uses it to hand the lines of one wakeup to everyone at once.
     *
     * @param hook what to run; a hook may add another, which runs in the same wakeup
     */
    void atEndOfWakeup(Runnable hook);

    /**
     * Counts {@code deltaBytes} more (or, negative, fewer) against the server's memory budget:
     * memory a protocol holds for this loop's connections outside their queues, such as chat's
     * shared blocks. Callable from any thread.
     *
     * @param deltaBytes bytes taken (positive) or given back (negative)
     */
    void account(long deltaBytes);
}
