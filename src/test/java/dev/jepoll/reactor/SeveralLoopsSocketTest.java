package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.echo.EchoProtocol;
import dev.jepoll.testsupport.Await;
import dev.jepoll.testsupport.Payloads;
import dev.jepoll.testsupport.TestClient;
import dev.jepoll.testsupport.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A server on several event loops: connections spread, each loop serves its own, all stop cleanly. */
class SeveralLoopsSocketTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void aThousandConnectionsSpreadWithinTenPercentOfTheAverage(int loops) throws Exception {
        int n = 1000;
        try (var server = TestServers.start(new EchoProtocol(), TriggerMode.EDGE, b -> b.loops(loops))) {
            List<TestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(TestClient.connect(server.port()));
                }
                Await.equal("connections held", n, () -> Arrays.stream(server.server().connectionsPerLoop()).sum());
                int[] perLoop = server.server().connectionsPerLoop();
                double average = (double) n / loops;
                for (int held : perLoop) {
                    assertTrue(held <= average * 1.1, Arrays.toString(perLoop));
                }
                for (int i = 0; i < n; i += 97) { // and every loop serves what it holds
                    byte[] hello = ("hello " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                    clients.get(i).write(hello);
                    assertArrayEquals(hello, clients.get(i).readExactly(hello.length));
                }
            } finally {
                for (TestClient c : clients) {
                    c.close();
                }
            }
        }
    }

    /** Shutdown reaches every loop: each flushes what its connections are owed, then all stop. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void shutdownFlushesEveryLoop(int loops) throws Exception {
        int clientsCount = 6;
        byte[] payload = Payloads.of(7, 2 * 1024 * 1024);
        var server = TestServers.start(new EchoProtocol(), TriggerMode.LEVEL, b -> b.loops(loops).highWatermark(256 * 1024).sendBufferSize(32 * 1024));
        List<TestClient> clients = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        try {
            for (int i = 0; i < clientsCount; i++) {
                TestClient client = TestClient.connect(server.port(), 16 * 1024);
                clients.add(client);
                Thread writer = new Thread(() -> {
                    try {
                        client.write(payload);
                    } catch (Exception e) {
                        // expected once the server stops reading and closes
                    }
                }, "writer-" + i);
                writer.start();
                writers.add(writer);
            }
            Await.until("every client held back", () -> server.count(Counter.READ_PAUSES) >= clientsCount);
            Thread stopper = new Thread(() -> {
                try {
                    server.server().shutdown(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            stopper.start();
            long echoed = 0;
            for (TestClient client : clients) {
                byte[] got = client.readToEof(); // every byte accepted from it, then EOF
                assertEquals(Payloads.sha256(payload, 0, got.length), Payloads.sha256(got));
                echoed += got.length;
            }
            stopper.join(40_000);
            assertTrue(server.server().awaitTermination(Duration.ofSeconds(10)), "every loop stopped");
            assertEquals(server.count(Counter.BYTES_IN), echoed, "all bytes the server accepted were echoed");
            assertEquals(clientsCount, server.server().counters().closes(CloseReason.SHUTDOWN));
        } finally {
            for (Thread w : writers) {
                w.join(30_000);
            }
            for (TestClient c : clients) {
                c.close();
            }
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2})
    void traceLinesNameTheirLoop(int loops) throws Exception {
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        try (PrintStream traceOut = new PrintStream(trace, true, StandardCharsets.UTF_8);
             var server = TestServers.start(new EchoProtocol(), TriggerMode.EDGE, b -> b.loops(loops).trace(traceOut));
             var a = TestClient.connect(server.port());
             var b = TestClient.connect(server.port())) {
            Await.equal("connections held", 2, () -> Arrays.stream(server.server().connectionsPerLoop()).sum());
            Await.until("both connected lines", () -> {
                String text = trace.toString(StandardCharsets.UTF_8);
                return text.contains("loop 0: connected client : ") && text.contains("loop 1: connected client : ");
            });
            assertTrue(trace.toString(StandardCharsets.UTF_8).contains("loop 0: return epoll_wait"));
        }
    }
}
