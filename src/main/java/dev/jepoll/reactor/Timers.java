package dev.jepoll.reactor;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A loop's timers: tasks due at a time, run in order of it (and of scheduling, for equal times).
 * Loop thread only, like everything the loop owns.
 */
final class Timers {
    private record Timer(long dueNanos, long seq, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int byTime = Long.compare(dueNanos, o.dueNanos);
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long seq;

    void schedule(long delayMillis, Runnable task) {
        timers.add(new Timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)), seq++, task));
    }

    /** How long the loop may wait for the next timer: -1 with none, 0 when one is due, else at least 1 ms. */
    long waitMillis() {
        if (timers.isEmpty()) {
            return -1;
        }
        long waitNanos = timers.peek().dueNanos() - System.nanoTime();
        return waitNanos <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
    }

    /** Runs every timer due by now through {@code runner} (which guards it), in order. */
    void runDue(BiConsumer<Runnable, String> runner) {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().dueNanos() - now <= 0) {
            runner.accept(timers.poll().task(), "timer");
        }
    }
}
