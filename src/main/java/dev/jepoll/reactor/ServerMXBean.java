package dev.jepoll.reactor;

import java.util.Map;

/**
 * A running server's numbers as a platform MXBean, named
 * {@code dev.jepoll:type=Server,port=PORT,instance=N}: what {@code jconsole}, VisualVM or
 * {@code jcmd} show with the JDK's own tools.
 */
public interface ServerMXBean {
    /** {@return the port the server listens on} */
    int getPort();

    /** {@return its event loops} */
    int getLoops();

    /** {@return connections held now, over all loops} */
    int getConnections();

    /** {@return bytes all connections hold now (queued output and partial input), against {@link #getMemoryBudget()}} */
    long getHeldBytes();

    /** {@return the most the connections may hold together before reading pauses and the largest are closed} */
    long getMemoryBudget();

    /** {@return every counter (see {@link Counter}), totals over all loops, by its lower-case name} */
    Map<String, Long> getCounters();

    /** {@return closes so far, by reason ({@code peer closed}, {@code slow consumer}, ...)} */
    Map<String, Long> getClosesByReason();
}
