package dev.jepoll.reactor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What all connections of a server hold together, against its memory budget: queued output
 * each connection owns (heap copies, and the heap of each shared view), partial input a
 * protocol keeps (a chat line not yet ended), and shared memory a protocol accounts for on a
 * loop (chat's blocks). Shared by the loops; any thread may add or take.
 *
 * <p>Past the budget, a connection holding its fair share ({@link #fairShare()}: the budget
 * divided among the connections) or more stops reading, and each loop closes its largest
 * holders until the total is back under {@link #RESUME_SHARE} of the budget, where reading
 * resumes; the loops look again every {@link #CHECK_MILLIS} while it is exceeded. A connection
 * holding less than its share may still read up to it: a normal client is served meanwhile. So no client, and no crowd of clients, can take the
 * server to {@code OutOfMemoryError}.
 */
final class MemoryBudget {
    static final long CHECK_MILLIS = 100;
    static final double RESUME_SHARE = 0.75;

    private final long budget;
    private final AtomicLong held = new AtomicLong();
    private final java.util.function.IntSupplier connections;
    private volatile boolean exceeded;

    /** {@code connections}: how many connections the server holds now, over all loops. */
    MemoryBudget(long budget, java.util.function.IntSupplier connections) {
        this.budget = budget;
        this.connections = connections;
    }

    void add(long delta) {
        if (delta != 0) {
            long now = held.addAndGet(delta);
            if (now > budget) {
                exceeded = true;
            }
        }
    }

    /** True from the moment the budget is passed until the total is back under the resume mark. */
    boolean exceeded() {
        if (exceeded && held.get() <= (long) (budget * RESUME_SHARE)) {
            exceeded = false;
        }
        return exceeded;
    }

    /**
     * Past the budget, the most one connection may hold: an equal share of the budget. The
     * connections within their share cannot together pass it; those above are the ones closed.
     */
    long fairShare() {
        return budget / Math.max(1, connections.getAsInt());
    }

    long held() {
        return held.get();
    }

    long budget() {
        return budget;
    }
}
