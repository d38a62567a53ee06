package dev.jepoll.cluster;

import io.nats.client.ReconnectDelayHandler;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next attempt to reach the broker: doubling from {@link #first}
 * up to {@link #cap}, each wait scaled by a random factor in [0.5, 1), so nodes that lost the
 * broker together do not all come back at the same instant.
 *
 * @param first  the first wait
 * @param cap    the longest wait
 * @param random numbers in [0, 1)
 */
record Backoff(Duration first, Duration cap, DoubleSupplier random) implements ReconnectDelayHandler {
    /** 50 ms, doubling to 2 s: a broker restart is noticed within about two seconds. */
    static Backoff standard() {
        return new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), Math::random);
    }

    /** {@return the wait before attempt {@code attempt} (1 for the first)} */
    @Override
    public Duration getWaitTime(long attempt) {
        long shift = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = Math.min(cap.toMillis(), first.toMillis() << shift);
        return Duration.ofMillis((long) (millis * (0.5 + random.getAsDouble() / 2)));
    }
}
