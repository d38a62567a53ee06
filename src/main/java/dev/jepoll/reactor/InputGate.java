package dev.jepoll.reactor;

/**
 * Whether a connection reads, decided in one place, and where it stands with its loop's
 * read-again list. Three things may pause input, each with its own way back:
 * <ul>
 * <li>the watermarks, on the connection's pending output: stop at the high one, resume at the
 *     low one (hysteresis, so a queue hovering at the mark does not flap);
 * <li>the memory budget: past it, a connection holding its fair share or more stops until the
 *     loop's budget watch relieves it ({@link #budgetRelieved()});
 * <li>the session's allowance: 0 stops it until the session resumes it.
 * </ul>
 * {@link #decide} is where pauses are counted; {@link #open()} only reads the decision.
 *
 * <p>The read-again list serves pollers that report a socket once per arrival ({@code EPOLLET}):
 * a read that stopped before {@code EAGAIN} is <em>queued</em> for the next turn (once, however
 * often it stops in this turn), becomes <em>due</em> when the turn takes the list, and is done
 * by whichever read comes first, the list's or an event's: one read per connection per turn.
 */
final class InputGate {
    private enum ReadAgain { NO, QUEUED, DUE }

    private boolean pausedByWatermarks;
    private boolean pausedByBudget;
    private boolean pausedBySession;
    private ReadAgain readAgain = ReadAgain.NO;

    /**
     * Decides, counts what newly pauses, and returns true if the budget paused the connection
     * just now (the caller enrols it for relief).
     */
    boolean decide(long pendingBytes, ServerConfig config, boolean overBudget, long sessionAllowance, Counters counters) {
        if (pausedByWatermarks && pendingBytes <= config.lowWatermark()) {
            pausedByWatermarks = false;
        } else if (!pausedByWatermarks && pendingBytes >= config.highWatermark()) {
            pausedByWatermarks = true;
            counters.add(Counter.READ_PAUSES, 1);
        }
        boolean sessionSaysStop = sessionAllowance <= 0;
        if (sessionSaysStop && !pausedBySession) {
            counters.add(Counter.PROTOCOL_PAUSES, 1);
        }
        pausedBySession = sessionSaysStop;
        if (!pausedByBudget && overBudget) {
            pausedByBudget = true;
            return true;
        }
        return false;
    }

    /** As last decided: whether the connection may read. */
    boolean open() {
        return !pausedByWatermarks && !pausedByBudget && !pausedBySession;
    }

    /**
     * What the next read may take: up to the high watermark ({@code underWatermark} left), within
     * the session's allowance and this event's budget allowance; 0 while paused. A query: the
     * queue may pass the watermark during a read, and {@link #decide} pauses afterwards.
     */
    int room(long underWatermark, long sessionAllowance, BudgetShare share) {
        if (!open() || share.over()) {
            return 0;
        }
        long room = share.cap(Math.min(underWatermark, sessionAllowance));
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, room));
    }

    boolean pausedBySession() {
        return pausedBySession;
    }

    /** The budget is back under its resume mark; the next decision may open the gate again. */
    void budgetRelieved() {
        pausedByBudget = false;
    }

    /** A read stopped early: true if the connection must be put on the list (it is not on it yet). */
    boolean queueReadAgain() {
        if (readAgain == ReadAgain.QUEUED) {
            return false;
        }
        readAgain = ReadAgain.QUEUED;
        return true;
    }

    /** The turn took the list: a queued connection is due its read now. */
    void readAgainDue() {
        if (readAgain == ReadAgain.QUEUED) {
            readAgain = ReadAgain.DUE;
        }
    }

    /** An event brought a read: if the connection was due one this turn, this is it. */
    void readByEvent() {
        if (readAgain == ReadAgain.DUE) {
            readAgain = ReadAgain.NO;
        }
    }

    /** The list's turn: true if the connection is still due its read (no event read it yet). */
    boolean takeReadAgainTurn() {
        if (readAgain != ReadAgain.DUE) {
            return false;
        }
        readAgain = ReadAgain.NO;
        return true;
    }
}
