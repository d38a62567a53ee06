package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.ChatLoad;
import dev.jepoll.testsupport.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The law of cross-loop flow control, under the two loads that broke it: a member that keeps
 * reading is never closed as a slow consumer, on any number of loops; a flood is slowed at its
 * senders instead. Defaults everywhere (slow-consumer limit, watermarks, budget), as a user
 * runs {@code make run-server APP=chat}.
 */
class FlowControlSocketTest {

    static Stream<Arguments> backendsAndLoops() {
        List<Arguments> cases = new ArrayList<>();
        for (SelectorKind backend : dev.jepoll.testsupport.Backends.ALL) {
            for (int loops : new int[] {1, 2, 4}) {
                cases.add(Arguments.of(backend, loops));
            }
        }
        return cases.stream();
    }

    /** 20 clients, 200 lines of 2,000 bytes each, bursts of 8, at most 16 own lines unheard. */
    @ParameterizedTest(name = "{0}, {1} loops")
    @MethodSource("backendsAndLoops")
    void twentyWindowedSendersAllReadingAreNeverCut(SelectorKind backend, int loops) throws Exception {
        try (var server = TestServers.start(backend, new ChatProtocol(ChatConfig.defaults()), TriggerMode.EDGE,
                b -> b.loops(loops))) {
            ChatLoad.Result result = ChatLoad.run(server.port(), new ChatLoad.Spec(20, 200, 2000, 8, 16, 0, 0),
                    Duration.ofSeconds(60));
            assertTrue(result.complete(), result + "; server log " + server.log());
            assertEquals(0, server.server().counters().closes(CloseReason.SLOW_CONSUMER), server.log().toString());
        }
    }

    /**
     * The same load with one member that reads slowly (4 KiB, then a millisecond's pause): it
     * keeps reading, so it stays; the room goes at its pace instead.
     */
    @ParameterizedTest(name = "{0}, {1} loops")
    @MethodSource("backendsAndLoops")
    void aSlowButReadingMemberSlowsTheRoomAndStays(SelectorKind backend, int loops) throws Exception {
        try (var server = TestServers.start(backend, new ChatProtocol(ChatConfig.defaults()), TriggerMode.EDGE,
                b -> b.loops(loops))) {
            ChatLoad.Result result = ChatLoad.run(server.port(), new ChatLoad.Spec(20, 200, 2000, 8, 16, 0, 1000),
                    Duration.ofSeconds(60));
            assertTrue(result.complete(), result + "; server log " + server.log());
            assertEquals(0, server.server().counters().closes(CloseReason.SLOW_CONSUMER), server.log().toString());
        }
    }

    /** Three clients that never read and one that does: only the three may be cut. */
    @ParameterizedTest(name = "{0}, {1} loops")
    @MethodSource("backendsAndLoops")
    void nonReadersNeverCostAReaderItsPlace(SelectorKind backend, int loops) throws Exception {
        try (var server = TestServers.start(backend, new ChatProtocol(ChatConfig.defaults()), TriggerMode.EDGE,
                b -> b.loops(loops))) {
            ChatLoad.Result result = ChatLoad.run(server.port(), new ChatLoad.Spec(1, 2000, 2000, 8, 16, 3, 0),
                    Duration.ofSeconds(60));
            assertTrue(result.complete(), result + "; server log " + server.log());
            assertTrue(server.server().counters().closes(CloseReason.SLOW_CONSUMER) <= 3, server.log().toString());
        }
    }
}
