package dev.jepoll.chat;

import java.util.Locale;

/**
 * A backplane's counters, in lines.
 *
 * @param connected  whether the broker is reachable now
 * @param sent       lines of this node handed to the broker
 * @param received   other nodes' lines delivered here
 * @param dropped    lines of this node not sent: the way out was full, or the broker was down
 * @param gaps       other nodes' lines that never arrived, seen from their sequence numbers
 * @param duplicates other nodes' lines that arrived twice and were delivered once
 * @param outages    times the broker was lost
 */
public record BackplaneStats(boolean connected, long sent, long received, long dropped, long gaps, long duplicates,
                             long outages) {
    /** The no-op backplane's: nothing, ever. */
    public static final BackplaneStats NONE = new BackplaneStats(false, 0, 0, 0, 0, 0, 0);

    /** {@return {@code sent=.. received=.. dropped=.. gaps=.. duplicates=.. outages=..}, for the stats and summary lines} */
    public String summary() {
        return String.format(Locale.ROOT, "sent=%d received=%d dropped=%d gaps=%d duplicates=%d outages=%d connected=%s",
                sent, received, dropped, gaps, duplicates, outages, connected);
    }
}
