package dev.jepoll.reactor;

import java.util.Map;

/**
 * A running server's numbers as a platform MXBean, named
 * {@code dev.jepoll:type=Server,port=PORT,instance=N}: what {@code jconsole}, VisualVM or
 * {@code jcmd} show with the JDK's own tools.
 */
public interface ServerMXBean {
    /** The port the server listens on. */
    int getPort();

    /** Its event loops. */
    int getLoops();

    /** Connections held now, over all loops. */
    int getConnections();

    /** Bytes all connections hold now (queued output and partial input), against {@link #getMemoryBudget()}. */
    long getHeldBytes();

    /** The most the connections may hold together before reading pauses and the largest are closed. */
    long getMemoryBudget();

    /** Every counter (see {@link Counter}), totals over all loops, by its lower-case name. */
    Map<String, Long> getCounters();

    /** Closes so far, by reason ({@code peer closed}, {@code slow consumer}, ...). */
    Map<String, Long> getClosesByReason();
}
