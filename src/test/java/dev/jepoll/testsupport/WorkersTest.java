package dev.jepoll.testsupport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A helper thread's failure fails the test at once, with its own message, not as a timeout later. */
class WorkersTest {

    @Test
    void aSenderThatThrowsFailsTheWaitWithItsOwnMessageAtOnce() {
        Workers workers = new Workers();
        workers.start("sender a", () -> {
            throw new IOException("Connection reset by peer");
        });
        workers.start("sender b", () -> Thread.sleep(60_000)); // would hold the wait for a minute
        long started = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> workers.awaitAll(Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("sender a failed: java.io.IOException: Connection reset by peer"), e.getMessage());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos(), "failed at once, not at the deadline");
    }
}
