package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static Backoff with(double random) {
        return new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), () -> random);
    }

    @Test
    void doublesFromTheFirstWaitUpToTheCap() {
        Backoff most = with(0.999_999);
        assertEquals(49, most.getWaitTime(1).toMillis());
        assertEquals(99, most.getWaitTime(2).toMillis());
        assertEquals(199, most.getWaitTime(3).toMillis());
        assertEquals(1999, most.getWaitTime(7).toMillis(), "3.2 s capped at 2 s");
        assertEquals(1999, most.getWaitTime(1_000_000).toMillis(), "no overflow however long it has been");
    }

    @Test
    void jitterTakesUpToHalfOff() {
        assertEquals(25, with(0).getWaitTime(1).toMillis());
        assertEquals(1000, with(0).getWaitTime(50).toMillis());
        assertEquals(1500, with(0.5).getWaitTime(50).toMillis());
    }
}
