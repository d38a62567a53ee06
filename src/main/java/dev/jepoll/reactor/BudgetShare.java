package dev.jepoll.reactor;

/**
 * A connection's part in the server's {@link MemoryBudget}: what it last reported holding, and
 * what one event may still read while the budget is exceeded. Past the budget, a connection
 * holding its fair share or more may not read at all; one holding less may read up to its
 * fair share in this event, so that the smallest holders keep moving while the largest are shed.
 */
final class BudgetShare {
    private final MemoryBudget budget;
    private long reported;
    private long allowance = -1; // what this event may read past the budget; -1 while within it

    BudgetShare(MemoryBudget budget) {
        this.budget = budget;
    }

    /** At the start of an event: what this event may read, if the budget is exceeded. */
    void beginEvent() {
        allowance = budget.exceeded() ? Math.max(0, budget.fairShare() - reported) : -1;
    }

    /** Past the budget and holding its fair share or more: may not read. */
    boolean over() {
        return budget.exceeded() && reported >= budget.fairShare();
    }

    /** {@code room}, capped by what this event may still read past the budget. */
    long cap(long room) {
        return allowance >= 0 ? Math.min(room, allowance) : room;
    }

    /** A read took {@code bytes}: less is allowed for the rest of the event. */
    void took(int bytes) {
        if (allowance > 0) {
            allowance = Math.max(0, allowance - bytes);
        }
    }

    /** The budget is back under its resume mark: no cap for now. */
    void relieved() {
        allowance = -1;
    }

    /**
     * Reports what the connection holds now; returns true if it grew and the server is past
     * its budget, so that the largest holders are shed at once, not at the next check.
     */
    boolean report(long held) {
        if (held == reported) {
            return false;
        }
        long grew = held - reported;
        budget.add(grew);
        reported = held;
        return grew > 0 && budget.held() > budget.budget();
    }

    /** What the connection holds, as last reported. */
    long held() {
        return reported;
    }

    /** The connection closed: everything it held is given back to the budget. */
    void release() {
        budget.add(-reported);
        reported = 0;
    }
}
