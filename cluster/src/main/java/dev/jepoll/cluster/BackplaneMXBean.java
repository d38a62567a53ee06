package dev.jepoll.cluster;

/** The backplane's counters over JMX, as {@code dev.jepoll:type=Backplane,node=<id>}; lines, not messages. */
public interface BackplaneMXBean {
    /** @return whether the broker is reachable now */
    boolean isConnected();

    /** @return lines of this node handed to the broker */
    long getLinesSent();

    /** @return other nodes' lines delivered here */
    long getLinesReceived();

    /** @return lines of this node not sent (outbox full, broker away) */
    long getLinesDropped();

    /** @return other nodes' lines that never arrived */
    long getGapLines();

    /** @return other nodes' lines that arrived twice */
    long getDuplicateLines();

    /** @return times the broker was lost */
    long getOutages();
}
