package dev.jepoll.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on conditions with deadlines, never on bare sleeps. */
public final class Await {
    /** Long enough for a loaded 2-core machine; a pass never waits this long. */
    public static final Duration DEFAULT = Duration.ofSeconds(20);

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, DEFAULT);
    }

    public static void until(String what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
            pauseMillis = Math.min(20, pauseMillis * 2);
        }
    }

    /** Waits until {@code value} equals {@code expected}, reporting the last value seen. */
    public static <T> void equal(String what, T expected, Supplier<T> value) {
        Object[] last = new Object[1];
        try {
            until(what + " == " + expected, () -> {
                last[0] = value.get();
                return expected.equals(last[0]);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (last value " + last[0] + ")", e);
        }
    }
}
