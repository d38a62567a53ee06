package dev.jepoll.reactor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The timed work of one loop, on that loop's thread: closing connections past the write or idle
 * timeout, keeping the server under its memory budget, and folding the log's rate-limited
 * lines. Each runs as a timer of the loop only while there is something to watch.
 */
final class LoopChores {
    private final EventLoop loop;
    private final ServerConfig config;
    private final MemoryBudget budget;
    private final List<Connection> pausedByBudget = new ArrayList<>();
    private boolean budgetWatch;
    private final java.util.concurrent.atomic.AtomicBoolean shedAsked = new java.util.concurrent.atomic.AtomicBoolean();

    LoopChores(EventLoop loop, ServerConfig config, MemoryBudget budget) {
        this.loop = loop;
        this.config = config;
        this.budget = budget;
    }

    /** Starts the periodic chores; on the loop's thread, before it serves. */
    void start(boolean logFlusher) {
        long timeout = Math.max(config.writeTimeoutMillis(), config.idleTimeoutMillis());
        if (timeout > 0) {
            long every = Math.max(10, Math.min(1000, shortestTimeout() / 4));
            loop.schedule(every, () -> sweep(every));
        }
        if (logFlusher) {
            loop.schedule(1000, this::flushLog);
        }
    }

    private long shortestTimeout() {
        long w = config.writeTimeoutMillis();
        long i = config.idleTimeoutMillis();
        return w == 0 ? i : i == 0 ? w : Math.min(w, i);
    }

    private void flushLog() {
        loop.context().log().flush();
        loop.schedule(1000, this::flushLog);
    }

    /** Write and idle timeouts: every connection checked against the loop's clock. */
    private void sweep(long everyMillis) {
        long now = System.nanoTime();
        long write = TimeUnit.MILLISECONDS.toNanos(config.writeTimeoutMillis());
        long idle = TimeUnit.MILLISECONDS.toNanos(config.idleTimeoutMillis());
        for (Connection c : new ArrayList<>(loop.connections())) {
            c.timedOut(now, write, idle);
        }
        loop.schedule(everyMillis, () -> sweep(everyMillis));
    }

    /**
     * Closes this loop's largest holders, largest first, while the server-wide total is past the
     * resume mark. A loop sees only its own connections: if its own are not enough, it asks the
     * other loops to shed at once too, rather than wait for their next check.
     */
    void shed() {
        shedAsked.set(false);
        if (!budget.exceeded()) {
            return;
        }
        List<Connection> byHeld = new ArrayList<>(loop.connections());
        byHeld.sort((a, b) -> Long.compare(b.held(), a.held()));
        for (Connection c : byHeld) {
            if (!budget.exceeded() || c.held() == 0) {
                break;
            }
            long held = c.held();
            c.close(CloseReason.MEMORY_BUDGET, "held " + held + " bytes when the server held "
                    + budget.held() + " of its " + budget.budget() + "-byte budget");
        }
        if (budget.exceeded()) {
            for (EventLoop peer : loop.peers()) {
                if (peer != loop) {
                    peer.askToShed();
                }
            }
            if (!budgetWatch) {
                budgetWatch = true; // the paused are re-armed once relieved
                loop.schedule(MemoryBudget.CHECK_MILLIS, this::watchBudget);
            }
        }
    }

    /** From any loop: shed on this loop's thread as soon as it can (once, however often asked meanwhile). */
    void askToShed() {
        if (shedAsked.compareAndSet(false, true)) {
            loop.execute(this::shed);
        }
    }

    /** A connection stopped reading because the budget is exceeded; the budget is now watched. */
    void pausedByBudget(Connection c) {
        pausedByBudget.add(c);
        if (!budgetWatch) {
            budgetWatch = true;
            loop.schedule(MemoryBudget.CHECK_MILLIS, this::watchBudget);
        }
    }

    /**
     * While the budget is exceeded, closes this loop's largest holders, largest first, until the
     * server-wide total is back under the resume mark (every loop does, watching the same total,
     * so the server sheds its largest first and overshoots by at most one close per loop); then
     * lets the paused connections read again. Closing stops only under the resume mark, not at
     * the budget: with reading paused, what the remaining holders keep (lines never ended) might
     * never shrink on its own, and reading would stay paused for good.
     */
    private void watchBudget() {
        shed();
        if (budget.exceeded()) {
            loop.schedule(MemoryBudget.CHECK_MILLIS, this::watchBudget);
            return;
        }
        budgetWatch = false;
        List<Connection> resumed = new ArrayList<>(pausedByBudget);
        pausedByBudget.clear();
        // Smallest holders first: re-armed first, they are first in the kernel's ready list, so a
        // client holding nothing is read before a crowd of large holders fills the budget again.
        resumed.sort(java.util.Comparator.comparingLong(Connection::held));
        for (Connection c : resumed) {
            c.budgetRelieved();
        }
    }

}
