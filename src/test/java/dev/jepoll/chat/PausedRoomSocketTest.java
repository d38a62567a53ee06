package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Counter;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.TestServers;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A room that waits for a member who stopped reading, in every backend and mode: a reader that
 * stops is cut after the stall timeout and only it; a paused member whose peer resets meanwhile
 * costs the loop nothing (a level-triggered epoll reports a hang-up whatever the mask, so a
 * paused socket leaves the epoll set); and the blocks such a flood leaves idle do not keep an
 * empty server "over budget".
 */
class PausedRoomSocketTest {
    private static final long LIMIT = 128 * 1024;
    private static final long STALL_MILLIS = 1_500;
    private static final long BUDGET = 1024 * 1024;

    private static TestServers.Running chat(SelectorKind backend, TriggerMode mode) throws Exception {
        return TestServers.start(backend, new ChatProtocol(new ChatConfig(4096, LIMIT, STALL_MILLIS)), mode,
                b -> b.loops(1).memoryBudget(BUDGET).sendBufferSize(16 * 1024));
    }

    private static String line(String who, int n) {
        char[] pad = new char[1000];
        Arrays.fill(pad, 'x');
        return "[" + who + "] line " + n + " " + new String(pad) + "\n";
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void theRoomWaitsForAStoppedReaderThenCutsOnlyItAndAPausedResetCostsNothing(SelectorKind backend,
                                                                                TriggerMode mode) throws Exception {
        try (var server = chat(backend, mode);
             var stopped = new ChatClientSocket(server.port(), 4096, false);
             var speaker = new ChatClientSocket(server.port());
             var resetter = new ChatClientSocket(server.port())) {
            Await.equal("accepts", 3L, () -> server.count(Counter.ACCEPTS));
            // Until the stopped reader is behind: its kernel buffers fill, then its queue passes the limit.
            int said = 0;
            ChatProtocol room = null;
            while (server.server().counters().closes(CloseReason.SLOW_CONSUMER) == 0
                    && server.count(Counter.PROTOCOL_PAUSES) == 0) {
                speaker.send(line("s", said++));
                speaker.awaitLines(said);
                assertTrue(said < 20_000, "the stopped reader never fell behind");
            }
            // The room waits: the resetter tries to speak and is paused, with nothing owed, then resets.
            resetter.send(line("r", 0));
            Await.until("the resetter is paused too", () -> server.count(Counter.PROTOCOL_PAUSES) >= 2
                    || server.server().counters().closes(CloseReason.SLOW_CONSUMER) > 0);
            resetter.reset();
            long wakeups = server.count(Counter.WAKEUPS);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500)); // a window to count wakeups in, not a wait
            long spun = server.count(Counter.WAKEUPS) - wakeups;
            assertTrue(spun < 100, spun + " wakeups in 500 ms while a paused member's peer had reset");

            Await.equal("the stopped reader cut as a slow consumer", 1L,
                    () -> server.server().counters().closes(CloseReason.SLOW_CONSUMER));
            stopped.startReading();
            // The room goes on: the speaker is heard again.
            speaker.send(line("s", said++));
            speaker.awaitLines(said);
            assertEquals(1, server.server().counters().closes(CloseReason.SLOW_CONSUMER), server.log().toString());
            assertEquals(0, server.server().counters().closes(CloseReason.MEMORY_BUDGET), server.log().toString());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void blocksAFloodLeftIdleDoNotKeepAnEmptyServerOverItsBudget(SelectorKind backend, TriggerMode mode)
            throws Exception {
        try (var server = chat(backend, mode)) {
            try (var stopped = new ChatClientSocket(server.port(), 4096, false);
                 var speaker = new ChatClientSocket(server.port())) {
                Await.equal("accepts", 2L, () -> server.count(Counter.ACCEPTS));
                int said = 0;
                while (server.server().counters().closes(CloseReason.SLOW_CONSUMER)
                        + server.server().counters().closes(CloseReason.MEMORY_BUDGET) == 0) {
                    speaker.send(line("s", said++));
                    speaker.awaitLines(said);
                    assertTrue(said < 20_000, "the stopped reader was never cut");
                }
            }
            Await.until("everyone gone", () -> Arrays.stream(server.server().connectionsPerLoop()).sum() == 0);
            Await.until("only the loop's current block held, " + server.server().heldBytes() + " now",
                    () -> server.server().heldBytes() <= ChatProtocol.BLOCK_SIZE);
            try (var fresh = new ChatClientSocket(server.port())) {
                fresh.send("[f] hello\n");
                fresh.awaitLines(1);
                assertEquals("[f] hello\n", fresh.received().get(0));
            }
            assertEquals(0, server.server().counters().closes(CloseReason.MEMORY_BUDGET), server.log().toString());
        }
    }
}
