package dev.jepoll.reactor;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The reactor's counters: the test seam, what {@code --trace} prints, and the shutdown
 * summary. One event-loop thread writes them (so an increment is a plain read plus an
 * ordered store, no lock or CAS); any thread may read them.
 */
public final class Counters {
    private static final Counter[] COUNTERS = Counter.values();
    private static final CloseReason[] REASONS = CloseReason.values();

    private final AtomicLongArray counts = new AtomicLongArray(COUNTERS.length);
    private final AtomicLongArray closes = new AtomicLongArray(REASONS.length);

    void add(Counter counter, long delta) {
        int i = counter.ordinal();
        counts.lazySet(i, counts.get(i) + delta);
    }

    void max(Counter counter, long value) {
        int i = counter.ordinal();
        if (value > counts.get(i)) {
            counts.lazySet(i, value);
        }
    }

    void closed(CloseReason reason) {
        int i = reason.ordinal();
        closes.lazySet(i, closes.get(i) + 1);
    }

    /** Counts one write: a call, the bytes the socket took, and whether it took less than offered. */
    void wrote(long offered, long written) {
        add(Counter.WRITES, 1);
        add(Counter.BYTES_OUT, written);
        if (written < offered) {
            add(Counter.PARTIAL_WRITES, 1);
        }
    }

    /**
     * @param counter which
     * @return its current value
     */
    public long get(Counter counter) {
        return counts.get(counter.ordinal());
    }

    /**
     * @param reason which
     * @return connections closed so far for it
     */
    public long closes(CloseReason reason) {
        return closes.get(reason.ordinal());
    }

    /** {@return connections closed so far, for any reason} */
    public long totalCloses() {
        long sum = 0;
        for (CloseReason r : REASONS) {
            sum += closes(r);
        }
        return sum;
    }

    /**
     * The counters of several loops as one: totals added up, peaks the largest. A snapshot,
     * taken counter by counter while the loops run on.
     *
     * @param parts each loop's counters
     * @return their sum, a new object
     */
    public static Counters sum(Iterable<Counters> parts) {
        Counters total = new Counters();
        for (Counters part : parts) {
            for (Counter c : COUNTERS) {
                if (c.isPeak()) {
                    total.max(c, part.get(c));
                } else {
                    total.add(c, part.get(c));
                }
            }
            for (CloseReason r : REASONS) {
                total.closes.lazySet(r.ordinal(), total.closes(r) + part.closes(r));
            }
        }
        return total;
    }

    /** {@return a copy of every counter, for reports} */
    public Map<Counter, Long> snapshot() {
        Map<Counter, Long> copy = new EnumMap<>(Counter.class);
        for (Counter c : COUNTERS) {
            copy.put(c, get(c));
        }
        return copy;
    }

    /** {@return one line: {@code wakeups=3 ready_events=4 ... closes[peer closed=1]}} */
    public String summary() {
        StringJoiner line = new StringJoiner(" ");
        for (Counter c : COUNTERS) {
            line.add(c.name().toLowerCase(java.util.Locale.ROOT) + "=" + get(c));
        }
        StringJoiner byReason = new StringJoiner(", ", "closes[", "]");
        for (CloseReason r : REASONS) {
            long n = closes(r);
            if (n > 0) {
                byReason.add(r.label() + "=" + n);
            }
        }
        return line.add(byReason.toString()).toString();
    }
}
