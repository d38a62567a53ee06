package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One line per kind per second, the rest counted and told: on a clock the test moves. */
class ServerLogTest {
    private long now = 5_000_000_000L;
    private final List<String> lines = new ArrayList<>();
    private final ServerLog log = new ServerLog(new LineLogger("test", lines::add), () -> now);

    private void advanceMillis(long ms) {
        now += ms * 1_000_000L;
    }

    @Test
    void aFloodOfOneKindIsOneLineASecondWithTheRestCounted() {
        for (int i = 0; i < 1000; i++) {
            log.warn("closes (peer reset)", "closed client " + i);
        }
        assertEquals(List.of("closed client 0"), lines);
        advanceMillis(999);
        log.flush();
        assertEquals(1, lines.size(), "the second is not over yet");
        advanceMillis(1);
        log.flush();
        assertEquals("999 more closes (peer reset) in the last second", lines.get(1));
        log.warn("closes (peer reset)", "closed client 1000");
        assertEquals("closed client 1000", lines.get(2), "nothing left to fold in");
    }

    @Test
    void aLineAfterTheSecondCarriesTheCountOfWhatWasHeldBack() {
        log.warn("accept errors", "first");
        log.warn("accept errors", "second");
        log.warn("accept errors", "third");
        advanceMillis(1500);
        log.warn("accept errors", "fourth");
        assertEquals(List.of("first", "fourth (and 2 more accept errors in the second before)"), lines);
    }

    @Test
    void whatTheLastSecondHeldBackIsToldWhenTheServerStops() {
        log.warn("closes (shutdown)", "closed client 1");
        log.warn("closes (shutdown)", "closed client 2");
        log.warn("closes (shutdown)", "closed client 3");
        log.flushAll(); // the second is not over, but the server is
        assertEquals(List.of("closed client 1", "2 more closes (shutdown) in the last second"), lines);
    }

    @Test
    void kindsAreLimitedSeparately() {
        log.warn("closes (slow consumer)", "a");
        log.warn("closes (write timeout)", "b");
        log.warn("closes (slow consumer)", "c");
        assertEquals(List.of("a", "b"), lines);
    }

    @Test
    void debugLinesGoNowhereUnlessTheLoggerWantsThem() {
        log.debug("closed client 7 (peer closed)");
        assertTrue(lines.isEmpty());
    }
}
