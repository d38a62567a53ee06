package dev.jepoll.cluster;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One log line when the broker is lost and one when it is back, at most one pair every
 * {@link #QUIET_NANOS}: a flapping broker must not flood the log (the count says how often).
 */
final class OutageLog {
    static final long QUIET_NANOS = 10_000_000_000L;

    private final String broker;
    private final Consumer<String> log;
    private final AtomicLong count = new AtomicLong();
    private long lostAt;
    private long lastLine = Long.MIN_VALUE;
    private boolean lostLogged;
    private long unlogged;
    private boolean foreignLogged;

    OutageLog(String broker, Consumer<String> log) {
        this.broker = broker;
        this.log = log;
    }

    synchronized void lost() {
        count.incrementAndGet();
        lostAt = System.nanoTime();
        lostLogged = lastLine == Long.MIN_VALUE || lostAt - lastLine >= QUIET_NANOS;
        if (lostLogged) {
            lastLine = lostAt;
            log.accept("backplane: lost the broker at " + broker + ": local chat goes on; lines for other nodes are"
                    + " dropped (counted) until it is back; reconnecting" + (unlogged > 0 ? " (" + unlogged
                    + " more outages since the last line)" : ""));
            unlogged = 0;
        } else {
            unlogged++;
        }
    }

    synchronized void back() {
        if (lostLogged) {
            log.accept(String.format(java.util.Locale.ROOT, "backplane: broker at %s back after %.1f s", broker,
                    (System.nanoTime() - lostAt) / 1e9));
            lostLogged = false;
        }
    }

    /** Something else publishes on the subject: said once. */
    synchronized void foreign(String what) {
        if (!foreignLogged) {
            foreignLogged = true;
            log.accept("backplane: ignoring a message on the room's subject that is not jepoll's: " + what);
        }
    }

    long count() {
        return count.get();
    }
}
