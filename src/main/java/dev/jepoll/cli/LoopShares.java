package dev.jepoll.cli;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Counter;
import dev.jepoll.reactor.Counters;
import java.util.List;
import java.util.Locale;

/** The shutdown summary's per-loop lines: what each loop did, and its share of the total. */
final class LoopShares {
    private LoopShares() {
    }

    static String describe(List<Counters> loops) {
        long bytesIn = 0;
        long closes = 0;
        for (Counters c : loops) {
            bytesIn += c.get(Counter.BYTES_IN);
            closes += c.totalCloses();
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < loops.size(); i++) {
            Counters c = loops.get(i);
            out.append(String.format(Locale.ROOT,
                    "loop %d: connections=%d (%s) bytes_in=%d (%s) bytes_out=%d wakeups=%d shutdown_closes=%d%n",
                    i, c.totalCloses(), share(c.totalCloses(), closes), c.get(Counter.BYTES_IN),
                    share(c.get(Counter.BYTES_IN), bytesIn), c.get(Counter.BYTES_OUT), c.get(Counter.WAKEUPS),
                    c.closes(CloseReason.SHUTDOWN)));
        }
        return out.toString();
    }

    private static String share(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * part / whole);
    }
}
