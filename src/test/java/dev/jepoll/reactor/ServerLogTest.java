package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

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

    @Test
    void aLineExactlyASecondAfterTheLastGoesOut() {
        log.warn("accept errors", "first");
        log.warn("accept errors", "held back");
        advanceMillis(1000);
        log.warn("accept errors", "second");
        assertEquals(List.of("first", "second (and 1 more accept errors in the second before)"), lines);
    }

    @Test
    void aSecondThatHeldNothingBackSaysNothing() {
        log.warn("accept errors", "only");
        advanceMillis(2000);
        log.flush();
        log.flushAll();
        assertEquals(List.of("only"), lines);
    }

    @Test
    void debugLinesReachALoggerThatWantsThemAndOnlySuch() {
        System.Logger wants = mock(System.Logger.class);
        when(wants.isLoggable(System.Logger.Level.DEBUG)).thenReturn(true);
        new ServerLog(wants, () -> now).debug("closed client 7 (peer closed)");
        verify(wants).log(System.Logger.Level.DEBUG, "closed client 7 (peer closed)");

        System.Logger refuses = mock(System.Logger.class);
        when(refuses.isLoggable(System.Logger.Level.DEBUG)).thenReturn(false);
        new ServerLog(refuses, () -> now).debug("closed client 7 (peer closed)");
        verify(refuses, never()).log(any(System.Logger.Level.class), anyString());
    }
}
