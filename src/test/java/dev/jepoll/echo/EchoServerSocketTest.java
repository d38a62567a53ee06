package dev.jepoll.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.reactor.CloseReason;
import dev.jepoll.reactor.Counter;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.Payloads;
import dev.jepoll.testsupport.TestClient;
import dev.jepoll.testsupport.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The echo server on real loopback sockets, in both trigger modes. */
class EchoServerSocketTest {

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void theChaptersTriggerDemo(SelectorKind backend, TriggerMode mode) throws Exception {
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        PrintStream traceOut = new PrintStream(trace, true, StandardCharsets.UTF_8);
        try (var server = TestServers.start(backend, new EchoProtocol(), mode, b -> b.bufferSize(4).trace(traceOut));
             var client = TestClient.connect(server.port())) {
            Await.equal("accepts", 1L, () -> server.count(Counter.ACCEPTS));
            int before = waitLines(trace);
            byte[] message = "Hello World\n".getBytes(StandardCharsets.US_ASCII); // 12 bytes
            client.write(message);
            assertArrayEquals(message, client.readExactly(12));
            Await.equal("bytes echoed", 12L, () -> server.count(Counter.BYTES_OUT));

            // Counted in the trace, which prints only waits that brought events: the loop's
            // timers (the write-timeout sweep) may wake it too, and must not change the lesson.
            assertEquals(mode == TriggerMode.LEVEL ? 3 : 1, waitLines(trace) - before,
                    "a 12-byte message through a 4-byte buffer: LT wakes once per read, ET once");
            client.close();
            Await.equal("closes", 1L, () -> server.server().counters().totalCloses());
        }
        String printed = trace.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("connected client : 1\n"), printed);
        assertTrue(printed.contains("closed client : 1\n"), printed);
        assertTrue(printed.startsWith("return epoll_wait\n"), printed);
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void atMostMaxEventsReadyKeysAreHandledPerWakeup(SelectorKind backend, TriggerMode mode) throws Exception {
        int clients = 20;
        int maxEvents = 3;
        try (var server = TestServers.start(backend, new EchoProtocol(), mode, b -> b.maxEvents(maxEvents))) {
            List<TestClient> connected = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    connected.add(TestClient.connect(server.port()));
                }
                Await.equal("accepts", (long) clients, () -> server.count(Counter.ACCEPTS));
                // Hold the loop so that every client's byte is waiting when it next selects.
                CountDownLatch held = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                server.server().execute(() -> {
                    held.countDown();
                    await(release);
                });
                assertTrue(held.await(20, TimeUnit.SECONDS));
                long wakeupsBefore = server.count(Counter.WAKEUPS);
                for (TestClient c : connected) {
                    c.write(new byte[] {42});
                }
                release.countDown();
                for (TestClient c : connected) {
                    assertArrayEquals(new byte[] {42}, c.readExactly(1));
                }
                assertEquals(maxEvents, server.count(Counter.PEAK_EVENTS_PER_WAKEUP));
                assertTrue(server.count(Counter.WAKEUPS) - wakeupsBefore >= (clients + maxEvents - 1) / maxEvents);
            } finally {
                for (TestClient c : connected) {
                    c.close();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void connectionsPastTheLimitAreClosedAtOnceAndCounted(SelectorKind backend, TriggerMode mode) throws Exception {
        try (var server = TestServers.start(backend, new EchoProtocol(), mode, b -> b.maxConnections(2));
             var first = TestClient.connect(server.port());
             var second = TestClient.connect(server.port())) {
            Await.equal("accepts", 2L, () -> server.count(Counter.ACCEPTS));
            try (var third = TestClient.connect(server.port())) {
                assertTrue(third.closedByPeerWithin(20_000), "the third connection is closed");
            }
            assertEquals(1, server.count(Counter.REJECTED));
            first.write(new byte[] {1, 2});
            assertArrayEquals(new byte[] {1, 2}, first.readExactly(2));
            second.close();
            Await.equal("closes", 1L, () -> server.server().counters().totalCloses());
            try (var fourth = TestClient.connect(server.port())) {
                fourth.write(new byte[] {3});
                assertArrayEquals(new byte[] {3}, fourth.readExactly(1));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void aClientThatNeverReadsIsHeldAtTheWatermarkWhileOthersAreServed(SelectorKind backend, TriggerMode mode) throws Exception {
        int high = 64 * 1024;
        int total = 8 * 1024 * 1024;
        byte[] flood = Payloads.of(7, total);
        try (var server = TestServers.start(backend, new EchoProtocol(), mode, b -> b.highWatermark(high).lowWatermark(high / 4));
             var flooder = TestClient.connect(server.port());
             var other = TestClient.connect(server.port())) {
            Thread writer = new Thread(() -> {
                try {
                    flooder.write(flood);
                } catch (Exception e) {
                    // the assertions below report what matters
                }
            }, "flooder");
            writer.start();
            Await.until("the server stops reading the flooder", () -> server.count(Counter.READ_PAUSES) > 0);
            for (int i = 0; i < 20; i++) {
                byte[] ping = ("ping " + i).getBytes(StandardCharsets.US_ASCII);
                other.write(ping);
                assertArrayEquals(ping, other.readExactly(ping.length));
            }
            assertTrue(server.count(Counter.PEAK_PENDING_BYTES) <= high,
                    "pending " + server.count(Counter.PEAK_PENDING_BYTES) + " <= watermark " + high);

            byte[] echoed = flooder.readExactly(total); // now read: everything comes back
            writer.join(20_000);
            assertEquals(Payloads.sha256(flood), Payloads.sha256(echoed));
            assertTrue(server.count(Counter.PEAK_PENDING_BYTES) <= high);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void aResetClosesThatConnectionOnly(SelectorKind backend, TriggerMode mode) throws Exception {
        try (var server = TestServers.start(backend, new EchoProtocol(), mode);
             var victim = TestClient.connect(server.port());
             var bystander = TestClient.connect(server.port())) {
            victim.write(new byte[1000]);
            victim.readExactly(1000);
            victim.write(new byte[100]);
            victim.reset();
            Await.equal("closes", 1L, () -> server.server().counters().totalCloses());
            bystander.write(new byte[] {9});
            assertArrayEquals(new byte[] {9}, bystander.readExactly(1));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jepoll.testsupport.Backends#andModes")
    void shutdownFlushesWhatIsOwedThenCloses(SelectorKind backend, TriggerMode mode) throws Exception {
        int high = 256 * 1024;
        byte[] sent = Payloads.of(3, 8 * 1024 * 1024);
        var server = TestServers.start(backend, new EchoProtocol(), mode, b -> b.highWatermark(high));
        try (var client = TestClient.connect(server.port(), 16 * 1024)) {
            Thread writer = new Thread(() -> {
                try {
                    client.write(sent);
                } catch (Exception e) {
                    // expected once the server stops reading and closes
                }
            }, "writer");
            writer.start();
            Await.until("backpressure", () -> server.count(Counter.READ_PAUSES) > 0);
            Thread stopper = new Thread(() -> {
                try {
                    server.server().shutdown(java.time.Duration.ofSeconds(20));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            stopper.start();
            byte[] echoed = client.readToEof(); // every byte the server accepted, then EOF
            stopper.join(30_000);
            writer.join(30_000);
            assertTrue(echoed.length > 0);
            long accepted = server.count(Counter.BYTES_IN);
            assertEquals(accepted, echoed.length, "all bytes the server accepted were echoed");
            assertEquals(Payloads.sha256(sent, 0, echoed.length), Payloads.sha256(echoed));
            assertEquals(1, server.server().counters().closes(CloseReason.SHUTDOWN));
        } finally {
            server.close();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int waitLines(ByteArrayOutputStream trace) {
        return trace.toString(StandardCharsets.UTF_8).split("return epoll_wait\n", -1).length - 1;
    }
}
