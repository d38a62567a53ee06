package dev.jepoll.reactor;

/** What the reactor counts. Each is a running total unless it says "peak". */
public enum Counter {
    /**
     * Returns from the selector's wait, for events, timers or hand-overs alike; {@code --trace}
     * prints the chapter's {@code return epoll_wait} only for those that brought events.
     */
    WAKEUPS,
    /** Ready keys handled; at most {@code maxEvents} per wakeup. */
    READY_EVENTS,
    /** Peak of ready keys handled in a single wakeup. */
    PEAK_EVENTS_PER_WAKEUP(true),
    /** {@code read()} calls on client sockets. */
    READS,
    /** {@code read()} calls that returned 0: the chapter's {@code EAGAIN}. */
    EAGAIN_READS,
    /** Bytes read and handed to the protocol. */
    BYTES_IN,
    /** Bytes read from a connection already closing, only to reach the peer's EOF. */
    BYTES_DISCARDED,
    /** Bytes written to client sockets. */
    BYTES_OUT,
    /**
     * Peak of bytes left unread in a socket's kernel buffer after an edge event was handled
     * ({@code FIONREAD}); only {@code --edge-read-once} leaves any, which is its lesson.
     */
    PEAK_BYTES_LEFT_UNREAD(true),
    /** Edge reads that stopped at the read budget before {@code EAGAIN}, to let others run. */
    READ_BUDGET_SPENT,
    /** {@code write()} calls on client sockets, gathering or not. */
    WRITES,
    /** Writes that took fewer bytes than offered (0 included); the rest waits for {@code OP_WRITE}. */
    PARTIAL_WRITES,
    /** Bytes owed to connections that were closed before they could be sent (a reset peer, a shutdown's grace over). */
    BYTES_DROPPED,
    /** Closes that dropped bytes owed. */
    CLOSES_DROPPING_BYTES,
    /** Peak of one connection's pending output, in bytes. */
    PEAK_PENDING_BYTES(true),
    /** Times a connection stopped being read because its output passed the high watermark. */
    READ_PAUSES,
    /** Times a protocol stopped a connection's reading ({@code Session.inputAllowance()} 0): chat's flow control. */
    PROTOCOL_PAUSES,
    /** Connections accepted, including those rejected at once. */
    ACCEPTS,
    /** Accepted and closed at once because {@code --max-connections} was reached. */
    REJECTED,
    /** Times accepting was paused after an error such as "Too many open files". */
    ACCEPT_BACKOFFS;

    private final boolean peak;

    Counter() {
        this(false);
    }

    Counter(boolean peak) {
        this.peak = peak;
    }

    /** {@return true for a peak, which loops combine by taking the largest; totals are added up} */
    public boolean isPeak() {
        return peak;
    }
}
