package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.TestServers;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.testsupport.Backends;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backplane seam, with two nodes joined in memory: what is said on one node is heard on
 * both, each sender's lines in order, through the same fan-out and flow control as the loops'
 * own lines; and without a backplane module, asking for one is a clear error.
 */
class BackplaneSocketTest {
    /** The backplane meets every other feature: both backends, both modes, 1 to 4 loops, a 7-byte or 64 KiB buffer, a tight budget. */
    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (SelectorKind backend : Backends.ALL) {
            for (TriggerMode mode : TriggerMode.values()) {
                for (int loops : new int[] {1, 2, 4}) {
                    cases.add(Arguments.of(backend, mode, loops, loops == 2 ? 7 : 65536, loops == 4 ? 0 : loops * 256 * 1024));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}, {2} loops per node, buffer {3}, budget {4}")
    @MethodSource("matrix")
    void linesSaidOnEitherNodeAreHeardOnBothInEachSendersOrder(SelectorKind backend, TriggerMode mode, int loops,
                                                               int buffer, long budget) throws Exception {
        PipeBackplane[] pipe = PipeBackplane.pair();
        ChatProtocol chatA = new ChatProtocol(ChatConfig.defaults(), pipe[0]);
        ChatProtocol chatB = new ChatProtocol(ChatConfig.defaults(), pipe[1]);
        try (var a = TestServers.start(backend, chatA, mode, b -> b.loops(loops).bufferSize(buffer).memoryBudget(budget));
             var b = TestServers.start(backend, chatB, mode, c -> c.loops(loops).bufferSize(buffer).memoryBudget(budget));
             ChatClientSocket a1 = new ChatClientSocket(a.port());
             ChatClientSocket a2 = new ChatClientSocket(a.port());
             ChatClientSocket b1 = new ChatClientSocket(b.port());
             ChatClientSocket b2 = new ChatClientSocket(b.port())) {
            Await.until("all four in their rooms", () -> chatA.members() == 2 && chatB.members() == 2);
            List<String> fromA1 = lines("a1", 300);
            List<String> fromB2 = lines("b2", 300);
            a1.send(String.join("", fromA1));
            b2.send(String.join("", fromB2));
            for (ChatClientSocket c : List.of(a1, a2, b1, b2)) {
                c.awaitLines(600);
                assertEquals(fromA1, c.received().stream().filter(l -> l.startsWith("[a1]")).toList());
                assertEquals(fromB2, c.received().stream().filter(l -> l.startsWith("[b2]")).toList());
                assertEquals(600, c.received().size(), "none twice");
            }
            assertEquals(300, pipe[0].stats().sent());
            assertEquals(300, pipe[1].stats().received());
        } finally {
            pipe[0].close();
            pipe[1].close();
        }
    }

    /**
     * A flood from the other node meets a member that stops reading: that member is cut as a
     * slow consumer after the stall timeout, and the member that keeps reading gets every line.
     */
    @Test
    void aRemoteFloodCutsOnlyTheMemberThatStoppedReading() throws Exception {
        PipeBackplane[] pipe = PipeBackplane.pair();
        ChatConfig tight = new ChatConfig(4096, 64 * 1024, 300);
        ChatProtocol chatA = new ChatProtocol(tight, pipe[0]);
        ChatProtocol chatB = new ChatProtocol(tight, pipe[1]);
        try (var a = TestServers.start(chatA, TriggerMode.EDGE, c -> c.loops(1));
             var b = TestServers.start(chatB, TriggerMode.EDGE, c -> c.loops(2).sendBufferSize(64 * 1024));
             ChatClientSocket speaker = new ChatClientSocket(a.port());
             ChatClientSocket reader = new ChatClientSocket(b.port());
             ChatClientSocket stopped = new ChatClientSocket(b.port(), 4096, false)) {
            Await.until("all in their rooms", () -> chatA.members() == 1 && chatB.members() == 2);
            List<String> flood = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                flood.add("[s] " + i + " " + "x".repeat(2000) + "\n"); // 8 MB: far more than the kernel holds for the non-reader
            }
            for (int i = 0; i < flood.size(); i += 100) {
                speaker.send(String.join("", flood.subList(i, i + 100)));
            }
            reader.awaitLines(4000);
            assertEquals(flood, reader.received());
            Await.until("the non-reader cut", () -> b.server().counters().closes(CloseReason.SLOW_CONSUMER) == 1);
            assertEquals(1, chatB.members(), "only the member that stopped reading was cut: " + b.log());
            assertEquals(0, pipe[1].waiting(), "every remote line was taken in");
        } finally {
            pipe[0].close();
            pipe[1].close();
        }
    }

    @Test
    void withoutAModuleForTheSchemeOpeningIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backplane.open(URI.create("nats://127.0.0.1:4222"), "main", line -> { }));
        assertTrue(e.getMessage().contains("no backplane module on the class path"), e.getMessage());
    }

    private static List<String> lines(String who, int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("[" + who + "] line " + i + " " + "x".repeat(i % 200) + "\n");
        }
        return lines;
    }
}
