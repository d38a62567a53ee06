package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Counter;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.TestServers;
import dev.jepoll.testsupport.Workers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The chat room's policies over real sockets, in both trigger modes, on every backend. */
class ChatServerSocketTest {

    private static TestServers.Running chat(SelectorKind backend, TriggerMode mode, ChatConfig config, int bufferSize)
            throws Exception {
        return TestServers.start(backend, new ChatProtocol(config), mode, b -> b.bufferSize(bufferSize));
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void everyLineReachesEveryoneTheSenderIncluded(SelectorKind backend, TriggerMode mode) throws Exception {
        try (var server = chat(backend, mode, ChatConfig.defaults(), 8192);
             var a = new ChatClientSocket(server.port());
             var b = new ChatClientSocket(server.port())) {
            Await.equal("accepts", 2L, () -> server.count(Counter.ACCEPTS));
            a.send("[a] hello\n");
            a.awaitLines(1);
            b.awaitLines(1);
            b.send("[b] hi\n");
            a.awaitLines(2);
            b.awaitLines(2);
            assertEquals(List.of("[a] hello\n", "[b] hi\n"), a.received());
            assertEquals(List.of("[a] hello\n", "[b] hi\n"), b.received());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void twoSendersByteByByteThroughAOneByteBufferNeverTearALine(SelectorKind backend, TriggerMode mode) throws Exception {
        int linesEach = 40;
        try (var server = chat(backend, mode, ChatConfig.defaults(), 1);
             var a = new ChatClientSocket(server.port());
             var b = new ChatClientSocket(server.port());
             var listener = new ChatClientSocket(server.port())) {
            Await.equal("accepts", 3L, () -> server.count(Counter.ACCEPTS));
            Set<String> sent = new HashSet<>();
            Workers writers = new Workers();
            for (var sender : List.of(a, b)) {
                String name = sender == a ? "a" : "b";
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < linesEach; i++) {
                    lines.add("[" + name + "] line " + i + " " + "z".repeat(i) + "\n");
                }
                sent.addAll(lines);
                writers.start("sender " + name, () -> {
                    for (String line : lines) {
                        sender.sendByteByByte(line);
                    }
                });
            }
            writers.awaitAll(java.time.Duration.ofSeconds(60));
            listener.awaitLines(2 * linesEach);
            assertTrue(sent.containsAll(listener.received()), "only whole lines: " + listener.received());
            assertEquals(2 * linesEach, new HashSet<>(listener.received()).size());
            ChatLaws.assertEachSendersLinesInOrder(listener.received());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void aReaderThatStopsReadingIsCutAfterTheStallTimeoutAndTheRoomGoesOn(SelectorKind backend, TriggerMode mode)
            throws Exception {
        ChatConfig config = new ChatConfig(1024, 256 * 1024, 500); // the room waits half a second for it
        int bursts = 100;
        int linesPerBurst = 40; // 10 KB: the readers are never more than a burst behind
        String padding = "p".repeat(240);
        // A fixed socket send buffer, so the kernel cannot soak up what the sleeper is owed.
        try (var server = TestServers.start(backend, new ChatProtocol(config), mode, b -> b.sendBufferSize(64 * 1024));
             var a = new ChatClientSocket(server.port());
             var b = new ChatClientSocket(server.port());
             var sleeper = new ChatClientSocket(server.port(), 4096, false)) {
            Await.equal("accepts", 3L, () -> server.count(Counter.ACCEPTS));
            int sent = 0;
            for (int burst = 0; burst < bursts; burst++) {
                var sender = burst % 2 == 0 ? a : b;
                String name = sender == a ? "a" : "b";
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < linesPerBurst; i++) {
                    lines.append('[').append(name).append("] line ").append(burst * linesPerBurst + i).append(' ')
                            .append(padding).append('\n');
                }
                sender.send(lines.toString());
                sent += linesPerBurst;
                a.awaitLines(sent);
                b.awaitLines(sent);
            }
            Await.equal("slow consumer closes", 1L, () -> server.server().counters().closes(CloseReason.SLOW_CONSUMER));
            assertTrue(server.log().stream().anyMatch(l -> l.contains("slow consumer")), server.log().toString());
            sleeper.startReading();
            sleeper.awaitEnd(); // the one disconnected was the one not reading
            for (var reader : List.of(a, b)) {
                assertEquals(bursts * linesPerBurst, reader.received().size());
                ChatLaws.assertEachSendersLinesInOrder(reader.received());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void anOverLongLineGetsItsSenderAnErrorAndADisconnectOnly(SelectorKind backend, TriggerMode mode) throws Exception {
        try (var server = chat(backend, mode, new ChatConfig(100, 64 * 1024), 16);
             var talker = new ChatClientSocket(server.port());
             var other = new ChatClientSocket(server.port())) {
            Await.equal("accepts", 2L, () -> server.count(Counter.ACCEPTS));
            talker.send("[t] fine\n");
            other.awaitLines(1);
            talker.send("[t] " + "x".repeat(200) + "\n");
            talker.awaitEnd();
            assertEquals(List.of("[t] fine\n", "error: line too long (max 100 bytes); closing\n"), talker.received());
            other.send("[o] still here\n");
            other.awaitLines(2);
            assertEquals(List.of("[t] fine\n", "[o] still here\n"), other.received());
            assertEquals(1, server.server().counters().closes(CloseReason.LINE_TOO_LONG));
        }
    }

    /** The default limit fits a pasted paragraph (64 KiB); one byte more is refused as before. */
    @ParameterizedTest
    @CsvSource({"EPOLL,LEVEL,1", "EPOLL,EDGE,2", "NATIVE,LEVEL,2", "NATIVE,EDGE,1"})
    void aLineJustUnderTheDefaultLimitReachesEveryoneWholeAndOneByteOverIsRefused(SelectorKind backend, TriggerMode mode,
                                                                                 int loops)
            throws Exception {
        int max = ChatConfig.DEFAULT_MAX_LINE;
        assertEquals(64 * 1024, max);
        String prefix = "[k] ";
        String longest = prefix + "k".repeat(max - prefix.length() - 1) + "\n"; // max - 1 bytes + \n
        try (var server = TestServers.start(backend, new ChatProtocol(ChatConfig.defaults()), mode, b -> b.loops(loops));
             var talker = new ChatClientSocket(server.port());
             var a = new ChatClientSocket(server.port());
             var b = new ChatClientSocket(server.port())) {
            Await.equal("accepts", 3L, () -> server.count(Counter.ACCEPTS));
            talker.send(longest);
            for (var member : List.of(talker, a, b)) {
                member.awaitLines(1);
                assertEquals(List.of(longest), member.received(), "whole, for everyone");
            }
            talker.send("[k] " + "o".repeat(max - 3) + "\n"); // max + 1 bytes before the \n
            talker.awaitEnd();
            assertEquals("error: line too long (max " + max + " bytes); closing\n", talker.received().get(1));
            a.send("[a] after\n");
            b.awaitLines(2);
            assertEquals("[a] after\n", b.received().get(1), "nothing of the refused line reached anyone");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void aLastLineWithoutNewlineIsDeliveredAtEof(SelectorKind backend, TriggerMode mode) throws Exception {
        try (var server = chat(backend, mode, ChatConfig.defaults(), 8192);
             var leaver = new ChatClientSocket(server.port());
             var other = new ChatClientSocket(server.port())) {
            Await.equal("accepts", 2L, () -> server.count(Counter.ACCEPTS));
            leaver.send("[l] bye");
            leaver.shutdownOutput();
            leaver.awaitEnd();
            other.awaitLines(1);
            assertEquals(List.of("[l] bye\n"), other.received());
            assertEquals(List.of("[l] bye\n"), leaver.received());
        }
    }

    @ParameterizedTest
    @CsvSource({"EPOLL,LEVEL,1", "EPOLL,EDGE,1", "EPOLL,LEVEL,3", "EPOLL,EDGE,3", "NATIVE,LEVEL,1", "NATIVE,EDGE,3"})
    void twoHundredClientsInOneRoomEachHearEveryone(SelectorKind backend, TriggerMode mode, int loops) throws Exception {
        int n = 200;
        try (var server = TestServers.start(backend, new ChatProtocol(ChatConfig.defaults()), mode, b -> b.loops(loops))) {
            List<ChatClientSocket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(new ChatClientSocket(server.port()));
                }
                Await.equal("accepts", (long) n, () -> server.count(Counter.ACCEPTS));
                for (int i = 0; i < n; i++) {
                    clients.get(i).send("[c" + i + "] hello from " + i + "\n");
                }
                for (ChatClientSocket c : clients) {
                    c.awaitLines(n);
                    assertEquals(n, new HashSet<>(c.received()).size());
                }
            } finally {
                for (ChatClientSocket c : clients) {
                    c.close();
                }
            }
        }
    }

    /**
     * Reading paused and resumed within one wakeup, by someone else's lines, with the paused
     * members' own lines waiting: the loop is held while one member sends 80 KiB of lines and
     * then every other member one line, so that one wakeup reports them all, the big sender's
     * first. Its lines pass 64 KiB, are published at once, and put every member at its high
     * watermark: reading pauses for all, and the others' input events that follow in the same
     * wakeup are not for reading now. The flush phase writes the lines out, reading resumes. Under
     * real {@code EPOLLET} those input events are not reported again: unless resuming re-arms the
     * socket, the others' lines are stranded in the kernel (the native poller once lost them so).
     */
    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void readingPausedAndResumedInOneWakeupStrandsNoLine(SelectorKind backend, TriggerMode mode) throws Exception {
        int others = 20;
        try (var server = TestServers.start(backend, new ChatProtocol(ChatConfig.defaults()), mode, b -> b.loops(1))) {
            List<ChatClientSocket> clients = new ArrayList<>();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try {
                for (int i = 0; i <= others; i++) {
                    clients.add(new ChatClientSocket(server.port()));
                }
                Await.equal("accepts", (long) others + 1, () -> server.count(Counter.ACCEPTS));
                server.server().execute(() -> {
                    held.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertTrue(held.await(20, TimeUnit.SECONDS), "the loop is held");
                StringBuilder flood = new StringBuilder();
                int floodLines = 80;
                for (int j = 0; j < floodLines; j++) {
                    flood.append("[big] ").append(j).append(' ').append("x".repeat(1000)).append('\n');
                }
                clients.get(0).send(flood.toString());
                for (int i = 1; i <= others; i++) {
                    clients.get(i).send("[c" + i + "] hello\n");
                }
                release.countDown();
                int expected = floodLines + others;
                for (ChatClientSocket c : clients) {
                    c.awaitLines(expected);
                    assertEquals(expected, new HashSet<>(c.received()).size());
                }
                if (mode == TriggerMode.EDGE) { // level mode reads the flood one 64 KiB read per wakeup: no early publish
                    assertTrue(server.count(Counter.READ_PAUSES) >= others, "reading paused: " + server.count(Counter.READ_PAUSES));
                }
            } finally {
                release.countDown();
                for (ChatClientSocket c : clients) {
                    c.close();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void abruptAndCleanDeparturesDoNotDisturbTheOthers(SelectorKind backend, TriggerMode mode) throws Exception {
        try (var server = chat(backend, mode, ChatConfig.defaults(), 64);
             var stayer = new ChatClientSocket(server.port())) {
            for (int round = 0; round < 20; round++) {
                var visitor = new ChatClientSocket(server.port());
                Await.equal("accepts", 2L + round, () -> server.count(Counter.ACCEPTS));
                visitor.send("[v] visit " + round + "\n");
                stayer.awaitLines(round + 1);
                if (round % 2 == 0) {
                    visitor.reset();
                } else {
                    visitor.close();
                }
            }
            stayer.send("[s] done\n");
            stayer.awaitLines(21);
            assertEquals("[s] done\n", stayer.received().get(20));
        }
    }
}
