package dev.jepoll.reactor;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The server's log, shared by its loops: at most one line per kind of event per second, the
 * rest counted and folded into the next line of that kind ("and 41 more"), or into a line of
 * its own when the second is over. A flood of resets or refused accepts costs a few lines, not
 * one each. Lines go to a {@link System.Logger}, so an embedding application routes them to its
 * own logging.
 */
final class ServerLog {
    static final long WINDOW_NANOS = 1_000_000_000L;

    private final System.Logger logger;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new HashMap<>();

    /** One kind's second: when it began, and how many lines it held back. */
    private static final class Window {
        long startNanos;
        long suppressed;
    }

    ServerLog(System.Logger logger, LongSupplier clockNanos) {
        this.logger = logger;
        this.clock = clockNanos;
    }

    /** Logs {@code message} unless a line of this {@code kind} went out less than a second ago. */
    synchronized void warn(String kind, String message) {
        long now = clock.getAsLong();
        Window w = windows.computeIfAbsent(kind, k -> new Window());
        if (w.startNanos != 0 && now - w.startNanos < WINDOW_NANOS) {
            w.suppressed++;
            return;
        }
        String more = w.suppressed > 0 ? " (and " + w.suppressed + " more " + kind + " in the second before)" : "";
        w.startNanos = now;
        w.suppressed = 0;
        logger.log(Level.WARNING, message + more);
    }

    /** Something worth knowing that is not a problem: logged at DEBUG, not rate-limited. */
    void debug(String message) {
        if (logger.isLoggable(Level.DEBUG)) {
            logger.log(Level.DEBUG, message);
        }
    }

    /** Once a second (a loop's timer): says how many lines a finished second held back. */
    void flush() {
        flush(false);
    }

    /** When the server stops: says how many lines every second still open held back. */
    void flushAll() {
        flush(true);
    }

    private synchronized void flush(boolean all) {
        long now = clock.getAsLong();
        for (Map.Entry<String, Window> e : windows.entrySet()) {
            Window w = e.getValue();
            if (w.suppressed > 0 && (all || now - w.startNanos >= WINDOW_NANOS)) {
                logger.log(Level.WARNING, w.suppressed + " more " + e.getKey() + " in the last second");
                w.suppressed = 0;
                w.startNanos = 0;
            }
        }
    }
}
