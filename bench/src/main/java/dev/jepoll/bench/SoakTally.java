package dev.jepoll.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the soak's behaviours saw, shared by their threads: named counters
 * ({@code steady.bytes_checked}, {@code never-read.cut_by.reset}, ...) and failures. A failure is
 * a check that did not hold for a client that behaved (a wrong or missing echo byte, a lost,
 * torn or reordered chat line); what hostile clients provoke is counted, not failed.
 */
final class SoakTally {
    /** Failures printed in full; the rest only counted, so a broken server cannot flood the report. */
    private static final int SHOWN_FAILURES = 30;

    private final Map<String, AtomicLong> counters = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private long failureCount;

    void add(String counter, long delta) {
        AtomicLong c;
        synchronized (counters) {
            c = counters.computeIfAbsent(counter, k -> new AtomicLong());
        }
        c.addAndGet(delta);
    }

    void count(String counter) {
        add(counter, 1);
    }

    /** Keeps the largest value seen (a peak, such as the longest time a never-reading client sat). */
    void max(String counter, long value) {
        AtomicLong c;
        synchronized (counters) {
            c = counters.computeIfAbsent(counter, k -> new AtomicLong());
        }
        c.accumulateAndGet(value, Math::max);
    }

    long get(String counter) {
        synchronized (counters) {
            AtomicLong c = counters.get(counter);
            return c == null ? 0 : c.get();
        }
    }

    synchronized void fail(String behaviour, String what) {
        failureCount++;
        if (failures.size() < SHOWN_FAILURES) {
            String line = "failure: " + behaviour + ": " + what;
            failures.add(line);
            System.err.println("soak: " + line); // as it happens, for whoever watches the log
        }
    }

    synchronized long failures() {
        return failureCount;
    }

    /**
     * The report, one {@code key=value} per line after a header, then the failures; soak.sh keeps
     * it and SoakVerdict reads {@code failures=} and {@code bytes_checked=} from it.
     */
    synchronized void print(PrintStream out, String header) {
        long checked = 0;
        synchronized (counters) {
            for (Map.Entry<String, AtomicLong> e : counters.entrySet()) {
                if (e.getKey().endsWith(".bytes_checked")) {
                    checked += e.getValue().get();
                }
            }
            out.println(header + " failures=" + failureCount + " bytes_checked=" + checked);
            for (Map.Entry<String, AtomicLong> e : counters.entrySet()) {
                out.println(e.getKey() + "=" + e.getValue().get());
            }
        }
        for (String f : failures) {
            out.println(f);
        }
        if (failureCount > failures.size()) {
            out.println("failure: ... and " + (failureCount - failures.size()) + " more");
        }
    }
}
